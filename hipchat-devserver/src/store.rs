//! Every accepted message, in arrival order, for tests (`server.messages("Ops")`), the
//! admin API and the web page.

use std::sync::Mutex;
use std::time::SystemTime;

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
}

/// The oldest messages are dropped past this many.
pub const DEFAULT_CAPACITY: usize = 10_000;

#[derive(Debug, Default)]
struct Inner {
    next_seq: u64,
    messages: Vec<Recorded>,
}

/// The recorded messages (in memory).
#[derive(Debug)]
pub struct Store {
    inner: Mutex<Inner>,
    capacity: usize,
}

impl Default for Store {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Store {
    /// A store keeping at most `capacity` messages.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Mutex::default(),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Records a message received at `now`; returns it with its sequence number and id.
    pub fn record(&self, message: NewMessage, now: SystemTime) -> Recorded {
        let mut inner = self.lock();
        inner.next_seq += 1;
        let recorded = Recorded {
            seq: inner.next_seq,
            id: uuid::Uuid::new_v4().to_string(),
            kind: message.kind,
            recipient: message.recipient,
            room_id: message.room_id,
            sender: message.sender,
            from: message.from,
            message: message.message,
            message_format: message.message_format,
            color: message.color,
            notify: message.notify,
            attach_to: message.attach_to,
            card: message.card,
            link: message.link,
            timestamp: humantime::format_rfc3339_millis(now).to_string(),
        };
        inner.messages.push(recorded.clone());
        if inner.messages.len() > self.capacity {
            let excess = inner.messages.len() - self.capacity;
            inner.messages.drain(..excess);
        }
        recorded
    }

    /// Every message after sequence number `after` (0 for all), in order.
    pub fn since(&self, after: u64) -> Vec<Recorded> {
        self.lock()
            .messages
            .iter()
            .filter(|message| message.seq > after)
            .cloned()
            .collect()
    }

    /// The messages sent to `recipient`, in order.
    pub fn for_recipient(&self, recipient: &Recipient) -> Vec<Recorded> {
        self.lock()
            .messages
            .iter()
            .filter(|message| &message.recipient == recipient)
            .cloned()
            .collect()
    }

    /// Forgets the messages sent to `recipient`; returns how many.
    pub fn clear_recipient(&self, recipient: &Recipient) -> usize {
        let mut inner = self.lock();
        let before = inner.messages.len();
        inner
            .messages
            .retain(|message| &message.recipient != recipient);
        before - inner.messages.len()
    }

    /// Forgets every message (sequence numbers keep counting).
    pub fn clear(&self) -> usize {
        let mut inner = self.lock();
        let count = inner.messages.len();
        inner.messages.clear();
        count
    }

    /// Every recipient with at least one message, with its count, in first-seen order.
    pub fn recipients(&self) -> Vec<(Recipient, Option<u64>, usize)> {
        let inner = self.lock();
        let mut out: Vec<(Recipient, Option<u64>, usize)> = Vec::new();
        for message in &inner.messages {
            match out.iter_mut().find(|(r, _, _)| r == &message.recipient) {
                Some(entry) => entry.2 += 1,
                None => out.push((message.recipient.clone(), message.room_id, 1)),
            }
        }
        out
    }
}
