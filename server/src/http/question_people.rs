//! ask-the-community routing: colleagues whose passion profile says they
//! can teach or love a question's tags, and the asker's invitations to
//! them. Profiles are seen exactly as `GET /matches` sees them: hidden ones
//! never, department-only ones only by the same department, and not at all
//! for an anonymous question (an invitation from a department-only profile's
//! own department would tell the invitee where the asker works).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use km_protocol::Me;
use km_protocol::questions::{Invite, SuggestedPerson};

use crate::AppState;
use crate::db::question_people as db;
use crate::db::questions::{QuestionFacts, facts};
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Signed};
use crate::store::now_ms;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions/{id}/people", get(suggest))
        .route("/questions/{id}/invites", post(invite))
}

/// Most colleagues suggested for one question.
pub const MAX_SUGGESTIONS: usize = 10;

/// `f` when `me` asked the question; a 403 otherwise.
fn asker_only(f: QuestionFacts, me: &Me) -> Result<QuestionFacts, ApiError> {
    if f.author_id != me.id {
        return Err(ApiError::Forbidden(
            "only the asker routes a question to colleagues".into(),
        ));
    }
    Ok(f)
}

/// The department whose department-only profiles the asker of `f` may see
/// here: none for an anonymous question, so that neither the suggestions
/// nor an invitation link the asker to a department.
fn routing_department(f: &QuestionFacts, me: &Me) -> String {
    if f.anonymous {
        String::new()
    } else {
        me.department.clone().unwrap_or_default()
    }
}

/// Who can teach or loves the question's tags: those who teach most of
/// them first. Only the asker asks.
#[utoipa::path(get, path = "/api/v1/questions/{id}/people", tag = "questions",
    params(("id" = String, Path, description = "question id")),
    responses((status = 200, body = Vec<SuggestedPerson>), (status = 403, description = "not the asker")),
    security(("bearer" = [])))]
pub async fn suggest(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SuggestedPerson>>> {
    let mut conn = st.store.pool().acquire().await?;
    let f = asker_only(facts(&mut conn, &community, &id, Some(&me)).await?, &me)?;
    let department = routing_department(&f, &me);
    let mut out = db::suggestions(&mut conn, &community, &id, &me.id, &department, &f.tags).await?;
    out.sort_by(|a, b| {
        (b.teaches.len() * 2 + b.loves.len())
            .cmp(&(a.teaches.len() * 2 + a.loves.len()))
            .then_with(|| a.person.name.cmp(&b.person.name))
    });
    out.truncate(MAX_SUGGESTIONS);
    Ok(Json(out))
}

/// Invites a colleague from the suggestions to answer (the asker; once per
/// colleague). The question then shows in their `filter=invited` list.
#[utoipa::path(post, path = "/api/v1/questions/{id}/invites", tag = "questions",
    request_body = Invite, params(("id" = String, Path, description = "question id")),
    responses((status = 204, description = "invited"), (status = 403, description = "not the asker")),
    security(("bearer" = [])))]
pub async fn invite(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Invite>,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    let f = asker_only(facts(&mut w.tx, &community, &id, Some(&me)).await?, &me)?;
    // Only someone the asker could be suggested: a visible profile.
    let department = routing_department(&f, &me);
    if !db::is_visible(&mut w.tx, &community, &body.person_id, &me.id, &department).await? {
        return Err(ApiError::field(
            "person_id",
            km_protocol::validate::codes::INVALID_FORMAT,
            "no colleague with a visible profile has this id",
        ));
    }
    db::invite(&mut w.tx, &id, &body.person_id, &me.id, now_ms()).await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
