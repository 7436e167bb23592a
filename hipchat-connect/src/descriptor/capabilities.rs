//! `capabilities`: the API consumer, installation settings, pages, and the module
//! lists of [`super::modules`].

use serde::{Deserialize, Serialize};

use super::modules::{Action, Dialog, ExternalPage, Glance, WebPanel, Webhook};
use super::one_or_many;
use super::scope::Scope;
use super::values::Authentication;

/// `capabilities`. Every module list reads one object or an array and writes an array;
/// empty lists are left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// The REST API scopes and sender name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hipchat_api_consumer: Option<HipchatApiConsumer>,
    /// Where installs go and which kinds are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installable: Option<Installable>,
    /// `webhook` (one object or an array when read).
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub webhook: Vec<Webhook>,
    /// `glance`.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub glance: Vec<Glance>,
    /// `webPanel`.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub web_panel: Vec<WebPanel>,
    /// `dialog`.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub dialog: Vec<Dialog>,
    /// `action`.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub action: Vec<Action>,
    /// `externalPage`.
    #[serde(
        default,
        deserialize_with = "one_or_many::deserialize",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub external_page: Vec<ExternalPage>,
    /// The configuration page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configurable: Option<Configurable>,
    /// The admin page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_page: Option<AdminPage>,
    /// OAuth 2 redirection URLs for user tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2_consumer: Option<Oauth2Consumer>,
}

/// `hipchatApiConsumer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HipchatApiConsumer {
    /// The scopes the add-on token may have.
    #[serde(default, deserialize_with = "one_or_many::deserialize")]
    pub scopes: Vec<Scope>,
    /// The sender name of the add-on's notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// The sender avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<Avatar>,
}

/// `hipchatApiConsumer.avatar`: a URL, or `{url, url@2x?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Avatar {
    /// The image's URL.
    Url(String),
    /// The image and, optionally, one at twice the resolution.
    Image {
        /// The image.
        url: String,
        /// The image at twice the resolution.
        #[serde(rename = "url@2x", default, skip_serializing_if = "Option::is_none")]
        url_2x: Option<String>,
    },
}

/// `installable`: install kinds allowed and the install callbacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Installable {
    /// Whether a whole group may install it (default true).
    #[serde(default = "yes")]
    pub allow_global: bool,
    /// Whether a room may install it (default true).
    #[serde(default = "yes")]
    pub allow_room: bool,
    /// Where HipChat POSTs an installation; uninstalls are `DELETE {callbackUrl}/{oauthId}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Where HipChat POSTs an update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_callback_url: Option<String>,
    /// Browser redirect after a client-side install.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_url: Option<String>,
    /// Browser redirect after an update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_url: Option<String>,
    /// Browser redirect on uninstall (`?installable_url=…&redirect_url=…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uninstalled_url: Option<String>,
}

fn yes() -> bool {
    true
}

impl Default for Installable {
    fn default() -> Self {
        Self {
            allow_global: true,
            allow_room: true,
            callback_url: None,
            update_callback_url: None,
            installed_url: None,
            updated_url: None,
            uninstalled_url: None,
        }
    }
}

/// `configurable`: the configuration page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configurable {
    /// The page (in the builder, a path).
    pub url: String,
    /// `jwt` (the default) or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    /// Opens it to room admins of a global install (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_access_to_room_admins: Option<bool>,
}

impl Configurable {
    /// A configuration page at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            authentication: None,
            allow_access_to_room_admins: None,
        }
    }
}

/// `adminPage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPage {
    /// The page.
    pub url: String,
}

/// `oauth2Consumer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Oauth2Consumer {
    /// Where user authorizations may redirect.
    #[serde(default, deserialize_with = "one_or_many::deserialize")]
    pub redirection_urls: Vec<String>,
}
