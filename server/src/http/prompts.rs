//! reflection-prompt: today's prompt and "another prompt".
//!
//! A signed-in person gets one prompt per cadence period, computed in their
//! time zone, from a rotation that shows every prompt of the set once
//! before any repeats (kept per person and set in `prompt_draws`, so it
//! survives devices and reloads). Skipping draws another prompt of the
//! round for the same period. Anonymous callers get the period's prompt
//! for everyone, and nothing is stored.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use km_protocol::reflections::{Cadence, DEFAULT_PROMPT_SET, ReflectionSettings, TodayPrompt};
use km_protocol::validate::codes;
use km_protocol::{Me, reflections::is_set_id};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Reader, Signed};
use crate::http::prompt_sets::load_set;
use crate::http::reflection_settings::{self, settings_of, zone};
use crate::prompts::{self, Period, SetPrompt};
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/prompts/today", get(today))
        .route("/prompts/today/skip", post(skip))
}

/// Query of `GET /prompts/today` and `POST /prompts/today/skip`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct TodayQuery {
    /// Language of the prompt text: `en` (default) or `nl`.
    pub lang: Option<String>,
    /// A prompt set id (default `default`, the built-in library).
    pub set: Option<String>,
    /// `daily`, `weekly` or `weekday`: overrides the stored cadence.
    pub cadence: Option<Cadence>,
    /// The browser's time zone (IANA name or UTC offset). For a signed-in
    /// caller it also becomes their stored time zone (used by the due list).
    #[param(max_length = 64)]
    pub tz: Option<String>,
}

/// Today's prompt for the caller (anonymous callers get the period's
/// prompt for everyone) and whether they already reflected this period.
#[utoipa::path(get, path = "/api/v1/prompts/today", tag = "reflections", params(TodayQuery),
    responses((status = 200, body = TodayPrompt), (status = 400, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)))]
pub async fn today(
    State(st): State<AppState>,
    Reader(caller): Reader,
    Community(community): Community,
    Query(q): Query<TodayQuery>,
) -> ApiResult<Json<TodayPrompt>> {
    current(&st, caller.as_ref(), &community, &q, false)
        .await
        .map(Json)
}

/// "Another prompt": draws a different prompt of the round for the current
/// period (the skipped one counts as shown).
#[utoipa::path(post, path = "/api/v1/prompts/today/skip", tag = "reflections", params(TodayQuery),
    responses((status = 200, body = TodayPrompt), (status = 401, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn skip(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<TodayQuery>,
) -> ApiResult<Json<TodayPrompt>> {
    current(&st, Some(&me), &community, &q, true)
        .await
        .map(Json)
}

fn set_error(message: String) -> ApiError {
    ApiError::field("set", codes::INVALID_FORMAT, message)
}

async fn current(
    st: &AppState,
    caller: Option<&Me>,
    community: &str,
    q: &TodayQuery,
    skip: bool,
) -> Result<TodayPrompt, ApiError> {
    let set = q
        .set
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_PROMPT_SET)
        .to_owned();
    let lang = q.lang.as_deref().unwrap_or("en");
    let tz_name = q.tz.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let tz = tz_name.map(|n| zone("tz", n)).transpose()?;
    let mut conn = st.store.pool().acquire().await?;
    let prompts = if is_set_id(&set) {
        load_set(&mut conn, community, &set).await?
    } else {
        None
    }
    .ok_or_else(|| set_error(format!("unknown prompt set {set:?}")))?;
    if prompts.is_empty() {
        return Err(set_error(format!(
            "the prompt set {set:?} has no prompts yet"
        )));
    }
    let mut settings = match caller {
        Some(me) => settings_of(&mut conn, community, &me.id).await?,
        None => ReflectionSettings::default(),
    };
    drop(conn);
    if let Some(name) = tz_name {
        settings.time_zone = name.to_owned();
    }
    let cadence = q.cadence.unwrap_or(settings.cadence);
    let weekday = (cadence == Cadence::Weekday).then(|| settings.weekday.unwrap_or(1));
    let tz = match tz {
        Some(tz) => tz,
        None => zone("tz", &settings.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
    };
    let period = prompts::period(now_ms(), cadence, weekday, &tz);
    let (prompt, done) = match caller {
        None => {
            let p = prompts::draw("", &period.name, &prompts, &[], None)
                .map(|(p, _)| p.clone())
                .ok_or_else(|| set_error("empty set".into()))?;
            (p, false)
        }
        Some(me) => {
            let mut w = st.store.write().await?;
            if tz_name.is_some() {
                crate::people::upsert(&mut w.tx, me).await?;
                reflection_settings::store(&mut w.tx, community, &me.id, &settings).await?;
            }
            let p = rotate(
                &mut w.tx,
                community,
                &me.id,
                &set,
                &period.name,
                &prompts,
                skip,
            )
            .await?;
            let done = reflected_in(&mut w.tx, community, &me.id, &period).await?;
            w.commit().await?;
            (p, done)
        }
    };
    Ok(TodayPrompt {
        prompt: prompt.localized(lang),
        period: period.name,
        cadence,
        done,
        set,
        time_zone: settings.time_zone,
        weekday,
    })
}

/// Whether `person` wrote a reflection in `period`.
pub async fn reflected_in(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    period: &Period,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM reflections WHERE community = $1 AND author_id = $2 \
         AND created_at >= $3 AND created_at < $4",
    )
    .bind(community)
    .bind(person)
    .bind(period.start_ms)
    .bind(period.end_ms)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// The person's prompt of `period` in `set`: the latest draw when it is of
/// this period (unless skipping), else a new draw from the round.
async fn rotate(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
    set: &str,
    period: &str,
    prompts: &[SetPrompt],
    skip: bool,
) -> Result<SetPrompt, ApiError> {
    let rows = sqlx::query(
        "SELECT prompt_id, period, drawn_at FROM prompt_draws \
         WHERE community = $1 AND person_id = $2 AND set_id = $3 ORDER BY drawn_at DESC",
    )
    .bind(community)
    .bind(person)
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    let mut used = Vec::with_capacity(rows.len());
    for r in &rows {
        used.push(r.try_get::<String, _>("prompt_id")?);
    }
    let latest = match rows.first() {
        Some(r) => Some((
            r.try_get::<String, _>("prompt_id")?,
            r.try_get::<String, _>("period")?,
            r.try_get::<i64, _>("drawn_at")?,
        )),
        None => None,
    };
    if let Some((id, p, _)) = &latest
        && p == period
        && !skip
        && let Some(found) = prompts.iter().find(|x| &x.id == id)
    {
        return Ok(found.clone());
    }
    // Only prompts still in the set count as used.
    used.retain(|u| prompts.iter().any(|p| &p.id == u));
    let avoid = latest.as_ref().map(|(id, ..)| id.as_str());
    let (next, new_round) = prompts::draw(person, period, prompts, &used, avoid)
        .ok_or_else(|| set_error("empty set".into()))?;
    if new_round {
        sqlx::query(
            "DELETE FROM prompt_draws WHERE community = $1 AND person_id = $2 AND set_id = $3",
        )
        .bind(community)
        .bind(person)
        .bind(set)
        .execute(&mut *conn)
        .await?;
    }
    // Strictly after the previous draw, so "latest" is never a tie.
    let at = now_ms().max(latest.map(|(.., t)| t + 1).unwrap_or(0));
    sqlx::query(
        "INSERT INTO prompt_draws (community, person_id, set_id, prompt_id, period, drawn_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community, person_id, set_id, prompt_id) \
         DO UPDATE SET period = excluded.period, drawn_at = excluded.drawn_at",
    )
    .bind(community)
    .bind(person)
    .bind(set)
    .bind(&next.id)
    .bind(period)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(next.clone())
}
