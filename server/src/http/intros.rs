//! passion-match: "say hi". One intro per sender and receiver, a daily
//! limit per sender; only the receiver accepts or dismisses; once accepted,
//! both see each other's email. Either person may delete an intro, and
//! deleting my profile deletes my intros.
//!
//! A deleted intro is kept as a tombstone (`deleted_at` set, message
//! erased): no list shows it and it connects nobody, but it still counts
//! towards "once per colleague" and the daily limit, which deleting and
//! saying hi again would otherwise get round. A dismissed intro counts too.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use km_protocol::matches::{INTROS_PER_DAY, Intro, IntroQuery, IntroStatus, NewIntro};
use km_protocol::problem::types;
use km_protocol::{Me, Page, Problem};

use crate::AppState;
use crate::db::intros::{self, Mailbox};
use crate::db::profiles::visible_to;
use crate::error::{ApiError, ApiResult, problem_response};
use crate::extract::{Community, Query, Signed, Valid};
use crate::store::{Cursor, now_ms};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/intros", get(list).post(send))
        .route("/intros/{id}/accept", post(accept))
        .route("/intros/{id}/dismiss", post(dismiss))
        .route("/intros/{id}", delete(remove))
}

/// Says hi to a colleague (201), once: a second intro to the same person
/// is a 409, also after the first was dismissed or deleted; more than the
/// daily limit (deleted intros included) is a 429.
#[utoipa::path(post, path = "/api/v1/intros", tag = "passions", request_body = NewIntro,
    responses((status = 201, body = Intro),
              (status = 404, description = "no colleague with a profile the caller may see"),
              (status = 409, description = "the caller already said hi to this colleague")),
    security(("bearer" = [])))]
pub async fn send(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Valid(req): Valid<NewIntro>,
) -> ApiResult<Response> {
    if req.to == me.id {
        return Err(ApiError::field(
            "to",
            km_protocol::validate::codes::INVALID_FORMAT,
            "you cannot say hi to yourself",
        ));
    }
    let mut w = st.store.write().await?;
    if !visible_to(&mut w.tx, &community, &me, &req.to).await? {
        return Err(ApiError::NotFound);
    }
    let now = now_ms();
    // Tombstones and dismissed intros count: they were sent today all the same.
    if intros::sent_since(&mut w.tx, &community, &me.id, now - 86_400_000).await? >= INTROS_PER_DAY
    {
        return Ok(problem_response(
            &Problem::new(429, "Daily limit reached")
                .with_type(types::LIMIT)
                .with_detail(format!("at most {INTROS_PER_DAY} intros a day")),
        ));
    }
    let Some(id) = intros::insert(
        &mut w.tx,
        &community,
        &me.id,
        &req.to,
        req.message.trim(),
        now,
    )
    .await?
    else {
        return Err(ApiError::Conflict(
            "you already said hi to this colleague".into(),
        ));
    };
    let created = intros::load(&mut w.tx, &community, &id, &me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    w.commit().await?;
    let body = serde_json::to_string(&created).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(crate::idempotency::respond(
        StatusCode::CREATED,
        body,
        false,
    ))
}

/// My incoming (default) or outgoing intros, newest first.
#[utoipa::path(get, path = "/api/v1/intros", tag = "passions", params(IntroQuery),
    responses((status = 200, body = Page<Intro>)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<IntroQuery>,
) -> ApiResult<Json<Page<Intro>>> {
    let limit = super::limit(q.limit)?;
    let mailbox = match q.r#box.as_deref() {
        None | Some("incoming") => Mailbox::Incoming,
        Some("outgoing") => Mailbox::Outgoing,
        Some(_) => return Err(ApiError::BadRequest("box is incoming or outgoing".into())),
    };
    let after = Cursor::decode_i64(q.cursor.as_deref())?;
    let page = intros::list(st.store.pool(), &community, &me.id, mailbox, after, limit).await?;
    Ok(Json(page))
}

/// The receiver's answer to intro `id`.
async fn answer(
    st: &AppState,
    me: &Me,
    community: &str,
    id: &str,
    status: IntroStatus,
) -> ApiResult<Json<Intro>> {
    let mut w = st.store.write().await?;
    let current = intros::load(&mut w.tx, community, id, &me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if current.to.id != me.id {
        return Err(ApiError::Forbidden(
            "only the receiver answers an intro".into(),
        ));
    }
    intros::set_status(&mut w.tx, id, status).await?;
    let updated = intros::load(&mut w.tx, community, id, &me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    w.commit().await?;
    Ok(Json(updated))
}

/// Accepts an intro (receiver only): both now see each other's contact.
#[utoipa::path(post, path = "/api/v1/intros/{id}/accept", tag = "passions",
    params(("id" = String, Path, description = "intro id")),
    responses((status = 200, body = Intro),
              (status = 403, description = "only the receiver answers an intro")),
    security(("bearer" = [])))]
pub async fn accept(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Intro>> {
    answer(&st, &me, &community, &id, IntroStatus::Accepted).await
}

/// Dismisses an intro (receiver only).
#[utoipa::path(post, path = "/api/v1/intros/{id}/dismiss", tag = "passions",
    params(("id" = String, Path, description = "intro id")),
    responses((status = 200, body = Intro),
              (status = 403, description = "only the receiver answers an intro")),
    security(("bearer" = [])))]
pub async fn dismiss(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Intro>> {
    answer(&st, &me, &community, &id, IntroStatus::Dismissed).await
}

/// Deletes an intro I sent or received (204).
#[utoipa::path(delete, path = "/api/v1/intros/{id}", tag = "passions",
    params(("id" = String, Path, description = "intro id")),
    responses((status = 204)),
    security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    if !intros::delete(&mut w.tx, &community, &id, &me.id).await? {
        return Err(ApiError::NotFound);
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
