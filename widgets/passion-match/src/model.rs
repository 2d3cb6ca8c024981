//! Plain logic of the passion match: which passions I share with a
//! colleague, in which order colleagues are shown, the editable form of my
//! profile, and the one-sentence reason of a match.

use km_protocol::matches::{Direction, Match};
use km_protocol::passions::{Level, Passion, Profile, ProfileUpdate, Visibility};
use km_widgets_core::i18n::fill;
use km_widgets_core::ui::tag_picker::tag_key;
use km_widgets_core::{ApiError, Lang, Translate};

use crate::strings::Key;

/// The `mode` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// My passions, matches, intros and circles (the default).
    Full,
    /// `mode="compact"`: my top matches and an "Edit my passions" toggle.
    Compact,
}

impl km_widgets_core::FromAttr for Mode {
    fn from_attr(value: Option<&str>) -> Self {
        match value {
            Some("compact") => Mode::Compact,
            _ => Mode::Full,
        }
    }
}

/// Default number of matches (and colleagues) per page.
pub const DEFAULT_LIMIT: u32 = 6;
/// Matches shown in `mode="compact"`.
pub const COMPACT_LIMIT: u32 = 3;
/// The levels, in the order the editor offers them.
pub const LEVELS: [Level; 4] = [Level::Love, Level::Curious, Level::Teach, Level::Learn];
/// The visibilities, in the order the editor offers them.
pub const VISIBILITIES: [Visibility; 3] = [
    Visibility::Organization,
    Visibility::Department,
    Visibility::Hidden,
];
/// Largest `limit` attribute honoured.
pub const MAX_LIMIT: u32 = 50;
/// The `limit` attribute.
pub type PageLimit = km_widgets_core::Limit<DEFAULT_LIMIT, MAX_LIMIT>;

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

/// The `<select>` value of a level.
pub fn level_value(level: Level) -> &'static str {
    match level {
        Level::Love => "love",
        Level::Curious => "curious",
        Level::Teach => "teach",
        Level::Learn => "learn",
    }
}

/// The level of a `<select>` value (unknown: love).
pub fn parse_level(value: &str) -> Level {
    LEVELS
        .into_iter()
        .find(|l| level_value(*l) == value)
        .unwrap_or_default()
}

/// The editor's name of a level ("I love this").
pub fn level_choice_key(level: Level) -> Key {
    match level {
        Level::Love => Key::ChoiceLove,
        Level::Curious => Key::ChoiceCurious,
        Level::Teach => Key::ChoiceTeach,
        Level::Learn => Key::ChoiceLearn,
    }
}

/// The editor's name of a visibility.
pub fn visibility_key(v: Visibility) -> Key {
    match v {
        Visibility::Organization => Key::VisibleOrganization,
        Visibility::Department => Key::VisibleDepartment,
        Visibility::Hidden => Key::VisibleHidden,
    }
}

/// The form of a saved profile.
pub fn form_of(profile: &Profile) -> ProfileUpdate {
    ProfileUpdate {
        passions: profile
            .passions
            .iter()
            .map(|p| Passion {
                tag: p.tag.clone(),
                tag_key: String::new(),
                level: p.level,
            })
            .collect(),
        why: profile.why.clone(),
        open_to_chat: profile.open_to_chat,
        visibility: profile.visibility,
    }
}

/// The passions of `form` after the tag picker chose `labels`: kept ones
/// keep their level, new ones start at "I love this", in the picker's order.
pub fn with_labels(form: &ProfileUpdate, labels: &[String]) -> Vec<Passion> {
    labels
        .iter()
        .map(|l| {
            let level = form
                .passions
                .iter()
                .find(|p| tag_key(&p.tag) == tag_key(l))
                .map(|p| p.level)
                .unwrap_or_default();
            Passion {
                tag: l.clone(),
                tag_key: String::new(),
                level,
            }
        })
        .collect()
}

/// The labels of a form's passions (what the tag picker shows).
pub fn labels_of(form: &ProfileUpdate) -> Vec<String> {
    form.passions.iter().map(|p| p.tag.clone()).collect()
}

/// "A, B and C" in `lang`.
pub fn join_list(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), Key::And.get(lang)),
    }
}

/// The one-sentence reason of a match, from its shared passions and
/// teach/learn pairs ("You both love service design; Mia can teach
/// Kubernetes, which you want to learn."). `my_levels` are my passions'
/// keys and levels; a passion we both love says "love", others "care about".
pub fn reason(lang: Lang, m: &Match, my_levels: &[(String, Level)]) -> String {
    let first = m
        .person
        .name
        .split_whitespace()
        .next()
        .unwrap_or(&m.person.name)
        .to_owned();
    let mine = |p: &Passion| {
        let k = passion_key(p);
        my_levels.iter().find(|(mk, _)| *mk == k).map(|(_, l)| *l)
    };
    let complement_keys: Vec<String> = m
        .complementary
        .iter()
        .map(|c| tag_key(&c.tag_key))
        .collect();
    let shared: Vec<&Passion> = m
        .shared
        .iter()
        .filter(|p| !complement_keys.contains(&passion_key(p)))
        .take(2)
        .collect();
    let mut parts = Vec::new();
    let loved: Vec<String> = shared
        .iter()
        .filter(|p| p.level == Level::Love && mine(p) == Some(Level::Love))
        .map(|p| p.tag.clone())
        .collect();
    let other: Vec<String> = shared
        .iter()
        .filter(|p| !(p.level == Level::Love && mine(p) == Some(Level::Love)))
        .map(|p| p.tag.clone())
        .collect();
    if !loved.is_empty() {
        parts.push(fill(
            Key::ReasonBothLove.get(lang),
            &[("tags", &join_list(lang, &loved))],
        ));
    }
    if !other.is_empty() {
        parts.push(fill(
            Key::ReasonBothCare.get(lang),
            &[("tags", &join_list(lang, &other))],
        ));
    }
    for c in m.complementary.iter().take(2) {
        let key = match c.direction {
            Direction::TheyTeach => Key::ReasonTheyTeach,
            Direction::ITeach => Key::ReasonITeach,
        };
        parts.push(fill(key.get(lang), &[("name", &first), ("tag", &c.tag)]));
    }
    if parts.is_empty() {
        return String::new();
    }
    let sentence = parts.join("; ");
    let mut chars = sentence.chars();
    let capital = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    format!("{capital}.")
}

/// A score part for the "why this match" list, two decimals.
pub fn score_text(value: f64) -> String {
    format!("{:.2}", value)
}

/// What the person sees after saying hi failed: the string of a duplicate
/// (409) or the daily limit (429); `None` for other errors.
pub fn intro_refusal(error: &ApiError) -> Option<Key> {
    match error.status() {
        409 => Some(Key::IntroDuplicate),
        429 => Some(Key::IntroLimit),
        _ => None,
    }
}

/// The message of a field error that the circle join answers with.
pub fn join_hint(field: &str) -> Key {
    match field {
        "open_to_chat" => Key::JoinNeedsChat,
        "visibility" => Key::JoinNeedsVisible,
        _ => Key::JoinNeedsPassion,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use km_protocol::PersonSummary;
    use km_protocol::matches::{Complement, ScoreParts};

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

    fn a_match(shared: Vec<Passion>, complementary: Vec<Complement>) -> Match {
        Match {
            person: PersonSummary {
                id: "u-mia".into(),
                name: "Mia de Vries".into(),
                department: None,
            },
            shared,
            complementary,
            why: String::new(),
            open_to_chat: true,
            connected: false,
            score: 1.0,
            parts: ScoreParts::default(),
        }
    }

    #[test]
    fn the_reason_names_shared_loves_and_teach_learn_pairs() {
        let mine = vec![
            ("service design".to_owned(), Level::Love),
            ("kubernetes".to_owned(), Level::Learn),
            ("chess".to_owned(), Level::Curious),
        ];
        let m = a_match(
            vec![
                passion("Service design", "service design", Level::Love),
                passion("Kubernetes", "kubernetes", Level::Teach),
            ],
            vec![Complement {
                tag: "Kubernetes".into(),
                tag_key: "kubernetes".into(),
                direction: Direction::TheyTeach,
            }],
        );
        assert_eq!(
            reason(Lang::En, &m, &mine),
            "You both love Service design; Mia can teach Kubernetes, which you want to learn."
        );
        assert_eq!(
            reason(Lang::Nl, &m, &mine),
            "Jullie houden allebei van Service design; Mia kan Kubernetes uitleggen, wat jij wilt leren."
        );
        let m = a_match(
            vec![
                passion("Chess", "chess", Level::Love),
                passion("Service design", "service design", Level::Curious),
            ],
            vec![],
        );
        assert_eq!(
            reason(Lang::En, &m, &mine),
            "You both care about Chess and Service design."
        );
        assert_eq!(reason(Lang::En, &a_match(vec![], vec![]), &mine), "");
    }

    #[test]
    fn the_picker_keeps_levels_and_new_passions_start_at_love() {
        let form = ProfileUpdate {
            passions: vec![
                passion("Rust", "", Level::Teach),
                passion("Go", "", Level::Learn),
            ],
            ..Default::default()
        };
        let next = with_labels(&form, &["go".into(), "Baking".into()]);
        assert_eq!(next.len(), 2);
        assert_eq!((next[0].tag.as_str(), next[0].level), ("go", Level::Learn));
        assert_eq!(
            (next[1].tag.as_str(), next[1].level),
            ("Baking", Level::Love)
        );
        for l in LEVELS {
            assert_eq!(parse_level(level_value(l)), l);
            assert!(!level_choice_key(l).get(Lang::Nl).is_empty());
        }
        assert_eq!(
            join_list(Lang::Nl, &["a".into(), "b".into(), "c".into()]),
            "a, b en c"
        );
    }

    #[test]
    fn duplicate_and_limit_refusals_have_their_own_words() {
        let err = |status: u16| ApiError::Problem(km_protocol::Problem::new(status, "x"));
        assert_eq!(intro_refusal(&err(409)), Some(Key::IntroDuplicate));
        assert_eq!(intro_refusal(&err(429)), Some(Key::IntroLimit));
        assert_eq!(intro_refusal(&err(500)), None);
        assert_eq!(join_hint("open_to_chat"), Key::JoinNeedsChat);
        assert_eq!(score_text(1.0 / 3.0), "0.33");
    }
}
