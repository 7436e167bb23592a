//! Settings: one place for the token(s), default room and sender, server URL and backend.
//!
//! Three ways in, one type out: [`Settings::from_env`], chained setters (a builder), and
//! serde `Deserialize` for apps that load config files. They are checked when a
//! [`Notifier`](crate::Notifier) is built from them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use hipchat_spec::{FROM, ROOM, check_token_name, closest};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::backend::queued::{FullPolicy, InvalidRate, QueueConfig, Rate};
use crate::error::ConfigError;

/// The server root HipChat's cloud used; self-hosted servers are configured with `api_url`.
pub const DEFAULT_API_URL: &str = "https://api.hipchat.com";

/// How long the http backend waits for one request, unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The prefix of named-token variables: `HIPCHAT_TOKEN_DEPLOYS` holds the token `deploys`.
pub const TOKEN_ENV_PREFIX: &str = "HIPCHAT_TOKEN_";

const ENV_VARS: &[&str] = &[
    "HIPCHAT_BACKEND",
    "HIPCHAT_AUTH_TOKEN",
    "HIPCHAT_ROOM",
    "HIPCHAT_FROM",
    "HIPCHAT_FAIL_SILENTLY",
    "HIPCHAT_API_URL",
    "HIPCHAT_TIMEOUT",
    "HIPCHAT_QUEUE_CAPACITY",
    "HIPCHAT_QUEUE_FULL",
    "HIPCHAT_QUEUE_OUTBOX",
    "HIPCHAT_RATE_LIMIT_TOKEN",
    "HIPCHAT_RATE_LIMIT_ROOM",
    "HIPCHAT_API_VERSION",
];

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
/// assert_eq!(settings.backend_kind(), BackendKind::Memory);
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
/// assert_eq!(settings.default_room(), Some("Ops"));
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
    api_url: Option<Url>,
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

    /// Reads the process environment. See [`Settings::from_vars`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Reads settings from `HIPCHAT_*` variables:
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `HIPCHAT_BACKEND` | `http`, `console`, `disabled` or `memory` |
    /// | `HIPCHAT_AUTH_TOKEN` | the default token |
    /// | `HIPCHAT_TOKEN_<NAME>` | the token named `<name>` (lowercased), for `#[hipchat(token = "name")]` |
    /// | `HIPCHAT_ROOM` | default room id or name |
    /// | `HIPCHAT_FROM` | default sender label |
    /// | `HIPCHAT_FAIL_SILENTLY` | `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`) |
    /// | `HIPCHAT_API_URL` | server root, default `https://api.hipchat.com` |
    /// | `HIPCHAT_TIMEOUT` | per-request timeout: `10s`, `500ms`, or seconds (`2.5`) |
    /// | `HIPCHAT_QUEUE_CAPACITY` | `queued`: notifications that may wait (default 10000) |
    /// | `HIPCHAT_QUEUE_FULL` | `queued`: `wait` (default), `error` or `drop_oldest` |
    /// | `HIPCHAT_QUEUE_OUTBOX` | `queued`: SQLite file of the durable outbox (feature `durable`) |
    /// | `HIPCHAT_RATE_LIMIT_TOKEN` | `queued`: requests per token, `100/5m` (default) or `500/5m` |
    /// | `HIPCHAT_RATE_LIMIT_ROOM` | `queued`: notifications per room, `30/1m` (default) |
    /// | `HIPCHAT_API_VERSION` | `2` (default) or `1`: the API of `http` and `queued` ([`ApiVersion`]) |
    ///
    /// Empty values count as unset. Unknown `HIPCHAT_*` variables are reported with a
    /// `tracing` warning (a typo should not silently drop a setting).
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Result<Self, ConfigError>
    where
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut settings = Settings::default();
        for (key, value) in vars {
            let key = key.as_ref();
            let value: String = value.into();
            if !key.starts_with("HIPCHAT_") || value.is_empty() {
                continue;
            }
            match key {
                "HIPCHAT_BACKEND" => settings.backend = Some(value.parse()?),
                "HIPCHAT_AUTH_TOKEN" => settings.auth_token = Some(value.into()),
                "HIPCHAT_ROOM" => settings.room = Some(value),
                "HIPCHAT_FROM" => settings.from = Some(value),
                "HIPCHAT_FAIL_SILENTLY" => settings.fail_silently = parse_bool(key, &value)?,
                "HIPCHAT_API_URL" => {
                    let url = Url::parse(&value)
                        .map_err(|e| invalid(key, &value, format!("an http(s) URL ({e})")))?;
                    check_api_url(&url)?;
                    settings.api_url = Some(url);
                }
                "HIPCHAT_TIMEOUT" => settings.timeout = Some(parse_duration(key, &value)?),
                "HIPCHAT_QUEUE_CAPACITY" => {
                    let capacity = value
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| invalid(key, &value, "a number above zero"))?;
                    settings.queue_capacity = Some(capacity);
                }
                "HIPCHAT_QUEUE_FULL" => {
                    let policy = value
                        .parse()
                        .map_err(|_| invalid(key, &value, FullPolicy::NAMES.join(", ")))?;
                    settings.queue_full = Some(policy);
                }
                "HIPCHAT_QUEUE_OUTBOX" => settings.queue_outbox = Some(value.into()),
                "HIPCHAT_API_VERSION" => settings.api_version = Some(value.parse()?),
                "HIPCHAT_RATE_LIMIT_TOKEN" | "HIPCHAT_RATE_LIMIT_ROOM" => {
                    let rate = value
                        .parse::<Rate>()
                        .map_err(|_| invalid(key, &value, InvalidRate::EXPECTED))?;
                    if key.ends_with("TOKEN") {
                        settings.rate_limit_token = Some(rate);
                    } else {
                        settings.rate_limit_room = Some(rate);
                    }
                }
                _ => match key.strip_prefix(TOKEN_ENV_PREFIX) {
                    Some(name) => {
                        let name = name.to_ascii_lowercase();
                        check_token_name(&name)?;
                        settings.tokens.insert(name, value.into());
                    }
                    None => warn_unknown_var(key),
                },
            }
        }
        Ok(settings)
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
    pub fn api_url(mut self, url: Url) -> Self {
        self.api_url = Some(url);
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

    /// The configured API version, or v2.
    pub fn api_version_or_default(&self) -> ApiVersion {
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
    pub fn backend_kind(&self) -> BackendKind {
        self.backend.unwrap_or(BackendKind::default_for_build())
    }

    /// The default room, if any.
    pub fn default_room(&self) -> Option<&str> {
        self.room.as_deref()
    }

    /// The default sender label, if any.
    pub fn default_from(&self) -> Option<&str> {
        self.from.as_deref()
    }

    /// Whether delivery errors are logged instead of returned.
    pub fn is_fail_silently(&self) -> bool {
        self.fail_silently
    }

    /// The server root.
    pub fn api_url_or_default(&self) -> Url {
        self.api_url
            .clone()
            .unwrap_or_else(|| Url::parse(DEFAULT_API_URL).expect("DEFAULT_API_URL is a valid URL"))
    }

    /// The per-request timeout.
    pub fn timeout_or_default(&self) -> Duration {
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
        if let Some(url) = &self.api_url {
            check_api_url(url)?;
        }
        Ok(())
    }
}

/// A server root must be a plain http(s) URL: a query or fragment would be spliced into
/// every request path, and credentials would be printed in transport errors.
fn check_api_url(url: &Url) -> Result<(), ConfigError> {
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
        None => Ok(()),
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

fn invalid(setting: &str, value: &str, expected: impl Into<String>) -> ConfigError {
    ConfigError::InvalidValue {
        setting: setting.to_owned(),
        value: value.to_owned(),
        expected: expected.into(),
    }
}

fn parse_bool(setting: &str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(setting, value, "true or false")),
    }
}

fn parse_duration(setting: &str, value: &str) -> Result<Duration, ConfigError> {
    let expected = "a duration such as 10s, 500ms or 2.5";
    let duration = match value.parse::<f64>() {
        Ok(secs) => {
            Duration::try_from_secs_f64(secs).map_err(|_| invalid(setting, value, expected))?
        }
        Err(_) => {
            humantime::parse_duration(value).map_err(|_| invalid(setting, value, expected))?
        }
    };
    if duration.is_zero() {
        return Err(invalid(setting, value, "a duration above zero"));
    }
    Ok(duration)
}

fn deserialize_duration<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(f64),
        Text(String),
    }
    let text = match Option::<Raw>::deserialize(deserializer)? {
        None => return Ok(None),
        Some(Raw::Seconds(secs)) => secs.to_string(),
        Some(Raw::Text(text)) => text,
    };
    parse_duration("timeout", &text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn warn_unknown_var(key: &str) {
    match closest(key, ENV_VARS) {
        Some(known) => tracing::warn!(
            variable = key,
            "unknown HipChat setting; did you mean {known}?"
        ),
        None => tracing::warn!(variable = key, "unknown HipChat setting, ignored"),
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn reads_every_variable() {
        let settings = Settings::from_vars([
            ("HIPCHAT_BACKEND", "http"),
            ("HIPCHAT_AUTH_TOKEN", "default-secret"),
            ("HIPCHAT_TOKEN_DEPLOYS", "deploy-secret"),
            ("HIPCHAT_ROOM", "Ops"),
            ("HIPCHAT_FROM", "billing"),
            ("HIPCHAT_FAIL_SILENTLY", "yes"),
            ("HIPCHAT_API_URL", "https://hipchat.example.com/"),
            ("HIPCHAT_TIMEOUT", "1500ms"),
            ("PATH", "/usr/bin"),
        ])
        .unwrap();
        assert_eq!(settings.backend_kind(), BackendKind::Http);
        assert_eq!(
            settings.default_token().unwrap().expose_secret(),
            "default-secret"
        );
        assert_eq!(
            settings.named_tokens()["deploys"].expose_secret(),
            "deploy-secret"
        );
        assert_eq!(settings.default_room(), Some("Ops"));
        assert_eq!(settings.default_from(), Some("billing"));
        assert!(settings.is_fail_silently());
        assert_eq!(
            settings.api_url_or_default().as_str(),
            "https://hipchat.example.com/"
        );
        assert_eq!(settings.timeout_or_default(), Duration::from_millis(1500));
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let settings = Settings::from_vars(Vec::<(String, String)>::new()).unwrap();
        assert_eq!(settings.backend_kind(), BackendKind::default_for_build());
        assert_eq!(
            settings.api_url_or_default().as_str(),
            "https://api.hipchat.com/"
        );
        assert_eq!(settings.timeout_or_default(), DEFAULT_TIMEOUT);
        assert!(!settings.is_fail_silently());
        assert!(settings.default_token().is_none());
    }

    #[test]
    fn empty_values_count_as_unset() {
        let settings =
            Settings::from_vars([("HIPCHAT_ROOM", ""), ("HIPCHAT_BACKEND", "")]).unwrap();
        assert_eq!(settings.default_room(), None);
    }

    #[test]
    fn api_version_from_env_setter_and_serde() {
        assert_eq!(Settings::new().api_version_or_default(), ApiVersion::V2);
        for value in ["1", "v1", "V1"] {
            let settings = Settings::from_vars([("HIPCHAT_API_VERSION", value)]).unwrap();
            assert_eq!(settings.api_version_or_default(), ApiVersion::V1, "{value}");
        }
        let error = Settings::from_vars([("HIPCHAT_API_VERSION", "3")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "HIPCHAT_API_VERSION = \"3\" is invalid: expected 1 or 2"
        );
        assert_eq!(
            Settings::new()
                .api_version(ApiVersion::V1)
                .api_version_or_default(),
            ApiVersion::V1
        );
        for json in [r#"{"api_version":1}"#, r#"{"api_version":"1"}"#] {
            let settings: Settings = serde_json::from_str(json).unwrap();
            assert_eq!(settings.api_version_or_default(), ApiVersion::V1, "{json}");
        }
        let settings: Settings = serde_json::from_str(r#"{"api_version":2}"#).unwrap();
        assert_eq!(settings.api_version_or_default(), ApiVersion::V2);
        assert!(serde_json::from_str::<Settings>(r#"{"api_version":7}"#).is_err());
    }

    #[test]
    fn timeout_accepts_plain_seconds() {
        let settings = Settings::from_vars([("HIPCHAT_TIMEOUT", "2.5")]).unwrap();
        assert_eq!(settings.timeout_or_default(), Duration::from_millis(2500));
    }

    #[test]
    fn bad_values_name_the_variable_and_value() {
        let cases = [
            (
                "HIPCHAT_BACKEND",
                "smtp",
                "HIPCHAT_BACKEND = \"smtp\" is invalid: expected http, console, disabled, memory, queued",
            ),
            (
                "HIPCHAT_FAIL_SILENTLY",
                "maybe",
                "HIPCHAT_FAIL_SILENTLY = \"maybe\" is invalid: expected true or false",
            ),
            (
                "HIPCHAT_TIMEOUT",
                "soon",
                "HIPCHAT_TIMEOUT = \"soon\" is invalid: expected a duration such as 10s, 500ms or 2.5",
            ),
            (
                "HIPCHAT_TIMEOUT",
                "0",
                "HIPCHAT_TIMEOUT = \"0\" is invalid: expected a duration above zero",
            ),
            (
                "HIPCHAT_TIMEOUT",
                "-1",
                "HIPCHAT_TIMEOUT = \"-1\" is invalid: expected a duration such as 10s, 500ms or 2.5",
            ),
        ];
        for (key, value, expected) in cases {
            let error = Settings::from_vars([(key, value)]).unwrap_err();
            assert_eq!(error.to_string(), expected);
        }
        let error = Settings::from_vars([("HIPCHAT_API_URL", "not a url")]).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("HIPCHAT_API_URL = \"not a url\" is invalid"),
            "{error}"
        );
        let error = Settings::from_vars([("HIPCHAT_TOKEN_OPS-ROOM", "secret")]).unwrap_err();
        assert!(error.to_string().contains("\"ops-room\""), "{error}");
    }

    #[test]
    fn api_url_must_be_a_plain_server_root() {
        let cases = [
            (
                "https://h/v2/room/1/notification?auth_token=s3cr3t",
                "remove the query and fragment",
            ),
            ("https://h/#x", "remove the query and fragment"),
            ("https://user:s3cr3t@h/", "remove the credentials"),
            ("ftp://h/", "the scheme must be http or https"),
        ];
        for (url, problem) in cases {
            let error = Settings::from_vars([("HIPCHAT_API_URL", url)])
                .unwrap_err()
                .to_string();
            assert!(error.contains(problem), "{error}");
            assert!(
                !error.contains("s3cr3t:") && !error.contains(":s3cr3t"),
                "{error}"
            );
        }
        let built = Settings::new()
            .api_url(Url::parse("https://h/?a=1").unwrap())
            .validate();
        assert!(matches!(built, Err(ConfigError::ApiUrl { .. })));
    }

    #[test]
    fn tokens_never_appear_in_debug_or_errors() {
        let settings = Settings::from_vars([
            ("HIPCHAT_AUTH_TOKEN", "s3cr3t-default"),
            ("HIPCHAT_TOKEN_OPS", "s3cr3t-named"),
        ])
        .unwrap();
        let debug = format!("{settings:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
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
        assert_eq!(settings.backend_kind(), BackendKind::Console);
        assert_eq!(settings.timeout_or_default(), Duration::from_secs(3));
        assert!(settings.is_fail_silently());
        let error = serde_json::from_str::<Settings>(r#"{"rooom":"Ops"}"#).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `rooom`"),
            "{error}"
        );
        let error = serde_json::from_str::<Settings>(r#"{"timeout":"later"}"#).unwrap_err();
        assert!(error.to_string().contains("timeout"), "{error}");
    }
}
