//! The story-board's HTTP calls.

use km_protocol::Page;
use km_protocol::stories::Story;
use km_widgets_core::api::with_query;
use km_widgets_core::{Api, ApiError};

/// Filters of the board, from the widget's attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryFilter {
    /// Goal id.
    pub goal: Option<String>,
    /// Team name.
    pub team: Option<String>,
    /// Page size.
    pub limit: u32,
}

/// The path of `GET /stories` for `filter`.
pub fn stories_path(filter: &StoryFilter) -> String {
    with_query(
        "/stories",
        &[
            ("goal", filter.goal.clone()),
            ("team", filter.team.clone()),
            ("limit", Some(filter.limit.to_string())),
        ],
    )
}

/// `GET /api/v1/stories`: published stories, newest first.
pub async fn list_stories(api: &Api, filter: &StoryFilter) -> Result<Page<Story>, ApiError> {
    api.get(&stories_path(filter)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_query_parameters() {
        let f = StoryFilter {
            goal: Some("g1".into()),
            team: None,
            limit: 3,
        };
        assert_eq!(stories_path(&f), "/stories?goal=g1&limit=3");
    }
}
