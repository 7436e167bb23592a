//! Parsing setting values, shared by the environment and config files: each error names
//! the setting and the value.

use std::time::Duration;

use serde::Deserialize;

use crate::error::ConfigError;

pub(super) fn invalid(setting: &str, value: &str, expected: impl Into<String>) -> ConfigError {
    ConfigError::InvalidValue {
        setting: setting.to_owned(),
        value: value.to_owned(),
        expected: expected.into(),
    }
}

pub(super) fn parse_bool(setting: &str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(setting, value, "true or false")),
    }
}

pub(super) fn parse_duration(setting: &str, value: &str) -> Result<Duration, ConfigError> {
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

pub(super) fn deserialize_duration<'de, D: serde::Deserializer<'de>>(
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
