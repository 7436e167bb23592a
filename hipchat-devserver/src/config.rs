//! Server configuration: permissive by default, strict (`strict = true`) from a file.
//!
//! A config file is TOML:
//!
//! ```toml
//! strict = true
//!
//! [[tokens]]
//! token = "s3cr3t"
//! label = "Deploy bot"
//! scopes = ["send_notification"]
//! room = "Ops"           # optional: a room notification token
//! kind = "user"          # optional caller kind (spec v2 §1): "group", "room" or "user";
//!                        # default "room" when `room` is set, else "user"
//! user = "@alice"        # optional: the user it acts as (id, email or @mention); default
//!                        # the group's owner (id 1, @dev)
//! addon_key = "my-addon" # optional: an add-on's token (history: notification_sender)
//!
//! [[tokens]]
//! token = "old-v1-token"
//! version = 1            # accepted on /v1 only
//!
//! [[rooms]]
//! id = 1
//! name = "Ops"
//!
//! [[users]]              # users besides the owner (id 1, "Dev Owner", @dev)
//! id = 2
//! name = "Alice Example"
//! mention_name = "alice" # optional: default the name without spaces
//! email = "alice@example.com"
//!
//! addon_token_lifetime_secs = 3599 # Connect add-on tokens' expires_in
//!
//! [rate_limit]
//! token_limit = 100      # per token and window
//! token_window_secs = 300
//! flood_limit = 30       # per recipient room or user and window
//! flood_window_secs = 60
//! v1_limit = 100
//! v1_window_secs = 300
//! ```

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Everything the server can be told before it starts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Only the listed tokens and rooms exist (otherwise any token works and rooms are
    /// created on first use).
    pub strict: bool,
    /// Known tokens (strict mode).
    pub tokens: Vec<TokenConfig>,
    /// Known rooms (strict mode).
    pub rooms: Vec<RoomConfig>,
    /// Users besides the group's owner.
    pub users: Vec<UserConfig>,
    /// Rate limits.
    pub rate_limit: RateLimitConfig,
    /// Sender label for tokens without one (permissive mode).
    pub default_label: Option<String>,
    /// The `expires_in` of access tokens issued to Connect add-ons, in seconds (default
    /// 3599, spec hipchat-connect §3).
    pub addon_token_lifetime_secs: Option<u64>,
}

/// A token the server accepts in strict mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenConfig {
    /// The token itself.
    pub token: String,
    /// Shown as the sender of its notifications (`label - from`).
    #[serde(default)]
    pub label: Option<String>,
    /// Granted scopes; empty means every scope.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// A room notification token works for this room (id or name) only.
    #[serde(default)]
    pub room: Option<String>,
    /// API version the token belongs to: 2 (default) or 1.
    #[serde(default = "default_version")]
    pub version: u8,
    /// The caller kind (spec v2 §1); default [`TokenKind::Room`] when `room` is set,
    /// else [`TokenKind::User`].
    #[serde(default)]
    pub kind: Option<TokenKind>,
    /// The user the token acts as (id, email or `@mention`); default the group's owner.
    #[serde(default)]
    pub user: Option<String>,
    /// An add-on's key: the token is that add-on's, and its notifications' history items
    /// carry `notification_sender` `{"client_id","id": key,"type":"addon"}`.
    #[serde(default)]
    pub addon_key: Option<String>,
}

/// A caller kind (spec v2 §1, "Access:" in HipChat's reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// G: a group-wide add-on token.
    Group,
    /// R: a room add-on or room notification token, bound to one room.
    Room,
    /// U: a user's personal or 3-legged token.
    User,
}

/// A user of the group besides its owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Numeric id (1 is the owner).
    pub id: u64,
    /// Full name.
    pub name: String,
    /// `@mention` name without the `@`; default the name without spaces.
    #[serde(default)]
    pub mention_name: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
}

fn default_version() -> u8 {
    2
}

/// A room that exists in strict mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomConfig {
    /// Numeric id.
    pub id: u64,
    /// Name, 1–100 characters.
    pub name: String,
}

/// Fixed-window limits (HipChat's defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests per token and window (v2).
    pub token_limit: u64,
    /// Length of the token window, seconds.
    pub token_window_secs: u64,
    /// Messages per recipient room or user and window.
    pub flood_limit: u64,
    /// Length of the flood window, seconds.
    pub flood_window_secs: u64,
    /// Requests per token and window on API v1.
    pub v1_limit: u64,
    /// Length of the v1 window, seconds.
    pub v1_window_secs: u64,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            token_limit: 500,
            token_window_secs: 300,
            flood_limit: 30,
            flood_window_secs: 60,
            v1_limit: 100,
            v1_window_secs: 300,
        }
    }
}

impl RateLimitConfig {
    /// The token window as a duration.
    pub fn token_window(&self) -> Duration {
        Duration::from_secs(self.token_window_secs.max(1))
    }

    /// The flood window as a duration.
    pub fn flood_window(&self) -> Duration {
        Duration::from_secs(self.flood_window_secs.max(1))
    }

    /// The v1 window as a duration.
    pub fn v1_window(&self) -> Duration {
        Duration::from_secs(self.v1_window_secs.max(1))
    }
}

/// A config file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for [`Config`].
    #[error("invalid config {path}: {source}")]
    Parse {
        /// The file.
        path: String,
        /// Why.
        source: toml::de::Error,
    },
    /// A room name is empty or longer than 100 characters, or ids/names repeat.
    #[error("invalid room {0:?}: names are 1–100 characters and ids and names are unique")]
    Room(String),
    /// Two users share an id, or a token names a user that is not configured.
    #[error(
        "invalid user {0:?}: user ids are unique and tokens name configured users (or the owner: 1, @dev)"
    )]
    User(String),
}

impl Config {
    /// Parses TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|source| ConfigError::Parse {
            path: "<string>".into(),
            source,
        })?;
        config.check()
    }

    /// Reads and parses a TOML file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let config: Self = toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: shown,
            source,
        })?;
        config.check()
    }

    fn check(self) -> Result<Self, ConfigError> {
        let mut ids = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for room in &self.rooms {
            let length = room.name.chars().count();
            let all_digits = room.name.bytes().all(|b| b.is_ascii_digit());
            if !(1..=100).contains(&length)
                || all_digits
                || !ids.insert(room.id)
                || !names.insert(room.name.clone())
            {
                return Err(ConfigError::Room(room.name.clone()));
            }
        }
        let mut user_ids = std::collections::HashSet::new();
        for user in &self.users {
            if !user_ids.insert(user.id) {
                return Err(ConfigError::User(user.name.clone()));
            }
        }
        let now = std::time::SystemTime::UNIX_EPOCH;
        let owner = crate::directory::users::User::owner(now);
        for reference in self.tokens.iter().filter_map(|token| token.user.as_ref()) {
            let known = owner.matches(reference)
                || self.users.iter().any(|user| {
                    crate::directory::users::User::from_config(user, now).matches(reference)
                });
            if !known {
                return Err(ConfigError::User(reference.clone()));
            }
        }
        Ok(self)
    }
}
