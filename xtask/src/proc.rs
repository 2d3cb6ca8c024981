//! Small process helpers: the workspace root, `cargo`, running a command while
//! echoing and capturing its output, free ports.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;

/// The workspace root: the nearest directory at or above the current one
/// that holds `xtask/Cargo.toml` (`cargo xtask` runs from anywhere inside
/// the checkout), else the parent of the directory xtask was compiled in.
/// Not only the compiled-in path: a target directory shared by two
/// checkouts keeps one xtask binary, which would build the other checkout.
pub(crate) fn root() -> PathBuf {
    let found = std::env::current_dir().ok().and_then(|cwd| {
        cwd.ancestors()
            .find(|d| d.join("xtask/Cargo.toml").is_file())
            .map(PathBuf::from)
    });
    found.unwrap_or_else(|| {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        here.parent().map(PathBuf::from).unwrap_or(here)
    })
}

/// The Cargo target directory (honours `CARGO_TARGET_DIR`).
pub(crate) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let p = PathBuf::from(d);
            if p.is_absolute() { p } else { root().join(p) }
        }
        _ => root().join("target"),
    }
}

/// `cargo` (the one that runs us), in the workspace root.
pub(crate) fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Whether we run as root (so apt-get may be used).
pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The trimmed stdout of a command, when it ran successfully.
pub(crate) fn stdout_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs `cmd`, echoing stdout and stderr live, and returns (success, combined output).
pub(crate) fn run_captured(cmd: &mut Command) -> (bool, String) {
    let mut child = match cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => return (false, format!("could not start {cmd:?}: {e}")),
    };
    let (tx, rx) = mpsc::channel::<String>();
    let pump = |r: Box<dyn Read + Send>, tx: mpsc::Sender<String>, err: bool| {
        std::thread::spawn(move || {
            for line in BufReader::new(r).lines().map_while(Result::ok) {
                if err {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
                let _ = tx.send(line);
            }
        })
    };
    let mut threads = Vec::new();
    if let Some(o) = child.stdout.take() {
        threads.push(pump(Box::new(o), tx.clone(), false));
    }
    if let Some(e) = child.stderr.take() {
        threads.push(pump(Box::new(e), tx.clone(), true));
    }
    drop(tx);
    let mut all = String::new();
    for line in rx {
        all.push_str(&line);
        all.push('\n');
    }
    for t in threads {
        let _ = t.join();
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, all)
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub(crate) fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}
