//! passion-match: my ranked matches. The server's in-memory inverted index
//! ([`crate::match_index`], caught up with the database first) is read by
//! [`crate::matching::top_k`], which sums the posting lists of my tags into
//! a dense score array and ranks exactly only the people who can make the
//! page; the weights are counts the index keeps, never counted per
//! request.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::matches::{Complement, Match, MatchQuery};
use km_protocol::passions::{Level, Passion};
use km_protocol::{Page, PersonSummary};
use sqlx::Row;

use super::profiles::level_from;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Signed};
use crate::matching::top_k;
use crate::store::{Cursor, placeholders};
use crate::tag_vocabulary::lookup_key;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/matches", get(matches))
}

/// Colleagues ranked by shared passions (IDF-weighted), teach/learn pairs
/// and whether we already connected; the score's parts come along. Hidden
/// profiles never match; department profiles only within the department.
#[utoipa::path(get, path = "/api/v1/matches", tag = "passions", params(MatchQuery),
    responses((status = 200, body = Page<Match>), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn matches(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<MatchQuery>,
) -> ApiResult<Json<Page<Match>>> {
    let limit = super::limit(q.limit)?;
    // The ranking is recomputed per request, so the cursor is an offset.
    let offset = match Cursor::decode_i64(q.cursor.as_deref())? {
        Some((o, _)) if o >= 0 => o as usize,
        Some(_) => return Err(ApiError::BadRequest("invalid cursor".into())),
        None => 0,
    };
    let mut conn = st.store.pool().acquire().await?;
    let mine: Vec<(String, Level)> = sqlx::query(
        "SELECT tag_key, level FROM passions WHERE community = $1 AND person_id = $2 \
         ORDER BY position",
    )
    .bind(&community)
    .bind(&me.id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("tag_key")?,
            level_from(&r.try_get::<String, _>("level")?),
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let only = match q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(lookup_key(&mut conn, &community, t).await?),
        None => None,
    };
    if mine.is_empty() {
        return Ok(Json(Page::default()));
    }
    let keys: Vec<&String> = mine.iter().map(|(k, _)| k).collect();
    let connected: HashSet<String> = sqlx::query(
        "SELECT CASE WHEN from_id = $2 THEN to_id ELSE from_id END AS other FROM intros \
         WHERE community = $1 AND status = 'accepted' AND deleted_at IS NULL \
           AND (from_id = $2 OR to_id = $2)",
    )
    .bind(&community)
    .bind(&me.id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("other"))
    .collect::<Result<_, _>>()?;
    let want = offset + limit as usize;
    let index = st
        .store
        .match_index()
        .view(
            &mut conn,
            &community,
            &me.id,
            me.department.as_deref().unwrap_or_default(),
        )
        .await?;
    let (n, df) = index.counts(&keys);
    let (ranked, more) = match &only {
        // Only people with that passion, if it is mine (else nobody).
        Some(tag) if !keys.contains(&tag) => (Vec::new(), false),
        only => top_k(&index, &mine, n, &df, &connected, only.as_deref(), want),
    };
    // Let a catch-up in while this page is assembled.
    drop(index);
    let page: Vec<_> = ranked.into_iter().skip(offset).collect();
    let next_cursor = (more && !page.is_empty()).then(|| Cursor::encode(offset + page.len(), ""));
    if page.is_empty() {
        return Ok(Json(Page {
            items: Vec::new(),
            next_cursor,
        }));
    }
    // Names, departments and profile lines of this page's people, and labels.
    let ids: Vec<&String> = page.iter().map(|r| &r.id).collect();
    let sql = format!(
        "SELECT pe.id, pe.name, pe.department, pr.why, pr.open_to_chat FROM people pe \
         JOIN profiles pr ON pr.person_id = pe.id AND pr.community = $1 WHERE pe.id IN ({})",
        placeholders(2, ids.len())
    );
    let mut query = sqlx::query(&sql).bind(&community);
    for id in &ids {
        query = query.bind(*id);
    }
    let mut people = HashMap::new();
    for r in query.fetch_all(&mut *conn).await? {
        let id: String = r.try_get("id")?;
        people.insert(
            id.clone(),
            (
                PersonSummary {
                    id,
                    name: r.try_get("name")?,
                    department: r.try_get("department")?,
                },
                r.try_get::<String, _>("why")?,
                r.try_get::<i64, _>("open_to_chat")? != 0,
            ),
        );
    }
    let sql = format!(
        "SELECT key, label FROM tags WHERE community = $1 AND key IN ({})",
        placeholders(2, keys.len())
    );
    let mut query = sqlx::query(&sql).bind(&community);
    for k in &keys {
        query = query.bind(*k);
    }
    let mut labels = HashMap::new();
    for r in query.fetch_all(&mut *conn).await? {
        labels.insert(
            r.try_get::<String, _>("key")?,
            r.try_get::<String, _>("label")?,
        );
    }
    let label = |k: &String| labels.get(k).cloned().unwrap_or_else(|| k.clone());
    let items = page
        .into_iter()
        .filter_map(|r| {
            let (person, why, open_to_chat) = people.remove(&r.id)?;
            Some(Match {
                person,
                shared: r
                    .shared
                    .iter()
                    .map(|(k, l)| Passion {
                        tag: label(k),
                        tag_key: k.clone(),
                        level: *l,
                    })
                    .collect(),
                complementary: r
                    .complementary
                    .iter()
                    .map(|(k, d)| Complement {
                        tag: label(k),
                        tag_key: k.clone(),
                        direction: *d,
                    })
                    .collect(),
                why,
                open_to_chat,
                connected: r.connected,
                score: r.score,
                parts: r.parts,
            })
        })
        .collect();
    Ok(Json(Page { items, next_cursor }))
}
