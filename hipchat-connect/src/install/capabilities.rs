//! The capabilities document an install names (spec §2.1 c–d): fetched without
//! credentials, its `links.self` checked against the URL it was fetched from, and the
//! token URL and API base kept, normalised.

use serde::Deserialize;
use url::Url;

use super::Refusal;

/// What an installation needs from the capabilities document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerUrls {
    pub(crate) token_url: Url,
    /// `links.api` (preferred) or `hipchatApiProvider.url`, without a trailing slash.
    pub(crate) api_base: Url,
    pub(crate) homepage: Option<Url>,
}

#[derive(Deserialize)]
struct Document {
    links: Links,
    #[serde(default)]
    capabilities: Capabilities,
}

#[derive(Deserialize)]
struct Links {
    #[serde(rename = "self")]
    self_url: String,
    api: Option<String>,
    homepage: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Capabilities {
    oauth2_provider: Option<OAuth2Provider>,
    hipchat_api_provider: Option<ApiProvider>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OAuth2Provider {
    token_url: String,
}

#[derive(Deserialize)]
struct ApiProvider {
    url: String,
}

/// HipChat's capabilities document is a few KiB; an answer larger than this is not one.
pub(crate) const MAX_DOCUMENT: usize = 64 * 1024;

/// GETs `capabilities_url` (`as_sent`, the URL as the install body wrote it) and reads
/// the server's URLs from it.
pub(crate) async fn fetch(
    http: &reqwest::Client,
    capabilities_url: &Url,
    as_sent: &str,
) -> Result<ServerUrls, Refusal> {
    let body = get_capped(http, capabilities_url, "the capabilities document").await?;
    read(capabilities_url, as_sent, &body)
}

/// GETs `url` and reads at most [`MAX_DOCUMENT`] bytes of a success answer; `what`
/// names the document in refusals.
pub(crate) async fn get_capped(
    http: &reqwest::Client,
    url: &Url,
    what: &str,
) -> Result<Vec<u8>, Refusal> {
    let mut answer = http.get(url.clone()).send().await.map_err(|e| {
        Refusal::bad_request(format!("could not fetch {what} {url}: {}", e.without_url()))
    })?;
    if !answer.status().is_success() {
        return Err(Refusal::bad_request(format!(
            "{what} {url} answered {}",
            answer.status()
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(|e| {
        Refusal::bad_request(format!("could not read {what} {url}: {}", e.without_url()))
    })? {
        if body.len() + chunk.len() > MAX_DOCUMENT {
            return Err(Refusal::bad_request(format!(
                "{what} {url} is larger than {} KiB",
                MAX_DOCUMENT / 1024
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a fetched document: `links.self` must be, byte for byte, the URL the install
/// body sent (`as_sent`).
pub(crate) fn read(
    capabilities_url: &Url,
    as_sent: &str,
    body: &[u8],
) -> Result<ServerUrls, Refusal> {
    let document: Document = serde_json::from_slice(body).map_err(|e| {
        Refusal::bad_request(format!(
            "the capabilities document {capabilities_url} is not one: {e}"
        ))
    })?;
    if document.links.self_url != as_sent {
        return Err(Refusal::bad_request(format!(
            "the capabilities document {capabilities_url} names itself {:?}: \
             not the document the installation named",
            document.links.self_url
        )));
    }
    let token_url = document
        .capabilities
        .oauth2_provider
        .map(|provider| provider.token_url)
        .ok_or_else(|| {
            Refusal::bad_request(format!(
                "the capabilities document {capabilities_url} has no oauth2Provider.tokenUrl"
            ))
        })?;
    let api = document
        .links
        .api
        .or(document.capabilities.hipchat_api_provider.map(|p| p.url))
        .ok_or_else(|| {
            Refusal::bad_request(format!(
                "the capabilities document {capabilities_url} has neither links.api nor \
                 hipchatApiProvider.url"
            ))
        })?;
    Ok(ServerUrls {
        token_url: absolute(capabilities_url, "oauth2Provider.tokenUrl", &token_url)?,
        api_base: without_trailing_slash(absolute(capabilities_url, "links.api", &api)?),
        homepage: document
            .links
            .homepage
            .and_then(|homepage| Url::parse(&homepage).ok()),
    })
}

fn absolute(document: &Url, field: &str, value: &str) -> Result<Url, Refusal> {
    Url::parse(value)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or_else(|| {
            Refusal::bad_request(format!(
                "the capabilities document {document} has {field} {value:?}: not an http(s) URL"
            ))
        })
}

/// `https://h/v2/` → `https://h/v2`: joined with `/room/…` it must not become `/v2//room`
/// (spec §8.6).
fn without_trailing_slash(mut url: Url) -> Url {
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hipchat-connect/hipchat-server-capabilities.json"
    ));

    #[test]
    fn reads_the_recorded_document() {
        let document: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        let url = Url::parse(document["links"]["self"].as_str().unwrap()).unwrap();
        let urls = read(&url, url.as_str(), FIXTURE.as_bytes()).unwrap();
        assert!(
            urls.token_url.as_str().ends_with("/v2/oauth/token"),
            "{urls:?}"
        );
        assert!(!urls.api_base.path().ends_with('/'), "{urls:?}");
        assert!(urls.api_base.path().ends_with("/v2"), "{urls:?}");
    }

    #[test]
    fn a_document_that_names_another_url_is_refused() {
        let other = Url::parse("https://evil.example/v2/capabilities").unwrap();
        let refusal = read(&other, other.as_str(), FIXTURE.as_bytes()).unwrap_err();
        assert_eq!(refusal.status, axum::http::StatusCode::BAD_REQUEST);
        assert!(
            refusal.reason.contains("names itself"),
            "{}",
            refusal.reason
        );
    }

    #[test]
    fn api_base_loses_its_trailing_slash() {
        let url = Url::parse("https://h/v2/capabilities").unwrap();
        let body = serde_json::json!({
            "links": {"self": "https://h/v2/capabilities"},
            "capabilities": {
                "oauth2Provider": {"tokenUrl": "https://h/v2/oauth/token"},
                "hipchatApiProvider": {"url": "https://h/v2/"}
            }
        });
        let urls = read(&url, url.as_str(), body.to_string().as_bytes()).unwrap();
        assert_eq!(urls.api_base.as_str(), "https://h/v2");
    }
}
