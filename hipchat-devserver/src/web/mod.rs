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
        .route("/web/avatar/room/{id}", get(room_avatar))
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

/// A room's avatar (where get_room_avatar redirects): the uploaded image, or a default
/// SVG; 404 for an unknown room.
async fn room_avatar(State(state): State<AppState>, OriginalUri(uri): OriginalUri) -> Response {
    let id = crate::api::common::raw_segment(&uri, 4).parse::<u64>().ok();
    let data = state.directory.lock();
    let Some(room) = id.and_then(|id| data.rooms.get(&id)) else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    match &room.avatar {
        Some(image) => {
            let kind = crate::base64::image_type(image).unwrap_or("application/octet-stream");
            ([(axum::http::header::CONTENT_TYPE, kind)], image.clone()).into_response()
        }
        None => (
            [(axum::http::header::CONTENT_TYPE, "image/svg+xml")],
            DEFAULT_AVATAR,
        )
            .into_response(),
    }
}

const DEFAULT_AVATAR: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"125\" height=\"125\">\
<rect width=\"125\" height=\"125\" fill=\"#205081\"/></svg>";
