//! The request HipChat v2 expects: the endpoint URL and the JSON body.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use url::Url;

use crate::Message;
use crate::card::Card;
use crate::error::ValidationError;

/// Bytes left bare in a room path segment: `A–Z a–z 0–9 - . _ ~` (RFC 3986 unreserved).
/// Everything else, space, `/`, `+`, `#`, `%`, `?` and non-ASCII included, is encoded.
const ROOM_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a room id or name as one URL path segment.
///
/// HipChat decodes `+` as a plus, not a space, so names are never form-encoded.
///
/// ```
/// use hipchat_runtime::backend::http::encode_room;
/// assert_eq!(encode_room("Build Status"), "Build%20Status");
/// assert_eq!(encode_room("Ops+Alerts/EU"), "Ops%2BAlerts%2FEU");
/// assert_eq!(encode_room("12345"), "12345");
/// ```
pub fn encode_room(room: &str) -> String {
    utf8_percent_encode(room, ROOM_SEGMENT).to_string()
}

/// The server root without a trailing `/` or `/v2`, path prefix kept:
/// `https://host/hipchat/v2/` → `https://host/hipchat`.
pub(crate) fn api_root(url: &Url) -> String {
    let text = url.as_str().trim_end_matches('/');
    text.strip_suffix("/v2").unwrap_or(text).to_owned()
}

/// The endpoint for `room`. `.` and `..` are refused: URL parsers drop such segments even
/// when percent-encoded, which would send the request to another endpoint.
pub(crate) fn notification_url(api_root: &str, room: &str) -> Result<String, ValidationError> {
    if matches!(room, "." | "..") {
        return Err(ValidationError::UnroutableRoom(room.to_owned()));
    }
    Ok(format!(
        "{api_root}/v2/room/{}/notification",
        encode_room(room)
    ))
}

/// The endpoint of private_message_user for `user` (an id, email or `@mention` name), as
/// one percent-encoded path segment.
pub(crate) fn user_message_url(api_root: &str, user: &str) -> Result<String, ValidationError> {
    if matches!(user, "." | "..") {
        return Err(ValidationError::UnroutableRoom(user.to_owned()));
    }
    Ok(format!("{api_root}/v2/user/{}/message", encode_room(user)))
}

/// The endpoint of share_link_with_room for `room`.
pub(crate) fn share_link_url(api_root: &str, room: &str) -> Result<String, ValidationError> {
    if matches!(room, "." | "..") {
        return Err(ValidationError::UnroutableRoom(room.to_owned()));
    }
    Ok(format!(
        "{api_root}/v2/room/{}/share/link",
        encode_room(room)
    ))
}

/// The JSON body of private_message_user: `message`, `message_format`, `notify`.
#[derive(Serialize)]
pub(crate) struct PrivateMessageBody<'a> {
    message: &'a str,
    message_format: &'static str,
    notify: bool,
}

impl<'a> PrivateMessageBody<'a> {
    pub(crate) fn new(message: &'a Message) -> Self {
        Self {
            message: &message.body,
            message_format: message.format.as_str(),
            notify: message.notify,
        }
    }
}

/// The JSON body of share_link_with_room: `link`, and `message` when not empty.
#[derive(Serialize)]
pub(crate) struct ShareLinkBody<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    message: &'a str,
    link: &'a str,
}

impl<'a> ShareLinkBody<'a> {
    pub(crate) fn new(message: &'a Message, link: &'a str) -> Self {
        Self {
            message: &message.body,
            link,
        }
    }
}

/// The JSON body of send_room_notification. `message`, `message_format`, `color` and
/// `notify` are always sent; `from`, `attach_to` and `card` only when set.
#[derive(Serialize)]
pub(crate) struct NotificationBody<'a> {
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
    pub(crate) fn new(message: &'a Message) -> Self {
        Self {
            message: &message.body,
            message_format: message.format.as_str(),
            color: message.color.as_str(),
            notify: message.notify,
            from: message.from.as_deref(),
            attach_to: message.attach_to.as_deref(),
            card: message.card.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Color, Format};

    #[test]
    fn encodes_every_reserved_character_in_room_names() {
        let cases = [
            ("Ops", "Ops"),
            ("Build Status", "Build%20Status"),
            ("a/b", "a%2Fb"),
            ("a+b", "a%2Bb"),
            ("#ops", "%23ops"),
            ("100%", "100%25"),
            ("what?", "what%3F"),
            ("ops,eu", "ops%2Ceu"),
            ("Équipe", "%C3%89quipe"),
            ("a-b.c_d~e", "a-b.c_d~e"),
        ];
        for (room, encoded) in cases {
            assert_eq!(encode_room(room), encoded, "{room}");
        }
    }

    #[test]
    fn api_root_tolerates_trailing_slash_and_v2() {
        for (given, root) in [
            ("https://api.hipchat.com", "https://api.hipchat.com"),
            ("https://api.hipchat.com/", "https://api.hipchat.com"),
            ("https://api.hipchat.com/v2", "https://api.hipchat.com"),
            ("https://api.hipchat.com/v2/", "https://api.hipchat.com"),
            ("http://127.0.0.1:8080/chat/", "http://127.0.0.1:8080/chat"),
        ] {
            assert_eq!(api_root(&Url::parse(given).unwrap()), root, "{given}");
        }
    }

    #[test]
    fn refuses_dot_segment_rooms() {
        for room in [".", ".."] {
            assert_eq!(
                notification_url("http://h", room),
                Err(ValidationError::UnroutableRoom(room.to_owned()))
            );
        }
        assert_eq!(
            notification_url("http://h", "...").unwrap(),
            "http://h/v2/room/.../notification"
        );
    }

    #[test]
    fn body_has_hipchat_types() {
        let message = Message::new("hi")
            .color(Color::Green)
            .format(Format::Text)
            .notify(true);
        let json = serde_json::to_value(NotificationBody::new(&message)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"message": "hi", "message_format": "text", "color": "green", "notify": true})
        );
        let json =
            serde_json::to_value(NotificationBody::new(&message.clone().from("ci"))).unwrap();
        assert_eq!(json["from"], "ci");
        let card = Card::link("l", "Link");
        let json = serde_json::to_value(NotificationBody::new(
            &message.attach_to("m-1").card(card.clone()),
        ))
        .unwrap();
        assert_eq!(json["attach_to"], "m-1");
        assert_eq!(json["card"], serde_json::to_value(&card).unwrap());
        assert_eq!(json["message"], "hi");
    }
}
