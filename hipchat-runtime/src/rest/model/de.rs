//! Small serde helpers shared by the models: lenient ids and `null`-as-default.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// `null` or absent (with `#[serde(default)]`) reads as `T::default()`.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A user's `timezone`: `null` reads as `UTC`, HipChat's default.
pub(crate) fn timezone<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    Option::<String>::deserialize(deserializer).map(|zone| zone.unwrap_or_else(default_timezone))
}

/// HipChat's default time zone name.
pub(crate) fn default_timezone() -> String {
    "UTC".to_owned()
}

/// A `card`: HipChat sends a JSON-encoded **string**; an object (as some emulators or future
/// servers might send) is kept re-encoded as a string, `null` or absent is `None`.
pub(crate) fn json_string<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text),
        other => Some(other.to_string()),
    })
}

/// An id sent as an integer or as a string of digits (`12345` or `"12345"`, spec §12).
pub fn u64_or_string<'de, D>(deserializer: D) -> Result<u64, D::Error>
where
    D: Deserializer<'de>,
{
    match deserializer.deserialize_any(IdVisitor)? {
        Some(id) => Ok(id),
        None => Err(de::Error::custom(
            "expected an id (integer or numeric string), found null",
        )),
    }
}

/// [`u64_or_string`], `null` allowed (absent too, with `#[serde(default)]`).
pub fn option_u64_or_string<'de, D>(deserializer: D) -> Result<Option<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(IdVisitor)
}

struct IdVisitor;

impl<'de> Visitor<'de> for IdVisitor {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id: a non-negative integer or a string of digits")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        u64::try_from(value)
            .map(Some)
            .map_err(|_| E::custom(format_args!("invalid id {value}: negative")))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        value.trim().parse::<u64>().map(Some).map_err(|_| {
            E::custom(format_args!(
                "invalid id {value:?}: not a non-negative integer"
            ))
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Id {
        #[serde(deserialize_with = "super::u64_or_string")]
        id: u64,
        #[serde(default, deserialize_with = "super::option_u64_or_string")]
        other: Option<u64>,
    }

    #[test]
    fn ids_read_as_integers_or_numeric_strings() {
        let id: Id = serde_json::from_str(r#"{"id": 12}"#).unwrap();
        assert_eq!((id.id, id.other), (12, None));
        let id: Id = serde_json::from_str(r#"{"id": "12345", "other": "7"}"#).unwrap();
        assert_eq!((id.id, id.other), (12345, Some(7)));
        let id: Id = serde_json::from_str(r#"{"id": 1, "other": null}"#).unwrap();
        assert_eq!(id.other, None);
    }

    #[test]
    fn bad_ids_are_named() {
        let error = serde_json::from_str::<Id>(r#"{"id": "12a"}"#).unwrap_err();
        assert!(error.to_string().contains(r#""12a""#), "{error}");
        let error = serde_json::from_str::<Id>(r#"{"id": -3}"#).unwrap_err();
        assert!(error.to_string().contains("-3"), "{error}");
        assert!(serde_json::from_str::<Id>(r#"{"id": null}"#).is_err());
    }
}
