//! Validation rules, defined once and applied by the widgets and the server.
//!
//! A widget calls [`Validate::validate`] before sending and shows each
//! [`FieldError`] next to its field; the server calls it on every body and
//! answers with [`crate::Problem::validation`]. Lengths count Unicode scalar
//! values of the trimmed text, so both sides agree on "too long".
//!
//! Every text field also passes one character rule ([`text_problem`]): no
//! control characters (body text keeps newlines and tabs), no bidi
//! embeddings, overrides or isolates (U+202A-202E, U+2066-2069), which
//! reorder what a reader sees, and not only invisible characters (a tag of
//! one zero-width joiner). Tag labels must not mix Latin, Greek and Cyrillic
//! letters ([`mixes_scripts`]), so `Сafe` with a Cyrillic `С` cannot sit
//! beside `Cafe` looking the same. Whole-script look-alikes (a label all in
//! Cyrillic letters that happen to look Latin) are not caught.

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
    /// The text holds a control or bidi-control character, or nothing visible.
    pub const INVALID_CHARACTERS: &str = "invalid_characters";
    /// A tag label mixes letters of the Latin, Greek and Cyrillic scripts.
    pub const MIXED_SCRIPT: &str = "mixed_script";
}

/// What a text field may hold besides printable characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A label, title or name: one line, no control characters at all.
    Line,
    /// Body text (markdown): newlines (`\n`, `\r`) and tabs are fine.
    Body,
}

/// Why [`text_problem`] refuses a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextProblem {
    /// A control character, line or paragraph separator, or a stray tag
    /// character (U+E0000-E007F outside an emoji flag).
    Control,
    /// A bidi embedding, override or isolate (U+202A-202E, U+2066-2069).
    Bidi,
    /// Not empty, but nothing in it is visible (zero-width characters,
    /// fillers, variation selectors, blank braille).
    Invisible,
}

/// Whether `c` is an explicit bidi embedding, override or isolate
/// (U+202A-202E, U+2066-2069). The implicit marks (LRM, RLM, ALM) stay
/// allowed: right-to-left names need them and they reorder nothing.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` renders as nothing: whitespace and the Unicode
/// default-ignorable code points (zero-width space and joiners, soft hyphen,
/// word joiner, variation selectors, Hangul fillers, tag characters, ...),
/// plus the blank braille pattern.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// The first reason `value` may not be stored as text of `kind`, if any.
/// Empty or whitespace-only text passes (the length rules handle it).
pub fn text_problem(value: &str, kind: TextKind) -> Option<TextProblem> {
    let mut prev = None;
    for c in value.chars() {
        let allowed_space = kind == TextKind::Body && matches!(c, '\n' | '\r' | '\t');
        if (c.is_control() && !allowed_space)
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}')
        {
            return Some(TextProblem::Control);
        }
        if is_bidi_control(c) {
            return Some(TextProblem::Bidi);
        }
        // Tag characters only spell out an emoji flag (U+1F3F4 then tags,
        // ending in U+E007F); anywhere else they hide text from readers.
        if ('\u{E0000}'..='\u{E007F}').contains(&c)
            && !(c != '\u{E0001}' && matches!(prev, Some('\u{1F3F4}' | '\u{E0020}'..='\u{E007E}')))
        {
            return Some(TextProblem::Control);
        }
        prev = Some(c);
    }
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.chars().all(is_invisible) {
        return Some(TextProblem::Invisible);
    }
    None
}

/// `value` made fit for a one-line label without asking its author: control
/// characters, line separators, bidi controls and tag characters removed,
/// whitespace trimmed, and nothing at all left when only invisible
/// characters remain. For text the server is given rather than sent by a
/// form it could refuse, such as the `name` and `department` of a token.
pub fn clean_line(value: &str) -> String {
    let kept: String = value
        .chars()
        .filter(|c| {
            !(c.is_control()
                || is_bidi_control(*c)
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}'
                ))
        })
        .collect();
    let kept = kept.trim();
    if kept.chars().all(is_invisible) {
        String::new()
    } else {
        kept.to_owned()
    }
}

/// The writing system of a letter, for the look-alike rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
}

fn script_of(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    match c {
        'A'..='Z' | 'a'..='z' => Some(Script::Latin),
        '\u{00C0}'..='\u{024F}'
        | '\u{1D00}'..='\u{1D7F}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{2C60}'..='\u{2C7F}'
        | '\u{A720}'..='\u{A7FF}'
        | '\u{AB30}'..='\u{AB6F}'
        | '\u{FF21}'..='\u{FF3A}'
        | '\u{FF41}'..='\u{FF5A}' => Some(Script::Latin),
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Some(Script::Greek),
        '\u{0400}'..='\u{052F}'
        | '\u{1C80}'..='\u{1C8F}'
        | '\u{2DE0}'..='\u{2DFF}'
        | '\u{A640}'..='\u{A69F}' => Some(Script::Cyrillic),
        _ => None,
    }
}

/// Whether `label` has letters of more than one of Latin, Greek and
/// Cyrillic, the scripts whose letters look alike (`Сafe`, `Kubernetеs`).
/// Digits, punctuation, emoji and other scripts do not count.
pub fn mixes_scripts(label: &str) -> bool {
    let mut seen = None;
    for s in label.chars().filter_map(script_of) {
        match seen {
            None => seen = Some(s),
            Some(first) if first != s => return true,
            Some(_) => {}
        }
    }
    false
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

    /// Requires one-line text of `min..=max` characters (trimmed) that
    /// passes the character rule ([`text_problem`] with [`TextKind::Line`]).
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> &mut Self {
        self.text_of(TextKind::Line, field, value, min, max)
    }

    /// Like [`Checker::text`] for body text (markdown), which may also hold
    /// newlines and tabs.
    pub fn body(&mut self, field: &str, value: &str, min: usize, max: usize) -> &mut Self {
        self.text_of(TextKind::Body, field, value, min, max)
    }

    /// The character rule, then the length rule; one error per field.
    fn text_of(
        &mut self,
        kind: TextKind,
        field: &str,
        value: &str,
        min: usize,
        max: usize,
    ) -> &mut Self {
        if let Some(problem) = text_problem(value, kind) {
            let message = match problem {
                TextProblem::Control if kind == TextKind::Body => {
                    format!(
                        "{field} may not contain control characters other than newlines and tabs"
                    )
                }
                TextProblem::Control => format!("{field} may not contain control characters"),
                TextProblem::Bidi => {
                    format!("{field} may not contain characters that change the text direction")
                }
                TextProblem::Invisible => format!("{field} has no visible characters"),
            };
            return self.push(FieldError::new(field, codes::INVALID_CHARACTERS, message));
        }
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

    /// One tag label: one-line text of 1 to [`crate::tags::TAG_MAX_CHARS`]
    /// characters whose letters keep to one of Latin, Greek and Cyrillic.
    pub fn tag(&mut self, field: &str, label: &str) -> &mut Self {
        let before = self.errors.len();
        self.text(field, label, 1, crate::tags::TAG_MAX_CHARS);
        if self.errors.len() == before && mixes_scripts(label) {
            self.push(FieldError::new(
                field,
                codes::MIXED_SCRIPT,
                format!(
                    "{field} mixes Latin, Greek or Cyrillic letters that look alike; \
                     write it in one alphabet"
                ),
            ));
        }
        self
    }

    /// Each tag label ([`Checker::tag`]); at most `max` tags.
    pub fn tags(&mut self, field: &str, tags: &[String], max: usize) -> &mut Self {
        self.count(field, tags.len(), max);
        for (i, t) in tags.iter().enumerate() {
            self.tag(&format!("{field}[{i}]"), t);
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
    fn control_bidi_and_invisible_text_is_refused_field_by_field() {
        // Regression (issue 10 item 8): titles, tags and names accepted NUL,
        // ESC and other control characters, bidi overrides, and labels
        // made only of invisible characters.
        let hostile = [
            "Help\u{0}me please",
            "Help \u{1b}[31mred",
            "DEL\u{7f} is a control",
            "C1 \u{85} too",
            "evil \u{202E}txt.exe",
            "embedded \u{202A}left",
            "isolate \u{2066}here\u{2069}",
            "line \u{2028}separator",
            "hidden \u{E0041}\u{E0042} tags",
        ];
        for value in hostile {
            for kind in [TextKind::Line, TextKind::Body] {
                assert!(text_problem(value, kind).is_some(), "{value:?} as {kind:?}");
            }
            let errs = Checker::new()
                .text("title", value, 1, 100)
                .finish()
                .unwrap_err();
            assert_eq!(errs.len(), 1);
            assert_eq!(
                (errs[0].field.as_str(), errs[0].code.as_str()),
                ("title", codes::INVALID_CHARACTERS),
                "{value:?}"
            );
        }
        for invisible in [
            "\u{200D}",
            "\u{200B}\u{200C}",
            " \u{FEFF} ",
            "\u{2800}",
            "\u{3164}",
        ] {
            assert_eq!(
                text_problem(invisible, TextKind::Line),
                Some(TextProblem::Invisible),
                "{invisible:?}"
            );
        }
        // Lines refuse newlines and tabs; body text keeps them.
        assert_eq!(
            text_problem("a\nb", TextKind::Line),
            Some(TextProblem::Control)
        );
        assert_eq!(
            text_problem("a\tb", TextKind::Line),
            Some(TextProblem::Control)
        );
        assert_eq!(text_problem("a\r\n\tb", TextKind::Body), None);
        assert!(
            Checker::new()
                .body("body", "# Title\n\n- item\n\tcode", 1, 100)
                .finish()
                .is_ok()
        );
        // Ordinary text of every kind passes, including right-to-left text
        // with its implicit marks, emoji made with joiners, and flags.
        for fine in [
            "Café culture",
            "Kubernetes",
            "שלום\u{200F} world",
            "👩\u{200D}💻 coding",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Scotland",
            "日本語のタグ",
            "",
            "   ",
        ] {
            assert_eq!(text_problem(fine, TextKind::Line), None, "{fine:?}");
        }
    }

    #[test]
    fn tags_may_not_mix_look_alike_scripts() {
        // Regression (issue 10 item 8): a Cyrillic letter made a second tag
        // that looked the same as an existing one (`Сafe` next to `Cafe`),
        // and a zero-width joiner alone made an invisible tag.
        assert!(mixes_scripts("\u{0421}afe"));
        assert!(mixes_scripts("Kubernet\u{0435}s"));
        assert!(mixes_scripts("\u{03BF}pen source"));
        assert!(!mixes_scripts("Café culture"));
        assert!(!mixes_scripts("Кофе"));
        assert!(!mixes_scripts("Καφές"));
        assert!(!mixes_scripts("C++ & Node.js 2026"));
        assert!(!mixes_scripts("日本語 and English"));
        let tags = vec![
            "Cafe".to_owned(),
            "\u{0421}afe".to_owned(),
            "\u{200D}".to_owned(),
            "Кофе".to_owned(),
        ];
        let errs = Checker::new().tags("tags", &tags, 5).finish().unwrap_err();
        let got: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("tags[1]", codes::MIXED_SCRIPT),
                ("tags[2]", codes::INVALID_CHARACTERS)
            ]
        );
    }

    #[test]
    fn clean_line_strips_what_text_problem_refuses() {
        assert_eq!(clean_line(" Mia\u{202E}nimda\u{0} "), "Mianimda");
        assert_eq!(clean_line("Sa\u{1b}les\n"), "Sales");
        assert_eq!(clean_line("\u{200D}\u{2066}"), "");
        assert_eq!(clean_line("José Müller"), "José Müller");
        for s in ["a\u{E0041}b", "x\u{2028}y", "\u{7f}z"] {
            assert_eq!(text_problem(&clean_line(s), TextKind::Line), None, "{s:?}");
        }
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
