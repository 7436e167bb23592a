//! The admin API for Connect add-ons (no token needed; see [`crate::admin`]):
//!
//! | request | answer |
//! |---|---|
//! | `GET /admin/addons` | `[InstalledAddon]`: `{"oauthId","key","name","room": {"id","name"} or null,"scopes","descriptor_url","installed"}`, oldest first |
//! | `POST /admin/addons` `{"descriptor_url", "room"?}` | 201 and the installation (room install when `room`, an id or name, is given; else global); 400 descriptor problems and refusals, 404 unknown room (strict mode), 502 the add-on failed |
//! | `DELETE /admin/addons/{oauthId}` | 204 (404 unknown) |
//! | `POST /admin/addons/{oauthId}/update` | 200 and the installation |
//! | `GET /admin/addons/{oauthId}/installable` | after an uninstall, once: `{"capabilitiesUrl","oauthId","groupId","roomId"?}` (no secret) |
//! | `GET`/`PUT /admin/addons/token-lifetime` | `{"seconds": 3599}`: the `expires_in` of tokens issued from now on |
//!
//! The secret is never shown: the add-on receives it in the install POST only.
//! `capabilitiesUrl` in the install body is built from the `Host` of the admin request,
//! like the capabilities document's `links.self`.

use std::time::Duration;

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::install;
use crate::api::rest::Links;
use crate::error::ApiError;
use crate::state::AppState;

/// The add-on admin routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/addons", get(list).post(install_addon))
        .route(
            "/admin/addons/token-lifetime",
            get(get_lifetime).put(put_lifetime),
        )
        .route("/admin/addons/{oauth_id}", axum::routing::delete(uninstall))
        .route("/admin/addons/{oauth_id}/update", post(update))
        .route("/admin/addons/{oauth_id}/installable", get(installable))
}

/// `POST /admin/addons`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstallRequest {
    descriptor_url: String,
    #[serde(default)]
    room: Option<serde_json::Value>,
}

async fn list(State(state): State<AppState>) -> Response {
    Json(install::list(&state)).into_response()
}

async fn install_addon(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let request: InstallRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return ApiError::bad_request(format!("Invalid install request: {error}"))
                .into_response();
        }
    };
    let room = match request.room {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(name)) => Some(name),
        Some(serde_json::Value::Number(id)) => Some(id.to_string()),
        Some(_) => {
            return ApiError::bad_request("room must be a room id or name").into_response();
        }
    };
    let capabilities_url = Links::new(&uri, &headers).url("/v2/capabilities");
    match install::install(
        &state,
        &capabilities_url,
        &request.descriptor_url,
        room.as_deref(),
    )
    .await
    {
        Ok(installed) => (StatusCode::CREATED, Json(installed)).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn uninstall(State(state): State<AppState>, Path(oauth_id): Path<String>) -> Response {
    match install::uninstall(&state, &oauth_id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    }
}

async fn update(State(state): State<AppState>, Path(oauth_id): Path<String>) -> Response {
    match install::update(&state, &oauth_id).await {
        Ok(installed) => Json(installed).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn installable(State(state): State<AppState>, Path(oauth_id): Path<String>) -> Response {
    match install::take_installable(&state, &oauth_id) {
        Ok(document) => Json(document).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn get_lifetime(State(state): State<AppState>) -> Response {
    let seconds = state.directory.lock().installations.lifetime().as_secs();
    Json(json!({"seconds": seconds})).into_response()
}

/// `PUT /admin/addons/token-lifetime`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lifetime {
    seconds: u64,
}

async fn put_lifetime(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Lifetime>(&body) {
        Ok(Lifetime { seconds }) => {
            state.directory.lock().installations.token_lifetime =
                Some(Duration::from_secs(seconds));
            Json(json!({"seconds": seconds})).into_response()
        }
        Err(error) => {
            ApiError::bad_request(format!("Invalid token lifetime: {error}")).into_response()
        }
    }
}
