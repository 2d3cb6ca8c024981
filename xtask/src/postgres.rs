//! A throw-away PostgreSQL server for the contract tests: Debian's binaries
//! (`/usr/lib/postgresql/<ver>/bin`), a temp data dir, a free port, trust auth.
//! initdb refuses to run as root, so as root the server runs as the `postgres`
//! user via `runuser`. Dropping the guard stops the server and removes the dir.

use crate::proc::{free_port, is_root};
use crate::tools::install_apt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A running PostgreSQL server; stopped on drop.
pub(crate) struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`
    pub(crate) url: String,
}

/// The newest `/usr/lib/postgresql/<ver>/bin` that has `initdb`.
fn find_bin() -> Option<PathBuf> {
    let mut vers: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    vers.sort();
    vers.pop().map(|(_, b)| b)
}

impl Postgres {
    /// Installs (as root, when missing) and starts a server.
    pub(crate) fn start() -> Result<Postgres, String> {
        let bin = match find_bin() {
            Some(b) => b,
            None => {
                install_apt("postgresql")?;
                find_bin().ok_or("postgresql installed, but no initdb in /usr/lib/postgresql")?
            }
        };
        let as_postgres = is_root();
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("km-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let pg = Postgres {
            bin,
            dir: dir.clone(),
            as_postgres,
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        };
        if as_postgres {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir))?;
        }
        let data = dir.join("data");
        run(pg
            .cmd("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data))?;
        run(pg
            .cmd("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .arg("-o")
            .arg(format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                dir.display()
            ))
            .args(["-w", "start"]))?;
        println!("xtask: PostgreSQL running at {}", pg.url);
        Ok(pg)
    }

    fn cmd(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"])
                .arg(exe)
                .current_dir(&self.dir);
            c
        } else {
            let mut c = Command::new(exe);
            c.current_dir(&self.dir);
            c
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .cmd("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .status();
        remove(&self.dir);
    }
}

fn remove(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
