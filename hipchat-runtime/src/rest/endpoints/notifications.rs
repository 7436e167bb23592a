//! The notification endpoints (base spec §4, §9): send_room_notification,
//! private_message_user and share_link_with_room, for a checked [`Outgoing`]. The
//! [`HttpBackend`](crate::backend::HttpBackend) delivers through here on API v2.

use reqwest::Method;
use serde::Serialize;

use crate::card::Card;
use crate::rest::Client;
use crate::rest::request::{About, Call, Request, nothing};
use crate::rest::url::segment;
use crate::{Error, Outgoing, PrivateMessage, RoomNotification, SharedLink};

impl Client {
    /// Sends a checked notification ([`Outgoing`]): `POST /v2/room/{room}/notification`,
    /// `/v2/user/{user}/message` or `/v2/room/{room}/share/link`. The call underneath
    /// the http backend; services send through a [`Notifier`](crate::Notifier), which
    /// fills in defaults and applies the long-message policy first.
    pub(crate) fn deliver(&self, outgoing: &Outgoing) -> Call<'_, ()> {
        Call::new(self, self.delivery(outgoing), nothing)
    }

    fn delivery(&self, outgoing: &Outgoing) -> Result<Request, Error> {
        let request = match outgoing {
            Outgoing::Room(n) => {
                let room = segment("room", n.room())?;
                self.request(
                    Method::POST,
                    About::Room(n.room().to_owned()),
                    format_args!("/room/{room}/notification"),
                )
                .flood(n.room())
                .json(&NotificationBody::new(n))?
            }
            Outgoing::User(m) => {
                let user = segment("user", m.user())?;
                self.request(
                    Method::POST,
                    About::User(m.user().to_owned()),
                    format_args!("/user/{user}/message"),
                )
                .flood_user(m.user())
                .json(&PrivateMessageBody::new(m))?
            }
            Outgoing::Link(l) => {
                let room = segment("room", l.room())?;
                self.request(
                    Method::POST,
                    About::Room(l.room().to_owned()),
                    format_args!("/room/{room}/share/link"),
                )
                .flood(l.room())
                .json(&ShareLinkBody::new(l))?
            }
        };
        Ok(request)
    }
}

/// The JSON body of private_message_user: `message`, `message_format`, `notify`.
#[derive(Serialize)]
struct PrivateMessageBody<'a> {
    message: &'a str,
    message_format: &'static str,
    notify: bool,
}

impl<'a> PrivateMessageBody<'a> {
    fn new(message: &'a PrivateMessage) -> Self {
        Self {
            message: message.body(),
            message_format: message.format().as_str(),
            notify: message.notify(),
        }
    }
}

/// The JSON body of share_link_with_room: `link`, and `message` when not empty.
#[derive(Serialize)]
struct ShareLinkBody<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    message: &'a str,
    link: &'a str,
}

impl<'a> ShareLinkBody<'a> {
    fn new(link: &'a SharedLink) -> Self {
        Self {
            message: link.comment(),
            link: link.link(),
        }
    }
}

/// The JSON body of send_room_notification. `message`, `message_format`, `color` and
/// `notify` are always sent; `from`, `attach_to` and `card` only when set.
#[derive(Serialize)]
struct NotificationBody<'a> {
    message: &'a str,
    message_format: &'static str,
    color: &'static str,
    notify: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attach_to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<&'a Card>,
}

impl<'a> NotificationBody<'a> {
    fn new(notification: &'a RoomNotification) -> Self {
        Self {
            message: notification.body(),
            message_format: notification.format().as_str(),
            color: notification.color().as_str(),
            notify: notification.notify(),
            from: notification.from(),
            attach_to: notification.attach_to(),
            card: notification.card(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Color, Format, Message};

    fn room(message: Message) -> RoomNotification {
        match Outgoing::try_from(message) {
            Ok(Outgoing::Room(notification)) => notification,
            other => panic!("not a room notification: {other:?}"),
        }
    }

    fn url(outgoing: Message) -> Result<String, Error> {
        let client = Client::new("http://h/chat", "t").unwrap();
        let outgoing = Outgoing::try_from(outgoing).unwrap();
        client
            .delivery(&outgoing)
            .map(|request| request.url.to_string())
    }

    #[test]
    fn endpoints_encode_the_room_or_user_and_refuse_dot_segments() {
        assert_eq!(
            url(Message::new("x").room("Build Status")).unwrap(),
            "http://h/chat/v2/room/Build%20Status/notification"
        );
        assert_eq!(
            url(Message::new("x").to_user("@a/b")).unwrap(),
            "http://h/chat/v2/user/%40a%2Fb/message"
        );
        assert_eq!(
            url(Message::new("x").room("...").share_link("https://e.com/")).unwrap(),
            "http://h/chat/v2/room/.../share/link"
        );
        for room in [".", ".."] {
            assert!(matches!(
                url(Message::new("x").room(room)),
                Err(Error::Validation(crate::ValidationError::UnroutableRoom(_)))
            ));
        }
    }

    #[test]
    fn body_has_hipchat_types() {
        let message = Message::new("hi")
            .room("Ops")
            .color(Color::Green)
            .format(Format::Text)
            .notify(true);
        let json = serde_json::to_value(NotificationBody::new(&room(message.clone()))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"message": "hi", "message_format": "text", "color": "green", "notify": true})
        );
        let json =
            serde_json::to_value(NotificationBody::new(&room(message.clone().from("ci")))).unwrap();
        assert_eq!(json["from"], "ci");
        let card = Card::link("l", "Link");
        let json = serde_json::to_value(NotificationBody::new(&room(
            message.attach_to("m-1").card(card.clone()),
        )))
        .unwrap();
        assert_eq!(json["attach_to"], "m-1");
        assert_eq!(json["card"], serde_json::to_value(&card).unwrap());
        assert_eq!(json["message"], "hi");
    }
}
