//! Installing, updating and uninstalling Connect add-ons (spec hipchat-connect §2, the
//! \[emulator\] lines):
//!
//! * [`install`]: GET the descriptor, check it against HipChat's descriptor schema
//!   (`fixtures/hipchat-connect/hipchat-addon-capabilities.schema.json`; 400 naming the
//!   place) and `allowRoom` / `allowGlobal` (400), make credentials (UUID v4 oauthId,
//!   40-character alphanumeric secret) and POST `{capabilitiesUrl, oauthId, oauthSecret,
//!   groupId, roomId?}` to `installable.callbackUrl`. The credentials work while the add-on
//!   handles that POST (it fetches a token to prove them); anything but a 2xx answer drops
//!   them (502 naming the status and the first 200 characters of the answer). The same
//!   add-on installed again into the same room (or globally again) is a new installation:
//!   the old one is uninstalled first, as HipChat did.
//! * [`uninstall`]: revokes the credentials and issued tokens at once, then sends `DELETE
//!   {callbackUrl}/{oauthId}` (no body, no JWT) whatever the add-on answers; the
//!   `installable` document (`{capabilitiesUrl, oauthId, groupId, roomId?}`, no secret)
//!   stays available once for the redirect shape of uninstalling.
//! * [`update`]: re-reads the descriptor, then POSTs `{capabilitiesUrl, oauthId, roomId?}`
//!   to `updateCallbackUrl` when declared, else a fresh install body (same credentials)
//!   to `callbackUrl` (§2.2).
//!
//! The schema is applied as written (see [`card_schema::check_draft4`]): a single
//! `webhook` object, as the ACE template had, is refused (400 naming
//! `/capabilities/webhook`); add-ons should send arrays.
//!
//! \[decision\] A descriptor without `installable.callbackUrl` installs without any POST
//! (an add-on that needs no credentials); the add-on's HTTP failures are 502, problems
//! with the descriptor 400, an unknown room 404.

use std::sync::OnceLock;
use std::time::Duration;

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::card_schema;
use crate::directory::installations::{Installation, random_alphanumeric};
use crate::directory::users::OWNER_ID;
use crate::error::ApiError;
use crate::rooms;
use crate::state::AppState;

const SCHEMA_TEXT: &str =
    include_str!("../../../../fixtures/hipchat-connect/hipchat-addon-capabilities.schema.json");

/// How long the server waits for an add-on's answer.
pub const ADDON_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of an add-on's failing answer an error shows.
pub const ANSWER_EXCERPT: usize = 200;

/// An installation as the admin API and [`DevServer::addons`](crate::DevServer::addons)
/// show it: everything but the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledAddon {
    /// The OAuth client id.
    #[serde(rename = "oauthId")]
    pub oauth_id: String,
    /// The add-on's key.
    pub key: String,
    /// The add-on's name.
    pub name: String,
    /// The room of a room install (`None`: global).
    pub room: Option<InstalledRoom>,
    /// The scopes the descriptor asked for.
    pub scopes: Vec<String>,
    /// Where the descriptor came from.
    pub descriptor_url: String,
    /// When it was installed (RFC 3339).
    pub installed: String,
}

/// The room of a room install.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledRoom {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
}

impl InstalledAddon {
    /// The view of `installation` (`data` names its room).
    pub fn new(installation: &Installation, data: &crate::directory::Data) -> Self {
        Self {
            oauth_id: installation.oauth_id.clone(),
            key: installation.key.clone(),
            name: installation.name.clone(),
            room: installation.room_id.map(|id| InstalledRoom {
                id,
                name: data
                    .rooms
                    .get(&id)
                    .map(|room| room.name.clone())
                    .unwrap_or_default(),
            }),
            scopes: installation.scopes.clone(),
            descriptor_url: installation.descriptor_url.clone(),
            installed: humantime::format_rfc3339_seconds(installation.installed).to_string(),
        }
    }
}

/// HipChat's descriptor schema.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).unwrap_or(Value::Null))
}

/// Every installation, oldest first.
pub fn list(state: &AppState) -> Vec<InstalledAddon> {
    let data = state.directory.lock();
    let mut list: Vec<InstalledAddon> = data
        .installations
        .installations
        .values()
        .map(|installation| InstalledAddon::new(installation, &data))
        .collect();
    list.sort_by(|a, b| a.installed.cmp(&b.installed).then(a.key.cmp(&b.key)));
    list
}

/// Installs the add-on described at `descriptor_url` into `room` (id or name), or
/// globally; `capabilities_url` is this server's `/v2/capabilities` as the add-on should
/// see it.
pub async fn install(
    state: &AppState,
    capabilities_url: &str,
    descriptor_url: &str,
    room: Option<&str>,
) -> Result<InstalledAddon, ApiError> {
    let room = match room {
        Some(reference) => Some(rooms::find_or_create(state, reference, OWNER_ID)?),
        None => None,
    };
    let descriptor = fetch_descriptor(descriptor_url).await?;
    let allowed = |name: &str| {
        descriptor
            .pointer(&format!("/capabilities/installable/{name}"))
            .and_then(Value::as_bool)
            .unwrap_or(true)
    };
    if room.is_some() && !allowed("allowRoom") {
        return Err(ApiError::bad_request(
            "This add-on cannot be installed in a room: its descriptor sets capabilities.installable.allowRoom to false",
        ));
    }
    if room.is_none() && !allowed("allowGlobal") {
        return Err(ApiError::bad_request(
            "This add-on cannot be installed globally: its descriptor sets capabilities.installable.allowGlobal to false",
        ));
    }
    let key = text(&descriptor, "/key");
    let room_id = room.as_ref().map(|room| room.id);
    let previous: Vec<String> = {
        let data = state.directory.lock();
        data.installations
            .installations
            .values()
            .filter(|old| old.key == key && old.room_id == room_id)
            .map(|old| old.oauth_id.clone())
            .collect()
    };
    for oauth_id in previous {
        uninstall(state, &oauth_id).await?;
    }
    let installation = Installation {
        oauth_id: uuid::Uuid::new_v4().to_string(),
        oauth_secret: random_alphanumeric(40),
        name: text(&descriptor, "/name"),
        scopes: scopes(&descriptor),
        key,
        descriptor_url: descriptor_url.to_owned(),
        descriptor,
        room_id,
        capabilities_url: capabilities_url.to_owned(),
        installed: state.clock.now(),
    };
    let callback = installation.installable("callbackUrl").map(str::to_owned);
    let body = install_body(state, &installation);
    let oauth_id = installation.oauth_id.clone();
    state
        .directory
        .lock()
        .installations
        .installations
        .insert(oauth_id.clone(), installation);
    if let Some(callback) = callback
        && let Err(error) = post(&callback, &body, "install").await
    {
        revoke(state, &oauth_id);
        return Err(error);
    }
    let data = state.directory.lock();
    let installed = data
        .installations
        .installations
        .get(&oauth_id)
        .map(|installation| InstalledAddon::new(installation, &data));
    installed.ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "The installation was removed while the add-on handled it",
        )
    })
}

/// Uninstalls `oauth_id`: credentials and tokens revoked at once, then `DELETE
/// {callbackUrl}/{oauthId}` to the add-on (its answer is only logged). 404 if unknown.
pub async fn uninstall(state: &AppState, oauth_id: &str) -> Result<(), ApiError> {
    let installation = revoke(state, oauth_id).ok_or_else(unknown)?;
    let mut installable = install_body(state, &installation);
    installable.remove("oauthSecret");
    state
        .directory
        .lock()
        .installations
        .installables
        .insert(oauth_id.to_owned(), Value::Object(installable));
    if let Some(callback) = installation.installable("callbackUrl") {
        let url = format!("{}/{oauth_id}", callback.trim_end_matches('/'));
        match client().delete(&url).send().await {
            Ok(response) => tracing::info!(
                key = installation.key,
                status = response.status().as_u16(),
                "add-on answered the uninstall"
            ),
            Err(error) => tracing::warn!(
                key = installation.key,
                "add-on did not answer the uninstall: {error}"
            ),
        }
    }
    Ok(())
}

/// Updates `oauth_id` from its descriptor URL (§2.2); the installation keeps its
/// credentials. The new descriptor takes effect once the add-on answers 2xx.
pub async fn update(state: &AppState, oauth_id: &str) -> Result<InstalledAddon, ApiError> {
    let mut installation = state
        .directory
        .lock()
        .installations
        .installations
        .get(oauth_id)
        .cloned()
        .ok_or_else(unknown)?;
    let descriptor = fetch_descriptor(&installation.descriptor_url).await?;
    installation.scopes = scopes(&descriptor);
    installation.name = text(&descriptor, "/name");
    installation.descriptor = descriptor;
    let mut body = install_body(state, &installation);
    let target = match installation.installable("updateCallbackUrl") {
        Some(url) => {
            body.remove("oauthSecret");
            body.remove("groupId");
            Some(url.to_owned())
        }
        None => installation.installable("callbackUrl").map(str::to_owned),
    };
    if let Some(target) = target {
        post(&target, &body, "update").await?;
    }
    let mut data = state.directory.lock();
    let Some(stored) = data.installations.installations.get_mut(oauth_id) else {
        return Err(unknown());
    };
    stored.descriptor = installation.descriptor;
    stored.scopes = installation.scopes;
    stored.name = installation.name;
    let stored = stored.clone();
    Ok(InstalledAddon::new(&stored, &data))
}

/// The `installable` document of an uninstalled installation, once (404 afterwards).
pub fn take_installable(state: &AppState, oauth_id: &str) -> Result<Value, ApiError> {
    state
        .directory
        .lock()
        .installations
        .installables
        .remove(oauth_id)
        .ok_or_else(unknown)
}

/// Removes `oauth_id` and revokes its issued tokens (401 `Invalid OAuth session` from
/// now on, in permissive mode too).
fn revoke(state: &AppState, oauth_id: &str) -> Option<Installation> {
    let mut data = state.directory.lock();
    let tokens: Vec<String> = data
        .installations
        .tokens
        .iter()
        .filter(|(_, issued)| issued.oauth_id == oauth_id)
        .map(|(token, _)| token.clone())
        .collect();
    data.revoked.extend(tokens);
    data.installations.remove(oauth_id)
}

/// `{capabilitiesUrl, oauthId, oauthSecret, groupId, roomId?}`.
fn install_body(state: &AppState, installation: &Installation) -> Map<String, Value> {
    let group_id = state.directory.lock().group.id;
    let mut body = Map::new();
    body.insert(
        "capabilitiesUrl".into(),
        json!(installation.capabilities_url),
    );
    body.insert("oauthId".into(), json!(installation.oauth_id));
    body.insert("oauthSecret".into(), json!(installation.oauth_secret));
    body.insert("groupId".into(), json!(group_id));
    if let Some(room_id) = installation.room_id {
        body.insert("roomId".into(), json!(room_id));
    }
    body
}

/// GETs and checks a descriptor: 502 if it cannot be fetched, 400 if it is not JSON or
/// breaks the schema.
async fn fetch_descriptor(url: &str) -> Result<Value, ApiError> {
    let bad_gateway = |message: String| ApiError::new(StatusCode::BAD_GATEWAY, message);
    let response = client()
        .get(url)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|error| {
            bad_gateway(format!("Could not fetch the descriptor at {url}: {error}"))
        })?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(bad_gateway(format!(
            "Fetching the descriptor at {url} answered {}: {}",
            status.as_u16(),
            excerpt(&text)
        )));
    }
    let descriptor: Value = serde_json::from_str(&text).map_err(|error| {
        ApiError::bad_request(format!("The descriptor at {url} is not JSON: {error}"))
    })?;
    card_schema::check_draft4(&descriptor, schema(), "").map_err(|violation| {
        let place = if violation.path.is_empty() {
            "/"
        } else {
            &violation.path
        };
        ApiError::bad_request(format!(
            "The descriptor at {url} does not match HipChat's descriptor schema at {place}: {}",
            violation.reason
        ))
    })?;
    Ok(descriptor)
}

/// POSTs `body` as JSON; 502 unless the add-on answers 2xx.
async fn post(url: &str, body: &Map<String, Value>, what: &str) -> Result<(), ApiError> {
    let bad_gateway = |message: String| ApiError::new(StatusCode::BAD_GATEWAY, message);
    let response = client()
        .post(url)
        .json(body)
        .send()
        .await
        .map_err(|error| {
            bad_gateway(format!(
                "Could not reach the add-on's {what} URL {url}: {error}"
            ))
        })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text = response.text().await.unwrap_or_default();
    Err(bad_gateway(format!(
        "The add-on rejected the {what}: {} {}",
        status.as_u16(),
        excerpt(&text)
    )))
}

/// The first [`ANSWER_EXCERPT`] characters of `text`.
fn excerpt(text: &str) -> String {
    text.chars().take(ANSWER_EXCERPT).collect()
}

/// A string in the descriptor (the schema made sure the required ones are there).
fn text(descriptor: &Value, pointer: &str) -> String {
    descriptor
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The descriptor's `capabilities.hipchatApiConsumer.scopes`.
fn scopes(descriptor: &Value) -> Vec<String> {
    descriptor
        .pointer("/capabilities/hipchatApiConsumer/scopes")
        .and_then(Value::as_array)
        .map(|scopes| {
            scopes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn unknown() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "No such add-on installation")
}

/// A client that talks to add-ons: direct connections (no proxy), bounded waits. One
/// per call: a connection pool must not outlive the runtime it was made on (tests start
/// a runtime each).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(ADDON_TIMEOUT)
        .no_proxy()
        .build()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descriptor(name: &str) -> Value {
        let path = format!(
            "{}/../fixtures/hipchat-connect/addon-descriptor.{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn real_descriptors_pass_the_schema() {
        for name in [
            "ac-koa-hipchat",
            "gorillastack",
            "songwhipper-sample",
            "sentry-hipchat-ac",
        ] {
            let result = card_schema::check_draft4(&descriptor(name), schema(), "");
            assert_eq!(result, Ok(()), "{name}");
        }
    }

    #[test]
    fn a_webhook_object_breaks_the_schema() {
        // The ACE template's single `webhook` object: the schema wants an array.
        let violation =
            card_schema::check_draft4(&descriptor("ace-hipchat-template"), schema(), "")
                .unwrap_err();
        assert_eq!(violation.path, "/capabilities/webhook");
    }
}
