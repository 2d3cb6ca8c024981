//! The passion match's HTTP calls: my profile, matches, intros, circles and
//! tag pages.

use km_protocol::Page;
use km_protocol::circles::{Circle, CircleMember};
use km_protocol::matches::{Intro, Match};
use km_protocol::passions::{Profile, ProfileUpdate};
use km_widgets_core::api::{NoFields, encode_query, with_query};
use km_widgets_core::{Api, ApiError, HttpMethod};

/// `GET`/`PUT`/`DELETE /profiles/me`.
pub const MY_PROFILE_PATH: &str = "/profiles/me";
/// `GET`/`POST /intros` (say hi goes through the widget's outbox).
pub const INTROS_PATH: &str = "/intros";

/// The path of `GET /profiles` for a page of `limit` colleagues, optionally
/// only those with passion `tag` (the "people passionate about X" page),
/// after `cursor`.
pub fn colleagues_path(limit: u32, tag: Option<&str>, cursor: Option<&str>) -> String {
    let tag = tag.map(str::trim).filter(|t| !t.is_empty());
    with_query(
        "/profiles",
        &[
            ("limit", Some(limit.to_string())),
            ("tag", tag.map(str::to_owned)),
            ("cursor", cursor.map(str::to_owned)),
        ],
    )
}

/// The path of `GET /matches`: a page of `limit`, optionally one passion
/// only, after `cursor`.
pub fn matches_path(limit: u32, tag: Option<&str>, cursor: Option<&str>) -> String {
    let tag = tag.map(str::trim).filter(|t| !t.is_empty());
    with_query(
        "/matches",
        &[
            ("limit", Some(limit.to_string())),
            ("tag", tag.map(str::to_owned)),
            ("cursor", cursor.map(str::to_owned)),
        ],
    )
}

/// The path of a circle's sub-resource (`membership`, `members`).
pub fn circle_path(tag_key: &str, rest: &str) -> String {
    format!("/circles/{}/{rest}", encode_query(tag_key))
}

/// `GET /profiles/me` (401 when nobody is signed in).
pub async fn my_profile(api: &Api) -> Result<Profile, ApiError> {
    api.get(MY_PROFILE_PATH).await
}

/// `PUT /profiles/me`: replaces my profile.
pub async fn save_profile(
    api: &Api,
    update: &ProfileUpdate,
    key: &str,
) -> Result<Profile, ApiError> {
    api.send(HttpMethod::Put, MY_PROFILE_PATH, update, Some(key))
        .await
}

/// `DELETE /profiles/me`: my profile, passions, memberships and intros.
pub async fn delete_profile(api: &Api) -> Result<(), ApiError> {
    api.request(HttpMethod::Delete, MY_PROFILE_PATH, None, None)
        .await
        .map(|_| ())
}

/// `GET /profiles?tag=`: colleagues I may see (never hidden profiles).
pub async fn colleagues(
    api: &Api,
    limit: u32,
    tag: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<Profile>, ApiError> {
    api.get(&colleagues_path(limit, tag, cursor)).await
}

/// `GET /matches`: my ranked matches.
pub async fn matches(
    api: &Api,
    limit: u32,
    tag: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<Match>, ApiError> {
    api.get(&matches_path(limit, tag, cursor)).await
}

/// `GET /intros?box=incoming|outgoing` (the newest 50).
pub async fn intros(api: &Api, outgoing: bool) -> Result<Page<Intro>, ApiError> {
    let b = if outgoing { "outgoing" } else { "incoming" };
    api.get(&format!("{INTROS_PATH}?box={b}&limit=50")).await
}

/// `POST /intros/{id}/accept` or `/dismiss` (the receiver only).
pub async fn answer_intro(api: &Api, id: &str, accept: bool) -> Result<Intro, ApiError> {
    let verb = if accept { "accept" } else { "dismiss" };
    let path = format!("{INTROS_PATH}/{}/{verb}", encode_query(id));
    api.send(HttpMethod::Post, &path, &NoFields {}, None).await
}

/// `DELETE /intros/{id}` (either person).
pub async fn delete_intro(api: &Api, id: &str) -> Result<(), ApiError> {
    let path = format!("{INTROS_PATH}/{}", encode_query(id));
    api.request(HttpMethod::Delete, &path, None, None)
        .await
        .map(|_| ())
}

/// `GET /circles`: a page of 20, most people first, after `cursor`.
pub async fn circles(api: &Api, cursor: Option<&str>) -> Result<Page<Circle>, ApiError> {
    let query = [
        ("limit", Some("20".to_owned())),
        ("cursor", cursor.map(str::to_owned)),
    ];
    api.get(&with_query("/circles", &query)).await
}

/// `PUT` (join) or `DELETE` (leave) `/circles/{tag}/membership`.
pub async fn set_membership(api: &Api, tag_key: &str, join: bool) -> Result<(), ApiError> {
    let path = circle_path(tag_key, "membership");
    let method = if join {
        HttpMethod::Put
    } else {
        HttpMethod::Delete
    };
    api.request(method, &path, None, None).await.map(|_| ())
}

/// `GET /circles/{tag}/members`: a page of 50 after `cursor`.
pub async fn circle_members(
    api: &Api,
    tag_key: &str,
    cursor: Option<&str>,
) -> Result<Page<CircleMember>, ApiError> {
    let query = [
        ("limit", Some("50".to_owned())),
        ("cursor", cursor.map(str::to_owned)),
    ];
    api.get(&with_query(&circle_path(tag_key, "members"), &query))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_comes_first_and_a_tag_is_encoded() {
        assert_eq!(colleagues_path(6, None, None), "/profiles?limit=6");
        assert_eq!(
            colleagues_path(3, Some("Service design"), Some("Mg")),
            "/profiles?limit=3&tag=Service%20design&cursor=Mg"
        );
        assert_eq!(colleagues_path(3, Some("  "), None), "/profiles?limit=3");
    }

    #[test]
    fn matches_and_circle_paths_encode_tags_and_cursors() {
        assert_eq!(matches_path(6, None, None), "/matches?limit=6");
        assert_eq!(
            matches_path(6, Some("C++ & Rust"), Some("Ng")),
            "/matches?limit=6&tag=C%2B%2B%20%26%20Rust&cursor=Ng"
        );
        assert_eq!(
            circle_path("service design", "members"),
            "/circles/service%20design/members"
        );
    }
}
