//! `cargo xtask conformance --people FILE [--report FILE]`: the contract
//! tests against a running backend, as a portal team runs them against
//! theirs; and, in `cargo xtask test`, the same suite from outside against
//! km-server processes spawned here (SQLite with default flags and with
//! `--anonymous-reads`, and PostgreSQL), with tokens minted by
//! `km-server token`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::counts::{Counts, parse_cargo};
use crate::postgres::Postgres;
use crate::proc::{cargo, free_port, run_captured};
use crate::server::{self, Server};

/// Runs the contract tests against the backend described in `people`.
pub(crate) fn run(people: &str, report: Option<&str>) -> Result<(), String> {
    let path = std::fs::canonicalize(people).map_err(|e| format!("{people}: {e}"))?;
    let mut c = suite(&path, report);
    let status = c.status().map_err(|e| format!("cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the contract tests failed against that backend (or the people file was refused: see above)".into())
    }
}

fn suite(config: &Path, report: Option<&str>) -> Command {
    let mut c = cargo();
    c.args(["test", "-p", "km-server", "--test", "contract"])
        .env("KM_CONFORMANCE_CONFIG", config);
    if let Some(r) = report {
        c.env("KM_CONFORMANCE_REPORT", r);
    }
    c
}

const SECRET: &str = "xtask-conformance-secret-0123456789";
const SERVICE_TOKEN: &str = "xtask-conformance-service-token-0123456789";

/// The people of the spawned servers: key, id, name, department, roles.
const PEOPLE: [(&str, &str, &str, &str, &[&str]); 6] = [
    ("alice", "c-alice", "Alice Jansen", "Sales", &[]),
    ("bob", "c-bob", "Bob de Boer", "Sales", &[]),
    ("carol", "c-carol", "Carol Smit", "HR", &[]),
    (
        "moderator",
        "c-mod",
        "Mo Moderator",
        "Sales",
        &["km:moderator"],
    ),
    ("admin", "c-admin", "Ada Admin", "IT", &["km:admin"]),
    ("reader", "c-reader", "Rik Lezer", "Finance", &[]),
];

/// Mints the people's tokens with `km-server token` and writes the people
/// file for a server at `api`.
fn people_file(exe: &Path, api: &str, anonymous_reads: bool, path: &Path) -> Result<(), String> {
    let mut people = serde_json::Map::new();
    for (key, id, name, dept, roles) in PEOPLE {
        let mut c = Command::new(exe);
        let email = format!("{id}@example.test");
        c.args(["--jwt-secret", SECRET, "token", "--sub", id, "--name", name])
            .args(["--department", dept, "--email", &email]);
        for r in roles {
            c.args(["--role", r]);
        }
        let out = c.output().map_err(|e| format!("km-server token: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "km-server token: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        people.insert(
            key.into(),
            json!({ "token": token, "id": id, "name": name, "department": dept,
                    "email": email, "roles": roles }),
        );
    }
    let file = json!({
        "api": api,
        "anonymous_reads": anonymous_reads,
        "service_token": SERVICE_TOKEN,
        "people": Value::Object(people),
    });
    std::fs::write(
        path,
        serde_json::to_string_pretty(&file).unwrap_or_default(),
    )
    .map_err(|e| format!("{}: {e}", path.display()))
}

/// The `cargo xtask test` step: the suite over real HTTP against spawned
/// km-servers, default flags and `--anonymous-reads` on SQLite, default
/// flags on PostgreSQL. Counts add up over the three runs.
pub(crate) fn external() -> Result<Option<Counts>, String> {
    let exe = server::build()?;
    let tmp: PathBuf = std::env::temp_dir().join(format!("km-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let pg = Postgres::start()?;
    let runs: [(&str, String, bool); 3] = [
        (
            "sqlite",
            format!("sqlite://{}/default.db?mode=rwc", tmp.display()),
            false,
        ),
        (
            "sqlite --anonymous-reads",
            format!("sqlite://{}/anon.db?mode=rwc", tmp.display()),
            true,
        ),
        ("postgres", pg.url.clone(), false),
    ];
    let mut total = Counts::default();
    let mut did_not_run = Vec::new();
    for (i, (label, db, anonymous_reads)) in runs.iter().enumerate() {
        println!("--- conformance from outside: km-server on {label}");
        let port = free_port()?;
        // The suite writes more per person than the default write limits
        // allow in an hour (limits are policy, not contract; the in-process
        // runs test them).
        let mut args = vec![
            "--jwt-secret",
            SECRET,
            "--service-token",
            SERVICE_TOKEN,
            "--rate-limits",
            "off",
        ];
        if *anonymous_reads {
            args.push("--anonymous-reads");
        }
        let srv = Server::start_with(&exe, port, db, &args)?;
        let config = tmp.join(format!("people-{i}.json"));
        people_file(
            &exe,
            &format!("{}/api/v1", srv.base_url),
            *anonymous_reads,
            &config,
        )?;
        let (ok, out) = run_captured(&mut suite(&config, None));
        let c = parse_cargo(&out);
        if !ok && c.failed == 0 {
            did_not_run.push(format!("{label}: the suite did not run (see above)"));
        }
        total += c;
        drop(srv);
    }
    drop(pg);
    let _ = std::fs::remove_dir_all(&tmp);
    if did_not_run.is_empty() {
        Ok(Some(total))
    } else {
        Err(did_not_run.join("; "))
    }
}
