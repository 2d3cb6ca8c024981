//! story-board moderation and applause: moderators publish and feature
//! stories; everyone signed in applauds a published story, once.

use axum::extract::{Path, State};
use axum::routing::{post, put};
use axum::{Json, Router};
use km_protocol::Me;
use km_protocol::stories::{Applause, FeatureRequest, Story, StoryStatus};
use sqlx::Row;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Signed};
use crate::http::stories::visible;
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stories/{id}/publish", post(publish))
        .route("/stories/{id}/featured", put(feature))
        .route("/stories/{id}/applause", put(applaud).delete(unapplaud))
}

fn moderator(me: &Me) -> Result<(), ApiError> {
    if me.is_moderator() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only moderators do this".into()))
    }
}

/// Publishes a submitted story (moderators); publishing twice is harmless.
#[utoipa::path(post, path = "/api/v1/stories/{id}/publish", tag = "stories",
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn publish(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Story>> {
    let mut w = st.store.write().await?;
    visible(&mut w.tx, &community, &id, &me).await?;
    moderator(&me)?;
    sqlx::query(
        "UPDATE stories SET status = 'published', published_at = COALESCE(published_at, $2) \
         WHERE id = $1",
    )
    .bind(&id)
    .bind(now_ms())
    .execute(&mut *w.tx)
    .await?;
    sqlx::query(
        "UPDATE tag_links SET public = 1 WHERE community = $1 AND kind = 'story' AND ref_id = $2",
    )
    .bind(&community)
    .bind(&id)
    .execute(&mut *w.tx)
    .await?;
    let story = visible(&mut w.tx, &community, &id, &me).await?;
    w.commit().await?;
    Ok(Json(story))
}

/// Pins a story first on the board, or unpins it (moderators).
#[utoipa::path(put, path = "/api/v1/stories/{id}/featured", tag = "stories",
    request_body = FeatureRequest, params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn feature(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(req): extract::Json<FeatureRequest>,
) -> ApiResult<Json<Story>> {
    let mut w = st.store.write().await?;
    visible(&mut w.tx, &community, &id, &me).await?;
    moderator(&me)?;
    sqlx::query("UPDATE stories SET featured = $2 WHERE id = $1")
        .bind(&id)
        .bind(i64::from(req.featured))
        .execute(&mut *w.tx)
        .await?;
    let story = visible(&mut w.tx, &community, &id, &me).await?;
    w.commit().await?;
    Ok(Json(story))
}

async fn set_applause(
    st: &AppState,
    me: &Me,
    community: &str,
    id: &str,
    on: bool,
) -> ApiResult<Json<Applause>> {
    let mut w = st.store.write().await?;
    let s = visible(&mut w.tx, community, id, me).await?;
    if s.status != StoryStatus::Published {
        return Err(ApiError::Conflict(
            "applause is for published stories".into(),
        ));
    }
    let changed = if on {
        sqlx::query(
            "INSERT INTO story_applause (story_id, person_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (story_id, person_id) DO NOTHING",
        )
        .bind(id)
        .bind(&me.id)
        .bind(now_ms())
        .execute(&mut *w.tx)
        .await?
    } else {
        sqlx::query("DELETE FROM story_applause WHERE story_id = $1 AND person_id = $2")
            .bind(id)
            .bind(&me.id)
            .execute(&mut *w.tx)
            .await?
    };
    if changed.rows_affected() > 0 {
        sqlx::query("UPDATE stories SET applause = applause + $2 WHERE id = $1")
            .bind(id)
            .bind(if on { 1i64 } else { -1 })
            .execute(&mut *w.tx)
            .await?;
    }
    let applause: i64 = sqlx::query("SELECT applause FROM stories WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *w.tx)
        .await?
        .try_get("applause")?;
    w.commit().await?;
    Ok(Json(Applause {
        applause,
        applauded_by_me: on,
    }))
}

/// Applauds a published story (once per person: again is harmless).
#[utoipa::path(put, path = "/api/v1/stories/{id}/applause", tag = "stories",
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Applause), (status = 401, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem),
              (status = 409, description = "the story is not published")),
    security(("bearer" = [])))]
pub async fn applaud(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Applause>> {
    set_applause(&st, &me, &community, &id, true).await
}

/// Takes the caller's applause back.
#[utoipa::path(delete, path = "/api/v1/stories/{id}/applause", tag = "stories",
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Applause), (status = 401, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem),
              (status = 409, description = "the story is not published")),
    security(("bearer" = [])))]
pub async fn unapplaud(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Applause>> {
    set_applause(&st, &me, &community, &id, false).await
}
