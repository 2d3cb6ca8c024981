//! Validation rules, defined once and applied by the widgets and the server.
//!
//! A widget calls [`Validate::validate`] before sending and shows each
//! [`FieldError`] next to its field; the server calls it on every body and
//! answers with [`crate::Problem::validation`]. Lengths count Unicode scalar
//! values of the trimmed text, so both sides agree on "too long".

use crate::FieldError;

/// Stable error codes carried in [`FieldError::code`].
pub mod codes {
    /// The field is missing or blank.
    pub const REQUIRED: &str = "required";
    /// The text is longer than `limit` characters.
    pub const TOO_LONG: &str = "too_long";
    /// The text is shorter than `limit` characters.
    pub const TOO_SHORT: &str = "too_short";
    /// The list has more than `limit` entries.
    pub const TOO_MANY: &str = "too_many";
    /// The number is outside its allowed range.
    pub const OUT_OF_RANGE: &str = "out_of_range";
    /// The value does not have the expected format (date, URL, e-mail).
    pub const INVALID_FORMAT: &str = "invalid_format";
    /// A date comes before the date it must follow.
    pub const DATE_ORDER: &str = "date_order";
    /// A unique value is taken already.
    pub const TAKEN: &str = "taken";
}

/// The schema of an optional date filter: `YYYY-MM-DD`, or empty for none
/// (an empty form field).
#[cfg(feature = "openapi")]
pub fn date_or_empty() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .into()
}

/// Implemented by every request body.
pub trait Validate {
    /// Every field error, in field order; `Ok` when the body is valid.
    fn validate(&self) -> Result<(), Vec<FieldError>>;
}

/// Collects field errors while checking a body.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    /// An empty checker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Requires trimmed text of `min..=max` characters.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> &mut Self {
        let n = value.trim().chars().count();
        if n == 0 && min > 0 {
            self.push(FieldError::new(
                field,
                codes::REQUIRED,
                format!("{field} is required"),
            ));
        } else if n < min {
            self.push(
                FieldError::new(
                    field,
                    codes::TOO_SHORT,
                    format!("{field} needs at least {min} characters"),
                )
                .with_limit(min as i64),
            );
        } else if n > max {
            self.push(
                FieldError::new(
                    field,
                    codes::TOO_LONG,
                    format!("{field} can have at most {max} characters"),
                )
                .with_limit(max as i64),
            );
        }
        self
    }

    /// Optional text: when present, at most `max` characters.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> &mut Self {
        if let Some(v) = value {
            self.text(field, v, 0, max);
        }
        self
    }

    /// A list of at most `max` entries.
    pub fn count(&mut self, field: &str, len: usize, max: usize) -> &mut Self {
        if len > max {
            self.push(
                FieldError::new(
                    field,
                    codes::TOO_MANY,
                    format!("{field} can have at most {max} entries"),
                )
                .with_limit(max as i64),
            );
        }
        self
    }

    /// A number within `min..=max`.
    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) -> &mut Self {
        if value < min || value > max {
            self.push(
                FieldError::new(
                    field,
                    codes::OUT_OF_RANGE,
                    format!("{field} must be between {min} and {max}"),
                )
                .with_limit(max),
            );
        }
        self
    }

    /// A `YYYY-MM-DD` calendar date.
    pub fn date(&mut self, field: &str, value: &str) -> &mut Self {
        if !is_date(value) {
            self.push(FieldError::new(
                field,
                codes::INVALID_FORMAT,
                format!("{field} must be a date (YYYY-MM-DD)"),
            ));
        }
        self
    }

    /// An `http`, `https` or `mailto` URL; anything else (`javascript:`, `data:`) is refused.
    pub fn url(&mut self, field: &str, value: &str) -> &mut Self {
        if !is_safe_url(value) {
            self.push(FieldError::new(
                field,
                codes::INVALID_FORMAT,
                format!("{field} must be an http(s) or mailto link"),
            ));
        }
        self
    }

    /// Each tag label: 1 to [`crate::tags::TAG_MAX_CHARS`] characters; at most `max` tags.
    pub fn tags(&mut self, field: &str, tags: &[String], max: usize) -> &mut Self {
        self.count(field, tags.len(), max);
        for (i, t) in tags.iter().enumerate() {
            self.text(&format!("{field}[{i}]"), t, 1, crate::tags::TAG_MAX_CHARS);
        }
        self
    }

    /// Adds an error found by custom logic.
    pub fn push(&mut self, error: FieldError) -> &mut Self {
        self.errors.push(error);
        self
    }

    /// Whether no error was found so far.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The result: `Ok` when no error was pushed.
    pub fn finish(&mut self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(std::mem::take(&mut self.errors))
        }
    }
}

/// Whether `s` is a real `YYYY-MM-DD` date (leap years included).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Whether a link is safe to render: `http:`, `https:` or `mailto:` only.
///
/// Leading whitespace and control characters are rejected rather than trimmed,
/// because browsers strip them and `\tjavascript:` would otherwise slip by.
pub fn is_safe_url(url: &str) -> bool {
    if url.is_empty()
        || url.len() > 2048
        || url.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else if let Some(r) = lower.strip_prefix("mailto:") {
        return r.contains('@');
    } else {
        return false;
    };
    !rest.is_empty() && !rest.starts_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits_count_characters_of_trimmed_text() {
        let mut c = Checker::new();
        c.text("title", "   ", 1, 10)
            .text("body", "ééééé", 1, 5)
            .text("name", "abcdef", 1, 5);
        let errs = c.finish().unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].code, codes::REQUIRED);
        assert_eq!(errs[1].field, "name");
        assert_eq!(errs[1].code, codes::TOO_LONG);
        assert_eq!(errs[1].limit, Some(5));
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-1-01"));
        assert!(!is_date("２０２６-01-01"));
    }

    #[test]
    fn only_http_https_mailto_links_are_safe() {
        assert!(is_safe_url("https://intranet.example/kb/42"));
        assert!(is_safe_url("mailto:mia@example.com"));
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "\tjavascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//evil.example",
            "https:///x",
            "",
        ] {
            assert!(!is_safe_url(bad), "{bad:?} must be refused");
        }
    }
}
