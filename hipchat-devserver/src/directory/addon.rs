//! What add-ons put on the group outside rooms (spec v2 §9): glance contents set with
//! `POST /addon/ui…`, integration links, and global actions (`/extension/action/{key}`).

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::Value;

/// The most global actions the group holds (spec v2 §9).
pub const MAX_GLOBAL_ACTIONS: usize = 10;

/// Where a glance content was set.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum GlanceScope {
    /// `POST /addon/ui`: the whole group.
    Group,
    /// `POST /addon/ui/user/{user}`: one user everywhere.
    User(u64),
    /// `POST /addon/ui/room/{room}/user/{user}`: one user in one room.
    RoomUser(u64, u64),
}

/// An integration link made with `POST /addon/link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The link's token (the `{token}` of `DELETE /addon/link/{token}`).
    pub token: String,
    /// Where it leads.
    pub target: String,
    /// Lifetime in seconds.
    pub ttl: u64,
    /// When it was made.
    pub created: SystemTime,
}

/// A global action put with `PUT /extension/action/{key}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Numeric id.
    pub id: u64,
    /// The descriptor-shaped body, as sent.
    pub descriptor: Value,
}

/// Glances, links and global actions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Addon {
    /// Glance contents by scope and glance key.
    pub glances: BTreeMap<(GlanceScope, String), Value>,
    /// Integration links by token.
    pub links: BTreeMap<String, Link>,
    /// Global actions by key.
    pub actions: BTreeMap<String, Action>,
}
