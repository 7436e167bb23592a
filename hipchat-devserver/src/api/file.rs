//! Files (spec v2 §9): `GET /v2/file/{id}` → `{"temp_url": …}` for a file the server
//! keeps (404 `File not found` otherwise), and the files themselves at
//! `/files/{id}/{name}` (no token: the URLs are what `temp_url`, `photo_url`,
//! `avatar_url` and emoticon `url`s point to) and the placeholder at
//! [`DEFAULT_PATH`].

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::rest::{self, Call};
use crate::auth::kinds;
use crate::directory::files::PLACEHOLDER_PNG;
use crate::error::ApiError;
use crate::state::AppState;

/// Where the placeholder image (default photos and avatars) is served.
pub const DEFAULT_PATH: &str = "/files/default.png";

/// The routes serving stored files (outside the API: no token, no rate limit).
pub fn files_router() -> Router<AppState> {
    Router::new()
        .route(DEFAULT_PATH, axum::routing::get(placeholder))
        .route("/files/{id}/{name}", axum::routing::get(serve))
}

/// get_file: scope \[decision\] view_messages; U (the web client's user token); 200
/// `{"temp_url": <absolute URL of the file>}`.
pub fn get_file(call: &Call) -> Result<Response, ApiError> {
    call.authorize(&["view_messages"], kinds::USER)?;
    let data = call.state.directory.lock();
    let file = call
        .segment(3)
        .parse::<u64>()
        .ok()
        .and_then(|id| data.files.get(id))
        .ok_or_else(|| rest::not_found("File not found"))?;
    Ok(rest::ok(json!({"temp_url": call.links.url(&file.path())})))
}

async fn placeholder() -> Response {
    ([(header::CONTENT_TYPE, "image/png")], PLACEHOLDER_PNG).into_response()
}

async fn serve(
    State(state): State<AppState>,
    Path((id, _name)): Path<(String, String)>,
) -> Response {
    let data = state.directory.lock();
    match id.parse::<u64>().ok().and_then(|id| data.files.get(id)) {
        Some(file) => (
            [(header::CONTENT_TYPE, file.content_type.clone())],
            file.bytes.clone(),
        )
            .into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "File not found").into_response(),
    }
}
