//! OAuth: get_session (spec §9), the token reply of `POST /v2/oauth/token`, and the
//! `auth_test=true` reply.

use super::common::Secret;
use super::de;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The body of get_session (`GET /v2/oauth/token/{access_token}`).
///
/// Only `client` and `scopes` are recorded; any other key is kept in [`extra`](Self::extra).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Session {
    /// The OAuth client the token belongs to.
    pub client: SessionClient,
    /// The scopes this token has (opaque strings, e.g. `send_notification`).
    #[serde(default, deserialize_with = "de::null_default")]
    pub scopes: Vec<String>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `client` of a [`Session`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionClient {
    /// The scopes the client may request.
    #[serde(default, deserialize_with = "de::null_default")]
    pub allowed_scopes: Vec<String>,
    /// The client's name (a room token's label).
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// The room a room token is bound to; `None` (`null`) for group and user tokens.
    #[serde(default)]
    pub room: Option<SessionRoom>,
}

/// The `room` of a [`SessionClient`]: `{id, name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionRoom {
    /// The room's id.
    pub id: u64,
    /// The room's name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
}

/// The reply of `POST /v2/oauth/token`. The `access_token` (and a `refresh_token`, if any)
/// are [`Secret`]s: redacted in `Debug`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The access token.
    pub access_token: Secret,
    /// Lifetime in seconds.
    #[serde(default)]
    pub expires_in: Option<u64>,
    /// The group the token is for.
    #[serde(default)]
    pub group_id: Option<u64>,
    /// That group's name.
    #[serde(default)]
    pub group_name: Option<String>,
    /// The granted scopes, space-separated (as sent).
    #[serde(default, deserialize_with = "de::null_default")]
    pub scope: String,
    /// `bearer`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub token_type: String,
    /// A refresh token (authorization-code grants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
}

impl TokenResponse {
    /// The granted scopes, split on whitespace.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.split_whitespace()
    }
}

/// The `202 Accepted` reply to any call made with `auth_test=true`: `{"success":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthTest {
    /// What HipChat said.
    pub success: AuthTestSuccess,
}

/// The `success` of an [`AuthTest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthTestSuccess {
    /// `202`.
    pub code: u16,
    /// `Accepted`.
    #[serde(rename = "type", default, deserialize_with = "de::null_default")]
    pub kind: String,
    /// `This auth_token has access to use this method.`
    #[serde(default, deserialize_with = "de::null_default")]
    pub message: String,
}
