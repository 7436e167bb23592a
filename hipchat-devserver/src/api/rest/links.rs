//! Absolute links (spec v2 §2): `http://` + the `Host` the client used + the path prefix
//! the API is served under (whatever precedes `/v2/` in the request path).

use axum::http::{HeaderMap, Uri, header};

/// Builds the absolute URLs of one request's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// `http://host[:port][prefix]`, without a trailing slash.
    base: String,
    /// The request's path, as sent (still percent-encoded).
    path: String,
    /// The host without the port (for `xmpp_jid`s).
    host: String,
}

impl Links {
    /// The links of a request to `uri` with `headers` (`Host` missing → `localhost`).
    pub fn new(uri: &Uri, headers: &HeaderMap) -> Self {
        let authority = headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .filter(|host| !host.is_empty() && host.bytes().all(|b| b.is_ascii_graphic()))
            .or_else(|| uri.authority().map(|authority| authority.as_str()))
            .unwrap_or("localhost")
            .to_owned();
        let path = uri.path().to_owned();
        let prefix = path.find("/v2/").map_or("", |at| &path[..at]);
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host.to_owned(),
            _ => authority.clone(),
        };
        Self {
            base: format!("http://{authority}{prefix}"),
            path,
            host,
        }
    }

    /// The links of the server listening at `addr` (for the Rust API's readers).
    pub fn for_addr(addr: std::net::SocketAddr) -> Self {
        Self {
            base: format!("http://{addr}"),
            path: String::new(),
            host: addr.ip().to_string(),
        }
    }

    /// The absolute URL of an API path such as `/v2/room/1`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The request's own URL without its query (a collection's `links.self`: the room
    /// segment echoed as given).
    pub fn request_url(&self) -> String {
        let prefix_len = self.path.find("/v2/").unwrap_or(0);
        self.url(&self.path[prefix_len..])
    }

    /// The host name the client used, without port.
    pub fn host(&self) -> &str {
        &self.host
    }
}
