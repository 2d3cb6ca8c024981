//! The reflection prompt's HTTP calls (the write goes through the core
//! outbox: see [`REFLECTIONS_PATH`]).

use km_protocol::reflections::TodayPrompt;
use km_widgets_core::api::with_query;
use km_widgets_core::{Api, ApiError, Lang};

/// `POST /reflections` (sent through the outbox with an Idempotency-Key).
pub const REFLECTIONS_PATH: &str = "/reflections";

/// The path of `GET /prompts/today` in `lang`, from prompt set `set` when given.
pub fn today_path(lang: Lang, set: Option<&str>) -> String {
    let set = set.map(str::trim).filter(|s| !s.is_empty());
    with_query(
        "/prompts/today",
        &[
            ("lang", Some(lang.tag().to_owned())),
            ("set", set.map(str::to_owned)),
        ],
    )
}

/// `GET /api/v1/prompts/today`: the prompt of the current period (identity
/// required: 401 when nobody is signed in).
pub async fn today(api: &Api, lang: Lang, set: Option<&str>) -> Result<TodayPrompt, ApiError> {
    api.get(&today_path(lang, set)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_is_asked_in_the_widget_language_and_set() {
        assert_eq!(today_path(Lang::En, None), "/prompts/today?lang=en");
        assert_eq!(
            today_path(Lang::Nl, Some("onboarding")),
            "/prompts/today?lang=nl&set=onboarding"
        );
        assert_eq!(today_path(Lang::Nl, Some(" ")), "/prompts/today?lang=nl");
    }
}
