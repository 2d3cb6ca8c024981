//! passion-match profiles: my passions, and colleagues whose profiles I may
//! see. Hidden profiles are seen by their owner only; department profiles
//! by colleagues of the same department only.

use std::collections::HashMap;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::passions::{Level, Passion, Profile, ProfileUpdate, Visibility};
use km_protocol::{Me, Page, PersonSummary, Validate};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Query, Reader, Signed};
use crate::people;
use crate::store::{Cursor, now_ms, placeholders, rfc3339};
use crate::tag_vocabulary::{lookup_key, resolve, set_links};
use crate::{AppState, match_index};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/profiles/me",
            get(get_mine).put(put_mine).delete(delete_mine),
        )
        .route("/profiles", get(list))
}

/// Query of `GET /profiles`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct ProfileQuery {
    /// Only people with this passion (a label or key).
    pub tag: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size (1-100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

pub(crate) fn level_text(l: Level) -> &'static str {
    match l {
        Level::Love => "love",
        Level::Curious => "curious",
        Level::Teach => "teach",
        Level::Learn => "learn",
    }
}

pub(crate) fn level_from(s: &str) -> Level {
    match s {
        "curious" => Level::Curious,
        "teach" => Level::Teach,
        "learn" => Level::Learn,
        _ => Level::Love,
    }
}

fn visibility_text(v: Visibility) -> &'static str {
    match v {
        Visibility::Organization => "organization",
        Visibility::Department => "department",
        Visibility::Hidden => "hidden",
    }
}

fn visibility_from(s: &str) -> Visibility {
    match s {
        "organization" => Visibility::Organization,
        "department" => Visibility::Department,
        _ => Visibility::Hidden,
    }
}

/// Saves `me`'s profile (used by the API and the demo seed).
pub async fn save(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    update: &ProfileUpdate,
    now: i64,
) -> Result<(), ApiError> {
    update.validate().map_err(ApiError::Validation)?;
    // Resolve one passion at a time so that each keeps its level when a
    // synonym maps it onto another tag; the first of duplicates wins.
    let mut tags = Vec::with_capacity(update.passions.len());
    let mut levels: Vec<Level> = Vec::with_capacity(update.passions.len());
    for p in &update.passions {
        for t in resolve(conn, community, std::slice::from_ref(&p.tag)).await? {
            if !tags
                .iter()
                .any(|x: &crate::tag_vocabulary::ResolvedTag| x.key == t.key)
            {
                tags.push(t);
                levels.push(p.level);
            }
        }
    }
    people::upsert(conn, me).await?;
    sqlx::query(
        "INSERT INTO profiles (community, person_id, why, open_to_chat, visibility, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (community, person_id) DO UPDATE SET why = excluded.why, \
         open_to_chat = excluded.open_to_chat, visibility = excluded.visibility, \
         updated_at = excluded.updated_at",
    )
    .bind(community)
    .bind(&me.id)
    .bind(crate::tag_vocabulary::clean_label(&update.why))
    .bind(i64::from(update.open_to_chat))
    .bind(visibility_text(update.visibility))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM passions WHERE community = $1 AND person_id = $2")
        .bind(community)
        .bind(&me.id)
        .execute(&mut *conn)
        .await?;
    for (i, (t, level)) in tags.iter().zip(&levels).enumerate() {
        sqlx::query(
            "INSERT INTO passions (community, person_id, tag_key, level, position) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(community)
        .bind(&me.id)
        .bind(&t.key)
        .bind(level_text(*level))
        .bind(i as i64)
        .execute(&mut *conn)
        .await?;
    }
    let public = update.visibility != Visibility::Hidden;
    match_index::record_change(conn, &me.id).await?;
    set_links(conn, community, "profile", &me.id, &tags, public).await?;
    Ok(())
}

/// Loads the profiles of `rows` (rows of profiles joined with people).
async fn assemble(
    conn: &mut AnyConnection,
    community: &str,
    rows: &[AnyRow],
) -> Result<Vec<Profile>, ApiError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String, _>("person_id"))
        .collect::<Result<_, _>>()?;
    let sql = format!(
        "SELECT p.person_id, p.tag_key, p.level, t.label FROM passions p \
         JOIN tags t ON t.community = p.community AND t.key = p.tag_key \
         WHERE p.community = $1 AND p.person_id IN ({}) ORDER BY p.person_id, p.position",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(community);
    for id in &ids {
        q = q.bind(id);
    }
    let mut by_person: HashMap<String, Vec<Passion>> = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        let level: String = r.try_get("level")?;
        by_person
            .entry(r.try_get("person_id")?)
            .or_default()
            .push(Passion {
                tag: r.try_get("label")?,
                tag_key: r.try_get("tag_key")?,
                level: level_from(&level),
            });
    }
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("person_id")?;
            let vis: String = r.try_get("visibility")?;
            let updated: i64 = r.try_get("updated_at")?;
            Ok(Profile {
                passions: by_person.remove(&id).unwrap_or_default(),
                person: PersonSummary {
                    id,
                    name: r.try_get("name")?,
                    department: r.try_get("department")?,
                },
                why: r.try_get("why")?,
                open_to_chat: r.try_get::<i64, _>("open_to_chat")? != 0,
                visibility: visibility_from(&vis),
                updated_at: Some(rfc3339(updated)),
            })
        })
        .collect()
}

const PROFILE_COLUMNS: &str = "pr.person_id, pr.why, pr.open_to_chat, pr.visibility, \
     pr.updated_at, pe.name, pe.department";

async fn load_mine(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
) -> Result<Profile, ApiError> {
    let rows = sqlx::query(&format!(
        "SELECT {PROFILE_COLUMNS} FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = $1 AND pr.person_id = $2"
    ))
    .bind(community)
    .bind(&me.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(assemble(conn, community, &rows)
        .await?
        .pop()
        .unwrap_or_else(|| Profile {
            person: PersonSummary {
                id: me.id.clone(),
                name: me.name.clone(),
                department: me.department.clone(),
            },
            passions: Vec::new(),
            why: String::new(),
            open_to_chat: false,
            visibility: Visibility::Organization,
            updated_at: None,
        }))
}

/// My profile (an empty one before I saved any).
#[utoipa::path(get, path = "/api/v1/profiles/me", tag = "passions",
    responses((status = 200, body = Profile), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn get_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
) -> ApiResult<Json<Profile>> {
    let mut conn = st.store.pool().acquire().await?;
    Ok(Json(load_mine(&mut conn, &community, &me).await?))
}

/// Replaces my profile: passions (tags with levels), why, open to chat,
/// visibility.
#[utoipa::path(put, path = "/api/v1/profiles/me", tag = "passions", request_body = ProfileUpdate,
    responses((status = 200, body = Profile), (status = 401, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn put_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    extract::Json(update): extract::Json<ProfileUpdate>,
) -> ApiResult<Json<Profile>> {
    update.validate().map_err(ApiError::Validation)?;
    let mut w = st.store.write().await?;
    save(&mut w.tx, &community, &me, &update, now_ms()).await?;
    let profile = load_mine(&mut w.tx, &community, &me).await?;
    w.commit().await?;
    Ok(Json(profile))
}

/// Colleagues' profiles the caller may see (never hidden ones; department
/// ones only within the caller's department; never the caller), most
/// recently updated first.
#[utoipa::path(get, path = "/api/v1/profiles", tag = "passions", params(ProfileQuery),
    responses((status = 200, body = Page<Profile>), (status = 400, body = km_protocol::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(caller): Reader,
    Community(community): Community,
    Query(q): Query<ProfileQuery>,
) -> ApiResult<Json<Page<Profile>>> {
    let limit = super::limit(q.limit)?;
    let (after_key, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MAX, String::new()));
    let mut conn = st.store.pool().acquire().await?;
    let tag = match q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => lookup_key(&mut conn, &community, t).await?,
        None => String::new(),
    };
    let me_id = caller.as_ref().map(|m| m.id.clone()).unwrap_or_default();
    let dept = caller
        .as_ref()
        .and_then(|m| m.department.clone())
        .unwrap_or_default();
    let rows = sqlx::query(&format!(
        "SELECT {PROFILE_COLUMNS} FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = $1 AND pr.person_id <> $2 \
           AND (pr.visibility = 'organization' \
                OR (pr.visibility = 'department' AND $3 <> '' AND pe.department = $3)) \
           AND EXISTS (SELECT 1 FROM passions pa WHERE pa.community = pr.community \
                AND pa.person_id = pr.person_id AND ($4 = '' OR pa.tag_key = $4)) \
           AND (pr.updated_at < $5 OR (pr.updated_at = $5 AND pr.person_id < $6)) \
         ORDER BY pr.updated_at DESC, pr.person_id DESC LIMIT $7"
    ))
    .bind(&community)
    .bind(&me_id)
    .bind(&dept)
    .bind(&tag)
    .bind(after_key)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let (rows, next_cursor) = crate::db::split_page(&rows, limit, "updated_at", "person_id")?;
    let items = assemble(&mut conn, &community, rows).await?;
    Ok(Json(Page { items, next_cursor }))
}

/// Deletes my profile, my passions, my circle memberships and every intro
/// I sent or received (204).
#[utoipa::path(delete, path = "/api/v1/profiles/me", tag = "passions",
    responses((status = 204), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn delete_mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
) -> ApiResult<axum::http::StatusCode> {
    let mut w = st.store.write().await?;
    match_index::record_change(&mut w.tx, &me.id).await?;
    for sql in [
        "DELETE FROM passions WHERE community = $1 AND person_id = $2",
        "DELETE FROM profiles WHERE community = $1 AND person_id = $2",
        "DELETE FROM tag_links WHERE community = $1 AND kind = 'profile' AND ref_id = $2",
        "DELETE FROM circle_members WHERE community = $1 AND person_id = $2",
    ] {
        sqlx::query(sql)
            .bind(&community)
            .bind(&me.id)
            .execute(&mut *w.tx)
            .await?;
    }
    super::intros::delete_all_of(&mut w.tx, &community, &me.id).await?;
    w.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
