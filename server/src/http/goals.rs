//! The organization's goals that stories serve: everyone reads them, admins
//! keep them (add, rename or move, delete when no story uses the goal).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::stories::{Goal, GoalInput};
use km_protocol::{Me, Page, PageQuery, Validate};
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Query, Reader, Signed};
use crate::store::{Cursor, new_id, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/goals", get(list).post(create))
        .route("/goals/{id}", put(update).delete(remove))
}

/// Adds or renames a goal (the admin endpoints and the demo seed).
pub async fn upsert_goal(
    conn: &mut AnyConnection,
    community: &str,
    goal: &Goal,
    position: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO goals (community, id, name, position, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (community, id) DO UPDATE SET name = excluded.name, position = excluded.position",
    )
    .bind(community)
    .bind(&goal.id)
    .bind(&goal.name)
    .bind(position)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn admin(me: &Me) -> Result<(), ApiError> {
    if me.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only admins keep the goals".into()))
    }
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
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MIN, String::new()));
    let rows = sqlx::query(
        "SELECT id, name, position FROM goals WHERE community = $1 \
         AND (position > $2 OR (position = $2 AND id > $3)) ORDER BY position, id LIMIT $4",
    )
    .bind(&community)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(st.store.pool())
    .await?;
    let page = crate::db::page_of(&rows, limit, "position", "id", |r| {
        Ok(Goal {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    })?;
    Ok(Json(page))
}

/// Adds a goal (admins); without a position it goes last.
#[utoipa::path(post, path = "/api/v1/goals", tag = "stories", request_body = GoalInput,
    responses((status = 201, body = Goal), (status = 403, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    extract::Json(input): extract::Json<GoalInput>,
) -> ApiResult<(StatusCode, Json<Goal>)> {
    admin(&me)?;
    input.validate().map_err(ApiError::Validation)?;
    let mut w = st.store.write().await?;
    let position = match input.position {
        Some(p) => p,
        None => sqlx::query(
            "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) AS next FROM goals \
             WHERE community = $1",
        )
        .bind(&community)
        .fetch_one(&mut *w.tx)
        .await?
        .try_get("next")?,
    };
    let goal = Goal {
        id: new_id(),
        name: input.name.trim().to_owned(),
    };
    upsert_goal(&mut w.tx, &community, &goal, position, now_ms()).await?;
    w.commit().await?;
    Ok((StatusCode::CREATED, Json(goal)))
}

/// Renames or moves a goal (admins).
#[utoipa::path(put, path = "/api/v1/goals/{id}", tag = "stories", request_body = GoalInput,
    params(("id" = String, Path, description = "goal id")),
    responses((status = 200, body = Goal), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(input): extract::Json<GoalInput>,
) -> ApiResult<Json<Goal>> {
    admin(&me)?;
    input.validate().map_err(ApiError::Validation)?;
    let mut w = st.store.write().await?;
    let done = sqlx::query(
        "UPDATE goals SET name = $3, position = COALESCE($4, position) \
         WHERE community = $1 AND id = $2",
    )
    .bind(&community)
    .bind(&id)
    .bind(input.name.trim())
    .bind(input.position)
    .execute(&mut *w.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    w.commit().await?;
    Ok(Json(Goal {
        id,
        name: input.name.trim().to_owned(),
    }))
}

/// Deletes a goal (admins); a goal that stories serve stays (409): rename it instead.
#[utoipa::path(delete, path = "/api/v1/goals/{id}", tag = "stories",
    params(("id" = String, Path, description = "goal id")),
    responses((status = 204), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 409, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    admin(&me)?;
    let mut w = st.store.write().await?;
    let used = sqlx::query("SELECT id FROM stories WHERE community = $1 AND goal_id = $2 LIMIT 1")
        .bind(&community)
        .bind(&id)
        .fetch_optional(&mut *w.tx)
        .await?;
    if used.is_some() {
        return Err(ApiError::Conflict(
            "stories serve this goal; rename it instead".into(),
        ));
    }
    let done = sqlx::query("DELETE FROM goals WHERE community = $1 AND id = $2")
        .bind(&community)
        .bind(&id)
        .execute(&mut *w.tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
