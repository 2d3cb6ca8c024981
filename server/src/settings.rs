//! The command line and environment of `km-server` (clap), and turning them
//! into a running server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::auth::{Keys, Verifier};
use crate::rate_limit::RateLimits;
use crate::{AppOptions, AppState, Store, app, seed};

/// The reference backend of the km-widgets JSON contract.
#[derive(Debug, Parser)]
#[command(name = "km-server", version, about, long_about = None)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "KM_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Database: `sqlite://FILE?mode=rwc` (created on first start) or
    /// `postgres://user:pass@host/db`. Migrations run at start.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://km.db?mode=rwc")]
    pub database_url: String,

    /// Shared secret of HS256 tokens signed by the portal.
    #[arg(long, env = "KM_JWT_SECRET", hide_env_values = true, conflicts_with_all = ["jwt_public_key", "jwks_file"])]
    pub jwt_secret: Option<String>,

    /// PEM file with the portal's RSA public key (RS256 tokens).
    #[arg(long, env = "KM_JWT_PUBLIC_KEY", conflicts_with = "jwks_file")]
    pub jwt_public_key: Option<PathBuf>,

    /// JWKS file with the portal's RSA keys (RS256 tokens, chosen by `kid`).
    #[arg(long, env = "KM_JWKS_FILE")]
    pub jwks_file: Option<PathBuf>,

    /// Required `iss` claim, if set.
    #[arg(long, env = "KM_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,

    /// Required `aud` claim, if set.
    #[arg(long, env = "KM_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,

    /// Origins that may call the API from a browser, comma separated
    /// (`https://intranet.example.com`), or `*`. Same-origin pages need none.
    #[arg(long, env = "KM_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Intranet origins that may show the widgets in an iframe
    /// (`/embed/<widget>`), comma separated: `https://northwind.sharepoint.com`,
    /// `https://*.atlassian.net`. Default: this server's own origin only.
    #[arg(long, env = "KM_FRAME_ANCESTORS", value_delimiter = ',')]
    pub frame_ancestors: Vec<String>,

    /// Let anonymous callers read (lists, questions, stories); writes always
    /// need a token.
    #[arg(long, env = "KM_ANONYMOUS_READS")]
    pub anonymous_reads: bool,

    /// Demo mode: seed a believable company (40 people, passions, questions,
    /// reflections, stories) into an empty database, serve the demo pages
    /// from --www-dir at `/`, allow anonymous reads, and offer
    /// `/api/v1/demo/token` to switch people. Never use it in production.
    #[arg(long, env = "KM_DEMO")]
    pub demo: bool,

    /// The built bundle (`cargo xtask dist`), served under `/dist/`.
    #[arg(long, env = "KM_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,

    /// The demo pages, served at `/` with --demo.
    #[arg(long, env = "KM_WWW_DIR", default_value = "www")]
    pub www_dir: PathBuf,

    /// Largest accepted request body in bytes.
    #[arg(long, env = "KM_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,

    /// A bearer token (at least 24 characters) a portal's back end may use
    /// for `GET /api/v1/reflections/due` (reminders), besides admins.
    #[arg(long, env = "KM_SERVICE_TOKEN", hide_env_values = true)]
    pub service_token: Option<String>,

    /// Seconds a request's head may take to arrive; also how long an idle
    /// keep-alive connection stays open.
    #[arg(long, env = "KM_HEADER_READ_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout: u64,

    /// Seconds answering one request may take, reading its body included
    /// (then a 503 problem).
    #[arg(long, env = "KM_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,

    /// Seconds requests in flight may take to finish after SIGTERM or
    /// SIGINT; connections still open then are closed.
    #[arg(long, env = "KM_SHUTDOWN_TIMEOUT", default_value_t = 10)]
    pub shutdown_timeout: u64,

    /// How many API reads run at once (more wait their turn; writes never
    /// wait for reads). Default: twice the cores on SQLite, where reads are
    /// CPU work in this process and would otherwise starve the writer; no
    /// limit on PostgreSQL. 0: no limit.
    #[arg(long, env = "KM_MAX_CONCURRENT_READS")]
    pub max_concurrent_reads: Option<usize>,
    /// Per-person write limits: `off`, or comma-separated `kind=N/unit`
    /// (unit `s`, `m`, `h`, `d`, optionally with a count: `5/90s`) or
    /// `kind=off`, over the defaults. Kinds: questions, answers, edits,
    /// votes, applause, reactions, reflections, stories, intros, invites,
    /// new_tags.
    #[arg(long, env = "KM_RATE_LIMITS", default_value_t = RateLimits::default())]
    pub rate_limits: RateLimits,

    /// Log format: `text` or `json`.
    #[arg(long, env = "KM_LOG_FORMAT", default_value = "text")]
    pub log_format: String,

    /// Sign-in with the organization's OpenID provider.
    #[command(flatten)]
    pub oidc: OidcArgs,

    /// Something else than serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Sign-in with the organization's OpenID provider (docs/SIGN-IN.md): off
/// unless `--oidc-issuer` is given.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Sign-in with an OpenID provider")]
pub struct OidcArgs {
    /// The provider's issuer URL (discovery at
    /// `<issuer>/.well-known/openid-configuration`); turns sign-in on.
    #[arg(long, env = "KM_OIDC_ISSUER", requires_all = ["oidc_client_id", "public_url"])]
    pub oidc_issuer: Option<String>,

    /// This server's client id at the provider.
    #[arg(long, env = "KM_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// Its client secret (leave out for a public client: PKCE only).
    #[arg(long, env = "KM_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,

    /// Where people reach this server (`https://km.example.com`): the
    /// redirect URI to register is `<public URL>/auth/callback`.
    #[arg(long, env = "KM_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Scopes to ask for, comma separated (`openid` is always asked).
    #[arg(
        long,
        env = "KM_OIDC_SCOPES",
        value_delimiter = ',',
        default_value = "openid,profile,email"
    )]
    pub oidc_scopes: Vec<String>,

    /// The claim that is the person's id (Entra ID: `oid`).
    #[arg(long, env = "KM_OIDC_ID_CLAIM", default_value = "sub")]
    pub oidc_id_claim: String,

    /// The claim that gives the department (a key, or a dotted path into
    /// nested claims); `none` for no department.
    #[arg(long, env = "KM_OIDC_DEPARTMENT_CLAIM", default_value = "department")]
    pub oidc_department_claim: String,

    /// The groups or roles claim (`groups`, `roles`, `realm_access.roles`).
    #[arg(long, env = "KM_OIDC_ROLES_CLAIM", default_value = "groups")]
    pub oidc_roles_claim: String,

    /// Values of the roles claim that make someone `km:moderator`, comma
    /// separated.
    #[arg(long, env = "KM_OIDC_MODERATOR_VALUES", value_delimiter = ',')]
    pub oidc_moderator_values: Vec<String>,

    /// Values of the roles claim that make someone `km:admin`, comma
    /// separated.
    #[arg(long, env = "KM_OIDC_ADMIN_VALUES", value_delimiter = ',')]
    pub oidc_admin_values: Vec<String>,

    /// `CLAIM=VALUE` every person must have to sign in, comma separated
    /// (Google Workspace: `hd=example.com`, or any Google account gets in).
    #[arg(long, env = "KM_OIDC_REQUIRE", value_delimiter = ',')]
    pub oidc_require: Vec<String>,

    /// The organization's name, for the widgets' "Sign in with …".
    #[arg(long, env = "KM_ORGANIZATION_NAME")]
    pub organization_name: Option<String>,

    /// Seconds an access token of a signed-in session is valid.
    #[arg(long, env = "KM_OIDC_ACCESS_TTL", default_value_t = 600, value_parser = clap::value_parser!(u64).range(30..=86_400))]
    pub oidc_access_ttl: u64,

    /// Seconds a session lasts from sign-in (refreshing keeps a person
    /// signed in until then; then they sign in again).
    #[arg(long, env = "KM_OIDC_SESSION_TTL", default_value_t = 12 * 3600, value_parser = clap::value_parser!(u64).range(60..=90 * 86_400))]
    pub oidc_session_ttl: u64,
}

impl OidcArgs {
    /// The sign-in configuration, when an issuer is given.
    pub fn config(
        &self,
        allowed_origins: &[String],
    ) -> anyhow::Result<Option<crate::sign_in::SignInConfig>> {
        let Some(issuer) = &self.oidc_issuer else {
            return Ok(None);
        };
        let list = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let required = list(&self.oidc_require)
            .iter()
            .map(|r| crate::claim_mapping::ClaimMapping::requirement(r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--oidc-require: {e}"))?;
        let department = match self.oidc_department_claim.trim() {
            "" | "none" => None,
            d => Some(d.to_owned()),
        };
        Ok(Some(crate::sign_in::SignInConfig {
            issuer: issuer.trim().to_owned(),
            client_id: self.oidc_client_id.clone().unwrap_or_default(),
            client_secret: self.oidc_client_secret.clone().filter(|s| !s.is_empty()),
            public_url: self.public_url.clone().unwrap_or_default(),
            scopes: list(&self.oidc_scopes),
            mapping: crate::claim_mapping::ClaimMapping {
                id: self.oidc_id_claim.trim().to_owned(),
                department,
                roles: self.oidc_roles_claim.trim().to_owned(),
                moderator_values: list(&self.oidc_moderator_values),
                admin_values: list(&self.oidc_admin_values),
                required,
            },
            organization: self
                .organization_name
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            allowed_origins: allowed_origins.to_vec(),
            access_ttl: Duration::from_secs(self.oidc_access_ttl),
            session_ttl: Duration::from_secs(self.oidc_session_ttl),
            jwks_refetch_interval: Duration::from_secs(60),
        }))
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the OpenAPI 3.1 document of the contract to stdout.
    Openapi,
    /// Print an HS256 token signed with --jwt-secret, for tests and for the
    /// conformance suite's people file (a portal signs its own in
    /// production).
    Token(TokenArgs),
}

/// The claims of `km-server token`.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The person's stable id (`sub`).
    #[arg(long)]
    pub sub: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Department (for department-only visibility).
    #[arg(long)]
    pub department: Option<String>,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// A role (`km:moderator`, `km:admin`); repeat for more.
    #[arg(long = "role")]
    pub roles: Vec<String>,
    /// Seconds until the token expires.
    #[arg(long, default_value_t = 24 * 3600)]
    pub ttl: u64,
}

impl TokenArgs {
    /// Signs the token with `secret` (HS256).
    pub fn sign(&self, secret: &str) -> anyhow::Result<String> {
        if secret.len() < 16 {
            anyhow::bail!("--jwt-secret must be at least 16 bytes");
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let claims = km_protocol::TokenClaims {
            sub: self.sub.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            department: self.department.clone(),
            roles: self.roles.clone(),
            exp: now + self.ttl,
            iat: Some(now),
        };
        Verifier::new(Keys::Shared(secret.as_bytes().to_vec()), None, None)
            .sign(&claims)
            .ok_or_else(|| anyhow::anyhow!("could not sign the token"))
    }
}

impl Settings {
    /// Connects, migrates, seeds (demo) and builds the state and router.
    pub async fn build(&self) -> anyhow::Result<(AppState, axum::Router)> {
        let store = Store::connect(&self.database_url).await?;
        let keys = if let Some(secret) = &self.jwt_secret {
            if secret.len() < 16 {
                anyhow::bail!("--jwt-secret must be at least 16 bytes");
            }
            Some(Keys::Shared(secret.as_bytes().to_vec()))
        } else if let Some(path) = &self.jwt_public_key {
            Some(Verifier::public_key_file(path)?)
        } else if let Some(path) = &self.jwks_file {
            Some(Verifier::jwks_file(path)?)
        } else if self.demo {
            Some(Keys::Shared(seed::demo_secret(&store).await?))
        } else {
            if self.oidc.oidc_issuer.is_none() {
                tracing::warn!(
                    "no --jwt-secret, --jwt-public-key, --jwks-file or --oidc-issuer: \
                     every request is anonymous"
                );
            }
            None
        };
        if self
            .service_token
            .as_ref()
            .is_some_and(|t| t.trim().len() < 24)
        {
            anyhow::bail!("--service-token must be at least 24 characters");
        }
        if self.demo {
            seed::seed_if_empty(&store).await?;
        }
        let sign_in = match self.oidc.config(&self.allowed_origins)? {
            Some(config) => {
                let sign_in = crate::sign_in::SignIn::new(config, &store).await?;
                tracing::info!(
                    redirect_uri = %sign_in.redirect_uri(),
                    "sign-in with the OpenID provider is on"
                );
                Some(Arc::new(sign_in))
            }
            None => None,
        };
        let state = AppState {
            store,
            verifier: keys.map(|k| {
                Arc::new(Verifier::new(
                    k,
                    self.jwt_issuer.clone(),
                    self.jwt_audience.clone(),
                ))
            }),
            anonymous_reads: self.anonymous_reads || self.demo,
            demo: self.demo,
            service_token: self.service_token.as_deref().map(Arc::from),
            rate_limits: Arc::new(self.rate_limits.clone()),
            sign_in,
        };
        let opts = AppOptions {
            allowed_origins: self.allowed_origins.clone(),
            max_body_bytes: self.max_body_bytes,
            dist_dir: Some(self.dist_dir.clone()),
            www_dir: self.demo.then(|| self.www_dir.clone()),
            frame_ancestors: crate::embed::frame_ancestors(&self.frame_ancestors)
                .map_err(|e| anyhow::anyhow!(e))?,
            request_timeout: Some(Duration::from_secs(self.request_timeout)),
            max_concurrent_reads: self.max_concurrent_reads,
        };
        let router = app(state.clone(), &opts);
        Ok((state, router))
    }

    /// The connection and request time limits.
    pub fn timeouts(&self) -> crate::serve::Timeouts {
        crate::serve::Timeouts {
            header_read: Duration::from_secs(self.header_read_timeout),
            shutdown: Duration::from_secs(self.shutdown_timeout),
        }
    }

    /// Serves until SIGINT or SIGTERM, then drains requests and closes the pool.
    pub async fn serve(&self) -> anyhow::Result<()> {
        let (state, router) = self.build().await?;
        let listener = tokio::net::TcpListener::bind(self.bind).await?;
        tracing::info!(addr = %self.bind, demo = self.demo, "km-server listening");
        if self.demo {
            println!("km-server demo: http://{}/", self.bind);
        }
        if let Some(sign_in) = state.sign_in.clone() {
            tokio::spawn(async move {
                match sign_in.check_provider().await {
                    Ok(()) => tracing::info!("the OpenID provider answers: sign-in is ready"),
                    Err(e) => tracing::error!(
                        error = %e,
                        "the OpenID provider does not answer as configured: sign-in will fail \
                         until it does (check --oidc-issuer)"
                    ),
                }
            });
        }
        // Build passion-match's index now rather than in the first match
        // request (seconds at 100,000 profiles); requests meanwhile wait.
        let store = state.store.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match store.match_index().prepare(store.pool()).await {
                Ok(()) => tracing::info!(
                    ms = started.elapsed().as_millis() as u64,
                    "passion-match index built"
                ),
                Err(e) => tracing::warn!(error = %e, "passion-match index not built yet"),
            }
        });
        crate::serve::run(listener, router, self.timeouts(), shutdown_signal()).await;
        if tokio::time::timeout(Duration::from_secs(5), state.store.close())
            .await
            .is_err()
        {
            tracing::warn!("database connections still busy at exit");
        }
        tracing::info!("km-server stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
