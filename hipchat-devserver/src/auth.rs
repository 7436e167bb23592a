//! Tokens (spec §3, v2 §1): `Authorization: Bearer` or the `auth_token` query parameter
//! (the header wins). Permissive mode takes any token, with every scope and kind, acting
//! as the group's owner; strict mode only the configured ones, with their scopes, API
//! version, caller kind, user and room binding.
//!
//! Access tokens issued to installed Connect add-ons by `POST /v2/oauth/token` are a
//! third kind, known in both modes: an add-on caller (G or R) with the granted scopes,
//! 401 once expired or revoked (uninstall).
//!
//! Answers: no token or an unknown one → 401; a token lacking the scope → 403 `This
//! action requires one of the following scopes: [u'a', u'b']` (recorded, v2 §1); a
//! caller kind the endpoint does not allow, or a room-bound token on another room → 403.

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::Value;

use crate::api::common::Query;
use crate::config::{TokenConfig, TokenKind};
use crate::directory::history::AddonSender;
use crate::directory::users::OWNER_ID;
use crate::error::ApiError;
use crate::pyrepr;
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

/// The caller kinds an endpoint allows (spec v2 §1 "who" columns).
pub mod kinds {
    use crate::config::TokenKind::{self, Group, Room, User};

    /// G R U.
    pub const ANY: &[TokenKind] = &[Group, Room, User];
    /// G U: group-level calls (list and create rooms, users).
    pub const GROUP_OR_USER: &[TokenKind] = &[Group, User];
    /// G R: add-on calls (room extensions).
    pub const ADDON: &[TokenKind] = &[Group, Room];
    /// U only (reply, invite, private history).
    pub const USER: &[TokenKind] = &[User];
    /// G only (global extensions, group glances).
    pub const GROUP: &[TokenKind] = &[Group];
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token.
    pub token: String,
    /// Shown as the sender of notifications.
    pub label: String,
    /// A room-bound token's room (id or name).
    pub room: Option<String>,
    /// The caller kind; `None` in permissive mode, where every kind is allowed.
    pub kind: Option<TokenKind>,
    /// The user the token acts as.
    pub user_id: u64,
    /// An add-on's key (strict tokens with `addon_key`): its notifications carry
    /// `notification_sender`.
    pub addon: Option<AddonSender>,
}

impl Caller {
    /// A room-bound token may only address its own room (403 otherwise, v2 §10).
    pub fn check_room(&self, room: &Room) -> Result<(), ApiError> {
        match &self.room {
            Some(bound) if !room.matches(bound) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "This room notification token is not valid for this room",
            )),
            _ => Ok(()),
        }
    }

    /// 403 unless the caller's kind is one of `allowed` (permissive callers pass).
    pub fn check_kind(&self, allowed: &[TokenKind]) -> Result<(), ApiError> {
        match self.kind {
            Some(kind) if !allowed.contains(&kind) => {
                let message = if allowed == kinds::USER {
                    "This resource requires a user token".to_owned()
                } else {
                    let name = match kind {
                        TokenKind::Group => "group",
                        TokenKind::Room => "room",
                        TokenKind::User => "user",
                    };
                    format!("This resource is not available to {name} tokens")
                };
                Err(ApiError::new(StatusCode::FORBIDDEN, message))
            }
            _ => Ok(()),
        }
    }
}

/// 403 naming the accepted scopes as Python printed the list (v2 §1, recorded).
pub fn missing_scope(scopes: &[&str]) -> ApiError {
    let list = Value::Array(scopes.iter().map(|scope| Value::from(*scope)).collect());
    ApiError::new(
        StatusCode::FORBIDDEN,
        format!(
            "This action requires one of the following scopes: {}",
            pyrepr::repr(&list)
        ),
    )
}

/// Checks a v2 (`version` 2) or v1 token for one of `scopes` (none: any token).
pub fn authenticate(
    state: &AppState,
    token: Option<&str>,
    scopes: &[&str],
    version: u8,
) -> Result<Caller, ApiError> {
    let token = token.ok_or_else(ApiError::missing_token)?;
    if state.directory.lock().revoked.contains(token) {
        return Err(ApiError::invalid_session());
    }
    if let Some(caller) = addon_caller(state, token, scopes)? {
        return Ok(caller);
    }
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
            kind: None,
            user_id: OWNER_ID,
            addon: None,
        });
    }
    let known: &TokenConfig = state
        .config
        .tokens
        .iter()
        .find(|known| known.token == token && known.version == version)
        .ok_or_else(ApiError::invalid_session)?;
    let granted = |scope: &&str| known.scopes.iter().any(|granted| granted == scope);
    if !scopes.is_empty() && !known.scopes.is_empty() && !scopes.iter().any(granted) {
        return Err(missing_scope(scopes));
    }
    let user_id = match &known.user {
        Some(reference) => state
            .directory
            .lock()
            .user(reference)
            .map_or(OWNER_ID, |user| user.id),
        None => OWNER_ID,
    };
    let kind = known.kind.unwrap_or(if known.room.is_some() {
        TokenKind::Room
    } else {
        TokenKind::User
    });
    Ok(Caller {
        token: token.to_owned(),
        label: known.label.clone().unwrap_or(default_label),
        room: known.room.clone(),
        kind: Some(kind),
        user_id,
        addon: known.addon_key.clone().map(AddonSender::from_key),
    })
}

/// The caller of an access token the token endpoint issued (`None`: not one), in either
/// mode: kind G for a global install, R bound to the room for a room install, with the
/// granted scopes only; an expired one → 401 `Invalid OAuth session`. The add-on's
/// notifications carry `notification_sender` with its key and oauthId.
fn addon_caller(
    state: &AppState,
    token: &str,
    scopes: &[&str],
) -> Result<Option<Caller>, ApiError> {
    let data = state.directory.lock();
    let Some(issued) = data.installations.tokens.get(token) else {
        return Ok(None);
    };
    let (installation, issued) = data
        .installations
        .token(token, state.clock.now())
        .filter(|(_, found)| found.oauth_id == issued.oauth_id)
        .ok_or_else(ApiError::invalid_session)?;
    let granted = |scope: &&str| issued.scopes.iter().any(|granted| granted == scope);
    if !scopes.is_empty() && !scopes.iter().any(granted) {
        return Err(missing_scope(scopes));
    }
    let label = installation
        .descriptor
        .pointer("/capabilities/hipchatApiConsumer/fromName")
        .and_then(Value::as_str)
        .unwrap_or(&installation.name)
        .to_owned();
    Ok(Some(Caller {
        token: token.to_owned(),
        label,
        room: installation.room_id.map(|id| id.to_string()),
        kind: Some(if installation.room_id.is_some() {
            TokenKind::Room
        } else {
            TokenKind::Group
        }),
        user_id: OWNER_ID,
        addon: Some(AddonSender {
            key: installation.key.clone(),
            client_id: installation.oauth_id.clone(),
        }),
    }))
}
