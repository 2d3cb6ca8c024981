//! The reactive configuration of one mounted widget, and the page-wide
//! identity epoch.
//!
//! The loader resolves every attribute (see `docs/DESIGN.md`) and passes them
//! to `mount`; live changes arrive through `MountHandle::set_attribute`. Each
//! value is a signal, so a `lang` change re-renders strings, a `theme` change
//! re-styles and an `api`/`community` change refetches.

use std::collections::BTreeMap;

use leptos::prelude::*;

/// The attributes every widget reads (the loader resolves them; see
/// `docs/DESIGN.md`). Each widget crate lists its own in `ATTRS`.
pub const CORE_ATTRS: &[&str] = &["api", "lang", "theme", "community"];

/// A supported interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the fallback for every string).
    #[default]
    En,
    /// Dutch.
    Nl,
}

impl Lang {
    /// Every supported language.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// Parses a BCP 47 tag loosely (`nl-BE` → Dutch); anything else is English.
    pub fn parse(tag: &str) -> Lang {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Lang::Nl,
            _ => Lang::En,
        }
    }

    /// The language tag used in `lang=""` and for `Intl` formatters.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }
}

/// The colour scheme a widget renders in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light colours (the default).
    #[default]
    Light,
    /// Dark colours.
    Dark,
    /// Follows the reader's `prefers-color-scheme`.
    Auto,
}

impl Theme {
    /// Parses `light|dark|auto`; anything else is light.
    pub fn parse(value: &str) -> Theme {
        match value.trim().to_ascii_lowercase().as_str() {
            "dark" => Theme::Dark,
            "auto" => Theme::Auto,
            _ => Theme::Light,
        }
    }

    /// The value of the root's `data-theme` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

/// The configuration of one mounted widget. Every field is a signal; copy it
/// freely into closures.
#[derive(Debug, Clone, Copy)]
pub struct WidgetConfig {
    /// Base URL of the API, ending in `/api/v1` (no trailing slash).
    pub api: RwSignal<String>,
    /// Interface language.
    pub lang: RwSignal<Lang>,
    /// Colour scheme.
    pub theme: RwSignal<Theme>,
    /// Community scope, sent as `X-Km-Community`.
    pub community: RwSignal<String>,
    /// Every other attribute (`mode`, `limit`, `tag`, `prompt-set`, `goal`,
    /// `team`, …) by name; absent when unset.
    pub attrs: RwSignal<BTreeMap<String, String>>,
}

/// The plain values a [`WidgetConfig`] starts from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigValues {
    /// Base URL of the API (trailing `/` removed).
    pub api: String,
    /// Interface language.
    pub lang: Lang,
    /// Colour scheme.
    pub theme: Theme,
    /// Community scope (`default` when unset).
    pub community: String,
    /// Other attributes.
    pub attrs: BTreeMap<String, String>,
}

impl ConfigValues {
    /// Builds values from `(name, value)` pairs as the loader passes them.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut out = ConfigValues {
            community: km_protocol::DEFAULT_COMMUNITY.to_owned(),
            ..Default::default()
        };
        for (k, v) in pairs {
            out.apply(k.as_ref(), Some(v.into()));
        }
        out
    }

    /// Applies one attribute change (`None` removes it).
    pub fn apply(&mut self, name: &str, value: Option<String>) {
        match name {
            "api" => self.api = normalize_api(value.as_deref().unwrap_or("")),
            "lang" => self.lang = Lang::parse(value.as_deref().unwrap_or("")),
            "theme" => self.theme = Theme::parse(value.as_deref().unwrap_or("")),
            "community" => self.community = normalize_community(value.as_deref()),
            other => match value {
                Some(v) => {
                    self.attrs.insert(other.to_owned(), v);
                }
                None => {
                    self.attrs.remove(other);
                }
            },
        }
    }
}

/// Removes trailing slashes so paths can be appended with `/`.
pub fn normalize_api(api: &str) -> String {
    api.trim().trim_end_matches('/').to_owned()
}

fn normalize_community(value: Option<&str>) -> String {
    match value.map(str::trim) {
        Some(c) if !c.is_empty() => c.to_owned(),
        _ => km_protocol::DEFAULT_COMMUNITY.to_owned(),
    }
}

impl WidgetConfig {
    /// Creates the signals (inside the widget's reactive owner).
    pub fn new(values: ConfigValues) -> Self {
        WidgetConfig {
            api: RwSignal::new(values.api),
            lang: RwSignal::new(values.lang),
            theme: RwSignal::new(values.theme),
            community: RwSignal::new(values.community),
            attrs: RwSignal::new(values.attrs),
        }
    }

    /// Applies a live attribute change; only the signal concerned changes,
    /// and only when the value really differs.
    pub fn set(&self, name: &str, value: Option<String>) {
        let mut v = ConfigValues::default();
        v.apply(name, value.clone());
        match name {
            "api" => set_if_changed(self.api, v.api),
            "lang" => set_if_changed(self.lang, v.lang),
            "theme" => set_if_changed(self.theme, v.theme),
            "community" => set_if_changed(self.community, normalize_community(value.as_deref())),
            other => {
                let differs = self
                    .attrs
                    .with_untracked(|m| m.get(other).cloned() != value);
                if differs {
                    self.attrs.update(|m| match value {
                        Some(val) => {
                            m.insert(other.to_owned(), val);
                        }
                        None => {
                            m.remove(other);
                        }
                    });
                }
            }
        }
    }
}

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|cur| *cur != value) {
        signal.set(value);
    }
}

thread_local! {
    static IDENTITY_EPOCH: ArcRwSignal<u64> = ArcRwSignal::new(0);
}

/// The page-wide identity epoch: read it (tracked) in a resource's fetcher so
/// the resource refetches after `KmWidgets.configure()` (a new token may mean
/// a new person).
pub fn identity_epoch() -> u64 {
    IDENTITY_EPOCH.with(|s| s.get())
}

/// Bumps the identity epoch; called by the exported `config_changed()`.
pub fn bump_identity_epoch() {
    IDENTITY_EPOCH.with(|s| s.update(|n| *n += 1));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_parses_regional_tags_and_falls_back_to_english() {
        assert_eq!(Lang::parse("nl-BE"), Lang::Nl);
        assert_eq!(Lang::parse("NL"), Lang::Nl);
        assert_eq!(Lang::parse("de"), Lang::En);
        assert_eq!(Lang::parse(""), Lang::En);
    }

    #[test]
    fn values_split_known_fields_from_widget_attributes() {
        let v = ConfigValues::from_pairs([
            ("api", "https://km.example/api/v1/"),
            ("lang", "nl"),
            ("theme", "dark"),
            ("limit", "3"),
        ]);
        assert_eq!(v.api, "https://km.example/api/v1");
        assert_eq!(v.lang, Lang::Nl);
        assert_eq!(v.theme, Theme::Dark);
        assert_eq!(v.community, "default");
        assert_eq!(v.attrs.get("limit").map(String::as_str), Some("3"));
    }
}
