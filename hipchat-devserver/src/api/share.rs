//! `POST /v2/room/{room}/share/link` (share_link_with_room, spec §9): `message` and
//! `link`; 204.

use super::common::{self, Accepted, Endpoint, Target};
use crate::recorded::{Kind, NewMessage};
use crate::validate;

/// share_link_with_room.
pub static ENDPOINT: Endpoint = Endpoint {
    scope: "send_message",
    kinds: crate::auth::kinds::ANY,
    target: Target::Room,
    rules: validate::SHARE_LINK,
    message,
    answer: common::no_content,
};

fn message(accepted: &Accepted) -> NewMessage {
    NewMessage {
        link: accepted.text("link"),
        ..accepted.message(Kind::ShareLink)
    }
}
