//! The room side of the REST API v2 (spec v2 §4–§6, §9): one module per area, each
//! handler a [`rest::Handler`](super::rest::Handler). Scopes and caller kinds are the
//! spec's "one of" lists and "who" columns.

use axum::Router;

use super::rest::{delete, get, post, put};
use crate::state::AppState;

pub mod avatar;
pub mod crud;
pub mod extensions;
pub mod history;
pub mod invite;
pub mod members;
pub mod participants;
pub mod statistics;
pub mod topic;
pub mod webhooks;

/// The room routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v2/room",
            get(crud::get_all_rooms).merge(post(crud::create_room)),
        )
        .route(
            "/v2/room/{room}",
            get(crud::get_room)
                .merge(put(crud::update_room))
                .merge(delete(crud::delete_room)),
        )
        .route("/v2/room/{room}/topic", put(topic::set_topic))
        .route(
            "/v2/room/{room}/statistics",
            get(statistics::get_room_statistics),
        )
        .route("/v2/room/{room}/history", get(history::view_room_history))
        .route(
            "/v2/room/{room}/history/latest",
            get(history::view_recent_room_history),
        )
        .route(
            "/v2/room/{room}/history/{message_id}",
            get(history::get_room_message),
        )
        .route("/v2/room/{room}/reply", post(history::reply_to_message))
        .route("/v2/room/{room}/member", get(members::get_all_members))
        .route(
            "/v2/room/{room}/member/{user}",
            put(members::add_member).merge(delete(members::remove_member)),
        )
        .route(
            "/v2/room/{room}/participant",
            get(participants::get_all_participants),
        )
        .route("/v2/room/{room}/invite/{user}", post(invite::invite_user))
        .route(
            "/v2/room/{room}/webhook",
            get(webhooks::get_all_webhooks).merge(post(webhooks::create_webhook)),
        )
        .route(
            "/v2/room/{room}/webhook/{id}",
            get(webhooks::get_webhook).merge(delete(webhooks::delete_webhook)),
        )
        .route(
            "/v2/room/{room}/extension/{kind}/{key}",
            get(extensions::get_extension)
                .merge(put(extensions::put_extension))
                .merge(delete(extensions::delete_extension)),
        )
        .route(
            "/v2/room/{room}/avatar",
            get(avatar::get_room_avatar)
                .merge(put(avatar::update_room_avatar))
                .merge(delete(avatar::delete_room_avatar)),
        )
}
