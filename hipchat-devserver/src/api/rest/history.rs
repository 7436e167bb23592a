//! Room history (spec v2 §3.5, §5.2): items added when a write is accepted, and the
//! \[emulator\] window semantics of view_room_history and view_recent_room_history.
//!
//! Window: items with `end-date ≤ date ≤ date`, newest first, then `start-index` /
//! `max-results`, then (with `reverse=true`, the default) the page oldest first.
//! `date=recent` (the default) ignores paging: the latest 75, oldest first.
//! `timezone` is accepted and ignored: dates without an offset are UTC, and items are
//! always dated `+00:00`. `include_deleted` is honoured, though no endpoint deletes yet.

use serde_json::json;

use super::Call;
use super::envelope;
use crate::directory::history::{AddonSender, Item};
use crate::error::ApiError;
use crate::recorded::{Kind, Recorded};
use crate::state::AppState;
use crate::validate;

/// How many items `date=recent` and view_recent_room_history return by default.
pub const RECENT: usize = 75;

/// Adds the room history item of a recorded room message (see
/// [`Item::from_recorded`]); `user_id` sent it (messages), `addon` is the sending
/// add-on's key (notifications). Private messages go to the private history of both
/// users instead.
pub fn add_recorded(
    state: &AppState,
    recorded: &Recorded,
    user_id: Option<u64>,
    addon: Option<AddonSender>,
) {
    if recorded.kind == Kind::PrivateMessage {
        return crate::api::user::history::add_recorded(state, recorded, user_id);
    }
    let Some(room_id) = recorded.room_id else {
        return;
    };
    add(state, room_id, |_new_id, date| {
        Item::from_recorded(recorded, user_id, addon, date)
    });
}

/// Adds the item `build` makes from a new UUID and the next date to room `room_id`'s
/// history (no-op when the room is gone or `build` makes none); returns the item's id.
pub fn add(
    state: &AppState,
    room_id: u64,
    build: impl FnOnce(String, i64) -> Option<Item>,
) -> Option<String> {
    let now = state.clock.now();
    let mut data = state.directory.lock();
    let date = data.next_date(now);
    let room = data.rooms.get_mut(&room_id)?;
    let item = build(uuid::Uuid::new_v4().to_string(), date)?;
    let id = item.id.clone();
    room.push_history(item, now);
    Some(id)
}

/// A `date` / `end-date` value: Unix seconds (fractions allowed), RFC 3339 with an
/// offset, or without one (UTC). A `+` sent unencoded arrives as a space and is read as
/// `+`. Answers microseconds since the epoch; 400 `type` for anything else.
pub fn parse_date(name: &str, text: &str) -> Result<i64, ApiError> {
    let bad = || validate::not_of_type(name, &json!(text), "datetime");
    let trimmed = text.trim();
    if let Ok(seconds) = trimmed.parse::<f64>() {
        if !seconds.is_finite() {
            return Err(bad());
        }
        return Ok((seconds * 1_000_000.0) as i64);
    }
    let fixed = match trimmed.rfind(' ') {
        Some(at) if at > 10 => format!("{}+{}", &trimmed[..at], &trimmed[at + 1..]),
        _ => trimmed.to_owned(),
    };
    if let Ok(timestamp) = fixed.parse::<jiff::Timestamp>() {
        return Ok(timestamp.as_microsecond());
    }
    // No offset: UTC.
    format!("{fixed}Z")
        .parse::<jiff::Timestamp>()
        .map(|timestamp| timestamp.as_microsecond())
        .map_err(|_| bad())
}

/// The items view_room_history shows for `call`'s query, and the envelope.
pub fn window(call: &Call, items: &[Item]) -> Result<serde_json::Value, ApiError> {
    let paging = envelope::Paging::from_call(call, 100)?;
    let reverse = envelope::boolean(call, "reverse", true)?;
    let include_deleted = envelope::boolean(call, "include_deleted", true)?;
    let date = call.query.get("date").unwrap_or("recent");
    let kept = items.iter().filter(|item| include_deleted || !item.deleted);
    if date == "recent" {
        let mut recent: Vec<&Item> = kept.collect();
        let skip = recent.len().saturating_sub(RECENT);
        recent.drain(..skip);
        let shown = render(call, &recent);
        let recent_paging = envelope::Paging {
            start: 0,
            max: RECENT,
        };
        return Ok(envelope::envelope(call, recent_paging, shown, false));
    }
    let until = parse_date("date", date)?;
    let since = match call.query.get("end-date") {
        Some(end) => Some(parse_date("end-date", end)?),
        None => None,
    };
    let mut newest_first: Vec<&Item> = kept
        .filter(|item| item.date_micros <= until)
        .filter(|item| since.is_none_or(|since| since <= item.date_micros))
        .collect();
    newest_first.reverse();
    let range = paging.slice(&newest_first);
    let more = range.end < newest_first.len();
    let mut page: Vec<&Item> = newest_first[range].to_vec();
    if reverse {
        page.reverse();
    }
    let shown = render(call, &page);
    Ok(envelope::envelope(call, paging, shown, more))
}

/// view_recent_room_history: the latest `max-results` (75) items, oldest first, none
/// before the `not-before` message; `startIndex` 0, no `next`.
pub fn latest(call: &Call, items: &[Item]) -> Result<serde_json::Value, ApiError> {
    let paging = envelope::Paging::from_call(call, RECENT)?;
    let include_deleted = envelope::boolean(call, "include_deleted", true)?;
    let from = match call.query.get("not-before") {
        Some(id) => items.iter().position(|item| item.id == id).unwrap_or(0),
        None => 0,
    };
    let mut kept: Vec<&Item> = items[from..]
        .iter()
        .filter(|item| include_deleted || !item.deleted)
        .collect();
    let skip = kept.len().saturating_sub(paging.max);
    kept.drain(..skip);
    let shown = render(call, &kept);
    let first = envelope::Paging {
        start: 0,
        max: paging.max,
    };
    Ok(envelope::envelope(call, first, shown, false))
}

fn render(call: &Call, items: &[&Item]) -> Vec<serde_json::Value> {
    let data = call.state.directory.lock();
    items
        .iter()
        .map(|item| super::shapes::history_item(&call.links, &data, item))
        .collect()
}
