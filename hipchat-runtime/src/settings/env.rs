//! Settings from `HIPCHAT_*` environment variables.

use hipchat_spec::{check_token_name, closest};

use super::parse::{invalid, parse_bool, parse_duration};
use super::{FullPolicy, InvalidRate, Rate, Settings, TOKEN_ENV_PREFIX, parse_api_url};
use crate::error::ConfigError;

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

impl Settings {
    /// Reads the process environment. See [`Settings::from_vars`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Reads settings from `HIPCHAT_*` variables:
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `HIPCHAT_BACKEND` | `http`, `queued`, `console`, `disabled` or `memory` |
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
    /// | `HIPCHAT_API_VERSION` | `2` (default) or `1`: the API of `http` and `queued` ([`ApiVersion`](super::ApiVersion)) |
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
                    parse_api_url(&value)?;
                    settings.api_url = Some(value);
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

    use std::time::Duration;

    use super::*;
    use crate::settings::{BackendKind, DEFAULT_TIMEOUT};

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
        assert_eq!(settings.get_backend(), BackendKind::Http);
        assert_eq!(
            settings.default_token().unwrap().expose_secret(),
            "default-secret"
        );
        assert_eq!(
            settings.named_tokens()["deploys"].expose_secret(),
            "deploy-secret"
        );
        assert_eq!(settings.get_room(), Some("Ops"));
        assert_eq!(settings.get_from(), Some("billing"));
        assert!(settings.get_fail_silently());
        assert_eq!(settings.get_api_url(), "https://hipchat.example.com/");
        assert_eq!(settings.get_timeout(), Duration::from_millis(1500));
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let settings = Settings::from_vars(Vec::<(String, String)>::new()).unwrap();
        assert_eq!(settings.get_backend(), BackendKind::default_for_build());
        assert_eq!(settings.get_api_url(), "https://api.hipchat.com");
        assert_eq!(settings.get_timeout(), DEFAULT_TIMEOUT);
        assert!(!settings.get_fail_silently());
        assert!(settings.default_token().is_none());
    }

    #[test]
    fn empty_values_count_as_unset() {
        let settings =
            Settings::from_vars([("HIPCHAT_ROOM", ""), ("HIPCHAT_BACKEND", "")]).unwrap();
        assert_eq!(settings.get_room(), None);
    }

    #[test]
    fn timeout_accepts_plain_seconds() {
        let settings = Settings::from_vars([("HIPCHAT_TIMEOUT", "2.5")]).unwrap();
        assert_eq!(settings.get_timeout(), Duration::from_millis(2500));
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
        let built = Settings::new().api_url("https://h/?a=1").validate();
        assert!(matches!(built, Err(ConfigError::ApiUrl { .. })));
        let error = Settings::new()
            .api_url("https://user:s3cr3t@ h/")
            .validate()
            .unwrap_err()
            .to_string();
        assert!(!error.contains("s3cr3t"), "{error}");
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
}
