//! reflection-prompt: writing a reflection (idempotent), my own
//! reflections (with search), and sharing one. A private reflection is
//! readable by its author only: every route that returns reflection text
//! either filters on the caller as author or on a shared visibility.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use km_protocol::reflections::{NewReflection, Reflection, ReflectionPatch, ReflectionVisibility};
use km_protocol::{Me, Page, Validate};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, IdempotencyKey, Query, Signed, Valid};
use crate::http::{journal, prompt_sets, reflection_feed};
use crate::idempotency::{self, Start};
use crate::people;
use crate::store::{Cursor, new_id, now_ms, rfc3339};
use crate::tag_vocabulary::{labels_from_json, labels_json, like_escape, resolve, set_links};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reflections", post(write))
        .route("/reflections/mine", get(mine).delete(journal::delete_all))
        .route("/reflections/{id}/visibility", put(share))
}

/// The stored form of a visibility.
pub fn visibility_text(v: ReflectionVisibility) -> &'static str {
    match v {
        ReflectionVisibility::Private => "private",
        ReflectionVisibility::Shared => "shared",
        ReflectionVisibility::Anonymous => "anonymous",
    }
}

fn visibility_from(s: &str) -> ReflectionVisibility {
    match s {
        "shared" => ReflectionVisibility::Shared,
        "anonymous" => ReflectionVisibility::Anonymous,
        _ => ReflectionVisibility::Private,
    }
}

/// Query of `GET /reflections/mine`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct MineQuery {
    /// Words to find in the text or tags (case-insensitive).
    pub q: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// A reflection row as seen by someone: the author is left out of
/// anonymous shares unless `mine` (the author reading their own).
pub fn reflection(r: &AnyRow, mine: bool) -> Result<Reflection, sqlx::Error> {
    let vis: String = r.try_get("visibility")?;
    let visibility = visibility_from(&vis);
    Ok(Reflection {
        id: r.try_get("id")?,
        prompt_id: r.try_get("prompt_id")?,
        body: r.try_get("body")?,
        energy: r.try_get("energy")?,
        tags: labels_from_json(&r.try_get::<String, _>("tags")?),
        visibility,
        author: if mine || visibility != ReflectionVisibility::Anonymous {
            Some(people::summary(r, "a_")?)
        } else {
            None
        },
        created_at: rfc3339(r.try_get("created_at")?),
        reactions: Default::default(),
        my_reactions: Vec::new(),
    })
}

/// The columns [`reflection`] reads (`reflections r JOIN people pe`).
pub const COLUMNS: &str = "r.id, r.prompt_id, r.body, r.energy, r.tags, r.visibility, r.created_at, \
     pe.id AS a_id, pe.name AS a_name, pe.department AS a_department";

/// Stores a reflection by `me` (used by the API and the demo seed).
pub async fn create(
    conn: &mut AnyConnection,
    community: &str,
    me: &Me,
    r: &NewReflection,
    now: i64,
) -> Result<String, ApiError> {
    r.validate().map_err(ApiError::Validation)?;
    if let Some(pid) = &r.prompt_id
        && !prompt_sets::prompt_exists(conn, community, pid).await?
    {
        return Err(ApiError::field(
            "prompt_id",
            km_protocol::validate::codes::INVALID_FORMAT,
            "unknown prompt",
        ));
    }
    people::upsert(conn, me).await?;
    let tags = resolve(conn, community, &r.tags).await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO reflections (id, community, author_id, prompt_id, body, energy, tags, \
         visibility, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(community)
    .bind(&me.id)
    .bind(r.prompt_id.as_deref())
    .bind(r.body.trim_end())
    .bind(r.energy)
    .bind(labels_json(&tags))
    .bind(visibility_text(r.visibility))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let public = r.visibility != ReflectionVisibility::Private;
    set_links(conn, community, "reflection", &id, &tags, public).await?;
    Ok(id)
}

/// Writes a reflection (private unless `visibility` says otherwise). Send
/// an `Idempotency-Key` so a retry never saves twice.
#[utoipa::path(post, path = "/api/v1/reflections", tag = "reflections", request_body = NewReflection,
    params(("Idempotency-Key" = Option<String>, Header, description = "one key per submission")),
    responses((status = 201, body = Reflection), (status = 401, body = km_protocol::Problem),
              (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn write(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    IdempotencyKey(key): IdempotencyKey,
    Valid(r): Valid<NewReflection>,
) -> ApiResult<Response> {
    let route = format!("POST /reflections {community}");
    let mut op = match idempotency::start(&st.store, &me.id, key, &route, &r).await? {
        Start::Replay(res) => return Ok(res),
        Start::Fresh(op) => op,
    };
    let w = &mut op.w;
    let id = create(&mut w.tx, &community, &me, &r, now_ms()).await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reflections r JOIN people pe ON pe.id = r.author_id WHERE r.id = $1"
    ))
    .bind(&id)
    .fetch_one(&mut *w.tx)
    .await?;
    let out = reflection(&row, false)?;
    op.created(&st.store, &out).await
}

/// My reflections, newest first (all visibilities; only mine), optionally
/// only those whose text or tags contain `q`.
#[utoipa::path(get, path = "/api/v1/reflections/mine", tag = "reflections", params(MineQuery),
    responses((status = 200, body = Page<Reflection>), (status = 401, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn mine(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<MineQuery>,
) -> ApiResult<Json<Page<Reflection>>> {
    let limit = super::limit(q.limit)?;
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MAX, String::new()));
    let words = q.q.as_deref().map(str::trim).unwrap_or_default();
    let pattern = format!("%{}%", like_escape(&words.to_lowercase()));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reflections r JOIN people pe ON pe.id = r.author_id \
         WHERE r.community = $1 AND r.author_id = $2 \
           AND (r.created_at < $3 OR (r.created_at = $3 AND r.id < $4)) \
           AND ($6 = '' OR LOWER(r.body) LIKE $7 ESCAPE '\\' OR LOWER(r.tags) LIKE $7 ESCAPE '\\') \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $5"
    ))
    .bind(&community)
    .bind(&me.id)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .bind(words)
    .bind(&pattern)
    .fetch_all(st.store.pool())
    .await?;
    // My own reflections show me as the author even when shared anonymously.
    let mut page = crate::db::page_of(&rows, limit, "created_at", "id", |r| reflection(r, true))?;
    reflection_feed::attach_reactions(st.store.pool(), &mut page.items, Some(&me.id)).await?;
    Ok(Json(page))
}

/// One of my reflections, by id, as its author sees it (None: not mine).
pub async fn one_of_mine(
    conn: &mut AnyConnection,
    community: &str,
    me: &str,
    id: &str,
) -> Result<Option<Reflection>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reflections r JOIN people pe ON pe.id = r.author_id \
         WHERE r.id = $1 AND r.community = $2 AND r.author_id = $3"
    ))
    .bind(id)
    .bind(community)
    .bind(me)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| reflection(&r, true)).transpose()
}

/// Shares one of my reflections (named or anonymous) or makes it private
/// again. Anyone else's reflection is a 404, also for admins.
#[utoipa::path(put, path = "/api/v1/reflections/{id}/visibility", tag = "reflections",
    params(("id" = String, Path, description = "reflection id")), request_body = ReflectionPatch,
    responses((status = 200, body = Reflection), (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn share(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(p): extract::Json<ReflectionPatch>,
) -> ApiResult<Json<Reflection>> {
    let mut w = st.store.write().await?;
    let done = sqlx::query(
        "UPDATE reflections SET visibility = $1, updated_at = $2 \
         WHERE id = $3 AND community = $4 AND author_id = $5",
    )
    .bind(visibility_text(p.visibility))
    .bind(now_ms())
    .bind(&id)
    .bind(&community)
    .bind(&me.id)
    .execute(&mut *w.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound);
    }
    sqlx::query(
        "UPDATE tag_links SET public = $1 WHERE community = $2 AND kind = 'reflection' AND ref_id = $3",
    )
    .bind(i64::from(p.visibility != ReflectionVisibility::Private))
    .bind(&community)
    .bind(&id)
    .execute(&mut *w.tx)
    .await?;
    if p.visibility == ReflectionVisibility::Private {
        // Reactions belong to a share; a private reflection has none.
        sqlx::query("DELETE FROM reflection_reactions WHERE reflection_id = $1")
            .bind(&id)
            .execute(&mut *w.tx)
            .await?;
    }
    let r = one_of_mine(&mut w.tx, &community, &me.id, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    w.commit().await?;
    let mut one = vec![r];
    reflection_feed::attach_reactions(st.store.pool(), &mut one, Some(&me.id)).await?;
    Ok(Json(one.remove(0)))
}
