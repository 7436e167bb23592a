//! Why a signed request is refused, and the HTTP answer each reason calls for.

use std::fmt;

use crate::installation::short_id;

/// Why a signed request was refused. [`status`](Self::status) gives the HTTP status;
/// every 401 also carries [`www_authenticate`](Self::www_authenticate).
///
/// `Display` never shows the token or the secret, and shows an issuer (an oauthId, half of
/// the installation's credentials) only as its first 8 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The request carries no token (spec §4, step 1): 401.
    #[error("the request carries no JWT")]
    Missing,
    /// The token is not a JWT this runtime reads (spec §4, step 3): 400.
    #[error("malformed JWT: {reason}")]
    Malformed {
        /// What is wrong, in fixed words (never a piece of the token).
        reason: &'static str,
    },
    /// The header names an algorithm other than exactly `HS256` (spec §4, step 2): 401.
    #[error("JWT algorithm {alg:?} refused: only HS256 is accepted")]
    Algorithm {
        /// The header's `alg`, at most 16 characters of it (a non-string as its JSON).
        alg: String,
    },
    /// No installation has this issuer (spec §4, step 4): 401. Made by the caller, with
    /// [`Unverified::unknown_issuer`](super::Unverified::unknown_issuer).
    #[error("no installation for the JWT issuer {issuer}")]
    UnknownIssuer {
        /// The issuer, truncated.
        issuer: IssuerHint,
    },
    /// The signature does not match the installation's secret (spec §4, step 5): 401.
    #[error("JWT signature does not match")]
    Signature,
    /// `exp` (plus the leeway) has passed (spec §4, step 6): 401.
    #[error("JWT expired")]
    Expired,
    /// `nbf` is later than now plus the leeway: 401.
    #[error("JWT not valid yet")]
    NotYetValid,
    /// `iat` is later than now plus the leeway (spec §4, step 6): 401.
    #[error("JWT issued in the future")]
    IssuedInFuture,
    /// Without `exp`, `iat` is older than the policy's maximum age; or older than its
    /// optional cap from `iat` (spec §4, step 6): 401.
    #[error("JWT too old")]
    TooOld,
}

impl JwtError {
    /// The HTTP status to answer with: 400 for [`Malformed`](Self::Malformed), 401 for
    /// everything else.
    pub fn status(&self) -> u16 {
        match self {
            JwtError::Malformed { .. } => 400,
            _ => 401,
        }
    }

    /// The `WWW-Authenticate` header value to send with the answer: `JWT` with every 401
    /// (RFC 9110 requires the header on a 401), `None` with the 400.
    pub fn www_authenticate(&self) -> Option<&'static str> {
        (self.status() == 401).then_some("JWT")
    }
}

/// An issuer (oauthId) as errors and logs may show it: the full value is half of an
/// installation's credentials (spec §8, item 7), so only [`short_id`] of it is kept.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuerHint(String);

impl IssuerHint {
    /// Keeps [`short_id`] of `issuer`: its first 8 characters, and `…` when there were
    /// more.
    pub fn new(issuer: &str) -> Self {
        IssuerHint(short_id(issuer))
    }

    /// What is kept, `…` included.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IssuerHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Escaped like `{:?}`: the issuer comes from an unverified token.
        write!(f, "{}", self.0.escape_debug())
    }
}

impl fmt::Debug for IssuerHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_hint_keeps_eight_characters_escaped() {
        let hint = IssuerHint::new("1234-5678-9876-5432");
        assert_eq!(hint.to_string(), "1234-567…");
        assert_eq!(format!("{hint:?}"), "\"1234-567…\"");
        assert_eq!(IssuerHint::new("ééééééééé").as_str(), "éééééééé…");
        assert_eq!(IssuerHint::new("a\nb").to_string(), "a\\nb");
    }

    #[test]
    fn only_malformed_is_a_400_without_a_challenge() {
        let malformed = JwtError::Malformed { reason: "x" };
        assert_eq!(
            (malformed.status(), malformed.www_authenticate()),
            (400, None)
        );
        for refused in [
            JwtError::Missing,
            JwtError::Algorithm { alg: "none".into() },
            JwtError::UnknownIssuer {
                issuer: IssuerHint::new("i"),
            },
            JwtError::Signature,
            JwtError::Expired,
            JwtError::NotYetValid,
            JwtError::IssuedInFuture,
            JwtError::TooOld,
        ] {
            assert_eq!(
                (refused.status(), refused.www_authenticate()),
                (401, Some("JWT"))
            );
        }
    }
}
