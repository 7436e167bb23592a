//! What differs between the API versions for notifications: the rules checked before
//! sending ([`v2`], [`v1`]), v1's form POST to `/v1/rooms/message` (the token in the query
//! string) and how it is shown, and which status means a spent rate limit. v2 requests
//! are the REST client's.

use secrecy::SecretString;
use url::Url;

use crate::Outgoing;
use crate::error::ValidationError;
pub(super) use crate::rest::response::REDACTED;
use crate::settings::ApiVersion;

mod v1;
mod v2;

/// Whether `status` is how `version` answers a spent rate limit: 429, and on v1 403
/// (spec §7).
pub(super) fn is_rate_limit(version: ApiVersion, status: reqwest::StatusCode) -> bool {
    status == reqwest::StatusCode::TOO_MANY_REQUESTS
        || (version == ApiVersion::V1 && status == v1::RATE_LIMITED)
}

/// The rules `version` adds to HipChat's limits, checked before anything is sent.
pub(super) fn check(version: ApiVersion, outgoing: &Outgoing) -> Result<(), ValidationError> {
    match version {
        ApiVersion::V2 => v2::check(outgoing),
        ApiVersion::V1 => v1::check(outgoing).map(drop),
    }
}

/// API v1's request for `outgoing` (checked first: the backend may be used without a
/// notifier), the token in its query string.
pub(super) fn v1_request(
    client: &reqwest::Client,
    api_root: &Url,
    outgoing: &Outgoing,
    token: &SecretString,
) -> Result<reqwest::RequestBuilder, ValidationError> {
    v1::request(client, api_root, outgoing, token)
}

/// A v1 URL as errors and logs may show it: the token redacted.
pub(super) fn shown_v1_endpoint(url: &Url) -> String {
    v1::shown_endpoint(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_403_is_a_rate_limit_on_v1_only() {
        use reqwest::StatusCode;
        assert!(is_rate_limit(ApiVersion::V1, StatusCode::FORBIDDEN));
        assert!(!is_rate_limit(ApiVersion::V2, StatusCode::FORBIDDEN));
        for version in [ApiVersion::V1, ApiVersion::V2] {
            assert!(is_rate_limit(version, StatusCode::TOO_MANY_REQUESTS));
        }
    }
}
