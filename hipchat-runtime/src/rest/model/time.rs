//! Dates as HipChat sends them, read leniently into [`jiff::Timestamp`].
//!
//! Recorded forms (spec §1.1):
//!
//! * RFC 3339 with an offset, with or without a fraction: `2018-01-04T10:16:02.809766+00:00`,
//!   `2015-12-29T19:50:02+00:00`, `…Z`;
//! * RFC 3339 **without** an offset, read as UTC (as HypChat does): `2014-06-25T02:28:04`;
//! * for `last_active` only: Unix seconds, as a string (`"1421029691"`) or an integer
//!   (`1405718128`), and `null`.
//!
//! Every date is written back as RFC 3339 in UTC with a `+00:00` offset and only the fraction
//! it needs (`2018-01-04T10:16:02.809766+00:00`, `2014-06-25T02:28:04+00:00`), so a model read,
//! written and read again is equal to the first read. The [`rfc3339`], [`rfc3339::option`] and
//! [`last_active`] modules are `#[serde(with = "…")]` adapters.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use std::fmt;

/// A date HipChat sent that none of the accepted forms reads. Its message names the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {value:?}: {reason}")]
pub struct DateError {
    value: String,
    reason: String,
}

impl DateError {
    fn new(value: impl Into<String>, reason: impl fmt::Display) -> Self {
        Self {
            value: value.into(),
            reason: reason.to_string(),
        }
    }

    /// The text (or number) that failed to parse, as sent.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// Reads an RFC 3339 date, with or without a fraction; a missing offset means UTC.
///
/// ```
/// use hipchat_runtime::rest::model::time;
/// let with = time::parse("2014-06-25T02:28:04+00:00").unwrap();
/// assert_eq!(time::parse("2014-06-25T02:28:04").unwrap(), with);
/// assert!(time::parse("yesterday").unwrap_err().to_string().contains("\"yesterday\""));
/// ```
pub fn parse(text: &str) -> Result<Timestamp, DateError> {
    let trimmed = text.trim();
    let with_offset = match trimmed.parse::<Timestamp>() {
        Ok(timestamp) => return Ok(timestamp),
        Err(error) => error,
    };
    // Only text that carries no offset at all falls back to a civil date-time in UTC:
    // a present but broken offset must not be silently dropped.
    if has_offset(trimmed) {
        return Err(DateError::new(text, with_offset));
    }
    let civil = trimmed.parse::<DateTime>().map_err(|error| {
        DateError::new(
            text,
            format_args!("expected an RFC 3339 date-time: {error}"),
        )
    })?;
    TimeZone::UTC
        .to_timestamp(civil)
        .map_err(|error| DateError::new(text, error))
}

/// Reads a `last_active`: Unix seconds as digits, or anything [`parse`] reads.
///
/// ```
/// use hipchat_runtime::rest::model::time;
/// assert_eq!(time::parse_last_active("1421029691").unwrap().as_second(), 1421029691);
/// ```
pub fn parse_last_active(text: &str) -> Result<Timestamp, DateError> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix('-').unwrap_or(trimmed);
    if !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) {
        let seconds = trimmed
            .parse::<i64>()
            .map_err(|error| DateError::new(text, format_args!("Unix seconds: {error}")))?;
        return from_seconds(seconds, text);
    }
    parse(text)
}

fn from_seconds(seconds: i64, text: &str) -> Result<Timestamp, DateError> {
    Timestamp::from_second(seconds)
        .map_err(|error| DateError::new(text, format_args!("Unix seconds out of range: {error}")))
}

/// Whether the time part of an RFC 3339 text ends in an offset (`Z`, `+hh:mm`, `-hh:mm`).
fn has_offset(text: &str) -> bool {
    match text.find(['T', 't', ' ']) {
        Some(separator) => text[separator + 1..].contains(['Z', 'z', '+', '-']),
        None => false,
    }
}

/// Writes a date the way the models serialize it: RFC 3339 in UTC with `+00:00`.
///
/// ```
/// use hipchat_runtime::rest::model::time;
/// let date = time::parse("2018-01-04T10:16:02.809766Z").unwrap();
/// assert_eq!(time::format(date), "2018-01-04T10:16:02.809766+00:00");
/// ```
pub fn format(timestamp: Timestamp) -> String {
    timestamp.display_with_offset(Offset::UTC).to_string()
}

/// The visitor behind every adapter: `seconds` allows Unix seconds (string or integer).
struct DateVisitor {
    seconds: bool,
}

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds {
            f.write_str("an RFC 3339 date or Unix seconds (string or integer)")
        } else {
            f.write_str("an RFC 3339 date")
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        let parsed = if self.seconds {
            parse_last_active(value)
        } else {
            parse(value)
        };
        parsed.map(Some).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        if !self.seconds {
            return Err(E::invalid_type(de::Unexpected::Signed(value), &self));
        }
        from_seconds(value, &value.to_string())
            .map(Some)
            .map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        if !self.seconds {
            return Err(E::invalid_type(de::Unexpected::Unsigned(value), &self));
        }
        let seconds = i64::try_from(value).map_err(|_| {
            E::custom(DateError::new(
                value.to_string(),
                "Unix seconds out of range",
            ))
        })?;
        self.visit_i64(seconds)
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

fn serialize_option<S: Serializer>(
    timestamp: &Option<Timestamp>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match timestamp {
        Some(timestamp) => rfc3339::serialize(timestamp, serializer),
        None => serializer.serialize_none(),
    }
}

/// `#[serde(with = "rfc3339")]` for a required [`Timestamp`] read by [`parse`].
pub mod rfc3339 {
    use super::DateVisitor;
    use jiff::Timestamp;
    use jiff::tz::Offset;
    use serde::de::{self, Deserializer};
    use serde::ser::Serializer;

    /// Writes RFC 3339 in UTC with `+00:00` (see [`format`](super::format)).
    pub fn serialize<S: Serializer>(
        timestamp: &Timestamp,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&timestamp.display_with_offset(Offset::UTC))
    }

    /// Reads an RFC 3339 date, offset optional (UTC when missing); `null` is an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        deserializer
            .deserialize_any(DateVisitor { seconds: false })?
            .ok_or_else(|| de::Error::custom("expected an RFC 3339 date, found null"))
    }

    /// `#[serde(default, with = "rfc3339::option")]` for an `Option<Timestamp>`: `null` or
    /// absent is `None`.
    pub mod option {
        use super::super::DateVisitor;
        use jiff::Timestamp;
        use serde::de::Deserializer;
        use serde::ser::Serializer;

        /// Writes `Some` as RFC 3339 in UTC, `None` as `null`.
        pub fn serialize<S: Serializer>(
            timestamp: &Option<Timestamp>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            super::super::serialize_option(timestamp, serializer)
        }

        /// Reads an RFC 3339 date or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Timestamp>, D::Error> {
            deserializer.deserialize_any(DateVisitor { seconds: false })
        }
    }
}

/// `#[serde(default, with = "last_active")]` for an `Option<Timestamp>` that may also come as
/// Unix seconds (string or integer) or `null`, read by [`parse_last_active`].
pub mod last_active {
    use super::DateVisitor;
    use jiff::Timestamp;
    use serde::de::Deserializer;
    use serde::ser::Serializer;

    /// Writes `Some` as RFC 3339 in UTC, `None` as `null`.
    pub fn serialize<S: Serializer>(
        timestamp: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::serialize_option(timestamp, serializer)
    }

    /// Reads an RFC 3339 date, Unix seconds (string or integer), or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        deserializer.deserialize_any(DateVisitor { seconds: true })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn offsets_and_fractions() {
        assert_eq!(
            parse("2018-01-04T10:16:02.809766+00:00").unwrap(),
            ts("2018-01-04T10:16:02.809766Z")
        );
        assert_eq!(
            parse("2014-06-25T02:28:04").unwrap(),
            ts("2014-06-25T02:28:04Z")
        );
        assert_eq!(
            parse("2014-06-25T02:28:04.5").unwrap(),
            ts("2014-06-25T02:28:04.5Z")
        );
        assert_eq!(
            parse("2014-06-25T04:28:04+02:00").unwrap(),
            ts("2014-06-25T02:28:04Z")
        );
    }

    #[test]
    fn a_broken_offset_is_not_dropped() {
        let error = parse("2014-06-25T02:28:04+99:00").unwrap_err();
        assert_eq!(error.value(), "2014-06-25T02:28:04+99:00");
    }

    #[test]
    fn last_active_forms() {
        assert_eq!(
            parse_last_active("1421029691").unwrap().as_second(),
            1_421_029_691
        );
        assert_eq!(
            parse_last_active("2014-07-19T02:40:55+00:00").unwrap(),
            ts("2014-07-19T02:40:55Z")
        );
        assert!(parse_last_active("").is_err());
        assert!(parse_last_active("99999999999999999999").is_err());
    }

    #[test]
    fn format_is_rfc3339_utc() {
        assert_eq!(
            format(ts("2014-06-25T02:28:04Z")),
            "2014-06-25T02:28:04+00:00"
        );
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dates {
        #[serde(with = "rfc3339")]
        created: Timestamp,
        #[serde(default, with = "rfc3339::option")]
        date: Option<Timestamp>,
        #[serde(default, with = "last_active")]
        last_active: Option<Timestamp>,
    }

    #[test]
    fn adapters_round_trip() {
        for text in [
            r#"{"created":"2014-06-25T02:28:04","last_active":1405718128}"#,
            r#"{"created":"2014-06-25T02:28:04Z","date":null,"last_active":"1421029691"}"#,
            r#"{"created":"2014-06-25T02:28:04.123+01:00","date":"2014-06-25T02:28:04","last_active":null}"#,
        ] {
            let dates: Dates = serde_json::from_str(text).unwrap();
            let again: Dates =
                serde_json::from_str(&serde_json::to_string(&dates).unwrap()).unwrap();
            assert_eq!(dates, again, "{text}");
        }
    }

    #[test]
    fn adapters_reject_with_the_value() {
        let error =
            serde_json::from_str::<Dates>(r#"{"created":"2014-13-45T00:00:00"}"#).unwrap_err();
        assert!(
            error.to_string().contains("\"2014-13-45T00:00:00\""),
            "{error}"
        );
        let error = serde_json::from_str::<Dates>(r#"{"created":1405718128}"#).unwrap_err();
        assert!(error.to_string().contains("1405718128"), "{error}");
        assert!(serde_json::from_str::<Dates>(r#"{"created":null}"#).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_timestamp_round_trips_through_every_written_form(
            // 0001-01-01 to 9999-12-31, any nanosecond.
            second in -62_135_596_800i64..253_402_300_799,
            nanosecond in 0i32..1_000_000_000,
        ) {
            let timestamp = Timestamp::new(second, nanosecond).unwrap();
            proptest::prop_assert_eq!(parse(&format(timestamp)).unwrap(), timestamp);
            // HipChat's offset-less form: the civil date-time in UTC.
            let civil = TimeZone::UTC.to_datetime(timestamp).to_string();
            proptest::prop_assert_eq!(parse(&civil).unwrap(), timestamp);
            proptest::prop_assert_eq!(
                parse_last_active(&second.to_string()).unwrap(),
                Timestamp::from_second(second).unwrap()
            );
        }
    }
}
