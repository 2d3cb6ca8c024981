//! Reflection cadence settings per person, and the people a reminder may
//! be due for.

use km_protocol::reflections::ReflectionSettings;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::sql::wire;
use crate::store::flag;

/// Settings from a row with `cadence, weekday, time_zone, reminders`.
fn settings(r: &AnyRow) -> Result<ReflectionSettings, sqlx::Error> {
    Ok(ReflectionSettings {
        cadence: wire(r, "cadence")?,
        weekday: r
            .try_get::<Option<i64>, _>("weekday")?
            .and_then(|d| u8::try_from(d).ok()),
        time_zone: r.try_get("time_zone")?,
        reminders: flag(r.try_get("reminders")?),
    })
}

/// A person's settings (the defaults when they never chose any).
pub async fn settings_of(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
) -> Result<ReflectionSettings, sqlx::Error> {
    let row = sqlx::query(
        "SELECT cadence, weekday, time_zone, reminders FROM reflection_settings \
         WHERE community = $1 AND person_id = $2",
    )
    .bind(community)
    .bind(person)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| settings(&r))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Stores a person's settings (checked before).
pub async fn store(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    s: &ReflectionSettings,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reflection_settings (community, person_id, cadence, weekday, time_zone, \
         reminders, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (community, person_id) DO UPDATE SET cadence = excluded.cadence, \
         weekday = excluded.weekday, time_zone = excluded.time_zone, \
         reminders = excluded.reminders, updated_at = excluded.updated_at",
    )
    .bind(community)
    .bind(person)
    .bind(s.cadence.as_str())
    .bind(s.weekday.map(i64::from))
    .bind(s.time_zone.trim())
    .bind(i64::from(s.reminders))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Someone with reminders on, and when they last reflected.
#[derive(Debug, Clone)]
pub struct Reminded {
    /// Person id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// E-mail address, if the portal sent one.
    pub email: Option<String>,
    /// Their cadence settings.
    pub settings: ReflectionSettings,
    /// Their latest reflection in the community (epoch ms).
    pub last_at: Option<i64>,
}

/// Everyone of `community` with reminders on whose id sorts after
/// `after`, by id, with their latest reflection. No bound by time on it:
/// whether someone is due depends on which period it is in.
pub async fn reminded(
    conn: &mut AnyConnection,
    community: &str,
    after: &str,
) -> Result<Vec<Reminded>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.person_id, s.cadence, s.weekday, s.time_zone, s.reminders, pe.name, pe.email, \
           (SELECT MAX(r.created_at) FROM reflections r \
              WHERE r.community = s.community AND r.author_id = s.person_id) AS last_at \
         FROM reflection_settings s JOIN people pe ON pe.id = s.person_id \
         WHERE s.community = $1 AND s.reminders = 1 AND s.person_id > $2 \
         ORDER BY s.person_id",
    )
    .bind(community)
    .bind(after)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Reminded {
                id: r.try_get("person_id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                settings: settings(r)?,
                last_at: r.try_get("last_at")?,
            })
        })
        .collect()
}
