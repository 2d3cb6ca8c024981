//! The built bundle (`cargo xtask dist` → `dist/`) under `/dist/`, served
//! the way a CDN would serve it.
//!
//! - **Encodings**: `dist/` holds a `.br` and a `.gz` copy next to every
//!   file; the one the request's `Accept-Encoding` prefers (q-values
//!   honoured, `q=0` refused, brotli before gzip on a tie) is sent with
//!   `Content-Encoding`, the plain file when none is accepted, and always
//!   `Vary: Accept-Encoding`.
//! - **Caching**: a file whose name carries a content hash
//!   (`km_widgets_bg.0123456789abcdef.wasm`) never changes:
//!   `Cache-Control: public, max-age=31536000, immutable`. Every other file
//!   (the loader `km-widgets.js`, whose URL pages keep; its `.d.ts`; the
//!   manifest) is `public, no-cache`: kept, and revalidated before each use
//!   with its `ETag` (or `Last-Modified`), which costs a 304 of a few hundred
//!   bytes. So a page always runs the loader of the current release, and
//!   that loader names the files of the same release (a short `max-age`
//!   would let a cached loader ask for files a later deploy had removed).
//! - Any origin may load the files (`Access-Control-Allow-Origin: *`): the
//!   loader is an ES module and the glue fetches the wasm with CORS.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Hex digits of the content hash `cargo xtask dist` puts in file names.
pub const HASH_LEN: usize = 16;
/// The cache policy of a file with a content hash in its name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The cache policy of every other file: stored, revalidated before use.
pub const REVALIDATE: &str = "public, no-cache";

/// The `/dist` service over the directory `dir`.
pub fn router(dir: &Path) -> Router {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(dir.to_path_buf()),
            caching,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}

/// Whether the last segment of `path` carries a content hash:
/// `stem.<16 lowercase hex digits>.ext`.
pub fn is_hashed(path: &str) -> bool {
    content_hash(path).is_some()
}

fn content_hash(path: &str) -> Option<&str> {
    let base = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = base.split('.').collect();
    if parts.len() < 3 || parts[0].is_empty() {
        return None;
    }
    let h = parts[parts.len() - 2];
    (h.len() == HASH_LEN && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))).then_some(h)
}

/// Cache headers, the ETag and `If-None-Match` around the file service.
async fn caching(State(dir): State<Arc<PathBuf>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let tag = if read { etag(&dir, &path).await } else { None };
    if let Some(tag) = &tag
        && let Some(wanted) = req.headers().get(header::IF_NONE_MATCH)
    {
        if none_match_hits(wanted, tag) {
            let mut res = StatusCode::NOT_MODIFIED.into_response();
            headers(res.headers_mut(), &path, Some(tag));
            return res;
        }
        // With If-None-Match, If-Modified-Since is not evaluated (RFC 9110
        // section 13.2.2): the file changed, whatever its date says.
        req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    }
    let mut res = next.run(req).await;
    let found = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    if found {
        headers(res.headers_mut(), &path, tag.as_deref());
    } else {
        // Not found (yet): a deploy may be under way; ask again next time.
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

fn headers(h: &mut HeaderMap, path: &str, tag: Option<&str>) {
    let policy = if is_hashed(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Some(v) = tag.and_then(|t| HeaderValue::from_str(t).ok()) {
        h.insert(header::ETAG, v);
    }
}

/// A weak ETag of the file's content (weak: the brotli, gzip and plain
/// bytes are one resource, and all three share it). A hashed name already
/// is the content's hash; other files are hashed when asked for (they are
/// small: the loader is about 20 KB). None when no such file exists.
async fn etag(dir: &Path, path: &str) -> Option<String> {
    let file = file_of(dir, path)?;
    if let Some(h) = content_hash(path) {
        return tokio::fs::metadata(&file)
            .await
            .ok()
            .filter(|m| m.is_file())
            .map(|_| format!("W/\"{h}\""));
    }
    let bytes = tokio::fs::read(&file).await.ok()?;
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..HASH_LEN / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(format!("W/\"{hex}\""))
}

/// The file under `dir` a request path names, for plain names only (the
/// ones `cargo xtask dist` writes); anything else is left to `ServeDir`,
/// which answers it without an ETag.
fn file_of(dir: &Path, path: &str) -> Option<PathBuf> {
    let mut file = dir.to_path_buf();
    for seg in path.trim_start_matches('/').split('/') {
        let plain = !seg.is_empty()
            && !seg.starts_with('.')
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !plain {
            return None;
        }
        file.push(seg);
    }
    Some(file)
}

/// Whether an `If-None-Match` value names `tag` (weak comparison) or is `*`.
fn none_match_hits(wanted: &HeaderValue, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(tag);
    wanted
        .to_str()
        .map(|v| {
            v.split(',')
                .any(|t| t.trim() == "*" || (!t.trim().is_empty() && opaque(t) == ours))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_the_ones_dist_writes() {
        assert!(is_hashed("/km_widgets_bg.0123456789abcdef.wasm"));
        assert!(is_hashed("/snippets/x/inline0.0123456789abcdef.js"));
        assert!(!is_hashed("/km-widgets.js"));
        assert!(!is_hashed("/km_widgets_bg.wasm"));
        assert!(!is_hashed("/manifest.json"));
        assert!(!is_hashed("/a.0123456789ABCDEF.js"));
        assert!(!is_hashed("/.0123456789abcdef.js"));
        // The compressed copy asked for by name is not the immutable file.
        assert!(!is_hashed("/a.0123456789abcdef.js.br"));
    }

    #[test]
    fn if_none_match_compares_weakly_and_knows_star_and_lists() {
        let tag = "W/\"abc\"";
        let hit = |v: &str| none_match_hits(&HeaderValue::from_str(v).unwrap(), tag);
        assert!(hit("W/\"abc\""));
        assert!(hit("\"abc\""));
        assert!(hit("\"x\", W/\"abc\""));
        assert!(hit("*"));
        assert!(!hit("W/\"abd\""));
        assert!(!hit(""));
    }

    #[test]
    fn only_plain_paths_map_to_files() {
        let d = Path::new("/d");
        assert_eq!(
            file_of(d, "/km-widgets.js"),
            Some(PathBuf::from("/d/km-widgets.js"))
        );
        assert_eq!(file_of(d, "/s/a.js"), Some(PathBuf::from("/d/s/a.js")));
        assert_eq!(file_of(d, "/../etc/passwd"), None);
        assert_eq!(file_of(d, "/%2e%2e/x"), None);
        assert_eq!(file_of(d, "/a//b"), None);
        assert_eq!(file_of(d, "/"), None);
    }
}
