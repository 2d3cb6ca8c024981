//! The passion match's HTTP calls.

use km_protocol::Page;
use km_protocol::passions::Profile;
use km_widgets_core::api::with_query;
use km_widgets_core::{Api, ApiError};

/// `GET /profiles/me`.
pub const MY_PROFILE_PATH: &str = "/profiles/me";

/// The path of `GET /profiles` for a page of `limit` colleagues, optionally
/// only those with passion `tag`.
pub fn colleagues_path(limit: u32, tag: Option<&str>) -> String {
    let tag = tag.map(str::trim).filter(|t| !t.is_empty());
    with_query(
        "/profiles",
        &[
            ("limit", Some(limit.to_string())),
            ("tag", tag.map(str::to_owned)),
        ],
    )
}

/// `GET /api/v1/profiles/me`: my own profile (identity required: 401 when
/// nobody is signed in).
pub async fn my_profile(api: &Api) -> Result<Profile, ApiError> {
    api.get(MY_PROFILE_PATH).await
}

/// `GET /api/v1/profiles`: colleagues I may see (never me, never hidden
/// profiles); anonymous reads allowed when the server allows them.
pub async fn colleagues(
    api: &Api,
    limit: u32,
    tag: Option<&str>,
) -> Result<Page<Profile>, ApiError> {
    api.get(&colleagues_path(limit, tag)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_comes_first_and_a_tag_is_encoded() {
        assert_eq!(colleagues_path(6, None), "/profiles?limit=6");
        assert_eq!(
            colleagues_path(3, Some("Service design")),
            "/profiles?limit=3&tag=Service%20design"
        );
        assert_eq!(colleagues_path(3, Some("  ")), "/profiles?limit=3");
    }
}
