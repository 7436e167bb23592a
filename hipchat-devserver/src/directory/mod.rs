//! The directory: the group, its users and its rooms, as the REST API v2 reads and writes
//! them (spec v2 §11). One [`Directory`] lives in the shared [`AppState`](crate::state::AppState);
//! handlers [`lock`](Directory::lock) it for the length of one request's work and never
//! across an `.await`.
//!
//! * [`group`]: the one group every token belongs to.
//! * [`users`]: the owner (whom permissive tokens act as) and the configured users.
//! * [`rooms`]: rooms with members, participants, webhooks, extensions and history.
//! * [`history`]: history items as kept (rendered by `api::rest::shapes`).
//! * [`installations`]: installed Connect add-ons and their issued tokens.
//!
//! Rooms come into being by writes only: create_room, or (permissive mode) any write to
//! an unknown room such as a notification (see [`crate::rooms::find_or_create`]). Strict
//! mode starts with its configured rooms.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::config::Config;

pub mod addon;
pub mod emoticons;
pub mod files;
pub mod group;
pub mod history;
pub mod installations;
pub mod rooms;
pub mod users;

use group::Group;
use rooms::Room;
use users::User;

/// The group, users and rooms behind a lock.
#[derive(Debug)]
pub struct Directory {
    data: Mutex<Data>,
}

/// What the [`Directory`] holds.
#[derive(Debug)]
pub struct Data {
    /// The group.
    pub group: Group,
    /// Users, by id.
    pub users: BTreeMap<u64, User>,
    /// Rooms, by id.
    pub rooms: BTreeMap<u64, Room>,
    /// Private chat history by user pair (lower id first), oldest first.
    pub private_history: BTreeMap<(u64, u64), Vec<history::Item>>,
    /// Emoticons, by id.
    pub emoticons: BTreeMap<u64, emoticons::Emoticon>,
    /// Stored files (photos, avatars, emoticon images).
    pub files: files::Files,
    /// Add-on glances, integration links and global actions.
    pub addon: addon::Addon,
    /// Installed Connect add-ons and the tokens issued to them.
    pub installations: installations::Installations,
    /// Tokens revoked with delete_session: answered 401 `Invalid OAuth session`.
    pub revoked: std::collections::BTreeSet<String>,
    last_date_micros: i64,
    last_id: u64,
}

impl Directory {
    /// The owner, the configured users and the configured rooms (owned by the owner).
    pub fn new(config: &Config, now: SystemTime) -> Self {
        let owner = User::owner(now);
        let mut users = BTreeMap::new();
        for user in &config.users {
            users.insert(user.id, User::from_config(user, now));
        }
        users.entry(owner.id).or_insert(owner);
        let rooms = config
            .rooms
            .iter()
            .map(|room| {
                let room = Room::new(room.id, room.name.clone(), users::OWNER_ID, now);
                (room.id, room)
            })
            .collect();
        let mut files = files::Files::default();
        let emoticons = emoticons::SEEDED
            .iter()
            .map(|(id, shortcut)| {
                let file = files.add(
                    &format!("{shortcut}.png"),
                    "image/png",
                    files::PLACEHOLDER_PNG.to_vec(),
                );
                let emoticon = emoticons::Emoticon {
                    id: *id,
                    shortcut: (*shortcut).to_owned(),
                    global: true,
                    width: 30,
                    height: 30,
                    creator: None,
                    file,
                };
                (*id, emoticon)
            })
            .collect();
        Self {
            data: Mutex::new(Data {
                group: Group::dev(users::OWNER_ID, now),
                users,
                rooms,
                private_history: BTreeMap::new(),
                emoticons,
                files,
                addon: addon::Addon::default(),
                revoked: std::collections::BTreeSet::new(),
                installations: installations::Installations {
                    token_lifetime: config
                        .addon_token_lifetime_secs
                        .map(std::time::Duration::from_secs),
                    ..installations::Installations::default()
                },
                last_date_micros: 0,
                last_id: 0,
            }),
        }
    }

    /// The data, locked (a panicked holder's lock is taken over).
    pub fn lock(&self) -> MutexGuard<'_, Data> {
        self.data
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

impl Data {
    /// The room `reference` names: all digits → by id, else by exact name.
    pub fn room(&self, reference: &str) -> Option<&Room> {
        let id = self.room_id(reference)?;
        self.rooms.get(&id)
    }

    /// The room `reference` names, to change it.
    pub fn room_mut(&mut self, reference: &str) -> Option<&mut Room> {
        let id = self.room_id(reference)?;
        self.rooms.get_mut(&id)
    }

    /// The id of the room `reference` names.
    pub fn room_id(&self, reference: &str) -> Option<u64> {
        if reference.bytes().all(|b| b.is_ascii_digit()) {
            let id = reference.parse::<u64>().ok()?;
            return self.rooms.contains_key(&id).then_some(id);
        }
        self.rooms
            .values()
            .find(|room| room.name == reference)
            .map(|room| room.id)
    }

    /// Whether another room than `except` is called `name`.
    pub fn name_taken(&self, name: &str, except: Option<u64>) -> bool {
        self.rooms
            .values()
            .any(|room| room.name == name && Some(room.id) != except)
    }

    /// Adds a room (id `id`, or the next free one) and returns it.
    pub fn add_room(
        &mut self,
        id: Option<u64>,
        name: String,
        owner: u64,
        now: SystemTime,
    ) -> &mut Room {
        let id = id.unwrap_or_else(|| self.rooms.keys().next_back().map_or(1, |last| last + 1));
        self.rooms
            .entry(id)
            .or_insert_with(|| Room::new(id, name, owner, now))
    }

    /// The user `reference` names: id, email or `@mention` (spec v2 §1).
    pub fn user(&self, reference: &str) -> Option<&User> {
        self.users.values().find(|user| user.matches(reference))
    }

    /// The user `reference` names, unless deleted (what reads see, spec v2 §7).
    pub fn active_user(&self, reference: &str) -> Option<&User> {
        self.users
            .values()
            .find(|user| !user.is_deleted && user.matches(reference))
    }

    /// The private history between users `a` and `b`, oldest first.
    pub fn private_chat(&self, a: u64, b: u64) -> &[history::Item] {
        self.private_history
            .get(&(a.min(b), a.max(b)))
            .map_or(&[], Vec::as_slice)
    }

    /// The date for a new history item: `now` in microseconds, moved past the last one
    /// handed out so that dates strictly increase even on a clock that stands still.
    pub fn next_date(&mut self, now: SystemTime) -> i64 {
        let micros = now.duration_since(UNIX_EPOCH).map_or(0, |elapsed| {
            i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX)
        });
        self.last_date_micros = micros.max(self.last_date_micros + 1);
        self.last_date_micros
    }

    /// A new id for a webhook or an extension (from 1, shared by both).
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }
}

/// A new `version`: 8 random characters from `0-9A-Z` (spec v2 §1.1).
pub fn new_version() -> String {
    const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    uuid::Uuid::new_v4()
        .as_bytes()
        .iter()
        .take(8)
        .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
        .collect()
}
