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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

/// A backend under test.
pub(crate) struct Target {
    /// `sqlite`, `postgres` or `external`.
    pub(crate) name: &'static str,
    /// The API base (`http://host/api/v1`).
    pub(crate) api: String,
    tokens: Vec<(Who, String)>,
    http: reqwest::Client,
    /// The database of an in-process target (None: external).
    database_url: Option<String>,
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
    /// Whether `test` cannot run here (missing tokens on `external`).
    pub(crate) fn skips(&self, test: &str) -> bool {
        let needs: &[Who] = match test {
            t if t.starts_with("dept_") => &[Who::Carol],
            t if t.starts_with("admin_") => &[Who::Admin],
            t if t.starts_with("two_") => &[Who::Bob],
            t if t.starts_with("mod_") => &[Who::Moderator, Who::Bob],
            t if t.starts_with("roles_") => &[Who::Bob, Who::Moderator, Who::Admin],
            t if t.starts_with("service_") => &[Who::Service, Who::Carol],
            t if t.starts_with("circle_") => &[Who::Bob, Who::Carol, Who::Admin, Who::Moderator],
            // Needs servers started with low write limits: in-process only.
            t if t.starts_with("limits_") => return self.database_url.is_none(),
            _ => &[],
        };
        needs.iter().any(|w| self.token(*w).is_none())
    }

    fn token(&self, who: Who) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, t)| t.as_str())
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
        if who != Who::Anonymous {
            let t = self
                .token(who)
                .ok_or_else(|| format!("no token for {who:?} on {}", self.name))?;
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

    /// Another in-process server over this target's database with `limits`,
    /// whose people are new: `people` names them (`t-<people>-alice`, ...),
    /// so two servers made with the same `people` share them. Only for
    /// in-process targets (tests named `limits_*`).
    pub(crate) async fn with_limits(
        &self,
        limits: RateLimits,
        people: &str,
    ) -> Result<Target, String> {
        let url = self
            .database_url
            .as_deref()
            .ok_or("with_limits needs an in-process target")?;
        let mut t = in_process_with(self.name, url, limits).await?;
        t.tokens = vec![
            (
                Who::Alice,
                token(&format!("t-{people}-alice"), "Alice Limits", "Sales", &[]),
            ),
            (
                Who::Bob,
                token(&format!("t-{people}-bob"), "Bob Limits", "Sales", &[]),
            ),
        ];
        Ok(t)
    }

    /// The origin of the API (`http://host`), for non-API paths.
    pub(crate) fn origin(&self) -> String {
        self.api.trim_end_matches("/api/v1").to_owned()
    }
}

/// A value unique to this run, for titles on shared (external) backends.
pub(crate) fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}", nanos % 0xffff_ffff_ffff)
}

fn token(sub: &str, name: &str, dept: &str, roles: &[&str]) -> String {
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
    };
    let opts = AppOptions {
        allowed_origins: vec!["https://intranet.example.com".into()],
        max_body_bytes: 64 * 1024,
        dist_dir: None,
        www_dir: None,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let router = app(state, &opts);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(Target {
        name,
        api: format!("http://{addr}/api/v1"),
        tokens: vec![
            (Who::Alice, token("t-alice", "Alice Jansen", "Sales", &[])),
            (Who::Bob, token("t-bob", "Bob de Boer", "Sales", &[])),
            (Who::Carol, token("t-carol", "Carol Smit", "HR", &[])),
            (
                Who::Admin,
                token("t-admin", "Ada Admin", "IT", &["km:admin"]),
            ),
            (
                Who::Moderator,
                token("t-mod", "Mo Moderator", "Sales", &["km:moderator"]),
            ),
            (Who::Service, SERVICE_TOKEN.to_owned()),
        ],
        http: reqwest::Client::new(),
        database_url: Some(url.to_owned()),
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

/// The targets this run tests.
pub(crate) async fn targets() -> Result<Vec<Target>, String> {
    if let Ok(api) = std::env::var("KM_CONFORMANCE_API") {
        let mut tokens = Vec::new();
        for (who, var) in [
            (Who::Alice, "KM_CONFORMANCE_TOKEN"),
            (Who::Bob, "KM_CONFORMANCE_TOKEN_2"),
            (Who::Admin, "KM_CONFORMANCE_ADMIN_TOKEN"),
            (Who::Moderator, "KM_CONFORMANCE_MODERATOR_TOKEN"),
            (Who::Service, "KM_CONFORMANCE_SERVICE_TOKEN"),
        ] {
            if let Ok(t) = std::env::var(var) {
                tokens.push((who, t));
            }
        }
        if tokens.iter().all(|(w, _)| *w != Who::Alice) {
            return Err("KM_CONFORMANCE_TOKEN is required with KM_CONFORMANCE_API".into());
        }
        return Ok(vec![Target {
            name: "external",
            api: api.trim_end_matches('/').to_owned(),
            tokens,
            http: reqwest::Client::new(),
            database_url: None,
        }]);
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
