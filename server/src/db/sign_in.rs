//! Sessions of sign-in with the organization's OpenID provider
//! (`sign_in_sessions`, `refresh_handles`) and the server's own signing
//! key (`settings`). The rules (rotation, reuse, lifetimes) are in
//! [`crate::sign_in`]; this module only reads and writes rows.

use sqlx::{AnyConnection, AnyPool, Row};

/// The `settings` key of the server's signing key.
const SIGNING_KEY: &str = "sign_in_signing_key";

/// The server's signing key (hex), made by `make` on first use. Safe when
/// several servers start at once on one database: the first insert wins
/// and everyone reads that one.
pub async fn signing_key(
    conn: &mut AnyConnection,
    make: impl FnOnce() -> String,
) -> Result<String, sqlx::Error> {
    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(SIGNING_KEY)
        .bind(make())
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(SIGNING_KEY)
        .fetch_one(&mut *conn)
        .await?
        .try_get("value")
}

/// A new session with its first refresh handle.
pub struct NewSession<'a> {
    /// The session's id.
    pub id: &'a str,
    /// Who signed in.
    pub person_id: &'a str,
    /// The JSON of the `Me` its access tokens carry.
    pub claims: &'a str,
    /// Now (epoch ms).
    pub now: i64,
    /// When the session ends (epoch ms).
    pub expires_ms: i64,
    /// The first handle's id.
    pub handle_id: &'a str,
    /// SHA-256 (hex) of the first handle's secret.
    pub secret_hash: &'a str,
}

/// Stores a new session and its first handle.
pub async fn start(conn: &mut AnyConnection, s: &NewSession<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_sessions (id, person_id, claims, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(s.id)
    .bind(s.person_id)
    .bind(s.claims)
    .bind(s.now)
    .bind(s.expires_ms)
    .execute(&mut *conn)
    .await?;
    add_handle(conn, s.id, s.handle_id, s.secret_hash, s.now).await
}

/// Adds a refresh handle to a session.
pub async fn add_handle(
    conn: &mut AnyConnection,
    session_id: &str,
    handle_id: &str,
    secret_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refresh_handles (id, session_id, secret_hash, created_ms) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(handle_id)
    .bind(session_id)
    .bind(secret_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A refresh handle with its session.
#[derive(Debug)]
pub struct Handle {
    /// The session's id.
    pub session_id: String,
    /// SHA-256 (hex) of the handle's secret.
    pub secret_hash: String,
    /// When the handle was traded for the next one, if it was.
    pub used_ms: Option<i64>,
    /// The session's `Me` (JSON).
    pub claims: String,
    /// When the session ends.
    pub expires_ms: i64,
    /// When the session was ended early, if it was.
    pub ended_ms: Option<i64>,
    /// Why it was ended (`sign-out`, `reuse`).
    pub end_reason: Option<String>,
}

/// The handle `id` and its session, if there is one.
pub async fn handle(conn: &mut AnyConnection, id: &str) -> Result<Option<Handle>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT h.session_id, h.secret_hash, h.used_ms, s.claims, s.expires_ms, s.ended_ms, \
         s.end_reason \
         FROM refresh_handles h JOIN sign_in_sessions s ON s.id = h.session_id \
         WHERE h.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Handle {
            session_id: r.try_get("session_id")?,
            secret_hash: r.try_get("secret_hash")?,
            used_ms: r.try_get("used_ms")?,
            claims: r.try_get("claims")?,
            expires_ms: r.try_get("expires_ms")?,
            ended_ms: r.try_get("ended_ms")?,
            end_reason: r.try_get("end_reason")?,
        })
    })
    .transpose()
}

/// Marks the handle used; false when it was used already (another request
/// traded it first).
pub async fn mark_used(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE refresh_handles SET used_ms = $1 WHERE id = $2 AND used_ms IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the session (`reason`: `sign-out` or `reuse`) unless it has ended.
pub async fn end(
    conn: &mut AnyConnection,
    session_id: &str,
    now: i64,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sign_in_sessions SET ended_ms = $1, end_reason = $2 \
         WHERE id = $3 AND ended_ms IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(session_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How a session ended, if it did: (`ended_ms`, `end_reason`).
pub async fn ending(
    pool: &AnyPool,
    session_id: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT ended_ms, end_reason FROM sign_in_sessions WHERE id = $1")
        .bind(session_id)
        .fetch_optional(pool)
        .await?;
    Ok(match row {
        Some(r) => {
            let ended: Option<i64> = r.try_get("ended_ms")?;
            let reason: Option<String> = r.try_get("end_reason")?;
            ended.map(|e| (e, reason.unwrap_or_default()))
        }
        None => None,
    })
}

/// Forgets sessions (and their handles) that expired before `before`.
pub async fn forget_expired(conn: &mut AnyConnection, before: i64) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "DELETE FROM refresh_handles WHERE session_id IN \
                 (SELECT id FROM sign_in_sessions WHERE expires_ms < $1)",
    )
    .bind(before)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM sign_in_sessions WHERE expires_ms < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
