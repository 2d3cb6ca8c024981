//! ask-the-community questions: list (newest, unanswered, urgent, active;
//! by tag; mine, followed, invited), ranked full-text search, similar
//! questions while a title is typed, ask (idempotent), read one with its
//! answers (with an ETag, so polling costs a 304), and edit (the author).
//! Anonymous askers are stored (for moderation) and never returned to
//! anyone, moderators included: every person a question shows (its asker,
//! its answers' authors, its change log's actors) goes through
//! [`participant`], which leaves the anonymous asker out. Answers, votes
//! and follows are in [`super::answers`]; routing to people in [`super::question_people`]; moderation in
//! [`super::question_moderation`].

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::questions::{
    Answer, NewQuestion, Question, QuestionFilter, QuestionQuery, QuestionSort, QuestionSummary,
    SimilarQuery, Urgency, Viewer,
};
use km_protocol::{Me, Page, PersonSummary, Validate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Query, Reader, Signed, Valid};
use crate::idempotency::{self, Start};
use crate::people;
use crate::search::{self, Mode};
use crate::store::{Backend, Cursor, flag, new_id, now_ms, rfc3339};
use crate::tag_vocabulary::{labels_from_json, labels_json, lookup_key, resolve, set_links};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions", get(list).post(ask))
        .route("/questions/similar", get(similar))
        .route("/questions/{id}", get(one).put(edit))
}

const SUMMARY_COLUMNS: &str = "q.id, q.title, q.tags, q.urgency, q.need_by, q.anonymous, \
     q.answer_count, q.votes, q.accepted_answer_id, q.created_at, q.last_activity_at, \
     q.body, q.duplicate_of, q.edited_at, q.author_id, q.hidden, \
     pe.id AS a_id, pe.name AS a_name, pe.department AS a_department";

fn summary(r: &AnyRow) -> Result<QuestionSummary, sqlx::Error> {
    let anonymous = flag(r.try_get("anonymous")?);
    let asker = Asker {
        id: r.try_get("author_id")?,
        anonymous,
    };
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
        author: participant(r, &asker)?,
        anonymous,
        answer_count: r.try_get("answer_count")?,
        votes: r.try_get("votes")?,
        solved: accepted.is_some(),
        created_at: rfc3339(r.try_get("created_at")?),
        duplicate_of: r.try_get("duplicate_of")?,
    })
}

/// Who asked a question, as [`participant`] needs it.
pub struct Asker {
    /// The asker's person id (kept for moderation, never sent when
    /// `anonymous`).
    pub id: String,
    /// Asked anonymously.
    pub anonymous: bool,
}

impl Asker {
    /// Whether `person` is this question's anonymous asker, who is shown
    /// without a name.
    pub fn hides(&self, person: &str) -> bool {
        self.anonymous && person == self.id
    }
}

/// The person to show for a participant of a question (its asker, an
/// answer's author, a change's actor) from a row's `a_id`, `a_name`,
/// `a_department` columns: nobody when it is the question's anonymous
/// asker. This is the one place that decides whether a question names
/// someone, so the asker of an anonymous question is never returned to
/// anyone (moderators included), nor linked through their own answers or
/// what they did.
pub fn participant(r: &AnyRow, asker: &Asker) -> Result<Option<PersonSummary>, sqlx::Error> {
    let id: String = r.try_get("a_id")?;
    if asker.hides(&id) {
        Ok(None)
    } else {
        people::summary(r, "a_").map(Some)
    }
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
    set_follow(conn, &id, &me.id, true, now).await?;
    record(conn, &id, None, &me.id, "asked", now).await?;
    Ok(id)
}

/// Stores an answer by `me` (the answer endpoint and the demo seed).
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

/// Records who changed what and when.
pub async fn record(
    conn: &mut AnyConnection,
    question_id: &str,
    answer_id: Option<&str>,
    actor: &str,
    action: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO question_changes (id, question_id, answer_id, actor_id, action, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(question_id)
    .bind(answer_id)
    .bind(actor)
    .bind(action)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Follows (or stops following) a question.
pub async fn set_follow(
    conn: &mut AnyConnection,
    question_id: &str,
    person: &str,
    on: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    if on {
        sqlx::query(
            "INSERT INTO question_follows (question_id, person_id, created_at) \
             VALUES ($1, $2, $3) ON CONFLICT (question_id, person_id) DO NOTHING",
        )
        .bind(question_id)
        .bind(person)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("DELETE FROM question_follows WHERE question_id = $1 AND person_id = $2")
            .bind(question_id)
            .bind(person)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What the authorization checks of a question need.
pub struct QuestionFacts {
    /// The asker (also of anonymous questions: never sent to anyone).
    pub author_id: String,
    /// Asked anonymously.
    pub anonymous: bool,
    /// The accepted answer.
    pub accepted_answer_id: Option<String>,
    /// Hidden by a moderator.
    pub hidden: bool,
}

/// The facts of question `id` in `community`; a 404 when it does not exist
/// or is hidden from `me` (only moderators see hidden questions).
pub async fn facts(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: Option<&Me>,
) -> Result<QuestionFacts, ApiError> {
    let row = sqlx::query(
        "SELECT author_id, anonymous, accepted_answer_id, hidden FROM questions \
         WHERE id = $1 AND community = $2",
    )
    .bind(id)
    .bind(community)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(ApiError::NotFound)?;
    let f = QuestionFacts {
        author_id: row.try_get("author_id")?,
        anonymous: flag(row.try_get("anonymous")?),
        accepted_answer_id: row.try_get("accepted_answer_id")?,
        hidden: flag(row.try_get("hidden")?),
    };
    if f.hidden && !me.is_some_and(Me::is_moderator) {
        return Err(ApiError::NotFound);
    }
    Ok(f)
}

/// Marks a question active now (answers, edits).
pub async fn touch(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE questions SET updated_at = $2, \
         last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn exists(
    conn: &mut AnyConnection,
    sql: &str,
    a: &str,
    b: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(sql)
        .bind(a)
        .bind(b)
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}

/// One question with its answers as `me` sees it (hidden ones only for
/// moderators).
pub async fn load(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: Option<&Me>,
) -> Result<Option<Question>, ApiError> {
    let moderator = me.is_some_and(Me::is_moderator);
    let Some(row) = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM questions q JOIN people pe ON pe.id = q.author_id \
         WHERE q.id = $1 AND q.community = $2 AND (q.hidden = 0 OR $3 = 1)"
    ))
    .bind(id)
    .bind(community)
    .bind(i64::from(moderator))
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let me_id = me.map(|m| m.id.as_str()).unwrap_or_default();
    let accepted: Option<String> = row.try_get("accepted_answer_id")?;
    let accepted = accepted.unwrap_or_default();
    let asker = Asker {
        id: row.try_get("author_id")?,
        anonymous: flag(row.try_get("anonymous")?),
    };
    let answers = sqlx::query(
        "SELECT a.id, a.body, a.votes, a.created_at, a.edited_at, a.author_id, \
         pe.id AS a_id, pe.name AS a_name, pe.department AS a_department, \
         (SELECT COUNT(*) FROM question_votes v WHERE v.kind = 'answer' \
            AND v.target_id = a.id AND v.person_id = $3) AS my_vote \
         FROM answers a JOIN people pe ON pe.id = a.author_id \
         WHERE a.question_id = $1 AND a.hidden = 0 \
         ORDER BY CASE WHEN a.id = $2 THEN 0 ELSE 1 END, a.votes DESC, a.created_at, a.id",
    )
    .bind(id)
    .bind(&accepted)
    .bind(me_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|a| {
        let aid: String = a.try_get("id")?;
        let author: String = a.try_get("author_id")?;
        let shown = participant(a, &asker)?;
        Ok(Answer {
            accepted: aid == accepted,
            id: aid,
            body: a.try_get("body")?,
            anonymous: shown.is_none(),
            author: shown,
            votes: a.try_get("votes")?,
            created_at: rfc3339(a.try_get("created_at")?),
            edited_at: a.try_get::<Option<i64>, _>("edited_at")?.map(rfc3339),
            my_vote: a.try_get::<i64, _>("my_vote")? > 0,
            mine: !me_id.is_empty() && author == me_id,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let author: String = row.try_get("author_id")?;
    let mut viewer = Viewer::default();
    if let Some(me) = me {
        viewer.mine = author == me.id;
        viewer.can_moderate = moderator;
        viewer.can_accept = viewer.mine || moderator;
        viewer.following = exists(
            conn,
            "SELECT 1 FROM question_follows WHERE question_id = $1 AND person_id = $2",
            id,
            &me.id,
        )
        .await?;
        viewer.my_vote = exists(
            conn,
            "SELECT 1 FROM question_votes WHERE kind = 'question' AND target_id = $1 \
             AND person_id = $2",
            id,
            &me.id,
        )
        .await?;
        viewer.invited = exists(
            conn,
            "SELECT 1 FROM question_invites WHERE question_id = $1 AND invitee_id = $2",
            id,
            &me.id,
        )
        .await?;
    }
    Ok(Some(Question {
        summary: summary(&row)?,
        body: row.try_get("body")?,
        answers,
        edited_at: row.try_get::<Option<i64>, _>("edited_at")?.map(rfc3339),
        hidden: flag(row.try_get("hidden")?),
        viewer,
    }))
}

/// The condition of a personal list on parameter `$n` (the caller's id).
fn personal(filter: Option<QuestionFilter>, n: usize) -> String {
    match filter {
        None => String::new(),
        Some(QuestionFilter::Mine) => format!("AND q.author_id = ${n}"),
        Some(QuestionFilter::Following) => format!(
            "AND EXISTS (SELECT 1 FROM question_follows f2 WHERE f2.question_id = q.id \
             AND f2.person_id = ${n})"
        ),
        Some(QuestionFilter::Invited) => format!(
            "AND EXISTS (SELECT 1 FROM question_invites i WHERE i.question_id = q.id \
             AND i.invitee_id = ${n})"
        ),
    }
}

const TAG_FILTER: &str = "AND ($2 = '' OR EXISTS (SELECT 1 FROM tag_links t \
     WHERE t.community = q.community AND t.kind = 'question' AND t.ref_id = q.id \
     AND t.tag_key = $2))";

/// Questions, newest first by default; `sort=unanswered` (no answers yet,
/// newest first), `urgent` (urgent ones, nearest need-by date first),
/// `active` (latest activity first); `tag` filters; `filter` narrows to my
/// questions, followed ones or invitations; `q` searches (best match first).
#[utoipa::path(get, path = "/api/v1/questions", tag = "questions", params(QuestionQuery),
    responses((status = 200, body = Page<QuestionSummary>), (status = 400, body = km_protocol::Problem),
              (status = 401, body = km_protocol::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Query(q): Query<QuestionQuery>,
) -> ApiResult<Json<Page<QuestionSummary>>> {
    let limit = super::limit(q.limit)?;
    let me_id = match (q.filter, &me) {
        (Some(_), None) => return Err(ApiError::Unauthorized("sign in to see your lists".into())),
        (_, Some(m)) => m.id.clone(),
        (None, None) => String::new(),
    };
    let mut conn = st.store.pool().acquire().await?;
    let tag = match q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => lookup_key(&mut conn, &community, t).await?,
        None => String::new(),
    };
    // `$6` is the caller's id; `($6 = $6)` keeps it referenced when no
    // personal filter uses it (PostgreSQL refuses unused parameters).
    let personal = personal(q.filter, 6);
    if let Some(text) = q.q.as_deref().filter(|t| !t.trim().is_empty()) {
        let backend = st.store.backend();
        let Some(fts) = search::query(backend, text, Mode::All, true) else {
            return Ok(Json(Page::default()));
        };
        let offset = match Cursor::decode_i64(q.cursor.as_deref())? {
            Some((o, _)) if o >= 0 => o,
            Some(_) => return Err(ApiError::BadRequest("invalid cursor".into())),
            None => 0,
        };
        let page = ranked(
            &mut conn, backend, &community, &tag, &fts, &personal, &me_id, limit, offset,
        )
        .await?;
        let more = page.len() as i64 > limit;
        let items = page.into_iter().take(limit as usize).collect();
        let next_cursor = more.then(|| Cursor::encode(offset + limit, ""));
        return Ok(Json(Page { items, next_cursor }));
    }
    // Every order is a keyset on (sort key, id); the cursor carries both.
    let (filter, keyset, order, key_col) = match q.sort {
        QuestionSort::Newest => (
            "",
            "(q.created_at < $3 OR (q.created_at = $3 AND q.id < $4))",
            "q.created_at DESC, q.id DESC",
            "created_at",
        ),
        QuestionSort::Unanswered => (
            "AND q.answer_count = 0 AND q.duplicate_of IS NULL",
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
         WHERE q.community = $1 AND q.hidden = 0 {filter} {TAG_FILTER} {personal} \
           AND ($6 = $6) AND {keyset} ORDER BY {order} LIMIT $5"
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
    let rows = query
        .bind(limit + 1)
        .bind(&me_id)
        .fetch_all(&mut *conn)
        .await?;
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

/// Up to `limit + 1` questions matching the full-text query `fts`, best
/// first, from `offset`.
#[allow(clippy::too_many_arguments)]
async fn ranked(
    conn: &mut AnyConnection,
    backend: Backend,
    community: &str,
    tag: &str,
    fts: &str,
    personal: &str,
    me_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<QuestionSummary>, ApiError> {
    let (join, matches, rank) = search::sql(backend, 3);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, {rank} AS score FROM questions q {join} \
         JOIN people pe ON pe.id = q.author_id \
         WHERE q.community = $1 AND q.hidden = 0 AND {matches} {TAG_FILTER} {personal} \
           AND ($6 = $6) ORDER BY score, q.created_at DESC, q.id LIMIT $4 OFFSET $5"
    );
    let rows = sqlx::query(&sql)
        .bind(community)
        .bind(tag)
        .bind(fts)
        .bind(limit + 1)
        .bind(offset)
        .bind(me_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(summary).collect::<Result<Vec<_>, _>>()?)
}

/// Questions like a title being typed (any word may match, the last one as
/// a prefix), best match first, so people find an answer before asking.
#[utoipa::path(get, path = "/api/v1/questions/similar", tag = "questions", params(SimilarQuery),
    responses((status = 200, body = Vec<QuestionSummary>)))]
pub async fn similar(
    State(st): State<AppState>,
    _reader: Reader,
    Community(community): Community,
    Query(q): Query<SimilarQuery>,
) -> ApiResult<Json<Vec<QuestionSummary>>> {
    let limit = super::limit_in(q.limit, 5, 10)?;
    let backend = st.store.backend();
    let Some(fts) = search::query(backend, &q.title, Mode::Any, true) else {
        return Ok(Json(Vec::new()));
    };
    let mut conn = st.store.pool().acquire().await?;
    let mut items = ranked(&mut conn, backend, &community, "", &fts, "", "", limit, 0).await?;
    items.truncate(limit as usize);
    Ok(Json(items))
}

/// One question with its answers (the accepted one first) and what the
/// caller may do. Answers `304 Not Modified` to an `If-None-Match` with
/// the current `ETag`, so a widget polling for new answers costs little.
#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "questions",
    params(("id" = String, Path, description = "question id"),
           ("If-None-Match" = Option<String>, Header, description = "the ETag of the copy you have")),
    responses((status = 200, body = Question), (status = 304, description = "unchanged"),
              (status = 404, body = km_protocol::Problem)))]
pub async fn one(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let mut conn = st.store.pool().acquire().await?;
    let q = load(&mut conn, &community, &id, me.as_ref())
        .await?
        .ok_or(ApiError::NotFound)?;
    let body = serde_json::to_string(&q).map_err(|e| ApiError::Internal(e.to_string()))?;
    let etag = format!("\"{}\"", &idempotency::fingerprint("etag", &body)[..32]);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag)
        });
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    // The answer depends on who asks (viewer fields): never share it.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Authorization, X-Km-Community"),
    );
    Ok(res)
}

/// The question after a write, as the writer sees it.
pub async fn reloaded(
    st: &AppState,
    community: &str,
    me: &Me,
    id: &str,
) -> ApiResult<Json<Question>> {
    let mut conn = st.store.pool().acquire().await?;
    load(&mut conn, community, id, Some(me))
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Asks a question. Send an `Idempotency-Key` so a retry never asks twice.
/// The asker follows it from then on.
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
    Valid(q): Valid<NewQuestion>,
) -> ApiResult<Response> {
    let route = format!("POST /questions {community}");
    let mut op = match idempotency::start(&st.store, &me.id, key, &route, &q).await? {
        Start::Replay(res) => return Ok(res),
        Start::Fresh(op) => op,
    };
    let w = &mut op.w;
    let id = create(&mut w.tx, &community, &me, &q, now_ms()).await?;
    let question = load(&mut w.tx, &community, &id, Some(&me))
        .await?
        .ok_or_else(|| ApiError::Internal("new question vanished".into()))?;
    op.created(&st.store, &question).await
}

/// Edits my question: title, details, tags, urgency (whether it was asked
/// anonymously stays as asked). Only its author edits it.
#[utoipa::path(put, path = "/api/v1/questions/{id}", tag = "questions", request_body = NewQuestion,
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn edit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(q): extract::Json<NewQuestion>,
) -> ApiResult<Json<Question>> {
    q.validate().map_err(ApiError::Validation)?;
    let now = now_ms();
    let mut w = st.store.write().await?;
    let f = facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if f.author_id != me.id {
        return Err(ApiError::Forbidden(
            "only its author edits a question".into(),
        ));
    }
    let tags = resolve(&mut w.tx, &community, &q.tags).await?;
    let urgent = q.urgency == Urgency::Urgent;
    sqlx::query(
        "UPDATE questions SET title = $2, body = $3, tags = $4, urgency = $5, need_by = $6, \
         edited_at = $7 WHERE id = $1",
    )
    .bind(&id)
    .bind(q.title.trim())
    .bind(q.body.trim_end())
    .bind(labels_json(&tags))
    .bind(if urgent { "urgent" } else { "normal" })
    .bind(if urgent { q.need_by.clone() } else { None })
    .bind(now)
    .execute(&mut *w.tx)
    .await?;
    set_links(&mut w.tx, &community, "question", &id, &tags, true).await?;
    touch(&mut w.tx, &id, now).await?;
    record(&mut w.tx, &id, None, &me.id, "edited", now).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}
