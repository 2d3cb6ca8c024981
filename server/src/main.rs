//! `km-server`: see `km-server --help` and the crate docs in `lib.rs`.

use std::time::Duration;

use clap::Parser;
use km_server::Settings;
use km_server::settings::Command;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    if let Some(Command::Openapi) = settings.command {
        println!("{}", km_server::openapi::document_json());
        return Ok(());
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
