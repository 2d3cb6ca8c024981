//! `cargo xtask schemathesis` (and a step of `cargo xtask test`): the
//! OpenAPI document checked against the server it describes. Schemathesis
//! (PyPI, pinned to [`VERSION`], installed into a venv under the target
//! directory on first use) reads `/api/openapi.json` of a freshly spawned
//! km-server on SQLite, generates requests from it with a fixed seed and a
//! bounded number of examples, and runs every check (`--checks all`):
//! undocumented statuses or content types, responses that break their
//! schema, schema-valid requests refused and invalid ones accepted, 5xx.
//! The requests carry an HS256 token of an admin and moderator signed here
//! with the server's `--jwt-secret`. Per-operation allowances for rules a
//! JSON schema cannot express live, each with its reason, in
//! `server/schemathesis.toml`.

use crate::counts::Counts;
use crate::proc::{free_port, root, run_captured, target_dir};
use crate::server::{self, Server};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::process::Command;

/// The schemathesis release on PyPI this project is checked with.
pub(crate) const VERSION: &str = "4.32.5";
/// Examples per operation and phase: enough to reach every documented
/// status, small enough for a few minutes on two cores.
const MAX_EXAMPLES: &str = "25";
/// Fixed, so a failure found in CI comes back on a laptop.
const SEED: &str = "20261130";
const SECRET: &str = "schemathesis-secret-0123456789";

/// The venv's `schemathesis`, installing it (and Debian's python3-venv as
/// root, when `python3 -m venv` is missing) when it is not there yet.
pub(crate) fn ensure() -> Result<PathBuf, String> {
    let dir = target_dir().join(format!("schemathesis-{VERSION}"));
    let exe = dir.join("venv/bin/schemathesis");
    let version = |exe: &PathBuf| {
        Command::new(exe)
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    if version(&exe).is_some_and(|v| v.ends_with(VERSION)) {
        return Ok(exe);
    }
    crate::tools::ensure_apt("python3", "python3")?;
    let venv = dir.join("venv");
    let make_venv = || {
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if !make_venv() {
        crate::tools::install_apt("python3-venv")?;
        if !make_venv() {
            return Err(format!("python3 -m venv {} failed", venv.display()));
        }
    }
    println!(
        "xtask: pip install schemathesis=={VERSION} into {}",
        venv.display()
    );
    let ok = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", &format!("schemathesis=={VERSION}")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok || !version(&exe).is_some_and(|v| v.ends_with(VERSION)) {
        return Err(format!("pip install schemathesis=={VERSION} failed"));
    }
    Ok(exe)
}

/// Builds and starts km-server on a temporary SQLite database, runs
/// schemathesis against it and returns its counts: one per operation
/// (passed when no check failed on it) from the JUnit report.
pub(crate) fn run() -> Result<Option<Counts>, String> {
    let st = ensure()?;
    let exe = server::build()?;
    let tmp = std::env::temp_dir().join(format!("km-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let result = (|| {
        let db = format!("sqlite://{}/st.db?mode=rwc", tmp.display());
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        // Sign-in on, so that refresh and sign-out are fuzzed past their
        // 404: they need no provider (only the popup's pages, which are not
        // API operations, do), so the issuer is a loopback port where
        // nothing listens.
        let sign_in = [
            "--oidc-issuer",
            "http://127.0.0.1:9",
            "--oidc-client-id",
            "schemathesis",
            "--public-url",
            &base,
        ];
        let mut args = vec!["--jwt-secret", SECRET];
        args.extend(sign_in);
        let srv = Server::start_with(&exe, port, &db, &args)?;
        let junit = tmp.join("junit.xml");
        let mut c = Command::new(&st);
        c.arg("--config-file")
            .arg(root().join("server/schemathesis.toml"))
            .arg("--no-color")
            .arg("run")
            .arg(format!("{}/api/openapi.json", srv.base_url))
            .args(["--url", &srv.base_url])
            .args(["--header", &format!("Authorization: Bearer {}", token())])
            .args(["--checks", "all"])
            .args(["--seed", SEED])
            .args(["--max-examples", MAX_EXAMPLES])
            .args(["--report", "junit", "--report-junit-path"])
            .arg(&junit)
            // Hypothesis keeps its example database in the working directory.
            .current_dir(&tmp);
        let (ok, _) = run_captured(&mut c);
        let xml = std::fs::read_to_string(&junit).unwrap_or_default();
        let counts = parse_junit(&xml);
        drop(srv);
        match counts {
            Some(c) if ok || c.failed > 0 => Ok(Some(c)),
            _ => Err("schemathesis did not finish (see its output above)".into()),
        }
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// Passed and failed operations out of a JUnit report's `<testsuite>`:
/// `tests`, less `failures`, `errors` and `skipped`, passed.
fn parse_junit(xml: &str) -> Option<Counts> {
    let start = xml.find("<testsuite ")?;
    let head = &xml[start..start + xml[start..].find('>')?];
    let attr = |name: &str| -> u64 {
        head.find(&format!(" {name}=\""))
            .and_then(|i| {
                let rest = &head[i + name.len() + 3..];
                rest[..rest.find('"')?].parse().ok()
            })
            .unwrap_or(0)
    };
    let failed = attr("failures") + attr("errors");
    let passed = attr("tests").saturating_sub(failed + attr("skipped"));
    Some(Counts { passed, failed })
}

/// An HS256 token (one day) of an admin who is also a moderator, so every
/// operation can be reached.
fn token() -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        + 24 * 3600;
    let header = b64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = serde_json::json!({
        "sub": "schemathesis",
        "name": "Schema Thesis",
        "roles": ["km:admin", "km:moderator"],
        "exp": exp,
    });
    let payload = b64.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let sig = hmac_sha256(SECRET.as_bytes(), signing_input.as_bytes());
    format!("{signing_input}.{}", b64.encode(sig))
}

/// HMAC-SHA256 (RFC 2104) over sha2, so xtask needs no JWT crate.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let inner = Sha256::new()
        .chain_update(k.map(|b| b ^ 0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(k.map(|b| b ^ 0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn junit_counts_operations() {
        let xml = r#"<?xml version="1.0" ?><testsuites><testsuite name="schemathesis" errors="1" failures="2" skipped="3" tests="72" time="9.1"><testcase/></testsuite></testsuites>"#;
        assert_eq!(
            parse_junit(xml),
            Some(Counts {
                passed: 66,
                failed: 3
            })
        );
        assert_eq!(parse_junit("no report"), None);
    }
}
