//! The HipChat v2 REST API backend: `POST /v2/room/{room}/notification`.
//!
//! `wire` builds the request (URL and JSON body); `response` turns HipChat's answers into
//! [`Error`] variants. Nothing outside this module knows the wire format.

use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::error::ConfigError;
use crate::settings::{Settings, token_env_var};
use crate::{Backend, Error, Message, RateLimit};

mod response;
mod wire;

pub use wire::encode_room;

/// Sends notifications to a HipChat server (or a compatible endpoint) over HTTPS.
///
/// Every request carries `Authorization: Bearer <token>` (never the `auth_token` query
/// parameter, which ends up in server logs) and a JSON body with `message`,
/// `message_format`, `color`, `notify` (a JSON boolean) and, when set, `from`.
#[derive(Clone)]
pub struct HttpBackend {
    client: reqwest::Client,
    api_root: String,
    default_token: Option<SecretString>,
    tokens: BTreeMap<String, SecretString>,
}

impl HttpBackend {
    /// Builds the backend from settings: server URL, tokens and timeout.
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout_or_default())
            // A redirected POST becomes a GET without a body: report the 3xx instead.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hipchat-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConfigError::HttpClient(Box::new(e)))?;
        Ok(Self::with_client(settings, client))
    }

    /// Like [`from_settings`](Self::from_settings), with your own `reqwest::Client`: for
    /// custom CA roots of on-premises servers, proxies or connection pools. The client's
    /// own timeout and redirect policy apply (build it with `redirect::Policy::none()` so
    /// that a misconfigured URL is reported, not silently followed).
    pub fn with_client(settings: &Settings, client: reqwest::Client) -> Self {
        Self {
            client,
            api_root: wire::api_root(&settings.api_url_or_default()),
            default_token: settings.default_token().cloned(),
            tokens: settings.named_tokens().clone(),
        }
    }

    fn token_for(&self, message: &Message) -> Result<&SecretString, ConfigError> {
        match &message.token {
            None => self.default_token.as_ref().ok_or(ConfigError::MissingToken),
            Some(name) => self
                .tokens
                .get(name)
                .ok_or_else(|| ConfigError::UnknownToken {
                    name: name.clone(),
                    env_var: token_env_var(name),
                }),
        }
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
        let room = message.room_or_empty();
        let endpoint = wire::notification_url(&self.api_root, room)?;
        let response = self
            .client
            .post(&endpoint)
            .bearer_auth(token.expose_secret())
            .json(&wire::NotificationBody::new(message))
            .send()
            .await
            .map_err(|source| transport_error(&endpoint, source))?;
        let status = response.status();
        if status.is_success() {
            tracing::debug!(
                room,
                status = status.as_u16(),
                "hipchat notification delivered"
            );
            return Ok(response::rate_limit(response.headers()));
        }
        let headers = response.headers().clone();
        let body = response::read_error_body(response).await;
        Err(response::error_for_status(status, &headers, body, room))
    }
}

fn transport_error(endpoint: &str, source: reqwest::Error) -> Error {
    let reason = if source.is_timeout() {
        "timed out"
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
            .field("has_default_token", &self.default_token.is_some())
            .field("named_tokens", &self.tokens.keys().collect::<Vec<_>>())
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
