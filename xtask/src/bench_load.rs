//! `cargo xtask bench-load`: the load benchmark of the widgets
//! (`tests/bench/load.mjs`; docs/PERFORMANCE.md). Builds `dist/` and
//! km-server, starts `km-server --demo` on a free port with a fresh
//! database and the pages of `www/` and `tests/pages/`, and runs the
//! benchmark in Chromium against it. With `--base URL` it measures a server
//! that is already running instead (for example an older build, to compare).
//! Figures only: it fails when the benchmark cannot run, never because of
//! what it measured.

use crate::proc::{free_port, root};
use crate::server::{self, Server};
use crate::tools;
use std::process::Command;

/// Runs the benchmark; `args` are passed on (`--runs N`, `--pages a,b`,
/// `--links slow,fast`, `--json FILE`) except `--base URL`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    tools::ensure_browser()?;
    tools::ensure_node_modules()?;
    let base = crate::flag(args, "--base")?.map(str::to_owned);
    let mut pass: Vec<String> = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if a == "--base" {
            skip = true;
        } else {
            pass.push(a.clone());
        }
    }
    if let Some(base) = base {
        return bench(&base, &pass);
    }
    tools::ensure_build_tools()?;
    if let Err(e) = crate::dist::run(None) {
        if !crate::dist::built(&root().join("dist")) {
            return Err(e);
        }
        eprintln!("xtask bench-load: warning: {e}");
    }
    let exe = server::build()?;
    let tmp = std::env::temp_dir().join(format!("km-bench-load-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let result = (|| {
        let www = crate::test::e2e_pages(&tmp.join("www"))?;
        let db = format!("sqlite://{}/bench.db?mode=rwc", tmp.display());
        let srv = Server::start(&exe, free_port()?, &db, &www, &[])?;
        bench(&srv.base_url, &pass)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn bench(base: &str, args: &[String]) -> Result<(), String> {
    let status = Command::new("node")
        .arg("bench/load.mjs")
        .args(args)
        .current_dir(root().join("tests"))
        .env("KM_BASE_URL", base)
        .status()
        .map_err(|e| format!("node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the load benchmark failed".into())
    }
}
