//! What backends receive: a notification the notifier has checked, in a shape that admits
//! only what HipChat accepts. A [`Message`] is the draft; an [`Outgoing`] is made from it
//! by [`Outgoing::try_from`] (the notifier does, after defaults and the long-message
//! policy), which checks every limit once. Backends `match` on it instead of checking again.

use hipchat_spec::{ATTACH_TO, FROM, ROOM, USER};

use crate::card::Card;
use crate::error::ValidationError;
use crate::{Color, Format, Message};

/// A checked notification, as a [`Backend`](crate::Backend) receives it.
///
/// Each kind holds exactly what HipChat accepts for it: a room notification has a room
/// (and may have a sender, a card, `attach_to`); a private message has a user and none of
/// those; a shared link has a room and an http(s) link. Every value is within its limit.
///
/// ```
/// use hipchat_runtime::{Message, Outgoing};
///
/// let outgoing = Outgoing::try_from(Message::new("Backup finished").room("Ops")).unwrap();
/// match &outgoing {
///     Outgoing::Room(notification) => assert_eq!(notification.room(), "Ops"),
///     Outgoing::User(_) | Outgoing::Link(_) => unreachable!(),
///     _ => unreachable!("a kind added in a later release"),
/// }
/// assert!(Outgoing::try_from(Message::new("no room")).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outgoing {
    /// A room notification (v2 `send_room_notification`, v1 `rooms/message`).
    Room(RoomNotification),
    /// A private message to a user (v2 `private_message_user`).
    User(PrivateMessage),
    /// A link shared with a room (v2 `share_link_with_room`).
    Link(SharedLink),
}

/// A room notification: [`Outgoing::Room`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomNotification {
    room: String,
    body: String,
    color: Color,
    format: Format,
    notify: bool,
    from: Option<String>,
    attach_to: Option<String>,
    /// Boxed: a card is large, and most notifications have none.
    card: Option<Box<Card>>,
    token: Option<String>,
}

/// A private message: [`Outgoing::User`]. No color, sender, card or `attach_to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateMessage {
    user: String,
    body: String,
    format: Format,
    notify: bool,
    token: Option<String>,
}

/// A link shared with a room: [`Outgoing::Link`]. The body is the comment shown with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedLink {
    room: String,
    link: String,
    comment: String,
    token: Option<String>,
}

/// Where a notification goes, borrowed: what error messages and logs name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target<'a> {
    /// A room notification.
    Room(&'a str),
    /// A private message to a user.
    User(&'a str),
    /// A link shared with a room.
    ShareLink {
        /// The room.
        room: &'a str,
        /// The link.
        link: &'a str,
    },
}

impl Outgoing {
    /// Where it goes.
    pub fn target(&self) -> Target<'_> {
        match self {
            Outgoing::Room(n) => Target::Room(&n.room),
            Outgoing::User(m) => Target::User(&m.user),
            Outgoing::Link(l) => Target::ShareLink {
                room: &l.room,
                link: &l.link,
            },
        }
    }

    /// The room of a room notification or a shared link; `None` for a private message.
    pub fn room(&self) -> Option<&str> {
        match self {
            Outgoing::Room(n) => Some(&n.room),
            Outgoing::Link(l) => Some(&l.room),
            Outgoing::User(_) => None,
        }
    }

    /// The text: a notification's or a private message's body, a shared link's comment.
    pub fn body(&self) -> &str {
        match self {
            Outgoing::Room(n) => &n.body,
            Outgoing::User(m) => &m.body,
            Outgoing::Link(l) => &l.comment,
        }
    }

    /// The name of the token to send with; `None`: the default token.
    pub fn token(&self) -> Option<&str> {
        match self {
            Outgoing::Room(n) => n.token.as_deref(),
            Outgoing::User(m) => m.token.as_deref(),
            Outgoing::Link(l) => l.token.as_deref(),
        }
    }

    /// The queue lane it belongs to: its room, or `""` for private messages (which share one).
    pub(crate) fn lane(&self) -> &str {
        self.room().unwrap_or_default()
    }
}

impl TryFrom<Message> for Outgoing {
    type Error = ValidationError;

    /// Checks every rule HipChat enforces on this kind of message. A room notification: a
    /// room of 1–100 characters, the body 1–10,000, the sender at most 64, `attach_to` at
    /// most 36 and every limit of a card ([`Card::validate`]). A private message: the user
    /// 1–254 characters, the body 1–10,000, and no card or `attach_to`. A shared link: a
    /// room, an absolute http(s) URL, the comment at most 1,000, and no card or
    /// `attach_to`. The [`long_message`](Message::long_message) policy is not applied here
    /// ([`Message::into_parts`] does, before the notifier checks each part).
    fn try_from(message: Message) -> Result<Self, ValidationError> {
        message.body_limit().check(&message.body)?;
        let Message {
            room,
            body,
            color,
            format,
            notify,
            from,
            token,
            user,
            link,
            attach_to,
            card,
            ..
        } = message;
        let not_applicable = |what| Err(ValidationError::NotApplicable { what });
        if user.is_some() || link.is_some() {
            if card.is_some() {
                return not_applicable("a card");
            }
            if attach_to.is_some() {
                return not_applicable("attach_to");
            }
        }
        if let Some(user) = user {
            if link.is_some() {
                return Err(ValidationError::ShareLinkToUser);
            }
            USER.check(&user)?;
            return Ok(Outgoing::User(PrivateMessage {
                user,
                body,
                format,
                notify,
                token,
            }));
        }
        let room = room.ok_or(ValidationError::MissingRoom)?;
        ROOM.check(&room)?;
        if let Some(link) = link {
            check_link(&link)?;
            return Ok(Outgoing::Link(SharedLink {
                room,
                link,
                comment: body,
                token,
            }));
        }
        if let Some(from) = &from {
            FROM.check(from)?;
        }
        if let Some(attach_to) = &attach_to {
            ATTACH_TO.check(attach_to)?;
        }
        if let Some(card) = &card {
            card.validate()?;
        }
        Ok(Outgoing::Room(RoomNotification {
            room,
            body,
            color,
            format,
            notify,
            from,
            attach_to,
            card: card.map(Box::new),
            token,
        }))
    }
}

/// A link HipChat can share: an absolute http(s) URL.
fn check_link(link: &str) -> Result<(), ValidationError> {
    let invalid = |reason: String| ValidationError::InvalidLink {
        link: link.to_owned(),
        reason,
    };
    match url::Url::parse(link) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        Ok(_) => Err(invalid("the scheme must be http or https".into())),
        Err(e) => Err(invalid(e.to_string())),
    }
}

impl RoomNotification {
    /// The room id (all digits) or name.
    pub fn room(&self) -> &str {
        &self.room
    }

    /// The body, already escaped for [`Format::Html`].
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The background color.
    pub fn color(&self) -> Color {
        self.color
    }

    /// How HipChat reads the body.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the room's members are alerted.
    pub fn notify(&self) -> bool {
        self.notify
    }

    /// The label shown beside the sender.
    pub fn from(&self) -> Option<&str> {
        self.from.as_deref()
    }

    /// The id of the message to show this one under.
    pub fn attach_to(&self) -> Option<&str> {
        self.attach_to.as_deref()
    }

    /// The card.
    pub fn card(&self) -> Option<&Card> {
        self.card.as_deref()
    }

    /// The name of the token to send with; `None`: the default token.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl PrivateMessage {
    /// The user: an id, an email or an `@mention` name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The body, already escaped for [`Format::Html`].
    pub fn body(&self) -> &str {
        &self.body
    }

    /// How HipChat reads the body.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the user is alerted.
    pub fn notify(&self) -> bool {
        self.notify
    }

    /// The name of the token to send with; `None`: the default token.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl SharedLink {
    /// The room.
    pub fn room(&self) -> &str {
        &self.room
    }

    /// The link, an absolute http(s) URL.
    pub fn link(&self) -> &str {
        &self.link
    }

    /// The comment shown with the link (may be empty).
    pub fn comment(&self) -> &str {
        &self.comment
    }

    /// The name of the token to send with; `None`: the default token.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl From<Outgoing> for Message {
    /// The draft again, as it would be checked (for a caller that wants to change and
    /// resend what was not delivered).
    fn from(outgoing: Outgoing) -> Message {
        match outgoing {
            Outgoing::Room(n) => {
                let mut message = Message::new(n.body)
                    .room(n.room)
                    .color(n.color)
                    .format(n.format)
                    .notify(n.notify);
                message.from = n.from;
                message.attach_to = n.attach_to;
                message.card = n.card.map(|card| *card);
                message.token = n.token;
                message
            }
            Outgoing::User(m) => {
                let mut message = Message::new(m.body)
                    .to_user(m.user)
                    .format(m.format)
                    .notify(m.notify);
                message.token = m.token;
                message
            }
            Outgoing::Link(l) => {
                let mut message = Message::new(l.comment).room(l.room).share_link(l.link);
                message.token = l.token;
                message
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LongMessage;

    fn valid() -> Message {
        Message::new("ok").room("Ops")
    }

    fn check(message: Message) -> Result<Outgoing, ValidationError> {
        Outgoing::try_from(message)
    }

    #[test]
    fn accepts_limits_at_their_bounds() {
        let message = Message::new("é".repeat(10_000))
            .room("r".repeat(100))
            .from("f".repeat(64));
        assert!(matches!(check(message), Ok(Outgoing::Room(_))));
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
            (Message::new("x").to_user(""), "user is empty"),
        ];
        for (message, expected) in cases {
            let error = check(message).unwrap_err();
            assert!(error.to_string().starts_with(expected), "{error}");
        }
        let no_room = Message {
            room: None,
            ..valid()
        };
        assert_eq!(check(no_room), Err(ValidationError::MissingRoom));
    }

    #[test]
    fn attach_to_is_checked_against_its_limit() {
        assert!(check(valid().attach_to("")).is_ok());
        assert!(check(valid().attach_to("é".repeat(36))).is_ok());
        let error = check(valid().attach_to("a".repeat(37))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "attach_to is 37 characters long; HipChat allows at most 36"
        );
        assert!(matches!(error, ValidationError::Limit(v) if v.limit == ATTACH_TO));
        assert_eq!(
            check(Message::new("x").to_user("@al").attach_to("m")),
            Err(ValidationError::NotApplicable { what: "attach_to" })
        );
    }

    #[test]
    fn each_kind_keeps_only_what_it_can_carry() {
        let card = Card::application("id", "title");
        let Ok(Outgoing::Room(room)) =
            check(valid().card(card.clone()).attach_to("m1").token("ops"))
        else {
            panic!("a room notification")
        };
        assert_eq!(
            (room.card(), room.attach_to(), room.token()),
            (Some(&card), Some("m1"), Some("ops"))
        );
        assert!(matches!(
            check(valid().card(Card::application("id", ""))),
            Err(ValidationError::Card { field, .. }) if field == "card.title"
        ));
        assert_eq!(
            check(valid().share_link("https://e.com/").card(card)),
            Err(ValidationError::NotApplicable { what: "a card" })
        );
        let Ok(Outgoing::Link(link)) =
            check(Message::new("").room("Ops").share_link("https://e.com/"))
        else {
            panic!("a shared link")
        };
        assert_eq!(
            (link.room(), link.link(), link.comment()),
            ("Ops", "https://e.com/", "")
        );
        assert!(matches!(
            check(valid().share_link("ftp://e.com/")),
            Err(ValidationError::InvalidLink { .. })
        ));
        assert_eq!(
            check(Message::new("x").to_user("@a").share_link("https://e.com/")),
            Err(ValidationError::ShareLinkToUser)
        );
        let Ok(Outgoing::User(private)) =
            check(Message::new("hi").to_user("@alice").room("ignored"))
        else {
            panic!("a private message")
        };
        assert_eq!((private.user(), private.body()), ("@alice", "hi"));
    }

    #[test]
    fn every_part_of_a_split_message_is_checked_alike() {
        let card = Card::application("id", "title");
        let parts: Vec<_> = Message::new("x".repeat(15_000))
            .room("Ops")
            .attach_to("m1")
            .card(card.clone())
            .long_message(LongMessage::Split)
            .into_parts()
            .into_iter()
            .map(|part| check(part).unwrap())
            .collect();
        let [Outgoing::Room(first), Outgoing::Room(second)] = &parts[..] else {
            panic!("two room notifications: {parts:?}")
        };
        assert_eq!((first.card(), second.card()), (Some(&card), None));
        assert_eq!(
            (first.attach_to(), second.attach_to()),
            (Some("m1"), Some("m1"))
        );
    }

    #[test]
    fn turns_back_into_the_draft_it_came_from() {
        for message in [
            valid()
                .from("ci")
                .attach_to("m")
                .card(Card::link("l", "L"))
                .token("ops"),
            Message::new("hi")
                .to_user("@a")
                .notify(true)
                .format(Format::Text),
            Message::new("see").room("Ops").share_link("https://e.com/"),
        ] {
            let outgoing = check(message.clone()).unwrap();
            let draft: Message = outgoing.into();
            assert_eq!(draft, message);
        }
    }
}
