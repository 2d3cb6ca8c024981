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
    components(schemas(km_protocol::Problem, km_protocol::FieldError, km_protocol::Me)),
    modifiers(&Bearer, &RateLimited),
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

/// Adds the 429 of [`crate::rate_limit`] to every write it limits, from
/// the same route table ([`crate::rate_limit::kind_of`]), so the document
/// and the limiter cannot disagree.
struct RateLimited;

impl Modify for RateLimited {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::{ContentBuilder, HeaderBuilder, Ref, ResponseBuilder};
        let response = ResponseBuilder::new()
            .description(
                "Too many writes of this kind by this person: try again after `Retry-After` \
                 seconds (also `retry_after` in the problem)",
            )
            .content(
                km_protocol::PROBLEM_CONTENT_TYPE,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(ObjectBuilder::new().schema_type(Type::Integer))
                    .description(Some("Seconds to wait"))
                    .build(),
            )
            .build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let route = path.trim_start_matches(km_protocol::API_PREFIX);
            for (method, op) in [
                (axum::http::Method::POST, &mut item.post),
                (axum::http::Method::PUT, &mut item.put),
            ] {
                if let Some(op) = op
                    && crate::rate_limit::kind_of(&method, route).is_some()
                {
                    op.responses
                        .responses
                        .insert("429".to_owned(), response.clone().into());
                }
            }
        }
    }
}

/// The document as pretty JSON (what `km-server openapi` prints).
pub fn document_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

/// `GET /api/openapi.json`.
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
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
        // Limited writes document their 429 (issue 10 item 7).
        let ask = &doc["paths"]["/api/v1/questions"]["post"]["responses"]["429"];
        assert!(ask["headers"]["Retry-After"].is_object(), "{ask}");
    }
}
