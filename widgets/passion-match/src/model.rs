//! Plain logic of the passion match: which passions I share with a
//! colleague, and in which order colleagues are shown.

use km_protocol::passions::{Level, Passion, Profile};
use km_widgets_core::ui::tag_picker::tag_key;

use crate::strings::Key;

/// Default number of colleagues shown.
pub const DEFAULT_LIMIT: u32 = 6;
/// Largest `limit` attribute honoured.
pub const MAX_LIMIT: u32 = 50;

/// The comparison key of a passion: the server's normalized `tag_key`, or a
/// local folding of the label when a server left it out.
pub fn passion_key(p: &Passion) -> String {
    if p.tag_key.trim().is_empty() {
        tag_key(&p.tag)
    } else {
        p.tag_key.trim().to_lowercase()
    }
}

/// The keys of my passions (empty when I am not signed in or have none).
pub fn my_keys(profile: Option<&Profile>) -> Vec<String> {
    profile
        .map(|p| p.passions.iter().map(passion_key).collect())
        .unwrap_or_default()
}

/// Whether I have `passion` too.
pub fn is_shared(passion: &Passion, mine: &[String]) -> bool {
    let k = passion_key(passion);
    mine.contains(&k)
}

/// How many of `colleague`'s passions I share.
pub fn shared_count(colleague: &Profile, mine: &[String]) -> usize {
    colleague
        .passions
        .iter()
        .filter(|p| is_shared(p, mine))
        .count()
}

/// Colleagues with the most passions in common first; the server's order
/// is kept among equals (a stable sort).
pub fn rank_colleagues(mut colleagues: Vec<Profile>, mine: &[String]) -> Vec<Profile> {
    colleagues.sort_by_key(|c| std::cmp::Reverse(shared_count(c, mine)));
    colleagues
}

/// The string key naming a level.
pub fn level_key(level: Level) -> Key {
    match level {
        Level::Love => Key::LevelLove,
        Level::Curious => Key::LevelCurious,
        Level::Teach => Key::LevelTeach,
        Level::Learn => Key::LevelLearn,
    }
}

/// The CSS class suffix of a level (`pm-level-teach`).
pub fn level_class(level: Level) -> &'static str {
    match level {
        Level::Love => "pm-level-love",
        Level::Curious => "pm-level-curious",
        Level::Teach => "pm-level-teach",
        Level::Learn => "pm-level-learn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use km_protocol::PersonSummary;
    use km_widgets_core::{Lang, Translate};

    fn passion(tag: &str, key: &str, level: Level) -> Passion {
        Passion {
            tag: tag.into(),
            tag_key: key.into(),
            level,
        }
    }

    fn profile(name: &str, passions: Vec<Passion>) -> Profile {
        Profile {
            person: PersonSummary {
                id: name.to_lowercase(),
                name: name.into(),
                department: None,
            },
            passions,
            why: String::new(),
            open_to_chat: false,
            visibility: Default::default(),
            updated_at: None,
        }
    }

    #[test]
    fn shared_passions_match_on_the_normalized_key() {
        let me = profile(
            "Me",
            vec![
                passion("Café culture", "cafe culture", Level::Love),
                passion("Rust", "", Level::Learn),
            ],
        );
        let mine = my_keys(Some(&me));
        assert!(is_shared(
            &passion("cafe culture", "cafe culture", Level::Teach),
            &mine
        ));
        // No key from the server: the label is folded locally.
        assert!(is_shared(&passion(" RUST ", "", Level::Love), &mine));
        assert!(!is_shared(&passion("Go", "go", Level::Love), &mine));
        assert!(!is_shared(&passion("Rust", "rust", Level::Love), &[]));
        assert!(my_keys(None).is_empty());
    }

    #[test]
    fn colleagues_with_more_in_common_come_first_and_ties_keep_order() {
        let mine = vec!["rust".to_owned(), "design".to_owned()];
        let a = profile("A", vec![passion("Go", "go", Level::Love)]);
        let b = profile("B", vec![passion("Rust", "rust", Level::Love)]);
        let c = profile(
            "C",
            vec![
                passion("Rust", "rust", Level::Teach),
                passion("Design", "design", Level::Curious),
            ],
        );
        let d = profile("D", vec![passion("Design", "design", Level::Love)]);
        let ranked = rank_colleagues(vec![a, b, c, d], &mine);
        let names: Vec<_> = ranked.iter().map(|p| p.person.name.as_str()).collect();
        assert_eq!(names, ["C", "B", "D", "A"]);
        assert_eq!(shared_count(&ranked[0], &mine), 2);
    }

    #[test]
    fn every_level_has_words_in_both_languages() {
        for level in [Level::Love, Level::Curious, Level::Teach, Level::Learn] {
            assert!(!level_key(level).get(Lang::Nl).is_empty());
            assert!(level_class(level).starts_with("pm-level-"));
        }
        assert_eq!(level_key(Level::Teach).get(Lang::En), "can teach");
        assert_eq!(level_key(Level::Learn).get(Lang::Nl), "wil het leren");
    }
}
