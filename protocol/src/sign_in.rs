//! Sign-in with the organization's OpenID provider, run by the backend:
//! what the widgets ask (`GET /api/v1/auth`), what the sign-in popup hands
//! its opener, and the session's refresh and sign-out calls.
//!
//! The flow (docs/SIGN-IN.md has it with the provider set-up):
//! 1. `GET /api/v1/auth` says whether sign-in is offered ([`AuthInfo`]).
//! 2. The widget opens a popup at `sign_in_url?origin=<the page's origin>`;
//!    the backend sends the person to the provider and back.
//! 3. The popup's last page posts a [`SignInMessage`] to `window.opener`
//!    with exactly that origin as the target (an origin the backend does
//!    not allow gets nothing), and closes.
//! 4. The widget sends `access_token` as `Authorization: Bearer` and, before
//!    it expires, trades `refresh_token` for new tokens
//!    (`POST /api/v1/auth/refresh`, [`RefreshRequest`]). Each refresh token
//!    works once: one presented again ends the whole session.
//!
//! Tokens travel in bodies and `postMessage`, never in URLs or cookies, so
//! the flow works where third-party cookies are blocked.

use serde::{Deserialize, Serialize};

/// The `type` of every [`SignInMessage`].
pub const SIGN_IN_MESSAGE_TYPE: &str = "km-sign-in";

/// Longest refresh token a backend hands out or accepts, in characters
/// (as the OpenAPI document counts them).
pub const REFRESH_TOKEN_MAX_CHARS: usize = 256;

/// `GET /api/v1/auth`: how people sign in here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthInfo {
    /// Whether the backend offers sign-in with the organization's OpenID
    /// provider (a popup). False: only tokens a portal signs.
    pub oidc: bool,
    /// The organization's display name, for "Sign in with …", when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Where the sign-in popup starts, absolute; add
    /// `?origin=<the page's origin>`. Present when `oidc` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_url: Option<String>,
}

/// A session's tokens: in the sign-in popup's message and the answer of
/// `POST /api/v1/auth/refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionTokens {
    /// The bearer token of API calls (a JWT the backend signed).
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until `access_token` expires.
    pub expires_in: u64,
    /// Trades for the next tokens once (`POST /api/v1/auth/refresh`).
    /// Keep it like a password; a second use ends the session.
    pub refresh_token: String,
    /// Seconds until the session ends, when refreshing stops working and
    /// the person signs in again.
    pub session_expires_in: u64,
}

/// `POST /api/v1/auth/refresh` and `POST /api/v1/auth/sign-out`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The latest refresh token of the session.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub refresh_token: String,
}

impl crate::Validate for RefreshRequest {
    fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let len = self.refresh_token.chars().count();
        if len == 0 || len > REFRESH_TOKEN_MAX_CHARS {
            return Err(vec![
                crate::FieldError::new(
                    "refresh_token",
                    crate::validate::codes::INVALID_FORMAT,
                    format!("a refresh token is 1 to {REFRESH_TOKEN_MAX_CHARS} characters"),
                )
                .with_limit(REFRESH_TOKEN_MAX_CHARS as i64),
            ]);
        }
        Ok(())
    }
}

/// What the sign-in popup posts to its opener: `type` is
/// [`SIGN_IN_MESSAGE_TYPE`], then either the session's tokens or an
/// `error` code with a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInMessage {
    /// [`SIGN_IN_MESSAGE_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The tokens, when sign-in worked.
    #[serde(default, flatten, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<SessionTokens>,
    /// Why sign-in failed (`state_mismatch`, `id_token_nonce`, …), when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The reason in plain words, when sign-in failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Validate;

    #[test]
    fn a_message_is_tokens_or_an_error() {
        let ok = SignInMessage {
            kind: SIGN_IN_MESSAGE_TYPE.into(),
            tokens: Some(SessionTokens {
                access_token: "a".into(),
                token_type: "Bearer".into(),
                expires_in: 600,
                refresh_token: "r".into(),
                session_expires_in: 3600,
            }),
            error: None,
            message: None,
        };
        let json = serde_json::to_value(&ok).unwrap();
        assert_eq!(json["type"], "km-sign-in");
        assert_eq!(json["access_token"], "a");
        assert!(json.get("error").is_none());
        let back: SignInMessage = serde_json::from_value(json).unwrap();
        assert_eq!(back, ok);
        let failed: SignInMessage =
            serde_json::from_str(r#"{"type":"km-sign-in","error":"state_mismatch","message":"m"}"#)
                .unwrap();
        assert!(failed.tokens.is_none());
        assert_eq!(failed.error.as_deref(), Some("state_mismatch"));
    }

    #[test]
    fn refresh_tokens_have_a_bounded_length() {
        let r = |t: &str| RefreshRequest {
            refresh_token: t.into(),
        };
        assert!(r("x").validate().is_ok());
        assert!(r("").validate().is_err());
        assert!(
            r(&"x".repeat(REFRESH_TOKEN_MAX_CHARS + 1))
                .validate()
                .is_err()
        );
        // Regression: the limit was counted in bytes while the document
        // counts characters, so 256 `é`s (schema-valid) got a 422.
        assert!(r(&"é".repeat(REFRESH_TOKEN_MAX_CHARS)).validate().is_ok());
    }
}
