//! Idempotent writes: a write that carries an `Idempotency-Key` records its
//! response in the same transaction; a retry with the same key (same
//! person) gets that response again instead of writing twice.
//!
//! Use: [`start`] opens the write transaction; it answers
//! [`Start::Replay`] with the stored response when the key was seen, and
//! [`Start::Fresh`] otherwise. On `Fresh`, do the write in `op.w`, then
//! [`Op::created`] (or [`Op::respond`] for another status) stores the
//! response under the key, commits and answers. Without a key the same
//! calls simply write and answer. A key reused for a different request
//! (another route, community or body: [`fingerprint`]) is a 422 naming
//! `Idempotency-Key`; a concurrent request with the same key gets the
//! winner's response.
//!
//! Besides: [`respond`] builds the JSON response (marked
//! `Idempotent-Replayed` on a replay), and [`is_known`] tells the rate
//! limiter that a write is a retry it may let through. The statements are
//! in [`crate::db::idempotency`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use km_protocol::IDEMPOTENT_REPLAYED_HEADER;
use km_protocol::validate::codes;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::db::idempotency as db;
use crate::error::ApiError;
use crate::store::{Store, WriteTx};

/// A fingerprint of a request (route + body), so a key reused for another
/// request is refused instead of replaying the wrong answer.
pub fn fingerprint(route: &str, body: &impl Serialize) -> String {
    let mut h = Sha256::new();
    h.update(route.as_bytes());
    h.update([0]);
    h.update(serde_json::to_vec(body).unwrap_or_default());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored response of `(person, key)`, if any; a 422 when the key
/// was used for a different request.
async fn replay(
    conn: &mut AnyConnection,
    person: &str,
    key: &str,
    hash: &str,
) -> Result<Option<Response>, ApiError> {
    let Some(stored) = db::find(conn, person, key).await? else {
        return Ok(None);
    };
    if stored.request_hash != hash {
        return Err(ApiError::field(
            "Idempotency-Key",
            codes::TAKEN,
            "this Idempotency-Key was already used for a different request",
        ));
    }
    let status =
        StatusCode::from_u16(u16::try_from(stored.status).unwrap_or(200)).unwrap_or(StatusCode::OK);
    Ok(Some(respond(status, stored.body, true)))
}

/// Whether `person` has a stored response under `key` (a retry of a write
/// that went through: the rate limiter lets it replay even when full).
pub async fn is_known(store: &Store, person: &str, key: &str) -> Result<bool, sqlx::Error> {
    db::exists(store.pool(), person, key).await
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
        let stored = db::Stored {
            request_hash: self.hash,
            status: i64::from(status.as_u16()),
            body,
        };
        if let Some(k) = self.key.as_deref()
            && !db::insert(&mut self.w.tx, &self.person, k, &stored).await?
        {
            drop(self.w);
            let mut conn = store.pool().acquire().await?;
            return replay(&mut conn, &self.person, k, &stored.request_hash)
                .await?
                .ok_or_else(|| ApiError::Internal("idempotency record vanished".into()));
        }
        self.w.commit().await?;
        Ok(respond(status, stored.body, false))
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
