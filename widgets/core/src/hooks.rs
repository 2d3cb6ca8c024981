//! Reactive helpers every widget repeats, in the leptos-use shape
//! (`use_x` returning signals): a typed attribute ([`use_attr`]) and a
//! resource bound to the widget's API and identity ([`use_api_resource`]).
//! Refetching on demand: a [`Refresh`] trigger, read with `track()` in the
//! fetcher and fired with `notify()`.

use std::future::Future;

use leptos::prelude::*;

use crate::api::Api;
use crate::mount::use_widget;

/// A typed widget attribute: how its text (`None` when absent) reads.
pub trait FromAttr: Clone + PartialEq + Send + Sync + 'static {
    /// The value for the attribute's text.
    fn from_attr(value: Option<&str>) -> Self;
}

/// A text attribute (`tag`, `prompt-set`): trimmed; absent, empty or only
/// spaces is `None`.
impl FromAttr for Option<String> {
    fn from_attr(value: Option<&str>) -> Self {
        value
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }
}

/// A text attribute that presets a field (`goal`, `team`): trimmed, empty
/// when absent.
impl FromAttr for String {
    fn from_attr(value: Option<&str>) -> Self {
        Option::<String>::from_attr(value).unwrap_or_default()
    }
}

/// A page size (`limit`): a whole number clamped to `1..=MAX`; absent or
/// not a number is `DEFAULT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit<const DEFAULT: u32, const MAX: u32>(pub u32);

impl<const DEFAULT: u32, const MAX: u32> FromAttr for Limit<DEFAULT, MAX> {
    fn from_attr(value: Option<&str>) -> Self {
        let n = value
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(DEFAULT);
        Limit(n.clamp(1, MAX))
    }
}

/// The widget attribute `name` as a `T` (every widget reads its attributes
/// this way), as a memo: it notifies only when
/// the typed value changes (not when another attribute does).
pub fn use_attr<T: FromAttr>(name: &'static str) -> Memo<T> {
    let cfg = use_widget().config;
    Memo::new(move |_| {
        cfg.attrs
            .with(|m| T::from_attr(m.get(name).map(String::as_str)))
    })
}

/// A resource fetched with the widget's [`Api`]: `fetch` runs (tracked)
/// with the current API and community, so the resource refetches when
/// `api` or `community` change, after `KmWidgets.configure()` (a new person)
/// and when any signal `fetch` reads before its `async` block changes.
pub fn use_api_resource<T, Fut>(fetch: impl Fn(Api) -> Fut + 'static) -> LocalResource<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    let cfg = use_widget().config;
    LocalResource::new(move || fetch(Api::from_config(&cfg)))
}

/// A refresh trigger: `track()` it in a fetcher, `notify()` it to refetch.
/// (A counter signal inside, not Leptos's `Trigger`: the bundle already
/// carries the `RwSignal<u32>` code, so this costs no bytes.)
#[derive(Clone, Copy)]
pub struct Refresh(RwSignal<u32>);

impl Refresh {
    /// A new trigger (inside the widget's reactive owner).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Refresh(RwSignal::new(0))
    }

    /// Subscribes the running effect or resource to this trigger.
    pub fn track(&self) {
        self.0.track();
    }

    /// Refetches everything that tracks this trigger (nothing after unmount).
    pub fn notify(&self) {
        self.0.try_update(|n| *n = n.wrapping_add(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_clamped_and_fall_back_to_their_default() {
        type L = Limit<10, 50>;
        assert_eq!(L::from_attr(Some("3")), Limit(3));
        assert_eq!(L::from_attr(Some(" 7 ")), Limit(7));
        assert_eq!(L::from_attr(Some("500")), Limit(50));
        assert_eq!(L::from_attr(Some("0")), Limit(1));
        assert_eq!(L::from_attr(Some("abc")), Limit(10));
        assert_eq!(L::from_attr(Some("-4")), Limit(10));
        assert_eq!(L::from_attr(None), Limit(10));
    }

    #[test]
    fn blank_text_is_no_text() {
        assert_eq!(
            Option::<String>::from_attr(Some(" onboarding ")),
            Some("onboarding".into())
        );
        assert_eq!(Option::<String>::from_attr(Some("   ")), None);
        assert_eq!(Option::<String>::from_attr(Some("")), None);
        assert_eq!(Option::<String>::from_attr(None), None);
        assert_eq!(String::from_attr(Some(" q3-onboarding ")), "q3-onboarding");
        assert_eq!(String::from_attr(None), "");
    }
}
