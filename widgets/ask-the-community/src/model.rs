//! Plain logic of ask the community: how a question's facts read, the
//! widget's modes, the ask form's request, `km-prefill` details, and what
//! changed between two polls of a question.

use km_protocol::questions::{NewQuestion, Question, QuestionSummary, Urgency};
use km_widgets_core::Lang;
use km_widgets_core::i18n::plural;

use crate::strings::Key;

/// Default number of questions shown.
pub const DEFAULT_LIMIT: u32 = 10;
/// Largest `limit` attribute honoured.
pub const MAX_LIMIT: u32 = 50;
/// The `limit` attribute of the full list.
pub type PageLimit = km_widgets_core::Limit<DEFAULT_LIMIT, MAX_LIMIT>;
/// The `limit` attribute of `mode="unanswered"`.
pub type CompactLimit = km_widgets_core::Limit<5, MAX_LIMIT>;

/// How often the question on screen is polled for new answers (only while
/// the page is visible).
pub const POLL_MS: u32 = 5_000;
/// How long the title rests before similar questions are looked up.
pub const SIMILAR_DEBOUNCE_MS: u32 = 300;
/// Shortest title (characters) that is looked up for similar questions.
pub const SIMILAR_MIN_CHARS: usize = 4;

/// The `mode` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Lists, search, a question with its answers, and the ask form.
    Full,
    /// Only the ask form.
    Ask,
    /// A compact list of unanswered questions (a sidebar).
    Unanswered,
}

impl Mode {
    /// The mode of an attribute value (`full` when missing or unknown).
    pub fn parse(value: Option<&str>) -> Mode {
        match value.map(str::trim) {
            Some("ask") => Mode::Ask,
            Some("unanswered") => Mode::Unanswered,
            _ => Mode::Full,
        }
    }
}

impl km_widgets_core::FromAttr for Mode {
    fn from_attr(value: Option<&str>) -> Self {
        Mode::parse(value)
    }
}

/// The request of the ask form. The need-by date is sent only for urgent
/// questions; the title is trimmed.
pub fn new_question(
    title: &str,
    body: &str,
    tags: Vec<String>,
    urgent: bool,
    need_by: &str,
    anonymous: bool,
) -> NewQuestion {
    let need_by = need_by.trim();
    NewQuestion {
        title: title.trim().to_owned(),
        body: body.trim_end().to_owned(),
        tags,
        urgency: if urgent {
            Urgency::Urgent
        } else {
            Urgency::Normal
        },
        need_by: (urgent && !need_by.is_empty()).then(|| need_by.to_owned()),
        anonymous,
    }
}

/// The fields of the ask form a server error may name.
pub fn is_form_field(field: &str) -> bool {
    ["title", "body", "tags", "need_by"]
        .iter()
        .any(|f| km_widgets_core::ui::fields::field_matches(field, f))
}

/// The change log's words for a recorded action (`None` for an action a
/// newer server records and this widget does not know).
pub fn change_key(action: &str) -> Option<Key> {
    Some(match action {
        "asked" => Key::ChangeAsked,
        "answered" => Key::ChangeAnswered,
        "edited" => Key::ChangeEdited,
        "answer_edited" => Key::ChangeAnswerEdited,
        "accepted" => Key::ChangeAccepted,
        "unaccepted" => Key::ChangeUnaccepted,
        "hidden" => Key::ChangeHidden,
        "shown" => Key::ChangeShown,
        "answer_hidden" => Key::ChangeAnswerHidden,
        "answer_shown" => Key::ChangeAnswerShown,
        "duplicate" => Key::ChangeDuplicate,
        "reopened" => Key::ChangeReopened,
        "retagged" => Key::ChangeRetagged,
        "invited" => Key::ChangeInvited,
        _ => return None,
    })
}

/// How many answers `new` has that `old` had not (to announce them).
pub fn new_answers(old: &Question, new: &Question) -> usize {
    new.answers
        .iter()
        .filter(|a| !old.answers.iter().any(|o| o.id == a.id))
        .count()
}

/// "1 answer", "3 answers", "1 antwoord", "3 antwoorden".
pub fn answers_text(lang: Lang, count: i64) -> String {
    plural(lang, count.max(0), Key::AnswersOne, Key::AnswersOther)
}

/// Who asked a question, as shown to readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asker {
    /// A named person.
    Named(String),
    /// Asked anonymously (or the server left the author out).
    Anonymous,
}

/// The asker of `q`: anonymous when the question says so, whatever author
/// a server might still send.
pub fn asker(q: &QuestionSummary) -> Asker {
    match &q.author {
        Some(a) if !q.anonymous && !a.name.trim().is_empty() => Asker::Named(a.name.clone()),
        _ => Asker::Anonymous,
    }
}

/// The name to show for an answer's author or a change's actor: none when
/// the question's anonymous asker wrote or did it, whatever person a
/// server might still send.
pub fn shown_name(person: Option<&km_protocol::PersonSummary>, anonymous: bool) -> Option<String> {
    person
        .filter(|p| !anonymous && !p.name.trim().is_empty())
        .map(|p| p.name.clone())
}

/// What an urgent question shows about its urgency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrgentNote<'a> {
    /// The Urgent badge, with its need-by date if any.
    Urgent(Option<&'a str>),
    /// The date has passed and nobody solved it: "was needed by …", no badge.
    WasNeeded(&'a str),
}

/// The urgency to show for `q` on `today` (`YYYY-MM-DD`, the person's
/// day): nothing once it is solved or was never urgent.
pub fn urgent_note<'a>(q: &'a QuestionSummary, today: &str) -> Option<UrgentNote<'a>> {
    if q.urgency != Urgency::Urgent || q.solved {
        return None;
    }
    let need_by = q.need_by.as_deref().filter(|d| !d.trim().is_empty());
    Some(match need_by {
        Some(d) if d.get(..10).is_some_and(|day| day < today) => UrgentNote::WasNeeded(d),
        _ => UrgentNote::Urgent(need_by),
    })
}

/// Today in the browser's time zone, `YYYY-MM-DD`.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use km_protocol::PersonSummary;

    fn q() -> QuestionSummary {
        QuestionSummary {
            id: "q1".into(),
            title: "How do we onboard faster?".into(),
            tags: vec![],
            urgency: Urgency::Normal,
            need_by: None,
            author: Some(PersonSummary {
                id: "u1".into(),
                name: "Mia".into(),
                department: None,
            }),
            anonymous: false,
            answer_count: 0,
            votes: 0,
            solved: false,
            created_at: "2026-11-20T10:00:00Z".into(),
            duplicate_of: None,
        }
    }

    #[test]
    fn modes_default_to_full() {
        assert_eq!(Mode::parse(None), Mode::Full);
        assert_eq!(Mode::parse(Some("ask")), Mode::Ask);
        assert_eq!(Mode::parse(Some(" unanswered ")), Mode::Unanswered);
        assert_eq!(Mode::parse(Some("sidebar")), Mode::Full);
    }

    #[test]
    fn need_by_is_sent_only_for_urgent_questions() {
        let q = new_question(" Title here ", "Body  ", vec![], false, "2026-12-01", true);
        assert_eq!(q.title, "Title here");
        assert_eq!(q.body, "Body");
        assert_eq!(q.need_by, None);
        assert!(q.anonymous);
        let q = new_question("T", "", vec![], true, " 2026-12-01 ", false);
        assert_eq!(q.urgency, Urgency::Urgent);
        assert_eq!(q.need_by.as_deref(), Some("2026-12-01"));
        assert_eq!(
            new_question("T", "", vec![], true, " ", false).need_by,
            None
        );
    }

    #[test]
    fn new_answers_are_counted_by_id() {
        let a = |id: &str| km_protocol::questions::Answer {
            id: id.into(),
            body: String::new(),
            author: Some(PersonSummary {
                id: "u".into(),
                name: "U".into(),
                department: None,
            }),
            anonymous: false,
            accepted: false,
            votes: 0,
            created_at: String::new(),
            edited_at: None,
            my_vote: false,
            mine: false,
        };
        let old = Question {
            summary: q(),
            body: String::new(),
            answers: vec![a("1")],
            edited_at: None,
            hidden: false,
            viewer: Default::default(),
        };
        let mut new = old.clone();
        assert_eq!(new_answers(&old, &new), 0);
        new.answers.push(a("2"));
        new.answers.swap(0, 1);
        assert_eq!(new_answers(&old, &new), 1);
    }

    #[test]
    fn answer_counts_are_plural_aware_in_both_languages() {
        assert_eq!(answers_text(Lang::En, 1), "1 answer");
        assert_eq!(answers_text(Lang::En, 0), "0 answers");
        assert_eq!(answers_text(Lang::En, 3), "3 answers");
        assert_eq!(answers_text(Lang::Nl, 1), "1 antwoord");
        assert_eq!(answers_text(Lang::Nl, 3), "3 antwoorden");
        // A nonsense negative count from a server reads as none.
        assert_eq!(answers_text(Lang::En, -2), "0 answers");
    }

    #[test]
    fn the_anonymous_askers_answers_and_changes_never_show_a_name() {
        let mia = PersonSummary {
            id: "u1".into(),
            name: "Mia".into(),
            department: None,
        };
        assert_eq!(shown_name(Some(&mia), false), Some("Mia".into()));
        assert_eq!(shown_name(Some(&mia), true), None);
        assert_eq!(shown_name(None, false), None);
    }

    #[test]
    fn anonymous_questions_never_show_a_name() {
        let mut x = q();
        assert_eq!(asker(&x), Asker::Named("Mia".into()));
        x.anonymous = true;
        assert_eq!(asker(&x), Asker::Anonymous);
        x.anonymous = false;
        x.author = None;
        assert_eq!(asker(&x), Asker::Anonymous);
    }

    #[test]
    fn every_action_the_server_records_reads_as_words() {
        use km_widgets_core::Translate;
        let actions = [
            "asked",
            "answered",
            "edited",
            "answer_edited",
            "accepted",
            "unaccepted",
            "hidden",
            "shown",
            "answer_hidden",
            "answer_shown",
            "duplicate",
            "reopened",
            "retagged",
            "invited",
        ];
        for a in actions {
            let k = change_key(a).unwrap_or_else(|| panic!("{a}"));
            assert_ne!(k.get(Lang::En), k.get(Lang::Nl), "{a}");
        }
        assert_eq!(change_key("merged"), None);
    }

    #[test]
    fn only_urgent_questions_get_a_need_by_badge() {
        let mut x = q();
        x.need_by = Some("2026-11-24".into());
        assert_eq!(urgent_note(&x, "2026-11-20"), None);
        x.urgency = Urgency::Urgent;
        assert_eq!(
            urgent_note(&x, "2026-11-20"),
            Some(UrgentNote::Urgent(Some("2026-11-24")))
        );
        x.need_by = None;
        assert_eq!(
            urgent_note(&x, "2026-11-20"),
            Some(UrgentNote::Urgent(None))
        );
    }

    #[test]
    fn the_urgent_badge_goes_when_solved_or_when_its_date_has_passed() {
        let mut urgent = q();
        urgent.urgency = Urgency::Urgent;
        urgent.need_by = Some("2026-12-08".into());
        assert_eq!(
            urgent_note(&urgent, "2026-12-08"),
            Some(UrgentNote::Urgent(Some("2026-12-08")))
        );
        assert_eq!(
            urgent_note(&urgent, "2026-12-01"),
            Some(UrgentNote::Urgent(Some("2026-12-08")))
        );
        assert_eq!(
            urgent_note(&urgent, "2026-12-09"),
            Some(UrgentNote::WasNeeded("2026-12-08"))
        );
        urgent.need_by = None;
        assert_eq!(
            urgent_note(&urgent, "2026-12-09"),
            Some(UrgentNote::Urgent(None))
        );
        urgent.need_by = Some("2026-12-08".into());
        urgent.solved = true;
        assert_eq!(urgent_note(&urgent, "2026-12-01"), None);
        assert_eq!(urgent_note(&q(), "2026-12-01"), None);
    }
}
