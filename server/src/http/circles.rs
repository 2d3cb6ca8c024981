//! passion-match circles: a passion held by at least three people who are
//! open to a coffee chat, counted among the profiles the caller may see
//! (the rules of `/matches`: never hidden profiles, department-only ones
//! only within the caller's department). Joining requires the caller to
//! hold the passion on a profile that is not hidden and to be open to a
//! chat; a member who later hides the profile, closes the chat or drops the
//! passion stops counting and showing, without any cleanup.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::circles::{CIRCLE_MIN_PEOPLE, Circle, CircleMember, CircleQuery};
use km_protocol::validate::codes;
use km_protocol::{FieldError, Me, Page, PageQuery};
use sqlx::{AnyConnection, Row};

use super::profiles::level_from;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Signed};
use crate::store::{Cursor, now_ms, placeholders};
use crate::tag_vocabulary::lookup_key;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/circles", get(list))
        .route("/circles/{tag}/membership", put(join).delete(leave))
        .route("/circles/{tag}/members", get(members))
}

/// The profiles (`pr`, joined with `pe` people) that count for caller `$2`
/// of department `$3`: open to a chat, not hidden, and the caller's own or
/// visible to the caller.
const COUNTED: &str = "pr.open_to_chat <> 0 AND pr.visibility <> 'hidden' \
     AND (pr.person_id = $2 OR pr.visibility = 'organization' \
          OR (pr.visibility = 'department' AND $3 <> '' AND pe.department = $3))";

const JOINS: &str = "JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id \
     JOIN people pe ON pe.id = pa.person_id";

fn dept(me: &Me) -> String {
    me.department.clone().unwrap_or_default()
}

/// The circles of `tags` (all when empty) the caller sees: tag, label and
/// how many counted people hold it, most people first.
async fn circle_counts(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    only: Option<&str>,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT pa.tag_key, t.label, COUNT(*) AS n FROM passions pa {JOINS} \
         JOIN tags t ON t.community = pa.community AND t.key = pa.tag_key \
         WHERE pa.community = $1 AND {COUNTED} AND ($4 = '' OR pa.tag_key = $4) \
         GROUP BY pa.tag_key, t.label HAVING COUNT(*) >= $5 \
         ORDER BY n DESC, pa.tag_key"
    );
    sqlx::query(&sql)
        .bind(community)
        .bind(&me.id)
        .bind(dept(me))
        .bind(only.unwrap_or_default())
        .bind(CIRCLE_MIN_PEOPLE)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("tag_key")?, r.try_get("label")?, r.try_get("n")?)))
        .collect()
}

/// Why the caller may not join the circle of `tag` (empty: may join).
async fn join_problems(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: &str,
) -> Result<Vec<FieldError>, sqlx::Error> {
    let profile = sqlx::query(
        "SELECT pr.open_to_chat, pr.visibility, \
           (SELECT COUNT(*) FROM passions pa WHERE pa.community = pr.community \
              AND pa.person_id = pr.person_id AND pa.tag_key = $3) AS holds \
         FROM profiles pr WHERE pr.community = $1 AND pr.person_id = $2",
    )
    .bind(community)
    .bind(&me.id)
    .bind(tag)
    .fetch_optional(&mut *conn)
    .await?;
    let (open, hidden, holds) = match profile {
        Some(r) => (
            r.try_get::<i64, _>("open_to_chat")? != 0,
            r.try_get::<String, _>("visibility")? == "hidden",
            r.try_get::<i64, _>("holds")? > 0,
        ),
        None => (false, false, false),
    };
    let mut problems = Vec::new();
    if !holds {
        problems.push(FieldError::new(
            "passions",
            codes::REQUIRED,
            "add this passion to your profile to join its circle",
        ));
    }
    if !open {
        problems.push(FieldError::new(
            "open_to_chat",
            codes::REQUIRED,
            "be open to a coffee chat to join a circle",
        ));
    }
    if hidden {
        problems.push(FieldError::new(
            "visibility",
            codes::INVALID_FORMAT,
            "a hidden profile cannot join a circle",
        ));
    }
    Ok(problems)
}

/// Assembles circles: members counted and the caller's own state.
async fn assemble(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    counts: Vec<(String, String, i64)>,
) -> Result<Vec<Circle>, sqlx::Error> {
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<&String> = counts.iter().map(|(k, _, _)| k).collect();
    let sql = format!(
        "SELECT pa.tag_key, COUNT(*) AS n, \
           SUM(CASE WHEN pa.person_id = $2 THEN 1 ELSE 0 END) AS mine \
         FROM circle_members cm JOIN passions pa ON pa.community = cm.community \
           AND pa.person_id = cm.person_id AND pa.tag_key = cm.tag_key {JOINS} \
         WHERE cm.community = $1 AND {COUNTED} AND cm.tag_key IN ({}) GROUP BY pa.tag_key",
        placeholders(4, keys.len())
    );
    let mut q = sqlx::query(&sql)
        .bind(community)
        .bind(&me.id)
        .bind(dept(me));
    for k in &keys {
        q = q.bind(*k);
    }
    let mut joined: HashMap<String, (i64, bool)> = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        joined.insert(
            r.try_get("tag_key")?,
            (r.try_get("n")?, r.try_get::<i64, _>("mine")? > 0),
        );
    }
    let mut out = Vec::with_capacity(counts.len());
    for (tag_key, tag, people) in counts {
        let (members, is_member) = joined.get(&tag_key).copied().unwrap_or((0, false));
        let can_join = join_problems(conn, community, me, &tag_key)
            .await?
            .is_empty();
        out.push(Circle {
            tag,
            tag_key,
            people,
            members,
            joined: is_member,
            can_join,
        });
    }
    Ok(out)
}

/// The circle of `tag` as the caller sees it; 404 when it is not a circle
/// for the caller (fewer than three counted people, or an unknown tag).
async fn one(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    tag: &str,
) -> Result<Circle, ApiError> {
    let key = lookup_key(conn, community, tag).await?;
    let counts = circle_counts(conn, community, me, Some(&key)).await?;
    assemble(conn, community, me, counts)
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// The circles I can see (or the one of `tag`), most people first.
#[utoipa::path(get, path = "/api/v1/circles", tag = "passions", params(CircleQuery),
    responses((status = 200, body = Page<Circle>), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<CircleQuery>,
) -> ApiResult<Json<Page<Circle>>> {
    let limit = super::limit(q.limit)? as usize;
    // Counts change with every profile, so the cursor is an offset.
    let offset = match Cursor::decode_i64(q.cursor.as_deref())? {
        Some((o, _)) if o >= 0 => o as usize,
        Some(_) => return Err(ApiError::BadRequest("invalid cursor".into())),
        None => 0,
    };
    let mut conn = st.store.pool().acquire().await?;
    let only = match q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(lookup_key(&mut conn, &community, t).await?),
        None => None,
    };
    let all = circle_counts(&mut conn, &community, &me, only.as_deref()).await?;
    let total = all.len();
    let page: Vec<_> = all.into_iter().skip(offset).take(limit).collect();
    let next_cursor =
        (offset + page.len() < total).then(|| Cursor::encode(offset + page.len(), ""));
    let items = assemble(&mut conn, &community, &me, page).await?;
    Ok(Json(Page { items, next_cursor }))
}

/// Joins the circle of `tag` (idempotent). 404 when it is not a circle for
/// me; 422 (fields `passions`, `open_to_chat`, `visibility`) when my
/// profile does not hold the passion, is not open to a chat, or is hidden.
#[utoipa::path(put, path = "/api/v1/circles/{tag}/membership", tag = "passions",
    params(("tag" = String, Path, description = "the passion's label or key")),
    responses((status = 200, body = Circle), (status = 404, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn join(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(tag): Path<String>,
) -> ApiResult<Json<Circle>> {
    let mut w = st.store.write().await?;
    let circle = one(&mut w.tx, &community, &me, &tag).await?;
    let problems = join_problems(&mut w.tx, &community, &me, &circle.tag_key).await?;
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    sqlx::query(
        "INSERT INTO circle_members (community, tag_key, person_id, joined_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (community, tag_key, person_id) DO NOTHING",
    )
    .bind(&community)
    .bind(&circle.tag_key)
    .bind(&me.id)
    .bind(now_ms())
    .execute(&mut *w.tx)
    .await?;
    let circle = one(&mut w.tx, &community, &me, &circle.tag_key).await?;
    w.commit().await?;
    Ok(Json(circle))
}

/// Leaves the circle of `tag` (204, also when I was not a member).
#[utoipa::path(delete, path = "/api/v1/circles/{tag}/membership", tag = "passions",
    params(("tag" = String, Path, description = "the passion's label or key")),
    responses((status = 204), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn leave(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(tag): Path<String>,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    let key = lookup_key(&mut w.tx, &community, &tag).await?;
    sqlx::query(
        "DELETE FROM circle_members WHERE community = $1 AND tag_key = $2 AND person_id = $3",
    )
    .bind(&community)
    .bind(&key)
    .bind(&me.id)
    .execute(&mut *w.tx)
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The members of the circle of `tag` I may see, first joined first; 404
/// when it is not a circle for me.
#[utoipa::path(get, path = "/api/v1/circles/{tag}/members", tag = "passions",
    params(("tag" = String, Path, description = "the passion's label or key"), PageQuery),
    responses((status = 200, body = Page<CircleMember>), (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn members(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(tag): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<CircleMember>>> {
    let limit = super::limit(q.limit)?;
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MIN, String::new()));
    let mut conn = st.store.pool().acquire().await?;
    let circle = one(&mut conn, &community, &me, &tag).await?;
    let rows = sqlx::query(&format!(
        "SELECT cm.joined_at, pe.id, pe.name, pe.department, pa.level, pr.why \
         FROM circle_members cm JOIN passions pa ON pa.community = cm.community \
           AND pa.person_id = cm.person_id AND pa.tag_key = cm.tag_key {JOINS} \
         WHERE cm.community = $1 AND {COUNTED} AND cm.tag_key = $4 \
           AND (cm.joined_at > $5 OR (cm.joined_at = $5 AND pe.id > $6)) \
         ORDER BY cm.joined_at, pe.id LIMIT $7"
    ))
    .bind(&community)
    .bind(&me.id)
    .bind(dept(&me))
    .bind(&circle.tag_key)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(crate::db::page_of(
        &rows,
        limit,
        "joined_at",
        "id",
        |r| {
            Ok(CircleMember {
                person: crate::people::summary(r, "")?,
                level: level_from(&r.try_get::<String, _>("level")?),
                why: r.try_get("why")?,
            })
        },
    )?))
}
