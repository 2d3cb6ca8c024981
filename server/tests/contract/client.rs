//! The targets of the contract tests and a small HTTP client for them.

use std::time::{SystemTime, UNIX_EPOCH};

use km_protocol::TokenClaims;
use km_server::auth::{Keys, Verifier};
use km_server::rate_limit::{Limit, RateLimits, WriteKind};
use km_server::{AppOptions, AppState, Store, app};
use reqwest::{Method, StatusCode};
use serde_json::Value;

const SECRET: &[u8] = b"contract-test-secret-0123456789";
const SERVICE_TOKEN: &str = "contract-service-token-0123456789";

/// People of the in-process targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Who {
    /// No token.
    Anonymous,
    /// Alice (Sales).
    Alice,
    /// Bob (Sales).
    Bob,
    /// Carol (HR).
    Carol,
    /// An admin.
    Admin,
    /// A moderator (Sales).
    Moderator,
    /// The service token (not a person).
    Service,
    /// A signed-in colleague with no role, for reading what anybody may
    /// read when the backend does not allow anonymous reads (see
    /// [`Target::reader`]).
    Reader,
}

/// What a test needs of a target besides people: declared per test
/// (`tests![name caps [Mint]]`), so a backend without it skips the test
/// with the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cap {
    /// The test signs tokens for people of its own making
    /// ([`Target::mint`], [`Target::fresh_token`]): the in-process servers
    /// know the secret, an external backend does not.
    Mint,
    /// The test starts servers of its own over the target's database with
    /// other rate limits ([`Target::with_limits`]): in-process only.
    Limits,
}

impl Cap {
    /// The name of the capability, as declared in `caps [...]`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Cap::Mint => "Mint",
            Cap::Limits => "Limits",
        }
    }

    /// What it means, for skip reasons and errors.
    fn role(self) -> &'static str {
        match self {
            Cap::Mint => "signs tokens of its own: in-process servers only",
            Cap::Limits => "starts servers with other rate limits: in-process servers only",
        }
    }
}

impl Who {
    /// The key of this person in a conformance people file.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Alice => "alice",
            Who::Bob => "bob",
            Who::Carol => "carol",
            Who::Admin => "admin",
            Who::Moderator => "moderator",
            Who::Service => "service",
            Who::Reader => "reader",
        }
    }

    /// Why a test needs this person, for skip reasons and errors.
    fn role(self) -> &'static str {
        match self {
            Who::Anonymous => "no token",
            Who::Alice => "the main person",
            Who::Bob => "a second person in Alice's department",
            Who::Carol => "a person in another department than Alice",
            Who::Admin => "a person with the km:admin role",
            Who::Moderator => "a person with the km:moderator role in Alice's department",
            Who::Service => "the service token (reminders)",
            Who::Reader => "a signed-in reader, when anonymous reads are off",
        }
    }
}

/// A person a target acts as: the token and what the backend should make
/// of it.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    who: Who,
    token: String,
    /// The id the backend gives this person (`/me`'s `id`).
    pub(crate) id: String,
    /// The display name the backend shows.
    pub(crate) name: String,
    /// The department, if any.
    pub(crate) department: Option<String>,
}

/// A backend under test.
pub(crate) struct Target {
    /// `sqlite`, `postgres` or `external`.
    pub(crate) name: &'static str,
    /// The API base (`http://host/api/v1`).
    pub(crate) api: String,
    people: Vec<Person>,
    /// Whether the backend lets callers without a token read.
    pub(crate) anonymous_reads: bool,
    /// Whether this target accepts tokens the tests sign themselves (the
    /// in-process targets know the secret; `external` does not).
    mints: bool,
    /// The database of an in-process target (None: external).
    database_url: Option<String>,
    http: reqwest::Client,
    /// Whom the running test acted as (see `check_audit`).
    used: std::sync::Mutex<std::collections::BTreeSet<Who>>,
    /// What the running test used of the target (see `check_audit`).
    used_caps: std::sync::Mutex<std::collections::BTreeSet<Cap>>,
}

/// A response: status, headers, JSON body (Null when not JSON).
pub(crate) struct Res {
    /// The status.
    pub(crate) status: StatusCode,
    /// The headers.
    pub(crate) headers: reqwest::header::HeaderMap,
    /// The body.
    pub(crate) body: Value,
    /// The body as text (for non-JSON answers such as CSV).
    pub(crate) text: String,
}

impl Res {
    /// Fails unless the status is `want`.
    pub(crate) fn expect(self, want: u16) -> Result<Res, String> {
        if self.status.as_u16() == want {
            Ok(self)
        } else {
            Err(format!(
                "expected HTTP {want}, got {}: {}",
                self.status, self.body
            ))
        }
    }

    /// Fails unless this is a problem+json with `status`; returns it.
    pub(crate) fn problem(self, status: u16) -> Result<Value, String> {
        let ct = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let res = self.expect(status)?;
        if !ct.starts_with("application/problem+json") {
            return Err(format!("expected application/problem+json, got {ct:?}"));
        }
        if res.body["status"].as_u64() != Some(u64::from(status)) || !res.body["title"].is_string()
        {
            return Err(format!("not a problem body: {}", res.body));
        }
        Ok(res.body)
    }
}

impl Target {
    /// Whether this target offers `cap`.
    fn has(&self, cap: Cap) -> bool {
        match cap {
            Cap::Mint => self.mints,
            Cap::Limits => self.database_url.is_some(),
        }
    }

    /// Why a test that acts as `needs` and uses `caps` cannot run here
    /// (people this target was not given, capabilities it lacks), or None.
    pub(crate) fn skip_reason(&self, needs: &[Who], caps: &[Cap]) -> Option<String> {
        let missing: Vec<String> = needs
            .iter()
            .filter(|w| self.person(**w).is_none())
            .map(|w| format!("`{}` ({})", w.key(), w.role()))
            .chain(
                caps.iter()
                    .filter(|c| !self.has(**c))
                    .map(|c| format!("the capability {} ({})", c.key(), c.role())),
            )
            .collect();
        (!missing.is_empty()).then(|| format!("needs {}", missing.join(", ")))
    }

    /// Starts recording whom a test acts as and what it uses.
    pub(crate) fn start_audit(&self) {
        if let Ok(mut used) = self.used.lock() {
            used.clear();
        }
        if let Ok(mut used) = self.used_caps.lock() {
            used.clear();
        }
    }

    fn uses(&self, cap: Cap) {
        if let Ok(mut used) = self.used_caps.lock() {
            used.insert(cap);
        }
    }

    /// Fails when the test acted as someone, or used a capability, it did
    /// not declare (only Alice, the reader and nobody need no declaration).
    pub(crate) fn check_audit(&self, needs: &[Who], caps: &[Cap]) -> Result<(), String> {
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        let undeclared: Vec<&str> = used
            .iter()
            .filter(|w| !matches!(w, Who::Alice | Who::Anonymous | Who::Reader))
            .filter(|w| !needs.contains(w))
            .map(|w| w.key())
            .collect();
        if !undeclared.is_empty() {
            return Err(format!(
                "the test acts as {undeclared:?} but does not declare it: add them to its \
                 `needs [...]` in tests![...] so backends without them skip it"
            ));
        }
        let used = self.used_caps.lock().map(|u| u.clone()).unwrap_or_default();
        let undeclared: Vec<&str> = used
            .iter()
            .filter(|c| !caps.contains(c))
            .map(|c| c.key())
            .collect();
        if !undeclared.is_empty() {
            return Err(format!(
                "the test uses the capabilities {undeclared:?} but does not declare them: add \
                 them to its `caps [...]` in tests![...] so backends without them skip it"
            ));
        }
        Ok(())
    }

    fn person(&self, who: Who) -> Option<&Person> {
        self.people.iter().find(|p| p.who == who)
    }

    /// A token for a person of the tests' own making (`sub` unique per
    /// run), on targets that accept such tokens (tests that call it declare
    /// `caps [Mint]`).
    pub(crate) fn mint(&self, sub: &str, name: &str, dept: &str) -> Result<String, String> {
        self.uses(Cap::Mint);
        if !self.mints {
            return Err(format!("{} accepts no minted tokens", self.name));
        }
        Ok(signed(sub, name, dept, &[]))
    }

    /// Sends a request with a bearer `token` (from [`Self::mint`], or one
    /// made up by the test).
    pub(crate) async fn send_token(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Res, String> {
        let auth = format!("Bearer {token}");
        self.send(
            Who::Anonymous,
            method,
            path,
            body,
            &[("authorization", &auth)],
        )
        .await
    }

    fn token(&self, who: Who) -> Option<&str> {
        self.person(who).map(|p| p.token.as_str())
    }

    /// Who reads what anybody may read: nobody (no token) where the backend
    /// allows anonymous reads, else a signed-in colleague with no role.
    pub(crate) fn reader(&self) -> Who {
        if self.anonymous_reads {
            Who::Anonymous
        } else {
            Who::Reader
        }
    }

    /// The display name the backend shows for `who`.
    pub(crate) fn name_of(&self, who: Who) -> &str {
        self.person(who).map_or("", |p| p.name.as_str())
    }

    /// Sends a request as `who`.
    pub(crate) async fn send(
        &self,
        who: Who,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Result<Res, String> {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{}", self.api, path)
        };
        let mut req = self.http.request(method, &url);
        if let Ok(mut used) = self.used.lock() {
            used.insert(who);
        }
        if who != Who::Anonymous {
            let t = self.token(who).ok_or_else(|| {
                format!(
                    "no token for `{}` ({}) on {}",
                    who.key(),
                    who.role(),
                    self.name
                )
            })?;
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.map_err(|e| format!("{url}: {e}"))?;
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.map_err(|e| e.to_string())?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Res {
            status,
            headers,
            body,
            text,
        })
    }

    /// GET as `who`.
    pub(crate) async fn get(&self, who: Who, path: &str) -> Result<Res, String> {
        self.send(who, Method::GET, path, None, &[]).await
    }

    /// POST JSON as `who`.
    pub(crate) async fn post(&self, who: Who, path: &str, body: &Value) -> Result<Res, String> {
        self.send(who, Method::POST, path, Some(body), &[]).await
    }

    /// DELETE as `who`.
    pub(crate) async fn delete(&self, who: Who, path: &str) -> Result<Res, String> {
        self.send(who, Method::DELETE, path, None, &[]).await
    }

    /// PUT JSON as `who`.
    pub(crate) async fn put(&self, who: Who, path: &str, body: &Value) -> Result<Res, String> {
        self.send(who, Method::PUT, path, Some(body), &[]).await
    }

    /// The `sub` of `who` (from `/me`).
    pub(crate) async fn id_of(&self, who: Who) -> Result<String, String> {
        let me = self.get(who, "/me").await?.expect(200)?;
        me.body["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| "no id in /me".to_owned())
    }

    /// A token of a new person the server has never seen (a fresh `sub`),
    /// with `roles`; None where the tests cannot sign tokens (tests using
    /// it declare `caps [Mint]`).
    pub(crate) fn fresh_token(&self, name: &str, roles: &[&str]) -> Option<String> {
        self.uses(Cap::Mint);
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let sub = format!("t-fresh-{}-{n}", unique());
        self.mints.then(|| signed(&sub, name, "Sales", roles))
    }

    /// Another in-process server over this target's database with `limits`,
    /// whose people are new: `people` names them (`t-<people>-alice`, ...),
    /// so two servers made with the same `people` share them. Only for
    /// in-process targets (tests that use it declare `caps [Limits]`).
    pub(crate) async fn with_limits(
        &self,
        limits: RateLimits,
        people: &str,
    ) -> Result<Target, String> {
        self.uses(Cap::Limits);
        let url = self
            .database_url
            .as_deref()
            .ok_or("with_limits needs an in-process target")?;
        let mut t = in_process_with(self.name, url, limits).await?;
        t.people = vec![
            person(
                Who::Alice,
                &format!("t-{people}-alice"),
                "Alice Limits",
                "Sales",
                &[],
            ),
            person(
                Who::Bob,
                &format!("t-{people}-bob"),
                "Bob Limits",
                "Sales",
                &[],
            ),
        ];
        Ok(t)
    }

    /// The origin of the API (`http://host`), for non-API paths.
    pub(crate) fn origin(&self) -> String {
        self.api.trim_end_matches("/api/v1").to_owned()
    }
}

/// A request as `who` in community `c` (`X-Km-Community`).
pub(crate) async fn call(
    t: &Target,
    who: Who,
    method: Method,
    c: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<Res, String> {
    t.send(who, method, path, body, &[("X-Km-Community", c)])
        .await
}

/// A GET as `who` in community `c` that must answer 200; its body.
pub(crate) async fn get(t: &Target, who: Who, c: &str, path: &str) -> Result<Value, String> {
    Ok(call(t, who, Method::GET, c, path, None)
        .await?
        .expect(200)?
        .body)
}

/// A JSON string's text ("" when it is not a string).
pub(crate) fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// The `id`s of a page's `items` (or of a plain list), in order.
pub(crate) fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .or(list.as_array())
        .map(|a| a.iter().map(|i| s(&i["id"])).collect())
        .unwrap_or_default()
}

/// A community of its own for one test (`prefix-<unique>`), so tests that
/// count what a community holds see only their own writes.
pub(crate) fn community(prefix: &str) -> String {
    format!("{prefix}-{}", unique())
}

/// A value unique to this run, for titles on shared (external) backends.
pub(crate) fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}", nanos % 0xffff_ffff_ffff)
}

/// A token signed with the in-process targets' secret, valid for an hour.
fn signed(sub: &str, name: &str, dept: &str, roles: &[&str]) -> String {
    let v = Verifier::new(Keys::Shared(SECRET.to_vec()), None, None);
    let exp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        + 3600;
    v.sign(&TokenClaims {
        sub: sub.into(),
        name: name.into(),
        email: Some(format!("{sub}@example.test")),
        department: Some(dept.into()),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        exp,
        iat: None,
    })
    .unwrap_or_default()
}

fn person(who: Who, sub: &str, name: &str, dept: &str, roles: &[&str]) -> Person {
    Person {
        who,
        token: signed(sub, name, dept, roles),
        id: sub.into(),
        name: name.into(),
        department: Some(dept.into()),
    }
}

/// Write limits of the shared in-process targets: counted as in
/// production, but high enough for every test of the suite.
fn suite_limits() -> RateLimits {
    WriteKind::ALL.iter().fold(RateLimits::off(), |l, k| {
        l.with(
            *k,
            Some(Limit {
                max: 100_000,
                window_secs: 3600,
            }),
        )
    })
}

async fn in_process(name: &'static str, url: &str) -> Result<Target, String> {
    in_process_with(name, url, suite_limits()).await
}

async fn in_process_with(
    name: &'static str,
    url: &str,
    rate_limits: RateLimits,
) -> Result<Target, String> {
    let store = Store::connect(url)
        .await
        .map_err(|e| format!("{name}: {e}"))?;
    let state = AppState {
        store,
        verifier: Some(std::sync::Arc::new(Verifier::new(
            Keys::Shared(SECRET.to_vec()),
            None,
            None,
        ))),
        anonymous_reads: true,
        demo: false,
        service_token: Some(SERVICE_TOKEN.into()),
        rate_limits: std::sync::Arc::new(rate_limits),
        sign_in: None,
    };
    let opts = AppOptions {
        allowed_origins: vec!["https://intranet.example.com".into()],
        max_body_bytes: 64 * 1024,
        dist_dir: None,
        www_dir: None,
        frame_ancestors: String::new(),
        request_timeout: None,
        max_concurrent_reads: None,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let router = app(state, &opts);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let mut service = person(Who::Service, "", "", "", &[]);
    service.token = SERVICE_TOKEN.to_owned();
    Ok(Target {
        name,
        api: format!("http://{addr}/api/v1"),
        people: vec![
            person(Who::Alice, "t-alice", "Alice Jansen", "Sales", &[]),
            person(Who::Bob, "t-bob", "Bob de Boer", "Sales", &[]),
            person(Who::Carol, "t-carol", "Carol Smit", "HR", &[]),
            person(Who::Admin, "t-admin", "Ada Admin", "IT", &["km:admin"]),
            person(
                Who::Moderator,
                "t-mod",
                "Mo Moderator",
                "Sales",
                &["km:moderator"],
            ),
            person(Who::Reader, "t-reader", "Rik Lezer", "Finance", &[]),
            service,
        ],
        anonymous_reads: true,
        mints: true,
        database_url: Some(url.to_owned()),
        http: reqwest::Client::new(),
        used: Default::default(),
        used_caps: Default::default(),
    })
}

async fn postgres_database(base: &str) -> Result<String, String> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .map_err(|e| format!("KM_TEST_POSTGRES_URL: {e}"))?;
    let db = format!("km_contract_{}_{}", std::process::id(), unique());
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {db}").as_str())
        .await
        .map_err(|e| format!("create database: {e}"))?;
    let (head, _) = base
        .rsplit_once('/')
        .ok_or("KM_TEST_POSTGRES_URL has no database path")?;
    Ok(format!("{head}/{db}"))
}

/// The conformance configuration (`KM_CONFORMANCE_CONFIG`, written by
/// `cargo xtask conformance --people FILE`): see `docs/CONFORMANCE.md`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Conformance {
    /// The API base, `https://host/api/v1`.
    api: String,
    /// Whether the backend lets callers without a token read.
    anonymous_reads: bool,
    /// The bearer token of the reminder job, if the backend has one.
    #[serde(default)]
    service_token: Option<String>,
    /// The people, by key: alice (required), bob, carol, moderator, admin,
    /// reader (required when anonymous_reads is false).
    people: std::collections::BTreeMap<String, ConformancePerson>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConformancePerson {
    token: String,
    id: String,
    name: String,
    #[serde(default)]
    department: Option<String>,
    /// The `email` claim (contacts after an accepted intro, reminders).
    #[serde(default)]
    #[allow(dead_code)]
    email: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
}

/// An external target from a conformance file, each person checked
/// against the backend's `/me` so that a wrong token is named before any
/// test runs.
async fn external(path: &str) -> Result<Target, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let c: Conformance = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let all = [
        Who::Alice,
        Who::Bob,
        Who::Carol,
        Who::Moderator,
        Who::Admin,
        Who::Reader,
    ];
    if let Some(unknown) = c
        .people
        .keys()
        .find(|k| !all.iter().any(|w| w.key() == k.as_str()))
    {
        return Err(format!(
            "{path}: unknown person `{unknown}` (known: alice, bob, carol, moderator, admin, reader)"
        ));
    }
    let mut people = Vec::new();
    for who in all {
        let Some(p) = c.people.get(who.key()) else {
            continue;
        };
        people.push(Person {
            who,
            token: p.token.clone(),
            id: p.id.clone(),
            name: p.name.clone(),
            department: p.department.clone(),
        });
    }
    if let Some(t) = &c.service_token {
        people.push(Person {
            who: Who::Service,
            token: t.clone(),
            id: String::new(),
            name: String::new(),
            department: None,
        });
    }
    let target = Target {
        name: "external",
        api: c.api.trim_end_matches('/').to_owned(),
        people,
        anonymous_reads: c.anonymous_reads,
        mints: false,
        database_url: None,
        http: reqwest::Client::new(),
        used: Default::default(),
        used_caps: Default::default(),
    };
    let need = |who: Who, why: &str| -> Result<&Person, String> {
        target
            .person(who)
            .ok_or_else(|| format!("{path}: people.{} is required: {why}", who.key()))
    };
    let alice = need(Who::Alice, "every test acts as her")?.clone();
    if !c.anonymous_reads {
        need(
            Who::Reader,
            "anonymous_reads is false, so tests read what anybody may read as this person",
        )?;
    }
    let same_dept = |who: Who, want_same: bool| -> Result<(), String> {
        match target.person(who) {
            Some(p) if (p.department == alice.department) != want_same => Err(format!(
                "{path}: people.{} must be in {} department than alice ({:?} vs {:?}): {}",
                who.key(),
                if want_same { "the same" } else { "another" },
                p.department,
                alice.department,
                who.role()
            )),
            _ => Ok(()),
        }
    };
    same_dept(Who::Bob, true)?;
    same_dept(Who::Moderator, true)?;
    same_dept(Who::Carol, false)?;
    for (key, p) in &c.people {
        let roles: Vec<&str> = p.roles.iter().map(String::as_str).collect();
        let want_role = match key.as_str() {
            "moderator" => Some("km:moderator"),
            "admin" => Some("km:admin"),
            _ => None,
        };
        if let Some(r) = want_role
            && !roles.contains(&r)
        {
            return Err(format!("{path}: people.{key}.roles must include {r}"));
        }
    }
    // The backend must see each person as described.
    for p in &target.people {
        if p.who == Who::Service {
            continue;
        }
        let me = target.get(p.who, "/me").await?;
        if me.status != StatusCode::OK {
            return Err(format!(
                "{path}: people.{}: GET /me answered {} ({}): is the token valid for this backend?",
                p.who.key(),
                me.status,
                me.body
            ));
        }
        let got = |k: &str| me.body[k].as_str().map(str::to_owned);
        if got("id").as_deref() != Some(p.id.as_str())
            || got("name").as_deref() != Some(p.name.as_str())
        {
            return Err(format!(
                "{path}: people.{}: the backend says id {:?}, name {:?}; the file says id {:?}, name {:?}",
                p.who.key(),
                got("id"),
                got("name"),
                p.id,
                p.name
            ));
        }
        if got("department") != p.department {
            return Err(format!(
                "{path}: people.{}: the backend says department {:?}; the file says {:?}",
                p.who.key(),
                got("department"),
                p.department
            ));
        }
    }
    Ok(target)
}

/// The targets this run tests.
pub(crate) async fn targets() -> Result<Vec<Target>, String> {
    if let Ok(path) = std::env::var("KM_CONFORMANCE_CONFIG") {
        return Ok(vec![external(&path).await?]);
    }
    if std::env::var("KM_CONFORMANCE_API").is_ok() {
        return Err(
            "KM_CONFORMANCE_API is gone: describe the backend and its people in a file and run \
             `cargo xtask conformance --people FILE` (docs/CONFORMANCE.md)"
                .into(),
        );
    }
    let dir = std::env::temp_dir().join(format!("km-contract-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut out = vec![
        in_process(
            "sqlite",
            &format!("sqlite://{}/contract.db?mode=rwc", dir.display()),
        )
        .await?,
    ];
    match std::env::var("KM_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            let url = postgres_database(&base).await?;
            out.push(in_process("postgres", &url).await?);
        }
        _ if std::env::var("KM_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            return Err("KM_REQUIRE_POSTGRES=1 but KM_TEST_POSTGRES_URL is not set".into());
        }
        _ => eprintln!(
            "contract tests: KM_TEST_POSTGRES_URL is not set, so the PostgreSQL target is \
             skipped (cargo xtask test starts a PostgreSQL and sets it)"
        ),
    }
    Ok(out)
}
