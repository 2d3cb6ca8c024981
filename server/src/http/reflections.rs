//! reflection-prompt: today's prompt, writing a reflection (idempotent),
//! and my own reflections. A private reflection is readable by its author
//! only: there is no route that returns another person's private text.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use km_protocol::reflections::{
    Cadence, NewReflection, Reflection, ReflectionVisibility, TodayPrompt,
};
use km_protocol::{Me, Page, PageQuery, Validate};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Query, Reader, Signed};
use crate::store::{Cursor, new_id, now_ms, rfc3339};
use crate::tag_vocabulary::{labels_from_json, labels_json, resolve, set_links};
use crate::{idempotency, people, prompts};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/prompts/today", get(today))
        .route("/reflections", post(write))
        .route("/reflections/mine", get(mine))
}

/// Query of `GET /prompts/today`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct TodayQuery {
    /// Language of the prompt text: `en` (default) or `nl`.
    pub lang: Option<String>,
    /// A prompt set (only the built-in `default` set so far).
    pub set: Option<String>,
    /// `daily` or `weekly` (default).
    pub cadence: Option<Cadence>,
}

fn visibility_text(v: ReflectionVisibility) -> &'static str {
    match v {
        ReflectionVisibility::Private => "private",
        ReflectionVisibility::Shared => "shared",
        ReflectionVisibility::Anonymous => "anonymous",
    }
}

fn visibility_from(s: &str) -> ReflectionVisibility {
    match s {
        "shared" => ReflectionVisibility::Shared,
        "anonymous" => ReflectionVisibility::Anonymous,
        _ => ReflectionVisibility::Private,
    }
}

/// Today's prompt for the caller (anonymous callers get the period's
/// prompt for everyone) and whether they already reflected this period.
#[utoipa::path(get, path = "/api/v1/prompts/today", tag = "reflections", params(TodayQuery),
    responses((status = 200, body = TodayPrompt), (status = 400, body = km_protocol::Problem)))]
pub async fn today(
    State(st): State<AppState>,
    Reader(caller): Reader,
    Community(community): Community,
    Query(q): Query<TodayQuery>,
) -> ApiResult<Json<TodayPrompt>> {
    if let Some(set) = q.set.as_deref()
        && !set.is_empty()
        && set != "default"
    {
        return Err(ApiError::field(
            "set",
            km_protocol::validate::codes::INVALID_FORMAT,
            format!("unknown prompt set {set:?}"),
        ));
    }
    let cadence = q.cadence.unwrap_or_default();
    let (period, start, end) = prompts::period(time::OffsetDateTime::now_utc(), cadence);
    let person = caller.as_ref().map(|m| m.id.as_str()).unwrap_or("");
    let prompt = prompts::choose(person, &period).localized(q.lang.as_deref().unwrap_or("en"));
    let done = match &caller {
        Some(me) => {
            let n: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM reflections WHERE community = $1 AND author_id = $2 \
                 AND created_at >= $3 AND created_at < $4",
            )
            .bind(&community)
            .bind(&me.id)
            .bind(start)
            .bind(end)
            .fetch_one(st.store.pool())
            .await?
            .try_get("n")?;
            n > 0
        }
        None => false,
    };
    Ok(Json(TodayPrompt {
        prompt,
        period,
        cadence,
        done,
    }))
}

fn reflection(r: &AnyRow, with_author: bool) -> Result<Reflection, sqlx::Error> {
    let vis: String = r.try_get("visibility")?;
    let visibility = visibility_from(&vis);
    Ok(Reflection {
        id: r.try_get("id")?,
        prompt_id: r.try_get("prompt_id")?,
        body: r.try_get("body")?,
        energy: r.try_get("energy")?,
        tags: labels_from_json(&r.try_get::<String, _>("tags")?),
        visibility,
        author: if with_author && visibility != ReflectionVisibility::Anonymous {
            Some(people::summary(r, "a_")?)
        } else {
            None
        },
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

const COLUMNS: &str = "r.id, r.prompt_id, r.body, r.energy, r.tags, r.visibility, r.created_at, \
     pe.id AS a_id, pe.name AS a_name, pe.department AS a_department";

/// Stores a reflection by `me` (used by the API and the demo seed).
pub async fn create(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    r: &NewReflection,
    now: i64,
) -> Result<String, ApiError> {
    r.validate().map_err(ApiError::Validation)?;
    if let Some(pid) = &r.prompt_id
        && prompts::by_id(pid).is_none()
    {
        return Err(ApiError::field(
            "prompt_id",
            km_protocol::validate::codes::INVALID_FORMAT,
            "unknown prompt",
        ));
    }
    people::upsert(conn, me).await?;
    let tags = resolve(conn, community, &r.tags).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO reflections (id, community, author_id, prompt_id, body, energy, tags, \
         visibility, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(community)
    .bind(&me.id)
    .bind(r.prompt_id.as_deref())
    .bind(r.body.trim_end())
    .bind(r.energy)
    .bind(labels_json(&tags))
    .bind(visibility_text(r.visibility))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let public = r.visibility != ReflectionVisibility::Private;
    set_links(conn, community, "reflection", &id, &tags, public).await?;
    Ok(id)
}

/// Writes a reflection (private unless `visibility` says otherwise). Send
/// an `Idempotency-Key` so a retry never saves twice.
#[utoipa::path(post, path = "/api/v1/reflections", tag = "reflections", request_body = NewReflection,
    params(("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Reflection), (status = 401, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn write(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    IdempotencyKey(key): IdempotencyKey,
    extract::Json(r): extract::Json<NewReflection>,
) -> ApiResult<Response> {
    r.validate().map_err(ApiError::Validation)?;
    let hash = idempotency::fingerprint(&format!("POST /reflections {community}"), &r);
    let mut w = st.store.write().await?;
    if let Some(r) = idempotency::begin(&mut w, &me.id, key.as_deref(), &hash).await? {
        return Ok(r);
    }
    let id = create(&mut w.tx, &community, &me, &r, now_ms()).await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reflections r JOIN people pe ON pe.id = r.author_id WHERE r.id = $1"
    ))
    .bind(&id)
    .fetch_one(&mut *w.tx)
    .await?;
    let body = serde_json::to_string(&reflection(&row, true)?)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    idempotency::finish(
        &st.store,
        w,
        &me.id,
        key.as_deref(),
        &hash,
        StatusCode::CREATED,
        body,
    )
    .await
}

/// My reflections, newest first (all visibilities; only mine).
#[utoipa::path(get, path = "/api/v1/reflections/mine", tag = "reflections", params(PageQuery),
    responses((status = 200, body = Page<Reflection>), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<Reflection>>> {
    let limit = super::limit(q.limit);
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MAX, String::new()));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reflections r JOIN people pe ON pe.id = r.author_id \
         WHERE r.community = $1 AND r.author_id = $2 \
           AND (r.created_at < $3 OR (r.created_at = $3 AND r.id < $4)) \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $5"
    ))
    .bind(&community)
    .bind(&me.id)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(st.store.pool())
    .await?;
    // My own reflections show me as the author even when shared anonymously.
    let page = super::page_of(&rows, limit, "created_at", "id", |r| {
        let mut x = reflection(r, true)?;
        if x.author.is_none() {
            x.author = Some(people::summary(r, "a_")?);
        }
        Ok(x)
    })?;
    Ok(Json(page))
}
