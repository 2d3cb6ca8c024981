//! Per-person write limits: one sliding window per (community, person,
//! write kind), kept in the database (`write_events`) so that several
//! servers over one PostgreSQL database share them.
//!
//! [`limit_writes`] is the one place that applies them: a route layer over
//! every `/api/v1` route that maps the matched route ([`kind_of`]) to a
//! [`WriteKind`]. Before the handler runs it reserves one event in the
//! window (or answers 429 with `Retry-After`); when the write does not
//! succeed (an error status, or an idempotent replay of an earlier write)
//! the reservation is taken back. Deleting what was written refunds
//! nothing, so delete-and-retry does not get around a limit.
//!
//! New tags are limited inside otherwise allowed writes: the layer puts
//! the writer in a task-local ([`WRITER`]) for the handler's duration, and
//! [`crate::tag_vocabulary::resolve`] calls [`count_new_tag`] in the write's
//! own transaction for each tag it creates (a refused or failed write rolls
//! the tag and its count back together).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use km_protocol::{IDEMPOTENCY_HEADER, IDEMPOTENT_REPLAYED_HEADER};
use sqlx::AnyConnection;

use crate::AppState;
use crate::db::rate_limit as db;
use crate::error::ApiError;
use crate::extract::{Caller, Community};
use crate::store::{Backend, Store, now_ms};

/// A kind of write with its own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteKind {
    /// `POST /questions`.
    Questions,
    /// `POST /questions/{id}/answers`.
    Answers,
    /// Editing what others read: questions, answers, stories, retagging,
    /// a reflection's visibility. (One's profile is one row that the
    /// passion-match editor saves as one types; its new tags count.)
    Edits,
    /// Upvotes of questions and answers.
    Votes,
    /// Applause of stories.
    Applause,
    /// Reactions to shared reflections.
    Reactions,
    /// `POST /reflections`.
    Reflections,
    /// `POST /stories`.
    Stories,
    /// `POST /intros` (besides the daily limit of intros).
    Intros,
    /// `POST /questions/{id}/invites`.
    Invites,
    /// Tags that did not exist in the community before, in any write.
    NewTags,
}

impl WriteKind {
    /// Every kind, in the order of `--rate-limits` documentation.
    pub const ALL: [WriteKind; 11] = [
        WriteKind::Questions,
        WriteKind::Answers,
        WriteKind::Edits,
        WriteKind::Votes,
        WriteKind::Applause,
        WriteKind::Reactions,
        WriteKind::Reflections,
        WriteKind::Stories,
        WriteKind::Intros,
        WriteKind::Invites,
        WriteKind::NewTags,
    ];

    /// The name used in `--rate-limits` and stored in `write_events`.
    pub fn name(self) -> &'static str {
        match self {
            WriteKind::Questions => "questions",
            WriteKind::Answers => "answers",
            WriteKind::Edits => "edits",
            WriteKind::Votes => "votes",
            WriteKind::Applause => "applause",
            WriteKind::Reactions => "reactions",
            WriteKind::Reflections => "reflections",
            WriteKind::Stories => "stories",
            WriteKind::Intros => "intros",
            WriteKind::Invites => "invites",
            WriteKind::NewTags => "new_tags",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }
}

/// The write kind of a request, from its method and matched route (the
/// route as registered, without the `/api/v1` prefix). `None`: not limited
/// (reads, deletes, follows, moderation and admin work).
pub fn kind_of(method: &Method, route: &str) -> Option<WriteKind> {
    use WriteKind::*;
    let kind = match (method.as_str(), route) {
        ("POST", "/questions") => Questions,
        ("POST", "/questions/{id}/answers") => Answers,
        ("PUT", "/questions/{id}")
        | ("PUT", "/answers/{id}")
        | ("PUT", "/stories/{id}")
        | ("PUT", "/questions/{id}/tags")
        | ("PUT", "/reflections/{id}/visibility") => Edits,
        ("PUT", "/questions/{id}/vote") | ("PUT", "/answers/{id}/vote") => Votes,
        ("PUT", "/stories/{id}/applause") => Applause,
        ("PUT", "/reflections/{id}/reactions/{reaction}") => Reactions,
        ("POST", "/reflections") => Reflections,
        ("POST", "/stories") => Stories,
        ("POST", "/intros") => Intros,
        ("POST", "/questions/{id}/invites") => Invites,
        _ => return None,
    };
    Some(kind)
}

/// At most `max` writes in any `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Writes allowed in a window (at least 1).
    pub max: u32,
    /// The window's length in seconds.
    pub window_secs: u64,
}

impl Limit {
    const fn per_hour(max: u32) -> Option<Limit> {
        Some(Limit {
            max,
            window_secs: 3600,
        })
    }
}

/// The limit of every write kind (`None`: unlimited). Parsed from
/// `--rate-limits`: `off`, or comma-separated `kind=N/unit` (unit `s`, `m`,
/// `h` or `d`) or `kind=off` over [`RateLimits::default`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    limits: [Option<Limit>; WriteKind::ALL.len()],
}

impl Default for RateLimits {
    /// Generous for people, tight for scripts: a person who answers a
    /// question a minute for an hour is fine; a burst of 100 questions or
    /// 1,000 new tags is not.
    fn default() -> Self {
        let mut l = RateLimits::off();
        for (kind, limit) in [
            (WriteKind::Questions, Limit::per_hour(20)),
            (WriteKind::Answers, Limit::per_hour(60)),
            (WriteKind::Edits, Limit::per_hour(120)),
            (WriteKind::Votes, Limit::per_hour(300)),
            (WriteKind::Applause, Limit::per_hour(120)),
            (WriteKind::Reactions, Limit::per_hour(300)),
            (WriteKind::Reflections, Limit::per_hour(30)),
            (WriteKind::Stories, Limit::per_hour(10)),
            (WriteKind::Intros, Limit::per_hour(10)),
            (WriteKind::Invites, Limit::per_hour(60)),
            (WriteKind::NewTags, Limit::per_hour(30)),
        ] {
            l.limits[kind.index()] = limit;
        }
        l
    }
}

impl RateLimits {
    /// No limits at all.
    pub fn off() -> Self {
        RateLimits {
            limits: [None; WriteKind::ALL.len()],
        }
    }

    /// The limit of `kind`, if any.
    pub fn get(&self, kind: WriteKind) -> Option<Limit> {
        self.limits[kind.index()]
    }

    /// Sets (or with `None` lifts) the limit of `kind`.
    #[must_use]
    pub fn with(mut self, kind: WriteKind, limit: Option<Limit>) -> Self {
        self.limits[kind.index()] = limit;
        self
    }
}

impl FromStr for RateLimits {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("off") {
            return Ok(RateLimits::off());
        }
        let mut out = RateLimits::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: expected kind=N/unit or kind=off"))?;
            let kind = WriteKind::ALL
                .into_iter()
                .find(|k| k.name() == name.trim())
                .ok_or_else(|| {
                    let names: Vec<_> = WriteKind::ALL.iter().map(|k| k.name()).collect();
                    format!("unknown write kind {name:?} (one of {})", names.join(", "))
                })?;
            out.limits[kind.index()] = parse_limit(value.trim())
                .ok_or_else(|| format!("{part:?}: expected N/s, N/m, N/h, N/d (N >= 1) or off"))?;
        }
        Ok(out)
    }
}

/// `20/h` → 20 per 3600 s; `off` → `Some(None)`; garbage → `None`.
fn parse_limit(value: &str) -> Option<Option<Limit>> {
    if value.eq_ignore_ascii_case("off") {
        return Some(None);
    }
    let (max, unit) = value.split_once('/')?;
    let max: u32 = max.trim().parse().ok().filter(|m| *m >= 1)?;
    // `90s`, `10m`: a count of units; `h` alone is one.
    let unit = unit.trim();
    let digits = unit.len() - unit.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let count: u64 = match &unit[..digits] {
        "" => 1,
        n => n.parse().ok().filter(|n| *n >= 1)?,
    };
    let secs = match &unit[digits..] {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    Some(Some(Limit {
        max,
        window_secs: count.checked_mul(secs)?,
    }))
}

impl fmt::Display for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = WriteKind::ALL
            .iter()
            .map(|k| match self.get(*k) {
                None => format!("{}=off", k.name()),
                Some(l) => {
                    let (n, unit) = match l.window_secs {
                        86_400 => (1, "d"),
                        3600 => (1, "h"),
                        60 => (1, "m"),
                        s => (s, "s"),
                    };
                    if n == 1 {
                        format!("{}={}/{unit}", k.name(), l.max)
                    } else {
                        format!("{}={}/{n}{unit}", k.name(), l.max)
                    }
                }
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// Who is writing, for the duration of one limited request.
#[derive(Debug, Clone)]
pub struct Writer {
    /// The community of the request.
    pub community: String,
    /// The person (`sub`).
    pub person: String,
    /// The limits in force.
    pub limits: Arc<RateLimits>,
    /// The database behind the write's transaction.
    pub backend: Backend,
}

tokio::task_local! {
    /// The writer of the request being handled (set by [`limit_writes`]).
    pub static WRITER: Writer;
}

/// The route layer: limits signed-in writes by kind (see the module docs).
/// Requests without a (valid) token or community pass untouched: their
/// handler refuses them as before.
pub async fn limit_writes(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let me = match Caller::from_request_parts(&mut parts, &st).await {
        Ok(Caller(Some(me))) => me,
        _ => return next.run(Request::from_parts(parts, body)).await,
    };
    let Ok(Community(community)) = Community::from_request_parts(&mut parts, &st).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let kind = parts
        .extensions
        .get::<MatchedPath>()
        .map(|p| p.as_str().trim_start_matches(km_protocol::API_PREFIX))
        .and_then(|route| kind_of(&parts.method, route));
    let key = parts
        .headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let req = Request::from_parts(parts, body);
    let reserved = match kind.and_then(|k| st.rate_limits.get(k).map(|l| (k, l))) {
        None => None,
        Some((kind, limit)) => match reserve(&st.store, &community, &me.id, kind, limit).await {
            Ok(id) => Some(id),
            // A retry of a write that went through replays its answer
            // (the outbox retries when an answer was lost): not a new write.
            Err(ApiError::RateLimited { .. })
                if replayable(&st.store, &me.id, key.as_deref()).await =>
            {
                None
            }
            Err(e) => return e.into_response(),
        },
    };
    let writer = Writer {
        community,
        person: me.id,
        limits: st.rate_limits.clone(),
        backend: st.store.backend(),
    };
    let res = WRITER.scope(writer, next.run(req)).await;
    if let Some(id) = reserved {
        let wrote =
            res.status().is_success() && !res.headers().contains_key(IDEMPOTENT_REPLAYED_HEADER);
        if !wrote && let Err(e) = refund(&st.store, &id).await {
            tracing::warn!(error = %e, "rate limit: reservation not taken back");
        }
    }
    res
}

async fn replayable(store: &Store, person: &str, key: Option<&str>) -> bool {
    match key {
        Some(key) => crate::idempotency::is_known(store, person, key)
            .await
            .unwrap_or(false),
        None => false,
    }
}

/// Reserves one write of `kind` in its own transaction: the event's id, or
/// a 429 when the window is full.
async fn reserve(
    store: &Store,
    community: &str,
    person: &str,
    kind: WriteKind,
    limit: Limit,
) -> Result<String, ApiError> {
    let mut w = store.write().await?;
    let id = record(&mut w.tx, store.backend(), community, person, kind, limit).await;
    w.commit().await?;
    id
}

async fn refund(store: &Store, id: &str) -> Result<(), ApiError> {
    let mut w = store.write().await?;
    db::delete(&mut w.tx, id).await?;
    w.commit().await?;
    Ok(())
}

/// Forgets events that left the window, then records one more unless the
/// window is full (a 429 saying when the oldest counted write leaves it).
async fn record(
    conn: &mut AnyConnection,
    backend: Backend,
    community: &str,
    person: &str,
    kind: WriteKind,
    limit: Limit,
) -> Result<String, ApiError> {
    let kind_name = kind.name();
    db::lock_window(conn, backend, community, person, kind_name).await?;
    let now = now_ms();
    let window_ms = i64::try_from(limit.window_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    db::forget(
        conn,
        community,
        person,
        kind_name,
        now.saturating_sub(window_ms),
    )
    .await?;
    // The max-th newest write in the window: while it is there, the window
    // is full; when it leaves, there is room again.
    let blocking =
        db::nth_newest(conn, community, person, kind_name, i64::from(limit.max) - 1).await?;
    if let Some(at) = blocking {
        let wait_ms = at.saturating_add(window_ms).saturating_sub(now);
        return Err(ApiError::RateLimited {
            kind: kind_name,
            limit,
            retry_after_secs: u64::try_from((wait_ms + 999) / 1000).unwrap_or(0).max(1),
        });
    }
    Ok(db::insert(conn, community, person, kind_name, now).await?)
}

/// Counts one new tag of the current writer in the write's transaction
/// `conn`, or refuses it (429) when the writer's new-tag window is full.
/// Outside a limited request (the demo seed) it does nothing.
pub async fn count_new_tag(conn: &mut AnyConnection) -> Result<(), ApiError> {
    let Ok(writer) = WRITER.try_with(Clone::clone) else {
        return Ok(());
    };
    let Some(limit) = writer.limits.get(WriteKind::NewTags) else {
        return Ok(());
    };
    record(
        conn,
        writer.backend,
        &writer.community,
        &writer.person,
        WriteKind::NewTags,
        limit,
    )
    .await
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_over_the_defaults_and_can_be_turned_off() {
        let l: RateLimits = "questions=3/m, new_tags=off,votes=1000/d,edits=5/90s"
            .parse()
            .unwrap();
        assert_eq!(l.get(WriteKind::Edits).map(|l| l.window_secs), Some(90));
        assert_eq!(
            l.get(WriteKind::Questions),
            Some(Limit {
                max: 3,
                window_secs: 60
            })
        );
        assert_eq!(l.get(WriteKind::NewTags), None);
        assert_eq!(l.get(WriteKind::Votes).map(|l| l.window_secs), Some(86_400));
        assert_eq!(
            l.get(WriteKind::Answers),
            RateLimits::default().get(WriteKind::Answers)
        );
        assert_eq!("off".parse::<RateLimits>(), Ok(RateLimits::off()));
        assert_eq!("".parse::<RateLimits>(), Ok(RateLimits::default()));
        for bad in ["questions", "questions=0/h", "questions=5/week", "spam=1/h"] {
            assert!(bad.parse::<RateLimits>().is_err(), "{bad}");
        }
        let shown = RateLimits::default().to_string();
        assert_eq!(shown.parse::<RateLimits>(), Ok(RateLimits::default()));
        assert_eq!(l.to_string().parse::<RateLimits>(), Ok(l));
    }

    #[test]
    fn every_kind_is_reached_by_a_real_route_and_reads_and_deletes_are_free() {
        assert_eq!(kind_of(&Method::GET, "/questions"), None);
        assert_eq!(kind_of(&Method::DELETE, "/questions/{id}/vote"), None);
        // The routes as served (the OpenAPI document lists every one), so a
        // route renamed in its module cannot silently lose its limit.
        let doc: serde_json::Value =
            serde_json::from_str(&crate::openapi::document_json()).unwrap();
        let mut reached = std::collections::HashSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let route = path.trim_start_matches(km_protocol::API_PREFIX);
            for method in item.as_object().unwrap().keys() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                reached.extend(kind_of(&method, route));
            }
        }
        for kind in WriteKind::ALL {
            // New tags are counted where tags are made, not by route.
            if kind != WriteKind::NewTags {
                assert!(reached.contains(&kind), "no route of {kind:?}");
            }
        }
    }
}
