//! A message as a handler hands it over ([`NewMessage`]) and as the server recorded it
//! ([`Recorded`]). The [`store`](crate::store) keeps these in memory and writes them
//! through to its optional SQLite file (`sqlite`); both modules depend on this one, so
//! the file's rows need nothing from the store.

use crate::directory::history::AddonSender;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which call delivered a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `POST /v2/room/{room}/notification`.
    Notification,
    /// `POST /v2/room/{room}/message`.
    Message,
    /// `POST /v2/room/{room}/share/link`.
    ShareLink,
    /// `POST /v2/user/{user}/message`.
    PrivateMessage,
    /// `POST /v1/rooms/message`.
    V1,
}

/// Where a message went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "name")]
pub enum Recipient {
    /// A room, by name (or by its digits when addressed by id in permissive mode).
    Room(String),
    /// A user, by id, email or @mention as addressed.
    User(String),
}

/// One accepted message, as the server recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// Arrival order across the whole server, from 1.
    pub seq: u64,
    /// A UUID (the `id` send_message returns).
    pub id: String,
    /// The call that delivered it.
    pub kind: Kind,
    /// The room or user it was sent to.
    pub recipient: Recipient,
    /// The room's numeric id, when known.
    pub room_id: Option<u64>,
    /// The token's label (or the user), shown before `from`.
    pub sender: String,
    /// The `from` label, if any.
    pub from: Option<String>,
    /// The message body as sent.
    pub message: String,
    /// `html` or `text`.
    pub message_format: String,
    /// The color (`yellow` when not given).
    pub color: String,
    /// Whether recipients were to be alerted.
    pub notify: bool,
    /// `attach_to`, if any.
    pub attach_to: Option<String>,
    /// The card, if any.
    pub card: Option<Value>,
    /// The shared link (share_link only).
    pub link: Option<String>,
    /// Arrival time, RFC 3339 in UTC.
    pub timestamp: String,
}

impl Recorded {
    /// The room name, for room messages.
    pub fn room(&self) -> Option<&str> {
        match &self.recipient {
            Recipient::Room(name) => Some(name),
            Recipient::User(_) => None,
        }
    }

    /// `label - from` as HipChat showed it, or the label alone.
    pub fn sender_label(&self) -> String {
        match &self.from {
            Some(from) if !from.is_empty() => format!("{} - {from}", self.sender),
            _ => self.sender.clone(),
        }
    }
}

/// A message about to be recorded: [`Recorded`] without `seq`, `id` and `timestamp`.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// See [`Recorded::kind`].
    pub kind: Kind,
    /// See [`Recorded::recipient`].
    pub recipient: Recipient,
    /// See [`Recorded::room_id`].
    pub room_id: Option<u64>,
    /// See [`Recorded::sender`].
    pub sender: String,
    /// See [`Recorded::from`].
    pub from: Option<String>,
    /// See [`Recorded::message`].
    pub message: String,
    /// See [`Recorded::message_format`].
    pub message_format: String,
    /// See [`Recorded::color`].
    pub color: String,
    /// See [`Recorded::notify`].
    pub notify: bool,
    /// See [`Recorded::attach_to`].
    pub attach_to: Option<String>,
    /// See [`Recorded::card`].
    pub card: Option<Value>,
    /// See [`Recorded::link`].
    pub link: Option<String>,
    /// The user who sent it (messages), for the room's history; not recorded.
    pub user_id: Option<u64>,
    /// The sending add-on's key (notifications), for the room's history; not recorded.
    pub addon: Option<AddonSender>,
}

impl NewMessage {
    /// A plain message: `text` format, gray, no notify, and no room id, `from`,
    /// `attach_to`, card or link (set those with struct update syntax).
    pub fn plain(kind: Kind, recipient: Recipient, sender: String, message: String) -> Self {
        Self {
            kind,
            recipient,
            room_id: None,
            sender,
            from: None,
            message,
            message_format: "text".into(),
            color: "gray".into(),
            notify: false,
            attach_to: None,
            card: None,
            link: None,
            user_id: None,
            addon: None,
        }
    }
}
