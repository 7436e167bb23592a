//! What each API version puts on the wire: [`v2`] (JSON to `/v2/...`) and [`v1`] (a form
//! to `/v1/rooms/message`, token in the query string). The backend asks this module, with
//! its version, for the rules, the request and what may be shown of it; nothing else
//! differs between the versions.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::error::ValidationError;
use crate::settings::ApiVersion;
use crate::{Error, Outgoing};

mod v1;
mod v2;

/// Bytes left bare in a room path segment: `A–Z a–z 0–9 - . _ ~` (RFC 3986 unreserved).
/// Everything else, space, `/`, `+`, `#`, `%`, `?` and non-ASCII included, is encoded.
const ROOM_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a room id or name as one URL path segment.
///
/// HipChat decodes `+` as a plus, not a space, so names are never form-encoded.
///
/// ```
/// use hipchat_runtime::backend::http::encode_room;
/// assert_eq!(encode_room("Build Status"), "Build%20Status");
/// assert_eq!(encode_room("Ops+Alerts/EU"), "Ops%2BAlerts%2FEU");
/// assert_eq!(encode_room("12345"), "12345");
/// ```
pub fn encode_room(room: &str) -> String {
    encoded(room).to_string()
}

/// `segment` percent-encoded as [`encode_room`] does, written where it is displayed.
fn encoded(segment: &str) -> PercentEncode<'_> {
    utf8_percent_encode(segment, ROOM_SEGMENT)
}

/// The server root, path prefix kept, without a trailing `/` or a version segment:
/// `https://host/hipchat/v2/` → `https://host/hipchat`.
pub(super) fn api_root(url: &Url) -> Url {
    let path = url.path().trim_end_matches('/');
    let path = ["/v2", "/v1"]
        .iter()
        .find_map(|version| path.strip_suffix(version))
        .unwrap_or(path);
    let mut root = url.clone();
    root.set_path(path);
    root
}

/// `api_root` with `path` (encoded, starting with `/`) after its prefix. Only the path is
/// parsed, once per request: the root was checked when the backend was built.
fn endpoint(api_root: &Url, path: fmt::Arguments<'_>) -> Url {
    let prefix = api_root.path().trim_end_matches('/');
    let mut full = String::with_capacity(prefix.len() + 64);
    full.push_str(prefix);
    // Writing into a String cannot fail.
    let _ = full.write_fmt(path);
    let mut url = api_root.clone();
    url.set_path(&full);
    url
}

/// Refuses `.` and `..` as a path segment: URL parsers drop such segments even when
/// percent-encoded, which would send the request to another endpoint.
fn routable(segment: &str) -> Result<&str, ValidationError> {
    if matches!(segment, "." | "..") {
        return Err(ValidationError::UnroutableRoom(segment.to_owned()));
    }
    Ok(segment)
}

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

/// What replaces the token wherever it would be shown.
const REDACTED: &str = "<redacted>";

/// Replaces `token` wherever a server's answer echoed it: a proxy's error page quoting a
/// v1 URL, or a debugging endpoint echoing the request's `Authorization` header. Every
/// version: what a server sends back is not ours to trust.
pub(super) fn redact(mut error: Error, token: &SecretString) -> Error {
    let secret = token.expose_secret();
    let Some(api) = error.api_mut().filter(|_| !secret.is_empty()) else {
        return error;
    };
    let hide = |text: &mut String| {
        if text.contains(secret) {
            *text = text.replace(secret, REDACTED);
        }
    };
    hide(&mut api.body);
    hide(&mut api.message);
    for text in [&mut api.kind, &mut api.field, &mut api.validation]
        .into_iter()
        .flatten()
    {
        hide(text);
    }
    if let Some(value) = &api.value {
        let text = value.to_string();
        if text.contains(secret) {
            api.value = Some(serde_json::Value::String(text.replace(secret, REDACTED)));
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    #[test]
    fn redacts_echoed_tokens_from_every_part_of_an_answer() {
        let token = SecretString::from("s3cr3t");
        let error = Error::BadRequest(Box::new(ApiError {
            status: 400,
            message: "bad request for /v1/rooms/message?auth_token=s3cr3t".into(),
            field: Some("Authorization: Bearer s3cr3t".into()),
            value: Some(serde_json::json!({"headers": {"authorization": "Bearer s3cr3t"}})),
            body: "<p>Authorization: Bearer s3cr3t</p>".into(),
            ..ApiError::default()
        }));
        let error = redact(error, &token);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("auth_token=<redacted>"), "{shown}");
        assert!(shown.contains("Bearer <redacted>"), "{shown}");
    }

    #[test]
    fn encodes_every_reserved_character_in_room_names() {
        let cases = [
            ("Ops", "Ops"),
            ("Build Status", "Build%20Status"),
            ("a/b", "a%2Fb"),
            ("a+b", "a%2Bb"),
            ("#ops", "%23ops"),
            ("100%", "100%25"),
            ("what?", "what%3F"),
            ("ops,eu", "ops%2Ceu"),
            ("Équipe", "%C3%89quipe"),
            ("a-b.c_d~e", "a-b.c_d~e"),
        ];
        for (room, encoded) in cases {
            assert_eq!(encode_room(room), encoded, "{room}");
        }
    }

    #[test]
    fn api_root_tolerates_trailing_slash_and_version() {
        for (given, root) in [
            ("https://api.hipchat.com", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/v2", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/v2/", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/v1/", "https://api.hipchat.com/"),
            ("http://127.0.0.1:8080/chat/", "http://127.0.0.1:8080/chat"),
            (
                "http://127.0.0.1:8080/chat/v2",
                "http://127.0.0.1:8080/chat",
            ),
        ] {
            assert_eq!(
                api_root(&Url::parse(given).unwrap()).as_str(),
                root,
                "{given}"
            );
        }
    }

    #[test]
    fn endpoints_keep_the_prefix_and_the_encoding() {
        for (root, path, url) in [
            (
                "https://h/",
                "/v2/room/a%2Fb/notification",
                "https://h/v2/room/a%2Fb/notification",
            ),
            (
                "http://h:8/chat",
                "/v2/room/100%25/share/link",
                "http://h:8/chat/v2/room/100%25/share/link",
            ),
        ] {
            let root = Url::parse(root).unwrap();
            assert_eq!(endpoint(&root, format_args!("{path}")).as_str(), url);
        }
    }
}
