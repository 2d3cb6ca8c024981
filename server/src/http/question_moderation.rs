//! ask-the-community moderation: moderators (role `km:moderator` or
//! `km:admin`) hide and show questions and answers, close a question as a
//! duplicate of another, and retag (the asker may retag too). Every change
//! is recorded with who and when; moderators read the record.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::questions::{Change, Duplicate, Hidden, Question, Retag};

use super::questions::reloaded;
use crate::AppState;
use crate::db::{answers, questions};
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Moderator, Signed, Valid};
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions/{id}/hidden", put(hide_question))
        .route("/answers/{id}/hidden", put(hide_answer))
        .route("/questions/{id}/duplicate", put(duplicate))
        .route("/questions/{id}/tags", put(retag))
        .route("/questions/{id}/changes", get(changes))
}

/// Hides a question from everyone but moderators, or shows it again.
#[utoipa::path(put, path = "/api/v1/questions/{id}/hidden", tag = "questions",
    request_body = Hidden, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, description = "not a moderator")),
    security(("bearer" = [])))]
pub async fn hide_question(
    State(st): State<AppState>,
    Moderator(me): Moderator,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Hidden>,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    questions::facts(&mut w.tx, &community, &id, Some(&me)).await?;
    questions::set_hidden(&mut w.tx, &id, &me, body.hidden, now_ms()).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}

/// Hides an answer (or shows it again); a hidden accepted answer is no
/// longer accepted.
#[utoipa::path(put, path = "/api/v1/answers/{id}/hidden", tag = "questions",
    request_body = Hidden, params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = Question), (status = 403, description = "not a moderator")),
    security(("bearer" = [])))]
pub async fn hide_answer(
    State(st): State<AppState>,
    Moderator(me): Moderator,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Hidden>,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    let f = answers::facts(&mut w.tx, &community, &id, &me).await?;
    if f.hidden != body.hidden {
        answers::set_hidden(&mut w.tx, &f.question_id, &id, &me, body.hidden, now_ms()).await?;
    }
    w.commit().await?;
    reloaded(&st, &community, &me, &f.question_id).await
}

/// Closes a question as a duplicate of another one (or reopens it with
/// `original_id: null`). Closed questions take no new answers.
#[utoipa::path(put, path = "/api/v1/questions/{id}/duplicate", tag = "questions",
    request_body = Duplicate, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, description = "not a moderator")),
    security(("bearer" = [])))]
pub async fn duplicate(
    State(st): State<AppState>,
    Moderator(me): Moderator,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Duplicate>,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    questions::facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if let Some(orig) = &body.original_id {
        let bad = |m: &str| {
            ApiError::field(
                "original_id",
                km_protocol::validate::codes::INVALID_FORMAT,
                m.to_owned(),
            )
        };
        if *orig == id {
            return Err(bad("a question is no duplicate of itself"));
        }
        questions::facts(&mut w.tx, &community, orig, Some(&me))
            .await
            .map_err(|_| bad("no such question"))?;
    }
    let original = body.original_id.as_deref();
    questions::set_duplicate(&mut w.tx, &id, &me, original, now_ms()).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}

/// Replaces a question's tags (the asker or a moderator).
#[utoipa::path(put, path = "/api/v1/questions/{id}/tags", tag = "questions",
    request_body = Retag, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question),
              (status = 403, description = "neither the asker nor a moderator")),
    security(("bearer" = [])))]
pub async fn retag(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    Valid(body): Valid<Retag>,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    let f = questions::facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if f.author_id != me.id && !me.is_moderator() {
        return Err(ApiError::Forbidden("moderators only".into()));
    }
    questions::retag(&mut w.tx, &community, &id, &me, &body.tags, now_ms()).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}

/// Who changed what and when, oldest first (moderators only). What the
/// anonymous asker of the question did (asked, edited, answered, invited,
/// accepted, retagged) shows without a name, like everywhere else.
#[utoipa::path(get, path = "/api/v1/questions/{id}/changes", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Vec<Change>), (status = 403, description = "not a moderator")),
    security(("bearer" = [])))]
pub async fn changes(
    State(st): State<AppState>,
    Moderator(me): Moderator,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Change>>> {
    let mut conn = st.store.pool().acquire().await?;
    let f = questions::facts(&mut conn, &community, &id, Some(&me)).await?;
    Ok(Json(questions::changes(&mut conn, &id, &f.asker()).await?))
}
