//! The stored responses of idempotent writes (`idempotency`), by person
//! and key; [`crate::idempotency`] decides what to do with them.

use sqlx::{AnyConnection, AnyPool, Row};

use crate::store::now_ms;

/// A response stored under a key.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The fingerprint of the request that got it.
    pub request_hash: String,
    /// Its HTTP status.
    pub status: i64,
    /// Its JSON body.
    pub body: String,
}

/// The response stored under `(person, key)`, if any.
pub async fn find(
    conn: &mut AnyConnection,
    person: &str,
    key: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query(
        "SELECT request_hash, status, body FROM idempotency WHERE person_id = $1 AND key = $2",
    )
    .bind(person)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| {
        Ok(Stored {
            request_hash: r.try_get("request_hash")?,
            status: r.try_get("status")?,
            body: r.try_get("body")?,
        })
    })
    .transpose()
}

/// Stores a response under `(person, key)`; false when one is there
/// already (a concurrent request with the key won).
pub async fn insert(
    conn: &mut AnyConnection,
    person: &str,
    key: &str,
    stored: &Stored,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO idempotency (person_id, key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id, key) DO NOTHING",
    )
    .bind(person)
    .bind(key)
    .bind(&stored.request_hash)
    .bind(stored.status)
    .bind(&stored.body)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a response is stored under `(person, key)`.
pub async fn exists(pool: &AnyPool, person: &str, key: &str) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM idempotency WHERE person_id = $1 AND key = $2")
            .bind(person)
            .bind(key)
            .fetch_optional(pool)
            .await?
            .is_some(),
    )
}
