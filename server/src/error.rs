//! The one error type of the HTTP layer: every failure becomes an RFC 9457
//! `application/problem+json` body (`km_protocol::Problem`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use km_protocol::problem::types;
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
            ApiError::Conflict(_) => StatusCode::CONFLICT,
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
        if matches!(self, ApiError::Database(_) | ApiError::Internal(_)) {
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
