//! Demo-only routes (`--demo`): the people of the seeded company and a
//! token for any of them, so the demo page can switch people. Without
//! `--demo` these answer 404.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use km_protocol::TokenClaims;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::db::people::{demo_people, demo_person_of};
use crate::error::{ApiError, ApiResult};
use crate::extract;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/demo/people", get(people))
        .route("/demo/token", post(token))
}

/// A person of the demo company.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemoPerson {
    /// Their `sub`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Department.
    pub department: Option<String>,
    /// Roles (`km:moderator`, `km:admin`).
    pub roles: Vec<String>,
}

/// Body of `POST /demo/token`.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemoTokenRequest {
    /// The demo person's `sub`.
    pub sub: String,
}

/// A signed demo token.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemoToken {
    /// The bearer token (HS256, valid 12 hours).
    pub token: String,
}

/// The demo company's people, in the switcher's order.
#[utoipa::path(get, path = "/api/v1/demo/people", tag = "demo",
    responses((status = 200, body = Vec<DemoPerson>),
              (status = 404, description = "the server does not run with --demo")))]
pub async fn people(State(st): State<AppState>) -> ApiResult<Json<Vec<DemoPerson>>> {
    if !st.demo {
        return Err(ApiError::NotFound);
    }
    let people = demo_people(st.store.pool())
        .await?
        .into_iter()
        .map(|p| DemoPerson {
            id: p.id,
            name: p.name,
            department: p.department,
            roles: p.roles,
        })
        .collect();
    Ok(Json(people))
}

/// A token for a demo person.
#[utoipa::path(post, path = "/api/v1/demo/token", tag = "demo", request_body = DemoTokenRequest,
    responses((status = 200, body = DemoToken),
              (status = 404, description = "no such demo person, or the server does not run with --demo"),
              (status = 409, description = "the server verifies tokens with a public key")))]
pub async fn token(
    State(st): State<AppState>,
    extract::Json(req): extract::Json<DemoTokenRequest>,
) -> ApiResult<Json<DemoToken>> {
    if !st.demo {
        return Err(ApiError::NotFound);
    }
    let person = demo_person_of(st.store.pool(), &req.sub)
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = (crate::store::now_ms() / 1000) as u64;
    let claims = TokenClaims {
        sub: person.id,
        name: person.name,
        email: person.email,
        department: person.department,
        roles: person.roles,
        exp: now + 12 * 3600,
        iat: Some(now),
    };
    let token = st
        .verifier
        .as_ref()
        .and_then(|v| v.sign(&claims))
        .ok_or_else(|| {
            ApiError::Conflict("demo tokens need the shared-secret (HS256) setup".into())
        })?;
    Ok(Json(DemoToken { token }))
}
