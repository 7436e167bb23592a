//! The UI and webhook modules under `capabilities` (spec §1 table): webhooks, glances,
//! web panels, dialogs, actions, external pages, and the small shapes they share
//! (names, icons, targets).
//!
//! URLs are strings: real descriptors carry template placeholders (`{{localBaseUrl}}`),
//! and the builder ([`crate::Addon`]) takes paths that it resolves against the add-on's
//! base URL.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::condition::Condition;
use super::one_or_many;
use super::values::{
    ActionLocation, Authentication, DialogSizeName, DialogStyle, WebPanelLocation, WebhookEvent,
};

/// A shown name: `{value, i18n?}` (`value` 1–100 characters, `i18n` 1–40).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The text.
    pub value: String,
    /// A translation key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n: Option<String>,
}

impl Name {
    /// A name without translation key.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            i18n: None,
        }
    }
}

impl From<&str> for Name {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Name {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

/// An icon: `{url, url@2x}` (both required by the schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Icon {
    /// The image.
    pub url: String,
    /// The image at twice the resolution.
    #[serde(rename = "url@2x")]
    pub url_2x: String,
}

impl Icon {
    /// An icon with one image for both resolutions.
    pub fn new(url: impl Into<String>) -> Self {
        let url = url.into();
        Self {
            url_2x: url.clone(),
            url,
        }
    }
}

/// What a glance or action opens: a module key, or `{key, options?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Target {
    /// The key of a web panel, dialog, glance or external page.
    Key(String),
    /// The key with options passed to the opened module.
    WithOptions {
        /// The key of a web panel, dialog, glance or external page.
        key: String,
        /// Free-form options.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        options: Option<Map<String, Value>>,
    },
}

impl Target {
    /// The key of the module opened.
    pub fn key(&self) -> &str {
        match self {
            Self::Key(key) | Self::WithOptions { key, .. } => key,
        }
    }
}

impl From<&str> for Target {
    fn from(key: &str) -> Self {
        Self::Key(key.to_owned())
    }
}

impl From<String> for Target {
    fn from(key: String) -> Self {
        Self::Key(key)
    }
}

/// `webhook[]`: a room event delivered to `url`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    /// The event.
    pub event: WebhookEvent,
    /// Where HipChat POSTs it.
    pub url: String,
    /// For message events: the regex a message must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// A display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A key (pattern `^[a-zA-Z0-9_\-\.]+$`, 1–40).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `jwt` or `none`; absent means `none` (the schema's default, spec §10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
}

impl Webhook {
    /// A webhook for `event` at `url` (in the builder, a path), signed with a JWT
    /// (spec §8.1).
    pub fn new(event: impl Into<WebhookEvent>, url: impl Into<String>) -> Self {
        Self {
            event: event.into(),
            url: url.into(),
            pattern: None,
            name: None,
            key: None,
            authentication: Some(Authentication::Jwt),
        }
    }

    /// With a message pattern (e.g. `^/hello`).
    pub fn with_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.pattern = Some(pattern.into());
        self
    }

    /// With a display name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// With a key.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// With `authentication` set explicitly (`none` opts out of signed deliveries).
    pub fn with_authentication(mut self, authentication: Authentication) -> Self {
        self.authentication = Some(authentication);
        self
    }

    /// The authentication in effect: as written, else the schema's default `none`.
    pub fn effective_authentication(&self) -> Authentication {
        self.authentication.clone().unwrap_or(Authentication::None)
    }
}

/// `glance[]`: a sidebar entry whose text comes from `queryUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Glance {
    /// The key.
    pub key: String,
    /// The text shown when `queryUrl` is absent or fails.
    pub name: Name,
    /// The icon.
    pub icon: Icon,
    /// Where the HipChat client fetches the glance's data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_url: Option<String>,
    /// The module opened on click.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Ordering, ascending (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// When it shows.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub conditions: Vec<Condition>,
}

impl Glance {
    /// A glance with its required fields.
    pub fn new(key: impl Into<String>, name: impl Into<Name>, icon: Icon) -> Self {
        Self {
            key: key.into(),
            name: name.into(),
            icon,
            query_url: None,
            target: None,
            weight: None,
            conditions: Vec::new(),
        }
    }

    /// With a `queryUrl` (in the builder, a path).
    pub fn with_query_url(mut self, url: impl Into<String>) -> Self {
        self.query_url = Some(url.into());
        self
    }

    /// With a target module.
    pub fn with_target(mut self, target: impl Into<Target>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// With a weight.
    pub fn with_weight(mut self, weight: i64) -> Self {
        self.weight = Some(weight);
        self
    }

    /// With one more condition.
    pub fn with_condition(mut self, condition: Condition) -> Self {
        self.conditions.push(condition);
        self
    }
}

/// `webPanel[]`: an iframe in the sidebar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebPanel {
    /// The key.
    pub key: String,
    /// The title.
    pub name: Name,
    /// The iframe's page.
    pub url: String,
    /// Where it shows (`hipchat.sidebar.right`).
    pub location: WebPanelLocation,
    /// An icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
    /// Ordering (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// `jwt` (the default) or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// When it shows.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub conditions: Vec<Condition>,
}

impl WebPanel {
    /// A right-sidebar panel at `url` (in the builder, a path).
    pub fn new(key: impl Into<String>, name: impl Into<Name>, url: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            name: name.into(),
            url: url.into(),
            location: WebPanelLocation::SidebarRight,
            icon: None,
            weight: None,
            authentication: None,
            conditions: Vec::new(),
        }
    }

    /// With an icon.
    pub fn with_icon(mut self, icon: Icon) -> Self {
        self.icon = Some(icon);
        self
    }

    /// With a weight.
    pub fn with_weight(mut self, weight: i64) -> Self {
        self.weight = Some(weight);
        self
    }

    /// With one more condition.
    pub fn with_condition(mut self, condition: Condition) -> Self {
        self.conditions.push(condition);
        self
    }
}

/// `dialog[]`: a modal iframe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dialog {
    /// The key.
    pub key: String,
    /// The title.
    pub title: Name,
    /// The iframe's page.
    pub url: String,
    /// `jwt` (the default) or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// Style, buttons, size, hint, filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<DialogOptions>,
}

impl Dialog {
    /// A dialog at `url` (in the builder, a path).
    pub fn new(key: impl Into<String>, title: impl Into<Name>, url: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            title: title.into(),
            url: url.into(),
            authentication: None,
            options: None,
        }
    }

    /// With options.
    pub fn with_options(mut self, options: DialogOptions) -> Self {
        self.options = Some(options);
        self
    }
}

/// `dialog[].options` (the schema allows no other keys here).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DialogOptions {
    /// `normal` (the default) or `warning`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<DialogStyle>,
    /// The main button (its key defaults to `primary-action-selected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_action: Option<DialogAction>,
    /// Further buttons.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub secondary_actions: Vec<DialogAction>,
    /// The size: named or `{width, height}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<DialogSize>,
    /// A hint shown in the dialog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Name>,
    /// A filter box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<DialogFilter>,
}

/// A dialog button: `{name, key?, enabled?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogAction {
    /// The label.
    pub name: Name,
    /// The key the dialog's page receives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Whether it starts enabled (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl DialogAction {
    /// A button labelled `name` with key `key`.
    pub fn new(name: impl Into<Name>, key: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            key: Some(key.into()),
            enabled: None,
        }
    }
}

/// A dialog's size: one of the named sizes, or `{width, height}` in px or %.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DialogSize {
    /// `small`, `medium`, `large` or `xlarge`.
    Named(DialogSizeName),
    /// e.g. `{"width": "400px", "height": "200px"}`.
    Dimensions {
        /// The width, e.g. `400px` or `50%`.
        width: String,
        /// The height.
        height: String,
    },
}

/// `dialog[].options.filter`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogFilter {
    /// The filter box's placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<Name>,
}

/// `action[]`: an entry in a message's menu or the input bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// The key.
    pub key: String,
    /// The label.
    pub name: Name,
    /// The module opened.
    pub target: Target,
    /// `hipchat.message.action` or `hipchat.input.action`.
    pub location: ActionLocation,
    /// Ordering (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// When it shows.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub conditions: Vec<Condition>,
}

impl Action {
    /// An action at `location` opening `target`.
    pub fn new(
        key: impl Into<String>,
        name: impl Into<Name>,
        location: ActionLocation,
        target: impl Into<Target>,
    ) -> Self {
        Self {
            key: key.into(),
            name: name.into(),
            target: target.into(),
            location,
            weight: None,
            conditions: Vec::new(),
        }
    }

    /// With a weight.
    pub fn with_weight(mut self, weight: i64) -> Self {
        self.weight = Some(weight);
        self
    }

    /// With one more condition.
    pub fn with_condition(mut self, condition: Condition) -> Self {
        self.conditions.push(condition);
        self
    }
}

/// `externalPage[]`: a page outside HipChat, only ever a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalPage {
    /// The key.
    pub key: String,
    /// The page.
    pub url: String,
    /// A name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
}

impl ExternalPage {
    /// An external page at `url` (in the builder, a path or an absolute URL).
    pub fn new(key: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            url: url.into(),
            name: None,
        }
    }

    /// With a name.
    pub fn with_name(mut self, name: impl Into<Name>) -> Self {
        self.name = Some(name.into());
        self
    }
}
