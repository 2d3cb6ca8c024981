//! The shared tag vocabulary: autocomplete with usage counts, synonyms.
//! A tag is listed only when the caller could see a record that uses it,
//! and counted by those records
//! ([`crate::tag_vocabulary::visible_uses_sql`]): labels used only
//! privately (private reflections, hidden profiles, stories in review,
//! another department's department-only profiles) never show.

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use km_protocol::Page;
use km_protocol::tags::{SynonymRequest, Tag, TagQuery};

use crate::AppState;
use crate::db::{tag_counts, tags as db};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Admin, Community, Query, Reader, Valid};
use crate::store::{Cursor, now_ms};
use crate::tag_vocabulary::{lookup_key, normalize_key, resolve};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tags", get(list))
        .route("/tags/synonyms", put(set_synonym))
}

/// Tags whose key or any word of it starts with `prefix`, most used first:
/// only tags the caller could see in use elsewhere, counted by those uses.
#[utoipa::path(get, path = "/api/v1/tags", tag = "tags", params(TagQuery),
    responses((status = 200, body = Page<Tag>)))]
pub async fn list(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Query(q): Query<TagQuery>,
) -> ApiResult<Json<Page<Tag>>> {
    let limit = super::limit(q.limit)?;
    // Counts change under a client's feet, so this list pages by offset.
    let offset = match Cursor::decode_i64(q.cursor.as_deref())? {
        Some((o, _)) if o >= 0 => o,
        Some(_) => return Err(ApiError::BadRequest("invalid cursor".into())),
        None => 0,
    };
    let prefix = normalize_key(q.prefix.as_deref().unwrap_or(""));
    let department = me.and_then(|m| m.department).unwrap_or_default();
    let vocabulary = tag_counts::vocabulary(&st.store, &community, &department).await?;
    let mut items: Vec<Tag> = vocabulary
        .iter()
        .filter(|t| tag_counts::matches_prefix(&t.key, &prefix))
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit as usize + 1)
        .cloned()
        .collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        Some(Cursor::encode(offset + limit, ""))
    } else {
        None
    };
    Ok(Json(Page { items, next_cursor }))
}

/// Maps an alias onto a tag (admin only): later uses of the alias become
/// the tag.
#[utoipa::path(put, path = "/api/v1/tags/synonyms", tag = "tags", request_body = SynonymRequest,
    responses((status = 200, body = Tag), (status = 403, description = "not an admin")),
    security(("bearer" = [])))]
pub async fn set_synonym(
    State(st): State<AppState>,
    Admin(me): Admin,
    Community(community): Community,
    Valid(req): Valid<SynonymRequest>,
) -> ApiResult<Json<Tag>> {
    let mut w = st.store.write().await?;
    let alias = normalize_key(&req.alias);
    let target_key = lookup_key(&mut w.tx, &community, &req.tag).await?;
    if alias == target_key {
        return Err(ApiError::field(
            "alias",
            km_protocol::validate::codes::INVALID_FORMAT,
            "an alias cannot be the tag itself",
        ));
    }
    let tag = resolve(&mut w.tx, &community, std::slice::from_ref(&req.tag))
        .await?
        .pop()
        .ok_or_else(|| {
            ApiError::field(
                "tag",
                km_protocol::validate::codes::REQUIRED,
                "tag is empty",
            )
        })?;
    let department = me.department.as_deref().unwrap_or_default();
    let count = db::set_synonym(
        &mut w.tx,
        &community,
        &alias,
        &tag,
        &me.id,
        department,
        now_ms(),
    )
    .await?;
    w.commit().await?;
    Ok(Json(Tag {
        key: tag.key,
        label: tag.label,
        count,
    }))
}
