//! Impact of published stories for leadership: per goal the number of
//! stories and, per unit, the total and median improvement (units are never
//! added together); each story's headline improvement; stories per month.
//! Also the CSV rows of the export. Plain functions, tested below; the
//! handlers are in `http/story_reports.rs`.

use std::collections::BTreeMap;

use km_protocol::stories::{
    Goal, GoalImpact, Impact, Metric, MonthCount, Story, StoryImprovement, UnitImpact,
};

/// How much better a metric got, in its own unit: positive when it moved
/// the right way (4 h → 1.5 h with lower-is-better is +2.5 h).
pub fn improvement(m: &Metric) -> f64 {
    if m.higher_is_better {
        m.current - m.baseline
    } else {
        m.baseline - m.current
    }
}

/// The median of `values` (`None` for none); the mean of the middle two
/// for an even count.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

/// The per-unit impact of `metrics`: grouped by their trimmed unit, most
/// metrics first (then by unit).
pub fn unit_impacts<'a>(metrics: impl IntoIterator<Item = &'a Metric>) -> Vec<UnitImpact> {
    let mut by_unit: BTreeMap<String, Vec<&Metric>> = BTreeMap::new();
    for m in metrics {
        by_unit.entry(m.unit.trim().to_owned()).or_default().push(m);
    }
    let mut out: Vec<UnitImpact> = by_unit
        .into_iter()
        .map(|(unit, ms)| {
            let abs: Vec<f64> = ms.iter().map(|m| improvement(m)).collect();
            let pct: Vec<f64> = ms.iter().filter_map(|m| m.improvement_pct()).collect();
            UnitImpact {
                unit,
                metrics: ms.len() as i64,
                total: abs.iter().sum(),
                median: median(&abs).unwrap_or(0.0),
                median_pct: median(&pct),
            }
        })
        .collect();
    out.sort_by(|a, b| b.metrics.cmp(&a.metrics).then_with(|| a.unit.cmp(&b.unit)));
    out
}

/// `YYYY-MM` of an RFC 3339 timestamp.
fn month_of(ts: &str) -> Option<(i32, u32)> {
    let y = ts.get(0..4)?.parse().ok()?;
    let m = ts.get(5..7)?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}

/// Stories per month from the first month to the last, gaps included.
pub fn months(created: impl IntoIterator<Item = String>) -> Vec<MonthCount> {
    let mut counts: BTreeMap<(i32, u32), i64> = BTreeMap::new();
    for ts in created {
        if let Some(k) = month_of(&ts) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    while (y, m) <= last {
        out.push(MonthCount {
            month: format!("{y:04}-{m:02}"),
            stories: counts.get(&(y, m)).copied().unwrap_or(0),
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The whole impact of `stories`, goals in the order of `goals` (goals
/// without stories left out; stories without a known goal last).
pub fn impact(stories: &[Story], goals: &[Goal]) -> Impact {
    let mut per_goal: Vec<GoalImpact> = Vec::new();
    let goal_ids: Vec<Option<&str>> = goals
        .iter()
        .map(|g| Some(g.id.as_str()))
        .chain(std::iter::once(None))
        .collect();
    for id in goal_ids {
        let of_goal: Vec<&Story> = stories
            .iter()
            .filter(|s| s.goal.as_ref().map(|g| g.id.as_str()) == id)
            .collect();
        if of_goal.is_empty() {
            continue;
        }
        per_goal.push(GoalImpact {
            goal: id.and_then(|id| goals.iter().find(|g| g.id == id).cloned()),
            stories: of_goal.len() as i64,
            units: unit_impacts(of_goal.iter().flat_map(|s| s.metrics.iter())),
        });
    }
    let mut best: Vec<StoryImprovement> = stories
        .iter()
        .filter_map(|s| {
            Some(StoryImprovement {
                id: s.id.clone(),
                title: s.title.clone(),
                goal_id: s.goal.as_ref().map(|g| g.id.clone()),
                improvement_pct: s.best_improvement_pct()?,
            })
        })
        .collect();
    best.sort_by(|a, b| b.improvement_pct.total_cmp(&a.improvement_pct));
    Impact {
        goals: per_goal,
        stories: best,
        months: months(stories.iter().map(|s| s.created_at.clone())),
    }
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line
/// break. Text that a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@` first) gets a leading `'`, so an export cannot carry a formula
/// into a manager's spreadsheet.
pub fn csv_text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A number for CSV: plain, with a dot, no exponent for everyday values.
pub fn csv_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// The header row of the export.
pub const CSV_HEADER: &str = "story_id,title,goal,team,practice,author,contributors,tags,\
submitted,published,featured,applause,metric,unit,baseline,current,higher_is_better,\
baseline_date,current_date,improvement,improvement_pct";

/// The CSV rows of one story: one per metric.
pub fn csv_rows(s: &Story, practice: &str) -> Vec<String> {
    let text = |v: &str| csv_text(v);
    s.metrics
        .iter()
        .map(|m| {
            [
                text(&s.id),
                text(&s.title),
                text(s.goal.as_ref().map(|g| g.name.as_str()).unwrap_or("")),
                text(&s.team),
                practice.to_owned(),
                text(&s.author.name),
                text(&s.contributors.join("; ")),
                text(&s.tags.join("; ")),
                s.created_at.clone(),
                s.published_at.clone().unwrap_or_default(),
                s.featured.to_string(),
                s.applause.to_string(),
                text(&m.label),
                text(&m.unit),
                csv_number(m.baseline),
                csv_number(m.current),
                m.higher_is_better.to_string(),
                m.baseline_date.clone().unwrap_or_default(),
                m.current_date.clone().unwrap_or_default(),
                csv_number(improvement(m)),
                m.improvement_pct().map(csv_number).unwrap_or_default(),
            ]
            .join(",")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use km_protocol::PersonSummary;
    use km_protocol::stories::{Practice, StoryStatus};

    fn metric(unit: &str, baseline: f64, current: f64, higher: bool) -> Metric {
        Metric {
            label: format!("in {unit}"),
            unit: unit.into(),
            baseline,
            current,
            higher_is_better: higher,
            baseline_date: None,
            current_date: None,
        }
    }

    fn story(id: &str, goal: Option<&str>, created: &str, metrics: Vec<Metric>) -> Story {
        Story {
            id: id.into(),
            title: format!("Story {id}"),
            goal: goal.map(|g| Goal {
                id: g.into(),
                name: format!("Goal {g}"),
            }),
            situation: "s".into(),
            practice: Practice::Other,
            result: "r".into(),
            metrics,
            team: "Support".into(),
            tags: vec![],
            contributors: vec![],
            quote: None,
            evidence_url: None,
            author: PersonSummary {
                id: "u".into(),
                name: "Mia".into(),
                department: None,
            },
            status: StoryStatus::Published,
            featured: false,
            applause: 0,
            applauded_by_me: false,
            created_at: created.into(),
            published_at: None,
        }
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 2.0]), Some(2.0));
    }

    #[test]
    fn lower_is_better_counts_a_drop_as_improvement() {
        // Handling time 4 h → 1.5 h is 2.5 h better; satisfaction 7.1 → 8.3 is 1.2 better.
        assert_eq!(improvement(&metric("h", 4.0, 1.5, false)), 2.5);
        assert!((improvement(&metric("pts", 7.1, 8.3, true)) - 1.2).abs() < 1e-9);
        // Getting worse is negative either way.
        assert_eq!(improvement(&metric("h", 2.0, 3.0, false)), -1.0);
        assert_eq!(improvement(&metric("%", 71.0, 52.0, true)), -19.0);
    }

    #[test]
    fn units_are_kept_apart_with_totals_and_medians() {
        let ms = [
            metric("h", 4.0, 1.5, false),
            metric("h", 10.0, 4.0, false),
            metric("h", 3.0, 2.0, false),
            metric("%", 52.0, 71.0, true),
            metric(" % ", 60.0, 66.0, true),
        ];
        let u = unit_impacts(ms.iter());
        assert_eq!(u.len(), 2, "hours and percentages are never added");
        assert_eq!(u[0].unit, "h");
        assert_eq!(u[0].metrics, 3);
        assert_eq!(u[0].total, 9.5);
        assert_eq!(u[0].median, 2.5);
        // 62.5%, 60%, 33.3% better: the median is 60%.
        assert_eq!(u[0].median_pct, Some(60.0));
        assert_eq!(u[1].unit, "%");
        assert_eq!(u[1].total, 25.0);
        assert_eq!(u[1].median, 12.5);
    }

    #[test]
    fn impact_groups_by_goal_in_goal_order_and_fills_months() {
        let goals = vec![
            Goal {
                id: "g1".into(),
                name: "Goal g1".into(),
            },
            Goal {
                id: "g2".into(),
                name: "Goal g2".into(),
            },
            Goal {
                id: "g3".into(),
                name: "Unused".into(),
            },
        ];
        let stories = vec![
            story(
                "a",
                Some("g2"),
                "2026-09-03T10:00:00Z",
                vec![metric("h", 4.0, 1.5, false)],
            ),
            story(
                "b",
                Some("g1"),
                "2026-11-20T10:00:00Z",
                vec![metric("%", 50.0, 60.0, true)],
            ),
            story(
                "c",
                None,
                "2026-11-21T10:00:00Z",
                vec![metric("h", 0.0, 1.0, true)],
            ),
        ];
        let i = impact(&stories, &goals);
        let ids: Vec<Option<&str>> = i
            .goals
            .iter()
            .map(|g| g.goal.as_ref().map(|g| g.id.as_str()))
            .collect();
        assert_eq!(ids, [Some("g1"), Some("g2"), None]);
        assert_eq!(i.goals[1].units[0].total, 2.5);
        // Story c has no baseline: no headline improvement, not in the chart.
        let chart: Vec<(&str, f64)> = i
            .stories
            .iter()
            .map(|s| (s.id.as_str(), s.improvement_pct))
            .collect();
        assert_eq!(chart, [("a", 62.5), ("b", 20.0)]);
        let months: Vec<(&str, i64)> = i
            .months
            .iter()
            .map(|m| (m.month.as_str(), m.stories))
            .collect();
        assert_eq!(months, [("2026-09", 1), ("2026-10", 0), ("2026-11", 2)]);
        assert_eq!(months_of_year_end(), ["2025-12", "2026-01"]);
    }

    fn months_of_year_end() -> Vec<String> {
        months(["2026-01-02T00:00:00Z".into(), "2025-12-31T00:00:00Z".into()])
            .into_iter()
            .map(|m| m.month)
            .collect()
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_text("plain"), "plain");
        assert_eq!(csv_text("a, b"), "\"a, b\"");
        assert_eq!(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_text("-5"), "'-5");
        assert_eq!(csv_number(2.5), "2.5");
        assert_eq!(csv_number(-19.0), "-19");
        assert_eq!(csv_number(36.538_461), "36.5385");
        let s = story(
            "a",
            Some("g1"),
            "2026-09-03T10:00:00Z",
            vec![metric("h", 4.0, 1.5, false), metric("%", 52.0, 71.0, true)],
        );
        let rows = csv_rows(&s, "other");
        assert_eq!(rows.len(), 2, "one row per metric");
        assert_eq!(
            rows[0].split(',').count(),
            CSV_HEADER.split(',').count(),
            "{}",
            rows[0]
        );
        assert!(rows[0].ends_with(",4,1.5,false,,,2.5,62.5"), "{}", rows[0]);
    }
}
