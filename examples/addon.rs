//! A HipChat Connect add-on, the "deploy bot": installed into a room (or the whole
//! group), it greets the room as itself with its add-on token.
//!
//! ```sh
//! cargo run --example addon
//! ```
//!
//! With no configuration it starts a local HipChat server in-process and the add-on on a
//! free port, installs the add-on into room `Ops`, prints the page to look at, and runs
//! until Ctrl-C. To serve only the add-on (for your HipChat server to install):
//!
//! ```sh
//! HIPCHAT_ADDON_LISTEN=127.0.0.1:8090 HIPCHAT_ADDON_BASE_URL=http://127.0.0.1:8090 \
//!   HIPCHAT_ADDON_STORE=sqlite:deploy-bot.db cargo run --example addon
//! ```
//!
//! The descriptor is then at `/atlassian-connect.json`; installations are kept in
//! `HIPCHAT_ADDON_STORE`: `memory`, `sqlite:PATH` (the default, `sqlite:deploy-bot.db`),
//! or, with the `postgres` feature (on for the examples), a PostgreSQL URL
//! (`postgres://user:password@host/database`, or `postgresql://`) that several instances
//! behind a load balancer share. With `HIPCHAT_ADDON_SECRET_KEY` (32 random bytes in
//! base64, e.g. `openssl rand -base64 32`) the installations' secrets are sealed in the
//! store. It stops on SIGINT or SIGTERM and exits 0.

use std::net::SocketAddr;
use std::sync::Arc;

use hipchat::connect::descriptor::Scope;
use hipchat::connect::store::{EncryptedStore, SecretKey};
use hipchat::connect::{
    Addon, AddonRuntime, InstallationStore, Installed, MemoryStore, SqliteStore,
};
use hipchat::{Color, Message};
use hipchat_devserver::DevServer;

/// The room the local demo installs the add-on into.
const ROOM: &str = "Ops";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_max_level(tracing::Level::WARN)
        .init();
    let listen = std::env::var("HIPCHAT_ADDON_LISTEN").ok();
    let base_url = std::env::var("HIPCHAT_ADDON_BASE_URL").ok();
    match (listen, base_url) {
        (Some(listen), Some(base_url)) => serve_only(listen.parse()?, &base_url).await,
        (None, None) => demo().await,
        _ => Err("set both HIPCHAT_ADDON_LISTEN and HIPCHAT_ADDON_BASE_URL, or neither".into()),
    }
}

/// The deploy bot at `base_url`.
fn deploy_bot(base_url: &str) -> Result<Addon, hipchat::connect::AddonError> {
    Addon::builder("deploy-bot", "Deploy bot", base_url)
        .description("Tells the room what was deployed")
        .vendor("hipchat-rs", "https://github.com/hipchat-rs/hipchat")
        .scopes([Scope::SendNotification, Scope::ViewRoom])
        .allow_room(true)
        .allow_global(true)
        .build()
}

/// Greets a room it was installed in, as itself.
async fn greet(installed: Installed) {
    let Some(room) = installed.installation().room_id else {
        return;
    };
    let sent = match installed.notifier() {
        Ok(notifier) => {
            notifier
                .send(
                    Message::new("Deploy bot installed: deploys will be announced here")
                        .color(Color::Green),
                )
                .await
        }
        Err(error) => Err(error),
    };
    if let Err(error) = sent {
        tracing::warn!(room, %error, "could not greet the room");
    }
}

/// The runtime over `store`; with `HIPCHAT_ADDON_SECRET_KEY` (32 bytes, base64), the
/// installations' secrets are sealed in it.
async fn runtime(
    addon: Addon,
    store: impl InstallationStore,
) -> Result<AddonRuntime, Box<dyn std::error::Error>> {
    let store: Arc<dyn InstallationStore> = match std::env::var("HIPCHAT_ADDON_SECRET_KEY") {
        Ok(key) => Arc::new(EncryptedStore::new(store, SecretKey::from_base64(&key)?)),
        Err(_) => Arc::new(store),
    };
    Ok(AddonRuntime::builder(addon, store)
        .on_install(greet)
        .build()?)
}

/// The local demo: a HipChat server and the add-on, installed into `Ops`.
async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    let server = DevServer::start().await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let addon = deploy_bot(&base_url)?;
    let descriptor_url = addon.descriptor_url();
    let runtime = runtime(addon, MemoryStore::new()).await?;
    let app = runtime.router();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let installed = server
        .install_addon(descriptor_url.as_str(), Some(ROOM))
        .await
        .map_err(|error| format!("installing the add-on failed: {error}"))?;
    println!("Local HipChat server: {}", server.url());
    println!("Deploy bot:           {base_url} (descriptor {descriptor_url})");
    println!(
        "Installed into room {ROOM:?} as {}",
        hipchat::connect::installation::short_id(&installed.oauth_id)
    );
    println!("\nOpen {} to see the room; Ctrl-C stops.", server.url());
    shutdown_signal().await;
    server.stop().await?;
    Ok(())
}

/// Only the add-on, for a HipChat server to install.
async fn serve_only(listen: SocketAddr, base_url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let addon = deploy_bot(base_url)?;
    let store =
        std::env::var("HIPCHAT_ADDON_STORE").unwrap_or_else(|_| "sqlite:deploy-bot.db".into());
    let runtime = match store.as_str() {
        "memory" => runtime(addon, MemoryStore::new()).await?,
        #[cfg(feature = "postgres")]
        url if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            runtime(addon, hipchat::connect::PostgresStore::connect(url).await?).await?
        }
        other => match other.strip_prefix("sqlite:") {
            Some(path) => runtime(addon, SqliteStore::open(path)?).await?,
            None => {
                // Never echo a URL: it may hold a password.
                let shown = if other.contains("://") {
                    "a URL (not shown: it may hold a password)".to_owned()
                } else {
                    format!("{other:?}")
                };
                return Err(format!(
                    "HIPCHAT_ADDON_STORE={shown}: expected `memory`, `sqlite:PATH`{}",
                    if cfg!(feature = "postgres") {
                        " or `postgres://user:password@host/database`"
                    } else {
                        " (or a postgres:// URL with the `postgres` feature)"
                    }
                )
                .into());
            }
        },
    };
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!(
        "Deploy bot on {listen}; descriptor at {}",
        runtime.addon().descriptor_url()
    );
    axum::serve(listener, runtime.router())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
