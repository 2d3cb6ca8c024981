//! Making sure the external tools are there: the wasm32 target,
//! wasm-bindgen-cli (pinned to the `wasm-bindgen` crate), wasm-opt (`npm ci`
//! in `xtask/binaryen/`), the Node tools of the e2e tests (`npm ci` in
//! `tests/`: playwright-core, axe-core), and Debian packages (chromium,
//! chromium-driver, postgresql) installed with apt-get when we run as root.
//! When we cannot install, the error says what to install.
//!
//! wasm-opt comes from npm's `binaryen` (pinned in
//! `xtask/binaryen/package.json`, a package of its own so the release build
//! does not depend on the test tools), not from Debian: Debian's binaryen
//! 108 rewrites the externref table that wasm-bindgen 0.2.130 emits, and
//! Chromium then refuses the module ("WebAssembly.Table.set(): Argument 1
//! is invalid for table").

use crate::proc::{is_root, root, stdout_of};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

/// The wasm-bindgen CLI version; must equal the `=0.2.130` pin in Cargo.toml.
pub(crate) const WASM_BINDGEN_VERSION: &str = "0.2.130";

static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// The wasm32 target, wasm-bindgen and wasm-opt: what `dist` needs.
pub(crate) fn ensure_build_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()
}

/// The wasm-opt that `dist` runs (npm's binaryen, installed by `npm ci` in
/// `xtask/binaryen/`).
pub(crate) fn wasm_opt() -> PathBuf {
    root().join("xtask/binaryen/node_modules/.bin/wasm-opt")
}

/// `npm ci` in `xtask/binaryen/` unless its wasm-opt is there.
fn ensure_wasm_opt() -> Result<(), String> {
    if wasm_opt().exists() {
        return Ok(());
    }
    println!("xtask: npm ci in xtask/binaryen/ (wasm-opt)");
    run_ok(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root().join("xtask/binaryen")),
        "npm ci in xtask/binaryen/ (needs node and npm)",
    )
}

/// `npm ci` in `tests/` unless its tools (playwright-core, axe-core) are
/// there.
pub(crate) fn ensure_node_modules() -> Result<(), String> {
    let tests = root().join("tests");
    if tests.join("node_modules/playwright-core").exists()
        && tests.join("node_modules/@axe-core/playwright").exists()
    {
        return Ok(());
    }
    println!("xtask: npm ci in tests/ (playwright-core, axe-core)");
    run_ok(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&tests),
        "npm ci in tests/ (needs node and npm)",
    )
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = stdout_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    println!("xtask: adding the wasm32-unknown-unknown target");
    run_ok(
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        "rustup target add wasm32-unknown-unknown",
    )
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let want = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    if stdout_of("wasm-bindgen", &["--version"]).as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (about 2 minutes)");
    // No --locked: its lock file names a crate version the registry here lacks.
    run_ok(
        Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN_VERSION,
        ]),
        &format!("cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}"),
    )
}

/// Chromium and chromedriver for the browser tests.
pub(crate) fn ensure_browser() -> Result<(), String> {
    ensure_apt("chromium", "chromium")?;
    if !Path::new("/usr/bin/chromedriver").exists() {
        install_apt("chromium-driver")?;
    }
    Ok(())
}

/// Makes sure `program` is on PATH, installing Debian's `package` as root.
pub(crate) fn ensure_apt(program: &str, package: &str) -> Result<(), String> {
    if on_path(program) {
        return Ok(());
    }
    install_apt(package)
}

/// `apt-get install -y package` as root (one `apt-get update` per run),
/// otherwise an error naming the package.
pub(crate) fn install_apt(package: &str) -> Result<(), String> {
    if !is_root() {
        return Err(format!(
            "`{package}` is missing; install it with: sudo apt-get install -y {package}"
        ));
    }
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        run_ok(Command::new("apt-get").arg("update"), "apt-get update")?;
    }
    println!("xtask: apt-get install -y {package}");
    run_ok(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", package])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &format!("apt-get install -y {package}"),
    )
}

/// Whether `program` is found on PATH.
pub(crate) fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
}

fn run_ok(cmd: &mut Command, what: &str) -> Result<(), String> {
    match cmd.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("`{what}` failed ({s})")),
        Err(e) => Err(format!("`{what}` could not start: {e}")),
    }
}
