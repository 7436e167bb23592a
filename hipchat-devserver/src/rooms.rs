//! Rooms (spec §2): the path segment is percent-decoded once as UTF-8; all digits → an
//! id, anything else → the exact name (`+` stays a plus). Permissive mode creates rooms
//! on first use; strict mode knows only its configured rooms (404 `Room not found`).

use percent_encoding::percent_decode_str;

use crate::error::ApiError;
use crate::state::AppState;

/// A resolved room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// Numeric id, when known.
    pub id: Option<u64>,
    /// Name (the digits when a permissive room is addressed by id).
    pub name: String,
}

impl Room {
    /// Whether `reference` (an id or a name) names this room.
    pub fn matches(&self, reference: &str) -> bool {
        reference == self.name
            || reference
                .parse::<u64>()
                .ok()
                .is_some_and(|id| Some(id) == self.id)
    }
}

/// Decodes a raw (still percent-encoded) path segment and resolves it.
pub fn resolve_segment(state: &AppState, raw: &str) -> Result<Room, ApiError> {
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| ApiError::room_not_found())?;
    resolve(state, &decoded)
}

/// Resolves a decoded id or name (v1's `room_id` form field comes here directly).
pub fn resolve(state: &AppState, reference: &str) -> Result<Room, ApiError> {
    let length = reference.chars().count();
    if !(1..=100).contains(&length) {
        return Err(ApiError::room_not_found());
    }
    let id = if reference.bytes().all(|b| b.is_ascii_digit()) {
        Some(
            reference
                .parse::<u64>()
                .map_err(|_| ApiError::room_not_found())?,
        )
    } else {
        None
    };
    if !state.config.strict {
        return Ok(Room {
            id,
            name: reference.to_owned(),
        });
    }
    state
        .config
        .rooms
        .iter()
        .find(|room| match id {
            Some(id) => room.id == id,
            None => room.name == reference,
        })
        .map(|room| Room {
            id: Some(room.id),
            name: room.name.clone(),
        })
        .ok_or_else(ApiError::room_not_found)
}
