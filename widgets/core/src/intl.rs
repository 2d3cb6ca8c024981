//! Localized numbers, dates and relative times through the browser's `Intl`
//! (no date or number crates in the bundle).
//!
//! The choice of unit for a relative time ([`relative_unit`]) is plain logic
//! with native tests; the formatting itself calls `Intl` and only runs in a
//! browser.

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::config::Lang;

/// A unit `Intl.RelativeTimeFormat` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

impl TimeUnit {
    /// The unit's name for `Intl.RelativeTimeFormat.format`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Second => "second",
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
        }
    }
}

/// Chooses the largest sensible unit for a difference of `diff_secs`
/// (negative = in the past) and the rounded value in that unit.
pub fn relative_unit(diff_secs: f64) -> (f64, TimeUnit) {
    const MIN: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86_400.0;
    let abs = diff_secs.abs();
    let (div, unit) = if abs < MIN {
        (1.0, TimeUnit::Second)
    } else if abs < HOUR {
        (MIN, TimeUnit::Minute)
    } else if abs < DAY {
        (HOUR, TimeUnit::Hour)
    } else if abs < 7.0 * DAY {
        (DAY, TimeUnit::Day)
    } else if abs < 30.0 * DAY {
        (7.0 * DAY, TimeUnit::Week)
    } else if abs < 365.0 * DAY {
        (30.0 * DAY, TimeUnit::Month)
    } else {
        (365.0 * DAY, TimeUnit::Year)
    };
    let v = (diff_secs / div).round();
    // `-0` would print as "0 seconds ago" in some engines and "in 0" in others.
    (if v == 0.0 { 0.0 } else { v }, unit)
}

fn locales(lang: Lang) -> Array {
    Array::of1(&JsValue::from_str(lang.tag()))
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn call_format(formatter_format: Function, arg: &JsValue) -> Option<String> {
    formatter_format
        .call1(&JsValue::NULL, arg)
        .ok()
        .and_then(|v| v.as_string())
}

/// Milliseconds since the epoch of an RFC 3339 timestamp, `None` when invalid.
pub fn parse_timestamp_ms(rfc3339: &str) -> Option<f64> {
    let ms = Date::parse(rfc3339);
    ms.is_finite().then_some(ms)
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> f64 {
    Date::now()
}

/// "3 days ago" / "3 dagen geleden" for an RFC 3339 timestamp, relative to
/// `now_ms`; `None` when the timestamp does not parse.
pub fn format_relative(lang: Lang, rfc3339: &str, now_ms: f64) -> Option<String> {
    let then = parse_timestamp_ms(rfc3339)?;
    let (value, unit) = relative_unit((then - now_ms) / 1000.0);
    let fmt = js_sys::Intl::RelativeTimeFormat::new(
        &locales(lang),
        &options(&[("numeric", JsValue::from_str("auto"))]),
    );
    Some(String::from(fmt.format(value, unit.as_str())))
}

/// A localized date (and time when `with_time`) for an RFC 3339 timestamp or
/// a `YYYY-MM-DD` date; `None` when it does not parse.
pub fn format_date(lang: Lang, value: &str, with_time: bool) -> Option<String> {
    let ms = parse_timestamp_ms(value)?;
    let mut opts = vec![("dateStyle", JsValue::from_str("medium"))];
    if with_time {
        opts.push(("timeStyle", JsValue::from_str("short")));
    }
    if value.len() == 10 {
        // A bare date is midnight UTC; show that day wherever the reader is.
        opts.push(("timeZone", JsValue::from_str("UTC")));
    }
    let fmt = js_sys::Intl::DateTimeFormat::new(&locales(lang), &options(&opts));
    call_format(fmt.format(), &Date::new(&JsValue::from_f64(ms)).into())
}

/// A short localized month ("Nov 2026", "nov 2026") of a `YYYY-MM` month;
/// the text itself when it does not parse.
pub fn format_month(lang: Lang, month: &str) -> String {
    let Some(ms) = parse_timestamp_ms(&format!("{month}-01")) else {
        return month.to_owned();
    };
    let fmt = js_sys::Intl::DateTimeFormat::new(
        &locales(lang),
        &options(&[
            ("month", JsValue::from_str("short")),
            ("year", JsValue::from_str("numeric")),
            ("timeZone", JsValue::from_str("UTC")),
        ]),
    );
    call_format(fmt.format(), &Date::new(&JsValue::from_f64(ms)).into())
        .unwrap_or_else(|| month.to_owned())
}

/// A localized number with at most `max_fraction` decimals ("1.234,5" in Dutch).
pub fn format_number(lang: Lang, value: f64, max_fraction: u8) -> String {
    let fmt = js_sys::Intl::NumberFormat::new(
        &locales(lang),
        &options(&[(
            "maximumFractionDigits",
            JsValue::from_f64(f64::from(max_fraction)),
        )]),
    );
    call_format(fmt.format(), &JsValue::from_f64(value)).unwrap_or_else(|| value.to_string())
}

/// A signed, localized percentage ("+62.5%", "−3 %") of a value given in percent.
pub fn format_percent_change(lang: Lang, percent: f64) -> String {
    let fmt = js_sys::Intl::NumberFormat::new(
        &locales(lang),
        &options(&[
            ("style", JsValue::from_str("percent")),
            ("maximumFractionDigits", JsValue::from_f64(1.0)),
            ("signDisplay", JsValue::from_str("exceptZero")),
        ]),
    );
    call_format(fmt.format(), &JsValue::from_f64(percent / 100.0))
        .unwrap_or_else(|| format!("{percent:+.1}%"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_unit_picks_the_largest_fitting_unit() {
        assert_eq!(relative_unit(-30.0), (-30.0, TimeUnit::Second));
        assert_eq!(relative_unit(-90.0), (-2.0, TimeUnit::Minute));
        assert_eq!(relative_unit(-3.0 * 3600.0), (-3.0, TimeUnit::Hour));
        assert_eq!(relative_unit(-2.0 * 86_400.0), (-2.0, TimeUnit::Day));
        assert_eq!(relative_unit(-14.0 * 86_400.0), (-2.0, TimeUnit::Week));
        assert_eq!(relative_unit(-90.0 * 86_400.0), (-3.0, TimeUnit::Month));
        assert_eq!(relative_unit(800.0 * 86_400.0), (2.0, TimeUnit::Year));
        assert_eq!(relative_unit(-0.2), (0.0, TimeUnit::Second));
    }
}
