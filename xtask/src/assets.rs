//! What `cargo xtask dist` does with the files once the build has written
//! them into `dist/` (after wasm-bindgen and wasm-opt): content hashes in
//! the names, the loader's asset map, brotli and gzip copies, and pruning.
//!
//! - Every page asset (`.js`, `.mjs`, `.wasm`) except the loader is renamed
//!   `stem.<16 hex of sha256>.ext`, so km-server (and any CDN) may send it
//!   with `Cache-Control: immutable`. A name that appears in another asset's
//!   text (the glue's default wasm URL, an `import` of another chunk, a
//!   wasm-split link module's `new URL("./chunk.wasm", import.meta.url)`) is
//!   rewritten to the hashed name, dependencies first, so a change anywhere
//!   changes the names of everything that refers to it. Files that refer to
//!   each other in a circle share one hash over all of them.
//! - The loader keeps its name (pages include it by URL); the copy in
//!   `dist/` gets the hashed names in place of the marked placeholder of
//!   `src/js/km-widgets.js`, so it starts every download at once instead of
//!   asking for a list first.
//! - Every file gets `.br` (quality 11) and `.gz` (level 9) copies next to
//!   it, when they are smaller.
//! - Hashed files of the build before stay (a page that loaded the previous
//!   loader may still ask for them); older ones are deleted.
//!
//! Nothing here knows how many modules the build wrote: it works on what
//! it finds.

use crate::dist::FileSize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The loader: the one page asset with a stable URL.
pub(crate) const LOADER: &str = "km-widgets.js";
/// The build's metadata (sizes, SRI hashes, budgets); keeps its name.
pub(crate) const MANIFEST: &str = "manifest.json";
/// Hex digits of the content hash in a name: `km_widgets_bg.0123456789abcdef.wasm`.
pub(crate) const HASH_LEN: usize = 16;
/// The markers around the asset map in the loader.
pub(crate) const MARK_START: &str = "/*km-assets*/";
pub(crate) const MARK_END: &str = "/*km-assets-end*/";

/// Whether `name` (a path or a file name) carries a content hash.
pub(crate) fn is_hashed(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    let parts: Vec<&str> = base.split('.').collect();
    parts.len() >= 3 && {
        let h = parts[parts.len() - 2];
        h.len() == HASH_LEN && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}

/// Whether a page loads `name` (a module or a wasm file).
fn is_page_asset(name: &str) -> bool {
    [".js", ".mjs", ".wasm"].iter().any(|e| name.ends_with(e))
}

fn is_compressed_copy(name: &str) -> bool {
    name.ends_with(".br") || name.ends_with(".gz")
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
pub(crate) fn list(dir: &Path) -> Result<Vec<String>, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            if entry.path().is_dir() {
                walk(&entry.path(), &format!("{rel}/"), out)?;
            } else {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    out.sort();
    Ok(out)
}

fn path_of(dist: &Path, rel: &str) -> PathBuf {
    rel.split('/').fold(dist.to_path_buf(), |p, s| p.join(s))
}

fn remove(dist: &Path, rel: &str) -> Result<(), String> {
    let p = path_of(dist, rel);
    match std::fs::remove_file(&p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("remove {}: {e}", p.display())),
    }
}

/// Before a build: removes the unhashed page assets an earlier build may
/// have left (a failed one), so that only this build's outputs get hashed.
pub(crate) fn clear_build_outputs(dist: &Path) -> Result<(), String> {
    if !dist.is_dir() {
        return Ok(());
    }
    for rel in list(dist)? {
        let base = rel.strip_suffix(".br").or(rel.strip_suffix(".gz"));
        let asset = base.unwrap_or(&rel);
        if is_page_asset(asset) && !is_hashed(asset) && asset != LOADER {
            remove(dist, &rel)?;
        }
    }
    Ok(())
}

/// Gives every page asset the build wrote (all but the loader) a content
/// hash in its name and rewrites the references between them. Returns the
/// names before and after (`km_widgets_bg.wasm` → `km_widgets_bg.<hash>.wasm`).
pub(crate) fn hash_names(dist: &Path) -> Result<BTreeMap<String, String>, String> {
    let names: Vec<String> = list(dist)?
        .into_iter()
        .filter(|n| is_page_asset(n) && !is_hashed(n) && n != LOADER)
        .collect();
    let mut texts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for n in &names {
        let p = path_of(dist, n);
        texts.insert(
            n.clone(),
            std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?,
        );
    }
    let renamed = rename_all(&texts)?;
    for (old, (new, bytes)) in &renamed {
        let p = path_of(dist, new);
        std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
        remove(dist, old)?;
    }
    Ok(renamed.into_iter().map(|(o, (n, _))| (o, n)).collect())
}

/// The hashed names and rewritten contents of `files` (path → bytes).
fn rename_all(
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<BTreeMap<String, (String, Vec<u8>)>, String> {
    let names: Vec<&String> = files.keys().collect();
    // refs[i]: the assets whose name appears in asset i (only text refers).
    let refs: Vec<Vec<usize>> = names
        .iter()
        .map(|from| {
            let text = &files[*from];
            let is_text = !from.ends_with(".wasm");
            (0..names.len())
                .filter(|&j| is_text && !find_refs(text, &reference(from, names[j])).is_empty())
                .collect()
        })
        .collect();
    let mut done: BTreeMap<String, (String, Vec<u8>)> = BTreeMap::new();
    // Strongly connected components come out dependencies first.
    for group in components(&refs) {
        let outside = |bytes: &[u8], from: &str| -> Vec<u8> {
            let mut b = bytes.to_vec();
            for (old, (new, _)) in &done {
                b = replace_refs(&b, &reference(from, old), &reference(from, new));
            }
            b
        };
        let mut hasher = Sha256::new();
        let mut members: Vec<(&String, Vec<u8>)> = Vec::new();
        for &i in &group {
            let bytes = outside(&files[names[i]], names[i]);
            hasher.update(names[i].as_bytes());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
            members.push((names[i], bytes));
        }
        let hash = hex(&hasher.finalize());
        let hash = &hash[..HASH_LEN];
        let new_names: Vec<(String, String)> = members
            .iter()
            .map(|(n, _)| ((*n).clone(), with_hash(n, hash)))
            .collect();
        for (name, mut bytes) in members {
            // References inside the group (a circle) point at the group's new names.
            for (old, new) in &new_names {
                bytes = replace_refs(&bytes, &reference(name, old), &reference(name, new));
            }
            done.insert(name.clone(), (with_hash(name, hash), bytes));
        }
    }
    Ok(done)
}

/// `dir/stem.ext` → `dir/stem.<hash>.ext` (the extension is after the last dot).
fn with_hash(name: &str, hash: &str) -> String {
    let (dir, base) = match name.rfind('/') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    match base.rfind('.') {
        Some(i) if i > 0 => format!("{dir}{}.{hash}{}", &base[..i], &base[i..]),
        _ => format!("{dir}{base}.{hash}"),
    }
}

/// How a file at `from` names the file at `to`: relative to `from`'s folder.
fn reference(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.matches('/').count()].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Where `needle` occurs in `hay` as a module specifier or a URL that the
/// module loads: the whole of a string literal (`./` or `../` before it is
/// allowed) right after `from`, `import`, `import(` or `new URL(`.
///
/// Not every string naming a file is a reference: wasm-bindgen's glue
/// hands the main module its imports in an object keyed by the module
/// names compiled into the wasm (`{"./km_widgets_split.js": import1}`),
/// and a key rewritten to the hashed name no longer matches the wasm's
/// import (`Import #0 "./km_widgets_split.js": module is not an object`).
fn find_refs(hay: &[u8], needle: &str) -> Vec<usize> {
    let n = needle.as_bytes();
    if n.is_empty() || hay.len() < n.len() {
        return Vec::new();
    }
    (0..=hay.len() - n.len())
        .filter(|&i| &hay[i..i + n.len()] == n && is_specifier(hay, i, i + n.len()))
        .collect()
}

/// Whether `hay[start..end]` is the path of a quoted module specifier or
/// `new URL(…)`, alone or after `./` (see [`find_refs`]).
fn is_specifier(hay: &[u8], start: usize, end: usize) -> bool {
    let q = if hay[..start].ends_with(b"./") {
        start - 2
    } else {
        start
    };
    let Some(quote) = q.checked_sub(1).map(|i| hay[i]) else {
        return false;
    };
    if !matches!(quote, b'"' | b'\'' | b'`') || hay.get(end) != Some(&quote) {
        return false;
    }
    let before = String::from_utf8_lossy(&hay[q.saturating_sub(40)..q - 1]);
    let before = before.trim_end();
    ["from", "import", "import(", "URL("].iter().any(|w| {
        before
            .strip_suffix(w)
            .is_some_and(|rest| !rest.ends_with(name_char))
    })
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn replace_refs(hay: &[u8], from: &str, to: &str) -> Vec<u8> {
    let at = find_refs(hay, from);
    if at.is_empty() {
        return hay.to_vec();
    }
    let mut out = Vec::with_capacity(hay.len() + at.len() * (to.len() + 1));
    let mut last = 0;
    for i in at {
        out.extend_from_slice(&hay[last..i]);
        out.extend_from_slice(to.as_bytes());
        last = i + from.len();
    }
    out.extend_from_slice(&hay[last..]);
    out
}

/// Tarjan's strongly connected components of the graph `edges`, each
/// component after every component it has an edge to (dependencies first).
fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.edges[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                group.push(w);
                if w == v {
                    break;
                }
            }
            group.sort_unstable();
            s.out.push(group);
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `map` (JSON) between the markers of the loader in `dist/`.
pub(crate) fn fill_loader(dist: &Path, map: &serde_json::Value) -> Result<(), String> {
    let p = dist.join(LOADER);
    let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
    let filled = fill_placeholder(&text, &map.to_string())?;
    std::fs::write(&p, filled).map_err(|e| format!("{}: {e}", p.display()))
}

fn fill_placeholder(loader: &str, json: &str) -> Result<String, String> {
    let missing = || {
        format!(
            "the loader has no asset map `{MARK_START} … {MARK_END}` (exactly one), which dist fills with the hashed names"
        )
    };
    if loader.matches(MARK_START).count() != 1 || loader.matches(MARK_END).count() != 1 {
        return Err(missing());
    }
    let start = loader.find(MARK_START).ok_or_else(missing)? + MARK_START.len();
    let end = loader.find(MARK_END).ok_or_else(missing)?;
    if end < start {
        return Err(missing());
    }
    Ok(format!("{} {json} {}", &loader[..start], &loader[end..]))
}

/// gzip -9 and brotli (quality 11, 4 MiB window) of `bytes`.
pub(crate) fn compress(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = gz.write_all(bytes);
    let gz = gz.finish().unwrap_or_default();
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        let _ = w.write_all(bytes);
    }
    (gz, br)
}

/// Writes `name.br` and `name.gz` next to `name` when they are smaller
/// (and removes stale ones when not), and returns the sizes.
pub(crate) fn compress_file(dist: &Path, name: &str) -> Result<FileSize, String> {
    let p = path_of(dist, name);
    let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
    let (gz, br) = compress(&bytes);
    for (ext, copy) in [("gz", &gz), ("br", &br)] {
        let rel = format!("{name}.{ext}");
        if copy.len() < bytes.len() {
            let cp = path_of(dist, &rel);
            std::fs::write(&cp, copy).map_err(|e| format!("{}: {e}", cp.display()))?;
        } else {
            remove(dist, &rel)?;
        }
    }
    let raw = bytes.len() as u64;
    // What a browser receives: the copy when it is smaller, else the file.
    Ok(FileSize {
        name: name.to_string(),
        raw,
        gzip: (gz.len() as u64).min(raw),
        brotli: (br.len() as u64).min(raw),
        sri: crate::dist::sri(&bytes),
    })
}

/// Deletes hashed files (and their copies) that are in neither `keep` nor
/// `also_keep` (the previous build's names).
pub(crate) fn prune(
    dist: &Path,
    keep: &BTreeSet<String>,
    also_keep: &BTreeSet<String>,
) -> Result<Vec<String>, String> {
    let mut removed = Vec::new();
    for rel in list(dist)? {
        let base = rel.strip_suffix(".br").or(rel.strip_suffix(".gz"));
        let asset = base.unwrap_or(&rel);
        if is_hashed(asset) && !keep.contains(asset) && !also_keep.contains(asset) {
            remove(dist, &rel)?;
            removed.push(rel);
        }
    }
    Ok(removed)
}

/// The files of the build: every file in `dist/` that is not a compressed
/// copy, minus hashed files that are not this build's.
pub(crate) fn build_files(dist: &Path, current: &BTreeSet<String>) -> Result<Vec<String>, String> {
    Ok(list(dist)?
        .into_iter()
        .filter(|n| !is_compressed_copy(n) && (!is_hashed(n) || current.contains(n)))
        .collect())
}

/// The widget kinds, read from the loader's `const KINDS = [...]` (a test in
/// `src/lib.rs` keeps that list equal to the bundle's, one in `dist` equal
/// to `dist::KINDS`).
#[cfg(test)]
pub(crate) fn loader_kinds(loader: &str) -> Result<Vec<String>, String> {
    let line = loader
        .lines()
        .find(|l| l.trim_start().starts_with("const KINDS ="))
        .ok_or("the loader has no `const KINDS = [...]` line")?;
    Ok(line
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        list.iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    fn text(out: &BTreeMap<String, (String, Vec<u8>)>, name: &str) -> String {
        String::from_utf8(out[name].1.clone()).unwrap()
    }

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("km_widgets_bg.0123456789abcdef.wasm"));
        assert!(is_hashed("snippets/x/inline0.0123456789abcdef.js"));
        assert!(!is_hashed("km_widgets_bg.wasm"));
        assert!(!is_hashed("km-widgets.js"));
        assert!(
            !is_hashed("a.0123456789ABCDEF.js"),
            "upper case is not ours"
        );
        assert!(!is_hashed("a.0123456789abcde.js"), "15 digits");
        assert!(!is_hashed("0123456789abcdef.js"), "no stem");
        assert_eq!(with_hash("km_widgets_bg.wasm", "h"), "km_widgets_bg.h.wasm");
        assert_eq!(with_hash("s/a.b.js", "h"), "s/a.b.h.js");
    }

    #[test]
    fn references_are_rewritten_dependencies_first_and_names_follow_contents() {
        let glue = "export default function init(p) { p ??= new URL('km_widgets_bg.wasm', import.meta.url); }\nimport './snippets/a/inline0.js';";
        let src = files(&[
            ("km_widgets.js", glue),
            ("km_widgets_bg.wasm", "\0asm one"),
            ("snippets/a/inline0.js", "export const x = 1;"),
        ]);
        let out = rename_all(&src).unwrap();
        let wasm = &out["km_widgets_bg.wasm"].0;
        let snippet = &out["snippets/a/inline0.js"].0;
        assert!(is_hashed(wasm) && wasm.starts_with("km_widgets_bg."));
        assert!(snippet.starts_with("snippets/a/inline0.") && is_hashed(snippet));
        let g = text(&out, "km_widgets.js");
        assert!(g.contains(&format!("new URL('{wasm}'")), "{g}");
        assert!(g.contains(&format!("'./{snippet}'")), "{g}");
        assert!(!g.contains("'km_widgets_bg.wasm'"));

        // A new wasm renames the wasm and the glue that names it, not the snippet.
        let mut src2 = src.clone();
        src2.insert("km_widgets_bg.wasm".into(), b"\0asm two".to_vec());
        let out2 = rename_all(&src2).unwrap();
        assert_ne!(out2["km_widgets_bg.wasm"].0, out["km_widgets_bg.wasm"].0);
        assert_ne!(out2["km_widgets.js"].0, out["km_widgets.js"].0);
        assert_eq!(
            out2["snippets/a/inline0.js"].0,
            out["snippets/a/inline0.js"].0
        );
    }

    #[test]
    fn the_glues_import_object_keeps_the_names_compiled_into_the_wasm() {
        // The split build failed to instantiate when the key was rewritten:
        // `Import #0 "./km_widgets_split.js": module is not an object or function`.
        let glue = "import * as import1 from \"./km_widgets_split.js\"\nconst imports = { \"./km_widgets_split.js\": import1 };";
        let src = files(&[
            ("km_widgets.js", glue),
            (
                "km_widgets_split.js",
                "import { initSync } from \"./km_widgets.js\";",
            ),
        ]);
        let out = rename_all(&src).unwrap();
        let link = &out["km_widgets_split.js"].0;
        let g = text(&out, "km_widgets.js");
        assert!(g.contains(&format!("from \"./{link}\"")), "{g}");
        assert!(g.contains("{ \"./km_widgets_split.js\": import1 }"), "{g}");
    }

    #[test]
    fn a_circle_of_modules_shares_one_hash_and_names_the_new_names() {
        // wasm-split's link module imports the glue, and the glue imports it.
        let src = files(&[
            ("km_widgets.js", "import { load } from './__wasm_split.js';"),
            (
                "__wasm_split.js",
                "import { initSync } from \"./km_widgets.js\"; fetch(new URL(\"./split_a.wasm\", import.meta.url));",
            ),
            ("split_a.wasm", "\0asm a"),
        ]);
        let out = rename_all(&src).unwrap();
        let (glue, link, chunk) = (
            &out["km_widgets.js"].0,
            &out["__wasm_split.js"].0,
            &out["split_a.wasm"].0,
        );
        assert_eq!(
            glue.split('.').nth(1),
            link.split('.').nth(1),
            "one hash for the circle"
        );
        assert!(text(&out, "km_widgets.js").contains(&format!("'./{link}'")));
        let l = text(&out, "__wasm_split.js");
        assert!(
            l.contains(&format!("\"./{glue}\"")) && l.contains(&format!("\"./{chunk}\"")),
            "{l}"
        );
    }

    #[test]
    fn only_module_specifiers_and_urls_are_references() {
        let hay = br#"import "./km_widgets.js"; import("./xkm_widgets.js"); from 'km_widgets.json'; import * as m from "./km_widgets.js"; new URL('km_widgets.js', import.meta.url); a = "km_widgets.js"; wasm_import("./km_widgets.js"); import(`../km_widgets.js`)"#;
        assert_eq!(find_refs(hay, "km_widgets.js").len(), 3);
        assert_eq!(find_refs(hay, "../km_widgets.js").len(), 1);
        assert_eq!(reference("a/b.js", "a/c.wasm"), "c.wasm");
        assert_eq!(reference("a/b.js", "d.wasm"), "../d.wasm");
        assert_eq!(reference("b.js", "s/c.js"), "s/c.js");
    }

    #[test]
    fn the_loader_placeholder_is_filled_once() {
        let src = format!("const A = {MARK_START} {{ files: {{}} }} {MARK_END};\n");
        let out = fill_placeholder(&src, r#"{"files":{"a.js":"a.0.js"}}"#).unwrap();
        assert_eq!(
            out,
            format!("const A = {MARK_START} {{\"files\":{{\"a.js\":\"a.0.js\"}}}} {MARK_END};\n")
        );
        assert!(fill_placeholder("const A = {};", "{}").is_err());
        let twice = format!("{src}{src}");
        assert!(fill_placeholder(&twice, "{}").is_err());
    }

    #[test]
    fn the_real_loader_has_the_placeholder_and_names_the_kinds() {
        let loader = include_str!("../../src/js/km-widgets.js");
        assert!(fill_placeholder(loader, "{}").is_ok());
        let kinds = loader_kinds(loader).unwrap();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
    }

    #[test]
    fn build_outputs_are_hashed_compressed_and_old_builds_pruned() {
        let dir = std::env::temp_dir().join(format!("km-assets-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("snippets")).unwrap();
        let w = |n: &str, t: &str| std::fs::write(path_of(&dir, n), t).unwrap();
        w(
            LOADER,
            &format!("const ASSETS = {MARK_START} {{}} {MARK_END};"),
        );
        w(
            "km_widgets.js",
            &"import './snippets/i.js'; new URL('km_widgets_bg.wasm');".repeat(20),
        );
        w("km_widgets_bg.wasm", &"wasm ".repeat(200));
        w("snippets/i.js", "x");
        w("old.0000000000000000.js", "older build");
        w("prev.1111111111111111.js", "previous build");

        let map = hash_names(&dir).unwrap();
        assert_eq!(map.len(), 3);
        assert!(
            !dir.join("km_widgets_bg.wasm").exists(),
            "the unhashed name is gone"
        );
        fill_loader(&dir, &serde_json::json!({ "files": map })).unwrap();
        let loader = std::fs::read_to_string(dir.join(LOADER)).unwrap();
        assert!(loader.contains(&map["km_widgets_bg.wasm"]), "{loader}");

        let current: BTreeSet<String> = map.values().cloned().collect();
        let prev: BTreeSet<String> = ["prev.1111111111111111.js".to_string()].into();
        let removed = prune(&dir, &current, &prev).unwrap();
        assert_eq!(removed, ["old.0000000000000000.js"]);
        let built = build_files(&dir, &current).unwrap();
        assert!(
            built.contains(&LOADER.to_string())
                && !built.contains(&"prev.1111111111111111.js".to_string())
        );
        for n in &built {
            compress_file(&dir, n).unwrap();
        }
        let glue = &map["km_widgets.js"];
        assert!(path_of(&dir, &format!("{glue}.br")).exists());
        assert!(path_of(&dir, &format!("{glue}.gz")).exists());
        // A one-byte file does not shrink: no copies.
        let snippet = &map["snippets/i.js"];
        assert!(!path_of(&dir, &format!("{snippet}.br")).exists());

        // The next build starts from the hashed files only.
        w("km_widgets.js", "stale");
        clear_build_outputs(&dir).unwrap();
        assert!(!dir.join("km_widgets.js").exists());
        assert!(path_of(&dir, glue).exists() && dir.join(LOADER).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
