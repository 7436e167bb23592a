//! The JSON shapes of spec v2 §3: user references and users, room references and rooms,
//! room statistics, history items; dates as §1.1 emits them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::Links;
use crate::directory::Data;
use crate::directory::history::{Item, ItemKind, Sender};
use crate::directory::rooms::{Privacy, Room};
use crate::directory::users::User;

/// `2015-12-29T19:50:02+00:00` (room/user `created`, `last_active`).
pub fn iso_seconds(time: SystemTime) -> String {
    utc(humantime::format_rfc3339_seconds(time).to_string())
}

/// `2018-01-04T10:16:02.809766+00:00` (history `date`).
pub fn iso_micros(micros: i64) -> String {
    let time = UNIX_EPOCH + Duration::from_micros(u64::try_from(micros).unwrap_or(0));
    utc(humantime::format_rfc3339_micros(time).to_string())
}

fn utc(mut text: String) -> String {
    if text.ends_with('Z') {
        text.pop();
        text.push_str("+00:00");
    }
    text
}

/// The API path of a user.
pub fn user_path(id: u64) -> String {
    format!("/v2/user/{id}")
}

/// The API path of a room.
pub fn room_path(id: u64) -> String {
    format!("/v2/room/{id}")
}

/// A user reference (§3.1): `{id, links.self, mention_name, name, version}`.
pub fn user_ref(links: &Links, user: &User) -> Value {
    json!({
        "id": user.id,
        "links": {"self": links.url(&user_path(user.id))},
        "mention_name": user.mention_name,
        "name": user.name,
        "version": user.version,
    })
}

/// The reference of user `id`, or a bare `{id, links}` for an unknown one.
pub fn user_ref_by_id(links: &Links, data: &Data, id: u64) -> Value {
    match data.users.get(&id) {
        Some(user) => user_ref(links, user),
        None => json!({"id": id, "links": {"self": links.url(&user_path(id))}}),
    }
}

/// A full user (§3.2, view_user and `expand`).
pub fn user(links: &Links, data: &Data, user: &User) -> Value {
    json!({
        "id": user.id,
        "links": {"self": links.url(&user_path(user.id))},
        "name": user.name,
        "mention_name": user.mention_name,
        "version": user.version,
        "email": user.email,
        "title": user.title,
        "xmpp_jid": format!("{}_{}@chat.{}", data.group.id, user.id, links.host()),
        "created": iso_seconds(user.created),
        "last_active": user.last_active.map(unix_seconds),
        "is_deleted": user.is_deleted,
        "is_group_admin": user.is_group_admin,
        "is_guest": user.is_guest,
        "timezone": user.timezone,
        "photo_url": user.photo.and_then(|id| data.files.get(id)).map(|file| links.url(&file.path())),
        "presence": presence(user),
        "group": {
            "id": data.group.id,
            "links": {"self": links.url(&format!("/v2/group/{}", data.group.id))},
            "name": data.group.name,
        },
        "roles": user.roles,
    })
}

/// `"1421029691"`: a user's `last_active` as §1.1 emits it (string of Unix seconds).
pub fn unix_seconds(time: SystemTime) -> String {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
        .to_string()
}

/// A user's `presence` (§3.2) \[decision\]: online and available once the user has sent
/// something, offline before.
fn presence(user: &User) -> Value {
    if user.last_active.is_some() && !user.is_deleted {
        json!({"is_online": true, "show": "chat"})
    } else {
        json!({"is_online": false})
    }
}

/// The full user `id` (expanded), or its bare reference when unknown.
pub fn user_by_id(links: &Links, data: &Data, id: u64) -> Value {
    match data.users.get(&id) {
        Some(found) => user(links, data, found),
        None => user_ref_by_id(links, data, id),
    }
}

/// A room's `links`: `self`, `webhooks`, `participants`, and `members` (private only).
fn room_links(links: &Links, room: &Room) -> Value {
    let path = room_path(room.id);
    let mut out = json!({
        "self": links.url(&path),
        "webhooks": links.url(&format!("{path}/webhook")),
        "participants": links.url(&format!("{path}/participant")),
    });
    if room.privacy == Privacy::Private {
        out["members"] = json!(links.url(&format!("{path}/member")));
    }
    out
}

/// A room reference (§3.3): `{id, name, privacy, is_archived, version, links}`.
pub fn room_ref(links: &Links, room: &Room) -> Value {
    json!({
        "id": room.id,
        "name": room.name,
        "privacy": room.privacy.as_str(),
        "is_archived": room.is_archived,
        "version": room.version,
        "links": room_links(links, room),
    })
}

/// A room (§3.4, get_room); `expand` may name `participants` and `owner`.
pub fn room(links: &Links, data: &Data, room: &Room, expand: &[String]) -> Value {
    let expanded = |what: &str| expand.iter().any(|value| value == what);
    let person = |id: u64, full: bool| {
        if full {
            user_by_id(links, data, id)
        } else {
            user_ref_by_id(links, data, id)
        }
    };
    let participants: Vec<Value> = room
        .participants
        .iter()
        .filter(|(_, online)| *online)
        .map(|(id, _)| person(*id, expanded("participants")))
        .collect();
    let slug: String = room
        .name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let path = room_path(room.id);
    json!({
        "id": room.id,
        "name": room.name,
        "xmpp_jid": format!("{}_{slug}@conf.{}", data.group.id, links.host()),
        "created": iso_seconds(room.created),
        "topic": room.topic,
        "privacy": room.privacy.as_str(),
        "is_archived": room.is_archived,
        "is_guest_accessible": room.is_guest_accessible,
        "guest_access_url": room
            .is_guest_accessible
            .then(|| links.url(&format!("/guest/{}", room.id))),
        "owner": person(room.owner, expanded("owner")),
        "participants": participants,
        "statistics": {"links": {"self": links.url(&format!("{path}/statistics"))}},
        "last_active": room.last_active.map(iso_seconds),
        "avatar_url": room.avatar.as_ref().map(|_| links.url(&format!("{path}/avatar"))),
        "delegate_admin_visibility": room.delegate_admin_visibility,
        "version": room.version,
        "links": room_links(links, room),
    })
}

/// Room statistics (§3.6): `{messages_sent, last_active, links.self}`.
pub fn statistics(links: &Links, room: &Room) -> Value {
    json!({
        "messages_sent": room.messages_sent(),
        "last_active": room.last_active.map(iso_seconds),
        "links": {"self": links.url(&format!("{}/statistics", room_path(room.id)))},
    })
}

/// The users `@mentioned` in `text`, as references, each once.
pub fn mentions(links: &Links, data: &Data, text: &str) -> Vec<Value> {
    let mut found: Vec<u64> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || ",.;:!?()".contains(c)) {
        if let Some(name) = word.strip_prefix('@')
            && let Some(user) = data.users.values().find(|user| user.mention_name == name)
            && !found.contains(&user.id)
        {
            found.push(user.id);
        }
    }
    found
        .into_iter()
        .map(|id| user_ref_by_id(links, data, id))
        .collect()
}

/// A history item (§3.5). Deleted items show `message: null`.
pub fn history_item(links: &Links, data: &Data, item: &Item) -> Value {
    let from = match &item.from {
        Sender::User(id) => user_ref_by_id(links, data, *id),
        Sender::Label(label) => json!(label),
    };
    let mut out = json!({
        "id": item.id,
        "date": iso_micros(item.date_micros),
        "type": item.kind.as_str(),
        "from": from,
        "message": if item.deleted { Value::Null } else { json!(item.message) },
        "mentions": match item.kind {
            ItemKind::Topic => Vec::new(),
            _ => mentions(links, data, &item.message),
        },
    });
    if item.kind == ItemKind::Notification {
        out["message_format"] = json!(item.message_format.as_deref().unwrap_or("html"));
        out["color"] = json!(item.color.as_deref().unwrap_or("yellow"));
        if let Some(card) = &item.card {
            out["card"] = json!(card);
        }
        if let Some(attach_to) = &item.attach_to {
            out["attach_to"] = json!(attach_to);
        }
        if let Some(addon) = &item.addon {
            out["notification_sender"] =
                json!({"client_id": addon.client_id, "id": addon.key, "type": "addon"});
        }
    }
    if let Some(link) = &item.link {
        out["message_links"] = json!([{"type": "link", "url": link, "link": {"fullUrl": link}}]);
    }
    if let Some(parent) = &item.parent_id {
        out["parentMessageId"] = json!(parent);
    }
    out
}

/// A stable UUID for an add-on key (its OAuth client id in `notification_sender`).
pub fn client_id(addon_key: &str) -> String {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (salt, addon_key).hash(&mut hasher);
        hasher.finish()
    };
    let bits = (u128::from(half(1)) << 64) | u128::from(half(2));
    uuid::Builder::from_random_bytes(bits.to_be_bytes())
        .into_uuid()
        .to_string()
}
