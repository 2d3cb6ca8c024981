//! passion-match circles: a passion held by at least three people who are
//! open to a coffee chat, counted among the profiles the caller may see
//! (the rules of `/matches`: never hidden profiles, department-only ones
//! only within the caller's department). Joining requires the caller to
//! hold the passion on a profile that is not hidden and to be open to a
//! chat; a member who later hides the profile, closes the chat or drops the
//! passion stops counting and showing, without any cleanup.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::circles::{Circle, CircleMember, CircleQuery};
use km_protocol::{Page, PageQuery};

use crate::AppState;
use crate::db::circles;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Signed};
use crate::store::{Cursor, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/circles", get(list))
        .route("/circles/{tag}/membership", put(join).delete(leave))
        .route("/circles/{tag}/members", get(members))
}

/// The circles I can see (or the one of `tag`), most people first.
#[utoipa::path(get, path = "/api/v1/circles", tag = "passions", params(CircleQuery),
    responses((status = 200, body = Page<Circle>)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<CircleQuery>,
) -> ApiResult<Json<Page<Circle>>> {
    let limit = super::limit(q.limit)? as usize;
    // Counts change with every profile, so the cursor is an offset.
    let offset = match Cursor::decode_i64(q.cursor.as_deref())? {
        Some((o, _)) if o >= 0 => o as usize,
        Some(_) => return Err(ApiError::BadRequest("invalid cursor".into())),
        None => 0,
    };
    let mut conn = st.store.pool().acquire().await?;
    let page = circles::list(&mut conn, &community, &me, q.tag.as_deref(), offset, limit).await?;
    Ok(Json(page))
}

/// Joins the circle of `tag` (idempotent). 404 when it is not a circle for
/// me; 422 (fields `passions`, `open_to_chat`, `visibility`) when my
/// profile does not hold the passion, is not open to a chat, or is hidden.
#[utoipa::path(put, path = "/api/v1/circles/{tag}/membership", tag = "passions",
    params(("tag" = String, Path, description = "the passion's label or key")),
    responses((status = 200, body = Circle),
              (status = 422, description = "my profile does not hold the passion, is not open to a chat, or is hidden")),
    security(("bearer" = [])))]
pub async fn join(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(tag): Path<String>,
) -> ApiResult<Json<Circle>> {
    let mut w = st.store.write().await?;
    let circle = circles::one(&mut w.tx, &community, &me, &tag)
        .await?
        .ok_or(ApiError::NotFound)?;
    let problems = circles::join_problems(&mut w.tx, &community, &me, &circle.tag_key).await?;
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    circles::join(&mut w.tx, &community, &me, &circle.tag_key, now_ms()).await?;
    let circle = circles::one(&mut w.tx, &community, &me, &circle.tag_key)
        .await?
        .ok_or(ApiError::NotFound)?;
    w.commit().await?;
    Ok(Json(circle))
}

/// Leaves the circle of `tag` (204, also when I was not a member).
#[utoipa::path(delete, path = "/api/v1/circles/{tag}/membership", tag = "passions",
    params(("tag" = String, Path, description = "the passion's label or key")),
    responses((status = 204)),
    security(("bearer" = [])))]
pub async fn leave(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(tag): Path<String>,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    circles::leave(&mut w.tx, &community, &me, &tag).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The members of the circle of `tag` I may see, first joined first; 404
/// when it is not a circle for me.
#[utoipa::path(get, path = "/api/v1/circles/{tag}/members", tag = "passions",
    params(("tag" = String, Path, description = "the passion's label or key"), PageQuery),
    responses((status = 200, body = Page<CircleMember>)),
    security(("bearer" = [])))]
pub async fn members(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(tag): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<CircleMember>>> {
    let limit = super::limit(q.limit)?;
    let after = Cursor::decode_i64(q.cursor.as_deref())?;
    let mut conn = st.store.pool().acquire().await?;
    let circle = circles::one(&mut conn, &community, &me, &tag)
        .await?
        .ok_or(ApiError::NotFound)?;
    let page = circles::members(&mut conn, &community, &me, &circle.tag_key, after, limit).await?;
    Ok(Json(page))
}
