//! The reference server under faults: a full disk, a database that goes
//! away, a directory it cannot write, clients that stall. Real SQLite files,
//! real TCP; the disk tests mount a small tmpfs, which needs root (they say
//! so and pass without checking anything otherwise).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use km_server::auth::{Keys, Verifier};
use km_server::serve::Timeouts;
use km_server::{AppOptions, AppState, Store, app};
use serde_json::{Value, json};

mod support;
use support::unique_dir;

const SECRET: &[u8] = b"faults-test-secret-0123456789abc";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A tmpfs mounted at a new directory, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(name: &str, options: &str) -> Option<Tmpfs> {
        if !is_root() {
            eprintln!("SKIPPED {name}: mounting a tmpfs needs root (CI runs as root)");
            return None;
        }
        let dir = unique_dir(name);
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("SKIPPED {name}: `mount -t tmpfs` failed here (no CAP_SYS_ADMIN?)");
            return None;
        }
        Some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

fn token(sub: &str) -> String {
    km_server::settings::TokenArgs {
        sub: sub.into(),
        name: format!("Person {sub}"),
        department: Some("Sales".into()),
        email: None,
        roles: vec![],
        ttl: 3600,
    }
    .sign(std::str::from_utf8(SECRET).expect("ascii"))
    .expect("signed")
}

/// The state of a test server on `store`: our tokens, no write limits.
fn state(store: Store, anonymous_reads: bool) -> AppState {
    AppState {
        store,
        verifier: Some(Arc::new(Verifier::new(
            Keys::Shared(SECRET.to_vec()),
            None,
            None,
        ))),
        anonymous_reads,
        demo: false,
        service_token: None,
        // Writes as fast as the test can make them: no per-person limits.
        rate_limits: Arc::new(km_server::rate_limit::RateLimits::off()),
        sign_in: None,
    }
}

/// A server on `store`, in-process on a free port; returns its origin.
async fn serve(
    store: Store,
    request_timeout: Option<Duration>,
) -> (String, tokio::task::JoinHandle<()>) {
    let state = state(store, false);
    let opts = AppOptions {
        max_body_bytes: 64 * 1024,
        request_timeout,
        ..AppOptions::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app(state, &opts);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (format!("http://{addr}"), task)
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}/km.db?mode=rwc", dir.display())
}

/// Regression (issue 10 item 11): after the disk filled up, the server
/// acknowledged writes it never saved (a pooled connection stayed inside a
/// failed transaction, so later "commits" only released savepoints), kept
/// failing after space came back, and after a restart none of the
/// acknowledged writes existed. Now: every 201 is on disk after a restart,
/// a full disk is a 507 problem, and writes work again once there is room.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_never_loses_an_acknowledged_write() {
    let Some(fs) = Tmpfs::mount("full-disk", "size=4m") else {
        return;
    };
    let store = Store::connect(&sqlite_url(&fs.0)).await.expect("store");
    let (origin, server) = serve(store.clone(), None).await;
    let http = reqwest::Client::new();
    let alice = token("disk-alice");

    let mut acknowledged: Vec<String> = Vec::new();
    let mut statuses: Vec<u16> = Vec::new();
    let post = |i: usize| {
        let http = http.clone();
        let origin = origin.clone();
        let alice = alice.clone();
        async move {
            let body = json!({
                "title": format!("Where is the {i}th report on disk usage kept?"),
                "body": "x".repeat(2_000),
                "tags": ["storage"],
            });
            let res = http
                .post(format!("{origin}/api/v1/questions"))
                .bearer_auth(&alice)
                .json(&body)
                .send()
                .await
                .expect("an answer");
            let status = res.status().as_u16();
            let ct = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let v: Value = res.json().await.unwrap_or(Value::Null);
            (status, ct, v)
        }
    };

    // Fill the disk: a filler file takes most of it, questions the rest.
    let filler = fs.0.join("filler");
    {
        let mut f = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
    }
    // Give SQLite back a little room so some writes succeed, then fail.
    let len = std::fs::metadata(&filler).expect("filler").len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .expect("filler");
    f.set_len(len.saturating_sub(256 * 1024)).expect("shrink");
    drop(f);

    let mut failures = 0;
    for i in 0..400 {
        let (status, ct, v) = post(i).await;
        statuses.push(status);
        if status == 201 {
            acknowledged.push(v["id"].as_str().expect("an id").to_owned());
        } else {
            assert!(
                ct.starts_with("application/problem+json"),
                "a failed write is a problem, got {status} {ct}"
            );
            failures += 1;
            if failures >= 30 {
                break;
            }
        }
    }
    assert!(failures > 0, "the disk never filled: {statuses:?}");
    assert!(
        statuses.contains(&507),
        "a full disk is said as 507 Insufficient Storage: {statuses:?}"
    );

    // Space comes back: writes work again (the connection that failed was
    // not reused inside its failed transaction).
    std::fs::remove_file(&filler).expect("free the disk");
    for i in 1000..1010 {
        let (status, _, v) = post(i).await;
        assert_eq!(status, 201, "a write after space came back: {v}");
        acknowledged.push(v["id"].as_str().expect("an id").to_owned());
    }

    // Restart: every acknowledged question is there.
    server.abort();
    store.close().await;
    drop(store);
    let store = Store::connect(&sqlite_url(&fs.0)).await.expect("restart");
    let (origin, _server) = serve(store, None).await;
    let mut missing = Vec::new();
    for id in &acknowledged {
        let res = http
            .get(format!("{origin}/api/v1/questions/{id}"))
            .bearer_auth(&alice)
            .send()
            .await
            .expect("an answer");
        if res.status() != 200 {
            missing.push(id.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged questions are gone after a restart: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
}

/// Regression (issue 10 item 14): `/healthz` said ok after the database
/// directory was removed. `/readyz` touches the database and notices that
/// its file is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_when_the_database_is_gone() {
    let dir = unique_dir("readyz");
    let store = Store::connect(&sqlite_url(&dir)).await.expect("store");
    let (origin, _server) = serve(store, None).await;
    let http = reqwest::Client::new();
    let ready = http
        .get(format!("{origin}/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200, "ready while the database is there");

    std::fs::remove_dir_all(&dir).expect("remove the database directory");
    let res = http
        .get(format!("{origin}/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(res.status(), 503, "not ready once the database is gone");
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(ct.starts_with("application/problem+json"), "{ct}");
    let p: Value = res.json().await.expect("problem");
    assert!(
        p["detail"].as_str().unwrap_or_default().contains("km.db"),
        "the problem names the file: {p}"
    );
    // Liveness is a different question: the process still serves.
    let live = http
        .get(format!("{origin}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(live.status(), 200);
}

/// Regression (issue 10 item 14): starting on a directory the server cannot
/// write said "pool timed out"; now the error names the directory and why.
#[tokio::test]
async fn an_unwritable_database_directory_is_named_at_start() {
    let (dir, _fs) = if is_root() {
        // Root writes anywhere permissions say no: use a read-only mount.
        match Tmpfs::mount("readonly", "size=1m,ro") {
            Some(fs) => (fs.0.clone(), Some(fs)),
            None => return,
        }
    } else {
        let dir = unique_dir("readonly");
        let mut perms = std::fs::metadata(&dir).expect("dir").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
        std::fs::set_permissions(&dir, perms).expect("chmod");
        (dir, None)
    };
    let err = match Store::connect(&sqlite_url(&dir)).await {
        Ok(_) => panic!("a server started on an unwritable directory"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("not writable") && err.contains(&dir.display().to_string()),
        "the error names the directory and the cause: {err}"
    );
}

/// Reads what the server sends until it closes the connection, or fails
/// after `limit` (the server never closed it).
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> String {
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "the server kept the connection open for {limit:?} ({e}); got {:?}",
                String::from_utf8_lossy(&out)
            ),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A server run by `km_server::serve::run` with short limits; the sender
/// stops it.
async fn serve_limited(
    request_timeout: Option<Duration>,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let dir = unique_dir("stall");
    let store = Store::connect(&sqlite_url(&dir)).await.expect("store");
    let state = state(store, true);
    let opts = AppOptions {
        max_body_bytes: 64 * 1024,
        request_timeout,
        ..AppOptions::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let timeouts = Timeouts {
        header_read: Duration::from_secs(1),
        shutdown: Duration::from_secs(1),
    };
    let task = tokio::spawn(km_server::serve::run(
        listener,
        app(state, &opts),
        timeouts,
        async move {
            let _ = stopped.await;
        },
    ));
    (addr, stop, task)
}

/// Regression (issue 10 item 12): a client that sent half a request head,
/// or nothing at all, kept its connection (and the server's shutdown) for
/// ever. The header-read limit closes both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stalls_in_the_head_or_idles_is_disconnected() {
    let (addr, _stop, _task) = serve_limited(None).await;
    let half = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .expect("half a head");
        read_until_closed(&mut s, Duration::from_secs(20))
    });
    let silent = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        read_until_closed(&mut s, Duration::from_secs(20))
    });
    let idle = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .expect("a request");
        // Answered, then kept alive with nothing to do: closed after the limit.
        read_until_closed(&mut s, Duration::from_secs(20))
    });
    let half = half.await.expect("half");
    assert!(
        !half.contains("200 OK"),
        "half a head is never answered: {half}"
    );
    silent.await.expect("silent");
    let idle = idle.await.expect("idle");
    assert!(
        idle.starts_with("HTTP/1.1 200"),
        "the full request was answered: {idle}"
    );
}

/// Regression (issue 10 item 12): a client that stalls in the body held a
/// handler for ever, and SIGTERM waited for it. The request limit answers a
/// 503 problem, and a shutdown ends within its deadline even while such a
/// client is connected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stalls_in_the_body_gets_a_problem_and_cannot_hold_shutdown() {
    let alice = token("stall-alice");
    let (addr, _stop, _task) = serve_limited(Some(Duration::from_secs(1))).await;
    let bob = alice.clone();
    let answered = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        let head = format!(
            "POST /api/v1/questions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {bob}\r\n\
             Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"title\":"
        );
        s.write_all(head.as_bytes()).expect("head and some body");
        read_until_closed(&mut s, Duration::from_secs(20))
    })
    .await
    .expect("stalled body");
    assert!(
        answered.starts_with("HTTP/1.1 503") && answered.contains("application/problem+json"),
        "a stalled body gets a 503 problem: {answered}"
    );

    // No request limit now: only the shutdown deadline can end it.
    let (addr, stop, task) = serve_limited(None).await;
    let stalled = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).expect("connect");
        let head = format!(
            "POST /api/v1/questions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {alice}\r\n\
             Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"title\":"
        );
        s.write_all(head.as_bytes()).expect("head and some body");
        std::thread::sleep(Duration::from_millis(300));
        s
    })
    .await
    .expect("connected");
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(20), task)
        .await
        .expect("the server stopped within its shutdown deadline")
        .expect("the server task");
    drop(stalled);
}

/// Sends `request` raw and reads the answer until the server closes.
fn raw(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    // The server may answer and close before it has read everything.
    let _ = s.write_all(request);
    read_until_closed(&mut s, Duration::from_secs(20))
}

/// Regression (issue 10 item 9): requests hyper cannot parse (no request
/// line, a target over 64 KiB, a head larger than its buffer) were answered
/// with a bare 400/414/431. Served by `serve::run`, they are problem+json.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_hyper_refuses_get_problems_too() {
    let (addr, _stop, _task) = serve_limited(None).await;
    let cases: Vec<(u16, Vec<u8>)> = vec![
        (400, b"\xff\xfe GARBAGE\r\n\r\n".to_vec()),
        (
            414,
            format!(
                "GET /api/v1/questions?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
                "a".repeat(70 * 1024)
            )
            .into_bytes(),
        ),
        (
            431,
            format!(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
                "b".repeat(600 * 1024)
            )
            .into_bytes(),
        ),
    ];
    for (status, request) in cases {
        let answer = tokio::task::spawn_blocking(move || raw(addr, &request))
            .await
            .expect("raw");
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{status}: {answer}"
        );
        assert!(
            answer.contains("content-type: application/problem+json")
                && answer.contains(&format!("\"status\":{status}")),
            "{status} is a problem: {answer}"
        );
    }
}
