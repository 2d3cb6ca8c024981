//! reflection-prompt: the feed of shared reflections and the reactions on
//! them (insightful, thanks, me too: one of each per person, toggled).
//!
//! The feed selects only `shared` and `anonymous` reflections, and
//! anonymous ones never carry an author, not even for their author.
//! Reactions leave the server as counts and the caller's own reactions,
//! never as a list of who reacted.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::reflections::{Reaction, ReactionState, Reflection};
use km_protocol::{Page, PageQuery};
use sqlx::{AnyPool, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Reader, Signed};
use crate::http::reflections::{COLUMNS, reflection};
use crate::store::{Cursor, now_ms, placeholders};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/reflections/feed", get(feed)).route(
        "/reflections/{id}/reactions/{reaction}",
        put(react).delete(unreact),
    )
}

/// Fills in `reactions` and `my_reactions` of `items`.
pub async fn attach_reactions(
    pool: &AnyPool,
    items: &mut [Reflection],
    me: Option<&str>,
) -> Result<(), sqlx::Error> {
    if items.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = items.iter().map(|r| r.id.as_str()).collect();
    let sql = format!(
        "SELECT reflection_id, reaction, COUNT(*) AS n, \
           SUM(CASE WHEN person_id = $1 THEN 1 ELSE 0 END) AS mine \
         FROM reflection_reactions WHERE reflection_id IN ({}) \
         GROUP BY reflection_id, reaction",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(me.unwrap_or(""));
    for id in &ids {
        q = q.bind(*id);
    }
    for row in q.fetch_all(pool).await? {
        let rid: String = row.try_get("reflection_id")?;
        let Some(reaction) = Reaction::parse(&row.try_get::<String, _>("reaction")?) else {
            continue;
        };
        let n: i64 = row.try_get("n")?;
        let mine: i64 = row.try_get("mine")?;
        if let Some(item) = items.iter_mut().find(|r| r.id == rid) {
            *item.reactions.get_mut(reaction) = n;
            if mine > 0 {
                item.my_reactions.push(reaction);
            }
        }
    }
    for item in items.iter_mut() {
        item.my_reactions
            .sort_by_key(|r| Reaction::ALL.iter().position(|x| x == r));
    }
    Ok(())
}

/// Shared reflections, newest first: named ones with their author,
/// anonymous ones without. Private reflections never appear.
#[utoipa::path(get, path = "/api/v1/reflections/feed", tag = "reflections", params(PageQuery),
    responses((status = 200, body = Page<Reflection>), (status = 401, body = km_protocol::Problem)))]
pub async fn feed(
    State(st): State<AppState>,
    Reader(caller): Reader,
    Community(community): Community,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<Reflection>>> {
    let limit = super::limit(q.limit)?;
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MAX, String::new()));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reflections r JOIN people pe ON pe.id = r.author_id \
         WHERE r.community = $1 AND r.visibility IN ('shared', 'anonymous') \
           AND (r.created_at < $2 OR (r.created_at = $2 AND r.id < $3)) \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $4"
    ))
    .bind(&community)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(st.store.pool())
    .await?;
    let mut page = crate::db::page_of(&rows, limit, "created_at", "id", |r| reflection(r, false))?;
    let me = caller.as_ref().map(|m| m.id.as_str());
    attach_reactions(st.store.pool(), &mut page.items, me).await?;
    Ok(Json(page))
}

/// Gives a reaction (again: no change).
#[utoipa::path(put, path = "/api/v1/reflections/{id}/reactions/{reaction}", tag = "reflections",
    params(("id" = String, Path, description = "reflection id"),
           ("reaction" = Reaction, Path, description = "insightful, thanks or me_too")),
    responses((status = 200, body = ReactionState), (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn react(
    st: State<AppState>,
    me: Signed,
    community: Community,
    path: Path<(String, String)>,
) -> ApiResult<Json<ReactionState>> {
    set_reaction(st, me, community, path, true).await
}

/// Takes a reaction back (not given: no change).
#[utoipa::path(delete, path = "/api/v1/reflections/{id}/reactions/{reaction}", tag = "reflections",
    params(("id" = String, Path, description = "reflection id"),
           ("reaction" = Reaction, Path, description = "insightful, thanks or me_too")),
    responses((status = 200, body = ReactionState), (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn unreact(
    st: State<AppState>,
    me: Signed,
    community: Community,
    path: Path<(String, String)>,
) -> ApiResult<Json<ReactionState>> {
    set_reaction(st, me, community, path, false).await
}

async fn set_reaction(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path((id, reaction)): Path<(String, String)>,
    on: bool,
) -> ApiResult<Json<ReactionState>> {
    let reaction = Reaction::parse(&reaction).ok_or(ApiError::NotFound)?;
    let mut w = st.store.write().await?;
    // Only shared reflections take reactions; a private one is a 404 for
    // everyone, so a reaction cannot probe whether it exists.
    let shared = sqlx::query(
        "SELECT id FROM reflections WHERE id = $1 AND community = $2 \
         AND visibility IN ('shared', 'anonymous')",
    )
    .bind(&id)
    .bind(&community)
    .fetch_optional(&mut *w.tx)
    .await?;
    if shared.is_none() {
        return Err(ApiError::NotFound);
    }
    if on {
        sqlx::query(
            "INSERT INTO reflection_reactions (reflection_id, person_id, reaction, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (reflection_id, person_id, reaction) DO NOTHING",
        )
        .bind(&id)
        .bind(&me.id)
        .bind(reaction.as_str())
        .bind(now_ms())
        .execute(&mut *w.tx)
        .await?;
    } else {
        sqlx::query(
            "DELETE FROM reflection_reactions \
             WHERE reflection_id = $1 AND person_id = $2 AND reaction = $3",
        )
        .bind(&id)
        .bind(&me.id)
        .bind(reaction.as_str())
        .execute(&mut *w.tx)
        .await?;
    }
    w.commit().await?;
    let mut one = vec![Reflection {
        id,
        prompt_id: None,
        body: String::new(),
        energy: None,
        tags: Vec::new(),
        visibility: Default::default(),
        author: None,
        created_at: String::new(),
        reactions: Default::default(),
        my_reactions: Vec::new(),
    }];
    attach_reactions(st.store.pool(), &mut one, Some(&me.id)).await?;
    let r = one.remove(0);
    Ok(Json(ReactionState {
        reactions: r.reactions,
        my_reactions: r.my_reactions,
    }))
}
