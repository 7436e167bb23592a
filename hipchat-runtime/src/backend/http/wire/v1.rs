//! The deprecated API v1: `POST /v1/rooms/message?format=json&auth_token=<token>` with a
//! form body (spec §7), for old self-hosted servers.
//!
//! The form holds `room_id` (id or name, not path-encoded), `from` (required, within
//! [`V1_FROM`]), `message`, `message_format`, `notify` (`0` / `1`) and `color`. Private
//! messages, share links, cards and `attach_to` are v2 only.
//!
//! v1 wants the token in the query string. It is added to the request only; every URL this
//! crate prints or keeps (errors, logs) shows `auth_token=<redacted>`, and a server answer
//! that echoes the token has it replaced before it reaches an [`Error`].

use hipchat_spec::V1_FROM;
use reqwest::RequestBuilder;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use url::Url;

use super::REDACTED;
use crate::error::ValidationError;
use crate::rest::url::endpoint;
use crate::{Outgoing, RoomNotification};

/// The v1 rules, beyond HipChat's v2 limits: a room notification without a card or
/// `attach_to`, with a sender within [`V1_FROM`]. Returns the notification to send.
pub(super) fn check(outgoing: &Outgoing) -> Result<&RoomNotification, ValidationError> {
    let notification = match outgoing {
        Outgoing::Room(notification) => notification,
        Outgoing::User(_) => return Err(unsupported("private messages")),
        Outgoing::Link(_) => return Err(unsupported("share links")),
    };
    if notification.card().is_some() {
        return Err(unsupported("cards"));
    }
    if notification.attach_to().is_some() {
        return Err(unsupported("attach_to"));
    }
    let from = notification.from().ok_or(ValidationError::MissingFrom)?;
    V1_FROM.check(from)?;
    Ok(notification)
}

/// v1's answer to a spent rate limit (spec §7): 403, which v2 uses for missing scopes.
pub(super) const RATE_LIMITED: reqwest::StatusCode = reqwest::StatusCode::FORBIDDEN;

fn unsupported(what: &'static str) -> ValidationError {
    ValidationError::Unsupported {
        backend: "HipChat API v1",
        what,
    }
}

/// The v1 form body.
#[derive(Serialize)]
struct Form<'a> {
    room_id: &'a str,
    from: &'a str,
    message: &'a str,
    message_format: &'static str,
    notify: &'static str,
    color: &'static str,
}

/// The request for `message`, checked first: the backend may be used without a notifier.
pub(super) fn request(
    client: &reqwest::Client,
    api_root: &Url,
    outgoing: &Outgoing,
    token: &SecretString,
) -> Result<RequestBuilder, ValidationError> {
    let notification = check(outgoing)?;
    let form = Form {
        room_id: notification.room(),
        from: notification.from().unwrap_or_default(),
        message: notification.body(),
        message_format: notification.format().as_str(),
        notify: if notification.notify() { "1" } else { "0" },
        color: notification.color().as_str(),
    };
    Ok(client
        .post(endpoint(api_root, format_args!("/v1/rooms/message")))
        .query(&[("format", "json"), ("auth_token", token.expose_secret())])
        .form(&form))
}

/// The endpoint as shown in errors and logs: the token replaced by [`REDACTED`].
pub(super) fn shown_endpoint(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    format!("{url}?format=json&auth_token={REDACTED}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    #[test]
    fn shown_endpoint_never_shows_the_token() {
        let token = SecretString::from("s3cr3t-v1");
        let root = Url::parse("https://api.hipchat.com").unwrap();
        let outgoing = Outgoing::try_from(Message::new("x").room("Ops").from("ci")).unwrap();
        let request = request(&reqwest::Client::new(), &root, &outgoing, &token)
            .unwrap()
            .build()
            .unwrap();
        assert!(request.url().as_str().contains("auth_token=s3cr3t-v1"));
        assert_eq!(
            shown_endpoint(request.url()),
            "https://api.hipchat.com/v1/rooms/message?format=json&auth_token=<redacted>"
        );
    }

    #[test]
    fn checks_target_and_sender() {
        let check = |message: Message| check(&Outgoing::try_from(message).unwrap()).map(drop);
        let room = Message::new("x").room("Ops");
        assert_eq!(check(room.clone()), Err(ValidationError::MissingFrom));
        assert_eq!(check(room.clone().from("deploy bot_1-a")), Ok(()));
        assert!(matches!(
            check(room.clone().from("deploy.bot")),
            Err(ValidationError::Charset(_))
        ));
        for refused in [
            Message::new("x").to_user("@a"),
            room.clone().from("ci").share_link("https://e.com/"),
            room.clone().from("ci").attach_to("m"),
            room.from("ci").card(crate::Card::link("l", "L")),
        ] {
            assert!(matches!(
                check(refused),
                Err(ValidationError::Unsupported { .. })
            ));
        }
    }
}
