//! Tokens (spec §3): `Authorization: Bearer` or the `auth_token` query parameter (the
//! header wins). Permissive mode takes any token; strict mode only the configured ones,
//! with their scopes, API version and room binding.

use axum::http::{HeaderMap, header};

use crate::api::common::Query;
use crate::config::TokenConfig;
use crate::error::ApiError;
use crate::rooms::Room;
use crate::state::AppState;

/// The label of tokens that have none.
pub const DEFAULT_LABEL: &str = "Dev";

/// The token a request carries: the Bearer header, else `auth_token` in the query.
pub fn token<'a>(headers: &'a HeaderMap, query: &'a Query) -> Option<&'a str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|token| !token.is_empty());
    bearer.or_else(|| query.get("auth_token").filter(|token| !token.is_empty()))
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token.
    pub token: String,
    /// Shown as the sender.
    pub label: String,
    /// A room notification token's room (id or name).
    pub room: Option<String>,
}

impl Caller {
    /// A room-bound token may only address its own room (401 otherwise, spec §3).
    pub fn check_room(&self, room: &Room) -> Result<(), ApiError> {
        match &self.room {
            Some(bound) if !room.matches(bound) => Err(ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "This room notification token is not valid for this room",
            )),
            _ => Ok(()),
        }
    }
}

/// Checks a v2 (`version` 2) or v1 token for `scope`.
pub fn authenticate(
    state: &AppState,
    token: Option<&str>,
    scope: &str,
    version: u8,
) -> Result<Caller, ApiError> {
    let token = token.ok_or_else(ApiError::missing_token)?;
    let default_label = state
        .config
        .default_label
        .clone()
        .unwrap_or_else(|| DEFAULT_LABEL.to_owned());
    if !state.config.strict {
        return Ok(Caller {
            token: token.to_owned(),
            label: default_label,
            room: None,
        });
    }
    let known: &TokenConfig = state
        .config
        .tokens
        .iter()
        .find(|known| known.token == token && known.version == version)
        .ok_or_else(ApiError::invalid_session)?;
    if !known.scopes.is_empty() && !known.scopes.iter().any(|granted| granted == scope) {
        return Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            format!("This token does not have the required scope: {scope}"),
        ));
    }
    Ok(Caller {
        token: token.to_owned(),
        label: known.label.clone().unwrap_or(default_label),
        room: known.room.clone(),
    })
}
