//! History items as the server keeps them (spec v2 §3.5): built when a write is accepted
//! (notification, message, reply, share, topic) and shown by the history endpoints.

use super::users::OWNER_ID;
use crate::recorded::{Kind, Recorded};

/// The item's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A user's message (send_message, reply, share_link).
    Message,
    /// A notification (send_room_notification, v1 rooms/message).
    Notification,
    /// A topic change.
    Topic,
}

impl ItemKind {
    /// The wire value of `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Notification => "notification",
            Self::Topic => "topic",
        }
    }
}

/// Who an item is from: a user (messages, topics) or a label (notifications).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// A user, by id: shown as a user reference.
    User(u64),
    /// A label (`token label - from`): shown as a string.
    Label(String),
}

/// One history item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// A UUID (the recorded message's id when one was recorded).
    pub id: String,
    /// Microseconds since the Unix epoch; strictly increasing across the server.
    pub date_micros: i64,
    /// `message`, `notification` or `topic`.
    pub kind: ItemKind,
    /// Who sent it.
    pub from: Sender,
    /// The text (the new topic for topic items).
    pub message: String,
    /// `html` or `text` (notifications).
    pub message_format: Option<String>,
    /// The color (notifications).
    pub color: Option<String>,
    /// The card as JSON text (notifications).
    pub card: Option<String>,
    /// The message a notification hangs under.
    pub attach_to: Option<String>,
    /// The message a reply answers.
    pub parent_id: Option<String>,
    /// A shared link (share_link).
    pub link: Option<String>,
    /// The sending add-on's key (notifications from add-on tokens).
    pub addon: Option<AddonSender>,
    /// Deleted items keep their place with a `null` message.
    pub deleted: bool,
}

/// The add-on that sent a notification (`notification_sender` in history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddonSender {
    /// The add-on's key (`notification_sender.id`).
    pub key: String,
    /// Its OAuth client id (`notification_sender.client_id`).
    pub client_id: String,
}

impl AddonSender {
    /// The sender of a configured add-on token: the client id is a stable UUID made
    /// from the key.
    pub fn from_key(key: String) -> Self {
        Self {
            client_id: crate::api::rest::shapes::client_id(&key),
            key,
        }
    }
}

impl Item {
    /// An item of `kind` from `from` with `message`, and nothing else set.
    pub fn new(
        id: String,
        date_micros: i64,
        kind: ItemKind,
        from: Sender,
        message: String,
    ) -> Self {
        Self {
            id,
            date_micros,
            kind,
            from,
            message,
            message_format: None,
            color: None,
            card: None,
            attach_to: None,
            parent_id: None,
            link: None,
            addon: None,
            deleted: false,
        }
    }

    /// The room history item of a recorded message, dated `date_micros`, with the
    /// recorded id: notifications and v1 → `notification` from the sender label
    /// (`"label - from"`) with format, color, card (as JSON text), `attach_to` and the
    /// add-on's key;
    /// messages and shared links → `message` from `user_id` (default the owner).
    /// Private messages have none.
    pub fn from_recorded(
        recorded: &Recorded,
        user_id: Option<u64>,
        addon: Option<AddonSender>,
        date_micros: i64,
    ) -> Option<Self> {
        let (kind, from) = match recorded.kind {
            Kind::Notification | Kind::V1 => (
                ItemKind::Notification,
                Sender::Label(recorded.sender_label()),
            ),
            Kind::Message | Kind::ShareLink => {
                (ItemKind::Message, Sender::User(user_id.unwrap_or(OWNER_ID)))
            }
            Kind::PrivateMessage => return None,
        };
        let mut item = Self::new(
            recorded.id.clone(),
            date_micros,
            kind,
            from,
            recorded.message.clone(),
        );
        if kind == ItemKind::Notification {
            item.message_format = Some(recorded.message_format.clone());
            item.color = Some(recorded.color.clone());
            item.card = recorded.card.as_ref().map(ToString::to_string);
            item.attach_to = recorded.attach_to.clone();
            item.addon = addon;
        }
        item.link = recorded.link.clone();
        Some(item)
    }
}
