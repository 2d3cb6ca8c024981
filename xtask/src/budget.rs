//! Size budgets per page (`xtask/budget.toml`) and the pages they are
//! about: for each widget kind, the files a page with only that widget
//! downloads before its first render and the ones it loads later (lazy
//! parts); all four kinds on one page before their first render; and
//! everything, all four with every lazy part. Sizes in brotli bytes, the
//! encoding km-server sends to every browser that accepts it.

use crate::dist::FileSize;
use std::collections::BTreeMap;
use std::path::Path;

/// The key of the page with all four kinds (its budget counts what they
/// load before their first render).
pub(crate) const ALL: &str = "all";
/// The budget of the page with all four kinds and every lazy part.
pub(crate) const EVERYTHING: &str = "everything";
/// The section of `xtask/budget.toml` that holds the budgets.
const SECTION: &str = "page_brotli_bytes";

/// The files a page loads, by their served names.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    /// Before the widget's first render (the loader included).
    pub(crate) first: Vec<String>,
    /// Parts loaded on first use.
    pub(crate) lazy: Vec<String>,
}

/// What a page with only a widget of each kind loads, and the page with all
/// of them (key [`ALL`]). `shared`: the files every page loads (loader,
/// glue, split runtime, main module); `kinds`: each kind's chunk files;
/// `parts`: each part loaded on first use (`lazy_fn!` chunk name, whose
/// prefix is its widget's: `story_board_parts`) with the files it needs.
/// All by their served names. A file is in a page once: a part's chunk that
/// its widget already loaded is not lazy.
pub(crate) fn pages(
    shared: &[String],
    kinds: &[(String, Vec<String>)],
    parts: &[(String, Vec<String>)],
) -> BTreeMap<String, Page> {
    let mut out = BTreeMap::new();
    let mut all = Page::default();
    for (kind, chunks) in kinds {
        let mut page = Page::default();
        for f in shared.iter().chain(chunks) {
            add(&mut page.first, f);
        }
        let prefix = kind.replace('-', "_");
        for (_, files) in parts.iter().filter(|(p, _)| p.starts_with(&prefix)) {
            for f in files.iter().filter(|f| !page.first.contains(f)) {
                add(&mut page.lazy, f);
            }
        }
        for f in &page.first {
            add(&mut all.first, f);
        }
        out.insert(kind.clone(), page);
    }
    for (_, files) in parts {
        for f in files.iter().filter(|f| !all.first.contains(f)) {
            add(&mut all.lazy, f);
        }
    }
    out.insert(ALL.to_string(), all);
    out
}

fn add(list: &mut Vec<String>, f: &str) {
    if !list.iter().any(|x| x == f) {
        list.push(f.to_string());
    }
}

/// The brotli bytes each budget limits: a kind's page and [`ALL`] before
/// their first render, [`EVERYTHING`] with every lazy part.
pub(crate) fn measured(sizes: &crate::dist::PageSizes) -> BTreeMap<String, u64> {
    let mut out: BTreeMap<String, u64> = sizes
        .iter()
        .map(|(page, (first, _))| (page.clone(), first.2))
        .collect();
    if let Some((first, lazy)) = sizes.get(ALL) {
        out.insert(EVERYTHING.to_string(), first.2 + lazy.2);
    }
    out
}

/// Raw, gzip and brotli bytes of `files` together.
pub(crate) fn total(files: &[String], sizes: &[FileSize]) -> Result<(u64, u64, u64), String> {
    let mut t = (0, 0, 0);
    for f in files {
        let s = sizes
            .iter()
            .find(|s| &s.name == f)
            .ok_or_else(|| format!("{f} is in a page but not in dist/"))?;
        t = (t.0 + s.raw, t.1 + s.gzip, t.2 + s.brotli);
    }
    Ok(t)
}

/// Brotli budgets by page: each kind, [`ALL`] and [`EVERYTHING`].
pub(crate) type Budgets = BTreeMap<String, u64>;

/// Reads the `[page_brotli_bytes]` section of the budget file.
pub(crate) fn read(path: &Path) -> Result<Budgets, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse(text: &str) -> Result<Budgets, String> {
    let mut section = String::new();
    let mut out = Budgets::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.split('#').next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        if let Some(s) = l.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = s.trim().to_string();
            continue;
        }
        let Some((k, v)) = l.split_once('=') else {
            return Err(format!("line {}: expected `page = bytes`", i + 1));
        };
        if section != SECTION {
            return Err(format!(
                "line {}: `{}` outside [{SECTION}] (the single gzip budget was replaced by per-page brotli budgets)",
                i + 1,
                k.trim()
            ));
        }
        let v: u64 = v
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|_| format!("line {}: `{}` is not a number of bytes", i + 1, v.trim()))?;
        out.insert(k.trim().to_string(), v);
    }
    if out.is_empty() {
        return Err(format!("no budgets in [{SECTION}]"));
    }
    Ok(out)
}

/// The same budget for every page (`cargo xtask dist --budget BYTES`).
pub(crate) fn flat(bytes: u64, kinds: &[String]) -> Budgets {
    kinds
        .iter()
        .cloned()
        .chain([ALL.to_string(), EVERYTHING.to_string()])
        .map(|k| (k, bytes))
        .collect()
}

/// Checks every page's brotli bytes against its budget. Err names every
/// page over its budget (and pages without one); Ok lists pages well
/// under theirs, whose budget should come down.
pub(crate) fn check(
    measured: &BTreeMap<String, u64>,
    budgets: &Budgets,
) -> Result<Vec<String>, String> {
    let mut over = Vec::new();
    let mut slack = Vec::new();
    for (page, &bytes) in measured {
        match budgets.get(page) {
            None => over.push(format!("{page} has no budget in xtask/budget.toml")),
            Some(&b) if bytes > b => over.push(format!(
                "{page}: {bytes} bytes brotli, budget {b} ({} over)",
                bytes - b
            )),
            // More than 2% below: a budget only goes down, so take it down.
            Some(&b) if bytes + b / 50 < b => slack.push(format!(
                "{page}: {bytes} bytes brotli, budget {b}: lower the budget to at most {}",
                bytes.div_ceil(1024) * 1024
            )),
            Some(_) => {}
        }
    }
    for page in budgets.keys() {
        if !measured.contains_key(page) {
            over.push(format!(
                "budget for `{page}`, which is no page (a kind, `{ALL}` or `{EVERYTHING}`)"
            ));
        }
    }
    if over.is_empty() {
        Ok(slack)
    } else {
        Err(format!("size budget exceeded:\n  {}", over.join("\n  ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proc::root;

    fn one() -> Vec<String> {
        vec!["a".into()]
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_the_per_page_section() {
        let b = parse("# c\n[page_brotli_bytes]\na = 1_000 # x\nall = 2000\n").unwrap();
        assert_eq!(b["a"], 1000);
        assert_eq!(b[ALL], 2000);
        assert!(parse("gzip_bytes = 700\n").unwrap_err().contains("outside"));
        assert!(parse("[page_brotli_bytes]\na = lots\n").is_err());
        assert!(parse("# nothing\n").is_err());
    }

    #[test]
    fn a_page_over_its_budget_fails_and_says_by_how_much() {
        let measured: BTreeMap<String, u64> = [
            ("a".into(), 1100),
            (ALL.into(), 1500),
            (EVERYTHING.into(), 1500),
        ]
        .into();
        let e = check(&measured, &flat(1000, &one())).unwrap_err();
        assert!(
            e.contains("a: 1100 bytes brotli, budget 1000 (100 over)"),
            "{e}"
        );
        assert!(e.contains("all: 1500"), "{e}");
        assert!(e.contains("everything: 1500"), "{e}");
        assert!(check(&measured, &flat(1500, &one())).is_ok());
    }

    #[test]
    fn every_page_needs_a_budget_and_every_budget_a_page() {
        let measured: BTreeMap<String, u64> = [
            ("a".into(), 1),
            ("b".into(), 1),
            (ALL.into(), 1),
            (EVERYTHING.into(), 1),
        ]
        .into();
        let mut budgets = flat(1, &one());
        assert!(
            check(&measured, &budgets)
                .unwrap_err()
                .contains("b has no budget")
        );
        budgets.insert("b".into(), 1);
        budgets.insert("c".into(), 1);
        assert!(
            check(&measured, &budgets)
                .unwrap_err()
                .contains("`c`, which is no page")
        );
    }

    #[test]
    fn a_budget_far_above_the_measure_asks_to_come_down() {
        let measured: BTreeMap<String, u64> = [
            ("a".into(), 900),
            (ALL.into(), 2040),
            (EVERYTHING.into(), 2048),
        ]
        .into();
        let notes = check(&measured, &flat(2048, &one())).unwrap();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("a: 900 bytes brotli, budget 2048: lower the budget to at most 1024"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_page_loads_the_shared_files_its_chunks_and_later_its_parts() {
        let shared = names(&["km-widgets.js", "glue.h.js", "split.h.js", "main.h.wasm"]);
        let kinds = vec![
            (
                "story-board".to_string(),
                names(&["chunk_1.h.wasm", "split_story_board.h.wasm"]),
            ),
            (
                "ask-the-community".to_string(),
                names(&["chunk_1.h.wasm", "split_ask_the_community.h.wasm"]),
            ),
        ];
        let parts = vec![(
            "story_board_parts".to_string(),
            names(&[
                "chunk_1.h.wasm",
                "chunk_2.h.wasm",
                "split_story_board_parts.h.wasm",
            ]),
        )];
        let p = pages(&shared, &kinds, &parts);
        assert_eq!(p.len(), 3);
        let story = &p["story-board"];
        assert_eq!(story.first.len(), 6, "{story:?}");
        assert!(!story.first.iter().any(|f| f.contains("ask")));
        // The part's chunk_1 is on the page already: only the rest is lazy.
        assert_eq!(
            story.lazy,
            names(&["chunk_2.h.wasm", "split_story_board_parts.h.wasm"])
        );
        assert!(p["ask-the-community"].lazy.is_empty());
        // Both kinds on one page: each file once.
        assert_eq!(p[ALL].first.len(), 7, "{:?}", p[ALL]);
        assert_eq!(p[ALL].lazy, story.lazy);
    }

    #[test]
    fn all_counts_the_first_render_and_everything_the_lazy_parts_too() {
        let sizes: crate::dist::PageSizes = [
            ("a".to_string(), ((9, 9, 10), (9, 9, 5))),
            (ALL.to_string(), ((9, 9, 20), (9, 9, 7))),
        ]
        .into();
        let m = measured(&sizes);
        assert_eq!(m["a"], 10);
        assert_eq!(m[ALL], 20);
        assert_eq!(m[EVERYTHING], 27);
    }

    #[test]
    fn the_committed_budgets_cover_every_page_and_are_real_limits() {
        let budgets = read(&root().join("xtask/budget.toml")).unwrap();
        let pages = crate::dist::KINDS.iter().copied().chain([ALL, EVERYTHING]);
        for k in pages {
            let b = budgets
                .get(k)
                .copied()
                .unwrap_or_else(|| panic!("no budget for {k}"));
            // A typo that switched the check off (gigabytes) is caught here;
            // raising a budget is not allowed at all (see the file's history).
            assert!((50_000..=1_024_000).contains(&b), "budget of {k}: {b}");
            assert_eq!(b % 1024, 0, "budget of {k}: {b} is not whole KiB");
        }
        assert_eq!(budgets.len(), crate::dist::KINDS.len() + 2, "{budgets:?}");
    }
}
