//! reflection-prompt: the feed of shared reflections and the reactions on
//! them (insightful, thanks, me too: one of each per person, toggled).
//!
//! The feed selects only `shared` and `anonymous` reflections, and
//! anonymous ones never carry an author, not even for their author.
//! Reactions leave the server as counts and the caller's own reactions,
//! never as a list of who reacted.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::reflections::{Reaction, ReactionState, Reflection};
use km_protocol::{Page, PageQuery};

use crate::AppState;
use crate::db::reflections as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Reader, Signed};
use crate::store::{Cursor, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/reflections/feed", get(feed)).route(
        "/reflections/{id}/reactions/{reaction}",
        put(react).delete(unreact),
    )
}

/// Shared reflections, newest first: named ones with their author,
/// anonymous ones without. Private reflections never appear.
#[utoipa::path(get, path = "/api/v1/reflections/feed", tag = "reflections", params(PageQuery),
    responses((status = 200, body = Page<Reflection>)))]
pub async fn feed(
    State(st): State<AppState>,
    Reader(caller): Reader,
    Community(community): Community,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<Reflection>>> {
    let limit = super::limit(q.limit)?;
    let before = Cursor::decode_i64(q.cursor.as_deref())?;
    let me = caller.as_ref().map(|m| m.id.as_str());
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(
        db::feed(&mut conn, &community, me, before, limit).await?,
    ))
}

/// Gives a reaction (again: no change).
#[utoipa::path(put, path = "/api/v1/reflections/{id}/reactions/{reaction}", tag = "reflections",
    params(("id" = String, Path, description = "reflection id"),
           ("reaction" = Reaction, Path, description = "insightful, thanks or me_too")),
    responses((status = 200, body = ReactionState)),
    security(("bearer" = [])))]
pub async fn react(
    st: State<AppState>,
    me: Signed,
    community: Community,
    path: Path<(String, String)>,
) -> ApiResult<Json<ReactionState>> {
    set_reaction(st, me, community, path, true).await
}

/// Takes a reaction back (not given: no change).
#[utoipa::path(delete, path = "/api/v1/reflections/{id}/reactions/{reaction}", tag = "reflections",
    params(("id" = String, Path, description = "reflection id"),
           ("reaction" = Reaction, Path, description = "insightful, thanks or me_too")),
    responses((status = 200, body = ReactionState)),
    security(("bearer" = [])))]
pub async fn unreact(
    st: State<AppState>,
    me: Signed,
    community: Community,
    path: Path<(String, String)>,
) -> ApiResult<Json<ReactionState>> {
    set_reaction(st, me, community, path, false).await
}

async fn set_reaction(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path((id, reaction)): Path<(String, String)>,
    on: bool,
) -> ApiResult<Json<ReactionState>> {
    let reaction = Reaction::parse(&reaction).ok_or(ApiError::NotFound)?;
    let mut w = st.store.write().await?;
    // Only shared reflections take reactions; a private one is a 404 for
    // everyone, so a reaction cannot probe whether it exists.
    if !db::is_shared(&mut w.tx, &community, &id).await? {
        return Err(ApiError::NotFound);
    }
    db::set_reaction(&mut w.tx, &id, &me.id, reaction, on, now_ms()).await?;
    w.commit().await?;
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(db::reactions(&mut conn, &id, &me.id).await?))
}
