//! story-board: success stories with numbers.

use serde::{Deserialize, Serialize};

use crate::validate::{Checker, codes};
use crate::{FieldError, PersonSummary, Validate};

/// Longest story title.
pub const TITLE_MAX_CHARS: usize = 120;
/// Longest situation / result text.
pub const TEXT_MAX_CHARS: usize = 4_000;
/// Most metrics on a story.
pub const MAX_METRICS: usize = 6;

/// A company or team goal an admin keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Goal {
    /// Goal id.
    pub id: String,
    /// Name (`Faster customer support`).
    pub name: String,
}

/// The knowledge practice that made the difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Practice {
    /// An existing article was reused.
    ReusedArticle,
    /// A community answer.
    CommunityAnswer,
    /// A new knowledge article.
    NewArticle,
    /// Mentoring.
    Mentoring,
    /// Something else.
    #[default]
    Other,
}

/// A before/after measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metric {
    /// What is measured (`Time to resolve`).
    pub label: String,
    /// Unit (`h`, `%`, `tickets/week`); improvements are only added up per unit.
    pub unit: String,
    /// Value at the baseline date.
    pub baseline: f64,
    /// Value now.
    pub current: f64,
    /// Whether a higher value is better (satisfaction) or lower (handling time).
    #[serde(default = "yes")]
    pub higher_is_better: bool,
    /// Baseline date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_date: Option<String>,
    /// Date of the current value, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_date: Option<String>,
}

fn yes() -> bool {
    true
}

impl Metric {
    /// Relative improvement in percent, positive when better
    /// (`None` when the baseline is zero).
    pub fn improvement_pct(&self) -> Option<f64> {
        if self.baseline == 0.0 {
            return None;
        }
        let change = (self.current - self.baseline) / self.baseline.abs() * 100.0;
        Some(if self.higher_is_better {
            change
        } else {
            -change
        })
    }
}

/// Publication state of a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StoryStatus {
    /// Waiting for a moderator.
    #[default]
    Submitted,
    /// On the board.
    Published,
}

/// A story on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Story {
    /// Story id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The goal it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
    /// The situation before.
    pub situation: String,
    /// The practice that made the difference.
    pub practice: Practice,
    /// The result.
    pub result: String,
    /// The numbers.
    pub metrics: Vec<Metric>,
    /// Team.
    #[serde(default)]
    pub team: String,
    /// Tag labels.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Who submitted it.
    pub author: PersonSummary,
    /// Submitted or published.
    pub status: StoryStatus,
    /// Number of applause.
    #[serde(default)]
    pub applause: i64,
    /// When it was submitted, RFC 3339.
    pub created_at: String,
}

/// `GET /api/v1/stories`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct StoryQuery {
    /// Only stories of this goal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// Only stories of this team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// `POST /api/v1/stories`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStory {
    /// Title.
    pub title: String,
    /// Goal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_id: Option<String>,
    /// Situation before.
    pub situation: String,
    /// Practice.
    #[serde(default)]
    pub practice: Practice,
    /// Result.
    pub result: String,
    /// The numbers; at least one.
    pub metrics: Vec<Metric>,
    /// Team.
    #[serde(default)]
    pub team: String,
    /// Tag labels.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Validate for NewStory {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.text("title", &self.title, 5, TITLE_MAX_CHARS)
            .text("situation", &self.situation, 1, TEXT_MAX_CHARS)
            .text("result", &self.result, 1, TEXT_MAX_CHARS)
            .text("team", &self.team, 0, 80)
            .tags("tags", &self.tags, 5)
            .count("metrics", self.metrics.len(), MAX_METRICS);
        if self.metrics.is_empty() {
            c.push(FieldError::new(
                "metrics",
                codes::REQUIRED,
                "a story needs at least one metric",
            ));
        }
        for (i, m) in self.metrics.iter().enumerate() {
            c.text(&format!("metrics[{i}].label"), &m.label, 1, 80)
                .text(&format!("metrics[{i}].unit"), &m.unit, 1, 20);
            for (name, v) in [("baseline", m.baseline), ("current", m.current)] {
                if !v.is_finite() {
                    c.push(FieldError::new(
                        format!("metrics[{i}].{name}"),
                        codes::INVALID_FORMAT,
                        "must be a number",
                    ));
                }
            }
            if let Some(d) = &m.baseline_date {
                c.date(&format!("metrics[{i}].baseline_date"), d);
            }
            if let Some(d) = &m.current_date {
                c.date(&format!("metrics[{i}].current_date"), d);
            }
            if let (Some(b), Some(cur)) = (&m.baseline_date, &m.current_date) {
                // ISO dates compare correctly as strings.
                if crate::validate::is_date(b) && crate::validate::is_date(cur) && cur < b {
                    c.push(FieldError::new(
                        format!("metrics[{i}].current_date"),
                        codes::DATE_ORDER,
                        "the current date must not be before the baseline date",
                    ));
                }
            }
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(baseline: f64, current: f64, higher_is_better: bool) -> Metric {
        Metric {
            label: "Time to resolve".into(),
            unit: "h".into(),
            baseline,
            current,
            higher_is_better,
            baseline_date: None,
            current_date: None,
        }
    }

    #[test]
    fn improvement_respects_direction() {
        assert_eq!(metric(4.0, 1.5, false).improvement_pct(), Some(62.5));
        let fcr = metric(52.0, 71.0, true).improvement_pct().unwrap();
        assert!((fcr - 36.538).abs() < 0.01);
        assert_eq!(metric(0.0, 3.0, true).improvement_pct(), None);
    }

    #[test]
    fn metric_dates_must_be_in_order() {
        let mut m = metric(4.0, 1.5, false);
        m.baseline_date = Some("2026-05-01".into());
        m.current_date = Some("2026-01-01".into());
        let s = NewStory {
            title: "Faster resolution".into(),
            situation: "Slow".into(),
            result: "Fast".into(),
            metrics: vec![m],
            ..Default::default()
        };
        let errs = s.validate().unwrap_err();
        assert_eq!(errs[0].code, codes::DATE_ORDER);
        assert_eq!(errs[0].field, "metrics[0].current_date");
    }
}
