//! passion-match: my ranked matches. The server's in-memory inverted index
//! ([`crate::match_index`], caught up with the database first) is read by
//! [`crate::matching::top_k`], which sums the posting lists of my tags into
//! a dense score array and ranks exactly only the people who can make the
//! page; the weights are counts the index keeps, never counted per
//! request.

use std::collections::HashMap;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::Page;
use km_protocol::matches::{Complement, Match, MatchQuery};
use km_protocol::passions::{Level, Passion};

use crate::AppState;
use crate::db::{
    intros,
    matches::{passions_of, people_of},
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Signed};
use crate::matching::top_k;
use crate::store::Cursor;
use crate::tag_vocabulary::lookup_key;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new().route("/matches", get(matches))
}

/// Colleagues ranked by shared passions (IDF-weighted), teach/learn pairs
/// and whether we already connected; the score's parts come along. Hidden
/// profiles never match; department profiles only within the department.
#[utoipa::path(get, path = "/api/v1/matches", tag = "passions", params(MatchQuery),
    responses((status = 200, body = Page<Match>)),
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
    let my_passions = passions_of(&mut conn, &community, &me.id).await?;
    let only = match q.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(lookup_key(&mut conn, &community, t).await?),
        None => None,
    };
    if my_passions.is_empty() {
        return Ok(Json(Page::default()));
    }
    let mine: Vec<(String, Level)> = my_passions
        .iter()
        .map(|p| (p.key.clone(), p.level))
        .collect();
    let keys: Vec<&String> = mine.iter().map(|(k, _)| k).collect();
    let connected = intros::connected(&mut conn, &community, &me.id).await?;
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
    let ids: Vec<&str> = page.iter().map(|r| r.id.as_str()).collect();
    let mut people = people_of(&mut conn, &community, &ids).await?;
    let labels: HashMap<&str, &str> = my_passions
        .iter()
        .map(|p| (p.key.as_str(), p.label.as_str()))
        .collect();
    let label = |k: &String| {
        labels
            .get(k.as_str())
            .map_or_else(|| k.clone(), |l| (*l).to_owned())
    };
    let items = page
        .into_iter()
        .filter_map(|r| {
            let p = people.remove(&r.id)?;
            Some(Match {
                person: p.person,
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
                why: p.why,
                open_to_chat: p.open_to_chat,
                connected: r.connected,
                score: r.score,
                parts: r.parts,
            })
        })
        .collect();
    Ok(Json(Page { items, next_cursor }))
}
