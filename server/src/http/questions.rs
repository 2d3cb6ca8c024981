//! ask-the-community questions: list (newest, unanswered, urgent, active;
//! by tag; mine, followed, invited), ranked full-text search, similar
//! questions while a title is typed, ask (idempotent), read one with its
//! answers (with an ETag, so polling costs a 304), and edit (the author).
//! The statements, and the rule that an anonymous asker is shown to
//! nobody, are in [`crate::db::questions`]. Answers, votes and follows are
//! in [`super::answers`]; routing to people in [`super::question_people`];
//! moderation in [`super::question_moderation`].

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::questions::{NewQuestion, Question, QuestionQuery, QuestionSummary, SimilarQuery};
use km_protocol::{Me, Page};

use crate::AppState;
use crate::db::question_lists::{self, Filter};
use crate::db::questions as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, IdempotencyKey, Query, Reader, Signed, Valid};
use crate::idempotency::{self, Start};
use crate::search::{self, Mode};
use crate::store::{Cursor, now_ms};
use crate::tag_vocabulary::lookup_key;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions", get(list).post(ask))
        .route("/questions/similar", get(similar))
        .route("/questions/{id}", get(one).put(edit))
}

/// Questions, newest first by default; `sort=unanswered` (no answers yet,
/// newest first), `urgent` (urgent ones, nearest need-by date first),
/// `active` (latest activity first); `tag` filters; `filter` narrows to my
/// questions, followed ones or invitations; `q` searches (best match first).
#[utoipa::path(get, path = "/api/v1/questions", tag = "questions", params(QuestionQuery),
    responses((status = 200, body = Page<QuestionSummary>)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Query(q): Query<QuestionQuery>,
) -> ApiResult<Json<Page<QuestionSummary>>> {
    let limit = super::limit(q.limit)?;
    let personal = match (q.filter, &me) {
        (Some(_), None) => return Err(ApiError::Unauthorized("sign in to see your lists".into())),
        (Some(f), Some(me)) => Some((f, me.id.as_str())),
        (None, _) => None,
    };
    let mut conn = st.store.pool().acquire().await?;
    let tag = match q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => lookup_key(&mut conn, &community, t).await?,
        None => String::new(),
    };
    let filter = Filter {
        community: &community,
        tag: Some(tag.as_str()).filter(|t| !t.is_empty()),
        personal,
    };
    let Some(text) = q.q.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Ok(Json(
            question_lists::list(&mut conn, &filter, q.sort, q.cursor.as_deref(), limit).await?,
        ));
    };
    if search::words(text, Mode::All).is_empty() {
        return Ok(Json(Page::default()));
    }
    // Ranks change as questions come in, so a search pages by offset.
    let offset = match Cursor::decode_i64(q.cursor.as_deref())? {
        Some((o, _)) if o >= 0 => o,
        Some(_) => return Err(ApiError::BadRequest("invalid cursor".into())),
        None => 0,
    };
    let backend = st.store.backend();
    let found =
        question_lists::search(&mut conn, backend, &filter, text, Mode::All, limit, offset).await?;
    let mut items = found.unwrap_or_default();
    let next_cursor = (items.len() as i64 > limit).then(|| Cursor::encode(offset + limit, ""));
    items.truncate(limit as usize);
    Ok(Json(Page { items, next_cursor }))
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
    let mut conn = st.store.pool().acquire().await?;
    let filter = Filter {
        community: &community,
        tag: None,
        personal: None,
    };
    let backend = st.store.backend();
    let found =
        question_lists::search(&mut conn, backend, &filter, &q.title, Mode::Any, limit, 0).await?;
    let mut items = found.unwrap_or_default();
    items.truncate(limit as usize);
    Ok(Json(items))
}

/// One question with its answers (the accepted one first) and what the
/// caller may do. Answers `304 Not Modified` to an `If-None-Match` with
/// the current `ETag`, so a widget polling for new answers costs little.
#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "questions",
    params(("id" = String, Path, description = "question id"),
           ("If-None-Match" = Option<String>, Header, description = "the ETag of the copy you have")),
    responses((status = 200, body = Question), (status = 304, description = "unchanged")))]
pub async fn one(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let mut conn = st.store.pool().acquire().await?;
    let q = db::load(&mut conn, &community, &id, me.as_ref())
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
    db::load(&mut conn, community, id, Some(me))
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Asks a question. Send an `Idempotency-Key` so a retry never asks twice.
/// The asker follows it from then on.
#[utoipa::path(post, path = "/api/v1/questions", tag = "questions", request_body = NewQuestion,
    params(("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Question)),
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
    let id = db::create(&mut w.tx, &community, &me, &q, now_ms()).await?;
    let question = db::load(&mut w.tx, &community, &id, Some(&me))
        .await?
        .ok_or_else(|| ApiError::Internal("new question vanished".into()))?;
    op.created(&st.store, &question).await
}

/// Edits my question: title, details, tags, urgency (whether it was asked
/// anonymously stays as asked). Only its author edits it.
#[utoipa::path(put, path = "/api/v1/questions/{id}", tag = "questions", request_body = NewQuestion,
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Question), (status = 403, description = "not its author")),
    security(("bearer" = [])))]
pub async fn edit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    Valid(q): Valid<NewQuestion>,
) -> ApiResult<Json<Question>> {
    let mut w = st.store.write().await?;
    let f = db::facts(&mut w.tx, &community, &id, Some(&me)).await?;
    if f.author_id != me.id {
        return Err(ApiError::Forbidden(
            "only its author edits a question".into(),
        ));
    }
    db::update(&mut w.tx, &community, &id, &me, &q, now_ms()).await?;
    w.commit().await?;
    reloaded(&st, &community, &me, &id).await
}
