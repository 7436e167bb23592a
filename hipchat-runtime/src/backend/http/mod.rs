//! The HipChat REST API backends: v2 ([`HttpBackend`]: `POST /v2/room/{room}/notification`,
//! private messages, share links) and the deprecated v1 ([`HttpV1Backend`]:
//! `POST /v1/rooms/message`).
//!
//! `wire` builds v2 requests (URL and JSON body), `v1` the v1 form; `response` turns
//! HipChat's answers into [`Error`] variants for both. The HTTP client set-up, the token
//! lookup and the transport errors are shared here. Nothing outside this module knows the
//! wire format.

use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::error::ConfigError;
use crate::settings::ApiVersion;
use crate::settings::{Settings, token_env_var};
use crate::{Backend, Error, Message, RateLimit, Target};

mod response;
mod v1;
mod wire;

pub use v1::HttpV1Backend;
pub use wire::encode_room;

/// Sends notifications to a HipChat server (or a compatible endpoint) over HTTPS.
///
/// Every request carries `Authorization: Bearer <token>` (never the `auth_token` query
/// parameter, which ends up in server logs) and a JSON body with `message`,
/// `message_format`, `color`, `notify` (a JSON boolean) and, when set, `from`.
///
/// A [`Message::to_user`] goes to `POST /v2/user/{user}/message` (`message`,
/// `message_format`, `notify`); a [`Message::share_link`] to
/// `POST /v2/room/{room}/share/link` (`message`, `link`).
#[derive(Clone)]
pub struct HttpBackend {
    client: reqwest::Client,
    api_root: String,
    tokens: Tokens,
}

/// The client every http backend uses: the settings' timeout, no redirects.
pub(crate) fn build_client(settings: &Settings) -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .timeout(settings.get_timeout())
        // A redirected POST becomes a GET without a body: report the 3xx instead.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("hipchat-rs/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigError::HttpClient(Box::new(e)))
}

/// The default and named tokens, as secrets.
#[derive(Clone)]
pub(crate) struct Tokens {
    default: Option<SecretString>,
    named: BTreeMap<String, SecretString>,
}

impl Tokens {
    fn from_settings(settings: &Settings) -> Self {
        Self {
            default: settings.default_token().cloned(),
            named: settings.named_tokens().clone(),
        }
    }

    /// The token `message` names, or the default one.
    fn for_message(&self, message: &Message) -> Result<&SecretString, ConfigError> {
        match &message.token {
            None => self.default.as_ref().ok_or(ConfigError::MissingToken),
            Some(name) => self
                .named
                .get(name)
                .ok_or_else(|| ConfigError::UnknownToken {
                    name: name.clone(),
                    env_var: token_env_var(name),
                }),
        }
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("has_default_token", &self.default.is_some())
            .field("named_tokens", &self.named.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl HttpBackend {
    /// Builds the backend from settings: server URL, tokens and timeout.
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        Self::with_client(settings, build_client(settings)?)
    }

    /// Like [`from_settings`](Self::from_settings), with your own `reqwest::Client`: for
    /// custom CA roots of on-premises servers, proxies or connection pools. The client's
    /// own timeout and redirect policy apply (build it with `redirect::Policy::none()` so
    /// that a misconfigured URL is reported, not silently followed).
    pub fn with_client(settings: &Settings, client: reqwest::Client) -> Result<Self, ConfigError> {
        Ok(Self {
            client,
            api_root: wire::api_root(&settings.parsed_api_url()?),
            tokens: Tokens::from_settings(settings),
        })
    }

    fn token_for(&self, message: &Message) -> Result<&SecretString, ConfigError> {
        self.tokens.for_message(message)
    }
}

impl Backend for HttpBackend {
    async fn send(&self, message: &Message) -> Result<(), Error> {
        self.send_with_limits(message).await.map(drop)
    }

    /// Sends, and reports the `X-Ratelimit-*` / `X-FloodControl-*` headers of the
    /// success answer (a [`QueuedBackend`](crate::backend::QueuedBackend) paces by them).
    async fn send_with_limits(&self, message: &Message) -> Result<RateLimit, Error> {
        let token = self.token_for(message)?;
        let target = message.target();
        let (endpoint, request) = match target {
            Target::User(user) => {
                let endpoint = wire::user_message_url(&self.api_root, user)?;
                let body = wire::PrivateMessageBody::new(message);
                let request = self.client.post(&endpoint).json(&body);
                (endpoint, request)
            }
            Target::ShareLink { room, link } => {
                let endpoint = wire::share_link_url(&self.api_root, room)?;
                let body = wire::ShareLinkBody::new(message, link);
                let request = self.client.post(&endpoint).json(&body);
                (endpoint, request)
            }
            _ => {
                let endpoint = wire::notification_url(&self.api_root, message.room_or_empty())?;
                let body = wire::NotificationBody::new(message);
                let request = self.client.post(&endpoint).json(&body);
                (endpoint, request)
            }
        };
        let response = request
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .map_err(|source| transport_error(&endpoint, source))?;
        finish(response, target, ApiVersion::V2).await
    }
}

/// Turns an answer into the rate-limit headers of a success or the error it means.
pub(crate) async fn finish(
    response: reqwest::Response,
    target: Target<'_>,
    api: ApiVersion,
) -> Result<RateLimit, Error> {
    let status = response.status();
    if status.is_success() {
        tracing::debug!(
            target = ?target,
            status = status.as_u16(),
            "hipchat notification delivered"
        );
        return Ok(response::rate_limit(response.headers()));
    }
    let headers = response.headers().clone();
    let body = response::read_error_body(response).await;
    Err(response::error_for_status(
        status, &headers, body, target, api,
    ))
}

/// A transport failure, reported with `endpoint` (which never holds a token) and the
/// underlying error stripped of its URL.
pub(crate) fn transport_error(endpoint: &str, source: reqwest::Error) -> Error {
    let reason = if source.is_timeout() {
        crate::error::TIMED_OUT
    } else if source.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    Error::Transport {
        endpoint: endpoint.to_owned(),
        reason,
        source: Box::new(source.without_url()),
    }
}

impl fmt::Debug for HttpBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpBackend")
            .field("api_root", &self.api_root)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_lists_token_names_not_tokens() {
        let settings = Settings::new()
            .auth_token("s3cr3t-a")
            .token("deploys", "s3cr3t-b");
        let backend = HttpBackend::from_settings(&settings).unwrap();
        let debug = format!("{backend:?}");
        assert!(
            debug.contains("deploys") && !debug.contains("s3cr3t"),
            "{debug}"
        );
    }

    #[test]
    fn resolves_named_and_default_tokens() {
        let settings = Settings::new().token("deploys", "b");
        let backend = HttpBackend::from_settings(&settings).unwrap();
        let error = backend.token_for(&Message::new("x")).unwrap_err();
        assert!(matches!(error, ConfigError::MissingToken));
        let error = backend
            .token_for(&Message::new("x").token("ops"))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "no token named \"ops\": set HIPCHAT_TOKEN_OPS or add it with Settings::token"
        );
        let token = backend
            .token_for(&Message::new("x").token("deploys"))
            .unwrap();
        assert_eq!(token.expose_secret(), "b");
    }
}
