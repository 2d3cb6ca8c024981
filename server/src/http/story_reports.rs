//! story-board reports for leadership: the impact summary (per goal and
//! unit, per story, per month) and the CSV export of stories and metrics.
//! Both cover published stories only, with the board's filters.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::stories::{Impact, ImpactQuery, Story};

use crate::AppState;
use crate::db::stories::{Filter, published};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Reader};
use crate::impact::{CSV_HEADER, csv_rows, impact as summarize};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stories/impact", get(impact))
        .route("/stories/export.csv", get(export))
}

async fn matching(
    st: &AppState,
    me: &Option<km_protocol::Me>,
    community: &str,
    q: &ImpactQuery,
) -> Result<Vec<Story>, ApiError> {
    let mut conn = st.store.pool().acquire().await?;
    let f = Filter::resolve(
        &mut conn,
        community,
        q.goal.as_deref(),
        q.team.as_deref(),
        q.tag.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )
    .await?;
    let viewer = me.as_ref().map_or("", |m| m.id.as_str());
    published(&mut conn, community, &f, viewer).await
}

/// The impact of published stories: per goal the number of stories and per
/// unit the total and median improvement (units never added together;
/// lower-is-better metrics count a drop as improvement); each story's
/// headline improvement; stories per month.
#[utoipa::path(get, path = "/api/v1/stories/impact", tag = "stories", params(ImpactQuery),
    responses((status = 200, body = Impact)))]
pub async fn impact(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Query(q): Query<ImpactQuery>,
) -> ApiResult<Json<Impact>> {
    let stories = matching(&st, &me, &community, &q).await?;
    let mut conn = st.store.pool().acquire().await?;
    let goals = crate::db::goals::all(&mut conn, &community).await?;
    Ok(Json(summarize(&stories, &goals)))
}

/// Published stories and their metrics as CSV (RFC 4180, UTF-8), one row
/// per metric, for a spreadsheet.
#[utoipa::path(get, path = "/api/v1/stories/export.csv", tag = "stories", params(ImpactQuery),
    responses((status = 200, content_type = "text/csv", body = String,
               description = "one row per metric; header row first")))]
pub async fn export(
    State(st): State<AppState>,
    Reader(me): Reader,
    Community(community): Community,
    Query(q): Query<ImpactQuery>,
) -> ApiResult<Response> {
    let stories = matching(&st, &me, &community, &q).await?;
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for s in &stories {
        for row in csv_rows(s, s.practice.as_str()) {
            out.push_str(&row);
            out.push_str("\r\n");
        }
    }
    let today = crate::store::rfc3339(crate::store::now_ms());
    let name = format!(
        "attachment; filename=\"km-stories-{community}-{}.csv\"",
        today.get(0..10).unwrap_or("export")
    );
    let mut res = out.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
