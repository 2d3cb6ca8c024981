//! passion-match: "say hi". One intro per sender and receiver, a daily
//! limit per sender; only the receiver accepts or dismisses; once accepted,
//! both see each other's email. Either person may delete an intro, and
//! deleting my profile deletes my intros.
//!
//! A deleted intro is kept as a tombstone (`deleted_at` set, message
//! erased): no list shows it and it connects nobody, but it still counts
//! towards "once per colleague" and the daily limit, which deleting and
//! saying hi again would otherwise get round. A dismissed intro counts too.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use km_protocol::matches::{INTROS_PER_DAY, Intro, IntroQuery, IntroStatus, NewIntro};
use km_protocol::problem::types;
use km_protocol::{Page, Problem, Validate};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::{ApiError, ApiResult, problem_response};
use crate::extract::{self, Community, Query, Signed};
use crate::store::{Cursor, new_id, now_ms, rfc3339};
use crate::{people, store};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/intros", get(list).post(send))
        .route("/intros/{id}/accept", post(accept))
        .route("/intros/{id}/dismiss", post(dismiss))
        .route("/intros/{id}", delete(remove))
}

const COLUMNS: &str = "i.id, i.message, i.status, i.created_at, \
     f.id AS f_id, f.name AS f_name, f.department AS f_department, f.email AS f_email, \
     t.id AS t_id, t.name AS t_name, t.department AS t_department, t.email AS t_email";

/// The live intros (tombstones left out) with both people.
const FROM: &str = "FROM intros i JOIN people f ON f.id = i.from_id \
     JOIN people t ON t.id = i.to_id AND i.deleted_at IS NULL";

/// Deletes intros for their people: erases the message and marks them
/// deleted, keeping the row for the limits (see the module docs). `filter`
/// is a condition on `intros` whose placeholders start at `$3`.
async fn tombstone(
    conn: &mut AnyConnection,
    community: &str,
    filter: &str,
    binds: &[&str],
) -> Result<u64, sqlx::Error> {
    let sql = format!(
        "UPDATE intros SET deleted_at = $1, message = '' \
         WHERE community = $2 AND deleted_at IS NULL AND ({filter})"
    );
    let mut q = sqlx::query(&sql).bind(now_ms()).bind(community);
    for b in binds {
        q = q.bind(*b);
    }
    Ok(q.execute(&mut *conn).await?.rows_affected())
}

/// Deletes every intro `person` sent or received (deleting a profile).
pub async fn delete_all_of(
    conn: &mut AnyConnection,
    community: &str,
    person: &str,
) -> Result<(), sqlx::Error> {
    tombstone(conn, community, "from_id = $3 OR to_id = $3", &[person]).await?;
    Ok(())
}

fn status_from(s: &str) -> IntroStatus {
    match s {
        "accepted" => IntroStatus::Accepted,
        "dismissed" => IntroStatus::Dismissed,
        _ => IntroStatus::Pending,
    }
}

/// An intro as `viewer` may see it (the contact only when accepted).
fn intro(r: &AnyRow, viewer: &str) -> Result<Intro, sqlx::Error> {
    let status = status_from(&r.try_get::<String, _>("status")?);
    let from = people::summary(r, "f_")?;
    let to = people::summary(r, "t_")?;
    let contact = if status == IntroStatus::Accepted {
        let other = if from.id == viewer {
            "t_email"
        } else {
            "f_email"
        };
        r.try_get::<Option<String>, _>(other)?
    } else {
        None
    };
    Ok(Intro {
        id: r.try_get("id")?,
        from,
        to,
        message: r.try_get("message")?,
        status,
        contact,
        created_at: rfc3339(r.try_get("created_at")?),
    })
}

async fn load(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    viewer: &str,
) -> Result<Intro, ApiError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE i.id = $1 AND i.community = $2 \
         AND (i.from_id = $3 OR i.to_id = $3)"
    ))
    .bind(id)
    .bind(community)
    .bind(viewer)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(ApiError::NotFound)?;
    Ok(intro(&row, viewer)?)
}

/// Whether `to` has a profile `me` may see (hidden or other-department
/// profiles cannot be greeted, and their existence is not revealed).
async fn visible_to(
    conn: &mut AnyConnection,
    community: &str,
    me: &km_protocol::Me,
    to: &str,
) -> Result<bool, sqlx::Error> {
    let dept = me.department.clone().unwrap_or_default();
    Ok(sqlx::query(
        "SELECT 1 AS one FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = $1 AND pr.person_id = $2 AND (pr.visibility = 'organization' \
           OR (pr.visibility = 'department' AND $3 <> '' AND pe.department = $3))",
    )
    .bind(community)
    .bind(to)
    .bind(&dept)
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}

/// Says hi to a colleague (201), once: a second intro to the same person
/// is a 409, also after the first was dismissed or deleted; more than the
/// daily limit (deleted intros included) is a 429.
#[utoipa::path(post, path = "/api/v1/intros", tag = "passions", request_body = NewIntro,
    responses((status = 201, body = Intro), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)),
    security(("bearer" = [])))]
pub async fn send(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    extract::Json(req): extract::Json<NewIntro>,
) -> ApiResult<Response> {
    req.validate().map_err(ApiError::Validation)?;
    if req.to == me.id {
        return Err(ApiError::field(
            "to",
            km_protocol::validate::codes::INVALID_FORMAT,
            "you cannot say hi to yourself",
        ));
    }
    let mut w = st.store.write().await?;
    if !visible_to(&mut w.tx, &community, &me, &req.to).await? {
        return Err(ApiError::NotFound);
    }
    let now = now_ms();
    // Tombstones and dismissed intros count: they were sent today all the same.
    let today: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM intros WHERE community = $1 AND from_id = $2 AND created_at > $3",
    )
    .bind(&community)
    .bind(&me.id)
    .bind(now - 86_400_000)
    .fetch_one(&mut *w.tx)
    .await?
    .try_get("n")?;
    if today >= INTROS_PER_DAY {
        return Ok(problem_response(
            &Problem::new(429, "Daily limit reached")
                .with_type(types::LIMIT)
                .with_detail(format!("at most {INTROS_PER_DAY} intros a day")),
        ));
    }
    let id = new_id();
    let done = sqlx::query(
        "INSERT INTO intros (id, community, from_id, to_id, message, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6) \
         ON CONFLICT (community, from_id, to_id) DO NOTHING",
    )
    .bind(&id)
    .bind(&community)
    .bind(&me.id)
    .bind(&req.to)
    .bind(req.message.trim())
    .bind(now)
    .execute(&mut *w.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::Conflict(
            "you already said hi to this colleague".into(),
        ));
    }
    let created = load(&mut w.tx, &community, &id, &me.id).await?;
    w.commit().await?;
    let body = serde_json::to_string(&created).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(crate::idempotency::respond(
        StatusCode::CREATED,
        body,
        false,
    ))
}

/// My incoming (default) or outgoing intros, newest first.
#[utoipa::path(get, path = "/api/v1/intros", tag = "passions", params(IntroQuery),
    responses((status = 200, body = Page<Intro>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<IntroQuery>,
) -> ApiResult<Json<Page<Intro>>> {
    let limit = super::limit(q.limit)?;
    let column = match q.r#box.as_deref() {
        None | Some("incoming") => "i.to_id",
        Some("outgoing") => "i.from_id",
        Some(_) => return Err(ApiError::BadRequest("box is incoming or outgoing".into())),
    };
    let (after, after_id) =
        Cursor::decode_i64(q.cursor.as_deref())?.unwrap_or((i64::MAX, String::new()));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE i.community = $1 AND {column} = $2 \
           AND (i.created_at < $3 OR (i.created_at = $3 AND i.id < $4)) \
         ORDER BY i.created_at DESC, i.id DESC LIMIT $5"
    ))
    .bind(&community)
    .bind(&me.id)
    .bind(after)
    .bind(&after_id)
    .bind(limit + 1)
    .fetch_all(st.store.pool())
    .await?;
    Ok(Json(crate::db::page_of(
        &rows,
        limit,
        "created_at",
        "id",
        |r| intro(r, &me.id),
    )?))
}

async fn respond_to(
    st: &AppState,
    me: &km_protocol::Me,
    community: &str,
    id: &str,
    status: &str,
) -> ApiResult<Json<Intro>> {
    let mut w = st.store.write().await?;
    let current = load(&mut w.tx, community, id, &me.id).await?;
    if current.to.id != me.id {
        return Err(ApiError::Forbidden(
            "only the receiver answers an intro".into(),
        ));
    }
    sqlx::query("UPDATE intros SET status = $1, responded_at = $2 WHERE id = $3")
        .bind(status)
        .bind(store::now_ms())
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
    let updated = load(&mut w.tx, community, id, &me.id).await?;
    w.commit().await?;
    Ok(Json(updated))
}

/// Accepts an intro (receiver only): both now see each other's contact.
#[utoipa::path(post, path = "/api/v1/intros/{id}/accept", tag = "passions",
    params(("id" = String, Path, description = "intro id")),
    responses((status = 200, body = Intro), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn accept(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Intro>> {
    respond_to(&st, &me, &community, &id, "accepted").await
}

/// Dismisses an intro (receiver only).
#[utoipa::path(post, path = "/api/v1/intros/{id}/dismiss", tag = "passions",
    params(("id" = String, Path, description = "intro id")),
    responses((status = 200, body = Intro), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn dismiss(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Intro>> {
    respond_to(&st, &me, &community, &id, "dismissed").await
}

/// Deletes an intro I sent or received (204).
#[utoipa::path(delete, path = "/api/v1/intros/{id}", tag = "passions",
    params(("id" = String, Path, description = "intro id")),
    responses((status = 204), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    let done = tombstone(
        &mut w.tx,
        &community,
        "id = $3 AND (from_id = $4 OR to_id = $4)",
        &[&id, &me.id],
    )
    .await?;
    if done == 0 {
        return Err(ApiError::NotFound);
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
