//! The HipChat REST API backend: v2 (`POST /v2/room/{room}/notification`, private
//! messages, share links) or the deprecated v1 (`POST /v1/rooms/message`).
//!
//! A thin adapter: on API v2 it delivers through the REST [`Client`]
//! (one per token, no retries of its own: a queue decides those), which owns URLs,
//! bodies, errors and rate-limit headers. `wire` holds what only the notification
//! backend needs: each version's rules, and v1's form POST.

use std::collections::BTreeMap;
use std::fmt;

use secrecy::SecretString;
use url::Url;

use crate::error::ConfigError;
use crate::limits::RetryPolicy;
use crate::rest::url::api_root;
use crate::rest::{Client, StaticToken, response};
use crate::settings::{ApiVersion, Settings, token_env_var};
use crate::{Backend, Error, Outgoing, RateLimit, ValidationError};

mod wire;

/// Sends notifications to a HipChat server (or a compatible endpoint) over HTTPS, in the
/// API version of the settings ([`Settings::api_version`], `HIPCHAT_API_VERSION`; v2 by
/// default) or of [`api_version`](Self::api_version).
///
/// **v2** requests carry `Authorization: Bearer <token>` (never the `auth_token` query
/// parameter, which ends up in server logs) and a JSON body with `message`,
/// `message_format`, `color`, `notify` (a JSON boolean) and, when set, `from`. A
/// private message ([`Message::to_user`](crate::Message::to_user)) goes to `POST /v2/user/{user}/message` (`message`,
/// `message_format`, `notify`); a shared link ([`Message::share_link`](crate::Message::share_link)) to
/// `POST /v2/room/{room}/share/link` (`message`, `link`).
///
/// **v1** (deprecated, for old self-hosted servers) posts a form to
/// `/v1/rooms/message?format=json&auth_token=<token>`: `room_id`, `from` (required: at
/// most 15 letters, digits, `-`, `_` or spaces, checked before sending,
/// [`V1_FROM`](hipchat_spec::V1_FROM)), `message`, `message_format`, `notify` (`0` / `1`)
/// and `color`. Every URL shown (errors, logs) has the token replaced by `<redacted>`, and
/// so has a server answer that echoes it. v1's rate-limit answer, 403, is
/// [`Error::RateLimited`]. Private messages, share links, cards and `attach_to` are
/// refused ([`ValidationError::Unsupported`]).
///
/// ```
/// use hipchat_runtime::backend::HttpBackend;
/// use hipchat_runtime::{ApiVersion, Settings};
///
/// let settings = Settings::new().auth_token("a-v1-token");
/// let backend = HttpBackend::from_settings(&settings)?.api_version(ApiVersion::V1);
/// // The same, from the settings: `HIPCHAT_API_VERSION=1`.
/// let same = HttpBackend::from_settings(&settings.api_version(ApiVersion::V1))?;
/// assert!(!format!("{backend:?} {same:?}").contains("a-v1-token"));
/// # Ok::<(), hipchat_runtime::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct HttpBackend {
    http: reqwest::Client,
    api_root: Url,
    api_version: ApiVersion,
    tokens: Tokens,
}

/// A token: a REST client calling with it (v2), and for a token of the settings, the
/// secret itself (v1 puts it in the query). A client given in code
/// ([`HttpBackend::from_client`]) has a token source and no secret.
#[derive(Clone)]
struct Caller {
    secret: Option<SecretString>,
    client: Client,
}

/// The default and named tokens.
#[derive(Clone)]
struct Tokens {
    default: Option<Caller>,
    named: BTreeMap<String, Caller>,
}

impl Tokens {
    fn new(
        settings: &Settings,
        http: &reqwest::Client,
        api_root: &Url,
    ) -> Result<Self, ConfigError> {
        let caller = |name: &str, secret: &SecretString| -> Result<Caller, ConfigError> {
            let client = Client::builder(
                api_root.as_str(),
                StaticToken::from_secret(name, secret.clone()),
            )
            .http_client(http.clone())
            .retry(RetryPolicy::never())
            .build()?;
            Ok(Caller {
                secret: Some(secret.clone()),
                client,
            })
        };
        Ok(Self {
            default: settings
                .default_token()
                .map(|secret| caller("default", secret))
                .transpose()?,
            named: settings
                .named_tokens()
                .iter()
                .map(|(name, secret)| Ok((name.clone(), caller(name, secret)?)))
                .collect::<Result<_, ConfigError>>()?,
        })
    }

    /// The token `outgoing` names, or the default one.
    fn for_outgoing(&self, outgoing: &Outgoing) -> Result<&Caller, ConfigError> {
        match outgoing.token() {
            None => self.default.as_ref().ok_or(ConfigError::MissingToken),
            Some(name) => self
                .named
                .get(name)
                .ok_or_else(|| ConfigError::UnknownToken {
                    name: name.to_owned(),
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
    /// Builds the backend from settings: server URL, API version, tokens and timeout.
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        Self::with_client(
            settings,
            crate::rest::client::http_client(settings.get_timeout())?,
        )
    }

    /// Like [`from_settings`](Self::from_settings), with your own `reqwest::Client`: for
    /// custom CA roots of on-premises servers, proxies or connection pools. The client's
    /// own timeout and redirect policy apply (build it with `redirect::Policy::none()` so
    /// that a misconfigured URL is reported, not silently followed).
    pub fn with_client(settings: &Settings, client: reqwest::Client) -> Result<Self, ConfigError> {
        let api_root = api_root(&settings.parsed_api_url()?);
        Ok(Self {
            tokens: Tokens::new(settings, &client, &api_root)?,
            http: client,
            api_root,
            api_version: settings.get_api_version(),
        })
    }

    /// Delivers through `client` (API v2), with its server and token source: how an
    /// add-on installation sends as itself. Notifications naming a token
    /// ([`Message::token`](crate::Message::token)) are refused: the client has one.
    pub fn from_client(client: Client) -> Self {
        Self {
            http: client.http().clone(),
            api_root: client.server().clone(),
            api_version: ApiVersion::V2,
            tokens: Tokens {
                default: Some(Caller {
                    secret: None,
                    client,
                }),
                named: BTreeMap::new(),
            },
        }
    }

    /// Speaks `version` of the REST API instead of the settings' one.
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = version;
        self
    }
}

impl Backend for HttpBackend {
    async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
        self.send_with_limits(outgoing).await.map(drop)
    }

    /// The API version's own rules (v1: a room notification with a valid sender).
    fn validate(&self, outgoing: &Outgoing) -> Result<(), Error> {
        wire::check(self.api_version, outgoing).map_err(Error::from)
    }

    /// Sends, and reports the `X-Ratelimit-*` / `X-FloodControl-*` headers of the
    /// success answer (a [`QueuedBackend`](crate::backend::QueuedBackend) paces by them).
    async fn send_with_limits(&self, outgoing: &Outgoing) -> Result<RateLimit, Error> {
        let caller = self.tokens.for_outgoing(outgoing)?;
        let rate_limit = match self.api_version {
            ApiVersion::V2 => caller.client.deliver(outgoing).send().await?.rate_limit,
            ApiVersion::V1 => {
                let secret = caller.secret.as_ref().ok_or(ValidationError::Unsupported {
                    backend: "HipChat API v1",
                    what: "notifications through a token source (add-on installations)",
                })?;
                self.send_v1(outgoing, secret).await?
            }
        };
        tracing::debug!(target = ?outgoing.target(), "hipchat notification delivered");
        Ok(rate_limit)
    }
}

impl HttpBackend {
    /// API v1's form POST, its URL shown with the token redacted.
    async fn send_v1(&self, outgoing: &Outgoing, token: &SecretString) -> Result<RateLimit, Error> {
        let request = wire::v1_request(&self.http, &self.api_root, outgoing, token)?;
        let answer = request.send().await.map_err(|source| {
            let endpoint = match source.url() {
                Some(url) => wire::shown_v1_endpoint(url),
                None => self.api_root.to_string(),
            };
            response::transport_error(source, endpoint)
        })?;
        let status = answer.status();
        if status.is_success() {
            return Ok(response::rate_limit(answer.headers()));
        }
        let rate_limited = wire::is_rate_limit(ApiVersion::V1, status);
        Err(response::error_from(answer, outgoing.target().into(), rate_limited, token).await)
    }
}

impl fmt::Debug for HttpBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpBackend")
            .field("api_root", &self.api_root.as_str())
            .field("api_version", &self.api_version)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;
    use crate::Message;

    fn checked(message: Message) -> Outgoing {
        Outgoing::try_from(message).unwrap()
    }

    #[test]
    fn debug_lists_token_names_not_tokens() {
        let settings = Settings::new()
            .auth_token("s3cr3t-a")
            .token("deploys", "s3cr3t-b");
        for version in [ApiVersion::V1, ApiVersion::V2] {
            let backend = HttpBackend::from_settings(&settings)
                .unwrap()
                .api_version(version);
            let debug = format!("{backend:?}");
            assert!(
                debug.contains("deploys") && !debug.contains("s3cr3t"),
                "{debug}"
            );
        }
    }

    #[test]
    fn the_version_comes_from_settings_or_the_setter() {
        let settings = Settings::new().auth_token("t").api_version(ApiVersion::V1);
        let backend = HttpBackend::from_settings(&settings).unwrap();
        assert_eq!(backend.api_version, ApiVersion::V1);
        let message = checked(Message::new("x").room("Ops"));
        assert!(matches!(
            backend.validate(&message),
            Err(Error::Validation(crate::ValidationError::MissingFrom))
        ));
        let backend = backend.api_version(ApiVersion::V2);
        assert!(backend.validate(&message).is_ok());
    }

    #[test]
    fn resolves_named_and_default_tokens() {
        let settings = Settings::new().token("deploys", "b");
        let backend = HttpBackend::from_settings(&settings).unwrap();
        let error = backend
            .tokens
            .for_outgoing(&checked(Message::new("x").room("Ops")))
            .err()
            .unwrap();
        assert!(matches!(error, ConfigError::MissingToken));
        let error = backend
            .tokens
            .for_outgoing(&checked(Message::new("x").room("Ops").token("ops")))
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            "no token named \"ops\": set HIPCHAT_TOKEN_OPS or add it with Settings::token"
        );
        let caller = backend
            .tokens
            .for_outgoing(&checked(Message::new("x").room("Ops").token("deploys")))
            .unwrap();
        assert_eq!(caller.secret.as_ref().unwrap().expose_secret(), "b");
    }
}
