//! `km-server`: see `km-server --help` and the crate docs in `lib.rs`.

use clap::Parser;
use km_server::Settings;
use km_server::settings::Command;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    if let Some(Command::Openapi) = settings.command {
        println!("{}", km_server::openapi::document_json());
        return Ok(());
    }
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    if settings.log_format == "json" {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .json()
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    settings.serve().await
}
