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

use crate::AppState;
use crate::db::prompts::{self as db, Draw};
use crate::db::reflection_settings as settings_db;
use crate::db::reflections::reflected_between;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Reader, Signed};
use crate::http::reflection_settings::zone;
use crate::prompts::{self, SetPrompt};
use crate::store::{TxConn, now_ms};

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
    responses((status = 200, body = TodayPrompt)))]
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
    responses((status = 200, body = TodayPrompt)),
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
        db::load_set(&mut conn, community, &set).await?
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
        Some(me) => settings_db::settings_of(&mut conn, community, &me.id).await?,
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
                settings_db::store(&mut w.tx, community, &me.id, &settings, now_ms()).await?;
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
            let done =
                reflected_between(&mut w.tx, community, &me.id, period.start_ms, period.end_ms)
                    .await?;
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

/// The person's prompt of `period` in `set`: the latest draw when it is of
/// this period (unless skipping), else a new draw from the round.
async fn rotate(
    conn: &mut TxConn,
    community: &str,
    person: &str,
    set: &str,
    period: &str,
    prompts: &[SetPrompt],
    skip: bool,
) -> Result<SetPrompt, ApiError> {
    let draws = db::draws(conn, community, person, set).await?;
    let latest = draws.first();
    if let Some(d) = latest
        && d.period == period
        && !skip
        && let Some(found) = prompts.iter().find(|x| x.id == d.prompt_id)
    {
        return Ok(found.clone());
    }
    // Only prompts still in the set count as used.
    let used: Vec<String> = draws
        .iter()
        .map(|d| d.prompt_id.clone())
        .filter(|u| prompts.iter().any(|p| &p.id == u))
        .collect();
    let avoid = latest.map(|d| d.prompt_id.as_str());
    let (next, new_round) = prompts::draw(person, period, prompts, &used, avoid)
        .ok_or_else(|| set_error("empty set".into()))?;
    let draw = Draw {
        prompt_id: next.id.clone(),
        period: period.to_owned(),
        // Strictly after the previous draw, so "latest" is never a tie.
        drawn_at: now_ms().max(latest.map_or(0, |d| d.drawn_at + 1)),
    };
    db::record_draw(conn, community, person, set, &draw, new_round).await?;
    Ok(next.clone())
}
