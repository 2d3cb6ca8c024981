//! reflection-prompt: my cadence settings (daily, weekly or a chosen
//! weekday, my time zone, reminders on or off), read by today's prompt, the
//! journal summary and the due list.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use jiff::tz::TimeZone;
use km_protocol::reflections::{Cadence, ReflectionSettings};
use km_protocol::validate::codes;

use crate::AppState;
use crate::db::reflection_settings as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Signed, Valid};
use crate::prompts;
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/reflections/settings", get(get_mine).put(put_mine))
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

/// My cadence settings (defaults: weekly, UTC, reminders on).
#[utoipa::path(get, path = "/api/v1/reflections/settings", tag = "reflections",
    responses((status = 200, body = ReflectionSettings)),
    security(("bearer" = [])))]
pub async fn get_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
) -> ApiResult<Json<ReflectionSettings>> {
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(db::settings_of(&mut conn, &community, &me.id).await?))
}

/// Sets my cadence: `daily`, `weekly` (ISO weeks) or `weekday` with
/// `weekday` 1-7; `time_zone` an IANA name or a UTC offset.
#[utoipa::path(put, path = "/api/v1/reflections/settings", tag = "reflections",
    request_body = ReflectionSettings,
    responses((status = 200, body = ReflectionSettings)),
    security(("bearer" = [])))]
pub async fn put_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Valid(mut s): Valid<ReflectionSettings>,
) -> ApiResult<Json<ReflectionSettings>> {
    zone("time_zone", &s.time_zone)?;
    if s.cadence != Cadence::Weekday {
        s.weekday = None;
    }
    s.time_zone = s.time_zone.trim().to_owned();
    let mut w = st.store.write().await?;
    db::store(&mut w.tx, &community, &me.id, &s, now_ms()).await?;
    w.commit().await?;
    Ok(Json(s))
}
