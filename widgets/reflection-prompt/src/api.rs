//! The reflection prompt's HTTP calls (the write goes through the core
//! outbox: see [`REFLECTIONS_PATH`]).

use km_protocol::Page;
use km_protocol::reflections::{
    Deleted, Reaction, ReactionState, Reflection, ReflectionPatch, ReflectionSettings,
    ReflectionSummary, ReflectionVisibility, TodayPrompt,
};
use km_widgets_core::api::{NoFields, with_query};
use km_widgets_core::{Api, ApiError, HttpMethod, Lang};

/// `POST /reflections` (sent through the outbox with an Idempotency-Key).
pub const REFLECTIONS_PATH: &str = "/reflections";
/// Page size of the journal and the feed.
pub const PAGE: u32 = 10;

/// The path of `GET /prompts/today` (or its `/skip`) in `lang`, from prompt
/// set `set` when given, with the browser's time zone `tz`.
pub fn today_path(lang: Lang, set: Option<&str>, tz: Option<&str>) -> String {
    let set = set.map(str::trim).filter(|s| !s.is_empty());
    with_query(
        "/prompts/today",
        &[
            ("lang", Some(lang.tag().to_owned())),
            ("set", set.map(str::to_owned)),
            ("tz", tz.map(str::to_owned)),
        ],
    )
}

/// The browser's time zone: the IANA name from `Intl`, else its current
/// UTC offset (`+01:00`).
pub fn browser_time_zone() -> String {
    let opts = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&opts, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| offset_name(js_sys::Date::new_0().get_timezone_offset()))
}

/// `Date.getTimezoneOffset()` (minutes *behind* UTC) as `+HH:MM`.
pub fn offset_name(minutes_behind: f64) -> String {
    let east = -(minutes_behind as i64);
    let sign = if east < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", east.abs() / 60, east.abs() % 60)
}

/// `GET /prompts/today`: the prompt of the current period (identity
/// required for rotation; anonymous callers get everyone's prompt).
pub async fn today(api: &Api, lang: Lang, set: Option<&str>) -> Result<TodayPrompt, ApiError> {
    api.get(&today_path(lang, set, Some(&browser_time_zone())))
        .await
}

/// `POST /prompts/today/skip`: another prompt for this period.
pub async fn skip(api: &Api, lang: Lang, set: Option<&str>) -> Result<TodayPrompt, ApiError> {
    let path = today_path(lang, set, Some(&browser_time_zone())).replacen(
        "/prompts/today",
        "/prompts/today/skip",
        1,
    );
    api.send(HttpMethod::Post, &path, &NoFields {}, None).await
}

/// `GET /reflections/settings`.
pub async fn settings(api: &Api) -> Result<ReflectionSettings, ApiError> {
    api.get("/reflections/settings").await
}

/// `PUT /reflections/settings`.
pub async fn save_settings(
    api: &Api,
    s: &ReflectionSettings,
) -> Result<ReflectionSettings, ApiError> {
    api.send(HttpMethod::Put, "/reflections/settings", s, None)
        .await
}

/// The path of a journal page: my reflections containing `q`.
pub fn mine_path(q: &str, cursor: Option<&str>) -> String {
    let q = q.trim();
    with_query(
        "/reflections/mine",
        &[
            ("q", (!q.is_empty()).then(|| q.to_owned())),
            ("cursor", cursor.map(str::to_owned)),
            ("limit", Some(PAGE.to_string())),
        ],
    )
}

/// `GET /reflections/mine?q=`.
pub async fn mine(api: &Api, q: &str, cursor: Option<&str>) -> Result<Page<Reflection>, ApiError> {
    api.get(&mine_path(q, cursor)).await
}

/// `GET /reflections/mine/summary`.
pub async fn summary(api: &Api) -> Result<ReflectionSummary, ApiError> {
    api.get(&with_query(
        "/reflections/mine/summary",
        &[("tz", Some(browser_time_zone()))],
    ))
    .await
}

/// `GET /reflections/mine/export?format=` (`json` or `markdown`): the file's text.
pub async fn export(api: &Api, format: &str, lang: Lang) -> Result<String, ApiError> {
    let path = with_query(
        "/reflections/mine/export",
        &[
            ("format", Some(format.to_owned())),
            ("lang", Some(lang.tag().to_owned())),
        ],
    );
    api.request(HttpMethod::Get, &path, None, None).await
}

/// `DELETE /reflections/mine`: all my reflections.
pub async fn delete_all(api: &Api) -> Result<Deleted, ApiError> {
    let text = api
        .request(HttpMethod::Delete, "/reflections/mine", None, None)
        .await?;
    km_widgets_core::api::decode(&text)
}

/// `PUT /reflections/{id}/visibility`.
pub async fn share(
    api: &Api,
    id: &str,
    visibility: ReflectionVisibility,
) -> Result<Reflection, ApiError> {
    let path = format!(
        "/reflections/{}/visibility",
        km_widgets_core::api::encode_query(id)
    );
    api.send(
        HttpMethod::Put,
        &path,
        &ReflectionPatch { visibility },
        None,
    )
    .await
}

/// `GET /reflections/feed`.
pub async fn feed(api: &Api, cursor: Option<&str>) -> Result<Page<Reflection>, ApiError> {
    api.get(&with_query(
        "/reflections/feed",
        &[
            ("cursor", cursor.map(str::to_owned)),
            ("limit", Some(PAGE.to_string())),
        ],
    ))
    .await
}

/// `PUT` (on) or `DELETE` (off) `/reflections/{id}/reactions/{reaction}`.
pub async fn react(api: &Api, id: &str, r: Reaction, on: bool) -> Result<ReactionState, ApiError> {
    let path = format!(
        "/reflections/{}/reactions/{}",
        km_widgets_core::api::encode_query(id),
        r.as_str()
    );
    let method = if on {
        HttpMethod::Put
    } else {
        HttpMethod::Delete
    };
    let text = api.request(method, &path, None, None).await?;
    km_widgets_core::api::decode(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_is_asked_in_the_widget_language_set_and_zone() {
        assert_eq!(today_path(Lang::En, None, None), "/prompts/today?lang=en");
        assert_eq!(
            today_path(Lang::Nl, Some("onboarding"), Some("Europe/Amsterdam")),
            "/prompts/today?lang=nl&set=onboarding&tz=Europe%2FAmsterdam"
        );
        assert_eq!(
            today_path(Lang::Nl, Some(" "), None),
            "/prompts/today?lang=nl"
        );
    }

    #[test]
    fn offsets_are_named_east_of_utc() {
        assert_eq!(offset_name(-60.0), "+01:00");
        assert_eq!(offset_name(330.0), "-05:30");
        assert_eq!(offset_name(0.0), "+00:00");
    }

    #[test]
    fn journal_pages_search_and_continue() {
        assert_eq!(mine_path("  ", None), "/reflections/mine?limit=10");
        assert_eq!(
            mine_path("café", Some("abc")),
            "/reflections/mine?q=caf%C3%A9&cursor=abc&limit=10"
        );
    }
}
