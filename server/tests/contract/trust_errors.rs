//! Issue 10 ("Trust"): every error the server sends is problem+json, also
//! those no handler produces (unknown routes and methods, path rejections,
//! oversized request targets and headers). Some requests here cannot be
//! sent with reqwest, so they go over a raw TCP connection.

use std::sync::Arc;

use reqwest::Method;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::client::{Target, Who};
use crate::expect::{ensure, expect_eq};

tests![
    unknown_routes_and_methods_answer_problems,
    path_rejections_are_problems,
    a_16_kb_url_is_a_problem,
    a_100_kb_header_is_a_problem,
    the_document_describes_errors_as_problems,
    a_limit_out_of_range_is_a_problem,
];

/// A response read off a raw connection.
struct Raw {
    status: u16,
    content_type: String,
    body: Value,
}

impl Raw {
    /// Fails unless this is a problem+json of `status`.
    fn problem(&self, status: u16) -> Result<(), String> {
        expect_eq(
            &self.status,
            &status,
            format!("expected HTTP {status}, got {}: {}", self.status, self.body),
        )?;
        ensure(
            self.content_type.starts_with("application/problem+json"),
            "expected application/problem+json, got",
            format!("{:?}", self.content_type),
        )?;
        ensure(
            self.body["status"].as_u64() == Some(u64::from(status))
                && self.body["title"].is_string(),
            "not a problem body",
            &self.body,
        )
    }
}

/// Sends `request` (a whole HTTP/1.1 request, `Connection: close`) as bytes
/// and reads the answer until the server closes.
async fn raw(t: &Target, request: &[u8]) -> Result<Raw, String> {
    let host = t.origin();
    let host = host.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(host)
        .await
        .map_err(|e| format!("{host}: {e}"))?;
    // The server may answer before it read everything (and close); what it
    // answered is what counts.
    let _ = s.write_all(request).await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let text = String::from_utf8_lossy(&out);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no HTTP answer: {text:?}"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status line: {head:?}"))?;
    let content_type = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_owned())
        })
        .unwrap_or_default();
    Ok(Raw {
        status,
        content_type,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    })
}

async fn unknown_routes_and_methods_answer_problems(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 9): axum's own 404 (no such route) and 405
    // (wrong method) had empty bodies and no content type.
    t.get(Who::Alice, "/no-such-resource").await?.problem(404)?;
    t.get(Who::Anonymous, &format!("{}/no-such-page", t.origin()))
        .await?
        .problem(404)?;
    let res = t
        .send(Who::Alice, Method::PATCH, "/tags", None, &[])
        .await?;
    let allow = res
        .headers
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    res.problem(405)?;
    if t.name != "external" {
        ensure(
            allow.contains("GET"),
            "405 keeps Allow",
            format!("{allow:?}"),
        )?;
    }
    Ok(())
}

async fn path_rejections_are_problems(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 9): invalid UTF-8 in a path segment was
    // axum's `text/plain` rejection.
    let p = t.get(Who::Alice, "/questions/%FF%FE").await?.problem(400)?;
    ensure(
        p["detail"].is_string(),
        "says why: p[\"detail\"].is_string()",
        &p,
    )?;
    t.send(
        Who::Alice,
        Method::PUT,
        "/reflections/%FF/reactions/%FE",
        None,
        &[],
    )
    .await?
    .problem(400)?;
    Ok(())
}

async fn a_16_kb_url_is_a_problem(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 9): an over-long request target was hyper's
    // bare 414 with no body (or reached the handlers on some setups).
    let q = "a".repeat(16 * 1024);
    let req =
        format!("GET /api/v1/tags?q={q} HTTP/1.1\r\nHost: km.test\r\nConnection: close\r\n\r\n");
    raw(&t, req.as_bytes()).await?.problem(414)
}

async fn a_100_kb_header_is_a_problem(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 9): an oversized header section was hyper's
    // bare 431 with no body (or reached the handlers on some setups).
    let big = "b".repeat(100 * 1024);
    let req = format!(
        "GET /api/v1/tags HTTP/1.1\r\nHost: km.test\r\nX-Padding: {big}\r\nConnection: close\r\n\r\n"
    );
    raw(&t, req.as_bytes()).await?.problem(431)
}

async fn the_document_describes_errors_as_problems(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 16): the OpenAPI document said errors were
    // `application/json`, left out statuses the server sends, referenced
    // schemas it did not define and wrote limits only in prose.
    let doc = t
        .get(Who::Anonymous, &format!("{}/api/openapi.json", t.origin()))
        .await?
        .expect(200)?
        .body;
    let text = doc.to_string();
    for name in text
        .split("\"#/components/schemas/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        ensure(
            doc["components"]["schemas"][name].is_object(),
            format!("#/components/schemas/{name}, which is referenced, to be defined"),
            &doc["components"]["schemas"][name],
        )?;
    }
    let paths = doc["paths"].as_object().ok_or("no paths")?;
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let responses = op["responses"].as_object().ok_or("no responses")?;
            for (status, r) in responses {
                if status.as_str() < "400" {
                    continue;
                }
                let name = r["$ref"]
                    .as_str()
                    .and_then(|s| s.strip_prefix("#/components/responses/"))
                    .ok_or(format!(
                        "{method} {path} {status}: not a shared problem response"
                    ))?;
                let content = &doc["components"]["responses"][name]["content"];
                ensure(
                    content["application/problem+json"]["schema"]["$ref"]
                        == "#/components/schemas/Problem"
                        && content.as_object().is_some_and(|c| c.len() == 1),
                    format!("{method} {path} {status} ({name}) to be only problem+json"),
                    content,
                )?;
            }
            // The shared extractors can refuse any request (a broken token).
            if path.starts_with("/api/v1/") {
                ensure(
                    responses.contains_key("400") && responses.contains_key("401"),
                    format!("{method} {path} to document 400 and 401"),
                    format!("{:?}", responses.keys().collect::<Vec<_>>()),
                )?;
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "limit" {
                    ensure(
                        p["schema"]["minimum"] == 1 && p["schema"]["maximum"].as_u64().is_some(),
                        format!("{method} {path}: limit with minimum 1 and a maximum"),
                        &p["schema"],
                    )?;
                }
                if p["name"] == "Idempotency-Key" {
                    expect_eq(
                        &p["schema"]["maxLength"],
                        128,
                        format!("{method} {path}: Idempotency-Key without its form"),
                    )?;
                }
            }
        }
    }
    let title = &doc["components"]["schemas"]["NewQuestion"]["properties"]["title"];
    ensure(
        title["minLength"] == 10 && title["maxLength"] == 150,
        "question title limits",
        title,
    )
}

async fn a_limit_out_of_range_is_a_problem(t: Arc<Target>) -> Result<(), String> {
    // Regression (issue 10 item 16): `limit` outside 1-100 was clamped
    // silently although the contract gives its range; now a 422 names it.
    for q in [
        "/questions?limit=0",
        "/questions?limit=101",
        "/tags?limit=1000",
    ] {
        let p = t.get(Who::Alice, q).await?.problem(422)?;
        expect_eq(
            &p["errors"][0]["field"],
            "limit",
            format!("{q}: names limit: {p}"),
        )?;
    }
    t.get(Who::Alice, "/questions?limit=100")
        .await?
        .expect(200)?;
    Ok(())
}
