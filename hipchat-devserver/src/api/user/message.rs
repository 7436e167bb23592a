//! `POST /v2/user/{id_or_email}/message` (private_message_user, spec §9, v2 §7): format
//! (default `text`) and notify; 204. User tokens only. Flood control counts per
//! recipient user. The message also goes to the private history of both users
//! ([`super::history`]).

use crate::api::common::{self, Accepted, Endpoint, Target};
use crate::recorded::{Kind, NewMessage};
use crate::validate;

/// private_message_user.
pub static ENDPOINT: Endpoint = Endpoint {
    scope: "send_message",
    kinds: crate::auth::kinds::USER,
    target: Target::User,
    rules: validate::PRIVATE_MESSAGE,
    message,
    answer: common::no_content,
};

fn message(accepted: &Accepted) -> NewMessage {
    NewMessage {
        message_format: accepted
            .text("message_format")
            .unwrap_or_else(|| "text".into()),
        notify: accepted.flag("notify"),
        ..accepted.message(Kind::PrivateMessage)
    }
}
