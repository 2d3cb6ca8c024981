//! passion-match profiles: my passions, and colleagues whose profiles I may
//! see. Hidden profiles are seen by their owner only; department profiles
//! by colleagues of the same department only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::Page;
use km_protocol::passions::{Profile, ProfileUpdate};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::db::profiles;
use crate::error::ApiResult;
use crate::extract::{Community, Query, Reader, Signed, Valid};
use crate::store::{Cursor, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/profiles/me",
            get(get_mine).put(put_mine).delete(delete_mine),
        )
        .route("/profiles", get(list))
}

/// Query of `GET /profiles`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct ProfileQuery {
    /// Only people with this passion (a label or key).
    pub tag: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// My profile (an empty one before I saved any).
#[utoipa::path(get, path = "/api/v1/profiles/me", tag = "passions",
    responses((status = 200, body = Profile)),
    security(("bearer" = [])))]
pub async fn get_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
) -> ApiResult<Json<Profile>> {
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(profiles::mine(&mut conn, &community, &me).await?))
}

/// Replaces my profile: passions (tags with levels), why, open to chat,
/// visibility.
#[utoipa::path(put, path = "/api/v1/profiles/me", tag = "passions", request_body = ProfileUpdate,
    responses((status = 200, body = Profile)),
    security(("bearer" = [])))]
pub async fn put_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Valid(update): Valid<ProfileUpdate>,
) -> ApiResult<Json<Profile>> {
    let mut w = st.store.write().await?;
    profiles::save(&mut w.tx, &community, &me, &update, now_ms()).await?;
    let profile = profiles::mine(&mut w.tx, &community, &me).await?;
    w.commit().await?;
    Ok(Json(profile))
}

/// Colleagues' profiles the caller may see (never hidden ones; department
/// ones only within the caller's department; never the caller), most
/// recently updated first.
#[utoipa::path(get, path = "/api/v1/profiles", tag = "passions", params(ProfileQuery),
    responses((status = 200, body = Page<Profile>)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(caller): Reader,
    Community(community): Community,
    Query(q): Query<ProfileQuery>,
) -> ApiResult<Json<Page<Profile>>> {
    let limit = super::limit(q.limit)?;
    let after = Cursor::decode_i64(q.cursor.as_deref())?;
    let mut conn = st.store.pool().acquire().await?;
    let page = profiles::list(
        &mut conn,
        &community,
        caller.as_ref(),
        q.tag.as_deref(),
        after,
        limit,
    )
    .await?;
    Ok(Json(page))
}

/// Deletes my profile, my passions, my circle memberships and every intro
/// I sent or received (204).
#[utoipa::path(delete, path = "/api/v1/profiles/me", tag = "passions",
    responses((status = 204)),
    security(("bearer" = [])))]
pub async fn delete_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    profiles::delete(&mut w.tx, &community, &me.id).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
