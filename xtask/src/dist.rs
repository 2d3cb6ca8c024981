//! `cargo xtask dist`: builds the split bundle into `dist/`, measures every
//! file (raw, gzip -9, brotli, SRI sha384), writes `dist/manifest.json` with
//! what a page of each widget kind downloads before that widget's first
//! render, and checks the largest such page against the gzip budget of
//! `xtask/budget.toml`.
//!
//! The pipeline (the one cargo-leptos runs for `--split`): build with
//! `--features split` and `-C link-args=--emit-relocs`; cut the linked wasm
//! into the main module and one chunk per `lazy_fn!` chunk (plus chunks of
//! code two of them share) with `wasm_split_cli_support`, pinned beside
//! wasm-bindgen 0.2.130; wasm-bindgen on the main module; wasm-opt on every
//! wasm file; the loader gets the list of chunks each kind needs.

use crate::proc::{cargo, root, target_dir};
use base64::Engine as _;
use sha2::{Digest, Sha384};
use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

/// The loader, the wasm-bindgen glue and the split's link module (the
/// functions the main module calls to fetch a chunk): every page loads them.
const LOADER: &str = "km-widgets.js";
const GLUE: &str = "km_widgets.js";
const LINK: &str = "km_widgets_split.js";
const MAIN_WASM: &str = "km_widgets_bg.wasm";
/// Copied beside the bundle; not loaded by browsers, not measured in pages.
const TYPES: &str = "km-widgets.d.ts";
/// The kinds, in the loader's order; each is the chunk (`lazy_fn!` name)
/// of the same name with `_` for `-`.
const KINDS: [&str; 4] = [
    "passion-match",
    "ask-the-community",
    "reflection-prompt",
    "story-board",
];
/// The markers around the loader's asset map, which `dist` fills with the
/// files each kind needs before its first render.
const MARK_START: &str = "/*km-assets*/";
const MARK_END: &str = "/*km-assets-end*/";
/// The wasm features rustc 1.95 emits, spelled out for wasm-opt.
const WASM_OPT_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];
/// The flags of the split build. Setting RUSTFLAGS replaces the
/// `[target.wasm32-unknown-unknown] rustflags` of `.cargo/config.toml`, so
/// its `--cfg erase_components` is repeated here; `--emit-relocs` keeps the
/// relocations the splitter needs to move code and data between modules.
const SPLIT_RUSTFLAGS: &str = "--cfg erase_components -C link-args=--emit-relocs";

/// Sizes of one file in `dist/`.
#[derive(Debug, Clone)]
pub(crate) struct FileSize {
    pub(crate) name: String,
    pub(crate) raw: u64,
    pub(crate) gzip: u64,
    pub(crate) brotli: u64,
    pub(crate) sri: String,
}

/// The files of one page (or one part) and their summed sizes.
#[derive(Debug, Clone, PartialEq)]
struct Set {
    files: Vec<String>,
    raw: u64,
    gzip: u64,
    brotli: u64,
}

/// Builds `dist/`; `budget_override` replaces the budget of `xtask/budget.toml`.
pub(crate) fn run(budget_override: Option<u64>) -> Result<Vec<FileSize>, String> {
    let budget = match budget_override {
        Some(b) => b,
        None => read_budget(&root().join("xtask/budget.toml"))?,
    };
    let dist = root().join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    remove_old_outputs(&dist)?;

    step(
        cargo()
            .args([
                "build",
                "--release",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "km-widgets",
                "--features",
                "split",
            ])
            .env("RUSTFLAGS", SPLIT_RUSTFLAGS),
        "cargo build --release --target wasm32-unknown-unknown -p km-widgets --features split",
    )?;
    let release = target_dir().join("wasm32-unknown-unknown/release");
    let linked = release.join("km_widgets.wasm");
    let main_in = release.join("km_widgets_main.wasm");
    let prefetch = split(&linked, &main_in, &dist)?;
    step(
        Command::new("wasm-bindgen")
            .arg("--target")
            .arg("web")
            .args(["--out-name", "km_widgets", "--remove-name-section"])
            // The chunks call into the main module through the exports the
            // linker made; wasm-bindgen would drop them otherwise.
            .arg("--keep-lld-exports")
            .arg("--out-dir")
            .arg(&dist)
            .arg(&main_in),
        "wasm-bindgen",
    )?;
    let mut wasm_files = vec![MAIN_WASM.to_string()];
    wasm_files.extend(chunk_files(&dist)?);
    for name in &wasm_files {
        let wasm = dist.join(name);
        step(
            Command::new(crate::tools::wasm_opt())
                .arg("-Oz")
                .args(WASM_OPT_FEATURES)
                .arg(&wasm)
                .arg("-o")
                .arg(&wasm),
            &format!("wasm-opt -Oz {name}"),
        )?;
    }
    let chunks = kind_chunks(&prefetch)?;
    let loader = std::fs::read_to_string(root().join("src/js").join(LOADER))
        .map_err(|e| format!("src/js/{LOADER}: {e}"))?;
    std::fs::write(dist.join(LOADER), fill_loader(&loader, &chunks)?)
        .map_err(|e| format!("{LOADER}: {e}"))?;
    std::fs::copy(root().join("src/js").join(TYPES), dist.join(TYPES))
        .map_err(|e| format!("copy {TYPES}: {e}"))?;

    let mut names = vec![
        LOADER.to_string(),
        TYPES.to_string(),
        GLUE.to_string(),
        LINK.to_string(),
    ];
    names.extend(wasm_files);
    let mut sizes = Vec::new();
    for name in &names {
        let bytes = std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"))?;
        sizes.push(measure(name, &bytes));
    }
    let pages = pages(&sizes, &chunks);
    let parts = parts(&sizes, &prefetch, &chunks);
    let everything = total(&sizes);
    let manifest = manifest_json(&sizes, &pages, &parts, &everything, budget);
    std::fs::write(
        dist.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
    )
    .map_err(|e| format!("manifest.json: {e}"))?;
    print_table(&sizes, &pages, &parts, &everything, budget);
    check_budget(largest_page(&pages), budget)?;
    Ok(sizes)
}

/// Removes the wasm files, glue and link module of an earlier build: chunk
/// numbers change between builds, and a stale chunk would be measured.
fn remove_old_outputs(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".wasm")
            || name.starts_with("km_widgets")
            || name.starts_with("__wasm_split");
        if ours && entry.path().is_file() {
            std::fs::remove_file(entry.path()).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    Ok(())
}

/// Cuts `linked` into `main_out` (for wasm-bindgen) and chunks in `dist`,
/// plus the link module; returns, for each `lazy_fn!` chunk name, the file
/// stems it needs (chunks of shared code first, then its own).
fn split(
    linked: &Path,
    main_out: &Path,
    dist: &Path,
) -> Result<HashMap<String, Vec<String>>, String> {
    println!("xtask dist: wasm-split");
    let started = std::time::Instant::now();
    let input = std::fs::read(linked).map_err(|e| format!("{}: {e}", linked.display()))?;
    let link_name = format!("./{LINK}");
    let main_module = format!("./{GLUE}");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = dist;
    opts.main_out_path = main_out;
    opts.link_name = &link_name;
    opts.main_module = &main_module;
    let out = wasm_split_cli_support::transform(opts).map_err(|e| format!("wasm-split: {e:?}"))?;
    println!(
        "xtask dist: wasm-split made {} chunks in {:.1} s",
        out.split_modules.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(out.prefetch_map)
}

/// The chunk files in `dist`, sorted.
fn chunk_files(dist: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wasm") && n != MAIN_WASM)
        .collect();
    names.sort();
    Ok(names)
}

/// Each kind's chunk files (`split_story_board.wasm` and the shared chunks
/// it needs), in the loader's order of kinds. A kind without a chunk means
/// its `lazy_fn!` was renamed or lost: an error, not a silent one-module page.
fn kind_chunks(
    prefetch: &HashMap<String, Vec<String>>,
) -> Result<Vec<(String, Vec<String>)>, String> {
    KINDS
        .iter()
        .map(|kind| {
            let name = kind.replace('-', "_");
            let stems = prefetch.get(&name).filter(|s| !s.is_empty()).ok_or_else(|| {
                format!("wasm-split made no chunk `{name}` for {kind} (its lazy_fn! in widgets/{kind}/src/lib.rs)")
            })?;
            Ok((kind.to_string(), stems.iter().map(|s| format!("{s}.wasm")).collect()))
        })
        .collect()
}

/// The loader with its asset map filled in: per kind, every file a page of
/// that kind needs before its first render (glue, link module, main module,
/// the kind's chunks), so the loader starts them all at once.
fn fill_loader(loader: &str, chunks: &[(String, Vec<String>)]) -> Result<String, String> {
    let (Some(start), Some(end)) = (loader.find(MARK_START), loader.find(MARK_END)) else {
        return Err(format!(
            "src/js/{LOADER} needs an asset map `{MARK_START} … {MARK_END}`"
        ));
    };
    let kinds: serde_json::Map<String, serde_json::Value> = chunks
        .iter()
        .map(|(k, files)| {
            let mut all: Vec<String> = [GLUE, LINK, MAIN_WASM].map(String::from).to_vec();
            all.extend(files.iter().cloned());
            (k.clone(), serde_json::json!(all))
        })
        .collect();
    let map = serde_json::json!({ "files": {}, "kinds": kinds });
    Ok(format!(
        "{}{MARK_START} {map} {}",
        &loader[..start],
        &loader[end..]
    ))
}

/// The summed sizes of `files`.
fn set_of(sizes: &[FileSize], files: Vec<String>) -> Set {
    let mut set = Set {
        files,
        raw: 0,
        gzip: 0,
        brotli: 0,
    };
    for s in sizes.iter().filter(|s| set.files.contains(&s.name)) {
        set.raw += s.raw;
        set.gzip += s.gzip;
        set.brotli += s.brotli;
    }
    set
}

/// What a page with only one kind downloads before that widget's first
/// render: loader, glue, link module, main module, the kind's chunks.
fn pages(sizes: &[FileSize], chunks: &[(String, Vec<String>)]) -> Vec<(String, Set)> {
    chunks
        .iter()
        .map(|(kind, files)| {
            let mut all: Vec<String> = [LOADER, GLUE, LINK, MAIN_WASM].map(String::from).to_vec();
            all.extend(files.iter().cloned());
            (kind.clone(), set_of(sizes, all))
        })
        .collect()
}

/// The parts loaded on first use (every chunk name that is not a kind):
/// the files they add to a page of their widget.
fn parts(
    sizes: &[FileSize],
    prefetch: &HashMap<String, Vec<String>>,
    chunks: &[(String, Vec<String>)],
) -> Vec<(String, Set)> {
    let sorted: BTreeMap<&String, &Vec<String>> = prefetch.iter().collect();
    sorted
        .into_iter()
        .filter(|(name, _)| !KINDS.iter().any(|k| k.replace('-', "_") == **name))
        .map(|(name, stems)| {
            // The widget's own chunks are already on the page.
            let owner = chunks
                .iter()
                .find(|(k, _)| name.starts_with(&k.replace('-', "_")))
                .map(|(_, f)| f.clone())
                .unwrap_or_default();
            let files = stems
                .iter()
                .map(|s| format!("{s}.wasm"))
                .filter(|f| !owner.contains(f))
                .collect();
            (name.clone(), set_of(sizes, files))
        })
        .collect()
}

/// The gzip bytes of the heaviest page of one widget: what the budget
/// limits (a page with several kinds downloads more; `dist/manifest.json`
/// has them all).
fn largest_page(pages: &[(String, Set)]) -> u64 {
    pages.iter().map(|(_, s)| s.gzip).max().unwrap_or(0)
}

/// Every file a browser may load (all but the type declarations).
fn total(sizes: &[FileSize]) -> Set {
    let files = sizes
        .iter()
        .map(|s| s.name.clone())
        .filter(|n| n != TYPES)
        .collect();
    set_of(sizes, files)
}

fn step(cmd: &mut Command, what: &str) -> Result<(), String> {
    println!("xtask dist: {what}");
    match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{what} failed ({s})")),
        Err(e) => Err(format!("{what} could not start: {e}")),
    }
}

/// Reads `gzip_bytes = N` from the budget file.
pub(crate) fn read_budget(path: &Path) -> Result<u64, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_budget(&text).ok_or_else(|| format!("{}: no `gzip_bytes = N` line", path.display()))
}

fn parse_budget(text: &str) -> Option<u64> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "gzip_bytes")
                .then(|| v.trim().replace('_', "").parse().ok())
                .flatten()
        })
}

/// Fails when `total` (the gzip bytes a page of one widget downloads
/// before its first render, the largest of the four) exceeds `budget`.
pub(crate) fn check_budget(total: u64, budget: u64) -> Result<(), String> {
    if total <= budget {
        Ok(())
    } else {
        Err(format!(
            "size budget exceeded: a page of one widget downloads {total} bytes gzip before its first render, budget {budget} bytes ({} over)",
            total - budget
        ))
    }
}

/// Raw, gzip -9 and brotli (quality 11) sizes plus the SRI hash of `bytes`.
pub(crate) fn measure(name: &str, bytes: &[u8]) -> FileSize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = gz.write_all(bytes);
    let gzip = gz.finish().map(|v| v.len() as u64).unwrap_or(0);
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        let _ = w.write_all(bytes);
    }
    let sri = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    );
    FileSize {
        name: name.to_string(),
        raw: bytes.len() as u64,
        gzip,
        brotli: br.len() as u64,
        sri,
    }
}

fn set_json(set: &Set) -> serde_json::Value {
    serde_json::json!({
        "files": set.files, "raw": set.raw, "gzip": set.gzip, "brotli": set.brotli
    })
}

fn manifest_json(
    sizes: &[FileSize],
    pages: &[(String, Set)],
    parts: &[(String, Set)],
    everything: &Set,
    budget: u64,
) -> serde_json::Value {
    let files: serde_json::Map<String, serde_json::Value> = sizes
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                serde_json::json!({
                    "raw": s.raw, "gzip": s.gzip, "brotli": s.brotli, "integrity": s.sri
                }),
            )
        })
        .collect();
    let named = |sets: &[(String, Set)]| -> serde_json::Map<String, serde_json::Value> {
        sets.iter().map(|(n, s)| (n.clone(), set_json(s))).collect()
    };
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "files": files,
        // Per widget kind: what a page with only that widget downloads
        // before the widget's first render.
        "widgets": named(pages),
        // Parts loaded on first use: what each adds to its widget's page.
        "parts": named(parts),
        "total": set_json(everything),
        "budget": {
            "limits": "the gzip bytes of the largest page of one widget before its first render",
            "gzip_total": largest_page(pages),
            "gzip_budget": budget,
            "within_budget": largest_page(pages) <= budget,
        }
    })
}

fn print_table(
    sizes: &[FileSize],
    pages: &[(String, Set)],
    parts: &[(String, Set)],
    everything: &Set,
    budget: u64,
) {
    println!();
    println!("| file | raw | gzip -9 | brotli |");
    println!("|---|---:|---:|---:|");
    for s in sizes {
        println!(
            "| `{}` | {} | {} | {} |",
            s.name,
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
    }
    println!();
    println!("| before the first render of | files | raw | gzip -9 | brotli |");
    println!("|---|---:|---:|---:|---:|");
    for (kind, set) in pages {
        println!(
            "| {kind} | {} | {} | {} | {} |",
            set.files.len(),
            kb(set.raw),
            kb(set.gzip),
            kb(set.brotli)
        );
    }
    for (part, set) in parts {
        println!(
            "| + part {part} | {} | {} | {} | {} |",
            set.files.len(),
            kb(set.raw),
            kb(set.gzip),
            kb(set.brotli)
        );
    }
    println!(
        "| everything | {} | {} | {} | {} |",
        everything.files.len(),
        kb(everything.raw),
        kb(everything.gzip),
        kb(everything.brotli)
    );
    println!(
        "\nbudget: the largest page of one widget, {} gzip of {}",
        kb(largest_page(pages)),
        kb(budget)
    );
    println!();
}

fn kb(n: u64) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_passes_at_and_below_the_limit() {
        assert!(check_budget(256_000, 256_000).is_ok());
        assert!(check_budget(1, 256_000).is_ok());
    }

    #[test]
    fn budget_fails_above_the_limit_and_says_by_how_much() {
        let e = check_budget(256_100, 256_000).unwrap_err();
        assert!(e.contains("100 over"), "{e}");
    }

    #[test]
    fn reads_the_budget_file() {
        let text = "# comment\ngzip_bytes = 256_000 # 250 KB\n";
        assert_eq!(parse_budget(text), Some(256_000));
        assert_eq!(parse_budget("other = 3"), None);
    }

    #[test]
    fn the_committed_budget_parses_and_is_a_real_limit() {
        // Raising it needs a line in its history; this catches a typo that
        // would switch the check off (a budget of gigabytes).
        let budget = read_budget(&root().join("xtask/budget.toml")).unwrap();
        assert!((100_000..=1_024_000).contains(&budget), "budget {budget}");
    }

    fn sized(names: &[&str]) -> Vec<FileSize> {
        names.iter().map(|n| measure(n, &[b'a'; 1000])).collect()
    }

    #[test]
    fn a_page_counts_loader_glue_link_main_and_its_own_chunks() {
        let sizes = sized(&[
            LOADER,
            TYPES,
            GLUE,
            LINK,
            MAIN_WASM,
            "chunk_1.wasm",
            "split_story_board.wasm",
            "split_ask_the_community.wasm",
        ]);
        let one = sizes[0].gzip;
        let chunks = vec![(
            "story-board".to_string(),
            vec![
                "chunk_1.wasm".to_string(),
                "split_story_board.wasm".to_string(),
            ],
        )];
        let pages = pages(&sizes, &chunks);
        assert_eq!(largest_page(&pages), 6 * one);
        assert_eq!(pages[0].1.files.len(), 6);
        assert_eq!(pages[0].1.gzip, 6 * one);
        assert!(
            !pages[0]
                .1
                .files
                .contains(&"split_ask_the_community.wasm".to_string())
        );
        // Everything but the type declarations.
        assert_eq!(total(&sizes).gzip, 7 * one);
        assert!(sizes[0].sri.starts_with("sha384-"));
        assert!(sizes[0].gzip < 1000 && sizes[0].brotli < 1000);
    }

    #[test]
    fn a_part_adds_only_the_files_its_widget_has_not_loaded() {
        let sizes = sized(&[
            "chunk_1.wasm",
            "chunk_2.wasm",
            "split_story_board_form.wasm",
        ]);
        let prefetch = HashMap::from([
            (
                "story_board".to_string(),
                vec!["chunk_1".to_string(), "split_story_board".to_string()],
            ),
            (
                "story_board_form".to_string(),
                vec![
                    "chunk_1".to_string(),
                    "chunk_2".to_string(),
                    "split_story_board_form".to_string(),
                ],
            ),
        ]);
        let chunks = vec![(
            "story-board".to_string(),
            vec![
                "chunk_1.wasm".to_string(),
                "split_story_board.wasm".to_string(),
            ],
        )];
        let parts = parts(&sizes, &prefetch, &chunks);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].0, "story_board_form");
        assert_eq!(
            parts[0].1.files,
            ["chunk_2.wasm", "split_story_board_form.wasm"]
        );
    }

    #[test]
    fn every_kind_needs_its_chunk() {
        let mut prefetch: HashMap<String, Vec<String>> = KINDS
            .iter()
            .map(|k| {
                (
                    k.replace('-', "_"),
                    vec![format!("split_{}", k.replace('-', "_"))],
                )
            })
            .collect();
        let chunks = kind_chunks(&prefetch).unwrap();
        assert_eq!(
            chunks[3],
            (
                "story-board".to_string(),
                vec!["split_story_board.wasm".to_string()]
            )
        );
        prefetch.remove("passion_match");
        let e = kind_chunks(&prefetch).unwrap_err();
        assert!(e.contains("passion_match"), "{e}");
    }

    #[test]
    fn the_loader_gets_its_chunks_once() {
        let chunks = vec![(
            "story-board".to_string(),
            vec!["split_story_board.wasm".to_string()],
        )];
        let filled = fill_loader(
            "a\nconst A = /*km-assets*/ {} /*km-assets-end*/;\nb",
            &chunks,
        )
        .unwrap();
        assert_eq!(
            filled,
            "a\nconst A = /*km-assets*/ {\"files\":{},\"kinds\":{\"story-board\":[\"km_widgets.js\",\"km_widgets_split.js\",\"km_widgets_bg.wasm\",\"split_story_board.wasm\"]}} /*km-assets-end*/;\nb"
        );
        assert!(fill_loader("no line", &chunks).is_err());
        let real = std::fs::read_to_string(root().join("src/js").join(LOADER)).unwrap();
        assert!(
            fill_loader(&real, &chunks).is_ok(),
            "src/js/{LOADER} lost its asset map"
        );
    }
}
