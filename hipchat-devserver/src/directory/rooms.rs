//! The group's rooms (spec v2 §3.4, §11): settings, members, participants, webhooks,
//! extensions, glances, avatar and history. Every write goes through [`Room::touch`],
//! which changes the `version`.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::Value;

use super::history::Item;

/// `public` or `private`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// Anyone in the group may join.
    Public,
    /// Members only.
    Private,
}

impl Privacy {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
        }
    }

    /// Parses the wire value.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "public" => Some(Self::Public),
            "private" => Some(Self::Private),
            _ => None,
        }
    }
}

/// A member of a private room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The user's id.
    pub user_id: u64,
    /// `room_member` and/or `room_admin`.
    pub room_roles: Vec<String>,
}

/// A webhook registered with create_webhook (spec v2 §6).
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Numeric id.
    pub id: u64,
    /// Optional name.
    pub name: Option<String>,
    /// One of [`EVENTS`].
    pub event: String,
    /// A regular expression for message events, or none.
    pub pattern: Option<String>,
    /// Where events are posted.
    pub url: String,
    /// Optional add-on key.
    pub key: Option<String>,
    /// `jwt` or `none`.
    pub authentication: String,
    /// The creating user, if a user created it.
    pub creator: Option<u64>,
    /// When it was created.
    pub created: SystemTime,
}

/// The room events a webhook may listen to (spec v2 §6).
pub const EVENTS: &[&str] = &[
    "room_archived",
    "room_created",
    "room_deleted",
    "room_enter",
    "room_exit",
    "room_file_upload",
    "room_message",
    "room_notification",
    "room_topic_change",
    "room_unarchived",
];

/// Which module an extension is (the `{type}` segment of `/extension/{type}/{key}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExtensionKind {
    /// A glance.
    Glance,
    /// A webhook (an add-on's, spec v2 §6 create_room_webhook).
    Webhook,
    /// An action.
    Action,
}

impl ExtensionKind {
    /// Parses the path segment.
    pub fn parse(segment: &str) -> Option<Self> {
        match segment {
            "glance" => Some(Self::Glance),
            "webhook" => Some(Self::Webhook),
            "action" => Some(Self::Action),
            _ => None,
        }
    }

    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Glance => "glance",
            Self::Webhook => "webhook",
            Self::Action => "action",
        }
    }
}

/// The most extensions a room holds (spec v2 §9).
pub const MAX_EXTENSIONS: usize = 10;

/// A module put on a room with `PUT /room/{room}/extension/{type}/{key}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    /// Numeric id (answered by action and webhook PUTs).
    pub id: u64,
    /// Glance, webhook or action.
    pub kind: ExtensionKind,
    /// The key from the path.
    pub key: String,
    /// The descriptor-shaped body, as sent.
    pub descriptor: Value,
}

/// One room.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    /// Numeric id.
    pub id: u64,
    /// Name, 1–50 characters on create (configured and first-use names up to 100).
    pub name: String,
    /// Topic, 0–250 characters.
    pub topic: String,
    /// Public or private.
    pub privacy: Privacy,
    /// Archived rooms are listed only with `include-archived=true`.
    pub is_archived: bool,
    /// Whether guests may join.
    pub is_guest_accessible: bool,
    /// The owner's user id.
    pub owner: u64,
    /// When the room was created.
    pub created: SystemTime,
    /// The latest message, if any.
    pub last_active: Option<SystemTime>,
    /// `null` = the group's default.
    pub delegate_admin_visibility: Option<bool>,
    /// Random 8 characters, changed by [`Room::touch`].
    pub version: String,
    /// The avatar image as uploaded (decoded), if any.
    pub avatar: Option<Vec<u8>>,
    /// Members (private rooms).
    pub members: Vec<Member>,
    /// Users in the room right now, with whether they are online.
    pub participants: Vec<(u64, bool)>,
    /// Webhooks made with create_webhook.
    pub webhooks: Vec<Webhook>,
    /// Glances, webhooks and actions put on the room.
    pub extensions: Vec<Extension>,
    /// Glance contents set with `POST /addon/ui/room/{room}`, by glance key.
    pub glances: BTreeMap<String, Value>,
    /// The room's history, oldest first.
    pub history: Vec<Item>,
    /// Invitations sent with invite_user: (user id, reason), oldest first.
    pub invites: Vec<(u64, String)>,
}

impl Room {
    /// A new public room owned by `owner`, created at `now`.
    pub fn new(id: u64, name: String, owner: u64, now: SystemTime) -> Self {
        Self {
            id,
            name,
            topic: String::new(),
            privacy: Privacy::Public,
            is_archived: false,
            is_guest_accessible: false,
            owner,
            created: now,
            last_active: None,
            delegate_admin_visibility: None,
            version: super::new_version(),
            avatar: None,
            members: Vec::new(),
            participants: Vec::new(),
            webhooks: Vec::new(),
            extensions: Vec::new(),
            glances: BTreeMap::new(),
            history: Vec::new(),
            invites: Vec::new(),
        }
    }

    /// Marks a write: a new `version`.
    pub fn touch(&mut self) {
        self.version = super::new_version();
    }

    /// Whether `reference` (an id or a name, decoded) names this room.
    pub fn matches(&self, reference: &str) -> bool {
        reference == self.name || reference.parse::<u64>().ok() == Some(self.id)
    }

    /// Adds a history item and counts it as activity.
    pub fn push_history(&mut self, item: Item, at: SystemTime) {
        self.last_active = Some(at);
        self.history.push(item);
        self.touch();
    }

    /// The number of `message` and `notification` items (get_room_statistics).
    pub fn messages_sent(&self) -> usize {
        self.history
            .iter()
            .filter(|item| item.kind != super::history::ItemKind::Topic)
            .count()
    }
}
