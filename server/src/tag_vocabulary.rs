//! The shared tag vocabulary: normalization, synonyms, and which records use
//! which tag.
//!
//! A tag's key folds case, surrounding and repeated whitespace and
//! diacritics (`" Café  Culture"` → `cafe culture`); the first display form
//! seen is kept as its label. An admin can map an alias key onto a tag.
//! Every use is a row in `tag_links`; `/tags` lists and counts only the
//! uses its caller could see through the other endpoints
//! ([`visible_uses_sql`]). The statements are in [`crate::db::tags`].

use km_protocol::validate::is_invisible;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub use crate::db::tags::{lookup_key, resolve, set_links, visible_uses_sql};

/// The display form of a label: trimmed, inner whitespace collapsed.
pub fn clean_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The matching key of a label. Invisible characters inside a label (a
/// zero-width space, a joiner) are left out of the key, so `Rust` with a
/// hidden character is the tag `Rust`, not a second tag that looks the same.
pub fn normalize_key(label: &str) -> String {
    clean_label(label)
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && (*c == ' ' || !is_invisible(*c)))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A resolved tag: its key and display label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTag {
    /// The normalized key.
    pub key: String,
    /// The display form.
    pub label: String,
}

/// Labels as stored on a record (a JSON array).
pub fn labels_json(tags: &[ResolvedTag]) -> String {
    serde_json::to_string(&tags.iter().map(|t| &t.label).collect::<Vec<_>>()).unwrap_or_default()
}

/// The inverse of [`labels_json`] (an empty list for anything unreadable).
pub fn labels_from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_whitespace_and_diacritics() {
        assert_eq!(normalize_key("  Café   Culture "), "cafe culture");
        assert_eq!(normalize_key("CAFE culture"), "cafe culture");
        assert_eq!(normalize_key("Privacy & AVG"), "privacy & avg");
        assert_eq!(normalize_key("Ünïcödé"), "unicode");
        assert_eq!(clean_label("  Service \t design "), "Service design");
        assert_eq!(normalize_key("   "), "");
    }

    #[test]
    fn invisible_characters_make_no_second_tag() {
        // Regression (issue 10 item 8): a zero-width character inside a
        // label made a second tag that looked exactly like the first.
        for hidden in [
            "Ru\u{200B}st",
            "Rust\u{2060}",
            "\u{FEFF}Rust",
            "Ru\u{00AD}st",
            "R\u{200D}ust",
        ] {
            assert_eq!(normalize_key(hidden), "rust", "{hidden:?}");
        }
        // Fullwidth letters fold too (NFKD).
        assert_eq!(normalize_key("\u{FF32}ust"), "rust");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
