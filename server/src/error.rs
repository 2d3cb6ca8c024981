//! The one error type of the HTTP layer: every failure becomes an RFC 9457
//! `application/problem+json` body (`km_protocol::Problem`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use km_protocol::problem::types;
use km_protocol::validate::codes;
use km_protocol::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The body or a parameter broke validation rules, field by field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request could not be read (malformed JSON, bad query, bad cursor).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// No (valid) identity, where one is needed.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// The caller is known but may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Nothing here (or nothing the caller may see: private things are 404).
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A write lost a race on a unique key: another request stored the same
    /// value of this field first (a 409 naming the field; see
    /// [`ApiError::unique`]).
    #[error("conflict on {0}")]
    Unique(String),
    /// The body is larger than the server accepts.
    #[error("payload too large")]
    TooLarge,
    /// Too many writes of one kind by one person (see [`crate::rate_limit`]):
    /// a 429 with `Retry-After`.
    #[error("rate limited: {kind}")]
    RateLimited {
        /// The write kind (`questions`, `new_tags`, ...).
        kind: &'static str,
        /// The limit that was reached.
        limit: crate::rate_limit::Limit,
        /// Seconds until the next write of this kind is accepted.
        retry_after_secs: u64,
    },
    /// A database error: logged, answered with a bare 500.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Anything else unexpected: logged, answered with a bare 500.
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::Unique(_) => StatusCode::CONFLICT,
            ApiError::Database(e) if is_unique_violation(e) => StatusCode::CONFLICT,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Database(e) if disk_full(e) => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Database(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A validation error for one field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// Maps a unique-key violation of a write to [`ApiError::Unique`] naming
    /// `field` (for `.map_err` on a statement that can race another request
    /// for the same key); any other error stays what it is.
    pub fn unique(field: &'static str) -> impl Fn(sqlx::Error) -> ApiError {
        move |e| {
            if is_unique_violation(&e) {
                ApiError::Unique(field.to_owned())
            } else {
                ApiError::Database(e)
            }
        }
    }

    /// The problem body sent to the client (never contains internals).
    pub fn to_problem(&self) -> Problem {
        let status = self.status_code().as_u16();
        match self {
            ApiError::Validation(errors) => Problem::validation(errors.clone()),
            ApiError::BadRequest(d) => Problem::new(status, "Bad request").with_detail(d.clone()),
            ApiError::Unauthorized(d) => Problem::new(status, "Sign-in required")
                .with_type(types::UNAUTHORIZED)
                .with_detail(d.clone()),
            ApiError::Forbidden(d) => Problem::new(status, "Not allowed")
                .with_type(types::FORBIDDEN)
                .with_detail(d.clone()),
            ApiError::NotFound => Problem::new(status, "Not found"),
            ApiError::Conflict(d) => Problem::new(status, "Conflict")
                .with_type(types::CONFLICT)
                .with_detail(d.clone()),
            ApiError::Unique(field) => {
                let mut p = Problem::new(status, "Conflict")
                    .with_type(types::CONFLICT)
                    .with_detail(format!(
                        "another request stored this {field} at the same time; try again"
                    ));
                p.errors = vec![FieldError::new(
                    field,
                    codes::TAKEN,
                    "stored by another request at the same time",
                )];
                p
            }
            // A race on a key no handler names: still the client's retry to
            // make, not a server failure.
            ApiError::Database(e) if is_unique_violation(e) => Problem::new(status, "Conflict")
                .with_type(types::CONFLICT)
                .with_detail("another request stored the same thing at the same time; try again"),
            ApiError::TooLarge => Problem::new(status, "Request body too large"),
            ApiError::Database(e) if disk_full(e) => Problem::new(status, "Insufficient storage")
                .with_detail("the server's disk is full: nothing was stored; try again later"),
            ApiError::RateLimited {
                kind,
                limit,
                retry_after_secs,
            } => Problem::new(status, "Too many writes")
                .with_type(types::RATE_LIMITED)
                .with_detail(format!(
                    "at most {} {} in {} s; try again in {retry_after_secs} s",
                    limit.max,
                    kind.replace('_', " "),
                    limit.window_secs
                ))
                .with_retry_after(*retry_after_secs),
            ApiError::Database(_) | ApiError::Internal(_) => {
                Problem::new(status, "Internal server error")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut res = problem_response(&self.to_problem());
        if let ApiError::RateLimited {
            retry_after_secs, ..
        } = self
        {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        res
    }
}

/// Whether the database refused a write for a unique key or primary key
/// (SQLite's SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY, PostgreSQL's
/// unique_violation).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// Whether the database refused a write because its disk is full (SQLite's
/// SQLITE_FULL, PostgreSQL's disk_full).
fn disk_full(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "13" || code == "53100")
        || e.to_string().contains("database or disk is full")
}

/// A problem+json response for `problem`.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    res
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

/// Largest request target (path and query) the server reads, in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest total size of the request's header fields, in bytes.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The outermost layer of [`crate::app`]: every error response leaves the
/// server as problem+json. Handlers already answer with [`ApiError`], but
/// axum's own answers (unknown route 404, wrong method 405, path or query
/// rejections in `text/plain`), `ServeDir`'s 404 and anything a future
/// layer adds do not; this turns any error response that is not
/// problem+json into one with the same status (and headers such as
/// `Allow`), keeping a short plain-text reason as `detail`. It also refuses
/// request targets over [`MAX_URI_BYTES`] (414) and header sections over
/// [`MAX_HEADER_BYTES`] (431) itself, well below hyper's own limits, which
/// answer with an empty body.
pub async fn problems_only(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return problem_response(
            &Problem::new(414, "URI too long")
                .with_detail(format!("the request target is over {MAX_URI_BYTES} bytes")),
        );
    }
    let header_len: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if header_len > MAX_HEADER_BYTES {
        return problem_response(
            &Problem::new(431, "Request header fields too large").with_detail(format!(
                "the request's header fields are over {MAX_HEADER_BYTES} bytes"
            )),
        );
    }
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error())
        || is_problem(&res)
        || res.extensions().get::<PersonPage>().is_some()
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let plain = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/plain"));
    // A short plain-text reason (axum's rejections) says what was wrong;
    // any other body (an HTML error page, a stack) is not passed on.
    let detail = if plain && !status.is_server_error() {
        axum::body::to_bytes(body, 2048)
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    } else {
        None
    };
    let title = status.canonical_reason().unwrap_or("Error");
    let mut problem = Problem::new(status.as_u16(), title);
    if let Some(d) = detail {
        problem = problem.with_detail(d);
    }
    let fresh = problem_response(&problem);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    let (fresh_parts, fresh_body) = fresh.into_parts();
    parts.headers.extend(fresh_parts.headers);
    Response::from_parts(parts, fresh_body)
}

/// Marks a response as a page for a person (the sign-in popup's), which
/// [`problems_only`] leaves as it is, error statuses included: the person
/// reads it, and its script tells the widget what went wrong.
#[derive(Debug, Clone, Copy)]
pub struct PersonPage;

fn is_problem(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with(PROBLEM_CONTENT_TYPE))
}

#[cfg(test)]
mod tests {
    use sqlx::{AnyConnection, Connection};

    use super::*;

    /// Stores the same key twice on `url` and returns the second write's
    /// error.
    async fn duplicate_key(url: &str) -> sqlx::Error {
        sqlx::any::install_default_drivers();
        let mut conn = AnyConnection::connect(url).await.unwrap();
        sqlx::query("CREATE TEMPORARY TABLE aliases (alias TEXT PRIMARY KEY)")
            .execute(&mut conn)
            .await
            .unwrap();
        let insert = "INSERT INTO aliases (alias) VALUES ('k8s')";
        sqlx::query(insert).execute(&mut conn).await.unwrap();
        sqlx::query(insert).execute(&mut conn).await.unwrap_err()
    }

    #[tokio::test]
    async fn a_unique_key_race_is_a_409_naming_the_field_never_a_500() {
        // Regression (issue 11 item 4): a write losing a race on a unique
        // key answered 500 Internal server error.
        let mut urls = vec!["sqlite::memory:".to_owned()];
        urls.extend(std::env::var("KM_TEST_POSTGRES_URL").ok());
        for url in urls {
            let backend = url.split(':').next().unwrap_or_default().to_owned();
            let e = duplicate_key(&url).await;
            assert!(is_unique_violation(&e), "{backend}: {e}");
            let named = ApiError::unique("alias")(e);
            assert_eq!(named.status_code(), StatusCode::CONFLICT, "{backend}");
            let problem = named.to_problem();
            assert_eq!(
                problem.field("alias").map(|f| f.code.as_str()),
                Some(codes::TAKEN)
            );
            // Unnamed (a statement without `ApiError::unique`): still a 409.
            let unnamed = ApiError::from(duplicate_key(&url).await);
            assert_eq!(unnamed.status_code(), StatusCode::CONFLICT, "{backend}");
            assert_eq!(unnamed.to_problem().kind, types::CONFLICT, "{backend}");
            // Other database errors stay 500s.
            let other = ApiError::unique("alias")(sqlx::Error::RowNotFound);
            assert_eq!(other.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        }
    }
}
