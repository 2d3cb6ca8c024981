//! passion-match: ranked matches between colleagues.

use serde::{Deserialize, Serialize};

use crate::PersonSummary;
use crate::passions::Passion;

/// Who can help whom on a complementary passion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// They can teach what I want to learn.
    TheyTeach,
    /// I can teach what they want to learn.
    ITeach,
}

/// A teach/learn pair on one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complement {
    /// The tag's display label.
    pub tag: String,
    /// The tag's key.
    pub tag_key: String,
    /// Who teaches.
    pub direction: Direction,
}

/// The parts of a match score, so the ranking can be explained.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreParts {
    /// Sum of the IDF weights of the shared passions (rare ones weigh more).
    pub overlap: f64,
    /// Bonus for teach/learn pairs (half the tag's weight each).
    pub complement: f64,
    /// Subtracted because we already connected (an accepted intro).
    pub connected_penalty: f64,
}

/// One colleague in my ranked matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Match {
    /// The colleague.
    pub person: PersonSummary,
    /// Their passions that I share, with their level, rarest first.
    pub shared: Vec<Passion>,
    /// Teach/learn pairs between us.
    pub complementary: Vec<Complement>,
    /// Their one-line "why I care".
    #[serde(default)]
    pub why: String,
    /// Whether they are open to a coffee chat.
    #[serde(default)]
    pub open_to_chat: bool,
    /// Whether we already connected.
    #[serde(default)]
    pub connected: bool,
    /// The score (overlap + complement - connected_penalty).
    pub score: f64,
    /// The score's parts.
    pub parts: ScoreParts,
}

/// Query of `GET /matches` (and of `GET /circles`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct MatchQuery {
    /// Only matches that share (or complement) this passion; for circles,
    /// only the circle of this passion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size (1-100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
}

/// Longest intro message, in characters.
pub const INTRO_MESSAGE_MAX_CHARS: usize = 500;

/// How many intros one person may send per day.
pub const INTROS_PER_DAY: i64 = 10;

/// Where an intro stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IntroStatus {
    /// Sent, not answered yet.
    Pending,
    /// The receiver accepted: both see each other's contact.
    Accepted,
    /// The receiver dismissed it.
    Dismissed,
}

crate::wire_names!(IntroStatus {
    Pending = "pending",
    Accepted = "accepted",
    Dismissed = "dismissed",
});

/// Body of `POST /intros`: say hi to a colleague.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewIntro {
    /// The colleague's person id.
    pub to: String,
    /// An optional message.
    #[serde(default)]
    pub message: String,
}

impl crate::Validate for NewIntro {
    fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        crate::validate::Checker::new()
            .text("to", &self.to, 1, 200)
            .body("message", &self.message, 0, INTRO_MESSAGE_MAX_CHARS)
            .finish()
    }
}

/// An introduction between two colleagues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Intro {
    /// Id.
    pub id: String,
    /// Who said hi.
    pub from: PersonSummary,
    /// To whom.
    pub to: PersonSummary,
    /// The message.
    #[serde(default)]
    pub message: String,
    /// Where it stands.
    pub status: IntroStatus,
    /// The other person's email: only once accepted, only for the two of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// When it was sent (RFC 3339).
    pub created_at: String,
}

/// Query of `GET /intros`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct IntroQuery {
    /// `incoming` (default) or `outgoing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(pattern = "^(incoming|outgoing)$"))]
    pub r#box: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size (1-100, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
}
