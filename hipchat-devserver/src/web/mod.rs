//! The page at `/`: rooms (with their topics) and their messages, updated without reload
//! (the page polls `/web/feed?after=N` for messages it has not shown yet and for the
//! rooms). Its forms create a room (`POST /web/rooms` `{"name"}`, as create_room) and set
//! a topic (`PUT /web/rooms/{room}/topic` `{"topic"}`, as set_topic), acting as the
//! group's owner without a token; errors come in HipChat's shape. Its "Add-ons" section
//! lists installed Connect add-ons per room and globally (the feed's `addons`), installs
//! one from a descriptor URL (`POST /admin/addons`) and uninstalls (`DELETE
//! /admin/addons/{oauthId}`).

use axum::extract::{OriginalUri, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use axum::http::StatusCode;

use crate::api::common::raw_segment;
use crate::api::room;
use crate::directory::users::OWNER_ID;
use crate::error::ApiError;
use crate::recorded::Recipient;
use crate::state::AppState;
use crate::{rooms, validate};

pub mod render;

const PAGE: &str = include_str!("page.html");

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(page))
        .route("/web/feed", get(feed))
        .route("/web/avatar/room/{id}", get(room_avatar))
        .route("/web/rooms", axum::routing::post(create_room))
        .route("/web/rooms/{room}/topic", axum::routing::put(set_topic))
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
    let rooms: Vec<_> = state
        .directory
        .lock()
        .rooms
        .values()
        .map(|room| {
            json!({
                "key": format!("room:{}", room.name),
                "label": room.name,
                "topic": room.topic,
            })
        })
        .collect();
    let addons = crate::api::connect::install::list(&state);
    Json(json!({ "messages": messages, "rooms": rooms, "addons": addons })).into_response()
}

/// The body of a page form, as a JSON object (400 otherwise).
fn form_body(bytes: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    match serde_json::from_slice(bytes) {
        Ok(serde_json::Value::Object(body)) => Ok(body),
        _ => Err(ApiError::bad_request("Request body must be a JSON object")),
    }
}

/// `POST /web/rooms`: the page's "new room" form; 201 `{"id"}`.
async fn create_room(State(state): State<AppState>, bytes: axum::body::Bytes) -> Response {
    let created = form_body(&bytes).and_then(|body| room::crud::create(&state, &body, OWNER_ID));
    match created {
        Ok(id) => (StatusCode::CREATED, Json(json!({"id": id}))).into_response(),
        Err(error) => error.into_response(),
    }
}

/// `PUT /web/rooms/{room}/topic`: the page's topic form; 204.
async fn set_topic(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    bytes: axum::body::Bytes,
) -> Response {
    let result = form_body(&bytes).and_then(|body| {
        validate::validate(&body, room::topic::RULES)?;
        let room = rooms::resolve_segment(&state, raw_segment(&uri, 3))?;
        let topic = crate::api::rest::text(&body, "topic");
        room::topic::set(&state, room.id, topic, OWNER_ID)
    });
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    }
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
