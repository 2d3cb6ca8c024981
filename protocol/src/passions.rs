//! passion-match: what people care about.

use serde::{Deserialize, Serialize};

use crate::validate::Checker;
use crate::{FieldError, PersonSummary, Validate};

/// Most passions one profile holds.
pub const MAX_PASSIONS: usize = 20;
/// Longest "why I care" line.
pub const WHY_MAX_CHARS: usize = 160;

/// How a person relates to a passion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// "I love this".
    #[default]
    Love,
    /// "I'm curious".
    Curious,
    /// "I can teach it".
    Teach,
    /// "I want to learn it".
    Learn,
}

crate::wire_names!(Level {
    Love = "love",
    Curious = "curious",
    Teach = "teach",
    Learn = "learn",
});

/// Who sees a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone in the organization.
    #[default]
    Organization,
    /// People of the same department only.
    Department,
    /// Nobody: the profile never shows in matches, counts or circles.
    Hidden,
}

crate::wire_names!(Visibility {
    Organization = "organization",
    Department = "department",
    Hidden = "hidden",
});

/// One passion on a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Passion {
    /// The tag's display label (its key in responses is in `tag_key`).
    pub tag: String,
    /// Normalized tag key (set by the server; ignored in requests).
    #[serde(default)]
    pub tag_key: String,
    /// How the person relates to it.
    #[serde(default)]
    pub level: Level,
}

/// `GET /api/v1/profiles/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// Whose profile.
    pub person: PersonSummary,
    /// The passions, in the order the person gave them.
    pub passions: Vec<Passion>,
    /// A one-line "why I care".
    #[serde(default)]
    pub why: String,
    /// Open to a coffee chat.
    #[serde(default)]
    pub open_to_chat: bool,
    /// Who sees the profile.
    #[serde(default)]
    pub visibility: Visibility,
    /// Last change, RFC 3339; absent for a profile never saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// `PUT /api/v1/profiles/me`: replaces the caller's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    /// The passions (labels and levels).
    pub passions: Vec<Passion>,
    /// A one-line "why I care".
    #[serde(default)]
    pub why: String,
    /// Open to a coffee chat.
    #[serde(default)]
    pub open_to_chat: bool,
    /// Who sees the profile.
    #[serde(default)]
    pub visibility: Visibility,
}

impl Validate for ProfileUpdate {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let labels: Vec<String> = self.passions.iter().map(|p| p.tag.clone()).collect();
        Checker::new()
            .tags("passions", &labels, MAX_PASSIONS)
            .text("why", &self.why, 0, WHY_MAX_CHARS)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::{Level, Visibility};
    use crate::matches::IntroStatus;
    use crate::wire::UnknownName;

    /// Every variant's wire name is its serde name and reads back.
    fn agrees<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy + serde::Serialize + FromStr<Err = UnknownName> + PartialEq + std::fmt::Debug,
    {
        for &v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), as_str(v), "{v:?}");
            assert_eq!(T::from_str(as_str(v)), Ok(v));
        }
    }

    #[test]
    fn wire_names_are_serde_names() {
        agrees(Level::ALL, Level::as_str);
        agrees(Visibility::ALL, Visibility::as_str);
        agrees(IntroStatus::ALL, IntroStatus::as_str);
    }

    #[test]
    fn an_unknown_name_is_refused_not_defaulted() {
        // Regression (issue 11 item 2): the server read an unknown level as
        // `Love`, an unknown visibility as `Hidden`, an unknown intro
        // status as `Pending`.
        let e = "loved".parse::<Level>().unwrap_err();
        assert_eq!((e.kind, e.name.as_str()), ("Level", "loved"));
        assert!("".parse::<Visibility>().is_err());
        assert!("Organization".parse::<Visibility>().is_err());
        assert!("deleted".parse::<IntroStatus>().is_err());
    }
}
