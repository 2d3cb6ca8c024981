//! story-board stories: the board (filters, sorts, featured first), one
//! story, submit (idempotent) and the author's edit; moderation and
//! applause are in `story_moderation.rs`. Submitted stories are seen only
//! by their author and by moderators; to anyone else they do not exist.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::Page;
use km_protocol::stories::{NewStory, Story, StoryQuery, StoryStatus};

use crate::AppState;
use crate::db::stories::{self as db, Board, Filter};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, IdempotencyKey, Query, Reader, Signed, Valid};
use crate::idempotency::{self, Start};
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stories", get(list).post(submit))
        .route("/stories/{id}", get(one).put(edit))
}

/// Stories, featured ones first, then by `sort` (newest by default);
/// `goal`, `team`, `tag`, `from`, `to` filter. `status=submitted` is the
/// review queue: everything waiting for moderators, only the caller's own
/// stories for anyone else.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories", params(StoryQuery),
    responses((status = 200, body = Page<Story>)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Query(q): Query<StoryQuery>,
) -> ApiResult<Json<Page<Story>>> {
    let limit = super::limit(q.limit)?;
    let status = q.status.unwrap_or(StoryStatus::Published);
    let author = match (status, &me) {
        (StoryStatus::Published, _) => None,
        (StoryStatus::Submitted, None) => {
            return Err(ApiError::Unauthorized(
                "sign in to see submitted stories".into(),
            ));
        }
        (StoryStatus::Submitted, Some(m)) if m.is_moderator() => None,
        (StoryStatus::Submitted, Some(m)) => Some(m.id.as_str()),
    };
    let mut conn = st.store.pool().acquire().await?;
    let f = Filter::resolve(
        &mut conn,
        &community,
        q.goal.as_deref(),
        q.team.as_deref(),
        q.tag.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )
    .await?;
    let board = Board {
        status,
        author,
        viewer: me.as_ref().map_or("", |m| m.id.as_str()),
        sort: q.sort,
        cursor: q.cursor.as_deref(),
        limit,
    };
    Ok(Json(db::list(&mut conn, &community, &f, &board).await?))
}

/// One story (a submitted one only for its author and moderators: 404 for others).
#[utoipa::path(get, path = "/api/v1/stories/{id}", tag = "stories",
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story)))]
pub async fn one(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Story>> {
    let mut conn = st.store.pool().acquire().await?;
    db::load(&mut conn, &community, &id, me.as_ref())
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Submits a story for review. Send an `Idempotency-Key` so a retry never submits twice.
#[utoipa::path(post, path = "/api/v1/stories", tag = "stories", request_body = NewStory,
    params(("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Story)),
    security(("bearer" = [])))]
pub async fn submit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    IdempotencyKey(key): IdempotencyKey,
    Valid(s): Valid<NewStory>,
) -> ApiResult<Response> {
    let route = format!("POST /stories {community}");
    let mut op = match idempotency::start(&st.store, &me.id, key, &route, &s).await? {
        Start::Replay(res) => return Ok(res),
        Start::Fresh(op) => op,
    };
    let tx = &mut op.w.tx;
    let id = db::create(tx, &community, &me, &s, StoryStatus::Submitted, now_ms()).await?;
    let story = db::visible(tx, &community, &id, &me).await?;
    op.created(&st.store, &story).await
}

/// The author edits their story (everything a submission has). An edit by
/// anyone but a moderator sends a published story back to review, so what
/// the board shows is always what a moderator saw.
#[utoipa::path(put, path = "/api/v1/stories/{id}", tag = "stories", request_body = NewStory,
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story), (status = 403, description = "not the author")),
    security(("bearer" = [])))]
pub async fn edit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    Valid(s): Valid<NewStory>,
) -> ApiResult<Json<Story>> {
    let mut w = st.store.write().await?;
    let old = db::visible(&mut w.tx, &community, &id, &me).await?;
    if old.author.id != me.id {
        return Err(ApiError::Forbidden("only the author edits a story".into()));
    }
    let status = if me.is_moderator() {
        old.status
    } else {
        StoryStatus::Submitted
    };
    db::update(&mut w.tx, &community, &id, &s, status, now_ms()).await?;
    let story = db::visible(&mut w.tx, &community, &id, &me).await?;
    w.commit().await?;
    Ok(Json(story))
}
