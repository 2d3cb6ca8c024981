//! story-board moderation and applause: moderators publish and feature
//! stories; everyone signed in applauds a published story, once.

use axum::extract::{Path, State};
use axum::routing::{post, put};
use axum::{Json, Router};
use km_protocol::Me;
use km_protocol::stories::{Applause, FeatureRequest, Story, StoryStatus};

use crate::AppState;
use crate::db::stories as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Signed};
use crate::store::{WriteTx, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stories/{id}/publish", post(publish))
        .route("/stories/{id}/featured", put(feature))
        .route("/stories/{id}/applause", put(applaud).delete(unapplaud))
}

/// Checks that `me` moderates story `id`: a story they may not see is a
/// 404 before it is a 403 (so to its non-author it does not exist), which
/// is why this is not the `Moderator` extractor.
async fn moderated(w: &mut WriteTx, community: &str, id: &str, me: &Me) -> ApiResult<()> {
    db::visible(&mut w.tx, community, id, me).await?;
    if !me.is_moderator() {
        return Err(ApiError::Forbidden("only moderators do this".into()));
    }
    Ok(())
}

/// Publishes a submitted story (moderators); publishing twice is harmless.
#[utoipa::path(post, path = "/api/v1/stories/{id}/publish", tag = "stories",
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story), (status = 403, description = "not a moderator")),
    security(("bearer" = [])))]
pub async fn publish(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Story>> {
    let mut w = st.store.write().await?;
    moderated(&mut w, &community, &id, &me).await?;
    db::publish(&mut w.tx, &community, &id, now_ms()).await?;
    let story = db::visible(&mut w.tx, &community, &id, &me).await?;
    w.commit().await?;
    Ok(Json(story))
}

/// Pins a story first on the board, or unpins it (moderators).
#[utoipa::path(put, path = "/api/v1/stories/{id}/featured", tag = "stories",
    request_body = FeatureRequest, params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story), (status = 403, description = "not a moderator")),
    security(("bearer" = [])))]
pub async fn feature(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(req): extract::Json<FeatureRequest>,
) -> ApiResult<Json<Story>> {
    let mut w = st.store.write().await?;
    moderated(&mut w, &community, &id, &me).await?;
    db::set_featured(&mut w.tx, &id, req.featured).await?;
    let story = db::visible(&mut w.tx, &community, &id, &me).await?;
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
    let s = db::visible(&mut w.tx, community, id, me).await?;
    if s.status != StoryStatus::Published {
        return Err(ApiError::Conflict(
            "applause is for published stories".into(),
        ));
    }
    let applause = db::set_applause(&mut w.tx, id, &me.id, on, now_ms()).await?;
    w.commit().await?;
    Ok(Json(Applause {
        applause,
        applauded_by_me: on,
    }))
}

/// Applauds a published story (once per person: again is harmless).
#[utoipa::path(put, path = "/api/v1/stories/{id}/applause", tag = "stories",
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Applause),
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
    responses((status = 200, body = Applause),
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
