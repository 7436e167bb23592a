//! `POST /v2/room/{room_id_or_name}/notification` (spec §4): the token needs
//! `send_notification`; the body may set format (default `html`), color (default
//! `yellow`), notify, `from`, `attach_to` and a card; 204.
//!
//! Order (see [`common::accept`]): token (401), room (404), room binding (401),
//! `auth_test` (202, no flood allowance used), body checks (400), flood control (429),
//! record → 204.

use super::common::{self, Accepted, Endpoint, Target};
use crate::recorded::{Kind, NewMessage};
use crate::validate;

/// send_room_notification.
pub static ENDPOINT: Endpoint = Endpoint {
    scope: "send_notification",
    kinds: crate::auth::kinds::ANY,
    target: Target::Room,
    rules: validate::NOTIFICATION,
    message,
    answer: common::no_content,
};

fn message(accepted: &Accepted) -> NewMessage {
    NewMessage {
        from: accepted.text("from"),
        message_format: accepted
            .text("message_format")
            .unwrap_or_else(|| "html".into()),
        color: accepted.text("color").unwrap_or_else(|| "yellow".into()),
        notify: accepted.flag("notify"),
        attach_to: accepted.text("attach_to"),
        card: accepted
            .body
            .get("card")
            .filter(|card| !card.is_null())
            .cloned(),
        ..accepted.message(Kind::Notification)
    }
}
