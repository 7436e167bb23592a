//! API v2: `POST /v2/room/{room}/notification`, `/v2/user/{user}/message` and
//! `/v2/room/{room}/share/link` with a JSON body, the token in `Authorization: Bearer`.

use reqwest::RequestBuilder;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use url::Url;

use crate::card::Card;
use crate::error::ValidationError;
use crate::rest::url::{encoded, endpoint, routable};
use crate::{Outgoing, PrivateMessage, RoomNotification, SharedLink};

/// The v2 rules beyond HipChat's limits: the room or user must make a path segment
/// (checked again when the request is built; here so that a queue refuses it at once).
pub(super) fn check(outgoing: &Outgoing) -> Result<(), ValidationError> {
    let segment = match outgoing {
        Outgoing::Room(n) => n.room(),
        Outgoing::User(m) => m.user(),
        Outgoing::Link(l) => l.room(),
    };
    routable(segment).map(drop)
}

/// The request for `outgoing`: its endpoint, its body, the token's header.
pub(super) fn request(
    client: &reqwest::Client,
    api_root: &Url,
    outgoing: &Outgoing,
    token: &SecretString,
) -> Result<RequestBuilder, ValidationError> {
    let request = match outgoing {
        Outgoing::Room(n) => client
            .post(notification_url(api_root, n.room())?)
            .json(&NotificationBody::new(n)),
        Outgoing::User(m) => client
            .post(user_message_url(api_root, m.user())?)
            .json(&PrivateMessageBody::new(m)),
        Outgoing::Link(l) => client
            .post(share_link_url(api_root, l.room())?)
            .json(&ShareLinkBody::new(l)),
    };
    Ok(request.bearer_auth(token.expose_secret()))
}

/// The endpoint of send_room_notification for `room`.
fn notification_url(api_root: &Url, room: &str) -> Result<Url, ValidationError> {
    let room = encoded(routable(room)?);
    Ok(endpoint(
        api_root,
        format_args!("/v2/room/{room}/notification"),
    ))
}

/// The endpoint of private_message_user for `user` (an id, email or `@mention` name), as
/// one percent-encoded path segment.
fn user_message_url(api_root: &Url, user: &str) -> Result<Url, ValidationError> {
    let user = encoded(routable(user)?);
    Ok(endpoint(api_root, format_args!("/v2/user/{user}/message")))
}

/// The endpoint of share_link_with_room for `room`.
fn share_link_url(api_root: &Url, room: &str) -> Result<Url, ValidationError> {
    let room = encoded(routable(room)?);
    Ok(endpoint(
        api_root,
        format_args!("/v2/room/{room}/share/link"),
    ))
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

    #[test]
    fn endpoints_encode_the_room_or_user_and_refuse_dot_segments() {
        let root = Url::parse("http://h/chat").unwrap();
        assert_eq!(
            notification_url(&root, "Build Status").unwrap().as_str(),
            "http://h/chat/v2/room/Build%20Status/notification"
        );
        assert_eq!(
            user_message_url(&root, "@a/b").unwrap().as_str(),
            "http://h/chat/v2/user/%40a%2Fb/message"
        );
        assert_eq!(
            share_link_url(&root, "...").unwrap().as_str(),
            "http://h/chat/v2/room/.../share/link"
        );
        for room in [".", ".."] {
            assert_eq!(
                notification_url(&root, room),
                Err(ValidationError::UnroutableRoom(room.to_owned()))
            );
        }
    }

    #[test]
    fn dot_segments_are_refused_before_sending() {
        for message in [
            Message::new("x").room(".."),
            Message::new("x").to_user("."),
            Message::new("x").room("..").share_link("https://e.com/"),
        ] {
            let outgoing = Outgoing::try_from(message).unwrap();
            assert!(matches!(
                check(&outgoing),
                Err(ValidationError::UnroutableRoom(_))
            ));
        }
        let fine = Outgoing::try_from(Message::new("x").room("...")).unwrap();
        assert_eq!(check(&fine), Ok(()));
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
