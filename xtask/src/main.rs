//! xtask: the project's build, demo and test automation, run as `cargo xtask <cmd>`
//! (the alias lives in `.cargo/config.toml`).
//!
//! Commands:
//! - `dist [--budget BYTES]`: build the wasm bundle into `dist/` (content
//!   hashes in the names, brotli and gzip copies), write `dist/manifest.json`,
//!   fail when a page exceeds its brotli budget in `xtask/budget.toml`.
//! - `demo [--port N] [--oidc]`: install what is missing, build, start the
//!   demo server (with `--oidc`, also a local OpenID provider to sign in
//!   with, `xtask/oidc/`).
//! - `test`: every test layer, a summary table and `summary: N passed, M failed`.
//! - `conformance --people FILE [--report FILE]`: the server's contract
//!   tests against another backend, described with its people in FILE
//!   (`docs/CONFORMANCE.md`).
//! - `bench-load`: the load benchmark in throttled Chromium (`tests/bench/`).
//! - `openapi`: regenerate `protocol/openapi.json` and `docs/ENDPOINTS.md`.
//! - `schemathesis`: check the OpenAPI document against a running km-server
//!   (also a step of `test`).
//!
//! Only std plus a few small crates; arguments are parsed by hand.

mod assets;
mod bench_load;
mod budget;
mod conformance;
mod counts;
mod dist;
mod endpoints;
mod oidc;
mod postgres;
mod proc;
mod schemathesis;
mod server;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  dist [--budget BYTES]        build dist/ and check the per-page brotli budgets
                               (--budget: one budget for every page instead)
  demo [--port N] [--oidc]     build and serve the demo intranet (default port 8080);
                               --oidc: sign-in with a local OpenID provider too
  test                         run every test layer and print a summary
  e2e                          only the browser end-to-end tests (after `dist`)
  conformance --people FILE [--report FILE.xml|FILE.json]
                               run the contract tests against a running backend
                               described, with the people to act as, in FILE
                               (docs/CONFORMANCE.md)
  conformance --local          the same against km-servers spawned here: SQLite,
                               SQLite --anonymous-reads, PostgreSQL
  openapi                      regenerate protocol/openapi.json and docs/ENDPOINTS.md
  schemathesis                 check the OpenAPI document against a spawned km-server
  bench-reads [--postgres]     load benchmark of the main read endpoints beside /me
                               (release build, 64 connections, 20,000 questions;
                               KM_BENCH_QUESTIONS, KM_BENCH_SECS, KM_BENCH_CONNECTIONS)
  bench-load [--runs N] [--pages P,..] [--links slow,fast] [--json FILE] [--base URL]
                               load benchmark in Chromium, cold and warm, throttled to
                               1.6 Mbps / 150 ms and 20 Mbps / 40 ms: time to first widget
                               content, bytes, layout shift (docs/PERFORMANCE.md); builds
                               and serves dist/, or measures the server at --base URL";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match cmd.as_str() {
        "dist" => flag_u64(rest, "--budget").and_then(|b| {
            tools::ensure_build_tools()?;
            dist::run(b).map(|_| ())
        }),
        "demo" => flag_u64(rest, "--port").and_then(|p| {
            server::demo(p.unwrap_or(8080) as u16, rest.iter().any(|a| a == "--oidc"))
        }),
        "test" => test::run(),
        "e2e" => test::e2e_only(),
        "conformance" => conformance(rest),
        "openapi" => openapi(),
        "schemathesis" => schemathesis::run().and_then(|c| {
            let c = c.unwrap_or_default();
            println!("schemathesis: {} passed, {} failed", c.passed, c.failed);
            if c.failed == 0 {
                Ok(())
            } else {
                Err("schemathesis found failures (see above)".into())
            }
        }),
        "bench-reads" => bench_reads(rest),
        "bench-load" => bench_load::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("xtask: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `cargo bench --bench reads` on a release build; with `--postgres`
/// against a throw-away PostgreSQL server.
fn bench_reads(args: &[String]) -> Result<(), String> {
    let pg = if args.iter().any(|a| a == "--postgres") {
        Some(postgres::Postgres::start()?)
    } else {
        None
    };
    let mut c =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.args(["bench", "-p", "km-server", "--bench", "reads"]);
    if let Some(pg) = &pg {
        c.env("KM_BENCH_DATABASE_URL", &pg.url);
    }
    let status = c.status().map_err(|e| format!("cargo bench: {e}"))?;
    drop(pg);
    if status.success() {
        Ok(())
    } else {
        Err("the read benchmark failed".into())
    }
}

/// The value following `name` in `args`, if present.
pub(crate) fn flag<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|v| Some(v.as_str()))
            .ok_or_else(|| format!("{name} needs a value")),
    }
}

fn flag_u64(args: &[String], name: &str) -> Result<Option<u64>, String> {
    flag(args, name)?
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| format!("{name}: `{v}` is not a number"))
        })
        .transpose()
}

fn conformance(args: &[String]) -> Result<(), String> {
    if flag(args, "--api")?.is_some() || flag(args, "--token")?.is_some() {
        return Err(
            "conformance takes --people FILE now: the backend's URL, its options and \
                    the people to act as (tokens with their id, name, department and roles); \
                    see docs/CONFORMANCE.md"
                .into(),
        );
    }
    if args.iter().any(|a| a == "--local") {
        let c = conformance::external()?.unwrap_or_default();
        println!(
            "conformance from outside: {} passed, {} failed",
            c.passed, c.failed
        );
        return if c.failed == 0 {
            Ok(())
        } else {
            Err("conformance failures (see above)".into())
        };
    }
    let people = flag(args, "--people")?
        .ok_or("conformance needs --people FILE (see docs/CONFORMANCE.md)")?;
    conformance::run(people, flag(args, "--report")?)
}

fn openapi() -> Result<(), String> {
    let out = proc::cargo()
        .args(["run", "--quiet", "-p", "km-server", "--", "openapi"])
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "km-server openapi failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let path = proc::root().join("protocol/openapi.json");
    std::fs::write(&path, &out.stdout).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {} ({} bytes)", path.display(), out.stdout.len());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("km-server openapi printed no JSON: {e}"))?;
    let md = proc::root().join(endpoints::PATH);
    std::fs::write(&md, endpoints::markdown(&doc)).map_err(|e| format!("{}: {e}", md.display()))?;
    println!("wrote {}", md.display());
    Ok(())
}
