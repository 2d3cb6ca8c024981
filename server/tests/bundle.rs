//! `/dist/` as a CDN would serve it (server/src/bundle.rs): the compressed
//! copy the request accepts, `Vary`, immutable hashed files, a revalidated
//! loader; and the iframe pages beside it (`/embed/<widget>`,
//! server/src/embed.rs). A real km-server on a free port, real HTTP (reqwest without
//! decompression, so the bytes on the wire are what we compare), and a
//! `dist/` whose `.br` and `.gz` copies say which file was sent.

use std::path::PathBuf;
use std::sync::Arc;

use km_server::{AppOptions, AppState, Store, app};
use reqwest::header::HeaderMap;

mod support;
use support::unique_dir;

const WASM: &str = "km_widgets_bg.0123456789abcdef.wasm";

/// A `dist/` like `cargo xtask dist` writes, with marked copies.
fn dist() -> PathBuf {
    let dir = unique_dir("bundle");
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    let w = |n: &str, t: &str| std::fs::write(dist.join(n), t).expect("write");
    w("km-widgets.js", "loader");
    w("km-widgets.js.br", "loader in brotli");
    w("km-widgets.js.gz", "loader in gzip");
    w(WASM, "wasm");
    // Only brotli: a client that takes gzip but not brotli gets the file.
    w(&format!("{WASM}.br"), "wasm in brotli");
    dist
}

struct Server {
    origin: String,
    dist: PathBuf,
    http: reqwest::Client,
}

async fn server() -> Server {
    server_with(String::new()).await
}

/// A server whose `/embed/` pages may be framed by `frame_ancestors`.
async fn server_with(frame_ancestors: String) -> Server {
    let dist = dist();
    let db = format!(
        "sqlite://{}/km.db?mode=rwc",
        dist.parent().expect("dir").display()
    );
    let state = AppState {
        store: Store::connect(&db).await.expect("store"),
        verifier: None,
        anonymous_reads: false,
        demo: false,
        service_token: None,
        rate_limits: Arc::new(km_server::rate_limit::RateLimits::off()),
        sign_in: None,
    };
    let opts = AppOptions {
        max_body_bytes: 64 * 1024,
        dist_dir: Some(dist.clone()),
        frame_ancestors,
        ..AppOptions::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app(state, &opts);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Server {
        origin: format!("http://{addr}"),
        dist,
        http: reqwest::Client::new(),
    }
}

impl Server {
    /// GET `/dist/{file}` with `headers`; (status, headers, body).
    async fn get(&self, file: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, String) {
        self.get_path(&format!("/dist/{file}"), headers).await
    }

    /// GET `path` with `headers`; (status, headers, body).
    async fn get_path(&self, path: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, String) {
        let mut req = self.http.get(format!("{}{path}", self.origin));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("an answer");
        let status = res.status().as_u16();
        let h = res.headers().clone();
        (status, h, res.text().await.expect("a body"))
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The body and Content-Encoding sent for `accept` (None: no header).
async fn sent(s: &Server, file: &str, accept: Option<&str>) -> (String, String) {
    let headers: Vec<(&str, &str)> = accept.map(|a| ("accept-encoding", a)).into_iter().collect();
    let (status, h, body) = s.get(file, &headers).await;
    assert_eq!(status, 200, "{file} with {accept:?}");
    assert!(
        header(&h, "vary")
            .to_ascii_lowercase()
            .contains("accept-encoding"),
        "Vary with {accept:?}: {h:?}"
    );
    (body, header(&h, "content-encoding").to_owned())
}

#[tokio::test]
async fn the_accepted_encoding_is_sent_and_never_one_that_was_not() {
    let s = server().await;
    let loader = "km-widgets.js";
    let cases: [(Option<&str>, &str, &str); 11] = [
        (Some("gzip, deflate, br"), "loader in brotli", "br"),
        (Some("br"), "loader in brotli", "br"),
        (Some("gzip"), "loader in gzip", "gzip"),
        (None, "loader", ""),
        (Some("identity"), "loader", ""),
        (Some("zstd"), "loader", ""),
        (Some("br;q=0, gzip"), "loader in gzip", "gzip"),
        (Some("br;q=0.2, gzip;q=0.9"), "loader in gzip", "gzip"),
        (Some("gzip;q=0.5, br;q=0.8"), "loader in brotli", "br"),
        (Some("br;q=0, gzip;q=0"), "loader", ""),
        (Some("gzip;q=0.5, identity"), "loader", ""),
    ];
    for (accept, body, encoding) in cases {
        assert_eq!(
            sent(&s, loader, accept).await,
            (body.to_owned(), encoding.to_owned()),
            "Accept-Encoding: {accept:?}"
        );
    }
    // A file without a gzip copy: gzip-only clients get the plain file.
    assert_eq!(
        sent(&s, WASM, Some("gzip")).await,
        ("wasm".to_owned(), String::new())
    );
    assert_eq!(
        sent(&s, WASM, Some("br, gzip")).await,
        ("wasm in brotli".to_owned(), "br".to_owned())
    );
    let (_, h, _) = s.get(WASM, &[("accept-encoding", "br")]).await;
    assert_eq!(header(&h, "content-type"), "application/wasm");
    assert_eq!(header(&h, "access-control-allow-origin"), "*");
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_loader_is_revalidated() {
    let s = server().await;
    let (status, h, _) = s.get(WASM, &[("accept-encoding", "br")]).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&h, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&h, "etag"), "W/\"0123456789abcdef\"");

    let (status, h, body) = s.get("km-widgets.js", &[]).await;
    assert_eq!((status, body.as_str()), (200, "loader"));
    assert_eq!(header(&h, "cache-control"), "public, no-cache");
    assert!(!header(&h, "last-modified").is_empty());
    let tag = header(&h, "etag").to_owned();
    assert!(tag.starts_with("W/\""), "{tag}");

    // Unchanged: a 304 without a body, with what a cache needs to renew it.
    let (status, h, body) = s
        .get(
            "km-widgets.js",
            &[("if-none-match", &tag), ("accept-encoding", "br")],
        )
        .await;
    assert_eq!((status, body.as_str()), (304, ""));
    assert_eq!(header(&h, "etag"), tag);
    assert_eq!(header(&h, "cache-control"), "public, no-cache");
    assert!(
        header(&h, "vary")
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );

    // A new release of the loader: the old tag no longer matches, even with
    // a date that says nothing changed since (If-None-Match decides).
    std::fs::write(s.dist.join("km-widgets.js"), "loader of the next release").expect("write");
    let _ = std::fs::remove_file(s.dist.join("km-widgets.js.br"));
    let _ = std::fs::remove_file(s.dist.join("km-widgets.js.gz"));
    let (status, h, body) = s
        .get(
            "km-widgets.js",
            &[
                ("if-none-match", &tag),
                ("if-modified-since", "Fri, 01 Jan 2100 00:00:00 GMT"),
            ],
        )
        .await;
    assert_eq!((status, body.as_str()), (200, "loader of the next release"));
    assert_ne!(header(&h, "etag"), tag);

    // Without an ETag a browser revalidates by date.
    let lm = header(&h, "last-modified").to_owned();
    let (status, _, _) = s.get("km-widgets.js", &[("if-modified-since", &lm)]).await;
    assert_eq!(status, 304);
}

#[tokio::test]
async fn a_missing_file_is_not_cached_even_under_a_hashed_name() {
    let s = server().await;
    let (status, h, _) = s
        .get(
            "km_widgets.fedcba9876543210.js",
            &[("accept-encoding", "br")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(header(&h, "cache-control"), "no-cache");
    assert!(header(&h, "etag").is_empty());
}

/// The CSP sources of `directive` in `csp`.
fn directive<'a>(csp: &'a str, directive: &str) -> Vec<&'a str> {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(directive).filter(|r| r.starts_with(' ')))
        .map(|r| r.split_whitespace().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_embed_page_holds_one_widget_with_the_attributes_asked_and_a_strict_csp() {
    let s = server().await;
    let (status, h, body) = s
        .get_path(
            "/embed/ask-the-community?mode=compact&lang=nl&tag=rust&limit=5&api=https%3A%2F%2Fevil.example&onload=alert(1)",
            &[],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(header(&h, "content-type").starts_with("text/html"));
    assert!(
        body.starts_with("<!doctype html>\n<html lang=\"nl\">"),
        "{body}"
    );
    // The attributes a tag takes, but never `api` (the page talks to this
    // server) nor anything else.
    assert!(
        body.contains("<km-ask-the-community lang=\"nl\" mode=\"compact\" limit=\"5\" tag=\"rust\"></km-ask-the-community>"),
        "{body}"
    );
    assert!(
        !body.contains("evil.example") && !body.contains("onload"),
        "{body}"
    );
    assert!(body.contains("src=\"../dist/km-widgets.js\""), "{body}");

    let csp = header(&h, "content-security-policy");
    assert_eq!(directive(csp, "frame-ancestors"), ["'self'"], "{csp}");
    assert_eq!(directive(csp, "default-src"), ["'none'"], "{csp}");
    assert_eq!(directive(csp, "connect-src"), ["'self'"], "{csp}");
    let scripts = directive(csp, "script-src");
    assert!(
        scripts.contains(&"'self'") && scripts.contains(&"'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains('*'),
        "{csp}"
    );
    // The page's own inline script and style run: their hashes are allowed.
    let inline = |open: &str, close: &str| -> String {
        let start = body
            .find(open)
            .unwrap_or_else(|| panic!("no {open} in {body}"))
            + open.len();
        body[start..][..body[start..].find(close).expect("closed")].to_owned()
    };
    let hash = |text: &str| {
        use base64::Engine;
        use sha2::Digest;
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
        )
    };
    assert!(
        scripts.contains(&hash(&inline("<script>", "</script>")).as_str()),
        "{csp}"
    );
    assert!(
        directive(csp, "style-src").contains(&hash(&inline("<style>", "</style>")).as_str()),
        "{csp}"
    );
}

#[tokio::test]
async fn hostile_attribute_values_and_names_stay_text() {
    let s = server().await;
    let (status, _, body) = s
        .get_path(
            "/embed/story-board?goal=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&team=%27%20onmouseover%3D%27x",
            &[],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("goal=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""),
        "{body}"
    );
    assert!(body.contains("team=\"&#39; onmouseover=&#39;x\""), "{body}");
    assert!(!body.contains("<script>alert"), "{body}");

    let (status, h, body) = s.get_path("/embed/%3Cimg%20src%3Dx%3E", &[]).await;
    assert_eq!(status, 404);
    assert!(header(&h, "content-type").starts_with("text/html"), "{h:?}");
    assert!(
        body.contains("no widget called “&lt;img src=x&gt;”"),
        "{body}"
    );
    assert!(body.contains("passion-match, ask-the-community, reflection-prompt, story-board"));
}

#[tokio::test]
async fn only_the_intranets_named_may_frame_the_embed_pages() {
    let ancestors = km_server::embed::frame_ancestors(&[
        "https://northwind.sharepoint.com".into(),
        "https://*.atlassian.net".into(),
    ])
    .expect("origins");
    let s = server_with(ancestors).await;
    let (status, h, _) = s.get_path("/embed/passion-match", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        directive(header(&h, "content-security-policy"), "frame-ancestors"),
        [
            "'self'",
            "https://northwind.sharepoint.com",
            "https://*.atlassian.net"
        ]
    );
}
