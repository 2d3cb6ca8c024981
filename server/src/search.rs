//! Full-text search of questions: the words of a search box or of a title
//! being typed, turned into a query for SQLite FTS5 (`MATCH`, ranked by
//! `bm25`) or PostgreSQL (`to_tsquery('simple', ..)`, ranked by `ts_rank`);
//! the statement is [`crate::db::questions::search`].
//!
//! The query text is built here from words of letters and digits only, so
//! no user input reaches either query language's operators, and both
//! databases see the same words: `Kubernetes upgr` finds "Upgrading
//! Kubernetes" on both (the last word is a prefix, as it is being typed).

use crate::store::Backend;

/// Most words of a query (the rest are ignored).
pub const MAX_WORDS: usize = 8;

/// Words too common to say what a question is about (English and Dutch);
/// dropped when any word may match, or every question would.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "can", "de", "do", "does", "een", "en", "for", "het", "hoe", "how",
    "i", "ik", "in", "is", "it", "je", "kan", "met", "my", "of", "on", "op", "or", "our", "te",
    "the", "to", "van", "voor", "wat", "we", "what", "wij", "with",
];

/// How the words combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every word must match (the search box).
    All,
    /// Any word may match, best first (similar questions while typing).
    Any,
}

/// The lower-cased words of `text` (letters and digits), at most
/// [`MAX_WORDS`]; stopwords dropped in [`Mode::Any`].
pub fn words(text: &str, mode: Mode) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| {
            mode == Mode::All || (w.chars().count() > 1 && !STOPWORDS.contains(&w.as_str()))
        })
        .take(MAX_WORDS)
        .collect()
}

/// The query text for `backend`, or None when there is nothing to search.
/// The last word is a prefix when `prefix_last`.
pub fn query(backend: Backend, text: &str, mode: Mode, prefix_last: bool) -> Option<String> {
    let words = words(text, mode);
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let prefix = prefix_last && i == last;
            match backend {
                Backend::Sqlite => format!("\"{w}\"{}", if prefix { "*" } else { "" }),
                Backend::Postgres => format!("{w}{}", if prefix { ":*" } else { "" }),
            }
        })
        .collect();
    let join = match (backend, mode) {
        (Backend::Sqlite, Mode::All) => " ",
        (Backend::Sqlite, Mode::Any) => " OR ",
        (Backend::Postgres, Mode::All) => " & ",
        (Backend::Postgres, Mode::Any) => " | ",
    };
    Some(terms.join(join))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_letters_and_digits_reach_the_query_language() {
        assert_eq!(
            query(
                Backend::Sqlite,
                "k8s\" OR * NEAR(x) -- drop",
                Mode::All,
                false
            )
            .as_deref(),
            Some("\"k8s\" \"or\" \"near\" \"x\" \"drop\"")
        );
        assert_eq!(
            query(Backend::Postgres, "a&b | !c:*", Mode::All, true).as_deref(),
            Some("a & b & c:*")
        );
        assert_eq!(query(Backend::Sqlite, " ?! ", Mode::All, false), None);
    }

    #[test]
    fn similar_questions_drop_stopwords_and_match_any_word() {
        assert_eq!(
            query(Backend::Sqlite, "How do we upgrade Kuber", Mode::Any, true).as_deref(),
            Some("\"upgrade\" OR \"kuber\"*")
        );
        assert_eq!(
            query(Backend::Postgres, "Hoe werkt de VPN", Mode::Any, false).as_deref(),
            Some("werkt | vpn")
        );
        assert_eq!(query(Backend::Sqlite, "how do I", Mode::Any, true), None);
    }

    #[test]
    fn words_keep_letters_with_diacritics() {
        assert_eq!(
            words("Café-cultuur één", Mode::All),
            ["café", "cultuur", "één"]
        );
    }
}
