//! History items (spec §3.5): room and private-chat history, get_*_message, and the
//! `GET /v2/file/{id}` body for authenticated files.

use super::common::UserRef;
use super::enums::{HistoryItemType, MessageColor, MessageFormat, MessageLinkType};
use super::{de, time};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One item of a history: a user message, a notification, a topic change, …
///
/// Which fields are set depends on [`kind`](Self::kind): `message` items have a user
/// [`from`](Self::from), maybe `file`/`authenticated_file`/`message_links`; `notification`
/// items have a string `from`, `message_format`, `color`, maybe `card`, `attach_to`,
/// `notification_sender`. Keys this crate does not know are kept in [`extra`](Self::extra).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HistoryItem {
    /// The message id (a UUID).
    pub id: String,
    /// When it was sent.
    #[serde(with = "time::rfc3339")]
    pub date: Timestamp,
    /// `type`: `message`, `notification`, `topic`, `guest_access`, or `Other`.
    #[serde(rename = "type")]
    pub kind: HistoryItemType,
    /// The sender: a user for `message`, a name for `notification`; may be `null`.
    #[serde(default)]
    pub from: Option<Sender>,
    /// The text (HTML for html notifications); `None` for a deleted message (`null`).
    #[serde(default)]
    pub message: Option<String>,
    /// The users @mentioned.
    #[serde(default, deserialize_with = "de::null_default")]
    pub mentions: Vec<UserRef>,
    /// Notifications: `html` or `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_format: Option<MessageFormat>,
    /// Notifications: the background color (open: see [`MessageColor`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<MessageColor>,
    /// Notifications sent by an add-on: who sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_sender: Option<NotificationSender>,
    /// Notifications: the card, as the **JSON-encoded string** HipChat sends; read it with
    /// [`card_json`](Self::card_json) or [`parse_card`](Self::parse_card). (An object is
    /// accepted too, and kept re-encoded.)
    #[serde(
        default,
        deserialize_with = "de::json_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub card: Option<String>,
    /// Notifications: the id of the message this one hangs under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_to: Option<String>,
    /// Messages: a file at a public URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileAttachment>,
    /// Messages: a secure upload; fetch its URL with `GET /v2/file/{id}` ([`FileUrl`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated_file: Option<AuthenticatedFile>,
    /// Messages: previews of the links in the text (HipChat extracts only the last one).
    #[serde(
        default,
        deserialize_with = "de::null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub message_links: Vec<MessageLink>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl HistoryItem {
    /// Whether the message was deleted: HipChat returns it with `message: null`.
    pub fn is_deleted(&self) -> bool {
        self.message.is_none()
    }

    /// The [`card`](Self::card) parsed as JSON; `Ok(None)` when the item has none.
    pub fn card_json(&self) -> Result<Option<Value>, CardError> {
        self.parse_card()
    }

    /// The [`card`](Self::card) parsed into `T` (e.g. a typed card); `Ok(None)` when the
    /// item has none.
    pub fn parse_card<T: DeserializeOwned>(&self) -> Result<Option<T>, CardError> {
        let Some(card) = &self.card else {
            return Ok(None);
        };
        serde_json::from_str(card)
            .map(Some)
            .map_err(|source| CardError {
                item_id: self.id.clone(),
                source,
            })
    }
}

/// A history item's `card` that is not JSON (or not the requested shape).
#[derive(Debug, thiserror::Error)]
#[error("the card of history item {item_id} does not parse: {source}")]
#[non_exhaustive]
pub struct CardError {
    /// The id of the item whose card failed.
    pub item_id: String,
    /// What serde_json said.
    #[source]
    pub source: serde_json::Error,
}

/// The `from` of a history item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Sender {
    /// A user (user messages, topic changes).
    User(UserRef),
    /// A name (notifications: the token's label, e.g. `"Link"`).
    Name(String),
    /// Any other shape, kept as sent rather than failing the page.
    Other(Value),
}

impl Sender {
    /// The user, for a user sender.
    pub fn user(&self) -> Option<&UserRef> {
        match self {
            Sender::User(user) => Some(user),
            _ => None,
        }
    }

    /// A name to show: the user's display name, or the notification's `from` text.
    pub fn display_name(&self) -> Option<&str> {
        match self {
            Sender::User(user) => Some(&user.name),
            Sender::Name(name) => Some(name),
            Sender::Other(_) => None,
        }
    }
}

/// The `notification_sender` of a notification an add-on sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotificationSender {
    /// The OAuth client id (a UUID).
    #[serde(default)]
    pub client_id: Option<String>,
    /// The add-on key, e.g. `hipchat-clinky`.
    #[serde(default)]
    pub id: Option<String>,
    /// The sender kind, e.g. `addon`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// The `file` of a message: an upload at a public URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileAttachment {
    /// File name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// Size in bytes.
    #[serde(default, deserialize_with = "de::null_default")]
    pub size: u64,
    /// Download URL.
    #[serde(default, deserialize_with = "de::null_default")]
    pub url: String,
    /// Thumbnail URL (images only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
}

/// The `authenticated_file` of a message: a secure upload, fetched through
/// `GET /v2/file/{id}` with a user token (answer: [`FileUrl`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthenticatedFile {
    /// The file id (a UUID) for `GET /v2/file/{id}`.
    pub id: String,
    /// File name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// Size in bytes.
    #[serde(default, deserialize_with = "de::null_default")]
    pub size: u64,
}

/// The body of `GET /v2/file/{id}`: a temporary download URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileUrl {
    /// The temporary URL.
    pub temp_url: String,
}

/// One entry of a message's `message_links`: `{type, url, <type>: {…}}`.
///
/// Only the `image` kind is recorded, so only it is typed; the others are kept as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageLink {
    /// `type`: `image`, `link`, `video`, `twitter_status`, `twitter_user`, or `Other`.
    #[serde(rename = "type")]
    pub kind: MessageLinkType,
    /// The URL found in the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `image`: `{image, name}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageLink>,
    /// `link`: `{description, title, headerText, linkText, faviconUrl, fullUrl}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<Value>,
    /// `video`: `{thumbnailUrl, views, author, title}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<Value>,
    /// `twitter_status`: `{name, created, text, profileImageUrl, source, screenName}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twitter_status: Option<Value>,
    /// `twitter_user`: `{followers, name, profileImageUrl, screenName}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twitter_user: Option<Value>,
}

/// The `image` of an image [`MessageLink`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageLink {
    /// Image URL.
    #[serde(default, deserialize_with = "de::null_default")]
    pub image: String,
    /// Image name (often empty).
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
}

/// The body of get_room_message and get_privatechat_message: `{"message": item}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageEnvelope {
    /// The message.
    pub message: HistoryItem,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> HistoryItem {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn senders_and_deleted_messages() {
        let deleted = item(
            r#"{"id":"a","date":"2018-01-04T10:16:02Z","type":"message","from":null,"message":null}"#,
        );
        assert!(deleted.is_deleted());
        assert_eq!(deleted.from, None);
        assert!(deleted.mentions.is_empty());
        let odd = item(
            r#"{"id":"a","date":"2018-01-04T10:16:02Z","type":"topic","from":{"who":1},"message":"t"}"#,
        );
        assert_eq!(odd.from.as_ref().and_then(Sender::display_name), None);
        assert!(matches!(odd.from, Some(Sender::Other(_))));
    }

    #[test]
    fn cards_parse_or_name_the_item() {
        let with = item(
            r#"{"id":"n1","date":"2018-01-04T10:16:02Z","type":"notification","from":"Link","message":"","card":"{\"style\":\"link\"}"}"#,
        );
        assert_eq!(with.card_json().unwrap().unwrap()["style"], "link");
        let broken = item(
            r#"{"id":"n2","date":"2018-01-04T10:16:02Z","type":"notification","from":"Link","message":"","card":"{oops"}"#,
        );
        let error = broken.card_json().unwrap_err();
        assert_eq!(error.item_id, "n2");
        assert!(error.to_string().contains("n2"), "{error}");
        let object = item(
            r#"{"id":"n3","date":"2018-01-04T10:16:02Z","type":"notification","from":"Link","message":"","card":{"style":"file"}}"#,
        );
        assert_eq!(object.card.as_deref(), Some(r#"{"style":"file"}"#));
        assert_eq!(object.card_json().unwrap().unwrap()["style"], "file");
    }

    #[test]
    fn unknown_keys_are_kept_and_written_back() {
        let text = r#"{"id":"a","date":"2018-01-04T10:16:02Z","type":"message","from":"x","message":"m","shiny":{"new":true}}"#;
        let first = item(text);
        assert_eq!(first.extra["shiny"]["new"], true);
        let again = item(&serde_json::to_string(&first).unwrap());
        assert_eq!(again, first);
    }
}
