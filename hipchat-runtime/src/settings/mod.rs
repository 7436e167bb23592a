//! Settings: one place for the token(s), default room and sender, server URL and backend.
//!
//! Three ways in, one type out: [`Settings::from_env`] (the environment, in `env.rs`),
//! chained setters (a builder), and serde `Deserialize` for apps that load config files.
//! They are checked when a [`Notifier`](crate::Notifier) is built from them. Setters take
//! the setting's name (`room`), getters add `get_` (`get_room`), as `std::process::Command`
//! does.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use hipchat_spec::{FROM, ROOM, check_token_name};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::backend::queued::{FullPolicy, InvalidRate, QueueConfig, Rate};
use crate::error::ConfigError;

mod env;
mod parse;

use parse::{deserialize_duration, invalid};

/// The server root HipChat's cloud used; self-hosted servers are configured with `api_url`.
pub const DEFAULT_API_URL: &str = "https://api.hipchat.com";

/// How long the http backend waits for one request, unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The prefix of named-token variables: `HIPCHAT_TOKEN_DEPLOYS` holds the token `deploys`.
pub const TOKEN_ENV_PREFIX: &str = "HIPCHAT_TOKEN_";

/// Which HipChat REST API the http backends speak.
///
/// `HIPCHAT_API_VERSION=1` (or `"api_version": 1` in a config file) selects the
/// deprecated v1 API of old self-hosted servers: `POST /v1/rooms/message`, room
/// notifications only, a required sender of at most 15 letters, digits, `-`, `_` or spaces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiVersion {
    /// API v1 (deprecated): `POST /v1/rooms/message` with a form body.
    V1,
    /// API v2 (the default): `POST /v2/room/{room}/notification` with JSON.
    #[default]
    V2,
}

impl FromStr for ApiVersion {
    type Err = ConfigError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "1" | "v1" => Ok(ApiVersion::V1),
            "2" | "v2" => Ok(ApiVersion::V2),
            _ => Err(invalid("HIPCHAT_API_VERSION", value, "1 or 2")),
        }
    }
}

impl<'de> Deserialize<'de> for ApiVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        let text = match Raw::deserialize(deserializer)? {
            Raw::Number(n) => n.to_string(),
            Raw::Text(text) => text,
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Which built-in backend delivers notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// POST to the HipChat v2 REST API.
    Http,
    /// Print a readable block per message to standard output.
    Console,
    /// Accept and drop every message.
    Disabled,
    /// Keep messages in the notifier's [`Outbox`](crate::backend::Outbox).
    Memory,
    /// The http backend behind a [`QueuedBackend`](crate::backend::QueuedBackend):
    /// `.notify()` returns once queued; paced, retried, in order per room.
    Queued,
}

impl BackendKind {
    const NAMES: &'static [&'static str] = &["http", "console", "disabled", "memory", "queued"];

    /// The backend used when none is configured: console in debug builds, so development
    /// shows what would be sent without sending it; http in release builds.
    pub const fn default_for_build() -> Self {
        if cfg!(debug_assertions) {
            BackendKind::Console
        } else {
            BackendKind::Http
        }
    }

    /// The name used in `HIPCHAT_BACKEND`.
    pub const fn as_str(self) -> &'static str {
        match self {
            BackendKind::Http => "http",
            BackendKind::Console => "console",
            BackendKind::Disabled => "disabled",
            BackendKind::Memory => "memory",
            BackendKind::Queued => "queued",
        }
    }
}

impl FromStr for BackendKind {
    type Err = ConfigError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "http" => Ok(BackendKind::Http),
            "console" => Ok(BackendKind::Console),
            "disabled" => Ok(BackendKind::Disabled),
            "memory" => Ok(BackendKind::Memory),
            "queued" => Ok(BackendKind::Queued),
            _ => Err(invalid("HIPCHAT_BACKEND", value, Self::NAMES.join(", "))),
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a [`Notifier`](crate::Notifier) needs to know.
///
/// ```
/// use hipchat_runtime::{BackendKind, Settings};
///
/// let settings = Settings::new()
///     .backend(BackendKind::Memory)
///     .room("Ops")
///     .from("billing")
///     .token("deploys", "a-secret-token");
/// assert_eq!(settings.get_backend(), BackendKind::Memory);
/// assert!(!format!("{settings:?}").contains("a-secret-token"));
/// ```
///
/// From a config file, with the same names in lowercase:
///
/// ```
/// # use hipchat_runtime::Settings;
/// let settings: Settings = serde_json::from_str(r#"{
///     "backend": "http",
///     "api_url": "https://hipchat.example.com",
///     "auth_token": "a-secret-token",
///     "tokens": {"deploys": "another-secret"},
///     "room": "Ops",
///     "timeout": "5s"
/// }"#).unwrap();
/// assert_eq!(settings.get_room(), Some("Ops"));
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    backend: Option<BackendKind>,
    auth_token: Option<SecretString>,
    tokens: BTreeMap<String, SecretString>,
    room: Option<String>,
    from: Option<String>,
    fail_silently: bool,
    api_url: Option<String>,
    #[serde(deserialize_with = "deserialize_duration")]
    timeout: Option<Duration>,
    queue_capacity: Option<usize>,
    queue_full: Option<FullPolicy>,
    queue_outbox: Option<PathBuf>,
    rate_limit_token: Option<Rate>,
    rate_limit_room: Option<Rate>,
    api_version: Option<ApiVersion>,
}

impl Settings {
    /// Empty settings: default backend for the build, no token, no default room.
    pub fn new() -> Self {
        Self::default()
    }

    /// Chooses the backend.
    pub fn backend(mut self, kind: BackendKind) -> Self {
        self.backend = Some(kind);
        self
    }

    /// Sets the default token.
    pub fn auth_token(mut self, token: impl Into<String>) -> Self {
        self.auth_token = Some(token.into().into());
        self
    }

    /// Adds a named token, used by notifications declared with `token = "name"`.
    pub fn token(mut self, name: impl Into<String>, token: impl Into<String>) -> Self {
        self.tokens.insert(name.into(), token.into().into());
        self
    }

    /// Sets the default room id or name.
    pub fn room(mut self, room: impl Into<String>) -> Self {
        self.room = Some(room.into());
        self
    }

    /// Sets the default sender label.
    pub fn from(mut self, from: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self
    }

    /// When set, delivery errors are logged through `tracing` and `.notify()` returns `Ok`.
    pub fn fail_silently(mut self, fail_silently: bool) -> Self {
        self.fail_silently = fail_silently;
        self
    }

    /// Sets the server root (`https://hipchat.example.com`; a trailing `/` or `/v2` is fine).
    /// Checked when a notifier is built ([`validate`](Self::validate)).
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = Some(url.into());
        self
    }

    /// Sets the per-request timeout of the http backend.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many notifications the `queued` backend lets wait.
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.queue_capacity = Some(capacity);
        self
    }

    /// What the `queued` backend does when its queue is full.
    pub fn queue_full(mut self, policy: FullPolicy) -> Self {
        self.queue_full = Some(policy);
        self
    }

    /// The `queued` backend's durable outbox file (needs the `durable` feature).
    pub fn queue_outbox(mut self, path: impl Into<PathBuf>) -> Self {
        self.queue_outbox = Some(path.into());
        self
    }

    /// The `queued` backend's pace per token (HipChat: 100 or 500 per 5 minutes).
    pub fn rate_limit_token(mut self, rate: Rate) -> Self {
        self.rate_limit_token = Some(rate);
        self
    }

    /// The `queued` backend's pace per room (HipChat: 30 per minute).
    pub fn rate_limit_room(mut self, rate: Rate) -> Self {
        self.rate_limit_room = Some(rate);
        self
    }

    /// Which HipChat API the http backends speak (default v2).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = Some(version);
        self
    }

    /// The API version the http backends will speak: the configured one, or v2.
    pub fn get_api_version(&self) -> ApiVersion {
        self.api_version.unwrap_or_default()
    }

    /// The queued backend's part of the settings. An outbox asked for in a build without
    /// the `durable` feature is an error naming the variable.
    pub(crate) fn queue_config(&self) -> Result<QueueConfig, ConfigError> {
        #[cfg(not(feature = "durable"))]
        if let Some(path) = &self.queue_outbox {
            return Err(invalid(
                "HIPCHAT_QUEUE_OUTBOX",
                &path.display().to_string(),
                "no value: this build lacks the `durable` feature of hipchat-runtime",
            ));
        }
        Ok(QueueConfig {
            capacity: self.queue_capacity,
            full: self.queue_full,
            token_rate: self.rate_limit_token,
            room_rate: self.rate_limit_room,
            #[cfg(feature = "durable")]
            outbox: self.queue_outbox.clone(),
        })
    }

    /// The backend that will be built: the configured one or [`BackendKind::default_for_build`].
    pub fn get_backend(&self) -> BackendKind {
        self.backend.unwrap_or(BackendKind::default_for_build())
    }

    /// The default room, if any.
    pub fn get_room(&self) -> Option<&str> {
        self.room.as_deref()
    }

    /// The default sender label, if any.
    pub fn get_from(&self) -> Option<&str> {
        self.from.as_deref()
    }

    /// Whether delivery errors are logged instead of returned.
    pub fn get_fail_silently(&self) -> bool {
        self.fail_silently
    }

    /// The server root as configured, or [`DEFAULT_API_URL`].
    pub fn get_api_url(&self) -> &str {
        self.api_url.as_deref().unwrap_or(DEFAULT_API_URL)
    }

    /// The server root, parsed and checked ([`validate`](Self::validate) reports the same).
    pub(crate) fn parsed_api_url(&self) -> Result<Url, ConfigError> {
        parse_api_url(self.get_api_url())
    }

    /// The http backend's per-request timeout: the configured one, or [`DEFAULT_TIMEOUT`].
    pub fn get_timeout(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }

    pub(crate) fn default_token(&self) -> Option<&SecretString> {
        self.auth_token.as_ref()
    }

    pub(crate) fn named_tokens(&self) -> &BTreeMap<String, SecretString> {
        &self.tokens
    }

    /// Checks what can be checked before anything is sent: default room and sender within
    /// HipChat's limits, token names well formed.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(room) = &self.room {
            ROOM.check(room).map_err(|violation| ConfigError::Limit {
                setting: "HIPCHAT_ROOM",
                violation,
            })?;
        }
        if let Some(from) = &self.from {
            FROM.check(from).map_err(|violation| ConfigError::Limit {
                setting: "HIPCHAT_FROM",
                violation,
            })?;
        }
        for name in self.tokens.keys() {
            check_token_name(name)?;
        }
        if self.api_url.is_some() {
            self.parsed_api_url()?;
        }
        Ok(())
    }
}

/// Parses a server root. It must be a plain http(s) URL: a query or fragment would be
/// spliced into every request path, and credentials would be printed in transport errors.
pub(crate) fn parse_api_url(text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text).map_err(|e| {
        // Credentials are removed from a URL that parses; one that does not is not shown
        // when it may hold some.
        let shown = if text.contains('@') {
            "<not shown: it may hold credentials>"
        } else {
            text
        };
        invalid("HIPCHAT_API_URL", shown, format!("an http(s) URL ({e})"))
    })?;
    let problem = if !matches!(url.scheme(), "http" | "https") {
        Some("the scheme must be http or https")
    } else if url.query().is_some() || url.fragment().is_some() {
        Some("remove the query and fragment (put the token in HIPCHAT_AUTH_TOKEN)")
    } else if !url.username().is_empty() || url.password().is_some() {
        Some("remove the credentials (put the token in HIPCHAT_AUTH_TOKEN)")
    } else {
        None
    };
    match problem {
        None => Ok(url),
        Some(problem) => {
            let mut shown = url.clone();
            // Never print a password, even the wrong kind of secret.
            let _ = shown.set_password(None);
            Err(ConfigError::ApiUrl {
                setting: "HIPCHAT_API_URL",
                url: shown.to_string(),
                problem,
            })
        }
    }
}

/// The environment variable that holds the token named `name`.
///
/// ```
/// assert_eq!(hipchat_runtime::settings::token_env_var("deploys"), "HIPCHAT_TOKEN_DEPLOYS");
/// ```
pub fn token_env_var(name: &str) -> String {
    format!("{TOKEN_ENV_PREFIX}{}", name.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_version_from_env_setter_and_serde() {
        assert_eq!(Settings::new().get_api_version(), ApiVersion::V2);
        for value in ["1", "v1", "V1"] {
            let settings = Settings::from_vars([("HIPCHAT_API_VERSION", value)]).unwrap();
            assert_eq!(settings.get_api_version(), ApiVersion::V1, "{value}");
        }
        let error = Settings::from_vars([("HIPCHAT_API_VERSION", "3")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "HIPCHAT_API_VERSION = \"3\" is invalid: expected 1 or 2"
        );
        assert_eq!(
            Settings::new()
                .api_version(ApiVersion::V1)
                .get_api_version(),
            ApiVersion::V1
        );
        for json in [r#"{"api_version":1}"#, r#"{"api_version":"1"}"#] {
            let settings: Settings = serde_json::from_str(json).unwrap();
            assert_eq!(settings.get_api_version(), ApiVersion::V1, "{json}");
        }
        let settings: Settings = serde_json::from_str(r#"{"api_version":2}"#).unwrap();
        assert_eq!(settings.get_api_version(), ApiVersion::V2);
        assert!(serde_json::from_str::<Settings>(r#"{"api_version":7}"#).is_err());
    }

    #[test]
    fn validate_checks_defaults_against_limits() {
        let error = Settings::new().from("f".repeat(65)).validate().unwrap_err();
        assert_eq!(
            error.to_string(),
            "HIPCHAT_FROM: from is 65 characters long; HipChat allows at most 64"
        );
        let error = Settings::new().room("").validate().unwrap_err();
        assert_eq!(
            error.to_string(),
            "HIPCHAT_ROOM: room is empty; HipChat requires at least 1 character"
        );
        assert!(Settings::new().token("Bad Name", "x").validate().is_err());
        assert!(Settings::new().room("Ops").from("ci").validate().is_ok());
    }

    #[test]
    fn deserializes_from_config_files() {
        let settings: Settings = serde_json::from_str(
            r#"{"backend":"console","auth_token":"t","tokens":{"ops":"u"},"room":"42",
                "from":"ci","fail_silently":true,"api_url":"http://127.0.0.1:8080","timeout":3}"#,
        )
        .unwrap();
        assert_eq!(settings.get_backend(), BackendKind::Console);
        assert_eq!(settings.get_timeout(), Duration::from_secs(3));
        assert!(settings.get_fail_silently());
        let error = serde_json::from_str::<Settings>(r#"{"rooom":"Ops"}"#).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `rooom`"),
            "{error}"
        );
        let error = serde_json::from_str::<Settings>(r#"{"timeout":"later"}"#).unwrap_err();
        assert!(error.to_string().contains("timeout"), "{error}");
    }
}
