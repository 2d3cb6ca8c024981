//! `cargo xtask dist`: builds the bundle into `dist/`, measures every file
//! (raw, gzip -9, brotli, SRI sha384), writes `dist/manifest.json` and checks
//! the gzip budget of loader + glue + wasm against `xtask/budget.toml`.

use crate::proc::{cargo, root, target_dir};
use base64::Engine as _;
use sha2::{Digest, Sha384};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

/// The files in the budget: loader, glue and wasm.
const BUDGETED: [&str; 3] = ["km-widgets.js", "km_widgets.js", "km_widgets_bg.wasm"];
const ALL_FILES: [&str; 4] = [
    "km-widgets.js",
    "km-widgets.d.ts",
    "km_widgets.js",
    "km_widgets_bg.wasm",
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

/// Sizes of one file in `dist/`.
#[derive(Debug, Clone)]
pub(crate) struct FileSize {
    pub(crate) name: String,
    pub(crate) raw: u64,
    pub(crate) gzip: u64,
    pub(crate) brotli: u64,
    pub(crate) sri: String,
}

/// Builds `dist/`; `budget_override` replaces the budget of `xtask/budget.toml`.
pub(crate) fn run(budget_override: Option<u64>) -> Result<Vec<FileSize>, String> {
    let budget = match budget_override {
        Some(b) => b,
        None => read_budget(&root().join("xtask/budget.toml"))?,
    };
    let dist = root().join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;

    step(
        cargo().args([
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "km-widgets",
        ]),
        "cargo build --release --target wasm32-unknown-unknown -p km-widgets",
    )?;
    let wasm_in = target_dir().join("wasm32-unknown-unknown/release/km_widgets.wasm");
    step(
        Command::new("wasm-bindgen")
            .arg("--target")
            .arg("web")
            .args(["--out-name", "km_widgets", "--remove-name-section"])
            .arg("--out-dir")
            .arg(&dist)
            .arg(&wasm_in),
        "wasm-bindgen",
    )?;
    let wasm = dist.join("km_widgets_bg.wasm");
    step(
        Command::new(crate::tools::wasm_opt())
            .arg("-Oz")
            .args(WASM_OPT_FEATURES)
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm),
        "wasm-opt -Oz",
    )?;
    for f in ["km-widgets.js", "km-widgets.d.ts"] {
        std::fs::copy(root().join("src/js").join(f), dist.join(f))
            .map_err(|e| format!("copy {f}: {e}"))?;
    }

    let mut sizes = Vec::new();
    for name in ALL_FILES {
        let bytes = std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"))?;
        sizes.push(measure(name, &bytes));
    }
    let total = budgeted_total(&sizes);
    let manifest = manifest_json(&sizes, total, budget);
    std::fs::write(
        dist.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
    )
    .map_err(|e| format!("manifest.json: {e}"))?;
    print_table(&sizes, total, budget);
    check_budget(total, budget)?;
    Ok(sizes)
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

/// Fails when `total` (gzip bytes of loader + glue + wasm) exceeds `budget`.
pub(crate) fn check_budget(total: u64, budget: u64) -> Result<(), String> {
    if total <= budget {
        Ok(())
    } else {
        Err(format!(
            "size budget exceeded: loader + glue + wasm are {total} bytes gzip, budget {budget} bytes ({} over)",
            total - budget
        ))
    }
}

fn budgeted_total(sizes: &[FileSize]) -> u64 {
    sizes
        .iter()
        .filter(|s| BUDGETED.contains(&s.name.as_str()))
        .map(|s| s.gzip)
        .sum()
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

fn manifest_json(sizes: &[FileSize], total: u64, budget: u64) -> serde_json::Value {
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
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "files": files,
        "budget": {
            "files": BUDGETED,
            "gzip_total": total,
            "gzip_budget": budget,
            "within_budget": total <= budget,
        }
    })
}

fn print_table(sizes: &[FileSize], total: u64, budget: u64) {
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
    println!(
        "| loader + glue + wasm | | {} | (budget {}) |",
        kb(total),
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

    #[test]
    fn only_loader_glue_and_wasm_count() {
        let sizes: Vec<FileSize> = ALL_FILES
            .iter()
            .map(|n| measure(n, &[b'a'; 1000]))
            .collect();
        let one = sizes[0].gzip;
        assert_eq!(budgeted_total(&sizes), 3 * one);
        assert!(sizes[0].sri.starts_with("sha384-"));
        assert!(sizes[0].gzip < 1000 && sizes[0].brotli < 1000);
    }
}
