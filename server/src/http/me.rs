//! `GET /me`: who the token says the caller is.

use axum::routing::get;
use axum::{Json, Router};
use km_protocol::Me;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::Signed;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

/// The caller's identity as the server understood the token.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity",
    responses((status = 200, body = Me)),
    security(("bearer" = [])))]
pub async fn me(Signed(me): Signed) -> ApiResult<Json<Me>> {
    Ok(Json(me))
}
