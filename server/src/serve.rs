//! Serving the router over TCP with the limits a server on an intranet needs
//! (issue 10 item 12: a client that sends half a request, or nothing, must
//! not hold a connection, or the shutdown, for ever).
//!
//! - **Header read**: a request's head must arrive within
//!   [`Timeouts::header_read`] of the connection being ready for one; this is
//!   also how long an idle keep-alive connection stays open.
//! - **Request**: a request, its body included, must be answered within
//!   [`crate::AppOptions::request_timeout`] (a 503 problem otherwise); the
//!   router enforces it.
//! - **Shutdown**: on SIGTERM/SIGINT the listener closes at once, requests in
//!   flight get [`Timeouts::shutdown`] to finish, then the remaining
//!   connections are dropped.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// The time limits of [`run`].
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// How long a request's head may take to arrive (and how long an idle
    /// keep-alive connection is kept).
    pub header_read: Duration,
    /// How long requests in flight may take to finish after a shutdown
    /// signal.
    pub shutdown: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: Duration::from_secs(10),
            shutdown: Duration::from_secs(10),
        }
    }
}

/// Serves `router` on `listener` until `signal` resolves, then drains as
/// [`Timeouts::shutdown`] allows.
pub async fn run(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    signal: impl Future<Output = ()>,
) {
    // HTTP/1.1 only (h2 needs TLS in browsers; a proxy in front may speak
    // h2 to them): its header-read timer runs from the moment the
    // connection waits for a request, so it also ends idle connections.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    tokio::pin!(signal);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a little
                        // rather than spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let service = TowerToHyperService::new(router.clone());
                let conn = builder.serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            () = &mut signal => break,
        }
    }
    drop(listener);
    let open = graceful.count();
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(timeouts.shutdown) => {
            tracing::warn!(
                connections = open,
                seconds = timeouts.shutdown.as_secs_f64(),
                "shutdown deadline passed: closing the connections still open"
            );
        }
    }
}
