//! Room webhooks (spec §3.6, §6): list items and get_webhook.

use super::common::{Links, UserRef};
use super::enums::{WebhookAuthentication, WebhookEvent};
use super::room::RoomRef;
use super::{de, time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A webhook: an item of get_all_webhooks, or get_webhook's body (which adds `room`,
/// `creator`, `created`, `authentication`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Webhook {
    /// The webhook's id, read from an integer or a numeric string; absent in the get_webhook
    /// sample.
    #[serde(default, deserialize_with = "de::option_u64_or_string")]
    pub id: Option<u64>,
    /// The webhook's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The event it listens to.
    pub event: WebhookEvent,
    /// Message regex (message events only); may be `null`.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Where HipChat posts the event.
    #[serde(default, deserialize_with = "de::null_default")]
    pub url: String,
    /// The add-on key (add-on webhooks).
    #[serde(default)]
    pub key: Option<String>,
    /// `links.self` (echoes the room segment as requested: id or name).
    #[serde(default)]
    pub links: Option<Links>,
    /// get only: the room, or `null`.
    #[serde(default)]
    pub room: Option<RoomRef>,
    /// get only: who created it, or `null`.
    #[serde(default)]
    pub creator: Option<UserRef>,
    /// get only: creation time.
    #[serde(default, with = "time::rfc3339::option")]
    pub created: Option<Timestamp>,
    /// get only: `jwt` or `none`.
    #[serde(default)]
    pub authentication: Option<WebhookAuthentication>,
}
