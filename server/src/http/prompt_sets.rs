//! Prompt sets: the built-in `default` library plus sets and prompts an
//! admin adds over the API. A page editor picks a set with the widget's
//! `prompt-set` attribute.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::reflections::{
    DEFAULT_PROMPT_SET, NewPrompt, NewPromptSet, Prompt, PromptSet, is_set_id,
};
use km_protocol::validate::codes;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::db::prompts as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Admin, Community, Query, Reader, Valid};
use crate::store::{new_id, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/prompt-sets", get(list).post(create))
        .route("/prompt-sets/{id}/prompts", get(prompts).post(add_prompt))
}

/// The built-in set and the sets an admin added, with their sizes.
#[utoipa::path(get, path = "/api/v1/prompt-sets", tag = "reflections",
    responses((status = 200, body = Vec<PromptSet>)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(_reader): Reader,
    Community(community): Community,
) -> ApiResult<Json<Vec<PromptSet>>> {
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(db::sets(&mut conn, &community).await?))
}

/// Adds a prompt set (admin). A taken id is a 422 on `id`.
#[utoipa::path(post, path = "/api/v1/prompt-sets", tag = "reflections", request_body = NewPromptSet,
    responses((status = 201, body = PromptSet), (status = 403, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    Admin(me): Admin,
    Community(community): Community,
    Valid(s): Valid<NewPromptSet>,
) -> ApiResult<(StatusCode, Json<PromptSet>)> {
    let name = s.name.trim().to_owned();
    let mut w = st.store.write().await?;
    let created = db::create_set(&mut w.tx, &community, &s.id, &name, &me.id, now_ms()).await?;
    if !created || s.id == DEFAULT_PROMPT_SET {
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
            name,
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
    responses((status = 200, body = Vec<Prompt>)))]
pub async fn prompts(
    State(st): State<AppState>,
    Reader(_reader): Reader,
    Community(community): Community,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> ApiResult<Json<Vec<Prompt>>> {
    let mut conn = st.store.pool().acquire().await?;
    let set = db::load_set(&mut conn, &community, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let lang = q.lang.unwrap_or_default();
    Ok(Json(set.iter().map(|p| p.localized(&lang)).collect()))
}

/// Adds a prompt in English and Dutch to a set (admin; `default` too).
#[utoipa::path(post, path = "/api/v1/prompt-sets/{id}/prompts", tag = "reflections",
    params(("id" = String, Path, description = "prompt set id")), request_body = NewPrompt,
    responses((status = 201, body = Prompt), (status = 403, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn add_prompt(
    State(st): State<AppState>,
    Admin(me): Admin,
    Community(community): Community,
    Path(set): Path<String>,
    Valid(p): Valid<NewPrompt>,
) -> ApiResult<(StatusCode, Json<Prompt>)> {
    if !is_set_id(&set) {
        return Err(ApiError::NotFound);
    }
    let mut w = st.store.write().await?;
    if !db::set_known(&mut w.tx, &community, &set).await? {
        return Err(ApiError::NotFound);
    }
    let id = format!("{set}-{}", new_id());
    db::add_prompt(&mut w.tx, &community, &set, &id, &p, &me.id, now_ms()).await?;
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
