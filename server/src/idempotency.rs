//! Idempotent writes: a write that carries an `Idempotency-Key` records its
//! response in the same transaction; a retry with the same key (same
//! person) gets that response again instead of writing twice.
//!
//! Use: [`start`] opens the write transaction and answers a replay; on
//! [`Start::Fresh`] do the write in `op.w`, then [`Op::created`] (or
//! [`Op::respond`]) records the response under the key, commits and
//! answers. A key reused for a different request is a 422 naming
//! `Idempotency-Key`; a concurrent request with the same key gets the
//! winner's response.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use km_protocol::IDEMPOTENT_REPLAYED_HEADER;
use km_protocol::validate::codes;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::error::ApiError;
use crate::store::{Store, WriteTx, now_ms};

/// A fingerprint of a request (route + body), so a key reused for another
/// request is refused instead of replaying the wrong answer.
pub fn fingerprint(route: &str, body: &impl Serialize) -> String {
    let mut h = Sha256::new();
    h.update(route.as_bytes());
    h.update([0]);
    h.update(serde_json::to_vec(body).unwrap_or_default());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored response of `(person, key)`, if any.
pub async fn replay(
    conn: &mut AnyConnection,
    person: &str,
    key: &str,
    hash: &str,
) -> Result<Option<Response>, ApiError> {
    let row = sqlx::query(
        "SELECT request_hash, status, body FROM idempotency WHERE person_id = $1 AND key = $2",
    )
    .bind(person)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let stored_hash: String = row.try_get("request_hash")?;
    if stored_hash != hash {
        return Err(ApiError::field(
            "Idempotency-Key",
            codes::TAKEN,
            "this Idempotency-Key was already used for a different request",
        ));
    }
    let status: i64 = row.try_get("status")?;
    let body: String = row.try_get("body")?;
    let status =
        StatusCode::from_u16(u16::try_from(status).unwrap_or(200)).unwrap_or(StatusCode::OK);
    Ok(Some(respond(status, body, true)))
}

/// Records the response; false when the key was taken meanwhile.
pub async fn record(
    conn: &mut AnyConnection,
    person: &str,
    key: &str,
    hash: &str,
    status: StatusCode,
    body: &str,
) -> Result<bool, ApiError> {
    let done = sqlx::query(
        "INSERT INTO idempotency (person_id, key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id, key) DO NOTHING",
    )
    .bind(person)
    .bind(key)
    .bind(hash)
    .bind(i64::from(status.as_u16()))
    .bind(body)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `person` has a stored response under `key` (a retry of a write
/// that went through: the rate limiter lets it replay even when full).
pub async fn is_known(store: &Store, person: &str, key: &str) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM idempotency WHERE person_id = $1 AND key = $2")
            .bind(person)
            .bind(key)
            .fetch_optional(store.pool())
            .await?
            .is_some(),
    )
}

/// A JSON response, marked `Idempotent-Replayed: true` when replayed.
pub fn respond(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if replayed {
        res.headers_mut()
            .insert(IDEMPOTENT_REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    res
}

/// How an idempotent write starts: with the stored response of an earlier
/// request under the same key, or with a write to do.
pub enum Start {
    /// This key was seen before: answer with what it got.
    Replay(Response),
    /// Do the write in `op.w`, then [`Op::created`] or [`Op::respond`].
    Fresh(Op),
}

/// An idempotent write in progress: its transaction and what [`Op::respond`]
/// records the response under.
pub struct Op {
    /// The write transaction; the handler does its writes here.
    pub w: WriteTx,
    person: String,
    key: Option<String>,
    hash: String,
}

/// Opens the write transaction of an idempotent write of `body` to `route`
/// (method, path and community) by `person`, with the request's key if any.
pub async fn start(
    store: &Store,
    person: &str,
    key: Option<String>,
    route: &str,
    body: &impl Serialize,
) -> Result<Start, ApiError> {
    let hash = fingerprint(route, body);
    let mut w = store.write().await?;
    if let Some(k) = key.as_deref()
        && let Some(r) = replay(&mut w.tx, person, k, &hash).await?
    {
        return Ok(Start::Replay(r));
    }
    Ok(Start::Fresh(Op {
        w,
        person: person.to_owned(),
        key,
        hash,
    }))
}

impl Op {
    /// Records the response (with a key), commits, and answers; when a
    /// concurrent request with the same key won, rolls back and answers
    /// with the winner's response.
    pub async fn respond(
        mut self,
        store: &Store,
        status: StatusCode,
        body: String,
    ) -> Result<Response, ApiError> {
        if let Some(k) = self.key.as_deref()
            && !record(&mut self.w.tx, &self.person, k, &self.hash, status, &body).await?
        {
            drop(self.w);
            let mut conn = store.pool().acquire().await?;
            return replay(&mut conn, &self.person, k, &self.hash)
                .await?
                .ok_or_else(|| ApiError::Internal("idempotency record vanished".into()));
        }
        self.w.commit().await?;
        Ok(respond(status, body, false))
    }

    /// [`Op::respond`] with a 201 Created of `value` as JSON.
    pub async fn created(
        self,
        store: &Store,
        value: &impl Serialize,
    ) -> Result<Response, ApiError> {
        let body = serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))?;
        self.respond(store, StatusCode::CREATED, body).await
    }
}
