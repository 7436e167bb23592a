//! HipChat's URLs: the server root a client is configured with, endpoints under it, and
//! path segments (rooms, users, keys) percent-encoded as base spec §2 says.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, utf8_percent_encode};
use url::Url;

use crate::error::ValidationError;

/// Bytes left bare in a path segment: `A–Z a–z 0–9 - . _ ~` (RFC 3986 unreserved).
/// Everything else, space, `/`, `+`, `#`, `%`, `?`, `@` and non-ASCII included, is
/// encoded (HipChat decodes an encoded `@` in `@mention` names, spec v2 §1).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a room id or name (or a user, a key) as one URL path segment.
///
/// HipChat decodes `+` as a plus, not a space, so names are never form-encoded.
///
/// ```
/// use hipchat_runtime::rest::encode_segment;
/// assert_eq!(encode_segment("Build Status"), "Build%20Status");
/// assert_eq!(encode_segment("Ops+Alerts/EU"), "Ops%2BAlerts%2FEU");
/// assert_eq!(encode_segment("12345"), "12345");
/// assert_eq!(encode_segment("@alice"), "%40alice");
/// ```
pub fn encode_segment(segment: &str) -> String {
    encoded(segment).to_string()
}

/// `segment` percent-encoded as [`encode_segment`] does, written where it is displayed.
pub(crate) fn encoded(segment: &str) -> PercentEncode<'_> {
    utf8_percent_encode(segment, SEGMENT)
}

/// The server root, path prefix kept, without a trailing `/` or a version segment:
/// `https://host/hipchat/v2/` → `https://host/hipchat`.
pub(crate) fn api_root(url: &Url) -> Url {
    let path = url.path().trim_end_matches('/');
    let path = ["/v2", "/v1"]
        .iter()
        .find_map(|version| path.strip_suffix(version))
        .unwrap_or(path);
    let mut root = url.clone();
    root.set_path(path);
    root.set_query(None);
    root.set_fragment(None);
    root
}

/// `api_root` with `path` (encoded, starting with `/`) after its prefix. Only the path is
/// parsed, once per request: the root was checked when the client was built.
pub(crate) fn endpoint(api_root: &Url, path: fmt::Arguments<'_>) -> Url {
    let prefix = api_root.path().trim_end_matches('/');
    let mut full = String::with_capacity(prefix.len() + 64);
    full.push_str(prefix);
    // Writing into a String cannot fail.
    let _ = full.write_fmt(path);
    let mut url = api_root.clone();
    url.set_path(&full);
    url
}

/// A room, user, key or id as one encoded path segment of a REST request; `what` names
/// it in the error (`"room"` gives [`ValidationError::UnroutableRoom`]). Rooms and users
/// are checked against their limits too.
pub(crate) fn segment<'a>(
    what: &'static str,
    value: &'a str,
) -> Result<PercentEncode<'a>, ValidationError> {
    // Rooms are 1–100 characters, users (an id, email or `@mention`) 1–254 (base §2).
    match what {
        "room" => hipchat_spec::ROOM.check(value)?,
        "user" => hipchat_spec::USER.check(value)?,
        _ => {}
    }
    if matches!(value, "" | "." | "..") {
        return Err(match what {
            "room" => ValidationError::UnroutableRoom(value.to_owned()),
            _ => ValidationError::UnroutableSegment {
                what,
                value: value.to_owned(),
            },
        });
    }
    Ok(encoded(value))
}

/// Whether `link` (a `links.next` the server sent) is under `api_root`: same scheme, host
/// and port, and within its path prefix. The token is only ever sent there.
pub(crate) fn is_under(api_root: &Url, link: &Url) -> bool {
    let prefix = api_root.path().trim_end_matches('/');
    link.scheme() == api_root.scheme()
        && link.host_str() == api_root.host_str()
        && link.port_or_known_default() == api_root.port_or_known_default()
        && link
            .path()
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_reserved_character_in_segments() {
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
            ("@alice", "%40alice"),
        ];
        for (room, encoded) in cases {
            assert_eq!(encode_segment(room), encoded, "{room}");
        }
    }

    #[test]
    fn refuses_segments_that_do_not_route() {
        for value in ["", ".", ".."] {
            assert!(segment("key", value).is_err(), "{value:?}");
        }
        assert_eq!(segment("key", "...").unwrap().to_string(), "...");
        assert!(matches!(
            segment("room", ".."),
            Err(ValidationError::UnroutableRoom(_))
        ));
        let long = "r".repeat(101);
        assert!(matches!(
            segment("room", &long),
            Err(ValidationError::Limit(_))
        ));
    }

    #[test]
    fn api_root_tolerates_trailing_slash_version_and_query() {
        for (given, root) in [
            ("https://api.hipchat.com", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/v2", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/v2/", "https://api.hipchat.com/"),
            ("https://api.hipchat.com/v1/", "https://api.hipchat.com/"),
            ("https://h/v2/?auth_token=x", "https://h/"),
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

    #[test]
    fn only_links_under_the_root_are_followed() {
        let root = Url::parse("http://127.0.0.1:8080/chat").unwrap();
        let under = |link: &str| is_under(&root, &Url::parse(link).unwrap());
        assert!(under("http://127.0.0.1:8080/chat/v2/room?start-index=100"));
        assert!(!under("http://127.0.0.1:8081/chat/v2/room"));
        assert!(!under("https://127.0.0.1:8080/chat/v2/room"));
        assert!(!under("http://evil.example/chat/v2/room"));
        assert!(!under("http://127.0.0.1:8080/chatter/v2/room"));
        let plain = Url::parse("https://api.hipchat.com/").unwrap();
        assert!(is_under(
            &plain,
            &Url::parse("https://api.hipchat.com:443/v2/user").unwrap()
        ));
    }
}
