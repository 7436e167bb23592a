//! `POST /v2/oauth/token` for installed add-ons (spec hipchat-connect §3): the
//! client_credentials grant.
//!
//! `Authorization: Basic base64(oauthId:oauthSecret)`; the body is a form or, as
//! ac-node sent it, JSON: `grant_type=client_credentials`, `scope` space-separated (a
//! literal `+` separates too). Reply `{"access_token","expires_in","group_id",
//! "group_name","scope","token_type":"bearer"}`; `expires_in` 3599 unless configured
//! (`addon_token_lifetime_secs`, `DevServer::set_token_lifetime`, `PUT
//! /admin/addons/token-lifetime`). Unknown or revoked credentials → 401 `Invalid OAuth
//! session`.
//!
//! \[unrecorded\] No source shows HipChat's answers to a bad grant or to scopes outside
//! the descriptor; this server answers 400 naming the problem. Without `scope` the token
//! gets every scope of the descriptor \[decision\].

use axum::http::header;
use axum::response::Response;
use serde_json::{Value, json};

use crate::api::rest::{self, Call};
use crate::directory::installations::{IssuedToken, random_alphanumeric};
use crate::error::ApiError;

/// The length of issued access tokens.
pub const TOKEN_LENGTH: usize = 40;

/// The token endpoint.
pub fn issue(call: &Call) -> Result<Response, ApiError> {
    let (client_id, secret) = basic_credentials(call).ok_or_else(ApiError::invalid_session)?;
    let params = parameters(call)?;
    let param = |name: &str| {
        params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    match param("grant_type") {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Unsupported grant_type {other:?}: add-ons use client_credentials"
            )));
        }
        None => return Err(ApiError::bad_request("Missing grant_type")),
    }
    let now = call.state.clock.now();
    let mut data = call.state.directory.lock();
    let installation = data
        .installations
        .installations
        .get(&client_id)
        .filter(|installation| installation.oauth_secret == secret)
        .ok_or_else(ApiError::invalid_session)?;
    let requested: Vec<String> = match param("scope") {
        Some(scope) => scope
            .split(|c: char| c.is_whitespace() || c == '+')
            .filter(|scope| !scope.is_empty())
            .map(str::to_owned)
            .collect(),
        None => installation.scopes.clone(),
    };
    let outside: Vec<&str> = requested
        .iter()
        .filter(|scope| !installation.scopes.contains(scope))
        .map(String::as_str)
        .collect();
    if !outside.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Invalid scope: {} (the add-on's descriptor declares: {})",
            outside.join(" "),
            installation.scopes.join(" ")
        )));
    }
    let lifetime = data.installations.lifetime();
    let token = random_alphanumeric(TOKEN_LENGTH);
    data.installations.tokens.insert(
        token.clone(),
        IssuedToken {
            oauth_id: client_id,
            scopes: requested.clone(),
            expires: now + lifetime,
        },
    );
    Ok(rest::ok(json!({
        "access_token": token,
        "expires_in": lifetime.as_secs(),
        "group_id": data.group.id,
        "group_name": data.group.name,
        "scope": requested.join(" "),
        "token_type": "bearer",
    })))
}

/// `(oauthId, oauthSecret)` from `Authorization: Basic …`.
fn basic_credentials(call: &Call) -> Option<(String, String)> {
    let value = call.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(crate::base64::decode(encoded.trim())?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// The body's parameters: a JSON object (strings, or lists of strings joined by spaces)
/// or a form.
fn parameters(call: &Call) -> Result<Vec<(String, String)>, ApiError> {
    let trimmed = call.body.trim_ascii_start();
    if trimmed.first() == Some(&b'{') {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(trimmed) else {
            return Err(ApiError::bad_request("Invalid JSON body"));
        };
        return Ok(map
            .into_iter()
            .filter_map(|(key, value)| {
                let text = match value {
                    Value::String(text) => text,
                    Value::Array(items) => items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => return None,
                };
                Some((key, text))
            })
            .collect());
    }
    Ok(url::form_urlencoded::parse(&call.body)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect())
}
