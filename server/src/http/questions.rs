//! ask-the-community questions: list (newest, unanswered, urgent, active;
//! by tag), ask (idempotent), read one with its answers. Anonymous askers
//! are stored (for moderation) and never returned.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::questions::{
    Answer, NewQuestion, Question, QuestionQuery, QuestionSort, QuestionSummary, Urgency,
};
use km_protocol::{Me, Page, Validate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Query, Reader, Signed};
use crate::store::{Cursor, flag, new_id, now_ms, rfc3339};
use crate::tag_vocabulary::{labels_from_json, labels_json, lookup_key, resolve, set_links};
use crate::{idempotency, people};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions", get(list).post(ask))
        .route("/questions/{id}", get(one))
}

const SUMMARY_COLUMNS: &str = "q.id, q.title, q.tags, q.urgency, q.need_by, q.anonymous, \
     q.answer_count, q.votes, q.accepted_answer_id, q.created_at, q.last_activity_at, \
     q.body, pe.id AS a_id, pe.name AS a_name, pe.department AS a_department";

fn summary(r: &AnyRow) -> Result<QuestionSummary, sqlx::Error> {
    let anonymous = flag(r.try_get("anonymous")?);
    let urgency: String = r.try_get("urgency")?;
    let accepted: Option<String> = r.try_get("accepted_answer_id")?;
    Ok(QuestionSummary {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        tags: labels_from_json(&r.try_get::<String, _>("tags")?),
        urgency: if urgency == "urgent" {
            Urgency::Urgent
        } else {
            Urgency::Normal
        },
        need_by: r.try_get("need_by")?,
        author: if anonymous {
            None
        } else {
            Some(people::summary(r, "a_")?)
        },
        anonymous,
        answer_count: r.try_get("answer_count")?,
        votes: r.try_get("votes")?,
        solved: accepted.is_some(),
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// Stores a new question by `me` (used by the API and the demo seed);
/// returns its id.
pub async fn create(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    q: &NewQuestion,
    now: i64,
) -> Result<String, ApiError> {
    q.validate().map_err(ApiError::Validation)?;
    people::upsert(conn, me).await?;
    let tags = resolve(conn, community, &q.tags).await?;
    let id = new_id();
    let need_by = match q.urgency {
        Urgency::Urgent => q.need_by.clone(),
        Urgency::Normal => None,
    };
    sqlx::query(
        "INSERT INTO questions (id, community, author_id, title, body, tags, urgency, need_by, \
         anonymous, created_at, updated_at, last_activity_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10)",
    )
    .bind(&id)
    .bind(community)
    .bind(&me.id)
    .bind(q.title.trim())
    .bind(q.body.trim_end())
    .bind(labels_json(&tags))
    .bind(if q.urgency == Urgency::Urgent {
        "urgent"
    } else {
        "normal"
    })
    .bind(need_by)
    .bind(i64::from(q.anonymous))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    set_links(conn, community, "question", &id, &tags, true).await?;
    Ok(id)
}

/// Stores an answer by `me` (used by the demo seed; the answer endpoints
/// come with the ask-the-community widget).
pub async fn add_answer(
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

async fn load(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
) -> Result<Option<Question>, ApiError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM questions q JOIN people pe ON pe.id = q.author_id \
         WHERE q.id = $1 AND q.community = $2 AND q.hidden = 0"
    ))
    .bind(id)
    .bind(community)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let accepted: Option<String> = row.try_get("accepted_answer_id")?;
    let accepted = accepted.unwrap_or_default();
    let answers = sqlx::query(
        "SELECT a.id, a.body, a.votes, a.created_at, pe.id AS a_id, pe.name AS a_name, \
         pe.department AS a_department FROM answers a JOIN people pe ON pe.id = a.author_id \
         WHERE a.question_id = $1 AND a.hidden = 0 \
         ORDER BY CASE WHEN a.id = $2 THEN 0 ELSE 1 END, a.votes DESC, a.created_at, a.id",
    )
    .bind(id)
    .bind(&accepted)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|a| {
        let aid: String = a.try_get("id")?;
        Ok(Answer {
            accepted: aid == accepted,
            id: aid,
            body: a.try_get("body")?,
            author: people::summary(a, "a_")?,
            votes: a.try_get("votes")?,
            created_at: rfc3339(a.try_get("created_at")?),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(Question {
        summary: summary(&row)?,
        body: row.try_get("body")?,
        answers,
    }))
}

/// Questions, newest first by default; `sort=unanswered` (no answers yet,
/// newest first), `urgent` (urgent ones, nearest need-by date first),
/// `active` (latest activity first); `tag` filters.
#[utoipa::path(get, path = "/api/v1/questions", tag = "questions", params(QuestionQuery),
    responses((status = 200, body = Page<QuestionSummary>), (status = 400, body = km_protocol::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    _reader: Reader,
    Community(community): Community,
    Query(q): Query<QuestionQuery>,
) -> ApiResult<Json<Page<QuestionSummary>>> {
    let limit = super::limit(q.limit);
    let mut conn = st.store.pool().acquire().await?;
    let tag = match q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => lookup_key(&mut conn, &community, t).await?,
        None => String::new(),
    };
    // Every order is a keyset on (sort key, id); the cursor carries both.
    let (filter, keyset, order, key_col) = match q.sort {
        QuestionSort::Newest => (
            "",
            "(q.created_at < $3 OR (q.created_at = $3 AND q.id < $4))",
            "q.created_at DESC, q.id DESC",
            "created_at",
        ),
        QuestionSort::Unanswered => (
            "AND q.answer_count = 0",
            "(q.created_at < $3 OR (q.created_at = $3 AND q.id < $4))",
            "q.created_at DESC, q.id DESC",
            "created_at",
        ),
        QuestionSort::Active => (
            "",
            "(q.last_activity_at < $3 OR (q.last_activity_at = $3 AND q.id < $4))",
            "q.last_activity_at DESC, q.id DESC",
            "last_activity_at",
        ),
        QuestionSort::Urgent => (
            "AND q.urgency = 'urgent'",
            "(q.need_by > $3 OR (q.need_by = $3 AND q.id > $4))",
            "q.need_by ASC, q.id ASC",
            "need_by",
        ),
    };
    let cursor = match q.cursor.as_deref() {
        Some(c) if !c.is_empty() => Some(Cursor::decode(c)?),
        _ => None,
    };
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM questions q JOIN people pe ON pe.id = q.author_id \
         WHERE q.community = $1 AND q.hidden = 0 {filter} \
           AND ($2 = '' OR EXISTS (SELECT 1 FROM tag_links t WHERE t.community = q.community \
                AND t.kind = 'question' AND t.ref_id = q.id AND t.tag_key = $2)) \
           AND {keyset} ORDER BY {order} LIMIT $5"
    );
    let query = sqlx::query(&sql).bind(&community).bind(&tag);
    let query = if key_col == "need_by" {
        let (k, id) = cursor.map(|c| (c.key, c.id)).unwrap_or_default();
        query.bind(k).bind(id)
    } else {
        let (k, id) = match cursor {
            Some(c) => (
                c.key
                    .parse::<i64>()
                    .map_err(|_| ApiError::BadRequest("invalid cursor".into()))?,
                c.id,
            ),
            None => (i64::MAX, String::new()),
        };
        query.bind(k).bind(id)
    };
    let rows = query.bind(limit + 1).fetch_all(&mut *conn).await?;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let items = rows.iter().map(summary).collect::<Result<Vec<_>, _>>()?;
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => {
            let id: String = last.try_get("id")?;
            Some(if key_col == "need_by" {
                Cursor::encode(last.try_get::<String, _>("need_by")?, &id)
            } else {
                Cursor::encode(last.try_get::<i64, _>(key_col)?, &id)
            })
        }
        _ => None,
    };
    Ok(Json(Page { items, next_cursor }))
}

/// One question with its answers (the accepted one first).
#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 404, body = km_protocol::Problem)))]
pub async fn one(
    State(st): State<AppState>,
    _reader: Reader,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Question>> {
    let mut conn = st.store.pool().acquire().await?;
    load(&mut conn, &community, &id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Asks a question. Send an `Idempotency-Key` so a retry never asks twice.
#[utoipa::path(post, path = "/api/v1/questions", tag = "questions", request_body = NewQuestion,
    params(("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Question), (status = 401, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn ask(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    IdempotencyKey(key): IdempotencyKey,
    extract::Json(q): extract::Json<NewQuestion>,
) -> ApiResult<Response> {
    q.validate().map_err(ApiError::Validation)?;
    let hash = idempotency::fingerprint(&format!("POST /questions {community}"), &q);
    let mut w = st.store.write().await?;
    if let Some(r) = idempotency::begin(&mut w, &me.id, key.as_deref(), &hash).await? {
        return Ok(r);
    }
    let id = create(&mut w.tx, &community, &me, &q, now_ms()).await?;
    let question = load(&mut w.tx, &community, &id)
        .await?
        .ok_or_else(|| ApiError::Internal("new question vanished".into()))?;
    let body = serde_json::to_string(&question).map_err(|e| ApiError::Internal(e.to_string()))?;
    idempotency::finish(
        &st.store,
        w,
        &me.id,
        key.as_deref(),
        &hash,
        StatusCode::CREATED,
        body,
    )
    .await
}
