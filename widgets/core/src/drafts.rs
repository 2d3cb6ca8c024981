//! Drafts: form text persisted to `localStorage` while typing and restored
//! after a reload, so nothing typed is lost.
//!
//! Keys are `km:draft:v1:<widget>:<community>:<instance>:<field>`; the
//! instance is the host element's `id` (or `-`), so two instances of one
//! widget on a page keep separate drafts when the page gives them ids.

use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

use crate::mount::use_widget;
use crate::storage;

/// The storage key of a draft field.
pub fn draft_key(widget: &str, community: &str, instance: Option<&str>, field: &str) -> String {
    let clean = |s: &str| s.replace(':', "_");
    format!(
        "km:draft:v1:{}:{}:{}:{}",
        clean(widget),
        clean(community),
        clean(instance.filter(|s| !s.is_empty()).unwrap_or("-")),
        clean(field)
    )
}

/// What [`use_draft`] returns (`Copy`, like the signals inside it).
#[derive(Debug)]
pub struct UseDraftReturn<T: Send + Sync + 'static> {
    /// The field's value; every change is saved.
    pub value: RwSignal<T>,
    /// Whether a stored draft was restored at creation.
    pub restored: bool,
    key: StoredValue<String>,
}

// Written out: a derive would demand `T: Copy`, and a draft of a `String`
// must be copyable into closures like any signal.
impl<T: Send + Sync + 'static> Clone for UseDraftReturn<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for UseDraftReturn<T> {}

impl<T: Default + Send + Sync + 'static> UseDraftReturn<T> {
    /// Clears the field and forgets the stored draft (after a successful submit).
    pub fn clear(&self) {
        self.value.set(T::default());
        self.key.with_value(|k| storage::remove(k));
    }

    /// The storage key.
    pub fn key(&self) -> String {
        self.key.get_value()
    }
}

/// A draft text field of the current widget (see the module docs).
pub fn use_draft(field: &str) -> UseDraftReturn<String> {
    use_draft_value(field)
}

/// A draft of any serializable value (tags, a choice, …), stored as JSON.
/// The value equal to `T::default()` is not stored.
pub fn use_draft_value<T>(field: &str) -> UseDraftReturn<T>
where
    T: Serialize + DeserializeOwned + Default + Clone + PartialEq + Send + Sync + 'static,
{
    let ctx = use_widget();
    let community = ctx.config.community.get_untracked();
    let key = draft_key(ctx.kind, &community, ctx.host_id().as_deref(), field);
    let stored: Option<T> = storage::get(&key).and_then(|s| crate::api::from_json(&s).ok());
    let restored = stored.as_ref().is_some_and(|v| *v != T::default());
    let value = RwSignal::new(stored.unwrap_or_default());
    let key = StoredValue::new(key);
    // Save on every change (localStorage is synchronous and small).
    Effect::new(move |_| {
        let v = value.get();
        key.with_value(|k| {
            if v == T::default() {
                storage::remove(k);
            } else if let Ok(json) = crate::api::to_json(&v) {
                storage::set(k, &json);
            }
        });
    });
    UseDraftReturn {
        value,
        restored,
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_keys_name_widget_community_instance_and_field() {
        assert_eq!(
            draft_key("ask-the-community", "default", None, "title"),
            "km:draft:v1:ask-the-community:default:-:title"
        );
        assert_eq!(
            draft_key("reflection-prompt", "hr", Some("daily"), "body"),
            "km:draft:v1:reflection-prompt:hr:daily:body"
        );
    }

    #[test]
    fn separators_in_parts_cannot_collide_keys() {
        assert_ne!(
            draft_key("w", "a:b", None, "c"),
            draft_key("w", "a", Some("b"), "c")
        );
    }
}
