//! RFC 9457 problem details, the one error body both sides speak.

use serde::{Deserialize, Serialize};

/// One field's validation failure.
///
/// `code` is stable and machine-readable (the widgets translate it);
/// `message` is English text for people reading raw responses and logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the request body (`title`, `metrics[0].unit`).
    pub field: String,
    /// A stable code: see [`crate::validate::codes`].
    pub code: String,
    /// English description of the problem.
    pub message: String,
    /// The limit involved, for `too_long`, `too_short`, `too_many`, `out_of_range`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

impl FieldError {
    /// A field error without a limit.
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
            limit: None,
        }
    }

    /// Sets the limit the message refers to.
    #[must_use]
    pub fn with_limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// An RFC 9457 problem+json body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the problem type; `about:blank` when the status says it all.
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    /// Short, human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Explanation specific to this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field validation errors (extension member), empty when not a validation problem.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds to wait before trying again (extension member, with 429
    /// [`types::RATE_LIMITED`]; the same value as the `Retry-After` header,
    /// which browsers hide from cross-origin scripts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

/// Problem type URIs used by the reference server.
pub mod types {
    /// The request body or query failed validation; see `errors`.
    pub const VALIDATION: &str = "https://km-widgets.dev/problems/validation";
    /// The resource exists already (a unique field is taken).
    pub const CONFLICT: &str = "https://km-widgets.dev/problems/conflict";
    /// No identity, or an invalid token.
    pub const UNAUTHORIZED: &str = "https://km-widgets.dev/problems/unauthorized";
    /// The caller's identity or role does not allow this.
    pub const FORBIDDEN: &str = "https://km-widgets.dev/problems/forbidden";
    /// A rate or daily limit was reached.
    pub const LIMIT: &str = "https://km-widgets.dev/problems/limit";
    /// Too many writes of one kind in a short time (429 with `Retry-After`
    /// and `retry_after`): the same write will be accepted later.
    pub const RATE_LIMITED: &str = "https://km-widgets.dev/problems/rate-limited";
}

impl Problem {
    /// A problem with type `about:blank`.
    pub fn new(status: u16, title: impl Into<String>) -> Self {
        Self {
            kind: about_blank(),
            title: title.into(),
            status,
            detail: None,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// A 422 validation problem listing the failing fields.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            kind: types::VALIDATION.to_owned(),
            title: "The request has invalid fields".to_owned(),
            status: 422,
            detail: None,
            errors,
            retry_after: None,
        }
    }

    /// Sets the problem type URI.
    #[must_use]
    pub fn with_type(mut self, kind: &str) -> Self {
        self.kind = kind.to_owned();
        self
    }

    /// Sets the detail text.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Sets the seconds to wait before trying again.
    #[must_use]
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// The error for one field, if the problem names it.
    pub fn field(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_round_trips_with_rfc_field_names() {
        let p = Problem::validation(vec![FieldError::new(
            "title",
            "required",
            "Title is required",
        )]);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["type"], types::VALIDATION);
        assert_eq!(json["status"], 422);
        assert_eq!(json["errors"][0]["field"], "title");
        let back: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn minimal_problem_from_other_backends_parses() {
        let p: Problem = serde_json::from_str(r#"{"title":"Not Found","status":404}"#).unwrap();
        assert_eq!(p.kind, "about:blank");
        assert!(p.errors.is_empty());
    }
}
