//! reflection-prompt reminders: `GET /reflections/due` lists the people
//! whose reflection is due (reminders on, nothing written in their current
//! period, computed in their own time zone), so a portal can send an
//! e-mail or chat message. Readable by admins and by the service token
//! (`--service-token`); it names people, never what they wrote or how they
//! shared it.
//!
//! It cannot date a reflection: it is computed for now or a later instant
//! (an earlier `at` counts as now), and a person is left out when any
//! reflection of theirs is at or after the start of their period, so the
//! answer depends only on which period a reflection is in, never on its
//! exact time. Asking just before and just after an anonymous feed entry's
//! time gives the same list, so it never tells who wrote it.

use axum::extract::{FromRequestParts, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::reflections::{Cadence, DueList, DuePerson};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::db::reflection_settings::reminded;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Community, Query};
use crate::prompts;
use crate::store::{now_ms, rfc3339};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/reflections/due", get(due))
}

/// An admin, or a request with the service token.
pub struct AdminOrService;

impl FromRequestParts<AppState> for AdminOrService {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let (Some(given), Some(token)) = (bearer, st.service_token.as_deref())
            && same(given, token)
        {
            return Ok(AdminOrService);
        }
        match Caller::from_request_parts(parts, st).await?.0 {
            Some(me) if me.is_admin() => Ok(AdminOrService),
            Some(_) => Err(ApiError::Forbidden(
                "only admins and the service token read the due list".into(),
            )),
            None => Err(ApiError::Unauthorized("sign in to read this".into())),
        }
    }
}

/// Compares digests, so the time taken does not depend on how much of the
/// token was right.
fn same(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

/// The schema of `at`: an RFC 3339 timestamp, or empty for now.
fn timestamp_or_empty() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .into()
}

/// Query of `GET /reflections/due`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct DueQuery {
    /// Compute the list for the period of this moment (RFC 3339) instead
    /// of now's, e.g. the time the portal's reminder job will send. A
    /// moment in the past counts as now: the list never looks back.
    #[param(schema_with = timestamp_or_empty)]
    pub at: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// People whose reflection is due: reminders on, and no reflection in the
/// period of their cadence (in their time zone) that contains `at` (now,
/// or a later moment). By person id. Past moments count as now, so the
/// list cannot be asked about the moments around a reflection.
#[utoipa::path(get, path = "/api/v1/reflections/due", tag = "reflections", params(DueQuery),
    responses((status = 200, body = DueList),
              (status = 403, description = "neither an admin nor the service token")),
    security(("bearer" = [])))]
pub async fn due(
    State(st): State<AppState>,
    _caller: AdminOrService,
    Community(community): Community,
    Query(q): Query<DueQuery>,
) -> ApiResult<Json<DueList>> {
    let now = now_ms();
    let at = match q.at.as_deref() {
        None | Some("") => now,
        Some(s) => s
            .parse::<jiff::Timestamp>()
            .map(|t| t.as_millisecond())
            .map_err(|_| {
                ApiError::field(
                    "at",
                    km_protocol::validate::codes::INVALID_FORMAT,
                    "use an RFC 3339 timestamp",
                )
            })?
            // Never before now: a caller who could choose past moments could
            // ask just before and just after a reflection.
            .max(now),
    };
    let limit = super::limit(q.limit)? as usize;
    let after = q.cursor.unwrap_or_default();
    // The latest reflection of everyone with reminders on; a person is due
    // when it is older than the start of their period.
    let mut conn = st.store.pool().acquire().await?;
    let people = reminded(&mut conn, &community, &after).await?;
    drop(conn);
    let mut items = Vec::new();
    let mut next_cursor = None;
    for p in people {
        let settings = p.settings;
        let Some(tz) = prompts::parse_zone(&settings.time_zone) else {
            continue;
        };
        let weekday = (settings.cadence == Cadence::Weekday).then(|| settings.weekday.unwrap_or(1));
        let period = prompts::period(at, settings.cadence, weekday, &tz);
        if p.last_at.is_some_and(|t| t >= period.start_ms) {
            continue;
        }
        if items.len() == limit {
            next_cursor = items.last().map(|p: &DuePerson| p.id.clone());
            break;
        }
        items.push(DuePerson {
            id: p.id,
            name: p.name,
            email: p.email,
            cadence: settings.cadence,
            weekday,
            time_zone: settings.time_zone,
            period: period.name,
            period_start: rfc3339(period.start_ms),
            period_end: rfc3339(period.end_ms),
        });
    }
    Ok(Json(DueList {
        at: rfc3339(at),
        items,
        next_cursor,
    }))
}
