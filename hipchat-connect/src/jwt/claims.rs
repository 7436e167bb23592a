//! What a verified token says: who sent it, for which user and room (spec §4, step 7).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::error::{IssuerHint, JwtError};

/// The latest accepted time claim: 9999-12-31T23:59:59Z, in seconds since the epoch.
/// Larger (and negative) values are malformed, so time arithmetic never overflows.
const MAX_NUMERIC_DATE: u64 = 253_402_300_799;

/// The claims of a verified token (spec §4, §10).
///
/// `Debug` shows the issuer truncated, like [`IssuerHint`].
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Claims {
    /// `iss`: the installation's oauthId.
    pub issuer: String,
    /// The HipChat user: `sub`, else the legacy `prn`; a number is given in decimal.
    /// `None` when absent, `null` or empty.
    pub user: Option<String>,
    /// `context.room_id`, an integer or a string of decimal digits.
    pub room: Option<u64>,
    /// The user's time zone: `context.user_tz`, else the legacy `context.tz`.
    pub timezone: Option<String>,
    /// `iat`.
    pub issued_at: SystemTime,
    /// `exp`, when present.
    pub expires_at: Option<SystemTime>,
    /// `jti`, when present.
    pub jti: Option<String>,
    /// The whole `context` object (empty when absent), open to keys this runtime does not
    /// read.
    pub context: Map<String, Value>,
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claims")
            .field("issuer", &IssuerHint::new(&self.issuer))
            .field("user", &self.user)
            .field("room", &self.room)
            .field("timezone", &self.timezone)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("jti", &self.jti)
            .field("context", &self.context)
            .finish()
    }
}

/// The claims of a parsed payload, and its `nbf` (checked, not kept).
pub(super) struct Parsed {
    pub(super) claims: Claims,
    pub(super) not_before: Option<SystemTime>,
}

/// Reads the payload's claims. Each claim the runtime reads must have its documented type,
/// else the token is [`JwtError::Malformed`]; a `null` optional claim counts as absent.
pub(super) fn parse_payload(payload: Map<String, Value>) -> Result<Parsed, JwtError> {
    let issuer = match payload.get("iss") {
        Some(Value::String(iss)) if !iss.is_empty() => iss.clone(),
        Some(Value::String(_)) => return Err(malformed("iss is empty")),
        Some(_) => return Err(malformed("iss is not a string")),
        None => return Err(malformed("iss is missing")),
    };
    let issued_at = match payload.get("iat") {
        Some(iat) => numeric_date(iat, "iat is not a number of seconds from 1970 to 9999")?,
        None => return Err(malformed("iat is missing")),
    };
    let expires_at = optional(&payload, "exp")
        .map(|exp| numeric_date(exp, "exp is not a number of seconds from 1970 to 9999"))
        .transpose()?;
    let not_before = optional(&payload, "nbf")
        .map(|nbf| numeric_date(nbf, "nbf is not a number of seconds from 1970 to 9999"))
        .transpose()?;
    let user = match optional(&payload, "sub") {
        Some(sub) => user_id(sub, "sub is neither a string nor an integer")?,
        None => match optional(&payload, "prn") {
            Some(prn) => user_id(prn, "prn is neither a string nor an integer")?,
            None => None,
        },
    };
    let jti = match optional(&payload, "jti") {
        Some(Value::String(jti)) => Some(jti.clone()),
        Some(_) => return Err(malformed("jti is not a string")),
        None => None,
    };
    let context = match optional(&payload, "context") {
        Some(Value::Object(context)) => context.clone(),
        Some(_) => return Err(malformed("context is not an object")),
        None => Map::new(),
    };
    let room = match optional(&context, "room_id") {
        Some(Value::Number(n)) => Some(n.as_u64().ok_or(malformed(ROOM_ID))?),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            Some(s.parse().map_err(|_| malformed(ROOM_ID))?)
        }
        Some(_) => return Err(malformed(ROOM_ID)),
        None => None,
    };
    let timezone = match optional(&context, "user_tz").or_else(|| optional(&context, "tz")) {
        Some(Value::String(tz)) => Some(tz.clone()),
        Some(_) => return Err(malformed("context.user_tz (or tz) is not a string")),
        None => None,
    };
    Ok(Parsed {
        claims: Claims {
            issuer,
            user,
            room,
            timezone,
            issued_at,
            expires_at,
            jti,
            context,
        },
        not_before,
    })
}

const ROOM_ID: &str = "context.room_id is not a non-negative integer";

fn malformed(reason: &'static str) -> JwtError {
    JwtError::Malformed { reason }
}

/// `key`'s value unless it is absent or `null`.
fn optional<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// A user id: a string (empty → `None`) or an integer, in decimal.
fn user_id(value: &Value, reason: &'static str) -> Result<Option<String>, JwtError> {
    match value {
        Value::String(s) => Ok((!s.is_empty()).then(|| s.clone())),
        Value::Number(n) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
        _ => Err(malformed(reason)),
    }
}

/// A NumericDate (seconds since the epoch, fractions allowed) from 0 to year 9999.
fn numeric_date(value: &Value, reason: &'static str) -> Result<SystemTime, JwtError> {
    let Value::Number(n) = value else {
        return Err(malformed(reason));
    };
    let since_epoch = if let Some(secs) = n.as_u64() {
        (secs <= MAX_NUMERIC_DATE).then(|| Duration::from_secs(secs))
    } else {
        n.as_f64()
            .filter(|secs| secs.is_finite() && *secs >= 0.0 && *secs <= MAX_NUMERIC_DATE as f64)
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
    };
    since_epoch
        .and_then(|d| UNIX_EPOCH.checked_add(d))
        .ok_or(malformed(reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numeric_dates_from_1970_to_9999() {
        let date = |v: Value| numeric_date(&v, "bad").ok();
        assert_eq!(date(json!(0)), Some(UNIX_EPOCH));
        assert_eq!(
            date(json!(MAX_NUMERIC_DATE)),
            Some(UNIX_EPOCH + Duration::from_secs(MAX_NUMERIC_DATE))
        );
        assert_eq!(
            date(json!(0.5)),
            Some(UNIX_EPOCH + Duration::from_millis(500))
        );
        for bad in [
            json!(MAX_NUMERIC_DATE + 1),
            json!(-1),
            json!(-0.5),
            json!(1e20),
            json!(u64::MAX),
            json!(i64::MIN),
            json!("1"),
        ] {
            assert_eq!(date(bad.clone()), None, "{bad}");
        }
    }
}
