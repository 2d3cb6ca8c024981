//! ask-the-community routing: colleagues whose passion profile says they
//! can teach or love a question's tags, and the asker's invitations to
//! them. Profiles are seen exactly as `GET /matches` sees them: hidden ones
//! never, department-only ones only by the same department, and not at all
//! for an anonymous question (an invitation from a department-only profile's
//! own department would tell the invitee where the asker works).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use km_protocol::questions::{Invite, SuggestedPerson};
use km_protocol::{Me, PersonSummary};
use sqlx::{AnyConnection, Row};

use super::questions::{QuestionFacts, facts, record};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Community, Signed};
use crate::store::now_ms;
use crate::tag_vocabulary::labels_from_json;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/questions/{id}/people", get(suggest))
        .route("/questions/{id}/invites", post(invite))
}

/// Most colleagues suggested for one question.
pub const MAX_SUGGESTIONS: usize = 10;

/// Profiles `me` may see, as in `GET /matches` (`$3` = my department).
const VISIBLE: &str = "(pr.visibility = 'organization' \
     OR (pr.visibility = 'department' AND $3 <> '' AND pe.department = $3))";

async fn asker_only(
    conn: &mut AnyConnection,
    community: &str,
    id: &str,
    me: &Me,
) -> Result<QuestionFacts, ApiError> {
    let f = facts(conn, community, id, Some(me)).await?;
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
    responses((status = 200, body = Vec<SuggestedPerson>), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn suggest(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SuggestedPerson>>> {
    let mut conn = st.store.pool().acquire().await?;
    let f = asker_only(&mut conn, &community, &id, &me).await?;
    let labels: String = sqlx::query("SELECT tags FROM questions WHERE id = $1")
        .bind(&id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("tags")?;
    let labels = labels_from_json(&labels);
    let rows = sqlx::query(&format!(
        "SELECT pa.person_id, pa.level, t.label, pe.name, pe.department, \
           (SELECT COUNT(*) FROM question_invites i WHERE i.question_id = $4 \
              AND i.invitee_id = pa.person_id) AS invited \
         FROM passions pa \
         JOIN tag_links l ON l.community = pa.community AND l.kind = 'question' \
              AND l.ref_id = $4 AND l.tag_key = pa.tag_key \
         JOIN tags t ON t.community = pa.community AND t.key = pa.tag_key \
         JOIN profiles pr ON pr.community = pa.community AND pr.person_id = pa.person_id \
         JOIN people pe ON pe.id = pa.person_id \
         WHERE pa.community = $1 AND pa.person_id <> $2 AND {VISIBLE} \
           AND pa.level IN ('teach', 'love')"
    ))
    .bind(&community)
    .bind(&me.id)
    .bind(routing_department(&f, &me))
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_person: BTreeMap<String, SuggestedPerson> = BTreeMap::new();
    for r in rows {
        let pid: String = r.try_get("person_id")?;
        let s = by_person.entry(pid.clone()).or_insert(SuggestedPerson {
            person: PersonSummary {
                id: pid,
                name: r.try_get("name")?,
                department: r.try_get("department")?,
            },
            teaches: Vec::new(),
            loves: Vec::new(),
            invited: r.try_get::<i64, _>("invited")? > 0,
        });
        let label: String = r.try_get("label")?;
        if r.try_get::<String, _>("level")? == "teach" {
            s.teaches.push(label);
        } else {
            s.loves.push(label);
        }
    }
    // Tags in the question's order, so lists read the same everywhere.
    let pos = |l: &String| labels.iter().position(|x| x == l).unwrap_or(usize::MAX);
    let mut out: Vec<SuggestedPerson> = by_person.into_values().collect();
    for s in &mut out {
        s.teaches.sort_by_key(pos);
        s.loves.sort_by_key(pos);
    }
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
    responses((status = 204, description = "invited"), (status = 403, body = km_protocol::Problem),
              (status = 404, body = km_protocol::Problem), (status = 422, body = km_protocol::Problem)),
    security(("bearer" = [])))]
pub async fn invite(
    State(st): State<AppState>,
    Signed(me): Signed,
    Community(community): Community,
    Path(id): Path<String>,
    extract::Json(body): extract::Json<Invite>,
) -> ApiResult<StatusCode> {
    let mut w = st.store.write().await?;
    let f = asker_only(&mut w.tx, &community, &id, &me).await?;
    // Only someone the asker could be suggested: a visible profile.
    let visible = sqlx::query(&format!(
        "SELECT 1 FROM profiles pr JOIN people pe ON pe.id = pr.person_id \
         WHERE pr.community = $1 AND pr.person_id = $2 AND pr.person_id <> $4 AND {VISIBLE}"
    ))
    .bind(&community)
    .bind(&body.person_id)
    .bind(routing_department(&f, &me))
    .bind(&me.id)
    .fetch_optional(&mut *w.tx)
    .await?
    .is_some();
    if !visible {
        return Err(ApiError::field(
            "person_id",
            km_protocol::validate::codes::INVALID_FORMAT,
            "no colleague with a visible profile has this id",
        ));
    }
    let now = now_ms();
    let n = sqlx::query(
        "INSERT INTO question_invites (question_id, invitee_id, inviter_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (question_id, invitee_id) DO NOTHING",
    )
    .bind(&id)
    .bind(&body.person_id)
    .bind(&me.id)
    .bind(now)
    .execute(&mut *w.tx)
    .await?
    .rows_affected();
    if n > 0 {
        record(&mut w.tx, &id, None, &me.id, "invited", now).await?;
    }
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
