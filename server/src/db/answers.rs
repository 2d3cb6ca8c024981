//! ask-the-community answers: storing and editing one, acceptance, hiding,
//! and the votes on questions and answers.

use km_protocol::questions::Answer;
use km_protocol::{Me, PersonSummary};
use sqlx::{AnyConnection, Row};

use crate::db::questions::{Asker, facts as question_facts, record, set_follow, touch};
use crate::error::ApiError;
use crate::people;
use crate::store::{flag, new_id, rfc3339};

/// Answers question `id` (asked by `asker`) as `me`: stores the answer,
/// has `me` follow the question and records it; returns the answer as
/// everyone sees it. The anonymous asker's own answer is anonymous too,
/// even in the copy the asker gets back.
pub async fn post(
    conn: &mut AnyConnection,
    id: &str,
    asker: &Asker,
    me: &Me,
    body: &str,
    now: i64,
) -> Result<Answer, ApiError> {
    let aid = create(conn, id, me, body, false, now).await?;
    set_follow(conn, id, &me.id, true, now).await?;
    record(conn, id, Some(&aid), &me.id, "answered", now).await?;
    let anonymous = asker.hides(&me.id);
    Ok(Answer {
        id: aid,
        body: body.to_owned(),
        author: (!anonymous).then(|| PersonSummary {
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
    })
}

/// Stores an answer by `me` (the answer endpoint and the demo seed).
pub async fn create(
    conn: &mut AnyConnection,
    question_id: &str,
    me: &Me,
    body: &str,
    accepted: bool,
    now: i64,
) -> Result<String, ApiError> {
    people::upsert(conn, me).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO answers (id, question_id, author_id, body, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(question_id)
    .bind(&me.id)
    .bind(body)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE questions SET answer_count = answer_count + 1, \
         last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END, \
         accepted_answer_id = CASE WHEN $3 = 1 THEN $4 ELSE accepted_answer_id END \
         WHERE id = $1",
    )
    .bind(question_id)
    .bind(now)
    .bind(i64::from(accepted))
    .bind(&id)
    .execute(&mut *conn)
    .await?;
    Ok(id)
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
pub async fn facts(
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
    question_facts(conn, community, &f.question_id, Some(me)).await?;
    if f.hidden && !me.is_moderator() {
        return Err(ApiError::NotFound);
    }
    Ok(f)
}

/// Replaces the body of answer `id` (of question `question_id`) by `me`.
pub async fn update(
    conn: &mut AnyConnection,
    question_id: &str,
    id: &str,
    me: &Me,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE answers SET body = $2, edited_at = $3, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(body)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    touch(conn, question_id, now).await?;
    record(conn, question_id, Some(id), &me.id, "answer_edited", now).await
}

/// Whether `id` is a visible answer of question `question_id`.
pub async fn is_visible_answer_of(
    conn: &mut AnyConnection,
    question_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT 1 FROM answers WHERE id = $1 AND question_id = $2 AND hidden = 0")
            .bind(id)
            .bind(question_id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// Accepts answer `answer` of question `question_id` (None takes the
/// acceptance back), by `me`.
pub async fn set_accepted(
    conn: &mut AnyConnection,
    question_id: &str,
    me: &Me,
    answer: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE questions SET accepted_answer_id = $2 WHERE id = $1")
        .bind(question_id)
        .bind(answer)
        .execute(&mut *conn)
        .await?;
    touch(conn, question_id, now).await?;
    let action = if answer.is_some() {
        "accepted"
    } else {
        "unaccepted"
    };
    record(conn, question_id, answer, &me.id, action, now).await
}

/// Hides answer `id` of question `question_id` (or shows it again); a
/// hidden accepted answer is no longer accepted.
pub async fn set_hidden(
    conn: &mut AnyConnection,
    question_id: &str,
    id: &str,
    me: &Me,
    hidden: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE answers SET hidden = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::from(hidden))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE questions SET answer_count = answer_count + $2, \
         accepted_answer_id = CASE WHEN accepted_answer_id = $3 AND $2 < 0 THEN NULL \
           ELSE accepted_answer_id END WHERE id = $1",
    )
    .bind(question_id)
    .bind(if hidden { -1i64 } else { 1 })
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let action = if hidden {
        "answer_hidden"
    } else {
        "answer_shown"
    };
    record(conn, question_id, Some(id), &me.id, action, now).await
}

/// What a vote is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A question.
    Question,
    /// An answer.
    Answer,
}

impl Target {
    /// The `kind` of its votes.
    fn kind(self) -> &'static str {
        match self {
            Target::Question => "question",
            Target::Answer => "answer",
        }
    }
}

/// Adds (or takes back) `person`'s vote on `id` and returns the count,
/// recomputed from the votes so it cannot drift from them.
pub async fn vote(
    conn: &mut AnyConnection,
    target: Target,
    id: &str,
    person: &str,
    on: bool,
    now: i64,
) -> Result<i64, sqlx::Error> {
    if on {
        sqlx::query(
            "INSERT INTO question_votes (kind, target_id, person_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (kind, target_id, person_id) DO NOTHING",
        )
        .bind(target.kind())
        .bind(id)
        .bind(person)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query(
            "DELETE FROM question_votes WHERE kind = $1 AND target_id = $2 AND person_id = $3",
        )
        .bind(target.kind())
        .bind(id)
        .bind(person)
        .execute(&mut *conn)
        .await?;
    }
    let table = match target {
        Target::Question => "questions",
        Target::Answer => "answers",
    };
    sqlx::query(&format!(
        "UPDATE {table} SET votes = (SELECT COUNT(*) FROM question_votes \
         WHERE kind = $1 AND target_id = $2) WHERE id = $2 RETURNING votes"
    ))
    .bind(target.kind())
    .bind(id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("votes")
}
