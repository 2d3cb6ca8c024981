//! reflection-prompt: prompts and reflections.

use serde::{Deserialize, Serialize};

use crate::validate::Checker;
use crate::{FieldError, PersonSummary, Validate};

/// Longest reflection body.
pub const REFLECTION_MAX_CHARS: usize = 5_000;
/// Most tags on a reflection.
pub const MAX_TAGS: usize = 5;
/// The built-in prompt set.
pub const DEFAULT_PROMPT_SET: &str = "default";
/// Longest prompt text (each language).
pub const PROMPT_MAX_CHARS: usize = 300;
/// Longest time-zone name.
pub const TIME_ZONE_MAX_CHARS: usize = 64;

/// Jarche's personal knowledge mastery: seek, sense, share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Finding things out, keeping up to date.
    Seek,
    /// Making sense: reflecting, putting into practice.
    Sense,
    /// Sharing with colleagues.
    Share,
}

crate::wire_names!(Stage {
    Seek = "seek",
    Sense = "sense",
    Share = "share",
});

/// The four activities of the 70:20:10 model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// New experiences.
    Experience,
    /// Practice.
    Practice,
    /// Conversation.
    Conversation,
    /// Making time to reflect.
    Reflection,
}

crate::wire_names!(Activity {
    Experience = "experience",
    Practice = "practice",
    Conversation = "conversation",
    Reflection = "reflection",
});

/// How often a person wants a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Every day.
    Daily,
    /// Once a week (ISO weeks, Monday first).
    #[default]
    Weekly,
    /// Once a week on a chosen weekday (`weekday` in [`ReflectionSettings`]):
    /// the period starts on that day and lasts seven days.
    Weekday,
}

crate::wire_names!(Cadence {
    Daily = "daily",
    Weekly = "weekly",
    Weekday = "weekday",
});

/// Who may read a reflection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReflectionVisibility {
    /// The author only (the default), not moderators or admins.
    #[default]
    Private,
    /// Shared in the feed with the author's name.
    Shared,
    /// Shared in the feed without the author's name.
    Anonymous,
}

crate::wire_names!(ReflectionVisibility {
    Private = "private",
    Shared = "shared",
    Anonymous = "anonymous",
});

/// A reflection prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prompt {
    /// Prompt id (stable across locales: `seek-01`).
    pub id: String,
    /// The prompt in the requested language.
    pub text: String,
    /// Seek, sense or share.
    pub stage: Stage,
    /// The 70:20:10 activity it exercises.
    pub activity: Activity,
}

/// `GET /api/v1/prompts/today?lang=&set=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayPrompt {
    /// The prompt for the current period.
    pub prompt: Prompt,
    /// The period it belongs to (`2026-11-22` daily, `2026-W47` weekly).
    pub period: String,
    /// The caller's cadence.
    pub cadence: Cadence,
    /// Whether the caller has written a reflection in this period.
    pub done: bool,
    /// The prompt set the prompt came from (`default` for the built-in library).
    #[serde(default = "default_set")]
    pub set: String,
    /// The time zone the period was computed in (IANA name or `UTC+02:00`).
    #[serde(default = "utc")]
    pub time_zone: String,
    /// The chosen weekday (1 = Monday … 7 = Sunday) of a `weekday` cadence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<u8>,
}

fn default_set() -> String {
    DEFAULT_PROMPT_SET.to_owned()
}

fn utc() -> String {
    "UTC".to_owned()
}

/// `POST /api/v1/reflections`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReflection {
    /// The prompt answered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
    /// The reflection, 1 to 5,000 characters (markdown subset).
    pub body: String,
    /// Energy level 1 to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<i64>,
    /// Tag labels.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Private unless said otherwise.
    #[serde(default)]
    pub visibility: ReflectionVisibility,
}

impl Validate for NewReflection {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.body("body", &self.body, 1, REFLECTION_MAX_CHARS)
            .tags("tags", &self.tags, MAX_TAGS);
        if let Some(e) = self.energy {
            c.range("energy", e, 1, 5);
        }
        c.finish()
    }
}

/// A reflection as returned to its author, or in the shared feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reflection {
    /// Reflection id.
    pub id: String,
    /// The prompt answered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
    /// The text.
    pub body: String,
    /// Energy level 1 to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<i64>,
    /// Tag labels.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Visibility.
    pub visibility: ReflectionVisibility,
    /// The author; absent for anonymous shares seen by others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<PersonSummary>,
    /// When it was written, RFC 3339.
    pub created_at: String,
    /// Reaction counts (shared reflections; zero for private ones).
    #[serde(default)]
    pub reactions: ReactionCounts,
    /// The caller's own reactions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub my_reactions: Vec<Reaction>,
}

/// The reactions a colleague can give a shared reflection (one of each per
/// person; giving one again takes it back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reaction {
    /// "Insightful".
    Insightful,
    /// "Thanks".
    Thanks,
    /// "Me too".
    MeToo,
}

impl Reaction {
    /// Every reaction, in display order.
    pub const ALL: [Reaction; 3] = [Reaction::Insightful, Reaction::Thanks, Reaction::MeToo];

    /// The path segment and stored name (`insightful`, `thanks`, `me_too`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reaction::Insightful => "insightful",
            Reaction::Thanks => "thanks",
            Reaction::MeToo => "me_too",
        }
    }

    /// The reaction named `s` (see [`Reaction::as_str`]).
    pub fn parse(s: &str) -> Option<Reaction> {
        Reaction::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// How many people gave each reaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReactionCounts {
    /// "Insightful".
    pub insightful: i64,
    /// "Thanks".
    pub thanks: i64,
    /// "Me too".
    pub me_too: i64,
}

impl ReactionCounts {
    /// The count of one reaction.
    pub fn get(&self, r: Reaction) -> i64 {
        match r {
            Reaction::Insightful => self.insightful,
            Reaction::Thanks => self.thanks,
            Reaction::MeToo => self.me_too,
        }
    }

    /// The count of one reaction, to change.
    pub fn get_mut(&mut self, r: Reaction) -> &mut i64 {
        match r {
            Reaction::Insightful => &mut self.insightful,
            Reaction::Thanks => &mut self.thanks,
            Reaction::MeToo => &mut self.me_too,
        }
    }
}

/// `PUT`/`DELETE /api/v1/reflections/{id}/reactions/{reaction}`: the counts
/// after the change and the caller's reactions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReactionState {
    /// Counts per reaction.
    pub reactions: ReactionCounts,
    /// The caller's reactions.
    pub my_reactions: Vec<Reaction>,
}

/// `PUT /api/v1/reflections/{id}/visibility`: share (or unshare) one of my reflections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReflectionPatch {
    /// The new visibility.
    pub visibility: ReflectionVisibility,
}

/// `GET`/`PUT /api/v1/reflections/settings`: how often I want a prompt, in
/// which time zone, and whether a portal may remind me.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReflectionSettings {
    /// Daily, weekly (ISO weeks) or on a chosen weekday.
    #[serde(default)]
    pub cadence: Cadence,
    /// 1 = Monday … 7 = Sunday; required for the `weekday` cadence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<u8>,
    /// IANA name (`Europe/Amsterdam`) or UTC offset (`+02:00`, `UTC-05:30`);
    /// periods are computed in it. The widget sends the browser's.
    #[serde(default = "utc")]
    pub time_zone: String,
    /// Whether the person appears in the due list (default yes).
    #[serde(default = "yes")]
    pub reminders: bool,
}

fn yes() -> bool {
    true
}

impl Default for ReflectionSettings {
    fn default() -> Self {
        ReflectionSettings {
            cadence: Cadence::Weekly,
            weekday: None,
            time_zone: utc(),
            reminders: true,
        }
    }
}

impl Validate for ReflectionSettings {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.text("time_zone", &self.time_zone, 1, TIME_ZONE_MAX_CHARS);
        match (self.cadence, self.weekday) {
            (Cadence::Weekday, None) => {
                c.push(FieldError::new(
                    "weekday",
                    crate::validate::codes::REQUIRED,
                    "choose a weekday (1 = Monday … 7 = Sunday)",
                ));
            }
            (_, Some(d)) => {
                c.range("weekday", i64::from(d), 1, 7);
            }
            _ => {}
        }
        c.finish()
    }
}

/// One period of my cadence with how many reflections I wrote in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodCount {
    /// The period (`2026-W47`, `2026-11-22`, or the start date of a weekday period).
    pub period: String,
    /// Reflections written in it (at least one).
    pub count: i64,
}

/// `GET /api/v1/reflections/mine/summary`: my cadence at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReflectionSummary {
    /// My settings the periods were computed with.
    pub settings: ReflectionSettings,
    /// The current period.
    pub current_period: String,
    /// Whether I reflected in the current period.
    pub done: bool,
    /// All my reflections.
    pub total: i64,
    /// Periods with at least one reflection, newest first.
    pub periods: Vec<PeriodCount>,
}

/// `GET /api/v1/reflections/mine/export?format=json`: everything I wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReflectionExport {
    /// When the export was made, RFC 3339.
    pub exported_at: String,
    /// Whose reflections these are.
    pub person: PersonSummary,
    /// Every reflection, newest first.
    pub reflections: Vec<Reflection>,
}

/// `DELETE /api/v1/reflections/mine`: how many were deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    /// Reflections deleted.
    pub deleted: i64,
}

/// A prompt set (`default` is the built-in library).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PromptSet {
    /// Set id (`a-z 0-9 - _`, 1-40): the `prompt-set` attribute's value.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Prompts in the set.
    #[serde(default)]
    pub prompt_count: i64,
}

/// `POST /api/v1/prompt-sets` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPromptSet {
    /// Set id (`a-z 0-9 - _`, 1-40).
    pub id: String,
    /// Display name, 1-80 characters.
    pub name: String,
}

/// Whether `id` is a valid prompt set id.
pub fn is_set_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl Validate for NewPromptSet {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        if !is_set_id(&self.id) {
            c.push(FieldError::new(
                "id",
                crate::validate::codes::INVALID_FORMAT,
                "use 1-40 characters of a-z, 0-9, '-' and '_'",
            ));
        }
        c.text("name", &self.name, 1, 80);
        c.finish()
    }
}

/// `POST /api/v1/prompt-sets/{id}/prompts` (admin): a prompt in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPrompt {
    /// Seek, sense or share.
    pub stage: Stage,
    /// The 70:20:10 activity.
    pub activity: Activity,
    /// English text, 1-300 characters.
    pub en: String,
    /// Dutch text, 1-300 characters.
    pub nl: String,
}

impl Validate for NewPrompt {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.text("en", &self.en, 1, PROMPT_MAX_CHARS)
            .text("nl", &self.nl, 1, PROMPT_MAX_CHARS);
        c.finish()
    }
}

/// One person whose reflection is due, for a portal's reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuePerson {
    /// Person id (the token's `sub`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// E-mail address, when the portal's token carried one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Their cadence.
    pub cadence: Cadence,
    /// Their weekday (weekday cadence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<u8>,
    /// Their time zone.
    pub time_zone: String,
    /// The period that is due (in their time zone).
    pub period: String,
    /// When the period started, RFC 3339 UTC.
    pub period_start: String,
    /// When it ends (exclusive), RFC 3339 UTC.
    pub period_end: String,
}

/// `GET /api/v1/reflections/due`: people with reminders on who have not
/// reflected in their current period (never what they wrote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueList {
    /// The moment the list was computed for, RFC 3339 UTC: the `at` asked
    /// for, or now when none was given or it was in the past.
    pub at: String,
    /// The people, by id.
    pub items: Vec<DuePerson>,
    /// Cursor of the next page (`?cursor=`), absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions_have_stable_names() {
        for r in Reaction::ALL {
            assert_eq!(Reaction::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
        }
        assert_eq!(Reaction::parse("like"), None);
    }

    #[test]
    fn settings_need_a_weekday_for_the_weekday_cadence() {
        let mut s = ReflectionSettings {
            cadence: Cadence::Weekday,
            ..Default::default()
        };
        assert_eq!(s.validate().unwrap_err()[0].field, "weekday");
        s.weekday = Some(8);
        assert_eq!(s.validate().unwrap_err()[0].field, "weekday");
        s.weekday = Some(5);
        assert!(s.validate().is_ok());
        let parsed: ReflectionSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(parsed, ReflectionSettings::default());
    }

    #[test]
    fn set_ids_are_plain() {
        assert!(is_set_id("onboarding-2027"));
        assert!(!is_set_id("Onboarding"));
        assert!(!is_set_id(""));
    }
}
