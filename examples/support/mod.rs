//! What the examples share: with no `HIPCHAT_*` configuration, a local HipChat server
//! started in-process (`hipchat-devserver`) and an http notifier to it as the default.

use hipchat::{BackendKind, Notifier, Settings};
use hipchat_devserver::DevServer;

/// Logs warnings and errors (fail-silently reports, delivery failures) to the terminal;
/// not INFO, at which the local server logs every request.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_max_level(tracing::Level::WARN)
        .init();
}

/// Starts a local server and makes it the default notifier's target, unless `HIPCHAT_*`
/// variables configure one; then the environment is used as it is and `None` returned.
pub async fn local_server_unless_configured()
-> Result<Option<DevServer>, Box<dyn std::error::Error>> {
    if std::env::vars().any(|(name, _)| name.starts_with("HIPCHAT_")) {
        return Ok(None);
    }
    let server = DevServer::start().await?;
    let settings = Settings::new()
        .backend(BackendKind::Http)
        .api_url(server.url())
        .auth_token("dev");
    hipchat::set_default(Notifier::from_settings(settings)?);
    println!(
        "No HIPCHAT_* settings: sending to a local HipChat server at {}\n",
        server.url()
    );
    Ok(Some(server))
}

/// Prints why a notification the example expects to be refused was not sent.
#[allow(dead_code)] // Not every example has a refusal to show.
pub fn print_refusal(result: Result<(), hipchat::Error>) {
    match result {
        Err(error) => println!("Not sent: {error}\n"),
        Ok(()) => println!("Not sent (fail silently is on, see the log above)\n"),
    }
}
