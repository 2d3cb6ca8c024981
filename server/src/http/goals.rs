//! The organization's goals that stories serve: everyone reads them, admins
//! keep them (add, rename or move, delete when no story uses the goal).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::stories::{Goal, GoalInput};
use km_protocol::{Page, PageQuery};

use crate::AppState;
use crate::db::goals as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Admin, Community, Query, Reader, Valid};
use crate::store::{Cursor, new_id, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/goals", get(list).post(create))
        .route("/goals/{id}", put(update).delete(remove))
}

/// The organization's goals, in the admin's order.
#[utoipa::path(get, path = "/api/v1/goals", tag = "stories", params(PageQuery),
    responses((status = 200, body = Page<Goal>)))]
pub async fn list(
    State(st): State<AppState>,
    _reader: Reader,
    Community(community): Community,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<Goal>>> {
    let limit = super::limit(q.limit)?;
    let after = Cursor::decode_i64(q.cursor.as_deref())?;
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(db::page(&mut conn, &community, after, limit).await?))
}

/// Adds a goal (admins); without a position it goes last.
#[utoipa::path(post, path = "/api/v1/goals", tag = "stories", request_body = GoalInput,
    responses((status = 201, body = Goal), (status = 403, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    _admin: Admin,
    Community(community): Community,
    Valid(input): Valid<GoalInput>,
) -> ApiResult<(StatusCode, Json<Goal>)> {
    let mut w = st.store.write().await?;
    let position = match input.position {
        Some(p) => p,
        None => db::next_position(&mut w.tx, &community).await?,
    };
    let goal = Goal {
        id: new_id(),
        name: input.name.trim().to_owned(),
    };
    db::upsert(&mut w.tx, &community, &goal, position, now_ms()).await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, Json(goal)))
}

/// Renames or moves a goal (admins).
#[utoipa::path(put, path = "/api/v1/goals/{id}", tag = "stories", request_body = GoalInput,
    params(("id" = String, Path, description = "goal id")),
    responses((status = 200, body = Goal), (status = 403, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    _admin: Admin,
    Community(community): Community,
    Path(id): Path<String>,
    Valid(input): Valid<GoalInput>,
) -> ApiResult<Json<Goal>> {
    let name = input.name.trim().to_owned();
    let mut w = st.store.write().await?;
    if !db::rename(&mut w.tx, &community, &id, &name, input.position).await? {
        return Err(ApiError::NotFound);
    }
    w.commit().await?;
    Ok(Json(Goal { id, name }))
}

/// Deletes a goal (admins); a goal that stories serve stays (409): rename it instead.
#[utoipa::path(delete, path = "/api/v1/goals/{id}", tag = "stories",
    params(("id" = String, Path, description = "goal id")),
    responses((status = 204), (status = 403, description = "not an admin"),
              (status = 409, description = "stories serve this goal")),
    security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    _admin: Admin,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    if db::in_use(&mut w.tx, &community, &id).await? {
        return Err(ApiError::Conflict(
            "stories serve this goal; rename it instead".into(),
        ));
    }
    if !db::delete(&mut w.tx, &community, &id).await? {
        return Err(ApiError::NotFound);
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
