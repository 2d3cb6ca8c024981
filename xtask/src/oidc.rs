//! A real OpenID provider for the tests and the demo: npm's `oidc-provider`
//! (pinned in `xtask/oidc/package.json`, installed with `npm ci` there),
//! run by `xtask/oidc/provider.mjs` with its development login form, the
//! test client `km-test` and the people of `xtask/oidc/people.json`.
//! Dropping the guard stops it.

use crate::proc::root;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The test client's id (`provider.mjs`).
pub(crate) const CLIENT_ID: &str = "km-test";
/// The test client's secret (`provider.mjs`).
pub(crate) const CLIENT_SECRET: &str = "km-test-secret-0123456789";

/// A running provider; stopped on drop.
pub(crate) struct OidcProvider {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub(crate) issuer: String,
}

/// `npm ci` in `xtask/oidc/` unless oidc-provider is installed.
fn ensure_installed() -> Result<(), String> {
    let dir = root().join("xtask/oidc");
    if dir.join("node_modules/oidc-provider/package.json").exists() {
        return Ok(());
    }
    println!("xtask: npm ci in xtask/oidc/ (oidc-provider)");
    let ok = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err("`npm ci` in xtask/oidc/ failed (needs node and npm)".into())
    }
}

impl OidcProvider {
    /// Installs (when missing) and starts the provider on `port` (0: any
    /// free port), with the people of `people` (None: people.json).
    pub(crate) fn start(port: u16, people: Option<&std::path::Path>) -> Result<Self, String> {
        ensure_installed()?;
        let mut c = Command::new("node");
        c.arg(root().join("xtask/oidc/provider.mjs"))
            .env("KM_OIDC_PORT", port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(p) = people {
            c.env("KM_OIDC_PEOPLE", p);
        }
        let mut child = c
            .spawn()
            .map_err(|e| format!("could not start node (the OpenID provider): {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout of the provider")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix("oidc-provider ready: ") {
                    let _ = tx.send(issuer.trim().to_owned());
                }
            }
        });
        let mut provider = OidcProvider {
            child,
            issuer: String::new(),
        };
        provider.issuer = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| "the OpenID provider did not start within 30 s".to_owned())?;
        println!("xtask: OpenID provider running at {}", provider.issuer);
        Ok(provider)
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
