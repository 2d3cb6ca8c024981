//! Prompt sets: the built-in `default` library plus sets and prompts an
//! admin adds over the API. A page editor picks a set with the widget's
//! `prompt-set` attribute.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::Validate;
use km_protocol::reflections::{
    Activity, DEFAULT_PROMPT_SET, NewPrompt, NewPromptSet, Prompt, PromptSet, Stage, is_set_id,
};
use km_protocol::validate::codes;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Query, Reader, Signed};
use crate::prompts::{LIBRARY, SetPrompt};
use crate::store::{new_id, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/prompt-sets", get(list).post(create))
        .route("/prompt-sets/{id}/prompts", get(prompts).post(add_prompt))
}

fn stage_text(s: Stage) -> &'static str {
    match s {
        Stage::Seek => "seek",
        Stage::Sense => "sense",
        Stage::Share => "share",
    }
}

fn activity_text(a: Activity) -> &'static str {
    match a {
        Activity::Experience => "experience",
        Activity::Practice => "practice",
        Activity::Conversation => "conversation",
        Activity::Reflection => "reflection",
    }
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The prompts of `set` (the built-in library first for `default`), or
/// None when the set does not exist.
pub async fn load_set(
    conn: &mut AnyConnection,
    community: &str,
    set: &str,
) -> Result<Option<Vec<SetPrompt>>, sqlx::Error> {
    let mut out: Vec<SetPrompt> = Vec::new();
    if set == DEFAULT_PROMPT_SET {
        out.extend(LIBRARY.iter().map(SetPrompt::from));
    } else {
        let exists = sqlx::query("SELECT id FROM prompt_sets WHERE community = $1 AND id = $2")
            .bind(community)
            .bind(set)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
    }
    let rows = sqlx::query(
        "SELECT id, stage, activity, text_en, text_nl FROM custom_prompts \
         WHERE community = $1 AND set_id = $2 ORDER BY created_at, id",
    )
    .bind(community)
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        out.push(SetPrompt {
            id: r.try_get("id")?,
            stage: parse(&r.try_get::<String, _>("stage")?)?,
            activity: parse(&r.try_get::<String, _>("activity")?)?,
            en: r.try_get("text_en")?,
            nl: r.try_get("text_nl")?,
        });
    }
    Ok(Some(out))
}

/// Whether `id` is a prompt of the library or of any set of `community`.
pub async fn prompt_exists(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    if crate::prompts::by_id(id).is_some() {
        return Ok(true);
    }
    let row = sqlx::query("SELECT id FROM custom_prompts WHERE community = $1 AND id = $2")
        .bind(community)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// The built-in set and the sets an admin added, with their sizes.
#[utoipa::path(get, path = "/api/v1/prompt-sets", tag = "reflections",
    responses((status = 200, body = Vec<PromptSet>)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(_reader): Reader,
    Community(community): Community,
) -> ApiResult<Json<Vec<PromptSet>>> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, (SELECT COUNT(*) FROM custom_prompts c \
           WHERE c.community = s.community AND c.set_id = s.id) AS n \
         FROM prompt_sets s WHERE s.community = $1 ORDER BY s.created_at, s.id",
    )
    .bind(&community)
    .fetch_all(st.store.pool())
    .await?;
    let extra: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM custom_prompts WHERE community = $1 AND set_id = $2",
    )
    .bind(&community)
    .bind(DEFAULT_PROMPT_SET)
    .fetch_one(st.store.pool())
    .await?
    .try_get("n")?;
    let mut out = vec![PromptSet {
        id: DEFAULT_PROMPT_SET.to_owned(),
        name: "Seek, sense, share".to_owned(),
        prompt_count: LIBRARY.len() as i64 + extra,
    }];
    for r in rows {
        out.push(PromptSet {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            prompt_count: r.try_get("n")?,
        });
    }
    Ok(Json(out))
}

fn admin(me: &km_protocol::Me) -> Result<(), ApiError> {
    if me.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only admins manage prompt sets".into()))
    }
}

/// Adds a prompt set (admin). A taken id is a 422 on `id`.
#[utoipa::path(post, path = "/api/v1/prompt-sets", tag = "reflections", request_body = NewPromptSet,
    responses((status = 201, body = PromptSet), (status = 403, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    extract::Json(s): extract::Json<NewPromptSet>,
) -> ApiResult<(StatusCode, Json<PromptSet>)> {
    admin(&me)?;
    s.validate().map_err(ApiError::Validation)?;
    let mut w = st.store.write().await?;
    let done = sqlx::query(
        "INSERT INTO prompt_sets (community, id, name, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community, id) DO NOTHING",
    )
    .bind(&community)
    .bind(&s.id)
    .bind(s.name.trim())
    .bind(&me.id)
    .bind(now_ms())
    .execute(&mut *w.tx)
    .await?;
    if done.rows_affected() == 0 || s.id == DEFAULT_PROMPT_SET {
        return Err(ApiError::field(
            "id",
            codes::TAKEN,
            "this prompt set exists already",
        ));
    }
    w.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(PromptSet {
            id: s.id,
            name: s.name.trim().to_owned(),
            prompt_count: 0,
        }),
    ))
}

/// Query of `GET /prompt-sets/{id}/prompts`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct LangQuery {
    /// `en` (default) or `nl`.
    pub lang: Option<String>,
}

/// The prompts of a set in one language (404 for an unknown set).
#[utoipa::path(get, path = "/api/v1/prompt-sets/{id}/prompts", tag = "reflections",
    params(("id" = String, Path, description = "prompt set id"), LangQuery),
    responses((status = 200, body = Vec<Prompt>), (status = 404, body = km_protocol::Problem)))]
pub async fn prompts(
    State(st): State<AppState>,
    Reader(_reader): Reader,
    Community(community): Community,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> ApiResult<Json<Vec<Prompt>>> {
    let mut conn = st.store.pool().acquire().await?;
    let set = load_set(&mut conn, &community, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let lang = q.lang.unwrap_or_default();
    Ok(Json(set.iter().map(|p| p.localized(&lang)).collect()))
}

/// Adds a prompt in English and Dutch to a set (admin; `default` too).
#[utoipa::path(post, path = "/api/v1/prompt-sets/{id}/prompts", tag = "reflections",
    params(("id" = String, Path, description = "prompt set id")), request_body = NewPrompt,
    responses((status = 201, body = Prompt), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn add_prompt(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(set): Path<String>,
    extract::Json(p): extract::Json<NewPrompt>,
) -> ApiResult<(StatusCode, Json<Prompt>)> {
    admin(&me)?;
    p.validate().map_err(ApiError::Validation)?;
    if !is_set_id(&set) {
        return Err(ApiError::NotFound);
    }
    let mut w = st.store.write().await?;
    if set != DEFAULT_PROMPT_SET
        && sqlx::query("SELECT id FROM prompt_sets WHERE community = $1 AND id = $2")
            .bind(&community)
            .bind(&set)
            .fetch_optional(&mut *w.tx)
            .await?
            .is_none()
    {
        return Err(ApiError::NotFound);
    }
    let id = format!("{set}-{}", new_id());
    sqlx::query(
        "INSERT INTO custom_prompts (id, community, set_id, stage, activity, text_en, text_nl, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&community)
    .bind(&set)
    .bind(stage_text(p.stage))
    .bind(activity_text(p.activity))
    .bind(p.en.trim())
    .bind(p.nl.trim())
    .bind(&me.id)
    .bind(now_ms())
    .execute(&mut *w.tx)
    .await?;
    w.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(Prompt {
            id,
            text: p.en.trim().to_owned(),
            stage: p.stage,
            activity: p.activity,
        }),
    ))
}
