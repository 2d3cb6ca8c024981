//! Contract tests: the JSON contract checked over real HTTP against a base
//! URL, so the same tests check the reference server and any other backend.
//!
//! Targets (each test runs once per target):
//! - `sqlite`: an in-process km-server on a fresh SQLite file (always);
//! - `postgres`: an in-process km-server on a fresh database of the server
//!   at `KM_TEST_POSTGRES_URL` (skipped with a notice when unset, unless
//!   `KM_REQUIRE_POSTGRES=1`, then the run fails);
//! - `external`: `KM_CONFORMANCE_API` with `KM_CONFORMANCE_TOKEN` (and
//!   optionally `KM_CONFORMANCE_TOKEN_2`, `KM_CONFORMANCE_ADMIN_TOKEN`,
//!   `KM_CONFORMANCE_MODERATOR_TOKEN`);
//!   when set, only this target runs (`cargo xtask conformance`).
//!
//! Tests that need a second person, an admin, or knowledge of departments
//! are skipped on `external` when those tokens are missing.

/// Lists a module's tests as `TESTS`, by name.
macro_rules! tests {
    ($($name:ident),* $(,)?) => {
        /// Every test of this module, by name.
        pub(crate) const TESTS: &[(&str, crate::Test)] = &[$((stringify!($name), |t| Box::pin($name(t)))),*];
    };
}

mod circles;
mod client;
mod foundation;
mod passions;
mod questions;
mod reflections;
mod stories;
mod trust_errors;

use std::sync::Arc;

use client::Target;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let mut args = Arguments::from_args();
    // The tests share one database per target and some change the same
    // person's profile: run them one at a time (they take well under a
    // second together).
    args.test_threads.get_or_insert(1);
    let rt = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime"),
    );
    let targets = match rt.block_on(client::targets()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("contract tests: {e}");
            std::process::exit(1);
        }
    };
    let mut trials = Vec::new();
    for target in targets {
        let target = Arc::new(target);
        let all = foundation::TESTS
            .iter()
            .chain(passions::TESTS)
            .chain(circles::TESTS)
            .chain(questions::TESTS)
            .chain(reflections::TESTS)
            .chain(stories::TESTS)
            .chain(trust_errors::TESTS);
        for (name, test) in all {
            let target = target.clone();
            let rt = rt.clone();
            let test = *test;
            let skip = target.skips(name);
            let trial = Trial::test(format!("{}::{name}", target.name), move || {
                rt.block_on(test(target)).map_err(Failed::from)
            })
            .with_ignored_flag(skip);
            trials.push(trial);
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// A contract test.
pub(crate) type Test = fn(Arc<Target>) -> futures_like::BoxFuture;

mod futures_like {
    use std::future::Future;
    use std::pin::Pin;

    /// The future of a contract test.
    pub(crate) type BoxFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
}
