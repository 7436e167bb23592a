//! The room side of the REST API v2 (spec v2 §4–§6, §9): one module per area, each
//! handler a [`rest::Handler`](super::rest::Handler). Scopes and caller kinds are the
//! spec's "one of" lists and "who" columns.

use axum::Router;

use super::rest::{delete, get, post, put};
use crate::state::AppState;

pub mod crud;
pub mod statistics;
pub mod topic;

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
}
