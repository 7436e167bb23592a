//! `POST /v2/room/{room}/message` (send_message, spec §9): posts as the token's user
//! (user tokens only, spec v2 §5.1), in text, and answers 201 `{"id": <uuid>, "timestamp": <ISO 8601>}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::common::{Accepted, Endpoint, Target};
use crate::recorded::{Kind, NewMessage, Recorded};
use crate::validate;

/// send_message.
pub static ENDPOINT: Endpoint = Endpoint {
    scope: "send_message",
    kinds: crate::auth::kinds::USER,
    target: Target::Room,
    rules: validate::ROOM_MESSAGE,
    message,
    answer,
};

fn message(accepted: &Accepted) -> NewMessage {
    accepted.message(Kind::Message)
}

fn answer(recorded: &Recorded) -> Response {
    let answer = serde_json::json!({"id": recorded.id, "timestamp": recorded.timestamp});
    (StatusCode::CREATED, axum::Json(answer)).into_response()
}
