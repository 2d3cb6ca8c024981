//! story-board: the organization's goals and published success stories.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::stories::{Goal, Metric, NewStory, Practice, Story, StoryQuery, StoryStatus};
use km_protocol::{Me, Page, PageQuery, Validate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Reader};
use crate::people;
use crate::store::{Cursor, new_id, rfc3339};
use crate::tag_vocabulary::{labels_from_json, labels_json, resolve, set_links};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/goals", get(goals))
        .route("/stories", get(list))
}

fn practice_text(p: Practice) -> &'static str {
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

/// Adds or renames a goal (used by the demo seed; the admin endpoint comes
/// with the story-board widget).
pub async fn upsert_goal(
    conn: &mut AnyConnection,
    community: &str,
    goal: &Goal,
    position: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO goals (community, id, name, position, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (community, id) DO UPDATE SET name = excluded.name, position = excluded.position",
    )
    .bind(community)
    .bind(&goal.id)
    .bind(&goal.name)
    .bind(position)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
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
    if let Some(goal) = &s.goal_id {
        let exists = sqlx::query("SELECT 1 AS one FROM goals WHERE community = $1 AND id = $2")
            .bind(community)
            .bind(goal)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(ApiError::field(
                "goal_id",
                km_protocol::validate::codes::INVALID_FORMAT,
                "unknown goal",
            ));
        }
    }
    people::upsert(conn, me).await?;
    let tags = resolve(conn, community, &s.tags).await?;
    let id = new_id();
    let published = status == StoryStatus::Published;
    sqlx::query(
        "INSERT INTO stories (id, community, author_id, title, goal_id, situation, practice, \
         result, metrics, team, tags, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(&id)
    .bind(community)
    .bind(&me.id)
    .bind(s.title.trim())
    .bind(s.goal_id.as_deref())
    .bind(s.situation.trim_end())
    .bind(practice_text(s.practice))
    .bind(s.result.trim_end())
    .bind(serde_json::to_string(&s.metrics).map_err(|e| ApiError::Internal(e.to_string()))?)
    .bind(crate::tag_vocabulary::clean_label(&s.team))
    .bind(labels_json(&tags))
    .bind(if published { "published" } else { "submitted" })
    .bind(now)
    .execute(&mut *conn)
    .await?;
    set_links(conn, community, "story", &id, &tags, published).await?;
    Ok(id)
}

fn story(r: &AnyRow) -> Result<Story, sqlx::Error> {
    let goal_id: Option<String> = r.try_get("goal_id")?;
    let goal_name: Option<String> = r.try_get("goal_name")?;
    let status: String = r.try_get("status")?;
    let metrics: Vec<Metric> =
        serde_json::from_str(&r.try_get::<String, _>("metrics")?).unwrap_or_default();
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
        author: people::summary(r, "a_")?,
        status: if status == "published" {
            StoryStatus::Published
        } else {
            StoryStatus::Submitted
        },
        applause: r.try_get("applause")?,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

/// The organization's goals, in the admin's order.
#[utoipa::path(get, path = "/api/v1/goals", tag = "stories", params(PageQuery),
    responses((status = 200, body = Page<Goal>)))]
pub async fn goals(
    State(st): State<AppState>,
    _reader: Reader,
    Community(community): Community,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<Goal>>> {
    let limit = super::limit(q.limit);
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MIN, String::new()));
    let rows = sqlx::query(
        "SELECT id, name, position FROM goals WHERE community = $1 \
         AND (position > $2 OR (position = $2 AND id > $3)) ORDER BY position, id LIMIT $4",
    )
    .bind(&community)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(st.store.pool())
    .await?;
    let page = super::page_of(&rows, limit, "position", "id", |r| {
        Ok(Goal {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    })?;
    Ok(Json(page))
}

/// Published stories, newest first; `goal` and `team` filter.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories", params(StoryQuery),
    responses((status = 200, body = Page<Story>), (status = 400, body = km_protocol::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    _reader: Reader,
    Community(community): Community,
    Query(q): Query<StoryQuery>,
) -> ApiResult<Json<Page<Story>>> {
    let limit = super::limit(q.limit);
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MAX, String::new()));
    let rows = sqlx::query(
        "SELECT s.id, s.title, s.goal_id, g.name AS goal_name, s.situation, s.practice, \
           s.result, s.metrics, s.team, s.tags, s.status, s.applause, s.created_at, \
           pe.id AS a_id, pe.name AS a_name, pe.department AS a_department \
         FROM stories s JOIN people pe ON pe.id = s.author_id \
           LEFT JOIN goals g ON g.community = s.community AND g.id = s.goal_id \
         WHERE s.community = $1 AND s.status = 'published' \
           AND ($2 = '' OR s.goal_id = $2) AND ($3 = '' OR s.team = $3) \
           AND (s.created_at < $4 OR (s.created_at = $4 AND s.id < $5)) \
         ORDER BY s.created_at DESC, s.id DESC LIMIT $6",
    )
    .bind(&community)
    .bind(q.goal.as_deref().unwrap_or(""))
    .bind(q.team.as_deref().unwrap_or(""))
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(st.store.pool())
    .await?;
    let page = super::page_of(&rows, limit, "created_at", "id", story)?;
    Ok(Json(page))
}
