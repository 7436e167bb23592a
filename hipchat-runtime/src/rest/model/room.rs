//! Rooms: references in lists (spec §3.3), the full room of get_room (§3.4), statistics (§3.6),
//! and member items (§3.6).

use super::common::{Links, UserRef};
use super::enums::{Privacy, RoomRole};
use super::{de, time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A reference to a room: get_all_rooms and auto-join items, the room stub of a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoomRef {
    /// The room's id.
    pub id: u64,
    /// The room's name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// `public` or `private`; absent in older samples.
    #[serde(default)]
    pub privacy: Option<Privacy>,
    /// Whether the room is archived; absent in older samples.
    #[serde(default)]
    pub is_archived: Option<bool>,
    /// Opaque version; present on webhook room stubs.
    #[serde(default)]
    pub version: Option<String>,
    /// `self`, `webhooks`, and `members`/`participants` when sent.
    #[serde(default)]
    pub links: Option<Links>,
}

/// A room as get_room returns it (spec §3.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Room {
    /// The room's id.
    pub id: u64,
    /// The room's name (1–50 characters).
    pub name: String,
    /// The room's XMPP JID (`1_room-name@conf.host`).
    #[serde(default, deserialize_with = "de::null_default")]
    pub xmpp_jid: String,
    /// Creation time; read as UTC when sent without an offset.
    #[serde(with = "time::rfc3339")]
    pub created: Timestamp,
    /// The topic (empty when none).
    #[serde(default, deserialize_with = "de::null_default")]
    pub topic: String,
    /// `public` or `private`.
    pub privacy: Privacy,
    /// Whether the room is archived.
    #[serde(default, deserialize_with = "de::null_default")]
    pub is_archived: bool,
    /// Whether guests may join (hipchat-go's `is_guess_accessible` is a typo).
    #[serde(default, deserialize_with = "de::null_default")]
    pub is_guest_accessible: bool,
    /// The guest URL, set only with guest access.
    #[serde(default)]
    pub guest_access_url: Option<String>,
    /// The owner (a user reference unless expanded).
    #[serde(default)]
    pub owner: Option<UserRef>,
    /// The people currently in the room.
    #[serde(default, deserialize_with = "de::null_default")]
    pub participants: Vec<UserRef>,
    /// Only a link to the statistics; read counts with get_room_statistics.
    #[serde(default)]
    pub statistics: Option<RoomStatisticsLink>,
    /// Last activity: ISO date, Unix seconds, or `null`.
    #[serde(default, with = "time::last_active")]
    pub last_active: Option<Timestamp>,
    /// Avatar URL (125 px), or `null`.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// Whether delegate admins see the room; `null` means the group's default.
    #[serde(default)]
    pub delegate_admin_visibility: Option<bool>,
    /// Opaque version, changed on every update; absent in older samples.
    #[serde(default)]
    pub version: Option<String>,
    /// `self`, `webhooks`, `participants`; `members` for private rooms only.
    #[serde(default)]
    pub links: Links,
}

/// The `statistics` member of a [`Room`]: only its link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoomStatisticsLink {
    /// `links.self`: the get_room_statistics URL.
    #[serde(default)]
    pub links: Links,
}

/// The body of get_room_statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoomStatistics {
    /// Messages sent in the room.
    #[serde(default, deserialize_with = "de::null_default")]
    pub messages_sent: u64,
    /// Last activity: ISO date, Unix seconds, or `null`.
    #[serde(default, with = "time::last_active")]
    pub last_active: Option<Timestamp>,
    /// `links.self`, when sent.
    #[serde(default)]
    pub links: Option<Links>,
}

/// An item of get_all_members: a user reference plus the member's `room_roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Member {
    /// The member as a user reference (`links` may be absent).
    #[serde(flatten)]
    pub user: UserRef,
    /// `room_member`, `room_admin`, or a value kept in `Other`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub room_roles: Vec<RoomRole>,
}

impl Member {
    /// Whether the member is a room admin.
    pub fn is_admin(&self) -> bool {
        self.room_roles.contains(&RoomRole::Admin)
    }
}
