//! generate_token for an add-on installation (base spec §9, connect spec §3): the
//! client-credentials grant, `POST <tokenUrl>` with `Authorization: Basic` and a form
//! body. The token it answers with is the bearer of every later request.

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::Error;
use crate::rest::model::TokenResponse;
use crate::rest::response::{self, Subject, error_from, transport_error};

/// A token reply is a few hundred bytes; a larger one is not HipChat's.
const MAX_TOKEN_REPLY: usize = 64 * 1024;

/// Asks `token_url` for an access token with `scopes` as the OAuth client `client_id`
/// (an installation's `oauthId`) and `client_secret`: `grant_type=client_credentials`,
/// the scopes space-separated, the credentials in `Authorization: Basic` (never in the
/// body or the URL). A 401 (`Invalid OAuth session`) means the installation is gone.
pub async fn client_credentials_token(
    http: &reqwest::Client,
    token_url: &Url,
    client_id: &str,
    client_secret: &SecretString,
    scopes: &[String],
) -> Result<TokenResponse, Error> {
    let scope = scopes.join(" ");
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", scope.as_str()),
    ];
    let answer = http
        .post(token_url.clone())
        .basic_auth(client_id, Some(client_secret.expose_secret()))
        .form(&form)
        .send()
        .await
        .map_err(|source| transport_error(source, token_url.to_string()))?;
    let status = answer.status();
    if !status.is_success() {
        let rate_limited = status == reqwest::StatusCode::TOO_MANY_REQUESTS;
        let error = error_from(
            answer,
            Subject::Other("the OAuth client"),
            rate_limited,
            client_secret,
        )
        .await;
        return Err(response::redact(
            error,
            &SecretString::from(client_id.to_owned()),
        ));
    }
    let body = response::read_capped(answer, MAX_TOKEN_REPLY, || token_url.to_string()).await?;
    serde_json::from_slice(&body).map_err(|source| Error::Decode {
        endpoint: token_url.to_string(),
        source: Box::new(source),
    })
}
