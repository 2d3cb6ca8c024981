//! ask-the-community answers, acceptance, votes and follows. Authors edit
//! only their own answers; the asker (or a moderator) accepts one; one vote
//! per person on each question and answer (PUT votes, DELETE takes it
//! back), never on one's own post.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::put;
use axum::{Json, Router};
use km_protocol::Me;
use km_protocol::questions::{Accept, Answer, NewAnswer, Question, VoteState};

use super::questions::reloaded;
use crate::AppState;
use crate::db::answers::{self as db, Target};
use crate::db::questions::{facts, set_follow};
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Signed, Valid};
use crate::idempotency::{self, Start};
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions/{id}/answers", axum::routing::post(answer))
        .route("/answers/{id}", put(edit))
        .route("/questions/{id}/accepted", put(accept))
        .route(
            "/questions/{id}/vote",
            put(vote_question).delete(unvote_question),
        )
        .route("/answers/{id}/vote", put(vote_answer).delete(unvote_answer))
        .route("/questions/{id}/follow", put(follow).delete(unfollow))
}

/// Answers a question (idempotent with an `Idempotency-Key`); the answerer
/// follows the question from then on.
#[utoipa::path(post, path = "/api/v1/questions/{id}/answers", tag = "questions",
    request_body = NewAnswer,
    params(("id" = String, Path, description = "question id"),
           ("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Answer), (status = 409, description = "closed as a duplicate")),
    security(("bearer" = [])))]
pub async fn answer(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    IdempotencyKey(key): IdempotencyKey,
    Path(id): Path<String>,
    Valid(a): Valid<NewAnswer>,
) -> ApiResult<Response> {
    let route = format!("POST /questions/{id}/answers {community}");
    let mut op = match idempotency::start(&st.store, &me.id, key, &route, &a).await? {
        Start::Replay(res) => return Ok(res),
        Start::Fresh(op) => op,
    };
    let w = &mut op.w;
    let f = facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if f.duplicate_of.is_some() {
        return Err(ApiError::Conflict(
            "closed as a duplicate: answer the original question".into(),
        ));
    }
    let out = db::post(&mut w.tx, &id, &f.asker(), &me, a.body.trim_end(), now_ms()).await?;
    op.created(&st.store, &out).await
}

/// Edits my answer (only its author does).
#[utoipa::path(put, path = "/api/v1/answers/{id}", tag = "questions", request_body = NewAnswer,
    params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = Question), (status = 403, description = "not its author")),
    security(("bearer" = [])))]
pub async fn edit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    Valid(a): Valid<NewAnswer>,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    let f = db::facts(&mut w.tx, &community, &id, &me).await?;
    if f.author_id != me.id {
        return Err(ApiError::Forbidden(
            "only its author edits an answer".into(),
        ));
    }
    let body = a.body.trim_end();
    db::update(&mut w.tx, &f.question_id, &id, &me, body, now_ms()).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &f.question_id).await
}

/// Accepts an answer (pinned first; the question shows as solved), or takes
/// the acceptance back with `answer_id: null`. The asker or a moderator.
#[utoipa::path(put, path = "/api/v1/questions/{id}/accepted", tag = "questions",
    request_body = Accept, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question),
              (status = 403, description = "neither the asker nor a moderator")),
    security(("bearer" = [])))]
pub async fn accept(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Accept>,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    let f = facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if f.author_id != me.id && !me.is_moderator() {
        return Err(ApiError::Forbidden(
            "only the asker or a moderator accepts an answer".into(),
        ));
    }
    if let Some(aid) = &body.answer_id
        && !db::is_visible_answer_of(&mut w.tx, &id, aid).await?
    {
        return Err(ApiError::field(
            "answer_id",
            km_protocol::validate::codes::INVALID_FORMAT,
            "not an answer of this question",
        ));
    }
    if f.accepted_answer_id != body.answer_id {
        let answer = body.answer_id.as_deref();
        db::set_accepted(&mut w.tx, &id, &me, answer, now_ms()).await?;
    }
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}

/// Adds or removes `me`'s vote on a question or answer and returns the
/// count. Voting twice is one vote; nobody votes on their own post.
async fn vote(
    st: &AppState,
    me: &Me,
    community: &str,
    target: Target,
    id: &str,
    on: bool,
) -> ApiResult<Json<VoteState>> {
    let mut w = st.store.write().await?;
    let author = match target {
        Target::Question => facts(&mut w.tx, community, id, Some(me)).await?.author_id,
        Target::Answer => db::facts(&mut w.tx, community, id, me).await?.author_id,
    };
    if author == me.id {
        return Err(ApiError::Forbidden(
            "you cannot vote on your own post".into(),
        ));
    }
    let votes = db::vote(&mut w.tx, target, id, &me.id, on, now_ms()).await?;
    w.commit().await?;
    Ok(Json(VoteState { votes, my_vote: on }))
}
/// Upvotes a question (once per person).
#[utoipa::path(put, path = "/api/v1/questions/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = VoteState), (status = 403, description = "your own post")),
    security(("bearer" = [])))]
pub async fn vote_question(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, Target::Question, &id, true).await
}

/// Takes my vote on a question back.
#[utoipa::path(delete, path = "/api/v1/questions/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = VoteState), (status = 403, description = "your own post")),
    security(("bearer" = [])))]
pub async fn unvote_question(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, Target::Question, &id, false).await
}

/// Upvotes an answer (once per person).
#[utoipa::path(put, path = "/api/v1/answers/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = VoteState), (status = 403, description = "your own post")),
    security(("bearer" = [])))]
pub async fn vote_answer(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, Target::Answer, &id, true).await
}

/// Takes my vote on an answer back.
#[utoipa::path(delete, path = "/api/v1/answers/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = VoteState), (status = 403, description = "your own post")),
    security(("bearer" = [])))]
pub async fn unvote_answer(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, Target::Answer, &id, false).await
}

async fn set_following(
    st: &AppState,
    me: &Me,
    community: &str,
    id: &str,
    on: bool,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    facts(&mut w.tx, community, id, Some(me)).await?;
    set_follow(&mut w.tx, id, &me.id, on, now_ms()).await?;
    w.commit().await?;
    reloaded(st, community, me, id).await
}

/// Follows a question (it shows in `filter=following`).
#[utoipa::path(put, path = "/api/v1/questions/{id}/follow", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question)),
    security(("bearer" = [])))]
pub async fn follow(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Question>> {
    set_following(&st, &me, &c, &id, true).await
}

/// Stops following a question.
#[utoipa::path(delete, path = "/api/v1/questions/{id}/follow", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question)),
    security(("bearer" = [])))]
pub async fn unfollow(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Question>> {
    set_following(&st, &me, &c, &id, false).await
}
