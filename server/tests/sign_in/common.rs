//! What the sign-in tests share: in-process km-servers on a real port with
//! sign-in configured, a browser-like HTTP client (cookies, redirects
//! followed by hand, forms posted), and the sign-in popup's page read back.

use std::sync::Arc;
use std::time::Duration;

use km_protocol::sign_in::SessionTokens;
use km_server::auth::{Keys, Verifier};
use km_server::claim_mapping::ClaimMapping;
use km_server::sign_in::{SignIn, SignInConfig};
use km_server::{AppOptions, AppState, Store, app};
use serde_json::Value;

/// The intranet page that opens the popup (on the allow-list).
pub(crate) const ORIGIN: &str = "https://intranet.test";
/// The portal's HS256 secret, for portal tokens beside sign-in.
pub(crate) const PORTAL_SECRET: &[u8] = b"sign-in-test-portal-secret-0123";
/// The test client of `xtask/oidc/provider.mjs`.
pub(crate) const CLIENT_ID: &str = "km-test";
/// Its secret.
pub(crate) const CLIENT_SECRET: &str = "km-test-secret-0123456789";

/// The real OpenID provider `cargo xtask test` starts
/// (`KM_TEST_OIDC_ISSUER`); None, with a notice, when it is not set,
/// unless `KM_REQUIRE_OIDC=1`.
pub(crate) fn real_issuer() -> Option<String> {
    match std::env::var("KM_TEST_OIDC_ISSUER") {
        Ok(i) if !i.is_empty() => Some(i),
        _ => {
            assert!(
                std::env::var("KM_REQUIRE_OIDC").as_deref() != Ok("1"),
                "KM_REQUIRE_OIDC=1 but KM_TEST_OIDC_ISSUER is not set"
            );
            eprintln!(
                "skipped: KM_TEST_OIDC_ISSUER is not set (cargo xtask test starts an OpenID provider)"
            );
            None
        }
    }
}

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{:x}", std::process::id(), nanos % 0xffff_ffff_ffff)
}

/// A fresh SQLite database.
pub(crate) fn sqlite() -> String {
    let dir = std::env::temp_dir().join(format!("km-sign-in-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    format!("sqlite://{}/km.db?mode=rwc", dir.display())
}

/// Fresh databases to run on: SQLite always, PostgreSQL when
/// `KM_TEST_POSTGRES_URL` is set.
pub(crate) async fn databases() -> Vec<String> {
    let mut urls = vec![sqlite()];
    if let Ok(base) = std::env::var("KM_TEST_POSTGRES_URL") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
        let db = format!("km_sign_in_{}", unique());
        sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {db}").as_str())
            .await
            .unwrap();
        let (head, _) = base.rsplit_once('/').unwrap();
        urls.push(format!("{head}/{db}"));
    }
    urls
}

/// A km-server with sign-in, listening on 127.0.0.1.
pub(crate) struct Km {
    /// `http://127.0.0.1:PORT` (also its public URL).
    pub(crate) base: String,
    /// Its database.
    pub(crate) store: Store,
    /// The directory of its SQLite file (from [`sqlite`]), removed with it.
    sqlite_dir: Option<std::path::PathBuf>,
}

impl Drop for Km {
    fn drop(&mut self) {
        // A PostgreSQL database goes with the throw-away server that holds it.
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The sign-in configuration of the tests: the allow-listed intranet,
/// groups `km-moderators` and `km-admins`, a department claim.
pub(crate) fn config(issuer: &str, client_id: &str, secret: Option<&str>) -> SignInConfig {
    SignInConfig {
        issuer: issuer.to_owned(),
        client_id: client_id.to_owned(),
        client_secret: secret.map(str::to_owned),
        public_url: String::new(),
        scopes: ["openid", "profile", "email", "groups"]
            .map(str::to_owned)
            .to_vec(),
        mapping: ClaimMapping {
            moderator_values: vec!["km-moderators".into()],
            admin_values: vec!["km-admins".into()],
            ..ClaimMapping::default()
        },
        organization: Some("Northwind".into()),
        allowed_origins: vec![ORIGIN.into(), "*".into()],
        access_ttl: Duration::from_secs(600),
        session_ttl: Duration::from_secs(3600),
        jwks_refetch_interval: Duration::from_secs(60),
    }
}

/// Starts a km-server on `database_url` with `config` (its public URL
/// set to where it listens) and the portal's HS256 secret.
pub(crate) async fn start(database_url: &str, mut config: SignInConfig) -> Km {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    config.public_url = base.clone();
    let store = Store::connect(database_url).await.unwrap();
    let sign_in = SignIn::new(config, &store).await.unwrap();
    let state = AppState {
        store: store.clone(),
        verifier: Some(Arc::new(Verifier::new(
            Keys::Shared(PORTAL_SECRET.to_vec()),
            None,
            None,
        ))),
        anonymous_reads: false,
        demo: false,
        service_token: None,
        rate_limits: Arc::new(km_server::rate_limit::RateLimits::off()),
        sign_in: Some(Arc::new(sign_in)),
    };
    let opts = AppOptions {
        allowed_origins: vec![ORIGIN.into()],
        max_body_bytes: 64 * 1024,
        ..AppOptions::default()
    };
    let router = app(state, &opts);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let sqlite_dir = database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
        .and_then(|file| std::path::Path::new(file).parent())
        .filter(|dir| {
            dir.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("km-sign-in-"))
        })
        .map(std::path::Path::to_path_buf);
    Km {
        base,
        store,
        sqlite_dir,
    }
}

/// A browser: keeps cookies, follows redirects only when told.
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `url` joined to `base` (a Location may be relative).
pub(crate) fn join(base: &str, location: &str) -> String {
    reqwest::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

/// The value of `name="…"`'s attribute `attr` in the first tag that has
/// it, in `html`.
fn attribute(html: &str, tag_has: &str, attr: &str) -> Option<String> {
    let at = html.find(tag_has)?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..at + html[at..].find('>')?];
    let key = format!("{attr}=\"");
    let from = tag.find(&key)? + key.len();
    let value = &tag[from..from + tag[from..].find('"')?];
    Some(value.replace("&amp;", "&").replace("&#x2F;", "/"))
}

/// Opens the popup for `origin` and goes through the provider's pages as
/// a person would: follows redirects, fills in the login form with
/// `login` (the provider's development form takes any password), confirms
/// consent if asked. Returns the callback URL the provider sent the
/// browser to, not visited yet.
pub(crate) async fn to_callback(b: &reqwest::Client, km: &Km, login: &str) -> String {
    let callback = format!("{}/auth/callback", km.base);
    let mut url = format!(
        "{}/auth/sign-in?origin={}",
        km.base,
        url::form_urlencoded::byte_serialize(ORIGIN.as_bytes()).collect::<String>()
    );
    for _ in 0..12 {
        if url.starts_with(&callback) {
            return url;
        }
        let res = b.get(&url).send().await.unwrap();
        let status = res.status();
        if status.is_redirection() {
            let loc = res.headers()["location"].to_str().unwrap().to_owned();
            url = join(&url, &loc);
            continue;
        }
        let html = res.text().await.unwrap();
        assert!(status.is_success(), "{url}: {status}\n{html}");
        // The provider's login or consent form.
        let action = attribute(&html, "method=\"post\"", "action")
            .unwrap_or_else(|| panic!("no form on {url}:\n{html}"));
        let prompt = attribute(&html, "name=\"prompt\"", "value").unwrap_or_default();
        let form: Vec<(&str, &str)> = match prompt.as_str() {
            "login" => vec![
                ("prompt", "login"),
                ("login", login),
                ("password", "any password"),
            ],
            _ => vec![("prompt", prompt.as_str())],
        };
        let res = b
            .post(join(&url, &action))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_redirection(),
            "posting the form: {}",
            res.status()
        );
        let loc = res.headers()["location"].to_str().unwrap().to_owned();
        url = join(&url, &loc);
    }
    panic!("the provider never sent the browser back to {callback}");
}

/// The popup's last page, read back.
#[derive(Debug)]
pub(crate) struct Page {
    /// Its status.
    pub(crate) status: u16,
    /// Its headers.
    pub(crate) headers: reqwest::header::HeaderMap,
    /// The origin it posts to (null: none).
    pub(crate) origin: Value,
    /// What it posts.
    pub(crate) message: Value,
}

impl Page {
    /// The error code posted, if any.
    pub(crate) fn error(&self) -> Option<&str> {
        self.message["error"].as_str()
    }

    /// The session's tokens; panics with the page's error otherwise.
    pub(crate) fn tokens(&self) -> SessionTokens {
        assert_eq!(self.status, 200, "{:?}", self.message);
        serde_json::from_value(self.message.clone()).unwrap()
    }
}

/// Reads a page of the popup.
pub(crate) async fn page(res: reqwest::Response) -> Page {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let html = res.text().await.unwrap();
    let open = "<script type=\"application/json\" id=\"km-sign-in\">";
    let from = html
        .find(open)
        .unwrap_or_else(|| panic!("not the popup's page ({status}):\n{html}"))
        + open.len();
    let json = &html[from..from + html[from..].find("</script>").unwrap()];
    let data: Value = serde_json::from_str(json).unwrap();
    Page {
        status,
        headers,
        origin: data["origin"].clone(),
        message: data["message"].clone(),
    }
}

/// Visits the callback URL in browser `b`.
pub(crate) async fn finish(b: &reqwest::Client, callback: &str) -> Page {
    page(b.get(callback).send().await.unwrap()).await
}

/// Signs `login` in with a fresh browser: the popup's tokens.
pub(crate) async fn sign_in(km: &Km, login: &str) -> SessionTokens {
    let b = browser();
    let callback = to_callback(&b, km, login).await;
    finish(&b, &callback).await.tokens()
}

/// `GET /api/v1/me` with `token`: (status, body).
pub(crate) async fn me(km: &Km, token: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/me", km.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

/// `POST /api/v1/auth/<what>` with a refresh token: (status, body).
pub(crate) async fn post_handle(km: &Km, what: &str, handle: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/{what}", km.base))
        .json(&serde_json::json!({ "refresh_token": handle }))
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

/// How many sessions the database holds.
pub(crate) async fn sessions(km: &Km) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM sign_in_sessions")
        .fetch_one(km.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}
