//! [`AddonRuntime`]: an [`Addon`] with a store, serving its descriptor and installation
//! callbacks as an axum `Router`, and acting as each installation.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{delete, get, post};
use futures_util::future::BoxFuture;
use hipchat_runtime::backend::HttpBackend;
use hipchat_runtime::rest::Client;
use hipchat_runtime::{Notifier, Settings};

use crate::addon::Addon;
use crate::install::allow_list::AllowedHosts;
use crate::installation::Installation;
use crate::jwt::Policy;
use crate::store::{InstallationStore, StoreError};
use crate::token::AddonTokens;

/// What the handlers share.
pub(crate) struct Shared {
    pub(crate) addon: Addon,
    pub(crate) store: Arc<dyn InstallationStore>,
    pub(crate) tokens: AddonTokens,
    pub(crate) http: reqwest::Client,
    pub(crate) allowed_hosts: AllowedHosts,
    /// The descriptor's scopes, as the token endpoint takes them.
    pub(crate) scopes: Vec<String>,
    /// How signed requests are checked.
    pub(crate) jwt_policy: Policy,
    /// Run after each new installation is stored.
    pub(crate) on_install: Option<InstallHook>,
}

/// What runs after an installation is stored.
type InstallHook = Arc<dyn Fn(Installed) -> BoxFuture<'static, ()> + Send + Sync>;

impl Shared {
    /// Runs the install hook for `installation`, in a task of its own: HipChat is
    /// answered without waiting for it.
    pub(crate) fn installed(self: &Arc<Self>, installation: Installation) {
        if let Some(hook) = &self.on_install {
            let installed = Installed {
                installation,
                runtime: AddonRuntime {
                    shared: Arc::clone(self),
                },
            };
            tokio::spawn(hook(installed));
        }
    }
}

/// An add-on at work: its descriptor served, installations accepted into `store`,
/// and each installation reachable as a REST [`Client`] or a [`Notifier`].
///
/// ```no_run
/// # fn run(addon: hipchat_connect::Addon) -> Result<(), Box<dyn std::error::Error>> {
/// use hipchat_connect::{AddonRuntime, SqliteStore};
///
/// let runtime = AddonRuntime::builder(addon, SqliteStore::open("deploy-bot.db")?)
///     .allow_hosts(["hipchat.example.com"])
///     .build()?;
/// let app: axum::Router = runtime.router();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct AddonRuntime {
    shared: Arc<Shared>,
}

impl AddonRuntime {
    /// A runtime for `addon` keeping installations in `store`, to configure further.
    pub fn builder(addon: Addon, store: impl InstallationStore) -> AddonRuntimeBuilder {
        AddonRuntimeBuilder {
            addon,
            store: Arc::new(store),
            allowed_hosts: AllowedHosts::default(),
            timeout: Duration::from_secs(10),
            jwt_policy: Policy::default(),
            on_install: None,
        }
    }

    /// The add-on.
    pub fn addon(&self) -> &Addon {
        &self.shared.addon
    }

    /// The routes HipChat calls: the descriptor, the install callback and the
    /// uninstall DELETE (and the redirect uninstall when the add-on declares one), at
    /// the paths the add-on declares. Merge it into your app, or serve it as it is.
    pub fn router(&self) -> Router {
        let addon = &self.shared.addon;
        let installed = addon.installed_path().trim_end_matches('/').to_owned();
        let mut router = Router::new()
            .route(addon.descriptor_path(), get(crate::install::descriptor))
            .route(&installed, post(crate::install::install))
            .route(
                &format!("{installed}/{{oauth_id}}"),
                delete(crate::install::uninstall),
            );
        if let Some(path) = addon.uninstalled_path() {
            router = router.route(path, get(crate::install::uninstall_redirect));
        }
        router.with_state(Arc::clone(&self.shared))
    }

    /// The installation with this `oauthId`, if the add-on has it.
    pub async fn installation(&self, oauth_id: &str) -> Result<Option<Installed>, StoreError> {
        Ok(self
            .shared
            .store
            .get(oauth_id)
            .await?
            .map(|installation| self.installed(installation)))
    }

    /// Every installation.
    pub async fn installations(&self) -> Result<Vec<Installed>, StoreError> {
        Ok(self
            .shared
            .store
            .list()
            .await?
            .into_iter()
            .map(|installation| self.installed(installation))
            .collect())
    }

    fn installed(&self, installation: Installation) -> Installed {
        Installed {
            installation,
            runtime: self.clone(),
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn InstallationStore> {
        &self.shared.store
    }

    /// How signed requests are checked.
    pub fn jwt_policy(&self) -> &Policy {
        &self.shared.jwt_policy
    }
}

impl std::fmt::Debug for AddonRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddonRuntime")
            .field("key", &self.shared.addon.key())
            .field("allowed_hosts", &self.shared.allowed_hosts)
            .finish_non_exhaustive()
    }
}

/// Configures an [`AddonRuntime`]: from [`AddonRuntime::builder`].
#[must_use]
pub struct AddonRuntimeBuilder {
    addon: Addon,
    store: Arc<dyn InstallationStore>,
    allowed_hosts: AllowedHosts,
    timeout: Duration,
    jwt_policy: Policy,
    on_install: Option<InstallHook>,
}

impl AddonRuntimeBuilder {
    /// Runs `hook` after each installation (new or replaced) is stored, in a task of
    /// its own: to greet the room, register webhooks, push a glance.
    ///
    /// ```no_run
    /// # fn run(builder: hipchat_connect::AddonRuntimeBuilder) {
    /// let builder = builder.on_install(|installed| async move {
    ///     if let Ok(notifier) = installed.notifier() {
    ///         let _ = notifier.send(hipchat_runtime::Message::new("Installed")).await;
    ///     }
    /// });
    /// # }
    /// ```
    pub fn on_install<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(Installed) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        self.on_install = Some(Arc::new(move |installed| Box::pin(hook(installed))));
        self
    }

    /// How signed requests are checked (default: 60 s leeway, tokens without `exp`
    /// valid for an hour from `iat`; see [`Policy`]).
    pub fn jwt_policy(mut self, policy: Policy) -> Self {
        self.jwt_policy = policy;
        self
    }

    /// Accepts installations only from these HipChat hosts (`hipchat.example.com`, or
    /// `*.example.com` for its subdomains), checked before the add-on sends any request
    /// (default: any host).
    pub fn allow_hosts<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed_hosts = AllowedHosts::new(hosts);
        self
    }

    /// The timeout of each request the add-on sends (capabilities, tokens, the API;
    /// default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The runtime.
    pub fn build(self) -> Result<AddonRuntime, hipchat_runtime::ConfigError> {
        if self.allowed_hosts.is_open() {
            tracing::warn!(
                addon = self.addon.key(),
                "no host allow-list: any server may install this add-on, and each install \
                 makes it fetch the URLs the install names (set AddonRuntimeBuilder::allow_hosts)"
            );
        }
        let http = hipchat_runtime::rest::http_client(self.timeout)?;
        let scopes = self
            .addon
            .scopes()
            .iter()
            .map(ToString::to_string)
            .collect();
        Ok(AddonRuntime {
            shared: Arc::new(Shared {
                tokens: AddonTokens::new(http.clone()).with_store(Arc::clone(&self.store)),
                addon: self.addon,
                store: self.store,
                http,
                allowed_hosts: self.allowed_hosts,
                scopes,
                jwt_policy: self.jwt_policy,
                on_install: self.on_install,
            }),
        })
    }
}

/// One installation, ready to act as itself: its REST [`client`](Self::client) and its
/// [`notifier`](Self::notifier) call with its add-on token, renewed as needed.
#[derive(Clone)]
pub struct Installed {
    installation: Installation,
    runtime: AddonRuntime,
}

impl Installed {
    /// What HipChat said about the installation.
    pub fn installation(&self) -> &Installation {
        &self.installation
    }

    /// A REST API client of the installation's server, calling with its add-on token
    /// (the descriptor's scopes).
    pub fn client(&self) -> Result<Client, hipchat_runtime::ConfigError> {
        let shared = &self.runtime.shared;
        let source = shared
            .tokens
            .source(self.installation.clone(), shared.scopes.clone());
        Client::builder(self.installation.api_base.as_str(), source)
            .http_client(shared.http.clone())
            .build()
    }

    /// A notifier sending as the installation: through the REST client above, to its
    /// room by default (a group installation has no default room). `#[hipchat]`
    /// notifications and cards go `.notify().via(&notifier)`.
    pub fn notifier(&self) -> Result<Notifier, hipchat_runtime::Error> {
        Notifier::with_backend(self.settings(), self.backend()?)
    }

    /// The http backend sending as the installation, for a notifier of your own: wrap it
    /// in a [`QueuedBackend`](hipchat_runtime::backend::QueuedBackend) for pacing,
    /// retries and a durable outbox.
    ///
    /// ```no_run
    /// # fn run(installed: hipchat_connect::Installed) -> Result<(), hipchat_runtime::Error> {
    /// use hipchat_runtime::backend::QueuedBackend;
    ///
    /// let queued = QueuedBackend::new(installed.backend()?);
    /// let notifier = hipchat_runtime::Notifier::with_backend(installed.settings(), queued)?;
    /// # Ok(()) }
    /// ```
    pub fn backend(&self) -> Result<HttpBackend, hipchat_runtime::ConfigError> {
        Ok(HttpBackend::from_client(self.client()?))
    }

    /// Settings naming the installation's room as the default (none for a group
    /// installation).
    pub fn settings(&self) -> Settings {
        match self.installation.room_id {
            Some(room) => Settings::new().room(room.to_string()),
            None => Settings::new(),
        }
    }
}

impl std::fmt::Debug for Installed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Installed")
            .field("installation", &self.installation)
            .finish_non_exhaustive()
    }
}
