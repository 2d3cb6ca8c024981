//! `GET /embed/<widget>`: one widget on a page of its own, for intranets
//! that take an iframe but no script (SharePoint Online's Embed web part,
//! Confluence's iframe macro, a Teams website tab), and for the loader's
//! fallback where a page cannot compile wasm (a CSP without
//! `'wasm-unsafe-eval'`).
//!
//! The query names the tag's attributes (`?mode=compact&lang=nl&tag=rust`),
//! every one a tag takes except `api`: the page always talks to this
//! server. The widget fills the frame and scrolls inside it. With
//! `autosize=<the parent page's origin>` (what the loader's fallback asks)
//! the page instead grows with its content and posts its height to that
//! origin (`{type: "km-embed-size", height}`), for the parent to size the
//! frame.
//!
//! The page sends a strict CSP of its own (its script and style by hash,
//! everything else from this origin) with `frame-ancestors` from
//! `--frame-ancestors` (default: this origin only), so only the intranets
//! named there can frame it.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::PersonPage;
use crate::http::sign_in::html_escape;

/// The widget kinds and their page titles.
pub const WIDGETS: [(&str, &str); 4] = [
    ("passion-match", "Passion match"),
    ("ask-the-community", "Ask the community"),
    ("reflection-prompt", "Reflection"),
    ("story-board", "Success stories"),
];

/// The attributes passed on to the widget: every attribute a tag takes
/// (the loader's list) but `api`.
pub const ATTRS: [&str; 9] = [
    "lang",
    "theme",
    "community",
    "mode",
    "limit",
    "tag",
    "prompt-set",
    "goal",
    "team",
];

/// Longest attribute value passed on, in characters (longer is cut).
const MAX_VALUE_CHARS: usize = 200;

/// The CSP source list of `frame-ancestors` for `--frame-ancestors`:
/// always `'self'`, then each origin given (`https://intranet.example.com`,
/// `https://*.sharepoint.com`, `http://localhost:8080`).
pub fn frame_ancestors(origins: &[String]) -> Result<String, String> {
    let mut out = String::from("'self'");
    for o in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        if o == "'self'" {
            continue;
        }
        check_origin(o).map_err(|why| format!("--frame-ancestors: {o:?}: {why}"))?;
        out.push(' ');
        out.push_str(o.trim_end_matches('/'));
    }
    Ok(out)
}

/// An origin as CSP writes it: `http(s)://host[:port]`, the host optionally
/// starting with `*.`, the port optionally `*`; nothing else (no path,
/// quotes or separators).
fn check_origin(o: &str) -> Result<(), &'static str> {
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))
        .ok_or("an origin starts with https:// (or http://)")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let port_ok = |p: &str| {
        p == "*" || (!p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    if port.is_some_and(|p| !port_ok(p)) {
        return Err("the port is not a number (or *)");
    }
    let host = host.strip_prefix("*.").unwrap_or(host);
    let ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !ok {
        return Err("an origin is scheme, host and port only (no path, quotes or spaces)");
    }
    Ok(())
}

/// The routes, framed only by `ancestors` (from [`frame_ancestors`]).
pub fn router<S: Clone + Send + Sync + 'static>(ancestors: String) -> Router<S> {
    let csp: Arc<str> = csp(&ancestors).into();
    Router::new().route(
        "/embed/{widget}",
        get(
            move |Path(widget): Path<String>, Query(q): Query<HashMap<String, String>>| async move {
                page(&widget, &q, &csp)
            },
        ),
    )
}

/// Sizes the page: fills the frame, or with `autosize` grows with the
/// widget and posts its height to the origin named (never to anyone else).
const SCRIPT: &str = "(function () {\n\
  var to = new URLSearchParams(location.search).get('autosize');\n\
  if (!to || window.parent === window) return;\n\
  document.documentElement.className = 'km-autosize';\n\
  var last = 0;\n\
  function post() {\n\
    var h = Math.ceil(document.body.getBoundingClientRect().height);\n\
    if (h !== last) { last = h; window.parent.postMessage({ type: 'km-embed-size', height: h }, to); }\n\
  }\n\
  new ResizeObserver(post).observe(document.body);\n\
}());";

const STYLE: &str = "html,body{margin:0;height:100%}\
body{box-sizing:border-box;padding:12px;overflow:auto;font:16px/1.5 system-ui,sans-serif}\
.km-autosize,.km-autosize body{height:auto;overflow:hidden}";

fn hash(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
}

/// The page's Content-Security-Policy.
fn csp(ancestors: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{}'; \
         style-src 'self' 'sha256-{}'; connect-src 'self'; img-src 'self' data:; \
         base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}",
        hash(SCRIPT),
        hash(STYLE)
    )
}

fn page(widget: &str, q: &HashMap<String, String>, csp: &str) -> Response {
    let Some((kind, title)) = WIDGETS.iter().find(|(k, _)| *k == widget) else {
        let known: Vec<&str> = WIDGETS.iter().map(|(k, _)| *k).collect();
        return html(
            StatusCode::NOT_FOUND,
            format!(
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>No such widget</title>\
                 <style>{STYLE}</style></head>\n<body><p>There is no widget called “{}” here. The widgets are: {}.</p></body></html>\n",
                html_escape(widget),
                known.join(", ")
            ),
            csp,
        );
    };
    let mut attrs = String::new();
    for name in ATTRS {
        if let Some(v) = q.get(name) {
            let v: String = v.chars().take(MAX_VALUE_CHARS).collect();
            attrs.push_str(&format!(" {name}=\"{}\"", html_escape(&v)));
        }
    }
    let lang = match q.get("lang").map(String::as_str) {
        Some("nl") => "nl",
        _ => "en",
    };
    let body = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · km-widgets</title><style>{STYLE}</style>\
         <script type=\"module\" src=\"../dist/km-widgets.js\"></script></head>\n\
         <body><km-{kind}{attrs}></km-{kind}>\n<script>{SCRIPT}</script></body></html>\n"
    );
    html(StatusCode::OK, body, csp)
}

fn html(status: StatusCode, body: String, csp: &str) -> Response {
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    // A page for a person, even when it says "not found".
    res.extensions_mut().insert(PersonPage);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_ancestors_are_self_and_the_origins_given() {
        assert_eq!(frame_ancestors(&[]).unwrap(), "'self'");
        assert_eq!(
            frame_ancestors(&[
                "https://northwind.sharepoint.com".into(),
                " https://*.atlassian.net/ ".into(),
                "http://localhost:8080".into(),
                "http://localhost:*".into(),
                "'self'".into(),
            ])
            .unwrap(),
            "'self' https://northwind.sharepoint.com https://*.atlassian.net http://localhost:8080 http://localhost:*"
        );
    }

    #[test]
    fn frame_ancestors_refuse_what_is_not_an_origin() {
        for bad in [
            "*",
            "northwind.sharepoint.com",
            "https://a.example.com/path",
            "https://a.example.com; script-src *",
            "https://a.example.com 'unsafe-inline'",
            "https://a.example.com:port",
            "https://a.example.com:**",
            "https://",
            "javascript://x",
        ] {
            assert!(
                frame_ancestors(&[bad.into()]).is_err(),
                "{bad} was accepted"
            );
        }
    }
}
