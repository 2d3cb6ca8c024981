//! Building and starting `km-server --demo`: for `cargo xtask demo` (port
//! 8080, a persistent SQLite DB in `.km-demo/`) and for the e2e tests (a free
//! port and a temp DB); without `--demo` for schemathesis. The server is stopped when its guard drops.

use crate::proc::{cargo, root, target_dir};
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A running km-server; killed on drop.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub(crate) base_url: String,
}

/// `cargo build -p km-server` (debug profile: shares artefacts with the tests).
pub(crate) fn build() -> Result<PathBuf, String> {
    let ok = cargo()
        .args(["build", "-p", "km-server"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        return Err("cargo build -p km-server failed".into());
    }
    Ok(target_dir().join("debug/km-server"))
}

impl Server {
    /// Starts `exe --demo` on `port` with `database_url`, serving the pages
    /// of `www` and `dist/`.
    pub(crate) fn start(
        exe: &Path,
        port: u16,
        database_url: &str,
        www: &Path,
        extra: &[String],
    ) -> Result<Server, String> {
        let dist = root().join("dist");
        let (dist, www) = (dist.to_string_lossy(), www.to_string_lossy());
        let mut args = vec!["--demo", "--dist-dir", &dist, "--www-dir", &www];
        args.extend(extra.iter().map(String::as_str));
        Self::start_with(exe, port, database_url, &args)
    }

    /// Starts `exe` on `port` with `database_url` and further `args`.
    pub(crate) fn start_with(
        exe: &Path,
        port: u16,
        database_url: &str,
        args: &[&str],
    ) -> Result<Server, String> {
        let child = Command::new(exe)
            .current_dir(root())
            .args(args)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", exe.display()))?;
        let mut s = Server {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        s.wait_healthy(port, Duration::from_secs(60))?;
        Ok(s)
    }

    fn wait_healthy(&mut self, port: u16, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Err(format!("km-server exited early ({st})"));
            }
            if healthz(port) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "km-server did not answer /healthz within {}s",
            limit.as_secs()
        ))
    }

    /// Waits until the server exits (Ctrl-C reaches it through the terminal).
    pub(crate) fn wait(mut self) -> Result<(), String> {
        self.child
            .wait()
            .map(|_| ())
            .map_err(|e| format!("km-server: {e}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `GET /healthz` on 127.0.0.1:port answers 200.
fn healthz(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 32];
    let n = s.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).contains(" 200")
}

/// km-server's flags for sign-in with the local OpenID provider `idp`, for
/// a server people reach at `public_url`: the demo's people (km roles as
/// groups) and the test people (`km-moderators`, `km-admins`) both map.
pub(crate) fn oidc_args(idp: &crate::oidc::OidcProvider, public_url: &str) -> Vec<String> {
    [
        "--oidc-issuer",
        &idp.issuer,
        "--oidc-client-id",
        crate::oidc::CLIENT_ID,
        "--oidc-client-secret",
        crate::oidc::CLIENT_SECRET,
        "--public-url",
        public_url,
        "--oidc-scopes",
        "openid,profile,email,groups",
        "--oidc-moderator-values",
        "km:moderator,km-moderators",
        "--oidc-admin-values",
        "km:admin,km-admins",
        "--organization-name",
        "Northwind",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `cargo xtask demo`: tools, dist, server on `port` until Ctrl-C; with
/// `oidc`, a local OpenID provider too, whose people are the demo's.
pub(crate) fn demo(port: u16, oidc: bool) -> Result<(), String> {
    crate::tools::ensure_build_tools()?;
    if let Err(e) = crate::dist::run(None) {
        // A bundle over budget still demos; a bundle that did not build does not.
        if !crate::dist::built(&root().join("dist")) {
            return Err(e);
        }
        eprintln!("xtask demo: warning: {e}");
    }
    let exe = build()?;
    let dir = root().join(".km-demo");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let db = "sqlite://.km-demo/demo.db?mode=rwc";
    let idp = if oidc {
        Some(crate::oidc::OidcProvider::start(
            0,
            Some(&root().join("server/demo/seed.json")),
        )?)
    } else {
        None
    };
    let sign_in = match &idp {
        Some(idp) => oidc_args(idp, &format!("http://127.0.0.1:{port}")),
        None => Vec::new(),
    };
    let server = Server::start(&exe, port, db, &root().join("www"), &sign_in)?;
    println!();
    println!("  km-widgets demo intranet: {}/", server.base_url);
    println!("  embed snippets:           {}/embed.html", server.base_url);
    if let Some(idp) = &idp {
        println!(
            "  sign-in (OpenID):         {} (log in as a demo person's id, e.g. u-anna, any password)",
            idp.issuer
        );
        println!(
            "  a page with no portal:    {}/no-portal.html (\"Sign in with Northwind\")",
            server.base_url
        );
        println!(
            "  a page of iframes only:   {}/iframe.html",
            server.base_url
        );
    }
    println!("  stop with Ctrl-C");
    println!();
    let r = server.wait();
    drop(idp);
    r
}
