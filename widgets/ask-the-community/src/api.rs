//! Ask the community's HTTP calls.

use km_protocol::Page;
use km_protocol::questions::QuestionSummary;
use km_widgets_core::api::with_query;
use km_widgets_core::{Api, ApiError};

/// The path of `GET /questions` for a page of `limit` questions, optionally
/// only those tagged `tag`. The default sort (newest) is the server's
/// default, so no `sort` parameter is sent for it.
pub fn questions_path(limit: u32, tag: Option<&str>) -> String {
    let tag = tag.map(str::trim).filter(|t| !t.is_empty());
    with_query(
        "/questions",
        &[
            ("limit", Some(limit.to_string())),
            ("tag", tag.map(str::to_owned)),
        ],
    )
}

/// `GET /api/v1/questions`: the newest questions (anonymous reads allowed
/// when the server allows them).
pub async fn list_questions(
    api: &Api,
    limit: u32,
    tag: Option<&str>,
) -> Result<Page<QuestionSummary>, ApiError> {
    api.get(&questions_path(limit, tag)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_is_the_default_and_sends_no_sort() {
        assert_eq!(questions_path(10, None), "/questions?limit=10");
        assert_eq!(
            questions_path(5, Some("Onboarding & HR")),
            "/questions?limit=5&tag=Onboarding%20%26%20HR"
        );
        assert_eq!(questions_path(5, Some(" ")), "/questions?limit=5");
    }
}
