//! Who is calling: the JWT claims a portal signs, and what `/me` returns.

use serde::{Deserialize, Serialize};

/// A role carried in the token's `roles` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// May moderate content: hide, close, retag, publish, feature.
    #[serde(rename = "km:moderator")]
    Moderator,
    /// May administer vocabularies, goals and prompt sets (and moderate).
    #[serde(rename = "km:admin")]
    Admin,
}

/// The claims of the bearer token the intranet portal signs (HS256 or RS256).
///
/// Unknown roles in `roles` are ignored by the server, so a portal may pass
/// its own role list unfiltered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenClaims {
    /// Stable person id (the portal's user id).
    pub sub: String,
    /// Display name.
    pub name: String,
    /// E-mail address, shown only where the person agreed (accepted intros).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Department, used for department-only visibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Role names: `km:moderator`, `km:admin`; others are ignored.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
    /// Issued at, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
}

/// `GET /api/v1/me`: the caller as the server sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Person id (`sub`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// E-mail address, if the token carried one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Department, if the token carried one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The km roles the caller has.
    #[serde(default)]
    pub roles: Vec<Role>,
}

impl Me {
    /// Whether the caller may moderate.
    pub fn is_moderator(&self) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::Moderator | Role::Admin))
    }

    /// Whether the caller may administer.
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }
}

/// A person as shown to others: never their e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonSummary {
    /// Person id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Department, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_use_the_documented_claim_names() {
        let me: Me =
            serde_json::from_str(r#"{"id":"u1","name":"Mia","roles":["km:moderator"]}"#).unwrap();
        assert!(me.is_moderator());
        assert!(!me.is_admin());
        assert_eq!(
            serde_json::to_string(&Role::Admin).unwrap(),
            r#""km:admin""#
        );
    }
}
