//! What the load benchmarks share: a km-server on real HTTP in a runtime of
//! its own, tokens for it, and percentiles.

use std::sync::Arc;
use std::time::Duration;

use km_server::auth::{Keys, Verifier};
use km_server::{AppOptions, AppState, Store, app};

/// The JWT secret of the benchmark servers.
pub(crate) const SECRET: &str = "bench-secret-0123456789abcdef0123";

/// A token of person `sub` with `roles`, valid for a day.
pub(crate) fn token(sub: &str, department: &str, roles: &[&str]) -> String {
    km_server::settings::TokenArgs {
        sub: sub.into(),
        name: format!("Person {sub}"),
        department: Some(department.into()),
        email: None,
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        ttl: 24 * 3600,
    }
    .sign(SECRET)
    .expect("signed")
}

/// The value at `p` (0 to 1) of sorted durations.
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `KM_MAX_CONCURRENT_READS` (0 turns the server's read turns off), to
/// compare with the default.
pub(crate) fn read_turns() -> Option<usize> {
    std::env::var("KM_MAX_CONCURRENT_READS")
        .ok()
        .and_then(|s| s.parse().ok())
}

/// Starts km-server on `database_url` with no write limits, in a runtime
/// of its own as it would run in its own process (the load generator's
/// tasks must not queue in front of it); returns the runtime, which stops
/// the server when dropped, and the server's origin.
pub(crate) fn serve(database_url: &str) -> (tokio::runtime::Runtime, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    let origin = rt.block_on(async {
        let store = Store::connect(database_url).await.expect("store");
        let state = AppState {
            store,
            verifier: Some(Arc::new(Verifier::new(
                Keys::Shared(SECRET.as_bytes().to_vec()),
                None,
                None,
            ))),
            anonymous_reads: false,
            demo: false,
            service_token: None,
            // Writes as fast as the load can make them: no per-person limits.
            rate_limits: Arc::new(km_server::rate_limit::RateLimits::off()),
            sign_in: None,
        };
        let opts = AppOptions {
            max_body_bytes: 64 * 1024,
            max_concurrent_reads: read_turns(),
            ..AppOptions::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let origin = format!("http://{}", listener.local_addr().expect("addr"));
        let router = app(state, &opts);
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        origin
    });
    (rt, origin)
}
