//! What the REST API v2 endpoints beyond sending share (spec v2 §1, §2, §10):
//!
//! * [`Call`]: one request (state, URI, headers, query, body, [`Links`]) and the steps
//!   every handler takes: [`Call::authorize`] (401 token, 403 scope and caller kind),
//!   [`Call::room`] / [`Call::room_to_write`] (404 `Room not found`, 403 for a room-bound
//!   token on another room), [`Call::json`] (HipChat-shaped 400 naming the field).
//! * [`route`] and the verb helpers [`get`], [`post`], [`put`], [`delete`]: a handler
//!   `fn(&Call) -> Result<Response, ApiError>` as an axum route.
//! * Answers: [`ok`] (200 JSON), [`created`] (201 `{"id","links":{"self"}}`),
//!   [`no_content`] (204).
//! * [`envelope`] (paging and list envelopes), [`links`] (absolute URLs from the `Host`),
//!   [`shapes`] (user, room and history JSON), [`history`] (history items: recording and
//!   the window queries).
//!
//! Rate-limit headers are added by the v2 layer (`api::rate_limit`) to every answer,
//! errors included.

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value, json};

use super::common::{self, Query};
use crate::auth::{self, Caller};
use crate::config::TokenKind;
use crate::error::ApiError;
use crate::rooms::{self, Room};
use crate::state::AppState;
use crate::validate::{self, Field};

pub mod envelope;
pub mod history;
pub mod links;
pub mod shapes;

pub use links::Links;

/// One REST request, as its handler sees it.
#[derive(Clone)]
pub struct Call {
    /// The server.
    pub state: AppState,
    /// The request's original URI (path still percent-encoded).
    pub uri: Uri,
    /// The request's headers.
    pub headers: HeaderMap,
    /// The decoded query.
    pub query: Query,
    /// The raw body.
    pub body: Bytes,
    /// Absolute URLs for the answer.
    pub links: Links,
}

impl Call {
    /// A call from its parts.
    pub fn new(state: AppState, uri: Uri, headers: HeaderMap, body: Bytes) -> Self {
        Self {
            query: Query::from_uri(&uri),
            links: Links::new(&uri, &headers),
            state,
            uri,
            headers,
            body,
        }
    }

    /// The token, with one of `scopes`, of one of the caller kinds `kinds`.
    pub fn authorize(&self, scopes: &[&str], kinds: &[TokenKind]) -> Result<Caller, ApiError> {
        let token = auth::token(&self.headers, &self.query);
        let caller = auth::authenticate(&self.state, token, scopes, 2)?;
        caller.check_kind(kinds)?;
        Ok(caller)
    }

    /// The `index`th path segment, still percent-encoded (`/v2/room/{room}` → 3).
    pub fn raw_segment(&self, index: usize) -> &str {
        common::raw_segment(&self.uri, index)
    }

    /// The `index`th path segment, percent-decoded (lossily).
    pub fn segment(&self, index: usize) -> String {
        percent_decode_str(self.raw_segment(index))
            .decode_utf8_lossy()
            .into_owned()
    }

    /// The existing room the path names (segment 3), which `caller` may address.
    pub fn room(&self, caller: &Caller) -> Result<Room, ApiError> {
        self.room_at(caller, 3)
    }

    /// The existing room path segment `index` names, which `caller` may address.
    pub fn room_at(&self, caller: &Caller, index: usize) -> Result<Room, ApiError> {
        let room = rooms::resolve_segment(&self.state, self.raw_segment(index))?;
        caller.check_room(&room)?;
        Ok(room)
    }

    /// The room the path names (segment 3), created on first use in permissive mode
    /// (writes that make a room exist, such as set_topic).
    pub fn room_to_write(&self, caller: &Caller) -> Result<Room, ApiError> {
        self.room_to_write_at(caller, 3)
    }

    /// The room path segment `index` names, created on first use in permissive mode.
    pub fn room_to_write_at(&self, caller: &Caller, index: usize) -> Result<Room, ApiError> {
        let reference = rooms::decode_segment(self.raw_segment(index))?;
        let room = rooms::find_or_create(&self.state, &reference, caller.user_id)?;
        caller.check_room(&room)?;
        Ok(room)
    }

    /// The body as a JSON object that passes `rules` (400 naming the field otherwise;
    /// unknown keys are ignored). An empty body is an empty object.
    pub fn json(&self, rules: &[Field]) -> Result<Map<String, Value>, ApiError> {
        let body = if self.body.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else {
            match serde_json::from_slice::<Value>(&self.body) {
                Ok(Value::Object(map)) => map,
                Ok(_) => return Err(ApiError::bad_request("Request body must be a JSON object")),
                Err(error) => {
                    return Err(ApiError::bad_request(format!("Invalid JSON body: {error}")));
                }
            }
        };
        validate::validate(&body, rules)?;
        Ok(body)
    }

    /// The comma-separated `expand` values.
    pub fn expand(&self) -> Vec<String> {
        self.query
            .get("expand")
            .unwrap_or_default()
            .split(',')
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .collect()
    }

    /// The user path segment `index` names (id, email or `@mention`): its id, or 404
    /// `User not found`.
    pub fn user_at(&self, index: usize) -> Result<u64, ApiError> {
        let reference = self.segment(index);
        self.state
            .directory
            .lock()
            .user(&reference)
            .map(|user| user.id)
            .ok_or_else(|| not_found("User not found"))
    }

    /// Whether `expand` names `what`.
    pub fn expands(&self, what: &str) -> bool {
        self.expand().iter().any(|value| value == what)
    }
}

/// A REST handler.
pub type Handler = fn(&Call) -> Result<Response, ApiError>;

/// `handle` as the route for `filter`.
pub fn route(filter: MethodFilter, handle: Handler) -> MethodRouter<AppState> {
    axum::routing::on(
        filter,
        move |State(state): State<AppState>,
              OriginalUri(uri): OriginalUri,
              headers: HeaderMap,
              body: Bytes| async move {
            common::respond(handle(&Call::new(state, uri, headers, body)))
        },
    )
}

/// A GET route.
pub fn get(handle: Handler) -> MethodRouter<AppState> {
    route(MethodFilter::GET, handle)
}

/// A POST route.
pub fn post(handle: Handler) -> MethodRouter<AppState> {
    route(MethodFilter::POST, handle)
}

/// A PUT route.
pub fn put(handle: Handler) -> MethodRouter<AppState> {
    route(MethodFilter::PUT, handle)
}

/// A DELETE route.
pub fn delete(handle: Handler) -> MethodRouter<AppState> {
    route(MethodFilter::DELETE, handle)
}

/// 200 with a JSON body.
pub fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// 201 `{"id": id, "links": {"self": url}}` (spec v2 §1 creates).
pub fn created(id: impl Into<Value>, self_url: String) -> Response {
    let body = json!({"id": id.into(), "links": {"self": self_url}});
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

/// 204 with no body (updates, deletes).
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// 404 with `message` (`User not found`, `Webhook not found`, ...; v2 §10).
pub fn not_found(message: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, message)
}

/// A string field of a validated body (`""` when absent).
pub fn text(body: &Map<String, Value>, name: &str) -> String {
    common::text(body, name).unwrap_or_default()
}
