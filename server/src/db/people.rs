//! People as the portal's tokens describe them (`people`), and the person
//! columns of other resources' rows.

use km_protocol::{Me, PersonSummary};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::auth::{roles_from_text, roles_to_text};
use crate::store::now_ms;

/// Inserts or refreshes `me`'s row. A changed department changes who sees
/// their department-only profile: matching is told.
pub async fn upsert(conn: &mut AnyConnection, me: &Me) -> Result<(), sqlx::Error> {
    let before: Option<Option<String>> = sqlx::query("SELECT department FROM people WHERE id = $1")
        .bind(&me.id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("department"))
        .transpose()?;
    if before.is_some_and(|d| d != me.department) {
        super::match_index::record_change(conn, &me.id).await?;
    }
    sqlx::query(
        "INSERT INTO people (id, name, email, department, roles, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, \
         department = excluded.department, roles = excluded.roles, updated_at = excluded.updated_at",
    )
    .bind(&me.id)
    .bind(&me.name)
    .bind(me.email.as_deref())
    .bind(me.department.as_deref())
    .bind(roles_to_text(&me.roles))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether `me`'s row says what the token says (None: there is no row).
pub async fn is_current(pool: &AnyPool, me: &Me) -> Result<Option<bool>, sqlx::Error> {
    let row = sqlx::query("SELECT name, email, department, roles FROM people WHERE id = $1")
        .bind(&me.id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        Ok(r.try_get::<String, _>("name")? == me.name
            && r.try_get::<Option<String>, _>("email")? == me.email
            && r.try_get::<Option<String>, _>("department")? == me.department
            && r.try_get::<String, _>("roles")? == roles_to_text(&me.roles))
    })
    .transpose()
}

/// A person summary from a row with `<prefix>id`, `<prefix>name`,
/// `<prefix>department` columns.
pub fn summary(row: &AnyRow, prefix: &str) -> Result<PersonSummary, sqlx::Error> {
    Ok(PersonSummary {
        id: row.try_get(format!("{prefix}id").as_str())?,
        name: row.try_get(format!("{prefix}name").as_str())?,
        department: row.try_get(format!("{prefix}department").as_str())?,
    })
}

/// A person of the demo company, as stored.
#[derive(Debug, Clone)]
pub struct DemoPerson {
    /// Their `sub`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// E-mail, if known.
    pub email: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Role names (`km:moderator`, `km:admin`).
    pub roles: Vec<String>,
}

const DEMO_COLUMNS: &str = "SELECT id, name, email, department, roles FROM people";

fn demo_person(r: &AnyRow) -> Result<DemoPerson, sqlx::Error> {
    Ok(DemoPerson {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        department: r.try_get("department")?,
        roles: roles_from_text(&r.try_get::<String, _>("roles")?),
    })
}

/// The demo company's people, in the switcher's order.
pub async fn demo_people(pool: &AnyPool) -> Result<Vec<DemoPerson>, sqlx::Error> {
    sqlx::query(&format!(
        "{DEMO_COLUMNS} WHERE position > 0 ORDER BY position"
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(demo_person)
    .collect()
}

/// The demo person `sub`, if it is one.
pub async fn demo_person_of(pool: &AnyPool, sub: &str) -> Result<Option<DemoPerson>, sqlx::Error> {
    sqlx::query(&format!("{DEMO_COLUMNS} WHERE id = $1 AND position > 0"))
        .bind(sub)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(demo_person)
        .transpose()
}

/// How many demo people there are (0: not seeded).
pub async fn demo_count(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM people WHERE position > 0")
        .fetch_one(pool)
        .await?
        .try_get("n")
}

/// Makes `id` a demo person: their place in the switcher (from 1) and
/// language.
pub async fn set_demo_position(
    conn: &mut AnyConnection,
    id: &str,
    position: i64,
    lang: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE people SET position = $1, lang = $2 WHERE id = $3")
        .bind(position)
        .bind(lang)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The demo's signing secret (`settings`), made by `make` on first use.
pub async fn demo_secret(
    conn: &mut AnyConnection,
    make: impl FnOnce() -> String,
) -> Result<String, sqlx::Error> {
    let existing = sqlx::query("SELECT value FROM settings WHERE key = 'demo_jwt_secret'")
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = existing {
        return row.try_get("value");
    }
    let secret = make();
    sqlx::query("INSERT INTO settings (key, value) VALUES ('demo_jwt_secret', $1)")
        .bind(&secret)
        .execute(&mut *conn)
        .await?;
    Ok(secret)
}
