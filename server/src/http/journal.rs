//! reflection-prompt: my journal beyond the timeline: the cadence summary
//! (periods with at least one reflection), the export of everything I
//! wrote (JSON or Markdown), and deleting all of it. Every query here is
//! filtered on the caller as author: there is no way to read, count or
//! export someone else's reflections.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use km_protocol::reflections::{
    Cadence, Deleted, PeriodCount, Reflection, ReflectionExport, ReflectionSummary,
    ReflectionVisibility,
};
use km_protocol::{Me, PersonSummary};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::db::reflection_settings::settings_of;
use crate::db::reflections as db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Community, Query, Signed};
use crate::http::reflection_settings::zone;
use crate::prompts::{self, by_id};
use crate::store::{now_ms, rfc3339};

/// The routes of this module (`DELETE /reflections/mine` is routed with
/// `GET` in [`crate::http::reflections`]).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reflections/mine/summary", get(summary))
        .route("/reflections/mine/export", get(export))
}

/// Query of `GET /reflections/mine/summary`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct SummaryQuery {
    /// The browser's time zone (overrides the stored one for this answer).
    #[param(max_length = 64)]
    pub tz: Option<String>,
}

/// My cadence at a glance: the periods (in my cadence and time zone) in
/// which I wrote at least one reflection, newest first.
#[utoipa::path(get, path = "/api/v1/reflections/mine/summary", tag = "reflections",
    params(SummaryQuery),
    responses((status = 200, body = ReflectionSummary)),
    security(("bearer" = [])))]
pub async fn summary(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<Json<ReflectionSummary>> {
    let mut conn = st.store.pool().acquire().await?;
    let mut settings = settings_of(&mut conn, &community, &me.id).await?;
    if let Some(tz) = q.tz.as_deref().filter(|s| !s.trim().is_empty()) {
        settings.time_zone = tz.trim().to_owned();
    }
    let tz = zone("tz", &settings.time_zone)?;
    let weekday = (settings.cadence == Cadence::Weekday).then(|| settings.weekday.unwrap_or(1));
    let times = db::my_times(&mut conn, &community, &me.id).await?;
    drop(conn);
    let mut periods: Vec<PeriodCount> = Vec::new();
    for &at in &times {
        let name = prompts::period(at, settings.cadence, weekday, &tz).name;
        match periods.last_mut() {
            Some(last) if last.period == name => last.count += 1,
            _ => periods.push(PeriodCount {
                period: name,
                count: 1,
            }),
        }
    }
    let current = prompts::period(now_ms(), settings.cadence, weekday, &tz);
    // `times` holds every reflection of mine: no second statement asks.
    let done = times
        .iter()
        .any(|&t| (current.start_ms..current.end_ms).contains(&t));
    Ok(Json(ReflectionSummary {
        settings,
        current_period: current.name,
        done,
        total: times.len() as i64,
        periods,
    }))
}

/// Query of `GET /reflections/mine/export`.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `json` (default) or `markdown`.
    #[param(pattern = "^(json|markdown)$")]
    pub format: Option<String>,
    /// Language of the Markdown headings and prompts: `en` (default) or `nl`.
    pub lang: Option<String>,
}

/// Everything I wrote, newest first: a `ReflectionExport` as JSON, or a
/// Markdown document (`text/markdown`), each as a download.
#[utoipa::path(get, path = "/api/v1/reflections/mine/export", tag = "reflections",
    params(ExportQuery),
    responses((status = 200, description = "JSON, or Markdown with format=markdown",
                content((ReflectionExport = "application/json"), (String = "text/markdown")))),
    security(("bearer" = [])))]
pub async fn export(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let mut conn = st.store.pool().acquire().await?;
    let items = db::all_mine(&mut conn, &community, &me.id).await?;
    drop(conn);
    let (body, kind, file) = match q.format.as_deref().unwrap_or("json") {
        "json" => {
            let doc = ReflectionExport {
                exported_at: rfc3339(now_ms()),
                person: person(&me),
                reflections: items,
            };
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            (text, "application/json", "reflections.json")
        }
        "markdown" | "md" => (
            markdown(&me, &items, q.lang.as_deref().unwrap_or("en")),
            "text/markdown; charset=utf-8",
            "reflections.md",
        ),
        other => {
            return Err(ApiError::field(
                "format",
                km_protocol::validate::codes::INVALID_FORMAT,
                format!("unknown format {other:?}: use json or markdown"),
            ));
        }
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

fn person(me: &Me) -> PersonSummary {
    PersonSummary {
        id: me.id.clone(),
        name: me.name.clone(),
        department: me.department.clone(),
    }
}

/// The Markdown export: a heading per reflection (its date and who could
/// read it), the prompt it answered as a quote, the text, the tags.
pub fn markdown(me: &Me, items: &[Reflection], lang: &str) -> String {
    let nl = lang.starts_with("nl");
    let w = |en: &'static str, nl_text: &'static str| if nl { nl_text } else { en };
    let mut out = format!(
        "# {} — {}\n\n{} {}\n",
        w("Reflections", "Reflecties"),
        me.name,
        items.len(),
        w("reflections", "reflecties"),
    );
    for r in items {
        let vis = match r.visibility {
            ReflectionVisibility::Private => w("only me", "alleen ik"),
            ReflectionVisibility::Shared => w("shared with my name", "gedeeld met mijn naam"),
            ReflectionVisibility::Anonymous => {
                w("shared without my name", "gedeeld zonder mijn naam")
            }
        };
        let date = r.created_at.get(..10).unwrap_or(&r.created_at);
        out.push_str(&format!("\n## {date} ({vis})\n\n"));
        if let Some(p) = r.prompt_id.as_deref().and_then(by_id) {
            out.push_str(&format!("> {}\n\n", if nl { p.nl } else { p.en }));
        }
        out.push_str(r.body.trim_end());
        out.push('\n');
        let mut meta = Vec::new();
        if let Some(e) = r.energy {
            meta.push(format!("{}: {e}/5", w("Energy", "Energie")));
        }
        if !r.tags.is_empty() {
            meta.push(format!("{}: {}", w("Tags", "Tags"), r.tags.join(", ")));
        }
        if !meta.is_empty() {
            out.push_str(&format!("\n*{}*\n", meta.join(" · ")));
        }
    }
    out
}

/// Deletes all my reflections (with their tags and reactions) in this
/// community. The widget asks for a confirmation first.
#[utoipa::path(delete, path = "/api/v1/reflections/mine", tag = "reflections",
    responses((status = 200, body = Deleted)),
    security(("bearer" = [])))]
pub async fn delete_all(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
) -> ApiResult<Json<Deleted>> {
    let mut w = st.store.write().await?;
    let deleted = db::delete_all_mine(&mut w.tx, &community, &me.id).await?;
    w.commit().await?;
    Ok(Json(Deleted {
        deleted: deleted as i64,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_export_has_dates_prompts_text_and_tags() {
        let me = Me {
            id: "u1".into(),
            name: "Anna".into(),
            email: None,
            department: None,
            roles: vec![],
        };
        let r = Reflection {
            id: "r1".into(),
            prompt_id: Some("seek-experience-1".into()),
            body: "Tried pairing.".into(),
            energy: Some(4),
            tags: vec!["Rust".into()],
            visibility: ReflectionVisibility::Anonymous,
            author: None,
            created_at: "2026-11-22T10:00:00Z".into(),
            reactions: Default::default(),
            my_reactions: vec![],
        };
        let md = markdown(&me, &[r], "nl");
        assert!(md.starts_with("# Reflecties — Anna"));
        assert!(md.contains("## 2026-11-22 (gedeeld zonder mijn naam)"));
        assert!(md.contains("> Wat heb je deze week geprobeerd"));
        assert!(md.contains("Tried pairing."));
        assert!(md.contains("*Energie: 4/5 · Tags: Rust*"));
    }
}
