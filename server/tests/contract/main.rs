//! Contract tests: the JSON contract checked over real HTTP against a base
//! URL, so the same tests check the reference server and any other backend.
//!
//! Targets (each test runs once per target):
//! - `sqlite`: an in-process km-server on a fresh SQLite file (always);
//! - `postgres`: an in-process km-server on a fresh database of the server
//!   at `KM_TEST_POSTGRES_URL` (skipped with a notice when unset, unless
//!   `KM_REQUIRE_POSTGRES=1`, then the run fails);
//! - `external`: the backend and people described in the file named by
//!   `KM_CONFORMANCE_CONFIG` (`cargo xtask conformance --people FILE`);
//!   when set, only this target runs.
//!
//! Tests that need a person the file does not give (a second person, an
//! admin, another department) or a capability the target lacks (signing
//! tokens, starting servers with other limits: in-process only) are
//! skipped with the reason. With
//! `KM_CONFORMANCE_REPORT=FILE.xml` (or `.json`) every test's outcome is
//! written there too, as JUnit XML (or JSON), for a portal team's CI.

/// Lists a module's tests as `TESTS`: each by name, with the people it
/// acts as besides Alice and the reader (`name needs [Bob, Carol]`) and
/// what else it needs of the backend (`caps [Mint, Limits]`, see
/// [`client::Cap`]), so a backend without them skips it with the reason.
/// The in-process runs check the declarations: a test that acts as someone,
/// or uses a capability, it did not declare fails there.
macro_rules! tests {
    ($($name:ident $(needs [$($who:ident),* $(,)?])? $(caps [$($cap:ident),* $(,)?])?),* $(,)?) => {
        /// Every test of this module.
        pub(crate) const TESTS: &[crate::Declared] = &[$(crate::Declared {
            name: stringify!($name),
            needs: &[$($(crate::client::Who::$who),*)?],
            caps: &[$($(crate::client::Cap::$cap),*)?],
            test: |t| Box::pin($name(t)),
        }),*];
    };
}

mod circles;
mod client;
mod expect;
mod foundation;
mod passions;
mod questions;
mod reflections;
mod report;
mod stories;
mod trust_errors;
mod trust_input;
mod trust_limits;
mod trust_privacy;

use std::sync::Arc;

use client::Target;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let mut args = Arguments::from_args();
    // The tests share one database per target and some change the same
    // person's profile: run them one at a time (they take well under a
    // second together).
    args.test_threads.get_or_insert(1);
    // One test at a time lets each test's use of people be checked against
    // what it declares.
    let audit = args.test_threads == Some(1);
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
    let outcomes = Arc::new(report::Outcomes::default());
    for target in targets {
        let target = Arc::new(target);
        let all = foundation::TESTS
            .iter()
            .chain(passions::TESTS)
            .chain(circles::TESTS)
            .chain(questions::TESTS)
            .chain(reflections::TESTS)
            .chain(stories::TESTS)
            .chain(trust_input::TESTS)
            .chain(trust_privacy::TESTS)
            .chain(trust_limits::TESTS)
            .chain(trust_errors::TESTS);
        for &Declared {
            name,
            needs,
            caps,
            test,
        } in all
        {
            let target = target.clone();
            let rt = rt.clone();
            let full = format!("{}::{name}", target.name);
            let skip = target.skip_reason(needs, caps);
            if let Some(why) = &skip {
                outcomes.skipped(&full, why);
            }
            let record = outcomes.clone();
            let id = full.clone();
            let trial = Trial::test(full, move || {
                let started = std::time::Instant::now();
                if audit {
                    target.start_audit();
                }
                let result = rt.block_on(test(target.clone()));
                let result = match (result, audit) {
                    (Ok(()), true) => target.check_audit(needs, caps),
                    (r, _) => r,
                };
                record.ran(&id, started.elapsed(), result.as_ref().err());
                result.map_err(Failed::from)
            })
            .with_ignored_flag(skip.is_some());
            trials.push(trial);
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    outcomes.print_skips();
    if let Ok(path) = std::env::var("KM_CONFORMANCE_REPORT")
        && let Err(e) = outcomes.write(&path)
    {
        eprintln!("contract tests: could not write the report {path}: {e}");
        std::process::exit(1);
    }
    conclusion.exit();
}

/// A test as `tests![...]` declares it.
pub(crate) struct Declared {
    /// The test's name.
    pub(crate) name: &'static str,
    /// The people it acts as besides Alice and the reader.
    pub(crate) needs: &'static [client::Who],
    /// What else it needs of the backend.
    pub(crate) caps: &'static [client::Cap],
    /// The test.
    pub(crate) test: Test,
}

/// A contract test.
pub(crate) type Test = fn(Arc<Target>) -> futures_like::BoxFuture;

mod futures_like {
    use std::future::Future;
    use std::pin::Pin;

    /// The future of a contract test.
    pub(crate) type BoxFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
}
