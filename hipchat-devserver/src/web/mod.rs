//! The page at `/`: rooms and their messages, updated without reload (the page polls
//! `/web/feed?after=N` for messages it has not shown yet).

use axum::extract::{OriginalUri, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::recorded::Recipient;
use crate::state::AppState;

pub mod render;

const PAGE: &str = include_str!("page.html");

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(page))
        .route("/web/feed", get(feed))
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// Messages after `after`, each rendered (and sanitized) on the server.
async fn feed(State(state): State<AppState>, OriginalUri(uri): OriginalUri) -> Response {
    let after = crate::admin::after(&uri);
    let messages: Vec<_> = state
        .store
        .since(after)
        .iter()
        .map(|message| {
            let key = match &message.recipient {
                Recipient::Room(name) => format!("room:{name}"),
                Recipient::User(user) => format!("user:{user}"),
            };
            json!({
                "seq": message.seq,
                "key": key,
                "label": render::recipient_label(&message.recipient),
                "html": render::message(message),
            })
        })
        .collect();
    Json(json!({ "messages": messages })).into_response()
}
