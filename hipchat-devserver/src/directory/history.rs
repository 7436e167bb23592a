//! History items as the server keeps them (spec v2 §3.5): built when a write is accepted
//! (notification, message, reply, share, topic) and shown by the history endpoints.

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
    /// Deleted items keep their place with a `null` message.
    pub deleted: bool,
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
            deleted: false,
        }
    }
}
