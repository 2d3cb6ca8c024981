//! From the provider's claims to the person a portal token would name:
//! which claim is the id, the name and the department, which values of a
//! groups or roles claim mean `km:moderator` and `km:admin`, and which
//! claims a person must have to sign in at all (Google Workspace's `hd`).
//!
//! A claim is named by its key (`groups`, `https://example.com/roles`) or,
//! when no key is exactly that, by a dotted path into nested objects
//! (`realm_access.roles`, Keycloak's realm roles).

use km_protocol::{Me, TokenClaims};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// How claims become a person; see the `--oidc-*-claim` flags.
#[derive(Debug, Clone)]
pub struct ClaimMapping {
    /// The person's stable id (`sub`; Entra ID: `oid` matches Graph).
    pub id: String,
    /// The department (none: people have no department).
    pub department: Option<String>,
    /// The groups or roles claim.
    pub roles: String,
    /// Values of `roles` that make someone a moderator.
    pub moderator_values: Vec<String>,
    /// Values of `roles` that make someone an admin.
    pub admin_values: Vec<String>,
    /// `claim=value` pairs every person must have.
    pub required: Vec<(String, String)>,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        ClaimMapping {
            id: "sub".into(),
            department: Some("department".into()),
            roles: "groups".into(),
            moderator_values: Vec::new(),
            admin_values: Vec::new(),
            required: Vec::new(),
        }
    }
}

/// Why claims do not make a person who may sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmapped {
    /// The id claim is missing or unusable.
    NoId(String),
    /// A required claim is missing or has another value.
    NotAllowed(String),
}

/// The claim named `name`: its key, else a dotted path.
pub fn claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(name) {
        return Some(v);
    }
    let mut parts = name.split('.');
    let mut v = claims.get(parts.next()?)?;
    for part in parts {
        v = v.as_object()?.get(part)?;
    }
    Some(v)
}

/// A claim's values: a string is one value, an array of strings many
/// (other items are skipped), a number or boolean its text.
fn values(v: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

fn text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claim(claims, name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl ClaimMapping {
    /// Parses a `claim=value` requirement.
    pub fn requirement(s: &str) -> Result<(String, String), String> {
        match s.split_once('=') {
            Some((c, v)) if !c.trim().is_empty() && !v.trim().is_empty() => {
                Ok((c.trim().to_owned(), v.trim().to_owned()))
            }
            _ => Err(format!("`{s}` is not CLAIM=VALUE")),
        }
    }

    /// The token claims of the person `claims` describe, valid for
    /// `exp`; refused when a requirement is not met.
    pub fn token_claims(
        &self,
        claims: &Map<String, Value>,
        exp: u64,
    ) -> Result<TokenClaims, Unmapped> {
        for (name, want) in &self.required {
            if !values(claim(claims, name)).iter().any(|v| v == want) {
                return Err(Unmapped::NotAllowed(format!(
                    "your account lacks {name} = {want}, which this server requires"
                )));
            }
        }
        let id = values(claim(claims, &self.id))
            .into_iter()
            .next()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Unmapped::NoId(format!("the provider sent no {} claim", self.id)))?;
        let full = match (text(claims, "given_name"), text(claims, "family_name")) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (g, f) => g.or(f),
        };
        let name = text(claims, "name")
            .or(full)
            .or_else(|| text(claims, "preferred_username"))
            .or_else(|| text(claims, "email"))
            .unwrap_or_else(|| id.clone());
        // An address the provider says it did not verify is not shown as theirs.
        let verified = claims.get("email_verified") != Some(&Value::Bool(false));
        let email = text(claims, "email").filter(|_| verified);
        let department = self.department.as_deref().and_then(|d| text(claims, d));
        let held = values(claim(claims, &self.roles));
        let mut roles = Vec::new();
        if held.iter().any(|v| self.moderator_values.contains(v)) {
            roles.push("km:moderator".to_owned());
        }
        if held.iter().any(|v| self.admin_values.contains(v)) {
            roles.push("km:admin".to_owned());
        }
        Ok(TokenClaims {
            sub: id,
            name,
            email,
            department,
            roles,
            exp,
            iat: None,
        })
    }

    /// The person, cleaned as a portal token's would be
    /// ([`crate::auth::me_from_claims`]).
    pub fn person(&self, claims: &Map<String, Value>) -> Result<Me, Unmapped> {
        let token = self.token_claims(claims, 0)?;
        crate::auth::me_from_claims(token).map_err(|e| match e {
            ApiError::Unauthorized(why) => Unmapped::NoId(why),
            other => Unmapped::NoId(other.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use km_protocol::Role;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn mapping() -> ClaimMapping {
        ClaimMapping {
            moderator_values: vec!["km-moderators".into()],
            admin_values: vec!["km-admins".into()],
            ..ClaimMapping::default()
        }
    }

    #[test]
    fn groups_become_roles_and_the_department_is_read() {
        let me = mapping()
            .person(&map(json!({
                "sub": "u1", "name": "Mo", "department": "Support",
                "groups": ["staff", "km-moderators"], "email": "mo@example.com",
            })))
            .unwrap();
        assert_eq!(me.id, "u1");
        assert_eq!(me.department.as_deref(), Some("Support"));
        assert_eq!(me.roles, vec![Role::Moderator]);
        assert_eq!(me.email.as_deref(), Some("mo@example.com"));
        let admin = mapping()
            .person(&map(json!({"sub": "u2", "groups": "km-admins"})))
            .unwrap();
        assert!(admin.is_admin());
        assert_eq!(admin.name, "u2", "no name claim: the id");
    }

    #[test]
    fn nested_and_namespaced_claims_are_found() {
        let keycloak = ClaimMapping {
            roles: "realm_access.roles".into(),
            department: Some("org.department".into()),
            ..mapping()
        };
        let me = keycloak
            .person(&map(json!({
                "sub": "k1", "realm_access": {"roles": ["km-admins"]},
                "org": {"department": "IT"},
            })))
            .unwrap();
        assert!(me.is_admin());
        assert_eq!(me.department.as_deref(), Some("IT"));
        let namespaced = ClaimMapping {
            roles: "https://example.com/roles".into(),
            ..mapping()
        };
        let me = namespaced
            .person(&map(
                json!({"sub": "a1", "https://example.com/roles": ["km-moderators"]}),
            ))
            .unwrap();
        assert_eq!(me.roles, vec![Role::Moderator]);
    }

    #[test]
    fn requirements_keep_other_accounts_out() {
        // Google's issuer signs in any Google account: `hd` keeps it to the
        // organization's domain.
        let google = ClaimMapping {
            required: vec![ClaimMapping::requirement("hd=example.com").unwrap()],
            ..mapping()
        };
        assert!(
            google
                .person(&map(json!({"sub": "g1", "hd": "example.com"})))
                .is_ok()
        );
        for claims in [
            json!({"sub": "g2"}),
            json!({"sub": "g3", "hd": "gmail.com"}),
        ] {
            assert!(matches!(
                google.person(&map(claims)),
                Err(Unmapped::NotAllowed(_))
            ));
        }
        assert!(ClaimMapping::requirement("hd").is_err());
        assert!(ClaimMapping::requirement("=x").is_err());
    }

    #[test]
    fn unverified_addresses_and_odd_ids_are_not_taken() {
        let me = mapping()
            .person(&map(json!({
                "sub": "u1", "email": "ceo@example.com", "email_verified": false,
                "given_name": "Ada", "family_name": "Lovelace",
            })))
            .unwrap();
        assert_eq!(me.email, None);
        assert_eq!(me.name, "Ada Lovelace");
        assert!(matches!(
            mapping().person(&map(json!({"name": "no id"}))),
            Err(Unmapped::NoId(_))
        ));
        assert!(matches!(
            mapping().person(&map(json!({"sub": "u\u{202E}1"}))),
            Err(Unmapped::NoId(_))
        ));
    }
}
