//! The shared tag vocabulary of all four widgets.
//!
//! Requests carry tags as display labels (`"Service design"`); the server
//! normalizes them to a key (case and surrounding whitespace folded,
//! diacritics folded for matching: `"Café "` and `"cafe"` are one tag) and
//! keeps the first display form it saw. An admin can map synonyms onto a tag.

use serde::{Deserialize, Serialize};

/// Longest tag label, in characters.
pub const TAG_MAX_CHARS: usize = 40;

/// A tag of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    /// Normalized key, used in URLs and filters (`service design`).
    pub key: String,
    /// Display form (`Service design`).
    pub label: String,
    /// How often the tag is used across all widgets of the community
    /// (hidden and private content is not counted).
    #[serde(default)]
    pub count: i64,
}

/// `GET /api/v1/tags?prefix=&limit=`: autocomplete, most used first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct TagQuery {
    /// Match tags whose key or a synonym starts with this (normalized like a tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// At most this many tags, 1 to 100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// `PUT /api/v1/tags/synonyms` (admin): makes `alias` find `tag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SynonymRequest {
    /// The other spelling (`k8s`).
    pub alias: String,
    /// The tag it stands for (`Kubernetes`); created if new.
    pub tag: String,
}

impl crate::Validate for SynonymRequest {
    fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        crate::validate::Checker::new()
            .tag("alias", &self.alias)
            .tag("tag", &self.tag)
            .finish()
    }
}
