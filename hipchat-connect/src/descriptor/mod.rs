//! The add-on descriptor (spec §1), typed with the schema's exact names.
//!
//! [`Descriptor`] reads every real descriptor: unknown keys are ignored, every list
//! reads one object or an array ([`one_or_many`]), and values the schema enumerates
//! (scopes, events, locations, …) are open enums whose `Other` keeps what this version
//! does not know. It writes what HipChat's schema accepts: arrays for lists, exact key
//! names (`allowGlobal`, `url@2x`, `webhook`).
//!
//! Build a descriptor for your own add-on with [`crate::Addon::builder`], which checks
//! keys and cross-references; these types alone check nothing beyond the JSON shape.

mod capabilities;
mod condition;
mod modules;
pub mod one_or_many;

mod scope;
mod values;

use serde::{Deserialize, Serialize};

pub use capabilities::{
    AdminPage, Avatar, Capabilities, Configurable, HipchatApiConsumer, Installable, Oauth2Consumer,
};
pub use condition::{Combinator, CompoundCondition, Condition, ConditionName, SingleCondition};
pub use modules::{
    Action, Dialog, DialogAction, DialogFilter, DialogOptions, DialogSize, ExternalPage, Glance,
    Icon, Name, Target, WebPanel, Webhook,
};
pub use scope::Scope;
pub use values::{
    ActionLocation, Authentication, DialogSizeName, DialogStyle, WebPanelLocation, WebhookEvent,
};

/// A whole descriptor: the JSON HipChat fetches from the descriptor URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// The add-on's key.
    pub key: String,
    /// The add-on's name.
    pub name: String,
    /// What it does (required by the schema; read as empty when missing).
    #[serde(default)]
    pub description: String,
    /// `^\d+:\d+$`; absent means `1:1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Who makes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Vendor>,
    /// `links.self` and `links.homepage`.
    pub links: Links,
    /// Everything the add-on does.
    #[serde(default)]
    pub capabilities: Capabilities,
}

impl Descriptor {
    /// Parses a descriptor from JSON text.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The descriptor as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        // Every field serialises to JSON (string keys, no non-finite floats), so this
        // cannot fail; Null stands in rather than a panic.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The scopes of `hipchatApiConsumer` (none when it is absent).
    pub fn scopes(&self) -> &[Scope] {
        self.capabilities
            .hipchat_api_consumer
            .as_ref()
            .map_or(&[], |consumer| consumer.scopes.as_slice())
    }
}

/// `vendor`: `{name, url}`, both required when present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vendor {
    /// The vendor's name.
    pub name: String,
    /// The vendor's site.
    pub url: String,
}

/// `links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    /// `self`: the descriptor's own URL; HipChat checks it equals the URL it fetched.
    #[serde(rename = "self")]
    pub self_url: String,
    /// The add-on's home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
}
