//! The routes of the REST API v2 outside rooms and users (spec v2 §8, §9): emoticons,
//! the group, invites, capabilities, OAuth sessions, add-on UI and links, global
//! extensions, files; and the stored files themselves (outside `/v2`).

use axum::Router;

use super::rest::{delete, get, post, put};
use super::{addon, capabilities, connect, emoticon, extension, file, group, invite, oauth};
use crate::state::AppState;

/// Those routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v2/emoticon", get(emoticon::get_all_emoticons))
        .route("/v2/emoticon/{emoticon}", get(emoticon::get_emoticon))
        .route("/v2/group/{group}", get(group::view_group))
        .route("/v2/group/{group}/statistics", get(group::group_statistics))
        .route(
            "/v2/group/{group}/avatar",
            get(group::get_group_avatar)
                .merge(put(group::update_group_avatar))
                .merge(delete(group::delete_group_avatar)),
        )
        .route("/v2/invite/user", post(invite::invite_user_to_group))
        .route("/v2/capabilities", get(capabilities::get_capabilities))
        .route("/v2/oauth/token", post(connect::token::issue))
        .route(
            "/v2/oauth/token/{token}",
            get(oauth::get_session).merge(delete(oauth::delete_session)),
        )
        .route("/v2/addon/ui", post(addon::update_group_ui))
        .route("/v2/addon/ui/room/{room}", post(addon::update_room_ui))
        .route("/v2/addon/ui/user/{user}", post(addon::update_user_ui))
        .route(
            "/v2/addon/ui/room/{room}/user/{user}",
            post(addon::update_room_user_ui),
        )
        .route("/v2/addon/link", post(addon::create_link))
        .route("/v2/addon/link/{token}", delete(addon::delete_link))
        .route(
            "/v2/extension/action/{key}",
            get(extension::get_action)
                .merge(put(extension::put_action))
                .merge(delete(extension::delete_action)),
        )
        .route("/v2/file/{id}", get(file::get_file))
        .merge(file::files_router())
}
