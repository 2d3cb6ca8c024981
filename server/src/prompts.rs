//! The built-in reflection prompt library (English and Dutch), grouped by
//! Seek / Sense / Share and by the four 70:20:10 activities, and the choice
//! of today's prompt for a person and a cadence period.

use km_protocol::reflections::{Activity, Cadence, Prompt, Stage};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

/// One prompt of the library, in both languages.
#[derive(Debug, Clone, Copy)]
pub struct LibraryPrompt {
    /// Stable id (`seek-experience-1`).
    pub id: &'static str,
    /// Seek, sense or share.
    pub stage: Stage,
    /// Which 70:20:10 activity it invites.
    pub activity: Activity,
    /// English text.
    pub en: &'static str,
    /// Dutch text.
    pub nl: &'static str,
}

use Activity::{Conversation, Experience, Practice, Reflection};
use Stage::{Seek, Sense, Share};

macro_rules! p {
    ($id:literal, $stage:expr, $act:expr, $en:literal, $nl:literal) => {
        LibraryPrompt {
            id: $id,
            stage: $stage,
            activity: $act,
            en: $en,
            nl: $nl,
        }
    };
}

/// The default set.
pub const LIBRARY: &[LibraryPrompt] = &[
    p!(
        "seek-experience-1",
        Seek,
        Experience,
        "What did you try this week that you had never done before?",
        "Wat heb je deze week geprobeerd dat je nog nooit eerder had gedaan?"
    ),
    p!(
        "seek-conversation-1",
        Seek,
        Conversation,
        "Who outside your team taught you something recently, and what was it?",
        "Wie buiten je team heeft je onlangs iets geleerd, en wat was het?"
    ),
    p!(
        "seek-practice-1",
        Seek,
        Practice,
        "Which question kept coming back in your work, and where did you look for the answer?",
        "Welke vraag kwam steeds terug in je werk, en waar zocht je het antwoord?"
    ),
    p!(
        "seek-reflection-1",
        Seek,
        Reflection,
        "What would you like to understand better a month from now?",
        "Wat wil je over een maand beter begrijpen?"
    ),
    p!(
        "sense-experience-1",
        Sense,
        Experience,
        "What surprised you this week, and what does it tell you?",
        "Wat verraste je deze week, en wat zegt dat je?"
    ),
    p!(
        "sense-practice-1",
        Sense,
        Practice,
        "Which task got easier with practice, and what changed in how you do it?",
        "Welke taak werd makkelijker door oefening, en wat veranderde er in je aanpak?"
    ),
    p!(
        "sense-conversation-1",
        Sense,
        Conversation,
        "Which conversation changed your mind about something?",
        "Welk gesprek heeft je ergens anders over laten denken?"
    ),
    p!(
        "sense-reflection-1",
        Sense,
        Reflection,
        "What went differently than you planned, and what would you do again?",
        "Wat liep anders dan gepland, en wat zou je opnieuw zo doen?"
    ),
    p!(
        "share-experience-1",
        Share,
        Experience,
        "What did you learn the hard way that could save a colleague time?",
        "Wat heb je met vallen en opstaan geleerd dat een collega tijd kan besparen?"
    ),
    p!(
        "share-practice-1",
        Share,
        Practice,
        "Which small trick in your daily work deserves a short how-to?",
        "Welk handigheidje in je dagelijkse werk verdient een korte uitleg?"
    ),
    p!(
        "share-conversation-1",
        Share,
        Conversation,
        "Who would benefit from what you worked on this week? Tell them.",
        "Wie heeft er baat bij waar jij deze week aan werkte? Vertel het ze."
    ),
    p!(
        "share-reflection-1",
        Share,
        Reflection,
        "If you worked out loud about one thing this week, what would it be?",
        "Als je deze week over één ding hardop werkte, wat zou het zijn?"
    ),
    p!(
        "seek-experience-2",
        Seek,
        Experience,
        "Which customer or user moment taught you the most lately?",
        "Welk moment met een klant of gebruiker leerde je de laatste tijd het meest?"
    ),
    p!(
        "sense-practice-2",
        Sense,
        Practice,
        "Which mistake did you make this week, and what is the lesson in it?",
        "Welke fout maakte je deze week, en welke les zit erin?"
    ),
    p!(
        "share-conversation-2",
        Share,
        Conversation,
        "Which question would you like to ask the community right now?",
        "Welke vraag zou je nu aan de community willen stellen?"
    ),
    p!(
        "seek-reflection-2",
        Seek,
        Reflection,
        "What are you curious about that has nothing to do with your current project?",
        "Waar ben je nieuwsgierig naar dat niets met je huidige project te maken heeft?"
    ),
];

impl LibraryPrompt {
    /// The prompt in `lang` (`nl`, anything else is English).
    pub fn localized(&self, lang: &str) -> Prompt {
        Prompt {
            id: self.id.to_owned(),
            text: if lang.starts_with("nl") {
                self.nl
            } else {
                self.en
            }
            .to_owned(),
            stage: self.stage,
            activity: self.activity,
        }
    }
}

/// The period of `now` for a cadence: its name (`2026-W47`, `2026-11-22`)
/// and its bounds in epoch ms (UTC), start inclusive, end exclusive.
pub fn period(now: OffsetDateTime, cadence: Cadence) -> (String, i64, i64) {
    let date = now.date();
    let (name, start) = match cadence {
        Cadence::Daily => (date.to_string(), date),
        Cadence::Weekly => {
            let (year, week, _) = date.to_iso_week_date();
            let monday =
                Date::from_iso_week_date(year, week, time::Weekday::Monday).unwrap_or(date);
            (format!("{year}-W{week:02}"), monday)
        }
    };
    let days = match cadence {
        Cadence::Daily => 1,
        Cadence::Weekly => 7,
    };
    let start_ms = start.midnight().assume_utc().unix_timestamp() * 1000;
    (name, start_ms, start_ms + days * 86_400_000)
}

/// Today's prompt of `person` for `period`: a stable choice, so every
/// reload in one period shows the same prompt.
pub fn choose(person: &str, period: &str) -> &'static LibraryPrompt {
    let digest = Sha256::digest(format!("{person}\n{period}").as_bytes());
    let n = u64::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
    ]);
    &LIBRARY[(n % LIBRARY.len() as u64) as usize]
}

/// A prompt by id.
pub fn by_id(id: &str) -> Option<&'static LibraryPrompt> {
    LIBRARY.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn weekly_periods_follow_iso_weeks_across_the_year_end() {
        // 2026-12-31 is a Thursday of ISO week 53 of 2026; 2027-01-03 is its Sunday.
        let (a, start, end) = period(datetime!(2026-12-31 10:00 UTC), Cadence::Weekly);
        let (b, ..) = period(datetime!(2027-01-03 23:59 UTC), Cadence::Weekly);
        let (c, ..) = period(datetime!(2027-01-04 00:00 UTC), Cadence::Weekly);
        assert_eq!(a, "2026-W53");
        assert_eq!(a, b);
        assert_eq!(c, "2027-W01");
        assert_eq!(end - start, 7 * 86_400_000);
        assert_eq!(
            start,
            datetime!(2026-12-28 00:00 UTC).unix_timestamp() * 1000
        );
    }

    #[test]
    fn the_choice_is_stable_within_a_period_and_varies_between_people() {
        assert_eq!(
            choose("u-anna", "2026-W47").id,
            choose("u-anna", "2026-W47").id
        );
        let distinct: std::collections::HashSet<_> = (0..40)
            .map(|i| choose(&format!("u-{i}"), "2026-W47").id)
            .collect();
        assert!(
            distinct.len() > 5,
            "only {} distinct prompts",
            distinct.len()
        );
    }

    #[test]
    fn every_prompt_has_both_languages_and_a_unique_id() {
        let ids: std::collections::HashSet<_> = LIBRARY.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), LIBRARY.len());
        for p in LIBRARY {
            assert!(p.en.ends_with('?') || p.en.ends_with('.'), "{}", p.id);
            assert_ne!(p.en, p.nl, "{}", p.id);
        }
    }
}
