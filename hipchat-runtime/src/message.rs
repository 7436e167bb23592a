//! What rendering produces and backends deliver.

use hipchat_spec::{Limit, MESSAGE, SHARE_LINK_MESSAGE};

use crate::card::Card;

use crate::error::ValidationError;
use crate::long_message::{self, LongMessage};
use crate::{Color, Format, Outgoing};

/// A rendered notification: the draft a [`Notifier`](crate::Notifier) checks and turns
/// into the [`Outgoing`] a backend receives.
///
/// `#[hipchat]` structs produce one with [`Notification::render`](crate::Notification::render);
/// [`Notifier::send`](crate::Notifier::send) accepts one built by hand. Fields left `None`
/// are filled from the notifier's settings before it is checked.
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
    /// What to do when [`body`](Self::body) is over HipChat's limit (default: an error).
    pub long_message: LongMessage,
    /// `Some`: a private message to this user (id, email or `@mention` name) instead of a
    /// room notification; [`room`](Self::room) is then not used.
    pub user: Option<String>,
    /// `Some`: share this link with the room (the body is the link's comment).
    pub link: Option<String>,
    /// `Some`: the id of a message in the same room to show this one under (at most 36
    /// characters). Room notifications only.
    pub attach_to: Option<String>,
    /// `Some`: a card, shown by clients that support cards; [`body`](Self::body) stays
    /// required as the fallback for the others. Room notifications only.
    pub card: Option<Card>,
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
            long_message: LongMessage::Error,
            user: None,
            link: None,
            attach_to: None,
            card: None,
        }
    }

    /// Shows this notification under the message with this id (same room; at most 36
    /// characters).
    pub fn attach_to(mut self, id: impl Into<String>) -> Self {
        self.attach_to = Some(id.into());
        self
    }

    /// Attaches a card. The body is still sent, as the fallback for clients without
    /// cards, and [`format`](Self::format) governs only the body.
    pub fn card(mut self, card: Card) -> Self {
        self.card = Some(card);
        self
    }

    /// A private message to `user`: a user id, an email or an `@mention` name. Sent with
    /// [`Notifier::send`](crate::Notifier::send) (or
    /// [`Notifier::send_to_user`](crate::Notifier::send_to_user)); color and sender do not
    /// apply to private messages.
    pub fn to_user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Shares `link` with the room; the body is the comment shown with it (at most 1,000
    /// characters, may be empty). Color and sender do not apply to shared links.
    pub fn share_link(mut self, link: impl Into<String>) -> Self {
        self.link = Some(link.into());
        self
    }

    /// What to do with a body over HipChat's limit: [`LongMessage::Error`] (the default),
    /// [`LongMessage::Truncate`] or [`LongMessage::Split`].
    pub fn long_message(mut self, policy: LongMessage) -> Self {
        self.long_message = policy;
        self
    }

    /// Whether the body is over its limit, so that the
    /// [`long_message`](Self::long_message) policy applies.
    pub(crate) fn is_long(&self) -> bool {
        self.body.chars().count() > self.body_limit().max
    }

    /// The limit of [`body`](Self::body) for this kind of message.
    pub fn body_limit(&self) -> Limit {
        match (&self.user, &self.link) {
            (None, Some(_)) => SHARE_LINK_MESSAGE,
            _ => MESSAGE,
        }
    }

    /// Applies the [`long_message`](Self::long_message) policy: the message itself when the
    /// body fits or the policy is [`LongMessage::Error`], a truncated copy, or the parts
    /// to send in order. A share link is split into the link with the first part, then
    /// room notifications (same room, color, sender) with the rest. A card goes with the
    /// first part only; every part keeps `attach_to`.
    ///
    /// ```
    /// use hipchat_runtime::{LongMessage, Message};
    /// let parts = Message::new("x".repeat(25_000)).room("Ops").long_message(LongMessage::Split).into_parts();
    /// assert_eq!(parts.len(), 3);
    /// ```
    pub fn into_parts(self) -> Vec<Message> {
        if !self.is_long() {
            return vec![self];
        }
        let limit = self.body_limit();
        match self.long_message {
            LongMessage::Error => vec![self],
            LongMessage::Truncate => {
                let body = long_message::truncate(&self.body, self.format, limit.max);
                vec![Message { body, ..self }]
            }
            LongMessage::Split => {
                let bodies = long_message::split(&self.body, self.format, limit.max, MESSAGE.max);
                bodies
                    .into_iter()
                    .enumerate()
                    .map(|(i, body)| Message {
                        body,
                        link: if i == 0 { self.link.clone() } else { None },
                        card: if i == 0 { self.card.clone() } else { None },
                        ..self.clone()
                    })
                    .collect()
            }
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

    /// Checks every rule HipChat enforces on this kind of message, as the notifier does
    /// before anything is sent: see [`Outgoing::try_from`](crate::Outgoing). The
    /// [`long_message`](Self::long_message) policy is not applied here
    /// ([`into_parts`](Self::into_parts) does, before the notifier checks each part).
    pub fn validate(&self) -> Result<(), ValidationError> {
        Outgoing::try_from(self.clone()).map(drop)
    }
}
