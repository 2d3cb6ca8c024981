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
/// Longest quote.
pub const QUOTE_MAX_CHARS: usize = 500;
/// Most contributors named on a story.
pub const MAX_CONTRIBUTORS: usize = 10;
/// Longest goal name.
pub const GOAL_NAME_MAX_CHARS: usize = 120;

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

crate::wire_names!(Practice {
    ReusedArticle = "reused_article",
    CommunityAnswer = "community_answer",
    NewArticle = "new_article",
    Mentoring = "mentoring",
    Other = "other",
});

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

crate::wire_names!(StoryStatus {
    Submitted = "submitted",
    Published = "published",
});

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
    /// Colleagues who made it happen (names).
    #[serde(default)]
    pub contributors: Vec<String>,
    /// A quote from someone who benefited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// A link to the evidence (dashboard, report); `http(s)` or `mailto` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_url: Option<String>,
    /// Who submitted it.
    pub author: PersonSummary,
    /// Submitted or published.
    pub status: StoryStatus,
    /// Pinned first by a moderator.
    #[serde(default)]
    pub featured: bool,
    /// Number of applause (one per person).
    #[serde(default)]
    pub applause: i64,
    /// Whether the caller applauded it.
    #[serde(default)]
    pub applauded_by_me: bool,
    /// When it was submitted, RFC 3339.
    pub created_at: String,
    /// When a moderator published it, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
}

impl Story {
    /// The story's headline improvement: the largest improvement
    /// percentage of its metrics (`None` when no metric has a baseline).
    pub fn best_improvement_pct(&self) -> Option<f64> {
        best_improvement_pct(&self.metrics)
    }
}

/// The largest improvement percentage of `metrics`, if any has one.
pub fn best_improvement_pct(metrics: &[Metric]) -> Option<f64> {
    metrics
        .iter()
        .filter_map(Metric::improvement_pct)
        .fold(None, |best: Option<f64>, p| {
            Some(best.map_or(p, |b| b.max(p)))
        })
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
    /// Only stories with this tag (synonyms followed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Only stories submitted on or after this date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::validate::date_or_empty))]
    pub from: Option<String>,
    /// Only stories submitted on or before this date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::validate::date_or_empty))]
    pub to: Option<String>,
    /// Order (featured stories always come first); default `newest`.
    #[serde(default)]
    pub sort: StorySort,
    /// `published` (default) or `submitted`: the review queue, all of it
    /// for moderators, only the caller's own stories for anyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StoryStatus>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
}

/// Orders of `GET /api/v1/stories`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StorySort {
    /// Newest first.
    #[default]
    Newest,
    /// Most applause first.
    MostApplauded,
    /// Largest headline improvement (percent) first.
    LargestImprovement,
}

crate::wire_names!(StorySort {
    Newest = "newest",
    MostApplauded = "most_applauded",
    LargestImprovement = "largest_improvement",
});

/// `POST /api/v1/stories` and `PUT /api/v1/stories/{id}` (the author's edit).
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
    /// Colleagues who made it happen (names).
    #[serde(default)]
    pub contributors: Vec<String>,
    /// A quote from someone who benefited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// A link to the evidence; `http(s)` or `mailto` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_url: Option<String>,
}

impl Validate for NewStory {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.text("title", &self.title, 5, TITLE_MAX_CHARS)
            .body("situation", &self.situation, 1, TEXT_MAX_CHARS)
            .body("result", &self.result, 1, TEXT_MAX_CHARS)
            .text("team", &self.team, 0, 80)
            .tags("tags", &self.tags, 5)
            .count("metrics", self.metrics.len(), MAX_METRICS)
            .count("contributors", self.contributors.len(), MAX_CONTRIBUTORS);
        if let Some(quote) = &self.quote {
            // A quote may run over several lines, like the story's text.
            c.body("quote", quote, 0, QUOTE_MAX_CHARS);
        }
        for (i, name) in self.contributors.iter().enumerate() {
            c.text(&format!("contributors[{i}]"), name, 1, 80);
        }
        if let Some(url) = self
            .evidence_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        {
            c.url("evidence_url", url);
        }
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

/// `POST /api/v1/goals` and `PUT /api/v1/goals/{id}` (admins).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalInput {
    /// Name (`Faster customer support`).
    pub name: String,
    /// Place in the list (lower first); default: after the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
}

impl Validate for GoalInput {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        Checker::new()
            .text("name", &self.name, 1, GOAL_NAME_MAX_CHARS)
            .finish()
    }
}

/// `PUT /api/v1/stories/{id}/featured` (moderators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeatureRequest {
    /// Pin the story first (`true`) or unpin it.
    pub featured: bool,
}

/// The answer of `PUT`/`DELETE /api/v1/stories/{id}/applause`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applause {
    /// Applause now.
    pub applause: i64,
    /// Whether the caller's applause is among them.
    pub applauded_by_me: bool,
}

/// `GET /api/v1/stories/impact`: published stories summed up for leadership.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Impact {
    /// Per goal, in the admin's order (stories without a goal last, `goal` absent).
    pub goals: Vec<GoalImpact>,
    /// Each story's headline improvement, largest first.
    pub stories: Vec<StoryImprovement>,
    /// Stories per month of submission, oldest first, months without stories included.
    pub months: Vec<MonthCount>,
}

/// The impact of one goal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalImpact {
    /// The goal (absent: stories without a goal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
    /// Number of stories.
    pub stories: i64,
    /// Per unit (never adding different units), most metrics first.
    pub units: Vec<UnitImpact>,
}

/// The improvements of all metrics with one unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitImpact {
    /// The unit (`h`, `%`).
    pub unit: String,
    /// Number of metrics with this unit.
    pub metrics: i64,
    /// Sum of the improvements in the unit (positive = better, whichever
    /// way the metric counts: 4 h → 1.5 h is +2.5 h).
    pub total: f64,
    /// Median improvement in the unit.
    pub median: f64,
    /// Median relative improvement in percent (metrics with a zero baseline left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_pct: Option<f64>,
}

/// One story's headline improvement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryImprovement {
    /// Story id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Goal id, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_id: Option<String>,
    /// The largest improvement percentage of its metrics.
    pub improvement_pct: f64,
}

/// Stories submitted in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Number of stories.
    pub stories: i64,
}

/// `GET /api/v1/stories/impact` and `/stories/export.csv`: the filters of
/// the board (published stories only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ImpactQuery {
    /// Only this goal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// Only this team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Only this tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// From this date on, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::validate::date_or_empty))]
    pub from: Option<String>,
    /// Up to this date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::validate::date_or_empty))]
    pub to: Option<String>,
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

    fn story() -> NewStory {
        NewStory {
            title: "Faster resolution".into(),
            situation: "Slow".into(),
            result: "Fast".into(),
            metrics: vec![metric(4.0, 1.5, false)],
            ..Default::default()
        }
    }

    #[test]
    fn a_story_needs_a_metric_with_label_unit_and_numbers() {
        let mut s = story();
        assert!(s.validate().is_ok());
        s.metrics.clear();
        let errs = s.validate().unwrap_err();
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code.as_str()),
            ("metrics", codes::REQUIRED)
        );
        let mut m = metric(f64::NAN, 1.0, true);
        m.unit = " ".into();
        s.metrics = vec![m];
        let fields: Vec<String> = s
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["metrics[0].unit", "metrics[0].baseline"]);
    }

    #[test]
    fn evidence_links_must_be_safe_and_quotes_short() {
        let mut s = story();
        s.evidence_url = Some("javascript:alert(1)".into());
        s.quote = Some("q".repeat(QUOTE_MAX_CHARS + 1));
        s.contributors = vec!["Mia".into(), " ".into()];
        let errs = s.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["quote", "contributors[1]", "evidence_url"]);
        s.evidence_url = Some("https://intranet.example/dash".into());
        s.quote = Some("It saves my team a day a week.".into());
        s.contributors.pop();
        assert!(s.validate().is_ok());
        // An empty link is no link.
        s.evidence_url = Some(String::new());
        assert!(s.validate().is_ok());
    }

    #[test]
    fn the_headline_is_the_best_improvement() {
        let mut s = story();
        s.metrics.push(metric(52.0, 71.0, true));
        s.metrics.push(metric(0.0, 5.0, true));
        assert_eq!(best_improvement_pct(&s.metrics), Some(62.5));
        assert_eq!(best_improvement_pct(&[metric(0.0, 1.0, true)]), None);
        let goal = GoalInput {
            name: " ".into(),
            position: None,
        };
        assert_eq!(goal.validate().unwrap_err()[0].code, codes::REQUIRED);
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
