//! A faithful local HipChat server for development, tests and demos, like mailpit for
//! email: it answers the HipChat REST API as the spec (`shared/spec/hipchat-rest-api.md`)
//! says the real server did (validation, error bodies, rate limits), records what it
//! accepted, shows it on a web page at `/`, and can inject faults.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let server = hipchat_devserver::DevServer::start().await?;
//! println!("send to {}", server.url()); // http://127.0.0.1:<port>
//! // ... POST {url}/v2/room/Ops/notification with any Bearer token ...
//! for message in server.messages("Ops") {
//!     println!("{}: {}", message.sender_label(), message.message);
//! }
//! server.stop().await
//! # }
//! ```
//!
//! Layout: [`api`] (the endpoints and their layers; `api::rest` is what the REST v2
//! endpoints beyond sending share: auth steps, paging envelopes, absolute links, JSON
//! shapes; `api::room` the room endpoints; `api::addon` glance updates and integration links; `api::connect` Connect add-ons:
//! install, token endpoint, JWT signing), [`directory`] (the group, users, rooms and installed add-ons the
//! REST API reads and writes), [`rooms`] (room path segments → directory rooms),
//! [`validate`] and [`card_schema`]
//! (body checks), [`rate_limit`], [`faults`] and [`conn`] (fault injection, resets),
//! [`recorded`] (a received message), [`store`] and [`stats`] (what was received; `sqlite`
//! keeps it in a file if asked), [`admin`] (JSON admin API), [`web`] (the page), [`clock`]
//! (injectable time), [`config`] (strict mode from a TOML file).

#![warn(missing_docs)]

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub mod admin;
pub mod api;
pub mod auth;
pub mod base64;
pub mod body;
pub mod card_schema;
pub mod clock;
pub mod config;
pub mod conn;
pub mod directory;
pub mod error;
pub mod faults;
pub mod pyrepr;
pub mod rate_limit;
pub mod recorded;
pub mod rooms;
#[cfg(feature = "sqlite")]
pub mod sqlite;
pub mod state;
pub mod stats;
pub mod store;
pub mod validate;
pub mod web;

pub use api::connect::install::{InstalledAddon, InstalledRoom};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, RateLimitConfig, RoomConfig, TokenConfig};
pub use faults::FaultConfig;
pub use recorded::{Kind, Recipient, Recorded};
pub use stats::Counters;

use state::{AppState, Shared};

/// Builds a [`DevServer`]: bind address, config, clock, faults, message database.
pub struct DevServerBuilder {
    addr: SocketAddr,
    config: Config,
    clock: Arc<dyn Clock>,
    faults: FaultConfig,
    database: Option<PathBuf>,
}

impl Default for DevServerBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            config: Config::default(),
            clock: Arc::new(SystemClock),
            faults: FaultConfig::default(),
            database: None,
        }
    }
}

impl DevServerBuilder {
    /// Where to listen; default `127.0.0.1:0` (an ephemeral port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Tokens, rooms, strict mode and rate limits.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Only the rate limits.
    pub fn rate_limits(mut self, limits: RateLimitConfig) -> Self {
        self.config.rate_limit = limits;
        self
    }

    /// The source of time (a [`ManualClock`] in tests).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Faults in force from the start.
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// The `expires_in` of access tokens issued to Connect add-ons (default 3599 s;
    /// whole seconds).
    pub fn token_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.config.addon_token_lifetime_secs = Some(lifetime.as_secs());
        self
    }

    /// Keeps the recorded messages in the SQLite file at `path` as well as in memory, so
    /// that a server started again on the same file shows them (created when missing;
    /// needs the `sqlite` cargo feature, on by default). Without it, messages live in
    /// memory only.
    pub fn database(mut self, path: impl Into<PathBuf>) -> Self {
        self.database = Some(path.into());
        self
    }

    /// Binds and starts serving in the background on the current tokio runtime.
    ///
    /// Fails on bad fault knobs, an address it cannot bind, or a message database it
    /// cannot open, read or write (the error names the file and the cause).
    pub async fn start(self) -> io::Result<DevServer> {
        let faults = faults::Faults::default();
        faults
            .set(self.faults)
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
        let store = match &self.database {
            Some(path) => store::Store::open(path, store::DEFAULT_CAPACITY)?,
            None => store::Store::default(),
        };
        let listener = TcpListener::bind(self.addr).await.map_err(|e| {
            io::Error::new(e.kind(), format!("cannot listen on {}: {e}", self.addr))
        })?;
        let addr = listener.local_addr()?;
        let (stop, stopping) = watch::channel(false);
        let directory = directory::Directory::new(&self.config, self.clock.now());
        restore_rooms(&directory, &store, self.config.strict, self.clock.now());
        let state = AppState(Arc::new(Shared {
            directory,
            limiter: rate_limit::RateLimiter::new(self.config.rate_limit),
            config: self.config,
            clock: self.clock,
            store,
            stats: stats::Stats::default(),
            faults,
            stopping: stopping.clone(),
        }));
        let app = app(state.clone());
        let mut signal = stopping;
        let task = tokio::spawn(async move {
            axum::serve(
                conn::ResettableListener::new(listener),
                app.into_make_service_with_connect_info::<conn::ConnHandle>(),
            )
            .with_graceful_shutdown(async move {
                let _ = signal.wait_for(|stop| *stop).await;
            })
            .await
        });
        Ok(DevServer {
            addr,
            url: format!("http://{addr}"),
            state,
            stop,
            task: Some(task),
        })
    }
}

/// Rooms and room history again for the messages a database file kept (permissive
/// mode: their rooms exist again; strict mode: for the configured rooms). Items are dated
/// by arrival; who sent a message is not kept in the file (the owner is assumed).
fn restore_rooms(
    directory: &directory::Directory,
    store: &store::Store,
    strict: bool,
    now: std::time::SystemTime,
) {
    let mut data = directory.lock();
    for recorded in store.since(0) {
        let (Recipient::Room(name), Some(id)) = (&recorded.recipient, recorded.room_id) else {
            continue;
        };
        if !strict && data.room(name).is_none() && !data.rooms.contains_key(&id) {
            data.add_room(Some(id), name.clone(), directory::users::OWNER_ID, now);
        }
        let arrived = humantime::parse_rfc3339(&recorded.timestamp).unwrap_or(now);
        let date = data.next_date(arrived);
        if let Some(item) = directory::history::Item::from_recorded(&recorded, None, None, date)
            && let Some(room) = data.rooms.get_mut(&id)
        {
            room.history.push(item);
            room.last_active = Some(arrived);
        }
    }
}

/// The whole application: API, admin API and page.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(web::router())
        .merge(admin::router())
        .merge(api::router(state.clone()))
        .with_state(state)
}

/// A running server. Dropping it stops it too (without waiting).
pub struct DevServer {
    addr: SocketAddr,
    url: String,
    state: AppState,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl DevServer {
    /// A builder with the defaults.
    pub fn builder() -> DevServerBuilder {
        DevServerBuilder::default()
    }

    /// Starts a permissive server on `127.0.0.1` and an ephemeral port.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash: the client's API URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Messages recorded for a room (by name; by its digits if addressed by id in
    /// permissive mode), in arrival order.
    pub fn messages(&self, room: &str) -> Vec<Recorded> {
        let name = rooms::resolve(&self.state, room)
            .map(|room| room.name)
            .unwrap_or_else(|_| room.to_owned());
        self.state.store.for_recipient(&Recipient::Room(name))
    }

    /// Private messages recorded for a user, as addressed.
    pub fn private_messages(&self, user: &str) -> Vec<Recorded> {
        self.state
            .store
            .for_recipient(&Recipient::User(user.to_owned()))
    }

    /// A room's history (spec v2 §3.5 items, oldest first, links to this server), as
    /// view_room_history shows it; empty for an unknown room. `room` is an id or a name.
    pub fn room_history(&self, room: &str) -> Vec<serde_json::Value> {
        let links = api::rest::Links::for_addr(self.addr);
        let data = self.state.directory.lock();
        let Some(room) = data.room(room) else {
            return Vec::new();
        };
        room.history
            .iter()
            .map(|item| api::rest::shapes::history_item(&links, &data, item))
            .collect()
    }

    /// A room as get_room shows it (spec v2 §3.4), or `None` for an unknown room.
    pub fn room(&self, room: &str) -> Option<serde_json::Value> {
        let links = api::rest::Links::for_addr(self.addr);
        let data = self.state.directory.lock();
        let room = data.room(room)?;
        Some(api::rest::shapes::room(&links, &data, room, &[]))
    }

    /// Sets who is in a room (get_all_participants, get_room's `participants`): user
    /// ids with whether each is online. Fails for an unknown room.
    pub fn set_participants(&self, room: &str, participants: &[(u64, bool)]) -> Result<(), String> {
        let mut data = self.state.directory.lock();
        let room = data
            .room_mut(room)
            .ok_or_else(|| format!("no room {room:?}"))?;
        room.participants = participants.to_vec();
        room.touch();
        Ok(())
    }

    /// The invitations invite_user sent for a room: (user id, reason), oldest first.
    pub fn room_invites(&self, room: &str) -> Vec<(u64, String)> {
        let data = self.state.directory.lock();
        data.room(room)
            .map(|room| room.invites.clone())
            .unwrap_or_default()
    }

    /// The glance contents addon_ui_update set for a room, by glance key.
    pub fn room_glances(
        &self,
        room: &str,
    ) -> std::collections::BTreeMap<String, serde_json::Value> {
        let data = self.state.directory.lock();
        data.room(room)
            .map(|room| room.glances.clone())
            .unwrap_or_default()
    }

    /// Every recorded message, in arrival order.
    pub fn all_messages(&self) -> Vec<Recorded> {
        self.state.store.since(0)
    }

    /// Waits until at least `count` messages are recorded (as [`all_messages`](Self::all_messages)
    /// counts them): tests wait on deliveries instead of polling. Bound it with a timeout.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use std::time::Duration;
    /// let server = hipchat_devserver::DevServer::start().await?;
    /// let waiting = tokio::time::timeout(Duration::from_millis(10), server.wait_for_messages(1));
    /// assert!(waiting.await.is_err(), "nothing was sent");
    /// server.wait_for_messages(0).await; // already true: returns at once
    /// # server.stop().await
    /// # }).unwrap();
    /// ```
    pub async fn wait_for_messages(&self, count: usize) {
        self.state
            .store
            .wait_until(|messages| messages.len() >= count)
            .await;
    }

    /// Installs the Connect add-on whose descriptor is at `descriptor_url` into `room`
    /// (id or name; created on first use in permissive mode), or globally (spec
    /// hipchat-connect §2.1): the descriptor is checked against HipChat's schema, the
    /// add-on gets `{capabilitiesUrl, oauthId, oauthSecret, groupId, roomId?}` at its
    /// `callbackUrl` and must answer 2xx. The error names the status and the problem.
    pub async fn install_addon(
        &self,
        descriptor_url: &str,
        room: Option<&str>,
    ) -> Result<InstalledAddon, String> {
        let capabilities_url = self.capabilities_url();
        api::connect::install::install(&self.state, &capabilities_url, descriptor_url, room)
            .await
            .map_err(|error| format!("{}: {}", error.status.as_u16(), error.message))
    }

    /// Uninstalls an installation: its credentials and tokens stop working at once, and
    /// the add-on gets `DELETE {callbackUrl}/{oauthId}`.
    pub async fn uninstall_addon(&self, oauth_id: &str) -> Result<(), String> {
        api::connect::install::uninstall(&self.state, oauth_id)
            .await
            .map_err(|error| format!("{}: {}", error.status.as_u16(), error.message))
    }

    /// Updates an installation from its descriptor URL (spec hipchat-connect §2.2).
    pub async fn update_addon(&self, oauth_id: &str) -> Result<InstalledAddon, String> {
        api::connect::install::update(&self.state, oauth_id)
            .await
            .map_err(|error| format!("{}: {}", error.status.as_u16(), error.message))
    }

    /// The installed add-ons, oldest first.
    pub fn addons(&self) -> Vec<InstalledAddon> {
        api::connect::install::list(&self.state)
    }

    /// The `expires_in` of add-on access tokens issued from now on (expiry follows the
    /// server's clock, so a [`ManualClock`] expires them without waiting).
    pub fn set_token_lifetime(&self, lifetime: std::time::Duration) {
        self.state.directory.lock().installations.token_lifetime = Some(lifetime);
    }

    /// A JWT signed for installation `oauth_id` as HipChat signed webhooks and iframe
    /// URLs (spec hipchat-connect §4), for `user_id` in `room_id`, issued now by the
    /// server's clock; `None` for an unknown installation.
    pub fn addon_jwt(&self, oauth_id: &str, user_id: u64, room_id: Option<u64>) -> Option<String> {
        let data = self.state.directory.lock();
        let installation = data.installations.installations.get(oauth_id)?;
        Some(api::connect::jwt::sign_jwt(
            installation,
            user_id,
            room_id,
            self.state.clock.now(),
        ))
    }

    /// This server's capabilities URL, as sent in install bodies by the Rust API.
    pub fn capabilities_url(&self) -> String {
        api::rest::Links::for_addr(self.addr).url("/v2/capabilities")
    }

    /// Forgets every recorded message.
    pub fn clear(&self) {
        self.state.store.clear();
    }

    /// The counters.
    pub fn counters(&self) -> Counters {
        self.state.stats.snapshot()
    }

    /// Replaces the fault knobs (as `PUT /admin/faults` does).
    pub fn set_faults(&self, faults: FaultConfig) -> Result<(), String> {
        self.state.faults.set(faults)
    }

    /// Replaces the rate limits (open windows are kept).
    pub fn set_rate_limits(&self, limits: RateLimitConfig) {
        self.state.limiter.set_config(limits);
    }

    /// The glance contents add-ons set outside rooms (`POST /v2/addon/ui`, `…/ui/user/{user}`,
    /// `…/ui/room/{room}/user/{user}`, spec v2 §9), each as `{"scope", "key", "content"}`
    /// with `scope` `"group"`, `{"user": id}` or `{"room": id, "user": id}`.
    pub fn glances(&self) -> Vec<serde_json::Value> {
        use directory::addon::GlanceScope;
        let data = self.state.directory.lock();
        data.addon
            .glances
            .iter()
            .map(|((scope, key), content)| {
                let scope = match scope {
                    GlanceScope::Group => serde_json::json!("group"),
                    GlanceScope::User(user) => serde_json::json!({ "user": user }),
                    GlanceScope::RoomUser(room, user) => {
                        serde_json::json!({ "room": room, "user": user })
                    }
                };
                serde_json::json!({"scope": scope, "key": key, "content": content})
            })
            .collect()
    }

    /// Stops accepting, ends stalls and delays, waits for open requests, and returns.
    pub async fn stop(mut self) -> io::Result<()> {
        let _ = self.stop.send(true);
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

impl std::fmt::Debug for DevServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}
