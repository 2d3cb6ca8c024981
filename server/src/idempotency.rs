//! Idempotent writes: a write that carries an `Idempotency-Key` records its
//! response in the same transaction; a retry with the same key (same
//! person) gets that response again instead of writing twice.
//!
//! Use: open the write transaction, [`replay`] (return it when `Some`), do
//! the write, [`record`] (when it returns false another request with the
//! same key won the race: roll back and [`replay`] from the pool), commit,
//! then [`respond`].

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

/// Step 1 of an idempotent write inside `w`: the stored response when this
/// key was seen before.
pub async fn begin(
    w: &mut WriteTx,
    person: &str,
    key: Option<&str>,
    hash: &str,
) -> Result<Option<Response>, ApiError> {
    match key {
        Some(k) => replay(&mut w.tx, person, k, hash).await,
        None => Ok(None),
    }
}

/// Step 2: records the response (with a key), commits, and answers; when a
/// concurrent request with the same key won, rolls back and answers with
/// the winner's response.
pub async fn finish(
    store: &Store,
    mut w: WriteTx,
    person: &str,
    key: Option<&str>,
    hash: &str,
    status: StatusCode,
    body: String,
) -> Result<Response, ApiError> {
    if let Some(k) = key
        && !record(&mut w.tx, person, k, hash, status, &body).await?
    {
        drop(w);
        let mut conn = store.pool().acquire().await?;
        return replay(&mut conn, person, k, hash)
            .await?
            .ok_or_else(|| ApiError::Internal("idempotency record vanished".into()));
    }
    w.commit().await?;
    Ok(respond(status, body, false))
}

/// [`finish`] with a 201 Created of `value` as JSON.
pub async fn finish_created(
    store: &Store,
    w: WriteTx,
    person: &str,
    key: Option<&str>,
    hash: &str,
    value: &impl Serialize,
) -> Result<Response, ApiError> {
    let body = serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))?;
    finish(store, w, person, key, hash, StatusCode::CREATED, body).await
}
