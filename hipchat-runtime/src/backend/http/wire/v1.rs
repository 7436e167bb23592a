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

use super::endpoint;
use crate::error::ValidationError;
use crate::{Error, Message, Target};

/// What replaces the token in every URL shown.
const REDACTED: &str = "<redacted>";

/// The v1 rules on a message, beyond HipChat's v2 limits: a room notification without a
/// card or `attach_to`, a sender, and that sender within [`V1_FROM`].
pub(super) fn check(message: &Message) -> Result<(), ValidationError> {
    match message.target() {
        Target::Room(_) => {}
        Target::User(_) => return Err(unsupported("private messages")),
        Target::ShareLink { .. } => return Err(unsupported("share links")),
    }
    if message.card.is_some() {
        return Err(unsupported("cards"));
    }
    if message.attach_to.is_some() {
        return Err(unsupported("attach_to"));
    }
    let from = message
        .from
        .as_deref()
        .ok_or(ValidationError::MissingFrom)?;
    V1_FROM.check(from)?;
    Ok(())
}

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
    message: &Message,
    token: &SecretString,
) -> Result<RequestBuilder, ValidationError> {
    check(message)?;
    let form = Form {
        room_id: message.room_or_empty(),
        from: message.from.as_deref().unwrap_or_default(),
        message: &message.body,
        message_format: message.format.as_str(),
        notify: if message.notify { "1" } else { "0" },
        color: message.color.as_str(),
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

/// Replaces the token wherever a server answer echoed it (a proxy's error page quoting
/// the URL, say).
pub(super) fn redact(mut error: Error, token: &SecretString) -> Error {
    let secret = token.expose_secret();
    if secret.is_empty() {
        return error;
    }
    let Some(api) = error.api_mut() else {
        return error;
    };
    api.body = api.body.replace(secret, REDACTED);
    api.message = api.message.replace(secret, REDACTED);
    if let Some(value) = &api.value {
        let text = value.to_string();
        if text.contains(secret) {
            api.value = Some(serde_json::Value::String(text.replace(secret, REDACTED)));
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    #[test]
    fn redacts_echoed_tokens_from_answers() {
        let token = SecretString::from("s3cr3t-v1");
        let error = Error::Server(Box::new(ApiError {
            status: 502,
            message: "bad gateway for /v1/rooms/message?auth_token=s3cr3t-v1".into(),
            body: "<p>/v1/rooms/message?auth_token=s3cr3t-v1</p>".into(),
            ..ApiError::default()
        }));
        let error = redact(error, &token);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("auth_token=<redacted>"), "{shown}");
    }

    #[test]
    fn shown_endpoint_never_shows_the_token() {
        let token = SecretString::from("s3cr3t-v1");
        let root = Url::parse("https://api.hipchat.com").unwrap();
        let message = Message::new("x").room("Ops").from("ci");
        let request = request(&reqwest::Client::new(), &root, &message, &token)
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
        let room = Message::new("x").room("Ops");
        assert_eq!(check(&room), Err(ValidationError::MissingFrom));
        assert_eq!(check(&room.clone().from("deploy bot_1-a")), Ok(()));
        assert!(matches!(
            check(&room.clone().from("deploy.bot")),
            Err(ValidationError::Charset(_))
        ));
        assert!(matches!(
            check(&Message::new("x").to_user("@a").from("ci")),
            Err(ValidationError::Unsupported { .. })
        ));
    }
}
