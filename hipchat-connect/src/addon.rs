//! An add-on declared in typed Rust: [`Addon::builder`] takes the key, the name and one
//! base URL; every URL of the descriptor (`links.self`, the install callback, each
//! module's page) is a path resolved against that base, so they cannot disagree.
//! [`AddonBuilder::build`] checks keys, names and cross-references once, before
//! serving, and reports every problem it finds, each naming its key (spec §1; design
//! principle: never at install time).
//!
//! ```
//! use hipchat_connect::Addon;
//! use hipchat_connect::descriptor::{
//!     Action, ActionLocation, Condition, ConditionName, Dialog, Glance, Icon, Scope, WebPanel,
//!     Webhook, WebhookEvent,
//! };
//!
//! let addon = Addon::builder("com.example.hello", "Hello", "https://bots.example/hello/")
//!     .description("Says hello")
//!     .vendor("Example", "https://example.com")
//!     .scopes([Scope::SendNotification, Scope::ViewRoom])
//!     .allow_global(false)
//!     .webhook(Webhook::new(WebhookEvent::RoomMessage, "/webhook/hello").with_pattern("^/hello"))
//!     .glance(
//!         Glance::new("hello.glance", "Hello", Icon::new("/static/icon.png"))
//!             .with_query_url("/glance")
//!             .with_target("hello.sidebar"),
//!     )
//!     .web_panel(WebPanel::new("hello.sidebar", "Hello sidebar", "/sidebar"))
//!     .dialog(Dialog::new("hello.dialog", "Hello dialog", "/dialog"))
//!     .action(
//!         Action::new("hello.action", "Say hello", ActionLocation::MessageAction, "hello.dialog")
//!             .with_condition(Condition::not(ConditionName::UserIsGuest)),
//!     )
//!     .build()?;
//!
//! assert_eq!(addon.descriptor_url().as_str(), "https://bots.example/hello/atlassian-connect.json");
//! let json = addon.descriptor_json();
//! assert_eq!(json["capabilities"]["installable"]["callbackUrl"], "https://bots.example/hello/installable");
//! assert_eq!(json["capabilities"]["webhook"][0]["authentication"], "jwt");
//! # Ok::<(), hipchat_connect::AddonError>(())
//! ```

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use url::Url;

use crate::descriptor::{
    Action, AdminPage, Authentication, Avatar, Capabilities, Condition, ConditionName,
    Configurable, Descriptor, Dialog, DialogOptions, DialogSize, ExternalPage, Glance,
    HipchatApiConsumer, Icon, Installable, Links, Name, Oauth2Consumer, Scope, Vendor, WebPanel,
    Webhook,
};

/// The descriptor path used unless [`AddonBuilder::descriptor_path`] says otherwise.
pub const DEFAULT_DESCRIPTOR_PATH: &str = "/atlassian-connect.json";
/// The install callback path (`callbackUrl`) used unless
/// [`AddonBuilder::installed_path`] says otherwise.
pub const DEFAULT_INSTALLED_PATH: &str = "/installable";

/// A checked add-on: its descriptor and where it is served. Made by
/// [`Addon::builder`]; the install and router code read it through the getters.
#[derive(Debug, Clone)]
pub struct Addon {
    descriptor: Descriptor,
    base_url: Url,
    descriptor_url: Url,
    descriptor_path: String,
    installed_path: String,
    uninstalled_path: Option<String>,
}

impl Addon {
    /// Starts declaring an add-on with its `key` (`^[a-zA-Z0-9_\-\.]+$`, 1–40
    /// characters), `name` (1–100 characters) and the `base_url` every path is resolved
    /// against (http or https; a path prefix such as `https://host/bot/` is kept).
    pub fn builder(
        key: impl Into<String>,
        name: impl Into<String>,
        base_url: impl AsRef<str>,
    ) -> AddonBuilder {
        AddonBuilder {
            key: key.into(),
            name: name.into(),
            base_url: base_url.as_ref().to_owned(),
            description: None,
            vendor: None,
            homepage: None,
            scopes: Vec::new(),
            from_name: None,
            avatar: None,
            allow_room: true,
            allow_global: true,
            descriptor_path: DEFAULT_DESCRIPTOR_PATH.to_owned(),
            installed_path: DEFAULT_INSTALLED_PATH.to_owned(),
            uninstalled_path: None,
            capabilities: Capabilities::default(),
        }
    }

    /// The add-on's key.
    pub fn key(&self) -> &str {
        &self.descriptor.key
    }

    /// The descriptor, every URL absolute.
    pub fn descriptor(&self) -> &Descriptor {
        &self.descriptor
    }

    /// The descriptor as the JSON served at [`Addon::descriptor_url`].
    pub fn descriptor_json(&self) -> serde_json::Value {
        self.descriptor.to_json()
    }

    /// The base URL, with a trailing `/`.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The descriptor's path relative to the base URL, starting with `/`.
    pub fn descriptor_path(&self) -> &str {
        &self.descriptor_path
    }

    /// The descriptor's URL: `links.self`, which HipChat compares with the URL it
    /// fetched.
    pub fn descriptor_url(&self) -> Url {
        self.descriptor_url.clone()
    }

    /// The install callback's path relative to the base URL, starting with `/`: HipChat
    /// POSTs installations there and sends uninstalls as `DELETE {path}/{oauthId}`.
    pub fn installed_path(&self) -> &str {
        &self.installed_path
    }

    /// The browser-redirect uninstall path (`uninstalledUrl`) relative to the base URL,
    /// if the add-on declared one.
    pub fn uninstalled_path(&self) -> Option<&str> {
        self.uninstalled_path.as_deref()
    }

    /// The scopes the add-on asks for (at least one).
    pub fn scopes(&self) -> &[Scope] {
        self.descriptor.scopes()
    }

    /// Whether rooms may install the add-on (`allowRoom`).
    pub fn allows_room(&self) -> bool {
        self.installable()
            .is_none_or(|installable| installable.allow_room)
    }

    /// Whether whole groups may install the add-on (`allowGlobal`).
    pub fn allows_global(&self) -> bool {
        self.installable()
            .is_none_or(|installable| installable.allow_global)
    }

    /// The path, relative to the base URL and starting with `/`, of `url` (one of the
    /// descriptor's absolute URLs), query left out; `None` when `url` is not under the
    /// base URL (another origin or outside its path prefix), such as an icon on a CDN.
    /// What a router mounts a module's handler on: `https://h/bot/glance?v=1` with base
    /// `https://h/bot/` gives `/glance`.
    pub fn local_path(&self, url: &str) -> Option<String> {
        let url = Url::parse(url).ok()?;
        if url.origin() != self.base_url.origin() {
            return None;
        }
        let rest = url.path().strip_prefix(self.base_url.path())?;
        Some(format!("/{rest}"))
    }

    fn installable(&self) -> Option<&Installable> {
        self.descriptor.capabilities.installable.as_ref()
    }
}

/// Declares an [`Addon`]; see [`Addon::builder`]. Module URLs given to it are paths
/// resolved against the base URL (an absolute http or https URL is kept as it is).
#[derive(Debug, Clone)]
#[must_use = "an add-on builder does nothing until build() is called"]
pub struct AddonBuilder {
    key: String,
    name: String,
    base_url: String,
    description: Option<String>,
    vendor: Option<Vendor>,
    homepage: Option<String>,
    scopes: Vec<Scope>,
    from_name: Option<String>,
    avatar: Option<String>,
    allow_room: bool,
    allow_global: bool,
    descriptor_path: String,
    installed_path: String,
    uninstalled_path: Option<String>,
    capabilities: Capabilities,
}

impl AddonBuilder {
    /// What the add-on does (`description`; defaults to the name).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Who makes it (`vendor`).
    pub fn vendor(mut self, name: impl Into<String>, url: impl Into<String>) -> Self {
        self.vendor = Some(Vendor {
            name: name.into(),
            url: url.into(),
        });
        self
    }

    /// Its home page (`links.homepage`), a path or an absolute URL.
    pub fn homepage(mut self, path: impl Into<String>) -> Self {
        self.homepage = Some(path.into());
        self
    }

    /// Adds API scopes (`hipchatApiConsumer.scopes`); at least one is required.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        for scope in scopes {
            if !self.scopes.contains(&scope) {
                self.scopes.push(scope);
            }
        }
        self
    }

    /// The sender name of its notifications (`hipchatApiConsumer.fromName`).
    pub fn from_name(mut self, from_name: impl Into<String>) -> Self {
        self.from_name = Some(from_name.into());
        self
    }

    /// The sender avatar (`hipchatApiConsumer.avatar`), a path or an absolute URL.
    pub fn avatar(mut self, path: impl Into<String>) -> Self {
        self.avatar = Some(path.into());
        self
    }

    /// Whether rooms may install it (`allowRoom`, default true).
    pub fn allow_room(mut self, allow: bool) -> Self {
        self.allow_room = allow;
        self
    }

    /// Whether whole groups may install it (`allowGlobal`, default true).
    pub fn allow_global(mut self, allow: bool) -> Self {
        self.allow_global = allow;
        self
    }

    /// Where the descriptor is served (default [`DEFAULT_DESCRIPTOR_PATH`]).
    pub fn descriptor_path(mut self, path: impl Into<String>) -> Self {
        self.descriptor_path = path.into();
        self
    }

    /// The install callback (`callbackUrl`, default [`DEFAULT_INSTALLED_PATH`]);
    /// uninstalls arrive as `DELETE {path}/{oauthId}`.
    pub fn installed_path(mut self, path: impl Into<String>) -> Self {
        self.installed_path = path.into();
        self
    }

    /// A browser-redirect uninstall page (`uninstalledUrl`), besides the DELETE.
    pub fn uninstalled_path(mut self, path: impl Into<String>) -> Self {
        self.uninstalled_path = Some(path.into());
        self
    }

    /// Declares a webhook. One without `authentication` gets `jwt` (spec §8.1).
    pub fn webhook(mut self, webhook: Webhook) -> Self {
        self.capabilities.webhook.push(webhook);
        self
    }

    /// Declares a glance.
    pub fn glance(mut self, glance: Glance) -> Self {
        self.capabilities.glance.push(glance);
        self
    }

    /// Declares a web panel.
    pub fn web_panel(mut self, web_panel: WebPanel) -> Self {
        self.capabilities.web_panel.push(web_panel);
        self
    }

    /// Declares a dialog.
    pub fn dialog(mut self, dialog: Dialog) -> Self {
        self.capabilities.dialog.push(dialog);
        self
    }

    /// Declares an action.
    pub fn action(mut self, action: Action) -> Self {
        self.capabilities.action.push(action);
        self
    }

    /// Declares an external page.
    pub fn external_page(mut self, external_page: ExternalPage) -> Self {
        self.capabilities.external_page.push(external_page);
        self
    }

    /// Declares the configuration page (`configurable`).
    pub fn configurable(mut self, configurable: Configurable) -> Self {
        self.capabilities.configurable = Some(configurable);
        self
    }

    /// Declares the admin page (`adminPage`).
    pub fn admin_page(mut self, path: impl Into<String>) -> Self {
        self.capabilities.admin_page = Some(AdminPage { url: path.into() });
        self
    }

    /// Declares OAuth 2 redirection URLs for user tokens (`oauth2Consumer`), paths or
    /// absolute URLs.
    pub fn oauth2_redirection_urls(
        mut self,
        urls: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.capabilities.oauth2_consumer = Some(Oauth2Consumer {
            redirection_urls: urls.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Checks the declaration and resolves every URL. Collects every problem rather
    /// than stopping at the first ([`AddonError::problems`]):
    ///
    /// - the base URL is http(s) with a host and no query or fragment;
    /// - the add-on key and every module key (webhook keys included) match
    ///   `^[a-zA-Z0-9_\-\.]+$` with 1–40 characters, and no two modules share a key (one
    ///   namespace across module kinds);
    /// - names and titles have 1–100 characters (`i18n` keys 1–40), the add-on's too;
    /// - a glance's or action's target is a declared web panel, dialog, glance or
    ///   external page;
    /// - at least one scope; scopes, events, locations, styles, sizes, conditions and
    ///   `authentication` are values the schema lists, and each condition suits its
    ///   module kind, so the descriptor validates against HipChat's schema;
    /// - every path resolves under the base URL (`..` cannot leave its prefix); absolute
    ///   URLs must be http(s).
    ///
    /// Webhooks without `authentication` get `jwt`.
    pub fn build(self) -> Result<Addon, AddonError> {
        let mut problems = Vec::new();
        let base_url = match base_url(&self.base_url) {
            Ok(url) => Some(url),
            Err(reason) => {
                problems.push(Problem::BaseUrl {
                    url: self.base_url.clone(),
                    reason,
                });
                None
            }
        };
        let mut check = Checker {
            base_url: base_url.as_ref(),
            problems,
        };
        let addon_key = self.key.clone();
        check.key(&addon_key);
        check.name(&addon_key, "name", &self.name);
        if self.scopes.is_empty() {
            check.problems.push(Problem::NoScopes);
        }
        for scope in &self.scopes {
            if !scope.is_known() {
                check.unknown(&addon_key, "scopes", scope.as_str());
            }
        }

        let descriptor_path = with_leading_slash(&self.descriptor_path);
        let installed_path = with_leading_slash(&self.installed_path);
        let uninstalled_path = self.uninstalled_path.as_deref().map(with_leading_slash);
        // The router serves these three itself (the uninstall DELETE under the install
        // path): they must be distinct, and the install path not the root.
        let clash = |what: &'static str, path: &str, reason: &'static str| Problem::ClashingPath {
            key: addon_key.clone(),
            what,
            path: path.to_owned(),
            reason,
        };
        if installed_path.trim_end_matches('/').is_empty() {
            check
                .problems
                .push(clash("installed", &installed_path, "cannot be the root"));
        }
        if installed_path == descriptor_path {
            check.problems.push(clash(
                "installed",
                &installed_path,
                "is the descriptor's path",
            ));
        }
        if let Some(path) = &uninstalled_path
            && (*path == descriptor_path || *path == installed_path)
        {
            check.problems.push(clash(
                "uninstalled",
                path,
                "is the descriptor's or the install callback's path",
            ));
        }
        let self_url = check.url(&addon_key, &descriptor_path);
        let callback_url = check.url(&addon_key, &installed_path);
        let uninstalled_url = uninstalled_path
            .as_ref()
            .map(|path| check.url(&addon_key, path));
        let homepage = self
            .homepage
            .as_ref()
            .map(|path| check.url(&addon_key, path));
        let avatar = self
            .avatar
            .as_ref()
            .map(|path| Avatar::Url(check.url(&addon_key, path)));

        let mut capabilities = self.capabilities;
        check.modules(&mut capabilities);
        if let Some(configurable) = &mut capabilities.configurable {
            check.resolve(&addon_key, &mut configurable.url);
            check.authentication(&addon_key, configurable.authentication.as_ref());
        }
        if let Some(admin_page) = &mut capabilities.admin_page {
            check.resolve(&addon_key, &mut admin_page.url);
        }
        if let Some(oauth2) = &mut capabilities.oauth2_consumer {
            for url in &mut oauth2.redirection_urls {
                check.resolve(&addon_key, url);
            }
        }
        capabilities.hipchat_api_consumer = Some(HipchatApiConsumer {
            scopes: self.scopes,
            from_name: self.from_name,
            avatar,
        });
        capabilities.installable = Some(Installable {
            allow_global: self.allow_global,
            allow_room: self.allow_room,
            callback_url: Some(callback_url),
            uninstalled_url,
            ..Installable::default()
        });

        let problems = check.problems;
        let descriptor_url = Url::parse(&self_url);
        let (Some(base_url), Ok(descriptor_url), true) =
            (base_url, descriptor_url, problems.is_empty())
        else {
            return Err(AddonError::Invalid(problems));
        };
        let descriptor = Descriptor {
            description: self.description.unwrap_or_else(|| self.name.clone()),
            key: self.key,
            name: self.name,
            api_version: None,
            vendor: self.vendor,
            links: Links { self_url, homepage },
            capabilities,
        };
        Ok(Addon {
            descriptor,
            base_url,
            descriptor_url,
            descriptor_path,
            installed_path,
            uninstalled_path,
        })
    }
}

/// Why [`AddonBuilder::build`] refused a declaration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddonError {
    /// One or more problems, all of them.
    #[error("the add-on declaration has {} problem(s): {}", .0.len(), ProblemList(.0))]
    Invalid(Vec<Problem>),
}

impl AddonError {
    /// The problems found.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Invalid(problems) => problems,
        }
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// One problem of an add-on declaration; each names the key it concerns (the add-on's
/// own key for add-on-wide fields).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The base URL does not parse, is not http(s), or has a query or fragment.
    #[error("base URL `{url}`: {reason}")]
    BaseUrl {
        /// The base URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A key does not match `^[a-zA-Z0-9_\-\.]+$` with 1–40 characters.
    #[error("key `{key}` must be 1–40 characters of a-z, A-Z, 0-9, `_`, `-`, `.`")]
    InvalidKey {
        /// The key.
        key: String,
    },
    /// Two modules share a key.
    #[error("key `{key}` is declared more than once")]
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// A name is empty or too long (`value` 1–100 characters, `i18n` 1–40).
    #[error("`{key}`: {field} must be {min}–{max} characters, not {len}")]
    InvalidName {
        /// The add-on or module key.
        key: String,
        /// Which name (`name`, `title`, `name.i18n`, …).
        field: &'static str,
        /// Its length in characters.
        len: usize,
        /// The least allowed.
        min: usize,
        /// The most allowed.
        max: usize,
    },
    /// A glance's or action's target names no declared web panel, dialog, glance or
    /// external page.
    #[error(
        "`{key}`: target `{target}` is not the key of a declared webPanel, dialog, glance or externalPage"
    )]
    UnknownTarget {
        /// The glance or action.
        key: String,
        /// The target it names.
        target: String,
    },
    /// A value the schema does not list (an `Other` scope, event, location, …).
    #[error("`{key}`: {field} `{value}` is not one the schema allows")]
    UnknownValue {
        /// The add-on or module key.
        key: String,
        /// Which field (`scopes`, `event`, `location`, …).
        field: &'static str,
        /// The value.
        value: String,
    },
    /// A condition the module kind does not take (e.g. `card_matches` on a glance).
    #[error("`{key}`: condition `{condition}` does not apply to a {module}")]
    ConditionNotAllowed {
        /// The module key.
        key: String,
        /// The module kind (`glance`, `webPanel`, `action`).
        module: &'static str,
        /// The condition.
        condition: String,
    },
    /// A compound condition with no parts.
    #[error("`{key}`: a compound condition needs at least one condition")]
    EmptyCondition {
        /// The module key.
        key: String,
    },
    /// No API scope declared.
    #[error("no API scope declared: an add-on needs at least one (e.g. send_notification)")]
    NoScopes,
    /// Two of the add-on's own routes (descriptor, install callback, redirect
    /// uninstall) on one path, or the install callback at the root.
    #[error("`{key}`: {what} path `{path}` {reason}")]
    ClashingPath {
        /// The add-on key.
        key: String,
        /// Which path (`"installed"`, `"uninstalled"`).
        what: &'static str,
        /// The path given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A URL or path that does not resolve against the base URL.
    #[error("`{key}`: URL `{url}` does not resolve against the base URL")]
    InvalidUrl {
        /// The add-on or module key.
        key: String,
        /// The path or URL given.
        url: String,
    },
}

/// Collects problems and resolves URLs during [`AddonBuilder::build`].
struct Checker<'a> {
    base_url: Option<&'a Url>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn key(&mut self, key: &str) {
        if !valid_key(key) {
            self.problems.push(Problem::InvalidKey {
                key: key.to_owned(),
            });
        }
    }

    fn name(&mut self, key: &str, field: &'static str, value: &str) {
        self.length(key, field, value, 100);
    }

    fn full_name(&mut self, key: &str, field: &'static str, i18n_field: &'static str, name: &Name) {
        self.name(key, field, &name.value);
        if let Some(i18n) = &name.i18n {
            self.length(key, i18n_field, i18n, 40);
        }
    }

    fn length(&mut self, key: &str, field: &'static str, value: &str, max: usize) {
        let len = value.chars().count();
        if !(1..=max).contains(&len) {
            self.problems.push(Problem::InvalidName {
                key: key.to_owned(),
                field,
                len,
                min: 1,
                max,
            });
        }
    }

    fn unknown(&mut self, key: &str, field: &'static str, value: &str) {
        self.problems.push(Problem::UnknownValue {
            key: key.to_owned(),
            field,
            value: value.to_owned(),
        });
    }

    /// An unknown value is a problem; `none` is allowed but never silent: HipChat then
    /// calls that module unsigned (spec §8.1).
    fn authentication(&mut self, key: &str, authentication: Option<&Authentication>) {
        match authentication {
            Some(Authentication::None) => tracing::warn!(
                module = %key,
                "declared with authentication none: HipChat's calls to it are unsigned"
            ),
            Some(other) if !other.is_known() => {
                self.unknown(key, "authentication", other.as_str());
            }
            _ => {}
        }
    }

    /// `path` resolved against the base URL; a problem (and `path` unchanged) if not.
    fn url(&mut self, key: &str, path: &str) -> String {
        let Some(base) = self.base_url else {
            return path.to_owned();
        };
        match resolve(base, path) {
            Ok(url) => url.into(),
            Err(()) => {
                self.problems.push(Problem::InvalidUrl {
                    key: key.to_owned(),
                    url: path.to_owned(),
                });
                path.to_owned()
            }
        }
    }

    fn resolve(&mut self, key: &str, url: &mut String) {
        *url = self.url(key, url);
    }

    fn icon(&mut self, key: &str, icon: &mut Icon) {
        self.resolve(key, &mut icon.url);
        self.resolve(key, &mut icon.url_2x);
    }

    fn conditions(
        &mut self,
        key: &str,
        module: &'static str,
        conditions: &[Condition],
        applies: fn(&ConditionName) -> bool,
    ) {
        for condition in conditions {
            if let Condition::Compound(compound) = condition {
                if compound.conditions.is_empty() {
                    self.problems.push(Problem::EmptyCondition {
                        key: key.to_owned(),
                    });
                }
                if !compound.combinator.is_known() {
                    self.unknown(key, "conditions.type", compound.combinator.as_str());
                }
                self.conditions(key, module, &compound.conditions, applies);
                continue;
            }
            for name in condition.names() {
                if !applies(name) {
                    self.problems.push(Problem::ConditionNotAllowed {
                        key: key.to_owned(),
                        module,
                        condition: name.to_string(),
                    });
                }
            }
        }
    }

    /// Checks and resolves every module, then duplicates and cross-references.
    fn modules(&mut self, capabilities: &mut Capabilities) {
        let mut keys = Vec::new();
        for webhook in &mut capabilities.webhook {
            let key = webhook
                .key
                .clone()
                .unwrap_or_else(|| webhook.event.to_string());
            if let Some(own) = &webhook.key {
                self.key(own);
                keys.push(own.clone());
            }
            if !webhook.event.is_known() {
                self.unknown(&key, "event", webhook.event.as_str());
            }
            self.authentication(&key, webhook.authentication.as_ref());
            webhook.authentication.get_or_insert(Authentication::Jwt);
            self.resolve(&key, &mut webhook.url);
        }
        for glance in &mut capabilities.glance {
            let key = glance.key.clone();
            self.key(&key);
            keys.push(key.clone());
            self.full_name(&key, "name", "name.i18n", &glance.name);
            self.icon(&key, &mut glance.icon);
            if let Some(url) = &mut glance.query_url {
                self.resolve(&key, url);
            }
            self.conditions(
                &key,
                "glance",
                &glance.conditions,
                ConditionName::applies_to_glance,
            );
        }
        for panel in &mut capabilities.web_panel {
            let key = panel.key.clone();
            self.key(&key);
            keys.push(key.clone());
            self.full_name(&key, "name", "name.i18n", &panel.name);
            self.resolve(&key, &mut panel.url);
            if let Some(icon) = &mut panel.icon {
                self.icon(&key, icon);
            }
            if !panel.location.is_known() {
                self.unknown(&key, "location", panel.location.as_str());
            }
            self.authentication(&key, panel.authentication.as_ref());
            self.conditions(
                &key,
                "webPanel",
                &panel.conditions,
                ConditionName::applies_to_web_panel,
            );
        }
        for dialog in &mut capabilities.dialog {
            let key = dialog.key.clone();
            self.key(&key);
            keys.push(key.clone());
            self.full_name(&key, "title", "title.i18n", &dialog.title);
            self.resolve(&key, &mut dialog.url);
            self.authentication(&key, dialog.authentication.as_ref());
            if let Some(options) = &dialog.options {
                self.dialog_options(&key, options);
            }
        }
        for action in &capabilities.action {
            let key = action.key.clone();
            self.key(&key);
            keys.push(key.clone());
            self.full_name(&key, "name", "name.i18n", &action.name);
            if !action.location.is_known() {
                self.unknown(&key, "location", action.location.as_str());
            }
            self.conditions(
                &key,
                "action",
                &action.conditions,
                ConditionName::applies_to_action,
            );
        }
        for page in &mut capabilities.external_page {
            let key = page.key.clone();
            self.key(&key);
            keys.push(key.clone());
            if let Some(name) = &page.name {
                self.full_name(&key, "name", "name.i18n", name);
            }
            self.resolve(&key, &mut page.url);
        }

        let mut seen = HashSet::new();
        let duplicates: BTreeSet<&String> = keys.iter().filter(|key| !seen.insert(*key)).collect();
        for key in duplicates {
            self.problems
                .push(Problem::DuplicateKey { key: key.clone() });
        }

        let targets: HashSet<&str> = capabilities
            .web_panel
            .iter()
            .map(|panel| panel.key.as_str())
            .chain(capabilities.dialog.iter().map(|dialog| dialog.key.as_str()))
            .chain(capabilities.glance.iter().map(|glance| glance.key.as_str()))
            .chain(
                capabilities
                    .external_page
                    .iter()
                    .map(|page| page.key.as_str()),
            )
            .collect();
        let pointers = capabilities
            .glance
            .iter()
            .filter_map(|glance| Some((&glance.key, glance.target.as_ref()?)))
            .chain(
                capabilities
                    .action
                    .iter()
                    .map(|action| (&action.key, &action.target)),
            );
        for (key, target) in pointers {
            if !targets.contains(target.key()) {
                self.problems.push(Problem::UnknownTarget {
                    key: key.clone(),
                    target: target.key().to_owned(),
                });
            }
        }
    }

    fn dialog_options(&mut self, key: &str, options: &DialogOptions) {
        if let Some(style) = options.style.as_ref().filter(|style| !style.is_known()) {
            self.unknown(key, "options.style", style.as_str());
        }
        if let Some(DialogSize::Named(size)) = &options.size
            && !size.is_known()
        {
            self.unknown(key, "options.size", size.as_str());
        }
        for action in options
            .primary_action
            .iter()
            .chain(&options.secondary_actions)
        {
            self.full_name(
                key,
                "options action name",
                "options action name.i18n",
                &action.name,
            );
        }
        if let Some(hint) = &options.hint {
            self.full_name(key, "options.hint", "options.hint.i18n", hint);
        }
        if let Some(placeholder) = options
            .filter
            .as_ref()
            .and_then(|filter| filter.placeholder.as_ref())
        {
            self.full_name(
                key,
                "options.filter.placeholder",
                "options.filter.placeholder.i18n",
                placeholder,
            );
        }
    }
}

/// Whether `key` matches `^[a-zA-Z0-9_\-\.]+$` and has 1–40 characters.
fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.'))
}

/// The base URL checked and with a trailing `/`.
fn base_url(raw: &str) -> Result<Url, String> {
    let mut url = Url::parse(raw).map_err(|err| err.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("scheme `{}` is not http or https", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it has a query or fragment".to_owned());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `path` (which may carry a query) after the base URL's path prefix, joined by one
/// `/`; an absolute http(s) URL is returned as it is.
fn resolve(base: &Url, path: &str) -> Result<Url, ()> {
    if let Ok(absolute) = Url::parse(path) {
        return match absolute.scheme() {
            "http" | "https" => Ok(absolute),
            _ => Err(()),
        };
    }
    if path.starts_with("//") {
        return Err(());
    }
    let url = Url::parse(&format!(
        "{}{}",
        base.as_str(),
        path.trim_start_matches('/')
    ))
    .map_err(|_| ())?;
    // `..` segments must not climb out of the base URL's path prefix.
    if url.as_str().starts_with(base.as_str()) {
        Ok(url)
    } else {
        Err(())
    }
}

fn with_leading_slash(path: &str) -> String {
    format!("/{}", path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_schema_pattern() {
        assert!(valid_key("com.example-add_on.1"));
        assert!(valid_key(&"k".repeat(40)));
        assert!(!valid_key(&"k".repeat(41)));
        assert!(!valid_key(""));
        assert!(!valid_key("has space"));
        assert!(!valid_key("é"));
    }

    #[test]
    fn paths_resolve_under_the_base_prefix_without_double_slashes() {
        let base = base_url("https://h.example/bot").unwrap();
        assert_eq!(base.as_str(), "https://h.example/bot/");
        let join = |path| resolve(&base, path).unwrap().to_string();
        assert_eq!(join("/webhook"), "https://h.example/bot/webhook");
        assert_eq!(join("webhook"), "https://h.example/bot/webhook");
        assert_eq!(join("/glance?x=1"), "https://h.example/bot/glance?x=1");
        assert_eq!(
            join("https://cdn.example/i.png"),
            "https://cdn.example/i.png"
        );
        assert!(resolve(&base, "ftp://x/y").is_err());
        assert!(resolve(&base, "//evil.example/x").is_err());
        assert!(resolve(&base, "/../escape").is_err());
        assert_eq!(join("/a/../b"), "https://h.example/bot/b");
        assert_eq!(
            resolve(&base_url("http://h:8080").unwrap(), "/a")
                .unwrap()
                .as_str(),
            "http://h:8080/a"
        );
    }

    #[test]
    fn base_urls_must_be_http_with_a_host() {
        assert!(base_url("ftp://h/").is_err());
        assert!(base_url("not a url").is_err());
        assert!(base_url("https://h/?q=1").is_err());
        assert!(base_url("https://h/#top").is_err());
    }
}
