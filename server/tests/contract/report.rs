//! What every contract test did, for the skip reasons printed after the
//! run and the machine-readable report (`KM_CONFORMANCE_REPORT`): JUnit XML
//! when the file name ends in `.xml`, JSON otherwise.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::json;

/// One test's outcome.
enum Outcome {
    Passed(Duration),
    Failed(Duration, String),
    Skipped(String),
}

/// The outcomes of a run, in the order tests were listed or finished.
#[derive(Default)]
pub(crate) struct Outcomes(Mutex<Vec<(String, Outcome)>>);

impl Outcomes {
    fn push(&self, name: &str, o: Outcome) {
        if let Ok(mut v) = self.0.lock() {
            v.push((name.to_owned(), o));
        }
    }

    /// A test that will not run, and why.
    pub(crate) fn skipped(&self, name: &str, why: &str) {
        self.push(name, Outcome::Skipped(why.to_owned()));
    }

    /// A test that ran.
    pub(crate) fn ran(&self, name: &str, took: Duration, error: Option<&String>) {
        let o = match error {
            None => Outcome::Passed(took),
            Some(e) => Outcome::Failed(took, e.clone()),
        };
        self.push(name, o);
    }

    /// Prints each skipped test with its reason (libtest says only
    /// "ignored").
    pub(crate) fn print_skips(&self) {
        let Ok(v) = self.0.lock() else { return };
        let skipped: Vec<_> = v
            .iter()
            .filter_map(|(n, o)| match o {
                Outcome::Skipped(why) => Some((n, why)),
                _ => None,
            })
            .collect();
        if !skipped.is_empty() {
            println!("skipped (not failed), {} tests:", skipped.len());
            for (n, why) in skipped {
                println!("  {n}: {why}");
            }
        }
    }

    /// Writes the report to `path`.
    pub(crate) fn write(&self, path: &str) -> std::io::Result<()> {
        let v = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        let text = if path.ends_with(".xml") {
            junit(&v)
        } else {
            let tests: Vec<_> = v
                .iter()
                .map(|(n, o)| match o {
                    Outcome::Passed(d) => json!({"name": n, "outcome": "passed", "seconds": d.as_secs_f64()}),
                    Outcome::Failed(d, e) => json!({"name": n, "outcome": "failed", "seconds": d.as_secs_f64(), "message": e}),
                    Outcome::Skipped(why) => json!({"name": n, "outcome": "skipped", "reason": why}),
                })
                .collect();
            let count = |want: &str| tests.iter().filter(|t| t["outcome"] == want).count();
            serde_json::to_string_pretty(&json!({
                "passed": count("passed"),
                "failed": count("failed"),
                "skipped": count("skipped"),
                "tests": tests,
            }))
            .unwrap_or_default()
        };
        std::fs::write(path, text)
    }
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&apos;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn junit(v: &[(String, Outcome)]) -> String {
    let failures = v
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(..)))
        .count();
    let skipped = v
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Skipped(_)))
        .count();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"km-contract\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">\n",
        v.len()
    );
    for (name, o) in v {
        let (class, test) = name.split_once("::").unwrap_or(("", name));
        let (class, test) = (xml_escape(class), xml_escape(test));
        match o {
            Outcome::Passed(d) => out.push_str(&format!(
                "  <testcase classname=\"{class}\" name=\"{test}\" time=\"{:.3}\"/>\n",
                d.as_secs_f64()
            )),
            Outcome::Failed(d, e) => out.push_str(&format!(
                "  <testcase classname=\"{class}\" name=\"{test}\" time=\"{:.3}\"><failure message=\"{}\"/></testcase>\n",
                d.as_secs_f64(),
                xml_escape(e)
            )),
            Outcome::Skipped(why) => out.push_str(&format!(
                "  <testcase classname=\"{class}\" name=\"{test}\"><skipped message=\"{}\"/></testcase>\n",
                xml_escape(why)
            )),
        }
    }
    out.push_str("</testsuite>\n</testsuites>\n");
    out
}
