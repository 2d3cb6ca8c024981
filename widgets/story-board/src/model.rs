//! Plain logic of the story board: how a metric is presented.

use km_protocol::stories::Metric;

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
}
