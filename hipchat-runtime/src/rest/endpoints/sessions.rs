//! OAuth sessions (spec v2 §9): what a token may do, and revoking it. The token is part
//! of the path: it is redacted wherever the request is shown.

use reqwest::Method;
use secrecy::SecretString;

use crate::rest::Client;
use crate::rest::model::Session;
use crate::rest::request::{About, Call, Request, json, nothing};
use crate::rest::url::segment;

/// OAuth sessions: `client.sessions()`.
#[derive(Debug, Clone, Copy)]
pub struct SessionsHandler<'a> {
    client: &'a Client,
}

impl<'a> SessionsHandler<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    fn request(self, method: Method, token: &SecretString) -> Result<Request, crate::Error> {
        use secrecy::ExposeSecret;
        let encoded = segment("access token", token.expose_secret())?;
        Ok(self
            .client
            .request(
                method,
                About::Other("the OAuth session".into()),
                format_args!("/oauth/token/{encoded}"),
            )
            .secret_in_path(token.clone()))
    }

    /// get_session: `GET /v2/oauth/token/{access_token}`: the token's client, its
    /// room if it is bound to one, and its scopes.
    pub fn get(self, access_token: &SecretString) -> Call<'a, Session> {
        Call::new(self.client, self.request(Method::GET, access_token), json)
    }

    /// delete_session: `DELETE /v2/oauth/token/{access_token}`: revokes the token.
    pub fn delete(self, access_token: &SecretString) -> Call<'a, ()> {
        Call::new(
            self.client,
            self.request(Method::DELETE, access_token),
            nothing,
        )
    }
}
