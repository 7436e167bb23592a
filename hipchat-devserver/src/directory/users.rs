//! The group's users (spec v2 §3.2): the owner that permissive tokens act as, and the
//! users a strict config lists (`[[users]]`).

use std::time::SystemTime;

use crate::config::UserConfig;

/// The id of the group's owner, the user every permissive token acts as.
pub const OWNER_ID: u64 = 1;

/// One user of the group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Numeric id.
    pub id: u64,
    /// Full name.
    pub name: String,
    /// `@mention` name, without the `@`.
    pub mention_name: String,
    /// Email address, if any.
    pub email: Option<String>,
    /// Job title.
    pub title: String,
    /// Time zone name (`UTC` by default).
    pub timezone: String,
    /// Whether the user administers the group.
    pub is_group_admin: bool,
    /// A guest (limited to guest-accessible rooms).
    pub is_guest: bool,
    /// Soft-deleted.
    pub is_deleted: bool,
    /// Roles, opaque strings (`owner`, `user`).
    pub roles: Vec<String>,
    /// When the user was created.
    pub created: SystemTime,
    /// Random 8 characters, changed on every write.
    pub version: String,
    /// The password set on create or update (generated when none was given).
    pub password: Option<String>,
    /// The uploaded photo's file id ([`super::files`]), if any.
    pub photo: Option<u64>,
    /// When the user last sent something (a private message), if ever.
    pub last_active: Option<SystemTime>,
}

impl User {
    /// The group's owner: id 1, `@dev`.
    pub fn owner(now: SystemTime) -> Self {
        Self {
            id: OWNER_ID,
            name: "Dev Owner".into(),
            mention_name: "dev".into(),
            email: Some("dev@devserver.invalid".into()),
            title: "Owner".into(),
            timezone: "UTC".into(),
            is_group_admin: true,
            is_guest: false,
            is_deleted: false,
            roles: vec!["owner".into()],
            ..Self::new(OWNER_ID, "Dev Owner".into(), "dev".into(), now)
        }
    }

    /// A user from the config file.
    pub fn from_config(config: &UserConfig, now: SystemTime) -> Self {
        let mention_name = config
            .mention_name
            .clone()
            .unwrap_or_else(|| default_mention(&config.name));
        Self {
            email: config.email.clone(),
            ..Self::new(config.id, config.name.clone(), mention_name, now)
        }
    }

    /// A plain user (`user` role, UTC, no email, title, photo or password) created at
    /// `now`.
    pub fn new(id: u64, name: String, mention_name: String, now: SystemTime) -> Self {
        Self {
            id,
            name,
            mention_name,
            email: None,
            title: String::new(),
            timezone: "UTC".into(),
            is_group_admin: false,
            is_guest: false,
            is_deleted: false,
            roles: vec!["user".into()],
            created: now,
            version: super::new_version(),
            password: None,
            photo: None,
            last_active: None,
        }
    }

    /// Marks a write: a new `version`.
    pub fn touch(&mut self) {
        self.version = super::new_version();
    }

    /// Whether `reference` names this user: its id, its email, or `@mention_name`
    /// (spec v2 §1 `{user}`).
    pub fn matches(&self, reference: &str) -> bool {
        if let Some(mention) = reference.strip_prefix('@') {
            return mention == self.mention_name;
        }
        if reference.bytes().all(|b| b.is_ascii_digit()) {
            return reference.parse::<u64>().ok() == Some(self.id);
        }
        self.email
            .as_deref()
            .is_some_and(|email| email.eq_ignore_ascii_case(reference))
    }
}

/// The `@mention` name a user gets by default: the name without whitespace.
pub fn default_mention(name: &str) -> String {
    name.split_whitespace().collect()
}
