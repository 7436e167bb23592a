//! Signed requests (spec §4): the axum extractor [`SignedRequest`] that proves HipChat
//! sent a request on behalf of one installation, and who the user and room are.

use std::time::SystemTime;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::installation::Installation;
use crate::jwt::{Claims, JwtError, Unverified, find_token};
use crate::runtime::AddonRuntime;
use crate::store::StoreError;

/// A request HipChat signed for an installation: `Authorization: JWT <t>` (or the
/// legacy `JWT token=<t>`), or `signed_request` in the query. Verified in the spec's
/// order: HS256 only, whatever the header says; the issuer looked up in the store (so an
/// uninstall anywhere is seen at once); a constant-time signature check; expiry with
/// the runtime's [`Policy`](crate::jwt::Policy). No mode switches any check off.
///
/// Use it as a handler argument where the state gives the [`AddonRuntime`]
/// (`AddonRuntime: FromRef<S>`); a refused request never reaches the handler: 401 (with
/// `WWW-Authenticate: JWT`) or 400 for a malformed token.
///
/// ```no_run
/// use hipchat_connect::SignedRequest;
///
/// async fn sidebar(signed: SignedRequest) -> String {
///     format!("Hello user {:?} in room {:?}", signed.claims.user, signed.claims.room)
/// }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignedRequest {
    /// The installation that signed it.
    pub installation: Installation,
    /// Who and where: user, room, time zone, the open `context`.
    pub claims: Claims,
}

/// Why a signed request was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignedRequestRejection {
    /// The token is missing, malformed, not HipChat's, or expired.
    #[error(transparent)]
    Jwt(#[from] JwtError),
    /// The installation could not be looked up.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IntoResponse for SignedRequestRejection {
    fn into_response(self) -> Response {
        match self {
            SignedRequestRejection::Jwt(error) => {
                tracing::debug!(%error, "signed request refused");
                let status =
                    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNAUTHORIZED);
                // One text for every 401: which check failed (unknown issuer, signature,
                // expiry) would tell a prober whether an oauthId is installed. The log
                // line above has it.
                let body = match status {
                    StatusCode::UNAUTHORIZED => {
                        "this request is not signed by an installation of this add-on".to_owned()
                    }
                    _ => error.to_string(),
                };
                let mut response = (status, body).into_response();
                if let Some(challenge) = error.www_authenticate() {
                    response.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        header::HeaderValue::from_static(challenge),
                    );
                }
                response
            }
            SignedRequestRejection::Store(error) => {
                tracing::error!(%error, "signed request: the installation store failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the installation store is unavailable",
                )
                    .into_response()
            }
        }
    }
}

impl AddonRuntime {
    /// Verifies a request's token (the header, or `signed_request` in the query or in
    /// `form`, a urlencoded body the caller has read) against the installations.
    pub async fn verify_request(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        form: Option<&[u8]>,
    ) -> Result<SignedRequest, SignedRequestRejection> {
        let found = find_token(headers, uri, form).ok_or(JwtError::Missing)?;
        let unverified = Unverified::parse(&found.token)?;
        let installation = self
            .store()
            .get(unverified.issuer())
            .await?
            .ok_or_else(|| unverified.unknown_issuer())?;
        let claims = unverified.verify(
            &installation.oauth_secret,
            SystemTime::now(),
            self.jwt_policy(),
        )?;
        Ok(SignedRequest {
            installation,
            claims,
        })
    }
}

impl<S> FromRequestParts<S> for SignedRequest
where
    S: Send + Sync,
    AddonRuntime: FromRef<S>,
{
    type Rejection = SignedRequestRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        AddonRuntime::from_ref(state)
            .verify_request(&parts.headers, &parts.uri, None)
            .await
    }
}
