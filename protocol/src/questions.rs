//! ask-the-community: questions and answers.

use serde::{Deserialize, Serialize};

use crate::validate::Checker;
use crate::{FieldError, PersonSummary, Validate};

/// Shortest question title.
pub const TITLE_MIN_CHARS: usize = 10;
/// Longest question title.
pub const TITLE_MAX_CHARS: usize = 150;
/// Longest question or answer body (markdown subset).
pub const BODY_MAX_CHARS: usize = 10_000;
/// Most tags on a question.
pub const MAX_TAGS: usize = 5;

/// How urgent a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Whenever someone can.
    #[default]
    Normal,
    /// Needed by `need_by`.
    Urgent,
}

/// Sort orders of the question list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionSort {
    /// Newest first.
    #[default]
    Newest,
    /// Without answers, newest first.
    Unanswered,
    /// Urgent ones, nearest need-by date first.
    Urgent,
    /// Most recent activity first.
    Active,
}

/// `GET /api/v1/questions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct QuestionQuery {
    /// Sort order (default newest).
    #[serde(default)]
    pub sort: QuestionSort,
    /// Only questions with this tag (key or label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A question in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionSummary {
    /// Question id.
    pub id: String,
    /// Title (plain text).
    pub title: String,
    /// Tag labels.
    pub tags: Vec<String>,
    /// Urgency.
    pub urgency: Urgency,
    /// Needed-by date (`YYYY-MM-DD`) for urgent questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_by: Option<String>,
    /// The asker; absent when asked anonymously.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<PersonSummary>,
    /// Whether it was asked anonymously.
    #[serde(default)]
    pub anonymous: bool,
    /// Number of visible answers.
    pub answer_count: i64,
    /// Net votes.
    #[serde(default)]
    pub votes: i64,
    /// Whether an answer was accepted.
    #[serde(default)]
    pub solved: bool,
    /// When it was asked, RFC 3339.
    pub created_at: String,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// Answer id.
    pub id: String,
    /// Body, markdown subset (rendered without raw HTML).
    pub body: String,
    /// Who answered.
    pub author: PersonSummary,
    /// Whether the asker accepted it.
    #[serde(default)]
    pub accepted: bool,
    /// Net votes.
    #[serde(default)]
    pub votes: i64,
    /// When it was posted, RFC 3339.
    pub created_at: String,
}

/// `GET /api/v1/questions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// The list fields.
    #[serde(flatten)]
    pub summary: QuestionSummary,
    /// Details, markdown subset.
    pub body: String,
    /// Answers, the accepted one first.
    pub answers: Vec<Answer>,
}

/// `POST /api/v1/questions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewQuestion {
    /// Title, 10 to 150 characters.
    pub title: String,
    /// Details, markdown subset, up to 10,000 characters.
    #[serde(default)]
    pub body: String,
    /// Up to 5 tag labels.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Urgency.
    #[serde(default)]
    pub urgency: Urgency,
    /// Needed-by date, required when urgent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_by: Option<String>,
    /// Ask without showing my name to others.
    #[serde(default)]
    pub anonymous: bool,
}

impl Validate for NewQuestion {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.text("title", &self.title, TITLE_MIN_CHARS, TITLE_MAX_CHARS)
            .text("body", &self.body, 0, BODY_MAX_CHARS)
            .tags("tags", &self.tags, MAX_TAGS);
        match (&self.urgency, &self.need_by) {
            (Urgency::Urgent, None) => {
                c.push(FieldError::new(
                    "need_by",
                    crate::validate::codes::REQUIRED,
                    "need_by is required for urgent questions",
                ));
            }
            (_, Some(d)) => {
                c.date("need_by", d);
            }
            _ => {}
        }
        c.finish()
    }
}

/// `POST /api/v1/questions/{id}/answers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAnswer {
    /// Body, markdown subset, 1 to 10,000 characters.
    pub body: String,
}

impl Validate for NewAnswer {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        Checker::new()
            .text("body", &self.body, 1, BODY_MAX_CHARS)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgent_question_needs_a_need_by_date() {
        let q = NewQuestion {
            title: "How do we rotate the signing keys?".into(),
            urgency: Urgency::Urgent,
            ..Default::default()
        };
        let errs = q.validate().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "need_by");
    }

    #[test]
    fn short_title_and_too_many_tags_are_reported_per_field() {
        let q = NewQuestion {
            title: "Help?".into(),
            tags: (0..6).map(|i| format!("t{i}")).collect(),
            ..Default::default()
        };
        let fields: Vec<_> = q
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "tags"]);
    }
}
