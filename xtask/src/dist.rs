//! `cargo xtask dist`: builds the split bundle into `dist/`, then (`assets`)
//! gives every file but the loader a content hash in its name, fills the
//! loader's asset map, writes brotli and gzip copies, measures every file
//! (raw, gzip -9, brotli, SRI sha384), writes `dist/manifest.json` with the
//! files each page needs, and checks the per-page brotli budgets of
//! `xtask/budget.toml` (`budget`).
//!
//! The build (the pipeline cargo-leptos runs for `--split`): build with
//! `--features split` and `-C link-args=--emit-relocs`; cut the linked wasm
//! into the main module and one chunk per `lazy_fn!` chunk (plus chunks of
//! code two of them share) with `wasm_split_cli_support`, pinned beside
//! wasm-bindgen 0.2.130; wasm-bindgen on the main module; wasm-opt on every
//! wasm file. What the splitter says each chunk needs gives the pages.

use crate::assets;
use crate::budget::{self, Budgets, Page};
use crate::proc::{cargo, root, target_dir};
use base64::Engine as _;
use sha2::{Digest, Sha384};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

/// The wasm-bindgen glue, the split's link module (the split runtime: the
/// functions the main module calls to fetch a chunk) and the main module,
/// as built: every page loads them.
const GLUE: &str = "km_widgets.js";
const LINK: &str = "km_widgets_split.js";
const MAIN_WASM: &str = "km_widgets_bg.wasm";
/// Copied beside the bundle; not loaded by browsers, not measured in pages.
const TYPES: &str = "km-widgets.d.ts";
/// The kinds, in the loader's order; each is the chunk (`lazy_fn!` name)
/// of the same name with `_` for `-`.
pub(crate) const KINDS: [&str; 4] = [
    "passion-match",
    "ask-the-community",
    "reflection-prompt",
    "story-board",
];
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

/// What the splitter says: per `lazy_fn!` chunk name, the wasm files (as
/// built) it needs, shared chunks first.
type Chunks = BTreeMap<String, Vec<String>>;

/// Builds `dist/`; `budget_override` replaces every budget of
/// `xtask/budget.toml` (`--budget BYTES`, to see the check fail).
pub(crate) fn run(budget_override: Option<u64>) -> Result<Vec<FileSize>, String> {
    let dist = root().join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let previous = previous_build(&dist);
    // Chunk numbers change between builds: a stale unhashed chunk would be
    // hashed and measured with this build's.
    assets::clear_build_outputs(&dist)?;
    let budgets = budget_override.map(|b| budget::flat(b, &KINDS.map(String::from)));

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
    let chunks = split(&linked, &main_in, &dist)?;
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
    for f in [assets::LOADER, TYPES] {
        std::fs::copy(root().join("src/js").join(f), dist.join(f))
            .map_err(|e| format!("copy {f}: {e}"))?;
    }

    finish(&dist, &chunks, budgets, &previous)
}

/// What dist does once the build wrote its files: hashed names, the
/// loader's asset map, compressed copies, pruning, the manifest, budgets.
fn finish(
    dist: &Path,
    chunks: &Chunks,
    budgets: Option<Budgets>,
    previous: &BTreeSet<String>,
) -> Result<Vec<FileSize>, String> {
    let kinds = kind_chunks(chunks)?;
    let renamed = assets::hash_names(dist)?;
    let served = |f: &String| renamed.get(f).cloned().unwrap_or_else(|| f.clone());
    let shared: Vec<String> = [assets::LOADER, GLUE, LINK, MAIN_WASM]
        .map(|f| served(&f.to_string()))
        .to_vec();
    let kinds: Vec<(String, Vec<String>)> = kinds
        .into_iter()
        .map(|(k, files)| (k, files.iter().map(served).collect()))
        .collect();
    let parts: Vec<(String, Vec<String>)> = parts(chunks)
        .into_iter()
        .map(|(p, files)| (p, files.iter().map(served).collect()))
        .collect();
    let pages = budget::pages(&shared, &kinds, &parts);
    assets::fill_loader(dist, &loader_map(&renamed, &pages))?;
    let current: BTreeSet<String> = renamed.values().cloned().collect();
    let pruned = assets::prune(dist, &current, previous)?;
    if !pruned.is_empty() {
        println!("xtask dist: removed {} files of older builds", pruned.len());
    }
    let mut sizes = Vec::new();
    for name in assets::build_files(dist, &current)? {
        if name != assets::MANIFEST {
            sizes.push(assets::compress_file(dist, &name)?);
        }
    }
    let mut page_sizes = PageSizes::new();
    for (page, files) in &pages {
        let first = budget::total(&files.first, &sizes)?;
        let lazy = budget::total(&files.lazy, &sizes)?;
        page_sizes.insert(page.clone(), (first, lazy));
    }
    // What each part adds to its widget's page.
    let parts: Vec<(String, Vec<String>)> = parts
        .into_iter()
        .map(|(part, files)| {
            let owner = pages.iter().find(|(k, _)| {
                KINDS.contains(&k.as_str()) && part.starts_with(&k.replace('-', "_"))
            });
            let adds = files
                .into_iter()
                .filter(|f| owner.is_none_or(|(_, p)| !p.first.contains(f)))
                .collect();
            (part, adds)
        })
        .collect();
    let mut part_sizes = Vec::new();
    for (part, files) in &parts {
        part_sizes.push((part.clone(), budget::total(files, &sizes)?));
    }
    let measured = budget::measured(&page_sizes);
    let budgets = match budgets {
        Some(b) => b,
        None => budget::read(&root().join("xtask/budget.toml"))?,
    };
    let verdict = budget::check(&measured, &budgets);
    let manifest = manifest_json(&Manifest {
        sizes: &sizes,
        renamed: &renamed,
        pages: &pages,
        page_sizes: &page_sizes,
        parts: &parts,
        part_sizes: &part_sizes,
        budgets: &budgets,
        within: verdict.is_ok(),
    });
    std::fs::write(
        dist.join(assets::MANIFEST),
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
    )
    .map_err(|e| format!("{}: {e}", assets::MANIFEST))?;
    assets::compress_file(dist, assets::MANIFEST)?;
    print_table(&sizes, &pages, &page_sizes, &part_sizes, &budgets);
    for note in verdict.as_ref().map(|n| n.as_slice()).unwrap_or_default() {
        println!("xtask dist: note: {note}");
    }
    verdict.map(|_| sizes)
}

/// Cuts `linked` into `main_out` (for wasm-bindgen) and chunks in `dist`,
/// plus the link module; returns, for each `lazy_fn!` chunk name, the wasm
/// files it needs (chunks of shared code first, then its own).
fn split(linked: &Path, main_out: &Path, dist: &Path) -> Result<Chunks, String> {
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
    Ok(as_files(out.prefetch_map))
}

/// The splitter's file stems as file names.
fn as_files(prefetch: HashMap<String, Vec<String>>) -> Chunks {
    prefetch
        .into_iter()
        .map(|(name, stems)| (name, stems.iter().map(|s| format!("{s}.wasm")).collect()))
        .collect()
}

/// This build's chunk files in `dist` (not the hashed ones of the build
/// before), sorted.
fn chunk_files(dist: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wasm") && n != MAIN_WASM && !assets::is_hashed(n))
        .collect();
    names.sort();
    Ok(names)
}

/// Each kind's chunk files (`split_story_board.wasm` and the shared chunks
/// it needs), in the loader's order of kinds. A kind without a chunk means
/// its `lazy_fn!` was renamed or lost: an error, not a silent one-module page.
fn kind_chunks(chunks: &Chunks) -> Result<Vec<(String, Vec<String>)>, String> {
    KINDS
        .iter()
        .map(|kind| {
            let name = kind.replace('-', "_");
            let files = chunks.get(&name).filter(|s| !s.is_empty()).ok_or_else(|| {
                format!("wasm-split made no chunk `{name}` for {kind} (its lazy_fn! in widgets/{kind}/src/lib.rs)")
            })?;
            Ok((kind.to_string(), files.clone()))
        })
        .collect()
}

/// The parts loaded on first use (every chunk name that is not a kind),
/// each with the files it needs, by name.
fn parts(chunks: &Chunks) -> Vec<(String, Vec<String>)> {
    chunks
        .iter()
        .filter(|(name, _)| !KINDS.iter().any(|k| k.replace('-', "_") == **name))
        .map(|(name, files)| (name.clone(), files.clone()))
        .collect()
}

/// Whether `dist/` holds a built bundle: a manifest whose files all exist
/// (also after a build over its budget, which still writes them).
pub(crate) fn built(dist: &Path) -> bool {
    let Some(m) = std::fs::read_to_string(dist.join(assets::MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    else {
        return false;
    };
    let files: Vec<&String> = m
        .get("files")
        .and_then(|f| f.as_object())
        .map(|f| f.keys().collect())
        .unwrap_or_default();
    !files.is_empty() && files.iter().all(|f| dist.join(f).is_file())
}

/// The hashed names of the build before (from its manifest), kept one more
/// build: pages that loaded its loader may still ask for them.
fn previous_build(dist: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dist.join(assets::MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|m| {
            m.get("files")
                .and_then(|f| f.as_object())
                .map(|f| f.keys().filter(|k| assets::is_hashed(k)).cloned().collect())
        })
        .unwrap_or_default()
}

/// What the loader needs: the served names of the files it imports itself
/// (glue and main module: the split runtime names the chunks), and per kind
/// the files to start downloading as soon as such a widget is on the page
/// (everything before its first render but the loader itself). Every page
/// loads the loader: no more names than it uses.
fn loader_map(
    renamed: &BTreeMap<String, String>,
    pages: &BTreeMap<String, Page>,
) -> serde_json::Value {
    let files: BTreeMap<&String, &String> = renamed
        .iter()
        .filter(|(built, _)| [GLUE, MAIN_WASM].contains(&built.as_str()))
        .collect();
    let kinds: serde_json::Map<String, serde_json::Value> = pages
        .iter()
        .filter(|(k, _)| KINDS.contains(&k.as_str()))
        .map(|(k, p)| {
            let files: Vec<&String> = p.first.iter().filter(|f| *f != assets::LOADER).collect();
            (k.clone(), serde_json::json!(files))
        })
        .collect();
    serde_json::json!({ "files": files, "kinds": kinds })
}

fn step(cmd: &mut Command, what: &str) -> Result<(), String> {
    println!("xtask dist: {what}");
    match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{what} failed ({s})")),
        Err(e) => Err(format!("{what} could not start: {e}")),
    }
}

/// The SRI hash (`sha384-…`) of `bytes`.
pub(crate) fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

fn size_json(t: (u64, u64, u64)) -> serde_json::Value {
    serde_json::json!({ "raw": t.0, "gzip": t.1, "brotli": t.2 })
}

/// Per page: raw, gzip and brotli bytes before the first render and later.
pub(crate) type PageSizes = BTreeMap<String, ((u64, u64, u64), (u64, u64, u64))>;

/// Everything the manifest is made of.
struct Manifest<'a> {
    sizes: &'a [FileSize],
    renamed: &'a BTreeMap<String, String>,
    pages: &'a BTreeMap<String, Page>,
    page_sizes: &'a PageSizes,
    parts: &'a [(String, Vec<String>)],
    part_sizes: &'a [(String, (u64, u64, u64))],
    budgets: &'a Budgets,
    within: bool,
}

fn manifest_json(m: &Manifest<'_>) -> serde_json::Value {
    let files: serde_json::Map<String, serde_json::Value> = m
        .sizes
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
    let page = |k: &str| {
        let (p, (first, lazy)) = (&m.pages[k], m.page_sizes[k]);
        serde_json::json!({
            "first_render": { "files": p.first, "bytes": size_json(first) },
            "lazy": { "files": p.lazy, "bytes": size_json(lazy) },
            "budget_brotli": m.budgets.get(k),
        })
    };
    let kinds: serde_json::Map<String, serde_json::Value> =
        KINDS.iter().map(|k| (k.to_string(), page(k))).collect();
    let parts: serde_json::Map<String, serde_json::Value> = m
        .parts
        .iter()
        .zip(m.part_sizes)
        .map(|((name, files), (_, bytes))| {
            (
                name.clone(),
                serde_json::json!({ "files": files, "bytes": size_json(*bytes) }),
            )
        })
        .collect();
    let all = &m.pages[budget::ALL];
    let (first, lazy) = m.page_sizes[budget::ALL];
    let everything: Vec<&String> = all.first.iter().chain(&all.lazy).collect();
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "files": files,
        // Name as built -> name served (with its content hash).
        "assets": m.renamed,
        // Per widget kind: what a page with only that widget downloads
        // before the widget's first render, and its parts loaded on first use.
        "kinds": kinds,
        // A page with all four kinds.
        "all": page(budget::ALL),
        // Each part loaded on first use: what it adds to its widget's page.
        "parts": parts,
        // All four kinds and every lazy part: every file a page may load.
        "everything": {
            "files": everything,
            "bytes": size_json((first.0 + lazy.0, first.1 + lazy.1, first.2 + lazy.2)),
            "budget_brotli": m.budgets.get(budget::EVERYTHING),
        },
        "within_budget": m.within,
    })
}

fn print_table(
    sizes: &[FileSize],
    pages: &BTreeMap<String, Page>,
    page_sizes: &PageSizes,
    part_sizes: &[(String, (u64, u64, u64))],
    budgets: &Budgets,
) {
    println!();
    println!("| file | raw | gzip -9 | brotli |");
    println!("|---|---:|---:|---:|");
    for s in sizes {
        println!(
            "| {} | {} | {} | {} |",
            s.name,
            kb(s.raw),
            kb(s.gzip),
            kb(s.brotli)
        );
    }
    println!();
    println!("| page | files | raw | gzip -9 | brotli | brotli budget |");
    println!("|---|---:|---:|---:|---:|---:|");
    let budget_of = |k: &str| budgets.get(k).map(|b| kb(*b)).unwrap_or_else(|| "-".into());
    // The kinds, then all of them.
    for k in KINDS.iter().copied().chain([budget::ALL]) {
        let (p, ((raw, gz, br), lazy)) = (&pages[k], page_sizes[k]);
        let what = if k == budget::ALL {
            "all four kinds, before their first render".to_string()
        } else {
            format!("only {k}, before its first render")
        };
        let lazy_note = if lazy.2 > 0 {
            format!(" (+{} lazy)", kb(lazy.2))
        } else {
            String::new()
        };
        println!(
            "| {what} | {} | {} | {} | {}{lazy_note} | {} |",
            p.first.len(),
            kb(raw),
            kb(gz),
            kb(br),
            budget_of(k)
        );
    }
    for (part, (raw, gz, br)) in part_sizes {
        println!(
            "| + part {part}, on first use | | {} | {} | {} | |",
            kb(*raw),
            kb(*gz),
            kb(*br)
        );
    }
    let (all, ((r1, g1, b1), (r2, g2, b2))) = (&pages[budget::ALL], page_sizes[budget::ALL]);
    println!(
        "| everything (all four, every lazy part) | {} | {} | {} | {} | {} |",
        all.first.len() + all.lazy.len(),
        kb(r1 + r2),
        kb(g1 + g2),
        kb(b1 + b2),
        budget_of(budget::EVERYTHING)
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
    fn every_kind_needs_its_chunk() {
        let mut chunks: Chunks = KINDS
            .iter()
            .map(|k| {
                let name = k.replace('-', "_");
                (name.clone(), vec![format!("split_{name}.wasm")])
            })
            .collect();
        chunks.insert(
            "story_board_parts".into(),
            vec!["chunk_1.wasm".into(), "split_story_board_parts.wasm".into()],
        );
        let kinds = kind_chunks(&chunks).unwrap();
        assert_eq!(
            kinds[3],
            (
                "story-board".to_string(),
                vec!["split_story_board.wasm".to_string()]
            )
        );
        assert_eq!(
            parts(&chunks),
            [(
                "story_board_parts".to_string(),
                vec![
                    "chunk_1.wasm".to_string(),
                    "split_story_board_parts.wasm".to_string()
                ]
            )]
        );
        chunks.remove("passion_match");
        let e = kind_chunks(&chunks).unwrap_err();
        assert!(e.contains("passion_match"), "{e}");
    }

    #[test]
    fn the_splitters_stems_become_file_names() {
        let c = as_files(HashMap::from([(
            "a".to_string(),
            vec!["chunk_2".to_string(), "split_a".to_string()],
        )]));
        assert_eq!(c["a"], ["chunk_2.wasm", "split_a.wasm"]);
    }

    #[test]
    fn the_kinds_are_the_loaders() {
        let loader = include_str!("../../src/js/km-widgets.js");
        assert_eq!(assets::loader_kinds(loader).unwrap(), KINDS);
    }
}
