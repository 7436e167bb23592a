//! Room path segments (spec §2): the segment is percent-decoded once as UTF-8; all
//! digits → an id, anything else → the exact name (`+` stays a plus); 1–100 characters.
//!
//! Reads find rooms in the [`directory`](crate::directory) ([`resolve`]: unknown → 404
//! `Room not found`). Writes that address a room ([`find_or_create`]) create it on first
//! use in permissive mode (by the digits as id and name, or by name with the next free
//! id); strict mode knows its configured rooms and those made with create_room.

use percent_encoding::percent_decode_str;

use crate::error::ApiError;
use crate::state::AppState;

/// A room found in the directory: enough to address and record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// Numeric id.
    pub id: u64,
    /// Name.
    pub name: String,
}

impl Room {
    /// Whether `reference` (an id or a name) names this room.
    pub fn matches(&self, reference: &str) -> bool {
        reference == self.name || reference.parse::<u64>().ok() == Some(self.id)
    }
}

/// Decodes a raw (still percent-encoded) path segment into a room reference, checking
/// its length (404 `Room not found` otherwise).
pub fn decode_segment(raw: &str) -> Result<String, ApiError> {
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| ApiError::room_not_found())?;
    check_reference(&decoded)?;
    Ok(decoded.into_owned())
}

fn check_reference(reference: &str) -> Result<(), ApiError> {
    let length = reference.chars().count();
    if !(1..=100).contains(&length) {
        return Err(ApiError::room_not_found());
    }
    Ok(())
}

/// Decodes a raw path segment and finds the room (reads).
pub fn resolve_segment(state: &AppState, raw: &str) -> Result<Room, ApiError> {
    resolve(state, &decode_segment(raw)?)
}

/// Finds the room a decoded id or name names (reads): 404 when there is none.
pub fn resolve(state: &AppState, reference: &str) -> Result<Room, ApiError> {
    check_reference(reference)?;
    state
        .directory
        .lock()
        .room(reference)
        .map(|room| Room {
            id: room.id,
            name: room.name.clone(),
        })
        .ok_or_else(ApiError::room_not_found)
}

/// Finds the room a decoded id or name names, creating it in permissive mode, owned by
/// `owner` (writes such as notifications; v1's `room_id` form field comes here too).
pub fn find_or_create(state: &AppState, reference: &str, owner: u64) -> Result<Room, ApiError> {
    check_reference(reference)?;
    let mut directory = state.directory.lock();
    if let Some(room) = directory.room(reference) {
        return Ok(Room {
            id: room.id,
            name: room.name.clone(),
        });
    }
    if state.config.strict {
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
    let room = directory.add_room(id, reference.to_owned(), owner, state.clock.now());
    Ok(Room {
        id: room.id,
        name: room.name.clone(),
    })
}
