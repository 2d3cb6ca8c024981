//! `cargo xtask test`: every test layer in order, continuing after a failure
//! where the next step does not depend on it, then a summary table and one
//! last line `summary: N passed, M failed`.

use crate::counts::{Counts, parse_cargo, parse_node};
use crate::postgres::Postgres;
use crate::proc::{cargo, free_port, root, run_captured};
use crate::server::{self, Server};
use crate::tools;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The wasm crates: linted for wasm32 and tested in headless Chromium.
const WASM_CRATES: [&str; 6] = [
    "km-widgets-core",
    "km-passion-match",
    "km-ask-the-community",
    "km-reflection-prompt",
    "km-story-board",
    "km-widgets",
];

/// The outcome of one step.
struct Step {
    name: &'static str,
    ok: bool,
    secs: f64,
    counts: Option<Counts>,
    note: String,
}

/// Runs every step and prints the summary; Err when any step failed.
pub(crate) fn run() -> Result<(), String> {
    let mut steps: Vec<Step> = Vec::new();
    let mut add = |name: &'static str, f: &mut dyn FnMut() -> Result<Option<Counts>, String>| {
        println!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        let secs = t.elapsed().as_secs_f64();
        let (ok, counts, note) = match r {
            Ok(c) => (c.is_none_or(|c| c.failed == 0), c, String::new()),
            Err(e) => {
                eprintln!("xtask test: {name}: {e}");
                (false, None, e)
            }
        };
        steps.push(Step {
            name,
            ok,
            secs,
            counts,
            note,
        });
        ok
    };

    add("fmt", &mut || {
        plain(
            cargo().args(["fmt", "--all", "--check"]),
            "cargo fmt --check",
        )
    });
    add("clippy (host)", &mut || {
        plain(
            cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
            "clippy found problems",
        )
    });
    let tools_ok = add("tools", &mut || tools::ensure_build_tools().map(|_| None));
    add("clippy (wasm32)", &mut || {
        let mut c = cargo();
        c.args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
        ]);
        for k in WASM_CRATES {
            c.args(["-p", k]);
        }
        plain(
            c.args(["--", "-D", "warnings"]),
            "clippy (wasm32) found problems",
        )
    });
    add("native tests (+PostgreSQL)", &mut || {
        let pg = Postgres::start()?;
        let mut c = cargo();
        c.args(["test", "--workspace"])
            .env("KM_TEST_POSTGRES_URL", &pg.url)
            .env("KM_REQUIRE_POSTGRES", "1");
        // Sign-in: a real OpenID provider for server/tests/sign_in.
        let idp = crate::oidc::OidcProvider::start(0, None)?;
        c.env("KM_TEST_OIDC_ISSUER", &idp.issuer)
            .env("KM_REQUIRE_OIDC", "1");
        let r = counted(&mut c, parse_cargo);
        drop(idp);
        drop(pg);
        r
    });
    add("schemathesis (OpenAPI)", &mut crate::schemathesis::run);
    add(
        "conformance from outside (SQLite, SQLite --anonymous-reads, PostgreSQL)",
        &mut crate::conformance::external,
    );
    add("wasm tests (Chromium)", &mut || {
        tools::ensure_browser()?;
        if !tools_ok {
            return Err("build tools missing (see the tools step)".into());
        }
        let mut c = cargo();
        c.args(["test", "--target", "wasm32-unknown-unknown"]);
        for k in WASM_CRATES {
            c.args(["-p", k]);
        }
        c.env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        counted(&mut c, parse_cargo)
    });
    let dist_built = {
        let mut built = false;
        add("dist (size budget)", &mut || {
            if !tools_ok {
                return Err("build tools missing (see the tools step)".into());
            }
            let r = crate::dist::run(None).map(|_| None);
            built = crate::dist::built(&root().join("dist"));
            r
        });
        built
    };
    add("browser e2e", &mut || {
        if !dist_built {
            return Err("no dist/ to test (the dist step failed)".into());
        }
        tools::ensure_browser()?;
        e2e()
    });

    print_summary(&steps)
}

/// Runs a command without test counts: Ok(None) on success.
fn plain(cmd: &mut Command, on_fail: &str) -> Result<Option<Counts>, String> {
    let (ok, _) = run_captured(cmd);
    if ok { Ok(None) } else { Err(on_fail.into()) }
}

/// Runs a test command and parses its counts; a failed run with no counted
/// failure (e.g. a compile error) is an error.
fn counted(cmd: &mut Command, parse: fn(&str) -> Counts) -> Result<Option<Counts>, String> {
    let (ok, out) = run_captured(cmd);
    let c = parse(&out);
    if !ok && c.failed == 0 {
        return Err(format!(
            "the test run failed before reporting failures ({} passed)",
            c.passed
        ));
    }
    Ok(Some(c))
}

/// `cargo xtask e2e`: the browser end-to-end tests alone, against the
/// `dist/` already built.
pub(crate) fn e2e_only() -> Result<(), String> {
    let c = e2e()?.unwrap_or_default();
    println!("e2e: {} passed, {} failed", c.passed, c.failed);
    if c.failed == 0 {
        Ok(())
    } else {
        Err("e2e tests failed".into())
    }
}

fn e2e() -> Result<Option<Counts>, String> {
    tools::ensure_node_modules()?;
    let tests = root().join("tests");
    let exe = server::build()?;
    let tmp = std::env::temp_dir().join(format!("km-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let db = format!("sqlite://{}/e2e.db?mode=rwc", tmp.display());
    let result = (|| {
        let www = e2e_pages(&tmp.join("www"))?;
        // Sign-in with a real OpenID provider (tests/e2e/sign-in.test.mjs);
        // pages that configure a token of their own never offer it.
        let idp = crate::oidc::OidcProvider::start(0, None)?;
        let port = free_port()?;
        let mut extra = server::oidc_args(&idp, &format!("http://127.0.0.1:{port}"));
        // The intranet of the iframe tests (tests/e2e/embed.test.mjs), which
        // serves itself on localhost: cross-site to this server's 127.0.0.1.
        extra.extend([
            "--frame-ancestors".to_owned(),
            "http://localhost:*".to_owned(),
        ]);
        let srv = Server::start(&exe, port, &db, &www, &extra)?;
        let mut files: Vec<String> = std::fs::read_dir(tests.join("e2e"))
            .map_err(|e| format!("tests/e2e: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".test.mjs"))
            .map(|n| format!("e2e/{n}"))
            .collect();
        files.sort();
        let mut c = Command::new("node");
        c.args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
            .args(&files)
            .current_dir(&tests)
            .env("KM_BASE_URL", &srv.base_url)
            // Tests that stop and start a server of their own (reflections).
            .env("KM_SERVER_EXE", &exe)
            .env("KM_E2E_DIST", root().join("dist"))
            .env("KM_E2E_WWW", &www);
        counted(&mut c, parse_node)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// The pages the e2e tests visit, in `dir`: the demo intranet of `www/`
/// and, under `/test/`, the fixture pages of `tests/pages/` (links, so
/// edits show without a copy).
pub(crate) fn e2e_pages(dir: &Path) -> Result<PathBuf, String> {
    let link = |from: &Path, to: &Path| {
        std::os::unix::fs::symlink(from, to).map_err(|e| format!("{}: {e}", to.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let www = root().join("www");
    for entry in std::fs::read_dir(&www).map_err(|e| format!("www: {e}"))? {
        let entry = entry.map_err(|e| format!("www: {e}"))?;
        link(&entry.path(), &dir.join(entry.file_name()))?;
    }
    let pages = root().join("tests/pages");
    if !pages.is_dir() {
        return Err("tests/pages (the e2e fixture pages) is missing".into());
    }
    link(&pages, &dir.join("test"))?;
    Ok(dir.to_path_buf())
}

fn print_summary(steps: &[Step]) -> Result<(), String> {
    let mut total = Counts::default();
    println!("\n| step | result | duration | passed | failed |");
    println!("|---|---|---:|---:|---:|");
    for s in steps {
        let (p, f) = match s.counts {
            Some(c) => {
                total += c;
                (c.passed.to_string(), c.failed.to_string())
            }
            None => ("-".into(), "-".into()),
        };
        let res = if s.ok { "ok" } else { "FAILED" };
        println!("| {} | {res} | {:.0}s | {p} | {f} |", s.name, s.secs);
    }
    let failed_steps: Vec<String> = steps
        .iter()
        .filter(|s| !s.ok)
        .map(|s| {
            if s.note.is_empty() {
                s.name.to_string()
            } else {
                format!("{} ({})", s.name, s.note.lines().next().unwrap_or(""))
            }
        })
        .collect();
    if !failed_steps.is_empty() {
        println!("\nfailed steps: {}", failed_steps.join("; "));
    }
    println!("summary: {} passed, {} failed", total.passed, total.failed);
    if failed_steps.is_empty() {
        Ok(())
    } else {
        // Already reported above; the summary line stays the last line.
        Err(String::new())
    }
}
