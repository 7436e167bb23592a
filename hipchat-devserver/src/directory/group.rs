//! The one group every token belongs to (spec v2 §3.6 `group`, §11).

use std::time::SystemTime;

/// The group: HipChat's organisation, owner of every user and room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Numeric id (1).
    pub id: u64,
    /// Display name.
    pub name: String,
    /// The `{subdomain}.hipchat.com` part.
    pub subdomain: String,
    /// The owner's user id.
    pub owner: u64,
    /// The plan's type (`free`, `standard`, ...).
    pub plan: String,
    /// When the group was created (the server's start).
    pub created: SystemTime,
    /// The uploaded avatar's file id ([`super::files`]), if any.
    pub avatar: Option<u64>,
}

impl Group {
    /// The development group: id 1, owned by user `owner`, created at `now`.
    pub fn dev(owner: u64, now: SystemTime) -> Self {
        Self {
            id: 1,
            name: "Dev Group".into(),
            subdomain: "dev".into(),
            owner,
            plan: "free".into(),
            created: now,
            avatar: None,
        }
    }
}
