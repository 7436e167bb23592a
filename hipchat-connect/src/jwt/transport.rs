//! Where a request carries its token (spec §4, Transport; §8, item 2).

use axum::http::{HeaderMap, Uri, header::AUTHORIZATION};

/// The query and form parameter that carries a token to iframes and glance queries.
const SIGNED_REQUEST: &str = "signed_request";

/// A token found in a request, not yet checked.
#[derive(Clone, PartialEq, Eq)]
pub struct FoundToken {
    /// The token, without scheme, `token=` or surrounding whitespace.
    pub token: String,
    /// Where it was.
    pub source: TokenLocation,
}

impl std::fmt::Debug for FoundToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a bearer credential for its lifetime: never printed.
        f.debug_struct("FoundToken")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Where a [`FoundToken`] was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenLocation {
    /// `Authorization: JWT <token>`: jwt webhooks, the add-on's own pages.
    Header,
    /// `Authorization: JWT token=<token>`, the form ac-node-hipchat required.
    LegacyHeader,
    /// `?signed_request=<token>`: iframes and glance queries.
    Query,
    /// `signed_request=<token>` in a urlencoded form body.
    Form,
}

/// Finds the request's token, looking in this order: the first `Authorization` header
/// whose scheme is `JWT` (any case), as `JWT <token>` or `JWT token=<token>` (the value
/// may be quoted), whitespace around either tolerated; then the first non-empty
/// `signed_request` query parameter; then the first non-empty `signed_request` in `form`.
///
/// `form` is the raw body of an `application/x-www-form-urlencoded` request; pass `None`
/// for any other content type. From axum's `Parts`: `find_token(&parts.headers,
/// &parts.uri, form)`.
///
/// Nothing else is a token: not a `Bearer` header, not a header value that is not visible
/// ASCII, not an empty value. `None` is [`JwtError::Missing`](super::JwtError::Missing).
pub fn find_token(headers: &HeaderMap, uri: &Uri, form: Option<&[u8]>) -> Option<FoundToken> {
    headers
        .get_all(AUTHORIZATION)
        .iter()
        .find_map(|value| from_authorization(value.to_str().ok()?))
        .or_else(|| {
            let query = uri.query()?;
            signed_request(query.as_bytes()).map(|token| FoundToken {
                token,
                source: TokenLocation::Query,
            })
        })
        .or_else(|| {
            signed_request(form?).map(|token| FoundToken {
                token,
                source: TokenLocation::Form,
            })
        })
}

/// `JWT <token>` or `JWT token=<token>`; `None` for any other scheme or an empty token.
fn from_authorization(value: &str) -> Option<FoundToken> {
    let (scheme, rest) = value.trim().split_once(|c: char| c.is_ascii_whitespace())?;
    if !scheme.eq_ignore_ascii_case("JWT") {
        return None;
    }
    let rest = rest.trim();
    let (token, source) = match rest.get(..6) {
        Some(prefix) if prefix.eq_ignore_ascii_case("token=") => {
            let value = rest[6..].trim();
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            (unquoted, TokenLocation::LegacyHeader)
        }
        _ => (rest, TokenLocation::Header),
    };
    (!token.is_empty()).then(|| FoundToken {
        token: token.to_owned(),
        source,
    })
}

/// The first non-empty `signed_request` of a urlencoded string.
fn signed_request(urlencoded: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(urlencoded)
        .find(|(key, value)| key == SIGNED_REQUEST && !value.is_empty())
        .map(|(_, value)| value.into_owned())
}
