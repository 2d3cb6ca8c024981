//! story-board stories: the board (filters, sorts, featured first), one
//! story, submit (idempotent) and the author's edit; moderation and
//! applause are in `story_moderation.rs`. Submitted stories are seen only
//! by their author and by moderators; to anyone else they do not exist.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::stories::{
    Goal, Metric, NewStory, Practice, Story, StoryQuery, StorySort, StoryStatus,
    best_improvement_pct,
};
use km_protocol::validate::{codes, is_date};
use km_protocol::{FieldError, Me, Page, Validate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Query, Reader, Signed, Valid};
use crate::idempotency::{self, Start};
use crate::people;
use crate::store::{Cursor, flag, new_id, now_ms, rfc3339};
use crate::tag_vocabulary::{labels_from_json, labels_json, lookup_key, resolve, set_links};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stories", get(list).post(submit))
        .route("/stories/{id}", get(one).put(edit))
}

/// The wire name of a practice.
pub fn practice_text(p: Practice) -> &'static str {
    match p {
        Practice::ReusedArticle => "reused_article",
        Practice::CommunityAnswer => "community_answer",
        Practice::NewArticle => "new_article",
        Practice::Mentoring => "mentoring",
        Practice::Other => "other",
    }
}

fn practice_from(s: &str) -> Practice {
    match s {
        "reused_article" => Practice::ReusedArticle,
        "community_answer" => Practice::CommunityAnswer,
        "new_article" => Practice::NewArticle,
        "mentoring" => Practice::Mentoring,
        _ => Practice::Other,
    }
}

/// The headline improvement in basis points, for sorting in SQL.
fn improvement_bp(metrics: &[Metric]) -> i64 {
    best_improvement_pct(metrics).map_or(-1_000_000_000, |p| {
        (p * 100.0).round().clamp(-9e8, 9e8) as i64
    })
}

fn json_text<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

async fn check_goal(
    conn: &mut AnyConnection,
    community: &str,
    goal: Option<&str>,
) -> Result<(), ApiError> {
    let Some(goal) = goal else { return Ok(()) };
    let exists = sqlx::query("SELECT id FROM goals WHERE community = $1 AND id = $2")
        .bind(community)
        .bind(goal)
        .fetch_optional(&mut *conn)
        .await?;
    match exists {
        Some(_) => Ok(()),
        None => Err(ApiError::field(
            "goal_id",
            codes::INVALID_FORMAT,
            "unknown goal",
        )),
    }
}

fn clean_list(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|n| crate::tag_vocabulary::clean_label(n))
        .filter(|n| !n.is_empty())
        .collect()
}

fn optional(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Stores a story by `me` with `status` (used by the API and the seed).
pub async fn create(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    s: &NewStory,
    status: StoryStatus,
    now: i64,
) -> Result<String, ApiError> {
    s.validate().map_err(ApiError::Validation)?;
    check_goal(conn, community, s.goal_id.as_deref()).await?;
    people::upsert(conn, me).await?;
    let tags = resolve(conn, community, &s.tags).await?;
    let id = new_id();
    let published = status == StoryStatus::Published;
    sqlx::query(
        "INSERT INTO stories (id, community, author_id, title, goal_id, situation, practice, \
         result, metrics, team, tags, status, created_at, updated_at, contributors, quote, \
         evidence_url, improvement_bp, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17, $18)",
    )
    .bind(&id)
    .bind(community)
    .bind(&me.id)
    .bind(s.title.trim())
    .bind(s.goal_id.as_deref())
    .bind(s.situation.trim_end())
    .bind(practice_text(s.practice))
    .bind(s.result.trim_end())
    .bind(json_text(&s.metrics)?)
    .bind(crate::tag_vocabulary::clean_label(&s.team))
    .bind(labels_json(&tags))
    .bind(if published { "published" } else { "submitted" })
    .bind(now)
    .bind(json_text(&clean_list(&s.contributors))?)
    .bind(optional(s.quote.as_deref()))
    .bind(optional(s.evidence_url.as_deref()))
    .bind(improvement_bp(&s.metrics))
    .bind(published.then_some(now))
    .execute(&mut *conn)
    .await?;
    set_links(conn, community, "story", &id, &tags, published).await?;
    Ok(id)
}

/// The columns of a story row; `$viewer` is the parameter number of the
/// caller's id (for `applauded_by_me`).
fn select(viewer: usize) -> String {
    format!(
        "SELECT s.id, s.title, s.goal_id, g.name AS goal_name, s.situation, s.practice, \
           s.result, s.metrics, s.team, s.tags, s.status, s.applause, s.created_at, \
           s.contributors, s.quote, s.evidence_url, s.featured, s.published_at, s.improvement_bp, \
           CAST(CASE WHEN EXISTS (SELECT 1 FROM story_applause sa WHERE sa.story_id = s.id \
             AND sa.person_id = ${viewer}) THEN 1 ELSE 0 END AS BIGINT) AS mine, \
           pe.id AS a_id, pe.name AS a_name, pe.department AS a_department \
         FROM stories s JOIN people pe ON pe.id = s.author_id \
           LEFT JOIN goals g ON g.community = s.community AND g.id = s.goal_id"
    )
}

/// A story from a row of [`select`].
pub fn story(r: &AnyRow) -> Result<Story, sqlx::Error> {
    let goal_id: Option<String> = r.try_get("goal_id")?;
    let goal_name: Option<String> = r.try_get("goal_name")?;
    let status: String = r.try_get("status")?;
    let metrics: Vec<Metric> =
        serde_json::from_str(&r.try_get::<String, _>("metrics")?).unwrap_or_default();
    let published_at: Option<i64> = r.try_get("published_at")?;
    Ok(Story {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        goal: match (goal_id, goal_name) {
            (Some(id), Some(name)) => Some(Goal { id, name }),
            _ => None,
        },
        situation: r.try_get("situation")?,
        practice: practice_from(&r.try_get::<String, _>("practice")?),
        result: r.try_get("result")?,
        metrics,
        team: r.try_get("team")?,
        tags: labels_from_json(&r.try_get::<String, _>("tags")?),
        contributors: labels_from_json(&r.try_get::<String, _>("contributors")?),
        quote: r.try_get("quote")?,
        evidence_url: r.try_get("evidence_url")?,
        author: people::summary(r, "a_")?,
        status: if status == "published" {
            StoryStatus::Published
        } else {
            StoryStatus::Submitted
        },
        featured: flag(r.try_get("featured")?),
        applause: r.try_get("applause")?,
        applauded_by_me: flag(r.try_get("mine")?),
        created_at: rfc3339(r.try_get("created_at")?),
        published_at: published_at.map(rfc3339),
    })
}

/// The board's filters, resolved (empty strings mean "any").
#[derive(Debug, Clone, Default)]
pub struct Filter {
    goal: String,
    team: String,
    tag_key: String,
    from_ms: i64,
    to_ms: i64,
}

/// Epoch ms of the start of a `YYYY-MM-DD` day (UTC).
fn day_start_ms(d: &str) -> Option<i64> {
    if !is_date(d) {
        return None;
    }
    let y: i32 = d[0..4].parse().ok()?;
    let m: u8 = d[5..7].parse().ok()?;
    let day: u8 = d[8..10].parse().ok()?;
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, day).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() * 1000)
}

impl Filter {
    /// Resolves the query's filters (the tag through its synonyms); bad
    /// dates are field errors.
    pub async fn resolve(
        conn: &mut AnyConnection,
        community: &str,
        goal: Option<&str>,
        team: Option<&str>,
        tag: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Filter, ApiError> {
        let mut errors = Vec::new();
        let mut date = |field: &str, v: Option<&str>, default: i64, days: i64| match optional(v) {
            None => default,
            Some(d) => match day_start_ms(&d) {
                Some(ms) => ms + days * 86_400_000,
                None => {
                    errors.push(FieldError::new(
                        field,
                        codes::INVALID_FORMAT,
                        format!("{field} must be a date (YYYY-MM-DD)"),
                    ));
                    default
                }
            },
        };
        let from_ms = date("from", from, i64::MIN, 0);
        // `to` is inclusive: up to the start of the next day.
        let to_ms = date("to", to, i64::MAX, 1);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let tag_key = match optional(tag) {
            Some(t) => lookup_key(conn, community, &t).await?,
            None => String::new(),
        };
        Ok(Filter {
            goal: optional(goal).unwrap_or_default(),
            team: optional(team)
                .map(|t| crate::tag_vocabulary::clean_label(&t))
                .unwrap_or_default(),
            tag_key,
            from_ms,
            to_ms,
        })
    }
}

/// `WHERE` of a filtered list: `$1` community, `$2`..`$6` the filter, `$7`
/// status, `$8` author ('' = anyone's), `$9` the viewer.
const FILTERED: &str = "s.community = $1 AND ($2 = '' OR s.goal_id = $2) \
    AND ($3 = '' OR s.team = $3) \
    AND ($4 = '' OR EXISTS (SELECT 1 FROM tag_links t WHERE t.community = s.community \
         AND t.kind = 'story' AND t.ref_id = s.id AND t.tag_key = $4)) \
    AND s.created_at >= $5 AND s.created_at < $6 AND s.status = $7 \
    AND ($8 = '' OR s.author_id = $8)";

/// Every published story matching `f` (impact and export), newest first.
pub async fn published(
    conn: &mut AnyConnection,
    community: &str,
    f: &Filter,
    viewer: &str,
) -> Result<Vec<Story>, ApiError> {
    let sql = format!(
        "{} WHERE {FILTERED} ORDER BY s.created_at DESC, s.id DESC LIMIT 10000",
        select(9)
    );
    let rows = sqlx::query(&sql)
        .bind(community)
        .bind(&f.goal)
        .bind(&f.team)
        .bind(&f.tag_key)
        .bind(f.from_ms)
        .bind(f.to_ms)
        .bind("published")
        .bind("")
        .bind(viewer)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(story).collect::<Result<_, _>>()?)
}

fn viewer_id(me: &Option<Me>) -> &str {
    me.as_ref().map_or("", |m| m.id.as_str())
}

/// Stories, featured ones first, then by `sort` (newest by default);
/// `goal`, `team`, `tag`, `from`, `to` filter. `status=submitted` is the
/// review queue: everything waiting for moderators, only the caller's own
/// stories for anyone else.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories", params(StoryQuery),
    responses((status = 200, body = Page<Story>), (status = 400, body = km_protocol::Problem),
              (status = 401, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Query(q): Query<StoryQuery>,
) -> ApiResult<Json<Page<Story>>> {
    let limit = super::limit(q.limit)?;
    let (status, author) = match q.status.unwrap_or(StoryStatus::Published) {
        StoryStatus::Published => ("published", ""),
        StoryStatus::Submitted => match &me {
            None => {
                return Err(ApiError::Unauthorized(
                    "sign in to see submitted stories".into(),
                ));
            }
            Some(m) if m.is_moderator() => ("submitted", ""),
            Some(m) => ("submitted", m.id.as_str()),
        },
    };
    let mut conn = st.store.pool().acquire().await?;
    let f = Filter::resolve(
        &mut conn,
        &community,
        q.goal.as_deref(),
        q.team.as_deref(),
        q.tag.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )
    .await?;
    let key = match q.sort {
        StorySort::Newest => "s.created_at",
        StorySort::MostApplauded => "s.applause",
        StorySort::LargestImprovement => "s.improvement_bp",
    };
    // Keyset on (featured, sort key, created_at, id), all descending; the
    // cursor carries the first three as `f:k:c`.
    let (cf, ck, cc, cid) = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => (2, i64::MAX, i64::MAX, String::new()),
        Some(c) => {
            let c = Cursor::decode(c)?;
            let nums: Vec<i64> = c.key.split(':').filter_map(|n| n.parse().ok()).collect();
            match nums[..] {
                [f, k, t] => (f, k, t, c.id),
                _ => return Err(ApiError::BadRequest("invalid cursor".into())),
            }
        }
    };
    let sql = format!(
        "{} WHERE {FILTERED} AND (s.featured < $10 OR (s.featured = $10 AND ({key} < $11 \
           OR ({key} = $11 AND (s.created_at < $12 OR (s.created_at = $12 AND s.id < $13)))))) \
         ORDER BY s.featured DESC, {key} DESC, s.created_at DESC, s.id DESC LIMIT $14",
        select(9)
    );
    let rows = sqlx::query(&sql)
        .bind(&community)
        .bind(&f.goal)
        .bind(&f.team)
        .bind(&f.tag_key)
        .bind(f.from_ms)
        .bind(f.to_ms)
        .bind(status)
        .bind(author)
        .bind(viewer_id(&me))
        .bind(cf)
        .bind(ck)
        .bind(cc)
        .bind(&cid)
        .bind(limit + 1)
        .fetch_all(&mut *conn)
        .await?;
    let more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => {
            let col = key.trim_start_matches("s.");
            let k = format!(
                "{}:{}:{}",
                last.try_get::<i64, _>("featured")?,
                last.try_get::<i64, _>(col)?,
                last.try_get::<i64, _>("created_at")?
            );
            Some(Cursor::encode(k, &last.try_get::<String, _>("id")?))
        }
        _ => None,
    };
    let items = rows.iter().map(story).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(Page { items, next_cursor }))
}

/// One story as `viewer` may see it: published ones to everyone, submitted
/// ones to their author and moderators (None otherwise).
async fn load(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    viewer: Option<&Me>,
) -> Result<Option<Story>, ApiError> {
    let sql = format!("{} WHERE s.id = $1 AND s.community = $2", select(3));
    let Some(row) = sqlx::query(&sql)
        .bind(id)
        .bind(community)
        .bind(viewer.map_or("", |m| m.id.as_str()))
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let s = story(&row)?;
    let visible = s.status == StoryStatus::Published
        || viewer.is_some_and(|m| m.is_moderator() || m.id == s.author.id);
    Ok(visible.then_some(s))
}

/// One story (a submitted one only for its author and moderators: 404 for others).
#[utoipa::path(get, path = "/api/v1/stories/{id}", tag = "stories",
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story), (status = 404, body = km_protocol::Problem)))]
pub async fn one(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Story>> {
    let mut conn = st.store.pool().acquire().await?;
    load(&mut conn, &community, &id, me.as_ref())
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Submits a story for review. Send an `Idempotency-Key` so a retry never submits twice.
#[utoipa::path(post, path = "/api/v1/stories", tag = "stories", request_body = NewStory,
    params(("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Story), (status = 401, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn submit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    IdempotencyKey(key): IdempotencyKey,
    Valid(s): Valid<NewStory>,
) -> ApiResult<Response> {
    let route = format!("POST /stories {community}");
    let mut op = match idempotency::start(&st.store, &me.id, key, &route, &s).await? {
        Start::Replay(res) => return Ok(res),
        Start::Fresh(op) => op,
    };
    let w = &mut op.w;
    let id = create(
        &mut w.tx,
        &community,
        &me,
        &s,
        StoryStatus::Submitted,
        now_ms(),
    )
    .await?;
    let story = load(&mut w.tx, &community, &id, Some(&me))
        .await?
        .ok_or_else(|| ApiError::Internal("new story vanished".into()))?;
    op.created(&st.store, &story).await
}

/// Loads a story the caller may see, for a write (404 otherwise).
pub(crate) async fn visible(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: &Me,
) -> Result<Story, ApiError> {
    load(conn, community, id, Some(me))
        .await?
        .ok_or(ApiError::NotFound)
}

/// The author edits their story (everything a submission has). An edit by
/// anyone but a moderator sends a published story back to review, so what
/// the board shows is always what a moderator saw.
#[utoipa::path(put, path = "/api/v1/stories/{id}", tag = "stories", request_body = NewStory,
    params(("id" = String, Path, description = "story id")),
    responses((status = 200, body = Story), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn edit(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(s): extract::Json<NewStory>,
) -> ApiResult<Json<Story>> {
    s.validate().map_err(ApiError::Validation)?;
    let mut w = st.store.write().await?;
    let old = visible(&mut w.tx, &community, &id, &me).await?;
    if old.author.id != me.id {
        return Err(ApiError::Forbidden("only the author edits a story".into()));
    }
    check_goal(&mut w.tx, &community, s.goal_id.as_deref()).await?;
    let tags = resolve(&mut w.tx, &community, &s.tags).await?;
    let status = if me.is_moderator() {
        old.status
    } else {
        StoryStatus::Submitted
    };
    let published = status == StoryStatus::Published;
    sqlx::query(
        "UPDATE stories SET title = $2, goal_id = $3, situation = $4, practice = $5, result = $6, \
         metrics = $7, team = $8, tags = $9, contributors = $10, quote = $11, evidence_url = $12, \
         improvement_bp = $13, status = $14, updated_at = $15 WHERE id = $1",
    )
    .bind(&id)
    .bind(s.title.trim())
    .bind(s.goal_id.as_deref())
    .bind(s.situation.trim_end())
    .bind(practice_text(s.practice))
    .bind(s.result.trim_end())
    .bind(json_text(&s.metrics)?)
    .bind(crate::tag_vocabulary::clean_label(&s.team))
    .bind(labels_json(&tags))
    .bind(json_text(&clean_list(&s.contributors))?)
    .bind(optional(s.quote.as_deref()))
    .bind(optional(s.evidence_url.as_deref()))
    .bind(improvement_bp(&s.metrics))
    .bind(if published { "published" } else { "submitted" })
    .bind(now_ms())
    .execute(&mut *w.tx)
    .await?;
    set_links(&mut w.tx, &community, "story", &id, &tags, published).await?;
    let story = visible(&mut w.tx, &community, &id, &me).await?;
    w.commit().await?;
    Ok(Json(story))
}
