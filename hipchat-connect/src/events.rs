//! Room events as webhooks deliver them (spec §5): the envelope ([`Delivery`]) and a
//! typed, open [`RoomEvent`]. An event this crate does not know, or whose item it has no
//! type for, is kept with its raw item: a new event never breaks parsing.
//!
//! Reading a delivery proves nothing about who sent it: verify the request first
//! ([`SignedRequest`](crate::SignedRequest)) and check [`Delivery::sent_by`].

use hipchat_runtime::rest::model::{HistoryItem, RoomRef, UserRef, WebhookEvent};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What HipChat POSTs to a webhook URL: `{event, item, oauth_client_id, webhook_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Delivery {
    /// The event (`room_message`, ...; unknown ones kept).
    pub event: WebhookEvent,
    /// The event's item, as sent.
    pub item: Value,
    /// The installation the delivery is for (the JWT's issuer must be the same).
    pub oauth_client_id: String,
    /// The webhook that fired (an integer, or a numeric string in some sources).
    #[serde(
        default,
        deserialize_with = "hipchat_runtime::rest::model::de::option_u64_or_string"
    )]
    pub webhook_id: Option<u64>,
}

impl Delivery {
    /// Reads a delivery from a webhook request's body.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }

    /// Whether the body names `issuer` (the verified JWT's `iss`) as its installation
    /// (spec §4 step 8): a body must never choose the installation by itself.
    pub fn sent_by(&self, issuer: &str) -> bool {
        self.oauth_client_id == issuer
    }

    /// The typed event. Known events whose item does not have the documented shape are
    /// an error naming the event; unknown events are [`RoomEvent::Other`].
    pub fn room_event(&self) -> Result<RoomEvent, serde_json::Error> {
        let item = || self.item.clone();
        Ok(match &self.event {
            WebhookEvent::RoomMessage => {
                let MessageItem { room, message } = serde_json::from_value(item())?;
                RoomEvent::Message { room, message }
            }
            WebhookEvent::RoomNotification => {
                let MessageItem { room, message } = serde_json::from_value(item())?;
                RoomEvent::Notification { room, message }
            }
            WebhookEvent::RoomEnter => {
                let SenderItem { room, sender } = serde_json::from_value(item())?;
                RoomEvent::Enter { room, sender }
            }
            WebhookEvent::RoomExit => {
                let SenderItem { room, sender } = serde_json::from_value(item())?;
                RoomEvent::Exit { room, sender }
            }
            WebhookEvent::RoomTopicChange => {
                let TopicItem {
                    room,
                    topic,
                    sender,
                } = serde_json::from_value(item())?;
                RoomEvent::TopicChange {
                    room,
                    topic,
                    sender,
                }
            }
            other => RoomEvent::Other {
                event: other.clone(),
                room: self
                    .item
                    .get("room")
                    .and_then(|room| serde_json::from_value(room.clone()).ok()),
                item: item(),
            },
        })
    }
}

/// A room event, typed where the protocol documents the item. `#[non_exhaustive]`:
/// events typed later become variants without breaking a `match` with a `_` arm.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RoomEvent {
    /// `room_message`: someone wrote in the room (`message.from` is a user).
    Message {
        /// The room.
        room: RoomRef,
        /// The message, as history items are.
        message: HistoryItem,
    },
    /// `room_notification`: an integration posted (`message.from` is a string).
    Notification {
        /// The room.
        room: RoomRef,
        /// The notification, as history items are.
        message: HistoryItem,
    },
    /// `room_enter`: someone entered the room.
    Enter {
        /// The room.
        room: RoomRef,
        /// Who.
        sender: UserRef,
    },
    /// `room_exit`: someone left the room.
    Exit {
        /// The room.
        room: RoomRef,
        /// Who.
        sender: UserRef,
    },
    /// `room_topic_change`: the topic changed.
    TopicChange {
        /// The room.
        room: RoomRef,
        /// The new topic.
        topic: String,
        /// Who changed it: a user, or an OAuth client (`{id, name, allowed_scopes}`),
        /// kept as sent.
        sender: Option<Value>,
    },
    /// Any other event (`room_file_upload`, `room_archived`, `room_created`, ... and
    /// events HipChat added later): the item as sent, and its room when it has one.
    Other {
        /// The event.
        event: WebhookEvent,
        /// `item.room`, when it reads as a room.
        room: Option<RoomRef>,
        /// The item.
        item: Value,
    },
}

impl RoomEvent {
    /// The room the event happened in, when known.
    pub fn room(&self) -> Option<&RoomRef> {
        match self {
            RoomEvent::Message { room, .. }
            | RoomEvent::Notification { room, .. }
            | RoomEvent::Enter { room, .. }
            | RoomEvent::Exit { room, .. }
            | RoomEvent::TopicChange { room, .. } => Some(room),
            RoomEvent::Other { room, .. } => room.as_ref(),
        }
    }
}

#[derive(Deserialize)]
struct MessageItem {
    room: RoomRef,
    message: HistoryItem,
}

#[derive(Deserialize)]
struct SenderItem {
    room: RoomRef,
    sender: UserRef,
}

#[derive(Deserialize)]
struct TopicItem {
    room: RoomRef,
    topic: String,
    #[serde(default)]
    sender: Option<Value>,
}
