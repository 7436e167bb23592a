//! What rendering produces and backends deliver.

use hipchat_spec::{FROM, MESSAGE, ROOM};

use crate::error::ValidationError;
use crate::{Color, Format};

/// A rendered notification, ready for a backend.
///
/// `#[hipchat]` structs produce one with [`Notification::render`](crate::Notification::render);
/// [`Notifier::send`](crate::Notifier::send) accepts one built by hand. Fields left `None`
/// are filled from the notifier's settings before the message reaches a backend.
///
/// ```
/// use hipchat_runtime::{Color, Message};
///
/// let message = Message::new("Deploy of <b>billing</b> failed")
///     .room("Ops")
///     .color(Color::Red)
///     .notify(true);
/// assert_eq!(message.room.as_deref(), Some("Ops"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Message {
    /// Room id (all digits) or name. `None`: the notifier's default room.
    pub room: Option<String>,
    /// The message body, already escaped for [`Format::Html`].
    pub body: String,
    /// Background color.
    pub color: Color,
    /// How HipChat reads [`body`](Self::body).
    pub format: Format,
    /// Whether to alert the room's members (sound, tab color, push).
    pub notify: bool,
    /// Label shown beside the sender. `None`: the notifier's default sender.
    pub from: Option<String>,
    /// Name of the token to send with (`#[hipchat(token = "...")]`). `None`: the default token.
    pub token: Option<String>,
}

impl Message {
    /// A yellow, html, silent message with this body and every other field left to defaults.
    pub fn new(body: impl Into<String>) -> Self {
        Self {
            room: None,
            body: body.into(),
            color: Color::default(),
            format: Format::default(),
            notify: false,
            from: None,
            token: None,
        }
    }

    /// Sets the room id or name.
    pub fn room(mut self, room: impl Into<String>) -> Self {
        self.room = Some(room.into());
        self
    }

    /// Sets the color.
    pub fn color(mut self, color: Color) -> Self {
        self.color = color;
        self
    }

    /// Sets the format. The body is taken as given: escape it yourself for html.
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Sets whether the room is alerted.
    pub fn notify(mut self, notify: bool) -> Self {
        self.notify = notify;
        self
    }

    /// Sets the sender label.
    pub fn from(mut self, from: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self
    }

    /// Sends with the named token from the settings.
    pub fn token(mut self, name: impl Into<String>) -> Self {
        self.token = Some(name.into());
        self
    }

    /// Checks every rule HipChat enforces on a room notification: a room is present and
    /// 1–100 characters, the body 1–10,000, the sender at most 64.
    pub fn validate(&self) -> Result<(), ValidationError> {
        MESSAGE.check(&self.body)?;
        let room = self.room.as_deref().ok_or(ValidationError::MissingRoom)?;
        ROOM.check(room)?;
        if let Some(from) = &self.from {
            FROM.check(from)?;
        }
        Ok(())
    }

    /// The room, for backends that run after defaults were applied; `""` if there is none.
    pub fn room_or_empty(&self) -> &str {
        self.room.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Message {
        Message::new("ok").room("Ops")
    }

    #[test]
    fn accepts_limits_at_their_bounds() {
        let message = Message::new("é".repeat(10_000))
            .room("r".repeat(100))
            .from("f".repeat(64));
        assert_eq!(message.validate(), Ok(()));
    }

    #[test]
    fn names_the_field_over_its_limit() {
        let cases = [
            (
                Message {
                    body: String::new(),
                    ..valid()
                },
                "message is empty",
            ),
            (
                Message {
                    body: "x".repeat(10_001),
                    ..valid()
                },
                "message is 10001 characters long",
            ),
            (valid().room(""), "room is empty"),
            (valid().room("r".repeat(101)), "room is 101 characters long"),
            (valid().from("f".repeat(65)), "from is 65 characters long"),
        ];
        for (message, expected) in cases {
            let error = message.validate().unwrap_err();
            assert!(error.to_string().starts_with(expected), "{error}");
        }
        let no_room = Message {
            room: None,
            ..valid()
        };
        assert_eq!(no_room.validate(), Err(ValidationError::MissingRoom));
    }
}
