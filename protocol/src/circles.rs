//! passion-match circles: a passion shared by enough people who are open to
//! a coffee chat becomes a circle that one can join.
//!
//! A circle exists for a caller when at least [`CIRCLE_MIN_PEOPLE`] people
//! the caller may see (never hidden profiles; department-only profiles only
//! within the caller's department; the caller's own profile when it is not
//! hidden) hold the passion and are open to a chat. Joining requires the
//! same of the caller: the passion on a profile that is not hidden, and
//! open to a chat.

use serde::{Deserialize, Serialize};

use crate::PersonSummary;
use crate::passions::Level;

/// Fewest open-to-chat people that make a passion a circle.
pub const CIRCLE_MIN_PEOPLE: i64 = 3;

/// One circle as the caller sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Circle {
    /// The tag's display label.
    pub tag: String,
    /// The tag's key (use it in the circle's paths).
    pub tag_key: String,
    /// How many people the caller may see hold the passion and are open to
    /// a chat ("7 people love service design").
    pub people: i64,
    /// How many of them joined the circle.
    pub members: i64,
    /// Whether the caller joined.
    pub joined: bool,
    /// Whether the caller may join now (holds the passion, open to a chat,
    /// profile not hidden).
    pub can_join: bool,
}

/// A member of a circle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircleMember {
    /// Who.
    pub person: PersonSummary,
    /// Their level for the circle's passion.
    pub level: Level,
    /// Their one-line "why I care".
    #[serde(default)]
    pub why: String,
}

/// Query of `GET /circles`: the fields of [`crate::matches::MatchQuery`]
/// (`tag`: only the circle of this passion; `cursor`; `limit`).
pub type CircleQuery = crate::matches::MatchQuery;
