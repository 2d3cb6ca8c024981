//! ask-the-community answers, acceptance, votes and follows. Authors edit
//! only their own answers; the asker (or a moderator) accepts one; one vote
//! per person on each question and answer (PUT votes, DELETE takes it
//! back), never on one's own post.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::put;
use axum::{Json, Router};
use km_protocol::questions::{Accept, Answer, NewAnswer, Question, VoteState};
use km_protocol::{Me, Validate};
use sqlx::{AnyConnection, Row};

use super::questions::{Asker, add_answer, facts, record, reloaded, set_follow, touch};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Signed, Valid};
use crate::idempotency::{self, Start};
use crate::store::{flag, now_ms, rfc3339};

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

/// What the checks of an answer need.
pub struct AnswerFacts {
    /// Its question.
    pub question_id: String,
    /// Who wrote it.
    pub author_id: String,
    /// Hidden by a moderator.
    pub hidden: bool,
}

/// The facts of answer `id` in `community`: a 404 when it or its question
/// is hidden from `me`.
pub async fn answer_facts(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: &Me,
) -> Result<AnswerFacts, ApiError> {
    let row = sqlx::query(
        "SELECT a.question_id, a.author_id, a.hidden FROM answers a \
         JOIN questions q ON q.id = a.question_id WHERE a.id = $1 AND q.community = $2",
    )
    .bind(id)
    .bind(community)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(ApiError::NotFound)?;
    let f = AnswerFacts {
        question_id: row.try_get("question_id")?,
        author_id: row.try_get("author_id")?,
        hidden: flag(row.try_get("hidden")?),
    };
    facts(conn, community, &f.question_id, Some(me)).await?;
    if f.hidden && !me.is_moderator() {
        return Err(ApiError::NotFound);
    }
    Ok(f)
}

/// Answers a question (idempotent with an `Idempotency-Key`); the answerer
/// follows the question from then on.
#[utoipa::path(post, path = "/api/v1/questions/{id}/answers", tag = "questions",
    request_body = NewAnswer,
    params(("id" = String, Path, description = "question id"),
           ("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Answer), (status = 404, body = km_protocol::Problem),
              (status = 409, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
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
    let closed: Option<String> = sqlx::query("SELECT duplicate_of FROM questions WHERE id = $1")
        .bind(&id)
        .fetch_one(&mut *w.tx)
        .await?
        .try_get("duplicate_of")?;
    if closed.is_some() {
        return Err(ApiError::Conflict(
            "closed as a duplicate: answer the original question".into(),
        ));
    }
    let now = now_ms();
    let body = a.body.trim_end();
    let aid = add_answer(&mut w.tx, &id, &me, body, false, now).await?;
    set_follow(&mut w.tx, &id, &me.id, true, now).await?;
    record(&mut w.tx, &id, Some(&aid), &me.id, "answered", now).await?;
    // The anonymous asker's own answer is anonymous too, even in the copy
    // the asker gets back (it is what everyone sees).
    let asker = Asker {
        id: f.author_id,
        anonymous: f.anonymous,
    };
    let anonymous = asker.hides(&me.id);
    let out = Answer {
        id: aid,
        body: body.to_owned(),
        author: (!anonymous).then(|| km_protocol::PersonSummary {
            id: me.id.clone(),
            name: me.name.clone(),
            department: me.department.clone(),
        }),
        anonymous,
        accepted: false,
        votes: 0,
        created_at: rfc3339(now),
        edited_at: None,
        my_vote: false,
        mine: true,
    };
    op.created(&st.store, &out).await
}

/// Edits my answer (only its author does).
#[utoipa::path(put, path = "/api/v1/answers/{id}", tag = "questions", request_body = NewAnswer,
    params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = Question), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn edit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(a): extract::Json<NewAnswer>,
) -> ApiResult<Json<Question>> {
    a.validate().map_err(ApiError::Validation)?;
    let now = now_ms();
    let mut w = st.store.write().await?;
    let f = answer_facts(&mut w.tx, &community, &id, &me).await?;
    if f.author_id != me.id {
        return Err(ApiError::Forbidden(
            "only its author edits an answer".into(),
        ));
    }
    sqlx::query("UPDATE answers SET body = $2, edited_at = $3, updated_at = $3 WHERE id = $1")
        .bind(&id)
        .bind(a.body.trim_end())
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
    touch(&mut w.tx, &f.question_id, now).await?;
    record(
        &mut w.tx,
        &f.question_id,
        Some(&id),
        &me.id,
        "answer_edited",
        now,
    )
    .await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &f.question_id).await
}

/// Accepts an answer (pinned first; the question shows as solved), or takes
/// the acceptance back with `answer_id: null`. The asker or a moderator.
#[utoipa::path(put, path = "/api/v1/questions/{id}/accepted", tag = "questions",
    request_body = Accept, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn accept(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Accept>,
) -> ApiResult<Json<Question>> {
    let now = now_ms();
    let mut w = st.store.write().await?;
    let f = facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if f.author_id != me.id && !me.is_moderator() {
        return Err(ApiError::Forbidden(
            "only the asker or a moderator accepts an answer".into(),
        ));
    }
    if let Some(aid) = &body.answer_id {
        let ok =
            sqlx::query("SELECT 1 FROM answers WHERE id = $1 AND question_id = $2 AND hidden = 0")
                .bind(aid)
                .bind(&id)
                .fetch_optional(&mut *w.tx)
                .await?
                .is_some();
        if !ok {
            return Err(ApiError::field(
                "answer_id",
                km_protocol::validate::codes::INVALID_FORMAT,
                "not an answer of this question",
            ));
        }
    }
    if f.accepted_answer_id != body.answer_id {
        sqlx::query("UPDATE questions SET accepted_answer_id = $2 WHERE id = $1")
            .bind(&id)
            .bind(&body.answer_id)
            .execute(&mut *w.tx)
            .await?;
        touch(&mut w.tx, &id, now).await?;
        let action = if body.answer_id.is_some() {
            "accepted"
        } else {
            "unaccepted"
        };
        record(
            &mut w.tx,
            &id,
            body.answer_id.as_deref(),
            &me.id,
            action,
            now,
        )
        .await?;
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
    kind: &str,
    id: &str,
    on: bool,
) -> ApiResult<Json<VoteState>> {
    let mut w = st.store.write().await?;
    let author = if kind == "question" {
        facts(&mut w.tx, community, id, Some(me)).await?.author_id
    } else {
        answer_facts(&mut w.tx, community, id, me).await?.author_id
    };
    if author == me.id {
        return Err(ApiError::Forbidden(
            "you cannot vote on your own post".into(),
        ));
    }
    if on {
        sqlx::query(
            "INSERT INTO question_votes (kind, target_id, person_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (kind, target_id, person_id) DO NOTHING",
        )
        .bind(kind)
        .bind(id)
        .bind(&me.id)
        .bind(now_ms())
        .execute(&mut *w.tx)
        .await?;
    } else {
        sqlx::query(
            "DELETE FROM question_votes WHERE kind = $1 AND target_id = $2 AND person_id = $3",
        )
        .bind(kind)
        .bind(id)
        .bind(&me.id)
        .execute(&mut *w.tx)
        .await?;
    }
    // The count is recomputed, so it cannot drift from the votes.
    let table = if kind == "question" {
        "questions"
    } else {
        "answers"
    };
    let votes: i64 = sqlx::query(&format!(
        "UPDATE {table} SET votes = (SELECT COUNT(*) FROM question_votes \
         WHERE kind = $1 AND target_id = $2) WHERE id = $2 RETURNING votes"
    ))
    .bind(kind)
    .bind(id)
    .fetch_one(&mut *w.tx)
    .await?
    .try_get("votes")?;
    w.commit().await?;
    Ok(Json(VoteState { votes, my_vote: on }))
}

/// Upvotes a question (once per person).
#[utoipa::path(put, path = "/api/v1/questions/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = VoteState), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn vote_question(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, "question", &id, true).await
}

/// Takes my vote on a question back.
#[utoipa::path(delete, path = "/api/v1/questions/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = VoteState), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn unvote_question(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, "question", &id, false).await
}

/// Upvotes an answer (once per person).
#[utoipa::path(put, path = "/api/v1/answers/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = VoteState), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn vote_answer(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, "answer", &id, true).await
}

/// Takes my vote on an answer back.
#[utoipa::path(delete, path = "/api/v1/answers/{id}/vote", tag = "questions",
    params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = VoteState), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn unvote_answer(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<VoteState>> {
    vote(&st, &me, &c, "answer", &id, false).await
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
    responses((status = 200, body = Question), (status = 404, body = km_protocol::Problem)),
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
    responses((status = 200, body = Question), (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn unfollow(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(c): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Question>> {
    set_following(&st, &me, &c, &id, false).await
}
