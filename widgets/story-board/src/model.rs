//! Plain logic of the story board: how a metric is presented, the board's
//! filters and grouping, the submit form's values, the charts' geometry and
//! the ticker's turn. Everything here has native tests.

use km_protocol::stories::{Metric, NewStory, Practice, Story, StorySort};
use km_protocol::validate::codes;
use km_protocol::{FieldError, Validate};
use serde::{Deserialize, Serialize};

/// Whether a metric moved the right way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// Improved.
    Better,
    /// Got worse.
    Worse,
    /// Unchanged, or no baseline to compare with.
    Flat,
}

/// The trend of a metric, from its improvement percentage.
pub fn trend(metric: &Metric) -> Trend {
    match metric.improvement_pct() {
        Some(p) if p > 0.0 => Trend::Better,
        Some(p) if p < 0.0 => Trend::Worse,
        _ => Trend::Flat,
    }
}

/// A formatted number with its unit: `%` sticks to the number, other units
/// follow after a no-break space.
pub fn with_unit(number: &str, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        number.to_owned()
    } else if unit == "%" {
        format!("{number}%")
    } else {
        format!("{number}\u{a0}{unit}")
    }
}

/// Decimals to show for a metric's values: none for whole numbers, else
/// up to two.
pub fn decimals(metric: &Metric) -> u8 {
    if metric.baseline.fract() == 0.0 && metric.current.fract() == 0.0 {
        0
    } else {
        2
    }
}

/// How the board groups its cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// One grid.
    #[default]
    None,
    /// A section per goal.
    Goal,
    /// A section per team.
    Team,
}

impl Grouping {
    /// The select's value.
    pub fn value(self) -> &'static str {
        match self {
            Grouping::None => "none",
            Grouping::Goal => "goal",
            Grouping::Team => "team",
        }
    }

    /// From the select's value (unknown: none).
    pub fn parse(v: &str) -> Grouping {
        match v {
            "goal" => Grouping::Goal,
            "team" => Grouping::Team,
            _ => Grouping::None,
        }
    }
}

/// A group of cards: its heading (empty: no heading, or "no goal"/"no team")
/// and its stories, in board order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Heading text; empty for stories without a goal or team.
    pub label: String,
    /// The stories.
    pub stories: Vec<Story>,
}

/// Groups `stories` keeping the board's order: groups appear in the order
/// of their first story; stories without a goal or team come last.
pub fn group(stories: Vec<Story>, by: Grouping) -> Vec<Group> {
    let key = |s: &Story| match by {
        Grouping::None => String::new(),
        Grouping::Goal => s.goal.as_ref().map(|g| g.name.clone()).unwrap_or_default(),
        Grouping::Team => s.team.trim().to_owned(),
    };
    let mut groups: Vec<Group> = Vec::new();
    for s in stories {
        let k = key(&s);
        match groups.iter_mut().find(|g| g.label == k) {
            Some(g) => g.stories.push(s),
            None => groups.push(Group {
                label: k,
                stories: vec![s],
            }),
        }
    }
    if by != Grouping::None {
        groups.sort_by_key(|g| g.label.is_empty());
    }
    groups
}

/// The sort select's value.
pub fn sort_value(s: StorySort) -> &'static str {
    match s {
        StorySort::Newest => "newest",
        StorySort::MostApplauded => "most_applauded",
        StorySort::LargestImprovement => "largest_improvement",
    }
}

/// From the sort select's value (unknown: newest).
pub fn parse_sort(v: &str) -> StorySort {
    match v {
        "most_applauded" => StorySort::MostApplauded,
        "largest_improvement" => StorySort::LargestImprovement,
        _ => StorySort::Newest,
    }
}

/// The period filter: how many days back (0: all time).
pub const PERIODS: [u32; 4] = [0, 30, 90, 365];

/// `YYYY-MM-DD` of a time in ms since the epoch (UTC), `days` days earlier.
pub fn date_days_before(now_ms: f64, days: u32) -> String {
    let day = (now_ms / 86_400_000.0).floor() as i64 - i64::from(days);
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One metric row of the form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricDraft {
    /// What is measured.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// Baseline as typed (`1,5` or `1.5`).
    pub baseline: String,
    /// Current value as typed.
    pub current: String,
    /// Whether lower is better (handling time).
    pub lower_is_better: bool,
    /// Baseline date, `YYYY-MM-DD` or empty.
    pub baseline_date: String,
    /// Current date, `YYYY-MM-DD` or empty.
    pub current_date: String,
}

/// The submit form's values (kept as one draft while typing).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryDraft {
    /// Title.
    pub title: String,
    /// Goal id, empty for none.
    pub goal_id: String,
    /// Team.
    pub team: String,
    /// Practice (wire name).
    pub practice: String,
    /// Situation before.
    pub situation: String,
    /// Result.
    pub result: String,
    /// Metric rows (the form shows one empty row when there are none).
    pub metrics: Vec<MetricDraft>,
    /// Contributors, comma-separated.
    pub contributors: String,
    /// Quote.
    pub quote: String,
    /// Evidence link.
    pub evidence_url: String,
}

/// The practices offered, with their wire names.
pub const PRACTICES: [(Practice, &str); 5] = [
    (Practice::ReusedArticle, "reused_article"),
    (Practice::CommunityAnswer, "community_answer"),
    (Practice::NewArticle, "new_article"),
    (Practice::Mentoring, "mentoring"),
    (Practice::Other, "other"),
];

/// A number as people type it: `1,5`, `1.5`, ` 71 `; NaN when it is not one
/// (validation then names the field).
pub fn parse_number(typed: &str) -> f64 {
    let t = typed.trim().replace(['\u{a0}', ' '], "");
    // The separator written last is the decimal one: `1.234,5` (Dutch) and
    // `1,234.5` (English) are both 1234.5.
    let t = match (t.rfind(','), t.rfind('.')) {
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) => t.replace(',', "."),
        _ => t,
    };
    if t.is_empty() {
        f64::NAN
    } else {
        t.parse().unwrap_or(f64::NAN)
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl StoryDraft {
    /// The body of `POST /stories`.
    pub fn to_new_story(&self, tags: &[String]) -> NewStory {
        NewStory {
            title: self.title.trim().to_owned(),
            goal_id: opt(&self.goal_id),
            situation: self.situation.trim().to_owned(),
            practice: PRACTICES
                .iter()
                .find(|(_, v)| *v == self.practice)
                .map_or(Practice::Other, |(p, _)| *p),
            result: self.result.trim().to_owned(),
            metrics: self
                .metrics
                .iter()
                .map(|m| Metric {
                    label: m.label.trim().to_owned(),
                    unit: m.unit.trim().to_owned(),
                    baseline: parse_number(&m.baseline),
                    current: parse_number(&m.current),
                    higher_is_better: !m.lower_is_better,
                    baseline_date: opt(&m.baseline_date),
                    current_date: opt(&m.current_date),
                })
                .collect(),
            team: self.team.trim().to_owned(),
            tags: tags.to_vec(),
            contributors: self
                .contributors
                .split([',', ';'])
                .filter_map(opt)
                .collect(),
            quote: opt(&self.quote),
            evidence_url: opt(&self.evidence_url),
        }
    }
}

/// Validates a story as the server will; a blank number reads as
/// "required" rather than "wrong format".
pub fn check(story: &NewStory, draft: &StoryDraft) -> Result<(), Vec<FieldError>> {
    story.validate().map_err(|errs| {
        errs.into_iter()
            .map(|mut e| {
                let blank = draft.metrics.iter().enumerate().any(|(i, m)| {
                    (e.field == format!("metrics[{i}].baseline") && m.baseline.trim().is_empty())
                        || (e.field == format!("metrics[{i}].current")
                            && m.current.trim().is_empty())
                });
                if blank {
                    e.code = codes::REQUIRED.to_owned();
                }
                e
            })
            .collect()
    })
}

/// A bar of a chart, in SVG user units.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Horizontal bars for `values` in a `width`-wide plot, one `row` high
/// each: zero sits where negatives fit to its left.
pub fn horizontal_bars(values: &[f64], width: f64, row: f64) -> (Vec<Bar>, f64) {
    let max = values.iter().copied().fold(0.0f64, f64::max);
    let min = values.iter().copied().fold(0.0f64, f64::min);
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let zero = -min / span * width;
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let w = v.abs() / span * width;
            Bar {
                x: if *v < 0.0 { zero - w } else { zero },
                y: i as f64 * row + row * 0.15,
                w,
                h: row * 0.7,
            }
        })
        .collect();
    (bars, zero)
}

/// Vertical bars for counts in a `width` × `height` plot.
pub fn column_bars(counts: &[i64], width: f64, height: f64) -> Vec<Bar> {
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let slot = width / counts.len().max(1) as f64;
    counts
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let h = (*n).max(0) as f64 / max * height;
            Bar {
                x: i as f64 * slot + slot * 0.15,
                y: height - h,
                w: slot * 0.7,
                h,
            }
        })
        .collect()
}

/// The ticker's next story (wrapping; 0 for an empty list).
pub fn next_index(i: usize, len: usize) -> usize {
    if len == 0 { 0 } else { (i + 1) % len }
}

/// The metric a ticker or chart shows for a story: the one with the largest improvement.
pub fn headline(story: &Story) -> Option<&Metric> {
    story
        .metrics
        .iter()
        .filter(|m| m.improvement_pct().is_some())
        .max_by(|a, b| {
            a.improvement_pct()
                .unwrap_or(0.0)
                .total_cmp(&b.improvement_pct().unwrap_or(0.0))
        })
        .or(story.metrics.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(baseline: f64, current: f64, higher: bool) -> Metric {
        Metric {
            label: "x".into(),
            unit: "h".into(),
            baseline,
            current,
            higher_is_better: higher,
            baseline_date: None,
            current_date: None,
        }
    }

    #[test]
    fn trend_follows_the_metric_direction() {
        assert_eq!(trend(&m(4.0, 1.5, false)), Trend::Better);
        assert_eq!(trend(&m(4.0, 5.0, false)), Trend::Worse);
        assert_eq!(trend(&m(52.0, 71.0, true)), Trend::Better);
        assert_eq!(trend(&m(0.0, 3.0, true)), Trend::Flat);
    }

    #[test]
    fn units_attach_like_people_write_them() {
        assert_eq!(with_unit("62,5", "%"), "62,5%");
        assert_eq!(with_unit("4", "h"), "4\u{a0}h");
        assert_eq!(with_unit("4", " "), "4");
        assert_eq!(decimals(&m(4.0, 1.5, false)), 2);
        assert_eq!(decimals(&m(52.0, 71.0, true)), 0);
    }

    fn story(id: &str, goal: Option<&str>, team: &str) -> Story {
        serde_json::from_value(serde_json::json!({
            "id": id, "title": id, "situation": "s", "practice": "other", "result": "r",
            "metrics": [], "team": team, "author": {"id": "u", "name": "Mia"},
            "status": "published", "created_at": "2026-11-01T00:00:00Z",
            "goal": goal.map(|g| serde_json::json!({"id": g, "name": g})),
        }))
        .unwrap()
    }

    #[test]
    fn groups_keep_board_order_and_put_the_unassigned_last() {
        let stories = vec![
            story("a", Some("Speed"), "Ops"),
            story("b", None, ""),
            story("c", Some("Quality"), "Ops"),
            story("d", Some("Speed"), "Sales"),
        ];
        let by_goal = group(stories.clone(), Grouping::Goal);
        let labels: Vec<&str> = by_goal.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["Speed", "Quality", ""]);
        assert_eq!(by_goal[0].stories.len(), 2);
        let by_team = group(stories.clone(), Grouping::Team);
        assert_eq!(
            by_team.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(),
            ["Ops", "Sales", ""]
        );
        assert_eq!(group(stories, Grouping::None).len(), 1);
        assert_eq!(Grouping::parse(Grouping::Team.value()), Grouping::Team);
        assert_eq!(
            parse_sort(sort_value(StorySort::MostApplauded)),
            StorySort::MostApplauded
        );
    }

    #[test]
    fn periods_are_dates_days_back() {
        // 2026-11-22T12:00:00Z
        let now = 1_795_348_800_000.0;
        assert_eq!(date_days_before(now, 0), "2026-11-22");
        assert_eq!(date_days_before(now, 30), "2026-10-23");
        assert_eq!(date_days_before(now, 365), "2025-11-22");
        assert_eq!(date_days_before(0.0, 0), "1970-01-01");
        assert_eq!(date_days_before(951_782_400_000.0, 0), "2000-02-29");
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(parse_number("1,5"), 1.5);
        assert_eq!(parse_number(" 71 "), 71.0);
        assert_eq!(parse_number("1.234,5"), 1234.5);
        assert_eq!(parse_number("1,234.5"), 1234.5);
        assert!(parse_number("").is_nan());
        assert!(parse_number("a lot").is_nan());
    }

    #[test]
    fn the_draft_becomes_a_story_and_blank_numbers_are_required() {
        let mut d = StoryDraft {
            title: "  Faster answers ".into(),
            goal_id: "g-fcr".into(),
            practice: "mentoring".into(),
            situation: "Slow".into(),
            result: "Fast".into(),
            contributors: "Mia, Joost; ".into(),
            evidence_url: " ".into(),
            metrics: vec![MetricDraft {
                label: "Time to resolve".into(),
                unit: "h".into(),
                baseline: "4".into(),
                current: "1,5".into(),
                lower_is_better: true,
                ..Default::default()
            }],
            ..Default::default()
        };
        let s = d.to_new_story(&["VPN".into()]);
        assert_eq!(s.title, "Faster answers");
        assert_eq!(s.goal_id.as_deref(), Some("g-fcr"));
        assert_eq!(s.practice, Practice::Mentoring);
        assert_eq!(s.contributors, ["Mia", "Joost"]);
        assert_eq!(s.evidence_url, None);
        assert!(!s.metrics[0].higher_is_better);
        assert_eq!(s.metrics[0].improvement_pct(), Some(62.5));
        assert!(check(&s, &d).is_ok());
        d.metrics[0].current = " ".into();
        d.metrics.push(MetricDraft::default());
        let errs = check(&d.to_new_story(&[]), &d).unwrap_err();
        let got: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert!(
            got.contains(&("metrics[0].current", codes::REQUIRED)),
            "{got:?}"
        );
        assert!(
            got.contains(&("metrics[1].label", codes::REQUIRED)),
            "{got:?}"
        );
    }

    #[test]
    fn bars_scale_to_the_largest_and_negatives_go_left() {
        let (bars, zero) = horizontal_bars(&[50.0, 100.0, -50.0], 300.0, 20.0);
        assert_eq!(zero, 100.0);
        assert_eq!((bars[1].x, bars[1].w), (100.0, 200.0));
        assert_eq!((bars[2].x, bars[2].w), (0.0, 100.0));
        assert_eq!(bars[1].y, 23.0);
        let cols = column_bars(&[0, 2, 4], 300.0, 100.0);
        assert_eq!(cols[2].h, 100.0);
        assert_eq!((cols[1].y, cols[1].h), (50.0, 50.0));
        assert_eq!(cols[0].h, 0.0);
        assert!(column_bars(&[], 300.0, 100.0).is_empty());
    }

    #[test]
    fn the_ticker_wraps_and_shows_the_best_metric() {
        assert_eq!(next_index(0, 3), 1);
        assert_eq!(next_index(2, 3), 0);
        assert_eq!(next_index(5, 0), 0);
        let mut s = story("a", None, "");
        s.metrics = vec![m(52.0, 71.0, true), m(4.0, 1.5, false), m(0.0, 1.0, true)];
        assert_eq!(headline(&s).map(|m| m.baseline), Some(4.0));
    }
}
