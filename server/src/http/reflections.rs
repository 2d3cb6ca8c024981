//! reflection-prompt: writing a reflection (idempotent), my own
//! reflections (with search), and sharing one. A private reflection is
//! readable by its author only: every route that returns reflection text
//! either filters on the caller as author or on a shared visibility.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use km_protocol::Page;
use km_protocol::reflections::{NewReflection, Reflection, ReflectionPatch};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::db::reflections as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Query, Signed, Valid};
use crate::http::journal;
use crate::idempotency::{self, Start};
use crate::store::{Cursor, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reflections", post(write))
        .route("/reflections/mine", get(mine).delete(journal::delete_all))
        .route("/reflections/{id}/visibility", put(share))
}

/// Query of `GET /reflections/mine`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct MineQuery {
    /// Words to find in the text or tags (case-insensitive).
    pub q: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// Writes a reflection (private unless `visibility` says otherwise). Send
/// an `Idempotency-Key` so a retry never saves twice.
#[utoipa::path(post, path = "/api/v1/reflections", tag = "reflections", request_body = NewReflection,
    params(("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Reflection)),
    security(("bearer" = [])))]
pub async fn write(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    IdempotencyKey(key): IdempotencyKey,
    Valid(r): Valid<NewReflection>,
) -> ApiResult<Response> {
    let route = format!("POST /reflections {community}");
    let mut op = match idempotency::start(&st.store, &me.id, key, &route, &r).await? {
        Start::Replay(res) => return Ok(res),
        Start::Fresh(op) => op,
    };
    let tx = &mut op.w.tx;
    let id = db::create(tx, &community, &me, &r, now_ms()).await?;
    let out = db::written(tx, &id).await?;
    op.created(&st.store, &out).await
}

/// My reflections, newest first (all visibilities; only mine), optionally
/// only those whose text or tags contain `q`.
#[utoipa::path(get, path = "/api/v1/reflections/mine", tag = "reflections", params(MineQuery),
    responses((status = 200, body = Page<Reflection>)),
    security(("bearer" = [])))]
pub async fn mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<MineQuery>,
) -> ApiResult<Json<Page<Reflection>>> {
    let limit = super::limit(q.limit)?;
    let before = Cursor::decode_i64(q.cursor.as_deref())?;
    let words = q.q.as_deref().map(str::trim).unwrap_or_default();
    let mut conn = st.store.pool().acquire().await?;
    let page = db::mine(&mut conn, &community, &me.id, words, before, limit).await?;
    Ok(Json(page))
}

/// Shares one of my reflections (named or anonymous) or makes it private
/// again. Anyone else's reflection is a 404, also for admins.
#[utoipa::path(put, path = "/api/v1/reflections/{id}/visibility", tag = "reflections",
    params(("id" = String, Path, description = "reflection id")), request_body = ReflectionPatch,
    responses((status = 200, body = Reflection)),
    security(("bearer" = [])))]
pub async fn share(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(p): extract::Json<ReflectionPatch>,
) -> ApiResult<Json<Reflection>> {
    let mut w = st.store.write().await?;
    if !db::set_visibility(&mut w.tx, &community, &me.id, &id, p.visibility, now_ms()).await? {
        return Err(ApiError::NotFound);
    }
    let r = db::one_of_mine(&mut w.tx, &community, &me.id, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    w.commit().await?;
    let mut one = [r];
    let mut conn = st.store.pool().acquire().await?;
    db::attach_reactions(&mut conn, &mut one, Some(&me.id)).await?;
    let [r] = one;
    Ok(Json(r))
}
