//! reflection-prompt: my cadence settings (daily, weekly or a chosen
//! weekday, my time zone, reminders on or off), read by today's prompt, the
//! journal summary and the due list.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use jiff::tz::TimeZone;
use km_protocol::Validate;
use km_protocol::reflections::{Cadence, ReflectionSettings};
use km_protocol::validate::codes;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Signed};
use crate::prompts;
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/reflections/settings", get(get_mine).put(put_mine))
}

/// The stored form of a cadence.
pub fn cadence_text(c: Cadence) -> &'static str {
    match c {
        Cadence::Daily => "daily",
        Cadence::Weekly => "weekly",
        Cadence::Weekday => "weekday",
    }
}

fn cadence_from(s: &str) -> Cadence {
    match s {
        "daily" => Cadence::Daily,
        "weekday" => Cadence::Weekday,
        _ => Cadence::Weekly,
    }
}

/// Settings from a row with `cadence, weekday, time_zone, reminders`.
pub fn from_row(r: &AnyRow) -> Result<ReflectionSettings, sqlx::Error> {
    Ok(ReflectionSettings {
        cadence: cadence_from(&r.try_get::<String, _>("cadence")?),
        weekday: r
            .try_get::<Option<i64>, _>("weekday")?
            .and_then(|d| u8::try_from(d).ok()),
        time_zone: r.try_get("time_zone")?,
        reminders: crate::store::flag(r.try_get("reminders")?),
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
    row.map(|r| from_row(&r))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Stores settings (after [`checked`]).
pub async fn store(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    s: &ReflectionSettings,
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
    .bind(cadence_text(s.cadence))
    .bind(s.weekday.map(i64::from))
    .bind(s.time_zone.trim())
    .bind(i64::from(s.reminders))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The zone of a `time_zone` field or `tz` parameter (a 422 naming `field`
/// when it is neither an IANA name nor a UTC offset).
pub fn zone(field: &str, name: &str) -> Result<TimeZone, ApiError> {
    prompts::parse_zone(name).ok_or_else(|| {
        ApiError::field(
            field,
            codes::INVALID_FORMAT,
            format!("unknown time zone {name:?}: use an IANA name (Europe/Amsterdam) or an offset (+01:00)"),
        )
    })
}

/// Validates settings, including the time zone.
pub fn checked(s: &ReflectionSettings) -> Result<TimeZone, ApiError> {
    s.validate().map_err(ApiError::Validation)?;
    zone("time_zone", &s.time_zone)
}

/// My cadence settings (defaults: weekly, UTC, reminders on).
#[utoipa::path(get, path = "/api/v1/reflections/settings", tag = "reflections",
    responses((status = 200, body = ReflectionSettings), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn get_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
) -> ApiResult<Json<ReflectionSettings>> {
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(settings_of(&mut conn, &community, &me.id).await?))
}

/// Sets my cadence: `daily`, `weekly` (ISO weeks) or `weekday` with
/// `weekday` 1-7; `time_zone` an IANA name or a UTC offset.
#[utoipa::path(put, path = "/api/v1/reflections/settings", tag = "reflections",
    request_body = ReflectionSettings,
    responses((status = 200, body = ReflectionSettings), (status = 401, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn put_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    extract::Json(mut s): extract::Json<ReflectionSettings>,
) -> ApiResult<Json<ReflectionSettings>> {
    checked(&s)?;
    if s.cadence != Cadence::Weekday {
        s.weekday = None;
    }
    s.time_zone = s.time_zone.trim().to_owned();
    let mut w = st.store.write().await?;
    store(&mut w.tx, &community, &me.id, &s).await?;
    w.commit().await?;
    Ok(Json(s))
}
