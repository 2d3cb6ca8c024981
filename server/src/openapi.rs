//! The OpenAPI 3.1 document of the contract, generated from the km-protocol
//! types and the handlers' `#[utoipa::path]`s. Served at
//! `/api/openapi.json`; committed as `protocol/openapi.json` (regenerate
//! with `cargo xtask openapi`; a test fails when it is stale).

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http;

/// The contract's OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "km-widgets JSON contract",
        description = "The API the km widgets speak. Errors are RFC 9457 problem+json with \
            per-field `errors`; lists are cursor-paginated (`next_cursor`); identity is a \
            portal-signed JWT in `Authorization: Bearer`; `X-Km-Community` scopes content \
            (default `default`); writes accept an `Idempotency-Key`.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        http::me::me,
        http::sign_in::info, http::sign_in::refresh, http::sign_in::sign_out,
        http::tags::list, http::tags::set_synonym,
        http::profiles::get_mine, http::profiles::put_mine, http::profiles::list,
        http::profiles::delete_mine,
        http::matches::matches,
        http::intros::send, http::intros::list, http::intros::accept, http::intros::dismiss,
        http::intros::remove,
        http::circles::list, http::circles::join, http::circles::leave, http::circles::members,
        http::questions::list, http::questions::ask, http::questions::one,
        http::questions::similar, http::questions::edit, http::answers::answer, http::answers::edit,
        http::answers::accept, http::answers::vote_question, http::answers::unvote_question,
        http::answers::vote_answer, http::answers::unvote_answer, http::answers::follow,
        http::answers::unfollow, http::question_people::suggest, http::question_people::invite,
        http::question_moderation::hide_question, http::question_moderation::hide_answer,
        http::question_moderation::duplicate, http::question_moderation::retag,
        http::question_moderation::changes,
        http::prompts::today, http::reflections::write, http::reflections::mine,
        http::prompts::skip, http::reflection_settings::get_mine, http::reflection_settings::put_mine,
        http::reflections::share, http::reflection_feed::feed, http::reflection_feed::react,
        http::reflection_feed::unreact, http::journal::summary, http::journal::export,
        http::journal::delete_all, http::reminders::due, http::prompt_sets::list,
        http::prompt_sets::create, http::prompt_sets::prompts, http::prompt_sets::add_prompt,
        http::goals::list, http::stories::list,
        http::goals::create, http::goals::update, http::goals::remove,
        http::stories::submit, http::stories::one, http::stories::edit,
        http::story_moderation::publish, http::story_moderation::feature,
        http::story_moderation::applaud, http::story_moderation::unapplaud,
        http::story_reports::impact, http::story_reports::export,
        http::demo::people, http::demo::token,
    ),
    components(schemas(
        km_protocol::Problem, km_protocol::FieldError, km_protocol::Me,
        // Query parameter types: utoipa does not collect these by itself.
        km_protocol::questions::QuestionSort, km_protocol::questions::QuestionFilter,
        km_protocol::stories::StorySort,
    )),
    modifiers(&Bearer),
    tags(
        (name = "identity", description = "Who is calling"),
        (name = "tags", description = "The shared tag vocabulary"),
        (name = "passions", description = "passion-match profiles"),
        (name = "questions", description = "ask-the-community"),
        (name = "reflections", description = "reflection-prompt"),
        (name = "stories", description = "story-board"),
        (name = "demo", description = "Demo mode only"),
    )
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The error responses every operation shares, by status: one definition
/// each under `components/responses`, all `application/problem+json`.
const PROBLEMS: &[(u16, &str, &str)] = &[
    (
        400,
        "BadRequest",
        "The request could not be read: malformed JSON, a query parameter or \
         header (`X-Km-Community`, `Idempotency-Key`) of the wrong form, a bad cursor.",
    ),
    (
        401,
        "Unauthorized",
        "No valid bearer token where one is needed, or an invalid one.",
    ),
    (
        403,
        "Forbidden",
        "The caller is known but may not do this (role, owner or state).",
    ),
    (
        404,
        "NotFound",
        "Nothing here, or nothing the caller may see.",
    ),
    (
        409,
        "Conflict",
        "The request conflicts with the current state.",
    ),
    (
        413,
        "TooLarge",
        "The request body is larger than the server accepts.",
    ),
    (
        422,
        "Validation",
        "The body or a parameter broke a rule (or an `Idempotency-Key` was \
         reused for a different request); `errors` names each field.",
    ),
    (
        429,
        "TooManyRequests",
        "A rate or daily limit was reached (`type` names it): try again after \
         `Retry-After` seconds (also `retry_after` in the problem).",
    ),
    (
        500,
        "ServerError",
        "Unexpected failure; the details are logged, never sent.",
    ),
];

/// The finished document: the derived one, with every error response
/// replaced by a reference to its shared problem response and the errors
/// the shared extractors can send added to each operation:
/// - any operation: 400 (headers, query), 401 (a broken token), 500;
/// - with a path parameter: 404 (no such thing);
/// - with a body: 413 and 422 (field by field);
/// - with query parameters: 422 (a value out of its range);
///
/// Statuses only some handlers send (403, 409, 404 without a path
/// parameter) are listed in their `#[utoipa::path]`.
pub fn document() -> serde_json::Value {
    use serde_json::{Value, json};
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let mut responses = serde_json::Map::new();
    for (status, name, description) in PROBLEMS {
        let mut response = json!({
            "description": description,
            "content": { km_protocol::PROBLEM_CONTENT_TYPE: {
                "schema": { "$ref": "#/components/schemas/Problem" }
            }},
        });
        if *status == 429 {
            response["headers"] = json!({ "Retry-After": {
                "description": "Seconds to wait",
                "schema": { "type": "integer", "minimum": 0 },
            }});
        }
        responses.insert((*name).to_owned(), response);
    }
    doc["components"]["responses"] = Value::Object(responses);
    // A rule between fields that utoipa cannot derive: an urgent question
    // needs a `need_by` date (`NewQuestion::validate`).
    if let Some(q) = doc["components"]["schemas"]["NewQuestion"].as_object_mut() {
        q.insert(
            "if".into(),
            json!({ "properties": { "urgency": { "const": "urgent" } }, "required": ["urgency"] }),
        );
        q.insert(
            "then".into(),
            json!({ "properties": { "need_by": { "type": "string" } }, "required": ["need_by"] }),
        );
    }
    let reference = |status: u16| -> Option<Value> {
        PROBLEMS
            .iter()
            .find(|(s, _, _)| *s == status)
            .map(|(_, name, _)| json!({ "$ref": format!("#/components/responses/{name}") }))
    };
    let Some(paths) = doc["paths"].as_object_mut() else {
        return doc;
    };
    for (path, item) in paths.iter_mut() {
        let route = path.trim_start_matches(km_protocol::API_PREFIX).to_owned();
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            // The writes `rate_limit` limits, from its own route table, so
            // the document and the limiter cannot disagree.
            let limited = method
                .to_uppercase()
                .parse::<axum::http::Method>()
                .ok()
                .is_some_and(|m| crate::rate_limit::kind_of(&m, &route).is_some());
            // The rule of the `IdempotencyKey` extractor, in one place.
            for p in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if p["in"] == "header" && p["name"] == km_protocol::IDEMPOTENCY_HEADER {
                    p["schema"] = json!({
                        "type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[!-~]+$",
                    });
                    p["description"] = json!(
                        "1-128 visible ASCII characters, one key per submission: a retry \
                         with the same key and body replays the first answer"
                    );
                }
            }
            let params: Vec<(String, String)> = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        p["in"].as_str().unwrap_or_default().to_owned(),
                        p["name"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
            let mut wanted = vec![400, 401, 500];
            if params.iter().any(|(at, _)| at == "path") {
                wanted.push(404);
            }
            if op.contains_key("requestBody") {
                wanted.extend([413, 422]);
            }
            if params.iter().any(|(at, _)| at == "query") {
                wanted.push(422);
            }
            if limited {
                wanted.push(429);
            }
            let Some(resp) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for status in wanted {
                resp.entry(status.to_string()).or_insert(Value::Null);
            }
            for (status, r) in resp.iter_mut() {
                let code: u16 = status.parse().unwrap_or(0);
                if code >= 400 {
                    // A status without a shared response is a mistake here:
                    // the document test below names it.
                    if let Some(shared) = reference(code) {
                        *r = shared;
                    }
                }
            }
        }
    }
    doc
}

/// The document as pretty JSON (what `km-server openapi` prints).
pub fn document_json() -> String {
    serde_json::to_string_pretty(&document()).unwrap_or_default()
}

/// `GET /api/openapi.json`.
pub async fn serve() -> Json<serde_json::Value> {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    Json(DOC.get_or_init(document).clone())
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_openapi_document_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../protocol/openapi.json");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed.trim_end() == super::document_json().trim_end(),
            "protocol/openapi.json is stale: run `cargo xtask openapi` and commit it"
        );
    }

    #[test]
    fn every_error_status_has_a_shared_problem_response() {
        let doc = super::document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for (status, r) in op["responses"].as_object().unwrap() {
                    if status.as_str() >= "400" {
                        assert!(
                            r["$ref"].is_string(),
                            "{method} {path} {status}: add it to PROBLEMS"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_document_is_openapi_3_1_with_every_route() {
        let doc: serde_json::Value = serde_json::from_str(&super::document_json()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        for p in [
            "/api/v1/me",
            "/api/v1/tags",
            "/api/v1/questions/{id}",
            "/api/v1/stories",
            "/api/v1/stories/{id}/applause",
            "/api/v1/stories/impact",
            "/api/v1/stories/export.csv",
            "/api/v1/goals/{id}",
        ] {
            assert!(doc["paths"][p].is_object(), "{p} missing");
        }
        // Limited writes document their 429 (issue 10 item 7), with its
        // Retry-After.
        let ask = &doc["paths"]["/api/v1/questions"]["post"]["responses"]["429"];
        assert_eq!(
            ask["$ref"], "#/components/responses/TooManyRequests",
            "{ask}"
        );
        let shared = &doc["components"]["responses"]["TooManyRequests"];
        assert!(shared["headers"]["Retry-After"].is_object(), "{shared}");
    }
}
