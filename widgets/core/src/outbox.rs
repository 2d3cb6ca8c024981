//! The outbox: submissions that could not reach the server wait in
//! `localStorage` and are sent again later, so nothing typed is lost.
//!
//! Each entry carries the `Idempotency-Key` chosen at the first submit, so a
//! retry that reaches the server twice still writes once. Entries are retried
//! with backoff, on the `online` event and when the widget mounts; they are
//! removed when the server answers (success, or a 4xx shown to the user).
//!
//! A write refused for speed (429 with `Retry-After`, see [`after_refusal`])
//! is not lost either: at the submit itself the person is told when to try
//! again and keeps the draft in the form; an entry that was already waiting
//! (its form was cleared) stays queued and is sent again after `Retry-After`.
//!
//! [`OutboxQueue`] is the plain queue logic (native tests); [`use_outbox`]
//! is the reactive runtime a widget uses.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{Api, ApiError, HttpMethod};
use crate::config::WidgetConfig;
use crate::mount::use_widget;
use crate::storage;

/// The `localStorage` key of the page-wide queue.
pub const STORAGE_KEY: &str = "km:outbox:v1";
/// First retry delay; doubles per failed attempt.
pub const RETRY_BASE_MS: f64 = 5_000.0;
/// Longest retry delay.
pub const RETRY_MAX_MS: f64 = 300_000.0;

/// One waiting submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The `Idempotency-Key` (a UUID chosen at the first submit).
    pub id: String,
    /// The widget kind that queued it.
    pub widget: String,
    /// The community it belongs to.
    pub community: String,
    /// The API base URL at submit time.
    pub api: String,
    /// The method.
    pub method: HttpMethod,
    /// The path below the base URL.
    pub path: String,
    /// The JSON body.
    pub body: RawJson,
    /// A short text shown while pending (a title, the first words).
    pub label: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not before this time (ms since epoch).
    pub next_at_ms: f64,
}

/// JSON text kept as it came: a queued body, a server's answer. In the
/// stored queue it is the JSON itself (the format of the `serde_json::Value`
/// it replaced), not a string. The widgets' wasm never builds a
/// `serde_json::Value` (docs/PERFORMANCE.md, "Fewer bytes"): an answer is
/// decoded once into its type ([`RawJson::decode`]), or parsed by the
/// browser for an event's detail ([`RawJson::to_js`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawJson(pub String);

impl RawJson {
    /// The JSON text of `value` ([`crate::api::to_json`]).
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<Self, ApiError> {
        crate::api::to_json(value)
            .map(RawJson)
            .map_err(ApiError::Decode)
    }

    /// Decodes the text like an API answer ([`crate::api::decode`]).
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        crate::api::decode(&self.0)
    }

    /// The browser's `JSON.parse` of the text; `null` when it is not JSON.
    pub fn to_js(&self) -> wasm_bindgen::JsValue {
        js_sys::JSON::parse(&self.0).unwrap_or(wasm_bindgen::JsValue::NULL)
    }

    /// The string at `key` of a JSON object (`None` for another type, a
    /// missing key or text that is not JSON).
    pub fn text_field(&self, key: &str) -> Option<String> {
        let object = self.to_js();
        if !object.is_object() {
            return None;
        }
        js_sys::Reflect::get(&object, &key.into()).ok()?.as_string()
    }
}

/// The queue as JSON text ([`crate::api::to_json`]; in the browser a
/// [`RawJson`] passes through as the value its text parses to).
fn queue_json(queue: &OutboxQueue) -> Option<String> {
    crate::api::to_json(queue).ok()
}

#[cfg(target_arch = "wasm32")]
impl Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Only serde-wasm-bindgen's serializer meets a RawJson here.
        serde_wasm_bindgen::preserve::serialize(&self.to_js(), s)
    }
}

#[cfg(target_arch = "wasm32")]
impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value: wasm_bindgen::JsValue = serde_wasm_bindgen::preserve::deserialize(d)?;
        js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| wasm_bindgen::JsValue::from(s).as_string())
            .map(RawJson)
            .ok_or_else(|| serde::de::Error::custom("not JSON"))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.0.clone())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<serde_json::value::RawValue>::deserialize(d).map(|r| RawJson(r.get().to_owned()))
    }
}

/// Delay before the next try after `attempts` failures.
pub fn retry_delay_ms(attempts: u32) -> f64 {
    (RETRY_BASE_MS * 2f64.powi(attempts.saturating_sub(1).min(16) as i32)).min(RETRY_MAX_MS)
}

/// What the outbox does with an entry the server did not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterRefusal {
    /// Keep it and try again with backoff (the network failed).
    Backoff,
    /// Keep it and try again after this many seconds (429 `Retry-After`).
    RetryAfter(u64),
    /// Remove it and hand the refusal to the widget.
    Drop,
}

/// Decides [`AfterRefusal`] for `error`. `interactive`: the person just
/// pressed submit and still has the draft in the form, so a 429 is shown to
/// them (the draft stays) instead of being sent again behind their back.
pub fn after_refusal(error: &ApiError, interactive: bool) -> AfterRefusal {
    if error.is_transient() {
        return AfterRefusal::Backoff;
    }
    match error.retry_after_secs() {
        Some(secs) if !interactive => AfterRefusal::RetryAfter(secs),
        _ => AfterRefusal::Drop,
    }
}

/// The queue: plain data, loaded from and saved to a JSON string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutboxQueue {
    /// Entries in submit order.
    pub entries: Vec<OutboxEntry>,
}

impl OutboxQueue {
    /// Parses a stored queue; anything unreadable is an empty queue (a
    /// corrupt entry must not block the widget).
    pub fn parse(json: Option<&str>) -> Self {
        json.and_then(|s| crate::api::from_json(s).ok())
            .unwrap_or_default()
    }

    /// The JSON to store.
    pub fn to_json(&self) -> String {
        queue_json(self).unwrap_or_else(|| "{\"entries\":[]}".to_owned())
    }

    /// Adds `entry`, replacing one with the same id.
    pub fn push(&mut self, entry: OutboxEntry) {
        self.remove(&entry.id);
        self.entries.push(entry);
    }

    /// Removes the entry `id`; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.id != id);
        before != self.entries.len()
    }

    /// Records a failed attempt at `now_ms`: counts it and schedules the next.
    pub fn record_failure(&mut self, id: &str, now_ms: f64) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            e.attempts = e.attempts.saturating_add(1);
            e.next_at_ms = now_ms + retry_delay_ms(e.attempts);
        }
    }

    /// Schedules the entry `id` not before `now_ms + secs` (the server's
    /// `Retry-After`); not a failure, so the backoff does not grow.
    pub fn record_wait(&mut self, id: &str, now_ms: f64, secs: u64) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            e.next_at_ms = now_ms + (secs.max(1) as f64) * 1000.0;
        }
    }

    /// The entries of one widget kind in one community.
    pub fn of(&self, widget: &str, community: &str) -> Vec<OutboxEntry> {
        self.entries
            .iter()
            .filter(|e| e.widget == widget && e.community == community)
            .cloned()
            .collect()
    }

    /// Entries of `widget`/`community` whose time has come.
    pub fn due(&self, widget: &str, community: &str, now_ms: f64) -> Vec<OutboxEntry> {
        self.of(widget, community)
            .into_iter()
            .filter(|e| e.next_at_ms <= now_ms)
            .collect()
    }

    /// The earliest scheduled retry of `widget`/`community`, if any.
    pub fn next_due(&self, widget: &str, community: &str) -> Option<f64> {
        self.of(widget, community)
            .iter()
            .map(|e| e.next_at_ms)
            .reduce(f64::min)
    }
}

fn load() -> OutboxQueue {
    OutboxQueue::parse(storage::get(STORAGE_KEY).as_deref())
}

/// Loads the queue, applies `f`, saves it (storage is synchronous, so two
/// widgets on one page never interleave inside this).
fn modify<R>(f: impl FnOnce(&mut OutboxQueue) -> R) -> R {
    let mut q = load();
    let r = f(&mut q);
    if q.entries.is_empty() {
        storage::remove(STORAGE_KEY);
    } else {
        storage::set(STORAGE_KEY, &q.to_json());
    }
    r
}

thread_local! {
    // Entries being sent right now by some widget of this page.
    static IN_FLIGHT: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// How a submit ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitOutcome {
    /// The server accepted it; its JSON answer (the text; empty when it
    /// sent none).
    Sent(RawJson),
    /// The network failed: it waits in the outbox and will be retried.
    Queued,
    /// The server refused it (4xx, or a non-transient error); not queued.
    Rejected(ApiError),
}

/// Called when a queued entry finally reaches the server: the entry and the
/// server's answer (`Ok`) or its refusal (`Err`).
pub type DeliveredFn = Rc<dyn Fn(&OutboxEntry, Result<RawJson, ApiError>)>;

/// The outbox runtime of one mounted widget.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// This widget's waiting entries (reactive), oldest first.
    pub pending: RwSignal<Vec<OutboxEntry>>,
    kind: &'static str,
    config: WidgetConfig,
    community: Signal<String>,
    on_delivered: StoredValue<Option<DeliveredFn>, LocalStorage>,
    timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
}

/// The current widget's outbox; `on_delivered` hears about entries that
/// reach the server later (to fire events and refetch). Starts a flush at
/// once, on every `online` event and when retries are due.
pub fn use_outbox(
    on_delivered: impl Fn(&OutboxEntry, Result<RawJson, ApiError>) + 'static,
) -> Outbox {
    let ctx = use_widget();
    let community = ctx.config.community;
    let kind = ctx.kind;
    let ob = Outbox {
        pending: RwSignal::new(load().of(kind, &community.get_untracked())),
        kind,
        config: ctx.config,
        community: community.into(),
        on_delivered: StoredValue::new_local(Some(Rc::new(on_delivered) as DeliveredFn)),
        timer: StoredValue::new_local(None),
    };
    // Back online: send everything now, whatever the backoff said (the
    // backoff only guessed when the network would be back).
    let handle = window_event_listener(leptos::ev::online, move |_| ob.flush_now());
    on_cleanup(move || handle.remove());
    // Flush when mounted and whenever the community changes.
    Effect::new(move |_| {
        let _ = community.get();
        ob.refresh();
        ob.flush();
    });
    ob
}

impl Outbox {
    fn community_now(&self) -> Option<String> {
        self.community.try_get_untracked()
    }

    /// Re-reads this widget's entries from storage into [`Outbox::pending`].
    pub fn refresh(&self) {
        if let Some(c) = self.community_now() {
            self.pending.set(load().of(self.kind, &c));
        }
    }

    /// Submits `body` to `path` through the outbox: a new entry with a fresh
    /// Idempotency-Key is stored first, then sent. See [`SubmitOutcome`].
    pub async fn submit<B: Serialize>(
        &self,
        method: HttpMethod,
        path: &str,
        body: &B,
        label: &str,
    ) -> SubmitOutcome {
        let Some(api) = Api::from_config_untracked(&self.config) else {
            return SubmitOutcome::Queued;
        };
        let community = api.community.clone();
        let body = match RawJson::of(body) {
            Ok(v) => v,
            Err(e) => return SubmitOutcome::Rejected(e),
        };
        let entry = OutboxEntry {
            id: storage::random_uuid(),
            widget: self.kind.to_owned(),
            community,
            api: api.base.clone(),
            method,
            path: path.to_owned(),
            body,
            label: label.to_owned(),
            attempts: 0,
            next_at_ms: 0.0,
        };
        modify(|q| q.push(entry.clone()));
        self.refresh();
        let outcome = self.send(entry, true).await;
        self.refresh();
        outcome
    }

    /// Sends one entry and updates the queue with the answer
    /// (`interactive`: see [`after_refusal`]).
    async fn send(&self, entry: OutboxEntry, interactive: bool) -> SubmitOutcome {
        let fresh = IN_FLIGHT.with(|s| s.borrow_mut().insert(entry.id.clone()));
        if !fresh {
            return SubmitOutcome::Queued;
        }
        let api = Api {
            base: entry.api.clone(),
            community: entry.community.clone(),
        };
        let json = entry.body.0.clone();
        let result = api
            .request(entry.method, &entry.path, Some(json), Some(&entry.id))
            .await;
        IN_FLIGHT.with(|s| s.borrow_mut().remove(&entry.id));
        match result {
            Ok(text) => {
                modify(|q| q.remove(&entry.id));
                SubmitOutcome::Sent(RawJson(text))
            }
            Err(e) => match after_refusal(&e, interactive) {
                AfterRefusal::Backoff => {
                    modify(|q| q.record_failure(&entry.id, crate::intl::now_ms()));
                    self.schedule();
                    SubmitOutcome::Queued
                }
                AfterRefusal::RetryAfter(secs) => {
                    modify(|q| q.record_wait(&entry.id, crate::intl::now_ms(), secs));
                    self.schedule();
                    SubmitOutcome::Queued
                }
                AfterRefusal::Drop => {
                    modify(|q| q.remove(&entry.id));
                    SubmitOutcome::Rejected(e)
                }
            },
        }
    }

    /// Sends every due entry of this widget (in the background).
    pub fn flush(&self) {
        self.flush_where(false);
    }

    /// Sends every waiting entry of this widget at once, due or not (when
    /// the browser reports it is back online).
    pub fn flush_now(&self) {
        self.flush_where(true);
    }

    fn flush_where(&self, ignore_schedule: bool) {
        let Some(c) = self.community_now() else {
            return;
        };
        let now = if ignore_schedule {
            f64::INFINITY
        } else {
            crate::intl::now_ms()
        };
        let due = load().due(self.kind, &c, now);
        if due.is_empty() {
            self.schedule();
            return;
        }
        let ob = *self;
        leptos::task::spawn_local(async move {
            for entry in due {
                let outcome = ob.send(entry.clone(), false).await;
                let cb = ob.on_delivered.try_get_value().flatten();
                match (outcome, cb) {
                    (SubmitOutcome::Sent(v), Some(cb)) => cb(&entry, Ok(v)),
                    (SubmitOutcome::Rejected(e), Some(cb)) => cb(&entry, Err(e)),
                    _ => {}
                }
            }
            ob.refresh();
        });
    }

    /// Arms a timer for the earliest scheduled retry.
    fn schedule(&self) {
        let Some(c) = self.community_now() else {
            return;
        };
        let Some(at) = load().next_due(self.kind, &c) else {
            self.timer.try_set_value(None);
            return;
        };
        let wait = (at - crate::intl::now_ms()).clamp(0.0, RETRY_MAX_MS) as u32;
        let ob = *self;
        let t = gloo_timers::callback::Timeout::new(wait.max(50), move || ob.flush());
        // Replacing the old timer drops (cancels) it; after unmount the
        // stored value is gone and the new timer is dropped right here.
        self.timer.try_set_value(Some(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, widget: &str) -> OutboxEntry {
        OutboxEntry {
            id: id.into(),
            widget: widget.into(),
            community: "default".into(),
            api: "https://km.example/api/v1".into(),
            method: HttpMethod::Post,
            path: "/questions".into(),
            body: RawJson(r#"{"title":"How do we onboard faster?"}"#.into()),
            label: "How do we onboard faster?".into(),
            attempts: 0,
            next_at_ms: 0.0,
        }
    }

    #[test]
    fn queue_round_trips_through_storage_json() {
        let mut q = OutboxQueue::default();
        q.push(entry("a", "ask-the-community"));
        q.push(entry("b", "reflection-prompt"));
        let back = OutboxQueue::parse(Some(&q.to_json()));
        assert_eq!(back, q);
        assert_eq!(OutboxQueue::parse(Some("not json")), OutboxQueue::default());
        assert_eq!(OutboxQueue::parse(None), OutboxQueue::default());
    }

    #[test]
    fn a_queue_stored_with_value_bodies_reads_and_writes_the_same_json() {
        // Bodies were `serde_json::Value`s until issue 12; a queue stored
        // then must still be sent, and is stored again unchanged.
        let stored = r#"{"entries":[{"id":"a","widget":"ask-the-community","community":"default","api":"https://km.example/api/v1","method":"Post","path":"/questions","body":{"title":"How do we \"onboard\"?","tags":["hr"],"n":1.5},"label":"How","attempts":2,"next_at_ms":5.0}]}"#;
        let q = OutboxQueue::parse(Some(stored));
        assert_eq!(q.entries.len(), 1);
        assert_eq!(
            q.entries[0].body.0,
            r#"{"title":"How do we \"onboard\"?","tags":["hr"],"n":1.5}"#
        );
        assert_eq!(q.entries[0].attempts, 2);
        assert_eq!(q.to_json(), stored);
    }

    #[test]
    fn a_body_is_its_serde_json_text() {
        #[derive(Serialize)]
        struct Ask<'a> {
            title: &'a str,
            tags: Vec<&'a str>,
        }
        let body = RawJson::of(&Ask {
            title: "Où est \"le\" guide?",
            tags: vec!["hr"],
        })
        .unwrap();
        assert_eq!(body.0, r#"{"title":"Où est \"le\" guide?","tags":["hr"]}"#);
        #[derive(Deserialize, Debug, PartialEq)]
        struct Back {
            title: String,
        }
        assert_eq!(
            body.decode::<Back>(),
            Ok(Back {
                title: "Où est \"le\" guide?".into()
            })
        );
        assert!(RawJson("<html>".into()).decode::<Back>().is_err());
    }

    #[test]
    fn pushing_the_same_key_twice_keeps_one_entry() {
        let mut q = OutboxQueue::default();
        q.push(entry("a", "w"));
        q.push(entry("a", "w"));
        assert_eq!(q.entries.len(), 1);
        assert!(q.remove("a"));
        assert!(!q.remove("a"));
    }

    #[test]
    fn failures_back_off_and_hide_entries_until_due() {
        let mut q = OutboxQueue::default();
        q.push(entry("a", "w"));
        assert_eq!(q.due("w", "default", 1000.0).len(), 1);
        q.record_failure("a", 1000.0);
        assert!(q.due("w", "default", 1000.0).is_empty());
        assert_eq!(q.next_due("w", "default"), Some(1000.0 + RETRY_BASE_MS));
        q.record_failure("a", 1000.0);
        assert_eq!(
            q.next_due("w", "default"),
            Some(1000.0 + 2.0 * RETRY_BASE_MS)
        );
        assert_eq!(retry_delay_ms(100), RETRY_MAX_MS);
    }

    #[test]
    fn a_waiting_entry_refused_for_speed_waits_for_retry_after() {
        // Regression (issue 10 item 7): a queued write that met a 429 was
        // dropped like any 4xx; it now waits for Retry-After and is sent again.
        let quick = ApiError::Problem(
            km_protocol::Problem::new(429, "Too many writes").with_retry_after(90),
        );
        assert_eq!(after_refusal(&quick, false), AfterRefusal::RetryAfter(90));
        // At the submit, the person sees it and keeps the draft.
        assert_eq!(after_refusal(&quick, true), AfterRefusal::Drop);
        // A limit with no known end (intros' daily limit) is handed over.
        let daily = ApiError::Problem(km_protocol::Problem::new(429, "Daily limit reached"));
        assert_eq!(after_refusal(&daily, false), AfterRefusal::Drop);
        assert_eq!(
            after_refusal(&ApiError::Timeout, true),
            AfterRefusal::Backoff
        );
        let mut q = OutboxQueue::default();
        q.push(entry("a", "w"));
        q.record_wait("a", 1000.0, 90);
        assert!(q.due("w", "default", 90_999.0).is_empty());
        assert_eq!(q.due("w", "default", 91_000.0).len(), 1);
        assert_eq!(q.entries[0].attempts, 0);
    }

    #[test]
    fn entries_are_scoped_to_widget_and_community() {
        let mut q = OutboxQueue::default();
        q.push(entry("a", "w"));
        let mut other = entry("b", "w");
        other.community = "hr".into();
        q.push(other);
        q.push(entry("c", "x"));
        assert_eq!(q.of("w", "default").len(), 1);
        assert_eq!(q.of("w", "hr").len(), 1);
        assert_eq!(q.due("x", "default", 0.0)[0].id, "c");
    }
}
