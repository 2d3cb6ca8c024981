//! The tag picker: chosen tags as chips plus an ARIA 1.2 combobox that
//! suggests tags from `GET /tags?prefix=` (debounced) and allows new ones.
//!
//! Keyboard: ↓/↑ move through suggestions, Enter adds the active suggestion
//! (or the typed text), Escape closes the list (a second Escape clears the
//! text), Backspace in an empty input removes the last chip, and a comma
//! adds the typed text.

use km_protocol::Page;
use km_protocol::tags::{TAG_MAX_CHARS, Tag};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::api::{Api, with_query};
use crate::i18n::{CoreKey, fill, plural, t, tr};
use crate::mount::use_widget;
use crate::ui::fields::{FieldMessage, FormErrors};

/// Debounce of the suggestion request after typing.
pub const DEBOUNCE_MS: u32 = 200;
/// Suggestions asked for.
pub const SUGGESTIONS: u32 = 8;

/// The comparison key of a tag label (case and surrounding space folded),
/// a cheap local stand-in for the server's normalization.
pub fn tag_key(label: &str) -> String {
    label.trim().to_lowercase()
}

/// One entry of the suggestion list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagOption {
    /// An existing tag of the vocabulary.
    Existing(String),
    /// The typed text as a new tag.
    Create(String),
}

impl TagOption {
    /// The label this option adds.
    pub fn label(&self) -> &str {
        match self {
            TagOption::Existing(l) | TagOption::Create(l) => l,
        }
    }
}

/// The options to show for `query`: suggestions not chosen yet, then the
/// typed text as a new tag unless it already is one of them (or chosen).
pub fn tag_options(query: &str, suggestions: &[Tag], chosen: &[String]) -> Vec<TagOption> {
    let q = query.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let is_chosen = |l: &str| chosen.iter().any(|c| tag_key(c) == tag_key(l));
    let mut out: Vec<TagOption> = suggestions
        .iter()
        .filter(|s| !is_chosen(&s.label))
        .map(|s| TagOption::Existing(s.label.clone()))
        .collect();
    let exists = suggestions
        .iter()
        .any(|s| tag_key(&s.label) == tag_key(q) || s.key == tag_key(q));
    if !exists && !is_chosen(q) && q.chars().count() <= TAG_MAX_CHARS {
        out.push(TagOption::Create(q.to_owned()));
    }
    out
}

/// Adds `label` to `chosen` unless blank, a duplicate, too long, or the list
/// is full; returns whether it was added.
pub fn add_tag(chosen: &mut Vec<String>, label: &str, max: usize) -> bool {
    let l = label.trim();
    if l.is_empty()
        || l.chars().count() > TAG_MAX_CHARS
        || chosen.len() >= max
        || chosen.iter().any(|c| tag_key(c) == tag_key(l))
    {
        return false;
    }
    chosen.push(l.to_owned());
    true
}

/// A tag picker bound to `tags`.
#[component]
pub fn TagPicker(
    /// The chosen tags (labels).
    tags: RwSignal<Vec<String>>,
    /// The visible label; default: the core "Tags".
    #[prop(optional, into)]
    label: Option<Signal<String>>,
    /// Most tags allowed (default 5).
    #[prop(default = 5)]
    max: usize,
    /// Form errors to show under the picker (field `field`).
    #[prop(optional)]
    errors: Option<FormErrors>,
    /// The request field name of the tags (default `tags`).
    #[prop(default = "tags")]
    field: &'static str,
) -> impl IntoView {
    let ctx = use_widget();
    let lang = ctx.config.lang;
    let config = ctx.config;
    let announcer = ctx.announcer;
    let input_id = ctx.dom_id(&format!("{field}-input"));
    let list_id = ctx.dom_id(&format!("{field}-listbox"));
    let hint_id = ctx.dom_id(&format!("{field}-hint"));
    let err_id = ctx.dom_id(&format!("{field}-error"));
    let opt_prefix = ctx.dom_id(&format!("{field}-opt"));

    let query = RwSignal::new(String::new());
    let suggestions = RwSignal::new(Vec::<Tag>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);

    let options = Memo::new(move |_| {
        query.with(|q| suggestions.with(|s| tags.with(|c| tag_options(q, s, c))))
    });

    let add = move |label: String| {
        let mut added = false;
        tags.update(|v| added = add_tag(v, &label, max));
        if added {
            announcer.say(fill(
                t(lang.get_untracked(), CoreKey::TagAdded),
                &[("tag", label.trim())],
            ));
            if let Some(e) = errors {
                e.clear_field(field);
            }
        }
        query.set(String::new());
        open.set(false);
        active.set(None);
    };
    let remove = move |i: usize| {
        let mut removed = None;
        tags.update(|v| {
            if i < v.len() {
                removed = Some(v.remove(i));
            }
        });
        if let Some(r) = removed {
            announcer.say(fill(
                t(lang.get_untracked(), CoreKey::TagRemoved),
                &[("tag", &r)],
            ));
        }
    };

    let fetch = move |q: String| {
        let Some(api) = Api::from_config_untracked(&config) else {
            return;
        };
        let path = with_query(
            "/tags",
            &[
                ("prefix", Some(q.clone())),
                ("limit", Some(SUGGESTIONS.to_string())),
            ],
        );
        leptos::task::spawn_local(async move {
            // Suggestions are a convenience: without them, new tags still work.
            let items = api
                .get::<Page<Tag>>(&path)
                .await
                .map(|p| p.items)
                .unwrap_or_default();
            if query.try_get_untracked().is_some_and(|cur| cur.trim() == q) {
                suggestions.set(items);
            }
        });
    };

    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if let Some(stripped) = v.strip_suffix(',') {
            add(stripped.to_owned());
            return;
        }
        query.set(v.clone());
        active.set(None);
        open.set(!v.trim().is_empty());
        let q = v.trim().to_owned();
        let t = (!q.is_empty())
            .then(|| gloo_timers::callback::Timeout::new(DEBOUNCE_MS, move || fetch(q)));
        timer.set_value(t);
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let n = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
            }
            "Enter" => {
                ev.prevent_default();
                let picked = active
                    .get_untracked()
                    .filter(|_| open.get_untracked())
                    .and_then(|i| {
                        options.with_untracked(|o| o.get(i).map(|o| o.label().to_owned()))
                    });
                match picked {
                    Some(l) => add(l),
                    None => {
                        let q = query.get_untracked();
                        if !q.trim().is_empty() {
                            add(q);
                        }
                    }
                }
            }
            "Escape" => {
                if open.get_untracked() {
                    ev.prevent_default();
                    open.set(false);
                    active.set(None);
                } else if !query.with_untracked(String::is_empty) {
                    ev.prevent_default();
                    query.set(String::new());
                }
            }
            "Backspace" if query.with_untracked(String::is_empty) => {
                let len = tags.with_untracked(Vec::len);
                if len > 0 {
                    ev.prevent_default();
                    remove(len - 1);
                }
            }
            "Tab" => open.set(false),
            _ => {}
        }
    };

    let described = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        move || {
            if errors.is_some() {
                format!("{h} {e}")
            } else {
                h.clone()
            }
        }
    };
    let opt_prefix2 = opt_prefix.clone();
    let active_desc = move || {
        active
            .get()
            .filter(|_| open.get())
            .map(|i| format!("{opt_prefix2}-{i}"))
    };
    let label_text = move || match label {
        Some(l) => l.get(),
        None => t(lang.get(), CoreKey::TagsLabel).to_owned(),
    };
    let invalid = move || errors.and_then(|e| e.first(field)).map(|_| "true");
    let list_id2 = list_id.clone();
    let input_id2 = input_id.clone();

    view! {
        <div class="km-field km-combobox" part="tag-picker">
            <label class="km-label" part="label" for=input_id.clone()>{label_text}</label>
            <div class="km-combobox-box">
                <ul class="km-tags" aria-label=label_text>
                    <For
                        each=move || tags.get().into_iter().enumerate()
                        key=|(i, t)| (*i, t.clone())
                        let:item
                    >
                        {
                            let (i, tag) = item;
                            let tag2 = tag.clone();
                            view! {
                                <li class="km-chip" part="chip tag">
                                    <span>{tag}</span>
                                    <button
                                        type="button"
                                        part="chip-remove"
                                        aria-label=move || fill(t(lang.get(), CoreKey::TagRemove), &[("tag", &tag2)])
                                        on:click=move |_| remove(i)
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <input
                    id=input_id2
                    class="km-input"
                    part="input"
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    aria-autocomplete="list"
                    aria-controls=list_id2
                    aria-expanded=move || if open.get() && !options.with(Vec::is_empty) { "true" } else { "false" }
                    aria-activedescendant=active_desc
                    aria-describedby=described
                    aria-invalid=invalid
                    placeholder=tr(lang, CoreKey::TagsPlaceholder)
                    prop:value=move || query.get()
                    on:input=on_input
                    on:keydown=on_keydown
                    on:blur=move |_| open.set(false)
                />
            </div>
            <ul
                id=list_id
                class="km-listbox"
                part="listbox"
                role="listbox"
                aria-label=label_text
                hidden=move || !open.get() || options.with(Vec::is_empty)
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, o)| {
                            let text = match &o {
                                TagOption::Existing(l) => l.clone(),
                                TagOption::Create(l) => fill(t(lang.get(), CoreKey::TagCreate), &[("tag", l)]),
                            };
                            let l = o.label().to_owned();
                            view! {
                                <li
                                    id=format!("{opt_prefix}-{i}")
                                    class="km-option"
                                    part="option"
                                    role="option"
                                    aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                                    on:mousedown=move |ev| {
                                        // mousedown, not click: keep focus in the input.
                                        ev.prevent_default();
                                        add(l.clone());
                                    }
                                >
                                    {text}
                                </li>
                            }
                        })
                        .collect::<Vec<_>>()
                }}
            </ul>
            <p id=hint_id class="km-sr-only">
                {tr(lang, CoreKey::TagsHint)} " "
                {move || {
                    let n = options.with(Vec::len) as i64;
                    if open.get() && n > 0 {
                        plural(lang.get(), n, CoreKey::TagSuggestionsOne, CoreKey::TagSuggestionsOther)
                    } else {
                        String::new()
                    }
                }}
            </p>
            {errors.map(|e| view! { <FieldMessage errors=e field=field id=err_id.clone()/> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(label: &str) -> Tag {
        Tag {
            key: tag_key(label),
            label: label.into(),
            count: 1,
        }
    }

    #[test]
    fn options_offer_unchosen_suggestions_then_the_typed_text() {
        let s = [tag("Rust"), tag("Rustic design")];
        assert_eq!(
            tag_options("rus", &s, &["rust".into()]),
            vec![
                TagOption::Existing("Rustic design".into()),
                TagOption::Create("rus".into())
            ]
        );
        // Typed text equal to a suggestion is not offered twice.
        assert_eq!(
            tag_options("RUST ", &s, &[]),
            vec![
                TagOption::Existing("Rust".into()),
                TagOption::Existing("Rustic design".into())
            ]
        );
        assert!(tag_options("  ", &s, &[]).is_empty());
    }

    #[test]
    fn adding_refuses_blanks_duplicates_and_overflow() {
        let mut v = vec!["Rust".to_owned()];
        assert!(!add_tag(&mut v, " rust ", 5));
        assert!(!add_tag(&mut v, "   ", 5));
        assert!(add_tag(&mut v, " Design ", 5));
        assert_eq!(v, ["Rust", "Design"]);
        assert!(!add_tag(&mut v, "More", 2));
        assert!(!add_tag(&mut v, &"x".repeat(TAG_MAX_CHARS + 1), 5));
    }
}
