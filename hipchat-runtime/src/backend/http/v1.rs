//! The deprecated HipChat API v1: `POST /v1/rooms/message?format=json&auth_token=<token>`
//! with a form body (spec §7), for old self-hosted servers.
//!
//! v1 wants the token in the query string. It is added to the request only; every URL this
//! crate prints or keeps (errors, logs) shows `auth_token=<redacted>`, and a server answer
//! that echoes the token has it replaced before it reaches an [`Error`].

use std::fmt;

use hipchat_spec::V1_FROM;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::{Tokens, build_client, finish, transport_error, wire};
use crate::error::{ConfigError, ValidationError};
use crate::settings::{ApiVersion, Settings};
use crate::{Backend, Error, Message, RateLimit, Target};

/// What replaces the token in every URL this backend shows.
pub const REDACTED: &str = "<redacted>";

/// Sends room notifications through the deprecated API v1 (`HIPCHAT_API_VERSION=1`).
///
/// The form body holds `room_id` (id or name, not path-encoded), `from` (required: at most
/// 15 letters, digits, `-`, `_` or spaces, checked before sending, [`V1_FROM`]),
/// `message`, `message_format`, `notify` (`0` / `1`) and `color`. v1's rate-limit answer,
/// 403, is [`Error::RateLimited`]. Private messages and share links are v2 only.
///
/// ```
/// use hipchat_runtime::{ApiVersion, BackendKind, Message, Notifier, Settings};
///
/// let settings = Settings::new()
///     .backend(BackendKind::Http)
///     .api_version(ApiVersion::V1)
///     .auth_token("a-v1-token")
///     .room("Ops");
/// let notifier = Notifier::from_settings(settings)?;
/// # let _ = (notifier, Message::new("x"));
/// # Ok::<(), hipchat_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct HttpV1Backend {
    client: reqwest::Client,
    api_root: String,
    tokens: Tokens,
}

impl HttpV1Backend {
    /// Builds the backend from settings: server URL, tokens and timeout.
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        Self::with_client(settings, build_client(settings)?)
    }

    /// Like [`from_settings`](Self::from_settings), with your own `reqwest::Client`.
    pub fn with_client(settings: &Settings, client: reqwest::Client) -> Result<Self, ConfigError> {
        let root = wire::api_root(&settings.parsed_api_url()?);
        let api_root = root.strip_suffix("/v1").unwrap_or(&root).to_owned();
        Ok(Self {
            client,
            api_root,
            tokens: Tokens::from_settings(settings),
        })
    }

    fn endpoint(&self) -> String {
        format!("{}/v1/rooms/message", self.api_root)
    }

    /// The endpoint as shown in errors and logs: the token replaced by [`REDACTED`].
    fn shown_endpoint(&self) -> String {
        format!("{}?format=json&auth_token={REDACTED}", self.endpoint())
    }
}

/// The v1 rules on a message, beyond HipChat's v2 limits: a room notification without a
/// card or `attach_to`, a sender, and that sender within [`V1_FROM`].
fn check(message: &Message) -> Result<(), ValidationError> {
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

impl Backend for HttpV1Backend {
    async fn send(&self, message: &Message) -> Result<(), Error> {
        self.send_with_limits(message).await.map(drop)
    }

    fn validate(&self, message: &Message) -> Result<(), Error> {
        check(message).map_err(Error::from)
    }

    async fn send_with_limits(&self, message: &Message) -> Result<RateLimit, Error> {
        // Also checked here: the backend may be used without a notifier.
        check(message)?;
        let token = self.tokens.for_message(message)?;
        let form = Form {
            room_id: message.room_or_empty(),
            from: message.from.as_deref().unwrap_or_default(),
            message: &message.body,
            message_format: message.format.as_str(),
            notify: if message.notify { "1" } else { "0" },
            color: message.color.as_str(),
        };
        let response = self
            .client
            .post(self.endpoint())
            .query(&[("format", "json"), ("auth_token", token.expose_secret())])
            .form(&form)
            .send()
            .await
            .map_err(|source| transport_error(&self.shown_endpoint(), source))?;
        finish(response, message.target(), ApiVersion::V1)
            .await
            .map_err(|error| redact(error, token))
    }
}

/// Replaces `token` wherever a server answer echoed it (a proxy's error page quoting the
/// URL, say).
fn redact(mut error: Error, token: &SecretString) -> Error {
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

impl fmt::Debug for HttpV1Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpV1Backend")
            .field("api_root", &self.api_root)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
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
    fn debug_and_endpoint_never_show_tokens() {
        let settings = Settings::new().auth_token("s3cr3t-v1");
        let backend = HttpV1Backend::from_settings(&settings).unwrap();
        assert!(!format!("{backend:?}").contains("s3cr3t"));
        assert_eq!(
            backend.shown_endpoint(),
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
