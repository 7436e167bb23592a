//! An axum service that tells the Ops room about failed deploys, through a notifier kept in
//! the router's `State`.
//!
//! ```sh
//! cargo run --example axum_state
//! curl -X POST localhost:3000/deploys/billing/failed \
//!      -H 'content-type: application/json' \
//!      -d '{"version": "1.4.2", "url": "https://ci.example.com/builds/1842"}'
//! ```

use axum::Router;
use axum::extract::{Json, Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use hipchat::prelude::*;
use hipchat::{Error, Notifier};
use serde::Deserialize;

#[hipchat(
    room = "Ops",
    color = "red",
    notify = true,
    message = "Deploy of <b>{{ service }}</b> {{ version }} failed: {{ url|urlize }}"
)]
struct DeployFailed {
    service: String,
    version: String,
    url: String,
}

#[derive(Deserialize)]
struct Failure {
    version: String,
    url: String,
}

#[derive(Clone)]
struct AppState {
    notifier: Notifier,
}

async fn deploy_failed(
    State(state): State<AppState>,
    Path(service): Path<String>,
    Json(failure): Json<Failure>,
) -> Result<StatusCode, (StatusCode, String)> {
    let event = DeployFailed {
        service,
        version: failure.version,
        url: failure.url,
    };
    event.notify().via(&state.notifier).await.map_err(|error| {
        let status = match error {
            // The request itself made a notification HipChat would reject.
            Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::BAD_GATEWAY,
        };
        (status, error.to_string())
    })?;
    Ok(StatusCode::ACCEPTED)
}

fn app(notifier: Notifier) -> Router {
    Router::new()
        .route("/deploys/{service}/failed", post(deploy_failed))
        .with_state(AppState { notifier })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_target(false).init();
    let notifier = Notifier::from_env()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!(
        "Listening on http://{}; notifier: {notifier:?}",
        listener.local_addr()?
    );
    axum::serve(listener, app(notifier)).await?;
    Ok(())
}
