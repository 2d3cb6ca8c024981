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
//!
//! A request hyper cannot parse at all (bytes that are no request line, a
//! target over 64 KiB, a head larger than its buffer) never reaches the
//! router: hyper answers it with a bare status. [`ProblemIo`] turns those
//! answers into problem+json on the way out (issue 10 item 9), so every
//! error the server sends has the contract's shape.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

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
                let conn = builder.serve_connection(TokioIo::new(ProblemIo::new(stream)), service);
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

/// A connection that rewrites hyper's own bare refusals (400, 414, 431
/// with an empty body, written when a request cannot be parsed) into
/// problem+json responses of the same status. Everything else passes as
/// it is.
pub struct ProblemIo {
    inner: TcpStream,
    /// A rewritten answer being written: its bytes, how many are written,
    /// and the length of hyper's original to report when done.
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl ProblemIo {
    /// Wraps an accepted connection.
    pub fn new(inner: TcpStream) -> Self {
        ProblemIo {
            inner,
            pending: None,
        }
    }
}

/// The problem+json answer for hyper's bare refusal `head`, if it is one.
fn rewrite_refusal(head: &[u8]) -> Option<Vec<u8>> {
    if head.len() > 512 || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let status: u16 = text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()?;
    let empty = text
        .to_ascii_lowercase()
        .contains("\r\ncontent-length: 0\r\n");
    let (title, detail) = match status {
        400 => (
            "Bad request",
            "the request line or a header could not be read",
        ),
        414 => (
            "URI too long",
            "the request target is longer than the server reads (64 KiB)",
        ),
        431 => (
            "Request header fields too large",
            "the request's header fields are larger than the server reads",
        ),
        _ => return None,
    };
    if !empty {
        return None;
    }
    let body = serde_json::to_string(&km_protocol::Problem::new(status, title).with_detail(detail))
        .ok()?;
    Some(
        format!(
            "HTTP/1.1 {status} {title}\r\ncontent-type: {}\r\ncontent-length: {}\r\n\
             x-content-type-options: nosniff\r\nconnection: close\r\n\r\n{body}",
            km_protocol::PROBLEM_CONTENT_TYPE,
            body.len()
        )
        .into_bytes(),
    )
}

impl AsyncRead for ProblemIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ProblemIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.pending.is_none()
            && let Some(bytes) = rewrite_refusal(buf)
        {
            self.pending = Some((bytes, 0, buf.len()));
        }
        let this = &mut *self;
        let Some((bytes, written, original)) = this.pending.as_mut() else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        while *written < bytes.len() {
            match Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = *original;
        this.pending = None;
        Poll::Ready(Ok(n))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bare_refusals_are_rewritten() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Mon, 30 Nov 2026 18:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite_refusal(bare).expect("rewritten")).expect("utf-8");
        assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
        assert!(
            out.contains("content-type: application/problem+json"),
            "{out}"
        );
        assert!(
            out.ends_with('}') && out.contains("\"status\":431"),
            "{out}"
        );
        // An answer of the router (with a body) and other statuses pass.
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 70\r\n\r\n";
        assert!(rewrite_refusal(ours).is_none());
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert!(rewrite_refusal(ok).is_none());
    }
}
