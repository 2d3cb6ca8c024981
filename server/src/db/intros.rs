//! passion-match intros (`intros`). A deleted intro is kept as a tombstone
//! (`deleted_at` set, message erased): no read here returns it, but it
//! still counts in [`sent_since`] and still blocks a second [`insert`]
//! (so deleting and saying hi again does not get round the limits).

use std::collections::HashSet;

use km_protocol::Page;
use km_protocol::matches::{Intro, IntroStatus};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::store::{now_ms, rfc3339};

const COLUMNS: &str = "i.id, i.message, i.status, i.created_at, \
     f.id AS f_id, f.name AS f_name, f.department AS f_department, f.email AS f_email, \
     t.id AS t_id, t.name AS t_name, t.department AS t_department, t.email AS t_email";

/// The live intros (tombstones left out) with both people.
const FROM: &str = "FROM intros i JOIN people f ON f.id = i.from_id \
     JOIN people t ON t.id = i.to_id AND i.deleted_at IS NULL";

/// Which of a person's intros a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailbox {
    /// The ones they received.
    Incoming,
    /// The ones they sent.
    Outgoing,
}

/// An intro as `viewer` may see it (the contact only when accepted).
fn intro(r: &AnyRow, viewer: &str) -> Result<Intro, sqlx::Error> {
    let status: IntroStatus = super::sql::wire(r, "status")?;
    let from = super::people::summary(r, "f_")?;
    let to = super::people::summary(r, "t_")?;
    let contact = if status == IntroStatus::Accepted {
        let other = if from.id == viewer {
            "t_email"
        } else {
            "f_email"
        };
        r.try_get::<Option<String>, _>(other)?
    } else {
        None
    };
    Ok(Intro {
        id: r.try_get("id")?,
        from,
        to,
        message: r.try_get("message")?,
        status,
        contact,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// The live intro `id` that `viewer` sent or received, if any.
pub async fn load(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    viewer: &str,
) -> Result<Option<Intro>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE i.id = $1 AND i.community = $2 \
         AND (i.from_id = $3 OR i.to_id = $3)"
    ))
    .bind(id)
    .bind(community)
    .bind(viewer)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| intro(&r, viewer))
    .transpose()
}

/// A page of `viewer`'s live intros in `mailbox`, newest first, after the
/// cursor `after` (created_at, id).
pub async fn list(
    pool: &AnyPool,
    community: &str,
    viewer: &str,
    mailbox: Mailbox,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Page<Intro>, sqlx::Error> {
    let column = match mailbox {
        Mailbox::Incoming => "i.to_id",
        Mailbox::Outgoing => "i.from_id",
    };
    let (after, after_id) = after.unwrap_or((i64::MAX, String::new()));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE i.community = $1 AND {column} = $2 \
           AND (i.created_at < $3 OR (i.created_at = $3 AND i.id < $4)) \
         ORDER BY i.created_at DESC, i.id DESC LIMIT $5"
    ))
    .bind(community)
    .bind(viewer)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(pool)
    .await?;
    super::page_of(&rows, limit, "created_at", "id", |r| intro(r, viewer))
}

/// How many intros `from` sent since `since` (epoch ms), tombstones and
/// dismissed ones included.
pub async fn sent_since(
    conn: &mut AnyConnection,
    community: &str,
    from: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM intros WHERE community = $1 AND from_id = $2 AND created_at > $3",
    )
    .bind(community)
    .bind(from)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")
}

/// Stores a pending intro from `from` to `to`: its id, or None when `from`
/// said hi to `to` before (whatever became of that intro).
pub async fn insert(
    conn: &mut AnyConnection,
    community: &str,
    from: &str,
    to: &str,
    message: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let id = crate::store::new_id();
    let done = sqlx::query(
        "INSERT INTO intros (id, community, from_id, to_id, message, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (community, from_id, to_id) DO NOTHING",
    )
    .bind(&id)
    .bind(community)
    .bind(from)
    .bind(to)
    .bind(message)
    .bind(IntroStatus::Pending.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok((done.rows_affected() > 0).then_some(id))
}

/// Sets the status of intro `id` (the receiver's answer).
pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    status: IntroStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE intros SET status = $1, responded_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes (tombstones) the live intro `id` that `person` sent or
/// received; false when there is none.
pub async fn delete(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    person: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE intros SET deleted_at = $1, message = '' \
         WHERE community = $2 AND deleted_at IS NULL AND id = $3 \
           AND (from_id = $4 OR to_id = $4)",
    )
    .bind(now_ms())
    .bind(community)
    .bind(id)
    .bind(person)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes (tombstones) every intro `person` sent or received (deleting a
/// profile).
pub async fn delete_all_of(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE intros SET deleted_at = $1, message = '' \
         WHERE community = $2 AND deleted_at IS NULL AND (from_id = $3 OR to_id = $3)",
    )
    .bind(now_ms())
    .bind(community)
    .bind(person)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The people `person` connected with: an accepted, live intro either way.
pub async fn connected(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
) -> Result<HashSet<String>, sqlx::Error> {
    sqlx::query(
        "SELECT CASE WHEN from_id = $2 THEN to_id ELSE from_id END AS other FROM intros \
         WHERE community = $1 AND status = 'accepted' AND deleted_at IS NULL \
           AND (from_id = $2 OR to_id = $2)",
    )
    .bind(community)
    .bind(person)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("other"))
    .collect()
}
