//! Plain logic of ask the community: how a question's facts read.

use km_protocol::questions::{QuestionSummary, Urgency};
use km_widgets_core::Lang;
use km_widgets_core::i18n::plural;

use crate::strings::Key;

/// Default number of questions shown.
pub const DEFAULT_LIMIT: u32 = 10;
/// Largest `limit` attribute honoured.
pub const MAX_LIMIT: u32 = 50;

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

/// The need-by date to show in the urgent badge: only for urgent questions.
pub fn urgent_need_by(q: &QuestionSummary) -> Option<Option<&str>> {
    (q.urgency == Urgency::Urgent).then(|| q.need_by.as_deref().filter(|d| !d.trim().is_empty()))
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
        }
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
    fn only_urgent_questions_get_a_need_by_badge() {
        let mut x = q();
        x.need_by = Some("2026-11-24".into());
        assert_eq!(urgent_need_by(&x), None);
        x.urgency = Urgency::Urgent;
        assert_eq!(urgent_need_by(&x), Some(Some("2026-11-24")));
        x.need_by = None;
        assert_eq!(urgent_need_by(&x), Some(None));
    }
}
