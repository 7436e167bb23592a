//! The installation lifecycle (spec §2): the install and update callbacks, both shapes of
//! uninstall, and the host allow-list checked before any request leaves the add-on.
//!
//! Every refusal is a 4xx whose plain-text body says what an admin can do about it
//! (HipChat shows it as "rejected the installation: …"); logs name installations by the
//! first 8 characters of their `oauthId` only, never the secret.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::installation::{InstallKind, Installation, short_id};
use crate::runtime::Shared;

pub(crate) mod allow_list;
pub(crate) mod capabilities;

/// Why an installation request was refused: the status and a reason an admin can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) reason: String,
}

impl Refusal {
    pub(crate) fn bad_request(reason: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            reason: reason.into(),
        }
    }

    pub(crate) fn forbidden(reason: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            reason: reason.into(),
        }
    }

    fn unavailable(reason: impl Into<String>) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            reason: reason.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.reason,
        )
            .into_response()
    }
}

/// The body HipChat POSTs to the install callback (spec §2.1 step 2), or to the update
/// callback without the secret (§2.2).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InstallBody {
    capabilities_url: String,
    oauth_id: String,
    oauth_secret: Option<String>,
    group_id: Option<u64>,
    room_id: Option<u64>,
}

/// `POST <callbackUrl>`: install, or update when the body has no secret.
pub(crate) async fn install(
    State(shared): State<Arc<Shared>>,
    body: Result<Json<InstallBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(body) = match body {
        Ok(body) => body,
        Err(rejection) => {
            return Refusal::bad_request(format!(
                "the installation request is not the JSON HipChat sends: {}",
                rejection.body_text()
            ))
            .into_response();
        }
    };
    let id = short_id(&body.oauth_id);
    match accept(&shared, body).await {
        Ok(installation) => {
            tracing::info!(
                installation = %installation.short_id(),
                group = installation.group_id,
                room = ?installation.room_id,
                "add-on installed"
            );
            shared.installed(installation);
            StatusCode::OK.into_response()
        }
        Err(refusal) => {
            tracing::warn!(installation = %id, status = refusal.status.as_u16(), reason = %refusal.reason, "installation refused");
            refusal.into_response()
        }
    }
}

/// Steps 3a–3f of spec §2.1 (and §2.2 for an update): nothing is stored unless all pass.
async fn accept(shared: &Shared, body: InstallBody) -> Result<Installation, Refusal> {
    let capabilities_url = Url::parse(&body.capabilities_url)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or_else(|| {
            Refusal::bad_request(format!(
                "capabilitiesUrl {:?} is not an http(s) URL",
                body.capabilities_url
            ))
        })?;
    // a. Before any request leaves the add-on.
    shared.allowed_hosts.check(&capabilities_url)?;
    if body.oauth_id.trim().is_empty() {
        return Err(Refusal::bad_request("oauthId is missing"));
    }
    // HipChat sends a body without the secret only to a declared updateCallbackUrl
    // (spec §2.2), which this add-on does not declare: here it can only be someone
    // trying to reuse a stored secret.
    let secret = body
        .oauth_secret
        .map(SecretString::from)
        .ok_or_else(|| Refusal::bad_request("oauthSecret is missing: the install body has one"))?;
    // An installation this add-on has may be replaced (HipChat reinstalling) only by
    // the HipChat server that installed it; another server could otherwise take it over
    // with credentials of its own.
    let existing = shared
        .store
        .get(&body.oauth_id)
        .await
        .map_err(|e| Refusal::unavailable(format!("the installation store failed: {e}")))?;
    if existing
        .is_some_and(|existing| existing.capabilities_url.as_str() != capabilities_url.as_str())
    {
        return Err(Refusal::forbidden(
            "this oauthId is installed from another HipChat server",
        ));
    }
    let group_id = body.group_id;
    let group_name = None;
    // b. The install kind the descriptor allows.
    let kind = match body.room_id {
        Some(_) => InstallKind::Room,
        None => InstallKind::Global,
    };
    let allowed = match kind {
        InstallKind::Room => shared.addon.allows_room(),
        InstallKind::Global => shared.addon.allows_global(),
    };
    if !allowed {
        return Err(Refusal::bad_request(match kind {
            InstallKind::Room => "this add-on cannot be installed in a room (allowRoom is false)",
            InstallKind::Global => {
                "this add-on cannot be installed for the whole group (allowGlobal is false): \
                 install it in a room"
            }
        }));
    }
    let group_id = group_id.ok_or_else(|| Refusal::bad_request("groupId is missing"))?;
    // c, d. The server's URLs, from a document that names itself as asked.
    let urls = capabilities::fetch(&shared.http, &capabilities_url, &body.capabilities_url).await?;
    let mut installation = Installation {
        oauth_id: body.oauth_id,
        oauth_secret: secret,
        group_id,
        group_name,
        room_id: body.room_id,
        capabilities_url,
        token_url: urls.token_url,
        api_base: urls.api_base,
        homepage: urls.homepage,
    };
    // e. Prove the credentials: a token with the descriptor's scopes.
    let reply = hipchat_runtime::rest::client_credentials_token(
        &shared.http,
        &installation.token_url,
        &installation.oauth_id,
        &installation.oauth_secret,
        &shared.scopes,
    )
    .await
    .map_err(|error| {
        Refusal::bad_request(format!(
            "HipChat refused this add-on's credentials at {}: {error}",
            installation.token_url
        ))
    })?;
    if let Some(name) = reply.group_name {
        installation.group_name = Some(name);
    }
    // f. Store, replacing any installation with this oauthId.
    shared.tokens.forget_installation(&installation.oauth_id);
    shared
        .store
        .put(installation.clone())
        .await
        .map_err(|e| Refusal::unavailable(format!("the installation store failed: {e}")))?;
    Ok(installation)
}

/// `DELETE <callbackUrl>/{oauthId}` (spec §2.3): unauthenticated by the protocol, so it
/// answers 204 whether or not the installation existed, and says nothing about it.
pub(crate) async fn uninstall(
    State(shared): State<Arc<Shared>>,
    Path(oauth_id): Path<String>,
) -> Response {
    remove(&shared, &oauth_id, "uninstall callback").await
}

async fn remove(shared: &Shared, oauth_id: &str, how: &'static str) -> Response {
    shared.tokens.forget_installation(oauth_id);
    match shared.store.delete(oauth_id).await {
        Ok(removed) => {
            if removed {
                tracing::info!(installation = %short_id(oauth_id), how, "add-on uninstalled");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => {
            Refusal::unavailable(format!("the installation store failed: {error}")).into_response()
        }
    }
}

/// The query of the redirect uninstall (spec §2.3).
#[derive(Deserialize)]
pub(crate) struct RedirectUninstall {
    installable_url: Option<String>,
    redirect_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Installable {
    oauth_id: String,
}

/// `GET <uninstalledUrl>?installable_url=…&redirect_url=…`: the browser brings both URLs;
/// both must be on an allowed host (a query string must not make the add-on fetch, or
/// send a browser to, an arbitrary URL).
pub(crate) async fn uninstall_redirect(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<RedirectUninstall>,
) -> Response {
    match redirect_target(&shared, query).await {
        Ok((oauth_id, redirect)) => {
            let removed = remove(&shared, &oauth_id, "uninstall redirect").await;
            if removed.status().is_success() {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, redirect.to_string())],
                )
                    .into_response()
            } else {
                removed
            }
        }
        Err(refusal) => refusal.into_response(),
    }
}

async fn redirect_target(
    shared: &Shared,
    query: RedirectUninstall,
) -> Result<(String, Url), Refusal> {
    let parse = |name: &str, value: Option<String>| -> Result<Url, Refusal> {
        let value = value.ok_or_else(|| Refusal::bad_request(format!("{name} is missing")))?;
        Url::parse(&value)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| Refusal::bad_request(format!("{name} {value:?} is not an http(s) URL")))
    };
    let installable = parse("installable_url", query.installable_url)?;
    let redirect = parse("redirect_url", query.redirect_url)?;
    shared.allowed_hosts.check(&installable)?;
    shared.allowed_hosts.check(&redirect)?;
    // Only a HipChat server the add-on is installed from is asked, and the browser is
    // only sent back there: a query string must not make the add-on fetch, or redirect
    // to, an arbitrary URL.
    let installations = shared
        .store
        .list()
        .await
        .map_err(|e| Refusal::unavailable(format!("the installation store failed: {e}")))?;
    let from_installed_server = |url: &Url| {
        installations
            .iter()
            .any(|i| same_origin(&i.capabilities_url, url))
    };
    if !from_installed_server(&installable) || !same_origin(&installable, &redirect) {
        return Err(Refusal::forbidden(
            "installable_url and redirect_url must be on a HipChat server this add-on is installed from",
        ));
    }
    let body = capabilities::get_capped(&shared.http, &installable, "installable_url").await?;
    let installable_doc: Installable = serde_json::from_slice(&body)
        .map_err(|_| Refusal::bad_request("installable_url did not answer with an oauthId"))?;
    let known = installations.iter().any(|i| {
        i.oauth_id == installable_doc.oauth_id && same_origin(&i.capabilities_url, &installable)
    });
    if !known {
        return Err(Refusal::bad_request(
            "installable_url names no installation of this add-on from that server",
        ));
    }
    Ok((installable_doc.oauth_id, redirect))
}

/// Same scheme, host and port.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `GET <descriptor path>`: the descriptor.
pub(crate) async fn descriptor(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.addon.descriptor_json()).into_response()
}
