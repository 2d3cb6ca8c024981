//! Stories: storing a submission or an edit, the board's filtered and
//! keyset-paged list, one story as a viewer may see it, publishing,
//! featuring and applause.

use km_protocol::stories::{
    Goal, Metric, NewStory, Story, StorySort, StoryStatus, best_improvement_pct,
};
use km_protocol::validate::{codes, is_date};
use km_protocol::{FieldError, Me, Page, Validate};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

use crate::db::sql::{Sql, wire};
use crate::error::ApiError;
use crate::people;
use crate::store::{Cursor, flag, new_id, rfc3339};
use crate::tag_vocabulary::{
    ResolvedTag, clean_label, labels_from_json, labels_json, lookup_key, resolve, set_links,
};

/// The headline improvement in basis points, for sorting in SQL.
fn improvement_bp(metrics: &[Metric]) -> i64 {
    best_improvement_pct(metrics).map_or(-1_000_000_000, |p| {
        (p * 100.0).round().clamp(-9e8, 9e8) as i64
    })
}

fn json_text<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

fn optional(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A 422 on `goal_id` unless it names a goal of `community`.
async fn check_goal(
    conn: &mut AnyConnection,
    community: &str,
    goal: Option<&str>,
) -> Result<(), ApiError> {
    let Some(goal) = goal else { return Ok(()) };
    if crate::db::goals::exists(conn, community, goal).await? {
        Ok(())
    } else {
        Err(ApiError::field(
            "goal_id",
            codes::INVALID_FORMAT,
            "unknown goal",
        ))
    }
}

/// The stored columns of a submission, from `title` to `improvement_bp`,
/// bound as `$1` to `$12` (the first parameters of [`create`]'s and
/// [`update`]'s statements).
fn bind_fields<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    s: &NewStory,
    tags: &[ResolvedTag],
) -> Result<Query<'q, Any, AnyArguments<'q>>, ApiError> {
    let contributors: Vec<String> = s
        .contributors
        .iter()
        .map(|n| clean_label(n))
        .filter(|n| !n.is_empty())
        .collect();
    Ok(q.bind(s.title.trim().to_owned())
        .bind(s.goal_id.clone())
        .bind(s.situation.trim_end().to_owned())
        .bind(s.practice.as_str())
        .bind(s.result.trim_end().to_owned())
        .bind(json_text(&s.metrics)?)
        .bind(clean_label(&s.team))
        .bind(labels_json(tags))
        .bind(json_text(&contributors)?)
        .bind(optional(s.quote.as_deref()))
        .bind(optional(s.evidence_url.as_deref()))
        .bind(improvement_bp(&s.metrics)))
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
    let q = sqlx::query(
        "INSERT INTO stories (title, goal_id, situation, practice, result, metrics, team, tags, \
         contributors, quote, evidence_url, improvement_bp, id, community, author_id, status, \
         created_at, updated_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)",
    );
    bind_fields(q, s, &tags)?
        .bind(&id)
        .bind(community)
        .bind(&me.id)
        .bind(status.as_str())
        .bind(now)
        .bind(published.then_some(now))
        .execute(&mut *conn)
        .await?;
    set_links(conn, community, "story", &id, &tags, published).await?;
    Ok(id)
}

/// Replaces everything a submission has of story `id`, with `status`.
pub async fn update(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    s: &NewStory,
    status: StoryStatus,
    now: i64,
) -> Result<(), ApiError> {
    check_goal(conn, community, s.goal_id.as_deref()).await?;
    let tags = resolve(conn, community, &s.tags).await?;
    let q = sqlx::query(
        "UPDATE stories SET title = $1, goal_id = $2, situation = $3, practice = $4, \
         result = $5, metrics = $6, team = $7, tags = $8, contributors = $9, quote = $10, \
         evidence_url = $11, improvement_bp = $12, status = $13, updated_at = $14 WHERE id = $15",
    );
    bind_fields(q, s, &tags)?
        .bind(status.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let published = status == StoryStatus::Published;
    set_links(conn, community, "story", id, &tags, published).await?;
    Ok(())
}

/// The columns of a story row, `applauded_by_me` for `viewer`; a `WHERE`
/// follows.
fn select(viewer: &str) -> Sql<'static> {
    let mut q = Sql::new(
        "SELECT s.id, s.title, s.goal_id, g.name AS goal_name, s.situation, s.practice, \
           s.result, s.metrics, s.team, s.tags, s.status, s.applause, s.created_at, \
           s.contributors, s.quote, s.evidence_url, s.featured, s.published_at, s.improvement_bp, \
           CAST(CASE WHEN EXISTS (SELECT 1 FROM story_applause sa WHERE sa.story_id = s.id \
             AND sa.person_id = ",
    );
    q.bind(viewer.to_owned()).push(
        ") THEN 1 ELSE 0 END AS BIGINT) AS mine, \
           pe.id AS a_id, pe.name AS a_name, pe.department AS a_department \
         FROM stories s JOIN people pe ON pe.id = s.author_id \
           LEFT JOIN goals g ON g.community = s.community AND g.id = s.goal_id WHERE ",
    );
    q
}

/// A story from a row of [`select`].
fn story(r: &AnyRow) -> Result<Story, sqlx::Error> {
    let goal_id: Option<String> = r.try_get("goal_id")?;
    let goal_name: Option<String> = r.try_get("goal_name")?;
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
        practice: wire(r, "practice")?,
        result: r.try_get("result")?,
        metrics,
        team: r.try_get("team")?,
        tags: labels_from_json(&r.try_get::<String, _>("tags")?),
        contributors: labels_from_json(&r.try_get::<String, _>("contributors")?),
        quote: r.try_get("quote")?,
        evidence_url: r.try_get("evidence_url")?,
        author: people::summary(r, "a_")?,
        status: wire(r, "status")?,
        featured: flag(r.try_get("featured")?),
        applause: r.try_get("applause")?,
        applauded_by_me: flag(r.try_get("mine")?),
        created_at: rfc3339(r.try_get("created_at")?),
        published_at: published_at.map(rfc3339),
    })
}

/// The board's filters, resolved (None means "any").
#[derive(Debug, Clone, Default)]
pub struct Filter {
    goal: Option<String>,
    team: Option<String>,
    tag_key: Option<String>,
    from_ms: Option<i64>,
    to_ms: Option<i64>,
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
        let mut date = |field: &str, v: Option<&str>, days: i64| {
            let d = optional(v)?;
            let ms = day_start_ms(&d);
            if ms.is_none() {
                errors.push(FieldError::new(
                    field,
                    codes::INVALID_FORMAT,
                    format!("{field} must be a date (YYYY-MM-DD)"),
                ));
            }
            ms.map(|ms| ms + days * 86_400_000)
        };
        let from_ms = date("from", from, 0);
        // `to` is inclusive: up to the start of the next day.
        let to_ms = date("to", to, 1);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let tag_key = match optional(tag) {
            Some(t) => Some(lookup_key(conn, community, &t).await?),
            None => None,
        };
        let nonempty = |s: String| (!s.is_empty()).then_some(s);
        Ok(Filter {
            goal: optional(goal),
            team: optional(team).map(|t| clean_label(&t)).and_then(nonempty),
            tag_key: tag_key.and_then(nonempty),
            from_ms,
            to_ms,
        })
    }

    /// Appends the conditions of stories of `community` matching the
    /// filter with `status` (by `author` when given).
    fn push(&self, q: &mut Sql<'_>, community: &str, status: StoryStatus, author: Option<&str>) {
        q.push("s.community = ")
            .bind(community.to_owned())
            .push(" AND s.status = ")
            .bind(status.as_str());
        if let Some(goal) = &self.goal {
            q.push(" AND s.goal_id = ").bind(goal.clone());
        }
        if let Some(team) = &self.team {
            q.push(" AND s.team = ").bind(team.clone());
        }
        if let Some(key) = &self.tag_key {
            q.push(
                " AND EXISTS (SELECT 1 FROM tag_links t WHERE t.community = s.community \
                 AND t.kind = 'story' AND t.ref_id = s.id AND t.tag_key = ",
            )
            .bind(key.clone())
            .push(")");
        }
        if let Some(from) = self.from_ms {
            q.push(" AND s.created_at >= ").bind(from);
        }
        if let Some(to) = self.to_ms {
            q.push(" AND s.created_at < ").bind(to);
        }
        if let Some(author) = author {
            q.push(" AND s.author_id = ").bind(author.to_owned());
        }
    }
}

/// Every published story matching `f` (impact and export), newest first.
pub async fn published(
    conn: &mut AnyConnection,
    community: &str,
    f: &Filter,
    viewer: &str,
) -> Result<Vec<Story>, ApiError> {
    let mut q = select(viewer);
    f.push(&mut q, community, StoryStatus::Published, None);
    q.push(" ORDER BY s.created_at DESC, s.id DESC LIMIT 10000");
    let rows = q.fetch_all(conn).await?;
    Ok(rows.iter().map(story).collect::<Result<_, _>>()?)
}

/// One page of the board: what [`list`] lists.
#[derive(Debug, Clone)]
pub struct Board<'a> {
    /// Published stories, or the review queue.
    pub status: StoryStatus,
    /// Only this author's stories (a non-moderator's review queue).
    pub author: Option<&'a str>,
    /// The caller's id, for `applauded_by_me` ('' for anonymous).
    pub viewer: &'a str,
    /// The order after featured stories.
    pub sort: StorySort,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<&'a str>,
    /// Page size.
    pub limit: i64,
}

/// A page of stories matching `f`, featured ones first, then by the
/// board's sort (newest first on ties).
pub async fn list(
    conn: &mut AnyConnection,
    community: &str,
    f: &Filter,
    b: &Board<'_>,
) -> Result<Page<Story>, ApiError> {
    let key = match b.sort {
        StorySort::Newest => "created_at",
        StorySort::MostApplauded => "applause",
        StorySort::LargestImprovement => "improvement_bp",
    };
    let mut q = select(b.viewer);
    f.push(&mut q, community, b.status, b.author);
    // Keyset on (featured, sort key, created_at, id), all descending; the
    // cursor carries the first three as `f:k:c`.
    if let Some(c) = b.cursor.filter(|c| !c.is_empty()) {
        let c = Cursor::decode(c)?;
        let nums: Vec<i64> = c.key.split(':').filter_map(|n| n.parse().ok()).collect();
        let [cf, ck, cc] = nums[..] else {
            return Err(ApiError::BadRequest("invalid cursor".into()));
        };
        q.push(" AND (s.featured < ")
            .bind(cf)
            .push(" OR (s.featured = ")
            .bind(cf)
            .push(&format!(" AND (s.{key} < "))
            .bind(ck)
            .push(&format!(" OR (s.{key} = "))
            .bind(ck)
            .push(" AND (s.created_at < ")
            .bind(cc)
            .push(" OR (s.created_at = ")
            .bind(cc)
            .push(" AND s.id < ")
            .bind(c.id)
            .push("))))))");
    }
    // The order of the indexes of migration 0012 (no column twice), so the
    // page is read in index order instead of sorting every story.
    let then = if key == "created_at" {
        String::new()
    } else {
        format!("s.{key} DESC, ")
    };
    q.push(&format!(
        " ORDER BY s.featured DESC, {then}s.created_at DESC, s.id DESC LIMIT "
    ))
    .bind(b.limit + 1);
    let rows = q.fetch_all(conn).await?;
    let more = rows.len() as i64 > b.limit;
    let rows = &rows[..rows.len().min(b.limit as usize)];
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => {
            let k = format!(
                "{}:{}:{}",
                last.try_get::<i64, _>("featured")?,
                last.try_get::<i64, _>(key)?,
                last.try_get::<i64, _>("created_at")?
            );
            Some(Cursor::encode(k, &last.try_get::<String, _>("id")?))
        }
        _ => None,
    };
    let items = rows.iter().map(story).collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, next_cursor })
}

/// One story as `viewer` may see it: published ones to everyone, submitted
/// ones to their author and moderators (None otherwise).
pub async fn load(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    viewer: Option<&Me>,
) -> Result<Option<Story>, ApiError> {
    let mut q = select(viewer.map_or("", |m| m.id.as_str()));
    q.push("s.id = ")
        .bind(id.to_owned())
        .push(" AND s.community = ")
        .bind(community.to_owned());
    let Some(row) = q.fetch_all(conn).await?.pop() else {
        return Ok(None);
    };
    let s = story(&row)?;
    let visible = s.status == StoryStatus::Published
        || viewer.is_some_and(|m| m.is_moderator() || m.id == s.author.id);
    Ok(visible.then_some(s))
}

/// A story `me` may see, for a write (404 otherwise).
pub async fn visible(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: &Me,
) -> Result<Story, ApiError> {
    load(conn, community, id, Some(me))
        .await?
        .ok_or(ApiError::NotFound)
}

/// Publishes story `id` (its first `published_at` stays) and makes its
/// tags public.
pub async fn publish(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE stories SET status = $3, published_at = COALESCE(published_at, $2) \
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .bind(StoryStatus::Published.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE tag_links SET public = 1 WHERE community = $1 AND kind = 'story' AND ref_id = $2",
    )
    .bind(community)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Pins story `id` first on the board, or unpins it.
pub async fn set_featured(
    conn: &mut AnyConnection,
    id: &str,
    featured: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE stories SET featured = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::from(featured))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Gives (`on`) or takes back `person`'s applause of story `id`; the
/// story's applause count after.
pub async fn set_applause(
    conn: &mut AnyConnection,
    id: &str,
    person: &str,
    on: bool,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let changed = if on {
        sqlx::query(
            "INSERT INTO story_applause (story_id, person_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (story_id, person_id) DO NOTHING",
        )
        .bind(id)
        .bind(person)
        .bind(now)
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query("DELETE FROM story_applause WHERE story_id = $1 AND person_id = $2")
            .bind(id)
            .bind(person)
            .execute(&mut *conn)
            .await?
    };
    if changed.rows_affected() > 0 {
        sqlx::query("UPDATE stories SET applause = applause + $2 WHERE id = $1")
            .bind(id)
            .bind(if on { 1i64 } else { -1 })
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("SELECT applause FROM stories WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("applause")
}
