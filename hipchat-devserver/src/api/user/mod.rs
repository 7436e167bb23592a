//! The user side of the REST API v2 (spec v2 §7, §7.1): users, photos, auto-join rooms,
//! private messages and private chat history. Scopes and caller kinds are the spec's
//! "one of" lists and "who" columns.
//!
//! `{user}` is an id, an email or `@mention_name`; an unknown or deleted user → 404
//! `{"error":{"code":404,"message":"User not found","type":"Not Found"}}`.

use axum::Router;

use super::rest::{self, Call, delete, get, post, put};
use crate::error::ApiError;
use crate::state::AppState;

pub mod auto_join;
pub mod crud;
pub mod history;
pub mod message;
pub mod photo;

pub use message::ENDPOINT;

/// The user routes (private_message_user is registered with the other send endpoints).
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v2/user",
            get(crud::get_all_users).merge(post(crud::create_user)),
        )
        .route(
            "/v2/user/{user}",
            get(crud::view_user)
                .merge(put(crud::update_user))
                .merge(delete(crud::delete_user)),
        )
        .route(
            "/v2/user/{user}/photo",
            put(photo::update_photo).merge(delete(photo::delete_photo)),
        )
        .route("/v2/user/{user}/photo/{size}", get(photo::get_photo))
        .route(
            "/v2/user/{user}/preference/auto-join",
            get(auto_join::get_auto_join_rooms),
        )
        .route(
            "/v2/user/{user}/history",
            get(history::view_privatechat_history),
        )
        .route(
            "/v2/user/{user}/history/latest",
            get(history::view_recent_privatechat_history),
        )
        .route(
            "/v2/user/{user}/history/{message_id}",
            get(history::get_privatechat_message),
        )
}

/// The id of the user path segment 3 names, unless deleted: 404 `User not found`.
pub fn active(call: &Call) -> Result<u64, ApiError> {
    active_at(call, 3)
}

/// The id of the user path segment `index` names, unless deleted: 404 `User not found`.
pub fn active_at(call: &Call, index: usize) -> Result<u64, ApiError> {
    let reference = call.segment(index);
    call.state
        .directory
        .lock()
        .active_user(&reference)
        .map(|user| user.id)
        .ok_or_else(user_not_found)
}

/// 404 `User not found` (spec v2 §7, \[emulator\] text).
pub fn user_not_found() -> ApiError {
    rest::not_found("User not found")
}
