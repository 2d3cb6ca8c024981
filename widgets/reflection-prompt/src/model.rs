//! Plain logic of the reflection prompt: the form's values and the body it
//! sends.

use km_protocol::reflections::{
    Cadence, NewReflection, Reaction, Reflection, ReflectionVisibility, Stage,
};

use crate::strings::Key;

/// The energy levels offered.
pub const ENERGY_LEVELS: [i64; 5] = [1, 2, 3, 4, 5];
/// Longest label of a waiting submission in the outbox.
pub const LABEL_MAX_CHARS: usize = 60;

/// The energy select's value: `""` is none, `"1"`..`"5"` a level; anything
/// else is kept as typed so validation can report it.
pub fn parse_energy(value: &str) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() { None } else { v.parse().ok() }
}

/// The choices of the visibility radio group, private (the default) first.
pub const VISIBILITIES: [ReflectionVisibility; 3] = [
    ReflectionVisibility::Private,
    ReflectionVisibility::Shared,
    ReflectionVisibility::Anonymous,
];

/// The form value of a visibility (`private`, `shared`, `anonymous`).
pub fn visibility_value(v: ReflectionVisibility) -> &'static str {
    match v {
        ReflectionVisibility::Private => "private",
        ReflectionVisibility::Shared => "shared",
        ReflectionVisibility::Anonymous => "anonymous",
    }
}

/// The words for a visibility.
pub fn visibility_key(v: ReflectionVisibility) -> Key {
    match v {
        ReflectionVisibility::Private => Key::VisibilityPrivate,
        ReflectionVisibility::Shared => Key::VisibilityShared,
        ReflectionVisibility::Anonymous => Key::VisibilityAnonymous,
    }
}

/// The words for a stage.
pub fn stage_key(s: Stage) -> Key {
    match s {
        Stage::Seek => Key::StageSeek,
        Stage::Sense => Key::StageSense,
        Stage::Share => Key::StageShare,
    }
}

/// The CSS class of a stage badge.
pub fn stage_class(s: Stage) -> &'static str {
    match s {
        Stage::Seek => "rp-stage-seek",
        Stage::Sense => "rp-stage-sense",
        Stage::Share => "rp-stage-share",
    }
}

/// The "already done" note for a cadence.
pub fn done_key(c: Cadence) -> Key {
    match c {
        Cadence::Daily => Key::DoneDaily,
        Cadence::Weekly | Cadence::Weekday => Key::DoneWeekly,
    }
}

/// The nudge when this period's reflection is still open.
pub fn due_key(c: Cadence) -> Key {
    match c {
        Cadence::Daily => Key::DueDaily,
        Cadence::Weekly | Cadence::Weekday => Key::DueWeekly,
    }
}

/// The cadences offered, in order.
pub const CADENCES: [Cadence; 3] = [Cadence::Daily, Cadence::Weekly, Cadence::Weekday];

/// The words for a cadence.
pub fn cadence_key(c: Cadence) -> Key {
    match c {
        Cadence::Daily => Key::CadenceDaily,
        Cadence::Weekly => Key::CadenceWeekly,
        Cadence::Weekday => Key::CadenceWeekday,
    }
}

/// The name of weekday `d` (1 = Monday … 7 = Sunday).
pub fn weekday_key(d: u8) -> Key {
    [
        Key::Day1,
        Key::Day2,
        Key::Day3,
        Key::Day4,
        Key::Day5,
        Key::Day6,
        Key::Day7,
    ][usize::from(d.clamp(1, 7) - 1)]
}

/// The words for a reaction.
pub fn reaction_key(r: Reaction) -> Key {
    match r {
        Reaction::Insightful => Key::ReactInsightful,
        Reaction::Thanks => Key::ReactThanks,
        Reaction::MeToo => Key::ReactMeToo,
    }
}

/// Where a `km-prefill` event is meant to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefillTarget {
    /// A question in `km-ask-the-community`.
    Question,
    /// A story in `km-story-board`.
    Story,
}

impl PrefillTarget {
    /// The receiving widget's kind (`detail.target`).
    pub fn kind(self) -> &'static str {
        match self {
            PrefillTarget::Question => "ask-the-community",
            PrefillTarget::Story => "story-board",
        }
    }
}

/// Longest title a prefill proposes.
pub const PREFILL_TITLE_MAX: usize = 100;

/// The `km-prefill` detail of a reflection: a title (its first sentence or
/// line, shortened), the whole text as body, and its tags.
pub fn prefill(r: &Reflection) -> (String, String, Vec<String>) {
    let text = r.body.trim();
    let first = text
        .split(['\n', '.', '?', '!'])
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(text);
    let plain: String = first
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect();
    let title = if plain.chars().count() <= PREFILL_TITLE_MAX {
        plain
    } else {
        let cut: String = plain.chars().take(PREFILL_TITLE_MAX - 1).collect();
        format!("{}…", cut.trim_end())
    };
    (title, text.to_owned(), r.tags.clone())
}

/// The body sent to `POST /reflections`.
pub fn new_reflection(
    prompt_id: Option<String>,
    body: &str,
    energy: Option<i64>,
    tags: Vec<String>,
    visibility: ReflectionVisibility,
) -> NewReflection {
    NewReflection {
        prompt_id,
        body: body.trim().to_owned(),
        energy,
        tags,
        visibility,
    }
}

/// A short label of a waiting reflection: its first words, cut at a
/// character boundary with an ellipsis.
pub fn outbox_label(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= LABEL_MAX_CHARS {
        flat
    } else {
        let cut: String = flat.chars().take(LABEL_MAX_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Whether a field error belongs to a field this form shows (others are
/// shown as a general error).
pub fn is_form_field(field: &str) -> bool {
    ["body", "energy", "visibility", "tags"]
        .iter()
        .any(|f| km_widgets_core::ui::fields::field_matches(field, f))
}

/// A cadence period as the server names it: an ISO week (`2026-W47`) or a
/// day (`2026-11-22`: a daily period, or the first day of a weekday one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodName<'a> {
    /// ISO week `week` of `year`.
    Week {
        /// The ISO year.
        year: &'a str,
        /// The week number without a leading zero.
        week: &'a str,
    },
    /// A `YYYY-MM-DD` day.
    Day(&'a str),
    /// A name this widget does not know (shown as it is).
    Other(&'a str),
}

/// Reads a period's name.
pub fn period_name(name: &str) -> PeriodName<'_> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((year, week)) = name.split_once("-W")
        && digits(year)
        && digits(week)
    {
        let week = week.trim_start_matches('0');
        return PeriodName::Week { year, week };
    }
    let parts: Vec<&str> = name.split('-').collect();
    if let [y, m, d] = parts.as_slice()
        && y.len() == 4
        && m.len() == 2
        && d.len() == 2
        && [y, m, d].iter().all(|p| digits(p))
    {
        return PeriodName::Day(name);
    }
    PeriodName::Other(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use km_protocol::Validate;
    use km_protocol::validate::codes;
    use km_widgets_core::{Lang, Translate};

    #[test]
    fn energy_is_optional_and_kept_as_chosen() {
        assert_eq!(parse_energy(""), None);
        assert_eq!(parse_energy("4"), Some(4));
        assert_eq!(parse_energy("x"), None);
        // Out of range is kept, so validation names it.
        let r = new_reflection(
            None,
            "A thought",
            parse_energy("9"),
            vec![],
            Default::default(),
        );
        assert_eq!(r.validate().unwrap_err()[0].field, "energy");
    }

    #[test]
    fn the_body_is_trimmed_and_blank_is_required() {
        let r = new_reflection(
            Some("seek-01".into()),
            "  Learned a lot  ",
            Some(3),
            vec!["Rust".into()],
            ReflectionVisibility::Shared,
        );
        assert_eq!(r.body, "Learned a lot");
        assert_eq!(r.prompt_id.as_deref(), Some("seek-01"));
        assert!(r.validate().is_ok());
        let blank = new_reflection(None, "   ", None, vec![], Default::default());
        let errs = blank.validate().unwrap_err();
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code.as_str()),
            ("body", codes::REQUIRED)
        );
    }

    #[test]
    fn private_is_the_default_and_first_choice() {
        assert_eq!(VISIBILITIES[0], ReflectionVisibility::default());
        assert_eq!(
            VISIBILITIES.map(visibility_value),
            ["private", "shared", "anonymous"]
        );
        assert_eq!(
            visibility_key(ReflectionVisibility::Private).get(Lang::Nl),
            "Alleen ik"
        );
    }

    #[test]
    fn stages_and_cadences_have_words() {
        assert_eq!(stage_key(Stage::Seek).get(Lang::Nl), "Zoeken");
        assert_eq!(stage_key(Stage::Share).get(Lang::En), "Share");
        assert_eq!(stage_class(Stage::Sense), "rp-stage-sense");
        assert!(
            done_key(Cadence::Weekly)
                .get(Lang::En)
                .contains("this week")
        );
    }

    #[test]
    fn a_prefill_proposes_the_first_sentence_as_title() {
        let r = Reflection {
            id: "r1".into(),
            prompt_id: None,
            body: "How do we **share** retour tips? We keep forgetting.".into(),
            energy: None,
            tags: vec!["Retouren".into()],
            visibility: ReflectionVisibility::Private,
            author: None,
            created_at: String::new(),
            reactions: Default::default(),
            my_reactions: vec![],
        };
        let (title, body, tags) = prefill(&r);
        assert_eq!(title, "How do we share retour tips");
        assert!(body.ends_with("forgetting."));
        assert_eq!(tags, ["Retouren"]);
        assert_eq!(PrefillTarget::Story.kind(), "story-board");
    }

    #[test]
    fn days_cadences_and_reactions_have_words() {
        assert_eq!(weekday_key(5).get(Lang::Nl), "vrijdag");
        assert_eq!(weekday_key(7).get(Lang::En), "Sunday");
        assert_eq!(cadence_key(Cadence::Daily).get(Lang::Nl), "Elke dag");
        assert_eq!(reaction_key(Reaction::MeToo).get(Lang::Nl), "Herkenbaar");
        assert!(
            due_key(Cadence::Weekday)
                .get(Lang::En)
                .contains("this week")
        );
    }

    #[test]
    fn outbox_labels_are_the_first_words() {
        assert_eq!(outbox_label("  short\n text "), "short text");
        let long = "word ".repeat(30);
        let l = outbox_label(&long);
        assert!(l.chars().count() <= LABEL_MAX_CHARS);
        assert!(l.ends_with('…'));
    }

    #[test]
    fn only_shown_fields_count_as_form_fields() {
        assert!(is_form_field("body"));
        assert!(is_form_field("energy"));
        assert!(is_form_field("tags[0]"));
        assert!(!is_form_field("prompt_id"));
    }

    #[test]
    fn period_names_are_read_for_people() {
        assert_eq!(
            period_name("2026-W07"),
            PeriodName::Week {
                year: "2026",
                week: "7"
            }
        );
        assert_eq!(
            period_name("2026-W47"),
            PeriodName::Week {
                year: "2026",
                week: "47"
            }
        );
        assert_eq!(period_name("2026-11-20"), PeriodName::Day("2026-11-20"));
        for odd in ["", "2026-W", "W47", "2026-11", "26-11-20", "2026-1x-20"] {
            assert_eq!(period_name(odd), PeriodName::Other(odd), "{odd}");
        }
    }
}
