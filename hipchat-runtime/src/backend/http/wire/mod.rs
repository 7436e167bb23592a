//! What each API version puts on the wire: [`v2`] (JSON to `/v2/...`) and [`v1`] (a form
//! to `/v1/rooms/message`, token in the query string). The backend asks this module, with
//! its version, for the rules, the request and what may be shown of it; nothing else
//! differs between the versions.

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

/// The request that delivers `message` in `version`, authorized with `token`.
pub(super) fn request(
    version: ApiVersion,
    client: &reqwest::Client,
    api_root: &Url,
    outgoing: &Outgoing,
    token: &SecretString,
) -> Result<reqwest::RequestBuilder, ValidationError> {
    match version {
        ApiVersion::V2 => v2::request(client, api_root, outgoing, token),
        ApiVersion::V1 => v1::request(client, api_root, outgoing, token),
    }
}

/// `url`, a requested endpoint, as errors and logs may show it.
pub(super) fn shown_endpoint(version: ApiVersion, url: &Url) -> String {
    match version {
        ApiVersion::V2 => url.to_string(),
        ApiVersion::V1 => v1::shown_endpoint(url),
    }
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
