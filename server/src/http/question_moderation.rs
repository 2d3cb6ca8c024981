//! ask-the-community moderation: moderators (role `km:moderator` or
//! `km:admin`) hide and show questions and answers, close a question as a
//! duplicate of another, and retag (the asker may retag too). Every change
//! is recorded with who and when; moderators read the record.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::questions::{Change, Duplicate, Hidden, Question, Retag};
use km_protocol::{Me, Validate};
use sqlx::Row;

use super::answers::answer_facts;
use super::questions::{Asker, facts, participant, record, reloaded, touch};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Signed};
use crate::store::{now_ms, rfc3339};
use crate::tag_vocabulary::{labels_json, resolve, set_links};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions/{id}/hidden", put(hide_question))
        .route("/answers/{id}/hidden", put(hide_answer))
        .route("/questions/{id}/duplicate", put(duplicate))
        .route("/questions/{id}/tags", put(retag))
        .route("/questions/{id}/changes", get(changes))
}

fn moderator(me: &Me) -> Result<(), ApiError> {
    if me.is_moderator() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("moderators only".into()))
    }
}

/// Hides a question from everyone but moderators, or shows it again.
#[utoipa::path(put, path = "/api/v1/questions/{id}/hidden", tag = "questions",
    request_body = Hidden, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn hide_question(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Hidden>,
) -> ApiResult<Json<Question>> {
    moderator(&me)?;
    let now = now_ms();
    let mut w = st.store.write().await?;
    facts(&mut w.tx, &community, &id, Some(&me)).await?;
    sqlx::query("UPDATE questions SET hidden = $2, updated_at = $3 WHERE id = $1")
        .bind(&id)
        .bind(i64::from(body.hidden))
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
    let action = if body.hidden { "hidden" } else { "shown" };
    record(&mut w.tx, &id, None, &me.id, action, now).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}

/// Hides an answer (or shows it again); a hidden accepted answer is no
/// longer accepted.
#[utoipa::path(put, path = "/api/v1/answers/{id}/hidden", tag = "questions",
    request_body = Hidden, params(("id" = String, Path, description = "answer id")),
    responses((status = 200, body = Question), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn hide_answer(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Hidden>,
) -> ApiResult<Json<Question>> {
    moderator(&me)?;
    let now = now_ms();
    let mut w = st.store.write().await?;
    let f = answer_facts(&mut w.tx, &community, &id, &me).await?;
    if f.hidden != body.hidden {
        sqlx::query("UPDATE answers SET hidden = $2 WHERE id = $1")
            .bind(&id)
            .bind(i64::from(body.hidden))
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "UPDATE questions SET answer_count = answer_count + $2, \
             accepted_answer_id = CASE WHEN accepted_answer_id = $3 AND $2 < 0 THEN NULL \
               ELSE accepted_answer_id END WHERE id = $1",
        )
        .bind(&f.question_id)
        .bind(if body.hidden { -1i64 } else { 1 })
        .bind(&id)
        .execute(&mut *w.tx)
        .await?;
        let action = if body.hidden {
            "answer_hidden"
        } else {
            "answer_shown"
        };
        record(&mut w.tx, &f.question_id, Some(&id), &me.id, action, now).await?;
    }
    w.commit().await?;
    reloaded(&st, &community, &me, &f.question_id).await
}

/// Closes a question as a duplicate of another one (or reopens it with
/// `original_id: null`). Closed questions take no new answers.
#[utoipa::path(put, path = "/api/v1/questions/{id}/duplicate", tag = "questions",
    request_body = Duplicate, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn duplicate(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Duplicate>,
) -> ApiResult<Json<Question>> {
    moderator(&me)?;
    let now = now_ms();
    let mut w = st.store.write().await?;
    facts(&mut w.tx, &community, &id, Some(&me)).await?;
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
        facts(&mut w.tx, &community, orig, Some(&me))
            .await
            .map_err(|_| bad("no such question"))?;
    }
    sqlx::query("UPDATE questions SET duplicate_of = $2 WHERE id = $1")
        .bind(&id)
        .bind(&body.original_id)
        .execute(&mut *w.tx)
        .await?;
    touch(&mut w.tx, &id, now).await?;
    let action = if body.original_id.is_some() {
        "duplicate"
    } else {
        "reopened"
    };
    record(&mut w.tx, &id, None, &me.id, action, now).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}

/// Replaces a question's tags (the asker or a moderator).
#[utoipa::path(put, path = "/api/v1/questions/{id}/tags", tag = "questions",
    request_body = Retag, params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn retag(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Retag>,
) -> ApiResult<Json<Question>> {
    body.validate().map_err(ApiError::Validation)?;
    let now = now_ms();
    let mut w = st.store.write().await?;
    let f = facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if f.author_id != me.id {
        moderator(&me)?;
    }
    let tags = resolve(&mut w.tx, &community, &body.tags).await?;
    sqlx::query("UPDATE questions SET tags = $2 WHERE id = $1")
        .bind(&id)
        .bind(labels_json(&tags))
        .execute(&mut *w.tx)
        .await?;
    set_links(&mut w.tx, &community, "question", &id, &tags, true).await?;
    touch(&mut w.tx, &id, now).await?;
    record(&mut w.tx, &id, None, &me.id, "retagged", now).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}

/// Who changed what and when, oldest first (moderators only). What the
/// anonymous asker of the question did (asked, edited, answered, invited,
/// accepted, retagged) shows without a name, like everywhere else.
#[utoipa::path(get, path = "/api/v1/questions/{id}/changes", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Vec<Change>), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn changes(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Change>>> {
    moderator(&me)?;
    let mut conn = st.store.pool().acquire().await?;
    let f = facts(&mut conn, &community, &id, Some(&me)).await?;
    let asker = Asker {
        id: f.author_id,
        anonymous: f.anonymous,
    };
    let rows = sqlx::query(
        "SELECT c.action, c.answer_id, c.created_at, pe.id AS a_id, pe.name AS a_name, \
         pe.department AS a_department FROM question_changes c \
         JOIN people pe ON pe.id = c.actor_id WHERE c.question_id = $1 \
         ORDER BY c.created_at, c.id",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    let out = rows
        .iter()
        .map(|r| {
            let actor = participant(r, &asker)?;
            Ok(Change {
                action: r.try_get("action")?,
                answer_id: r.try_get("answer_id")?,
                anonymous: actor.is_none(),
                actor,
                at: rfc3339(r.try_get("created_at")?),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Json(out))
}
