//! `km-server`: see `km-server --help` and the crate docs in `lib.rs`.

use std::time::Duration;

use clap::Parser;
use km_server::Settings;
use km_server::settings::Command;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    match &settings.command {
        Some(Command::Openapi) => {
            println!("{}", km_server::openapi::document_json());
            return Ok(());
        }
        Some(Command::Token(claims)) => {
            let secret = settings
                .jwt_secret
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("km-server token needs --jwt-secret"))?;
            println!("{}", claims.sign(secret)?);
            return Ok(());
        }
        None => {}
    }
    let slow = km_server::logging::init(
        settings.log_format == "json",
        "info,tower_http=info,sqlx=warn",
    );
    let every = Duration::from_secs(10);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            slow.report(every);
        }
    });
    settings.serve().await
}
