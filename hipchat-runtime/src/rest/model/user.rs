//! Users: the full user of view_user (spec §3.2), its presence and group.

use super::common::{Links, UserRef};
use super::enums::PresenceShow;
use super::{de, time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A user as view_user returns it (and get_all_users items with `expand=items`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// The user's id.
    pub id: u64,
    /// Display name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// `@mention` name, without the `@`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub mention_name: String,
    /// Opaque version, changed on every update; absent in older samples.
    #[serde(default)]
    pub version: Option<String>,
    /// `links.self`.
    #[serde(default)]
    pub links: Option<Links>,
    /// Email address; may be `null`.
    #[serde(default)]
    pub email: Option<String>,
    /// Job title (empty when none).
    #[serde(default, deserialize_with = "de::null_default")]
    pub title: String,
    /// The user's XMPP JID.
    #[serde(default, deserialize_with = "de::null_default")]
    pub xmpp_jid: String,
    /// Creation time; read as UTC when sent without an offset.
    #[serde(default, with = "time::rfc3339::option")]
    pub created: Option<Timestamp>,
    /// Last activity: Unix seconds (string or integer), ISO date, or `null`.
    #[serde(default, with = "time::last_active")]
    pub last_active: Option<Timestamp>,
    /// Whether the user is deleted.
    #[serde(default, deserialize_with = "de::null_default")]
    pub is_deleted: bool,
    /// Whether the user is a group admin.
    #[serde(default, deserialize_with = "de::null_default")]
    pub is_group_admin: bool,
    /// Whether the user is a guest.
    #[serde(default, deserialize_with = "de::null_default")]
    pub is_guest: bool,
    /// Time zone name (`America/New_York`); `UTC` when absent or `null`.
    #[serde(default = "de::default_timezone", deserialize_with = "de::timezone")]
    pub timezone: String,
    /// Photo URL (125 px), or `null`.
    #[serde(default)]
    pub photo_url: Option<String>,
    /// Presence, or `null`.
    #[serde(default)]
    pub presence: Option<Presence>,
    /// The user's group, or `null`.
    #[serde(default)]
    pub group: Option<GroupRef>,
    /// Roles, as opaque strings: the sources disagree on the values (spec §12).
    #[serde(default, deserialize_with = "de::null_default")]
    pub roles: Vec<String>,
    /// `atlassian_id`: seen once, as `null`; its type is unrecorded, so kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atlassian_id: Option<serde_json::Value>,
}

impl User {
    /// This user as a [`UserRef`] (id, names, version, links).
    pub fn to_ref(&self) -> UserRef {
        UserRef {
            id: self.id,
            name: self.name.clone(),
            mention_name: self.mention_name.clone(),
            version: self.version.clone(),
            links: self.links.clone(),
        }
    }
}

/// A user's `presence`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Presence {
    /// Free-text status.
    #[serde(default)]
    pub status: Option<String>,
    /// Seconds idle.
    #[serde(default)]
    pub idle: Option<u64>,
    /// `away`, `chat`, `dnd`, `xa`, or a value kept in `Other`.
    #[serde(default)]
    pub show: Option<PresenceShow>,
    /// The client the user is connected with.
    #[serde(default)]
    pub client: Option<PresenceClient>,
    /// Whether the user is online.
    #[serde(default, deserialize_with = "de::null_default")]
    pub is_online: bool,
}

/// The `client` of a [`Presence`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PresenceClient {
    /// Client kind, e.g. `http://hipchat.com/client/mac`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Client version, e.g. `151`.
    #[serde(default)]
    pub version: Option<String>,
}

/// A user's `group`: `{id, links.self, name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupRef {
    /// The group's id.
    pub id: u64,
    /// The group's name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// `links.self`.
    #[serde(default)]
    pub links: Option<Links>,
}
