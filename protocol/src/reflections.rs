//! reflection-prompt: prompts and reflections.

use serde::{Deserialize, Serialize};

use crate::validate::Checker;
use crate::{FieldError, PersonSummary, Validate};

/// Longest reflection body.
pub const REFLECTION_MAX_CHARS: usize = 5_000;
/// Most tags on a reflection.
pub const MAX_TAGS: usize = 5;

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
}

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
        c.text("body", &self.body, 1, REFLECTION_MAX_CHARS)
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
}
