//! The story-board's HTTP calls (the submission goes through the core
//! outbox: see [`STORIES_PATH`]).

use km_protocol::stories::{Applause, FeatureRequest, Goal, Impact, Story, StorySort, StoryStatus};
use km_protocol::{Me, Page};
use km_widgets_core::api::with_query;
use km_widgets_core::{Api, ApiError, HttpMethod};

use crate::model::sort_value;

/// `POST /stories` (sent through the outbox with an Idempotency-Key).
pub const STORIES_PATH: &str = "/stories";

/// The board's filters and order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFilter {
    /// Goal id.
    pub goal: Option<String>,
    /// Team name.
    pub team: Option<String>,
    /// Tag label.
    pub tag: Option<String>,
    /// From this date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Order.
    pub sort: StorySort,
    /// Page size.
    pub limit: u32,
}

fn nonblank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl StoryFilter {
    fn filters(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("goal", nonblank(&self.goal)),
            ("team", nonblank(&self.team)),
            ("tag", nonblank(&self.tag)),
            ("from", nonblank(&self.from)),
        ]
    }
}

/// The path of `GET /stories` for `filter` (`status=submitted` for the review queue).
pub fn stories_path(filter: &StoryFilter, status: StoryStatus) -> String {
    let mut q = filter.filters();
    if filter.sort != StorySort::Newest {
        q.push(("sort", Some(sort_value(filter.sort).to_owned())));
    }
    if status == StoryStatus::Submitted {
        q.push(("status", Some("submitted".to_owned())));
    }
    q.push(("limit", Some(filter.limit.to_string())));
    with_query(STORIES_PATH, &q)
}

/// The path of `GET /stories/impact` or `/stories/export.csv` (`report`) for `filter`.
pub fn report_path(report: &str, filter: &StoryFilter) -> String {
    with_query(&format!("/stories/{report}"), &filter.filters())
}

/// `GET /api/v1/stories`.
pub async fn list_stories(
    api: &Api,
    filter: &StoryFilter,
    status: StoryStatus,
) -> Result<Page<Story>, ApiError> {
    api.get(&stories_path(filter, status)).await
}

/// `GET /api/v1/goals` (the first hundred: an organization has a handful).
pub async fn goals(api: &Api) -> Result<Page<Goal>, ApiError> {
    api.get("/goals?limit=100").await
}

/// `GET /api/v1/me` (who may moderate).
pub async fn me(api: &Api) -> Result<Me, ApiError> {
    api.get("/me").await
}

/// `GET /api/v1/stories/impact`.
pub async fn impact(api: &Api, filter: &StoryFilter) -> Result<Impact, ApiError> {
    api.get(&report_path("impact", filter)).await
}

/// `GET /api/v1/stories/export.csv` as text.
pub async fn export_csv(api: &Api, filter: &StoryFilter) -> Result<String, ApiError> {
    api.request(
        HttpMethod::Get,
        &report_path("export.csv", filter),
        None,
        None,
    )
    .await
}

/// `PUT` (applaud) or `DELETE` (take back) `/stories/{id}/applause`.
pub async fn applaud(api: &Api, id: &str, on: bool) -> Result<Applause, ApiError> {
    let path = format!(
        "/stories/{}/applause",
        km_widgets_core::api::encode_query(id)
    );
    let method = if on {
        HttpMethod::Put
    } else {
        HttpMethod::Delete
    };
    api.send(method, &path, &(), None).await
}

/// `POST /stories/{id}/publish` (moderators).
pub async fn publish(api: &Api, id: &str) -> Result<Story, ApiError> {
    let path = format!(
        "/stories/{}/publish",
        km_widgets_core::api::encode_query(id)
    );
    api.send(HttpMethod::Post, &path, &(), None).await
}

/// `PUT /stories/{id}/featured` (moderators).
pub async fn feature(api: &Api, id: &str, featured: bool) -> Result<Story, ApiError> {
    let path = format!(
        "/stories/{}/featured",
        km_widgets_core::api::encode_query(id)
    );
    api.send(HttpMethod::Put, &path, &FeatureRequest { featured }, None)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_query_parameters() {
        let f = StoryFilter {
            goal: Some("g1".into()),
            team: Some(" ".into()),
            tag: Some("Power Automate".into()),
            limit: 3,
            ..Default::default()
        };
        assert_eq!(
            stories_path(&f, StoryStatus::Published),
            "/stories?goal=g1&tag=Power%20Automate&limit=3"
        );
        let f = StoryFilter {
            sort: StorySort::LargestImprovement,
            from: Some("2026-01-01".into()),
            limit: 6,
            ..Default::default()
        };
        assert_eq!(
            stories_path(&f, StoryStatus::Submitted),
            "/stories?from=2026-01-01&sort=largest_improvement&status=submitted&limit=6"
        );
        assert_eq!(
            report_path("export.csv", &f),
            "/stories/export.csv?from=2026-01-01"
        );
    }
}
