//! Private chat history (spec v2 §7.1, U only): private_message_user adds a `message`
//! item (§3.5, from the token's user) to the history the sender and the recipient
//! share; view_privatechat_history, view_recent_privatechat_history and
//! get_privatechat_message read it with the room history's query semantics (§5.2), by
//! the same window functions ([`crate::api::rest::history`]).
//!
//! `{user}` is the other party; the caller is the token's user.

use axum::response::Response;
use serde_json::json;

use crate::api::rest::{self, Call, envelope, history, shapes};
use crate::auth::kinds;
use crate::directory::history::{Item, ItemKind, Sender};
use crate::directory::users::OWNER_ID;
use crate::error::ApiError;
use crate::recorded::{Recipient, Recorded};
use crate::state::AppState;

/// The scope every private history read needs.
const SCOPES: &[&str] = &["view_messages"];

/// Adds a recorded private message to the private history of its sender (`user_id`,
/// default the owner) and its recipient; no-op when the recipient is not a known user
/// (permissive mode accepts any address).
pub fn add_recorded(state: &AppState, recorded: &Recorded, user_id: Option<u64>) {
    let Recipient::User(reference) = &recorded.recipient else {
        return;
    };
    let sender = user_id.unwrap_or(OWNER_ID);
    let now = state.clock.now();
    let mut data = state.directory.lock();
    let Some(recipient) = data.active_user(reference).map(|user| user.id) else {
        return;
    };
    let date = data.next_date(now);
    let item = Item::new(
        recorded.id.clone(),
        date,
        ItemKind::Message,
        Sender::User(sender),
        recorded.message.clone(),
    );
    data.private_history
        .entry((sender.min(recipient), sender.max(recipient)))
        .or_default()
        .push(item);
    if let Some(user) = data.users.get_mut(&sender) {
        user.last_active = Some(now);
    }
}

/// The caller's private history with the user the path names (a copy: the window
/// functions lock the directory to render).
fn chat(call: &Call) -> Result<Vec<Item>, ApiError> {
    let caller = call.authorize(SCOPES, kinds::USER)?;
    let other = super::active(call)?;
    Ok(call
        .state
        .directory
        .lock()
        .private_chat(caller.user_id, other)
        .to_vec())
}

/// view_privatechat_history: §5.2 (`date`, `end-date`, `start-index`, `max-results`,
/// `reverse`, `include_deleted`); 200 envelope of §3.5 items.
pub fn view_privatechat_history(call: &Call) -> Result<Response, ApiError> {
    let items = chat(call)?;
    Ok(rest::ok(history::window(call, &items)?))
}

/// view_recent_privatechat_history: `max-results` (75), `not-before`,
/// `include_deleted`; 200 envelope.
pub fn view_recent_privatechat_history(call: &Call) -> Result<Response, ApiError> {
    let items = chat(call)?;
    Ok(rest::ok(history::latest(call, &items)?))
}

/// get_privatechat_message: 200 `{"message": item}`; 404 `Message not found` (also for
/// a deleted message with `include_deleted=false`).
pub fn get_privatechat_message(call: &Call) -> Result<Response, ApiError> {
    let items = chat(call)?;
    let include_deleted = envelope::boolean(call, "include_deleted", true)?;
    let id = call.segment(5);
    let item = items
        .iter()
        .find(|item| item.id == id && (include_deleted || !item.deleted))
        .ok_or_else(|| rest::not_found("Message not found"))?;
    let data = call.state.directory.lock();
    let message = shapes::history_item(&call.links, &data, item);
    Ok(rest::ok(json!({ "message": message })))
}
