//! What every endpoint shares: the query string, raw path segments, flood control,
//! recording, turning a result into a response, and the one pipeline the v2 send
//! endpoints run ([`Endpoint`], [`serve`]).

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::directory::history::AddonSender;
use crate::error::ApiError;
use crate::rate_limit::Budget;
use crate::recorded::{Kind, NewMessage, Recipient, Recorded};
use crate::state::AppState;
use crate::validate::Field;
use crate::{auth, body, rooms, validate};

/// Decoded query parameters (first value wins).
#[derive(Debug, Default, Clone)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses a request's query string.
    pub fn from_uri(uri: &Uri) -> Self {
        Self(crate::body::form_pairs(
            uri.query().unwrap_or_default().as_bytes(),
        ))
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every pair, in order, as sent.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// `auth_test=true` (spec §3).
    pub fn auth_test(&self) -> bool {
        self.get("auth_test")
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }
}

/// The `index`th segment of the path, still percent-encoded (`/v2/room/{room}/…` → 3).
pub fn raw_segment(uri: &Uri, index: usize) -> &str {
    uri.path().split('/').nth(index).unwrap_or_default()
}

/// A POST route whose handler reads the state, the request's original URI, its headers
/// and its whole body, and answers synchronously.
pub fn post_route<F>(handle: F) -> MethodRouter<AppState>
where
    F: Fn(&AppState, &Uri, &HeaderMap, &[u8]) -> Response + Clone + Send + Sync + 'static,
{
    post(
        move |State(state): State<AppState>,
              OriginalUri(uri): OriginalUri,
              headers: HeaderMap,
              bytes: Bytes| async move { handle(&state, &uri, &headers, &bytes) },
    )
}

/// Whom a v2 send endpoint's path addresses (its fourth segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `/v2/room/{room_id_or_name}/…`: resolved as spec §2 says (404 `Room not found`),
    /// and checked against a room-bound token.
    Room,
    /// `/v2/user/{id_or_email}/…`: taken as addressed (404 `User not found` when the
    /// segment is not UTF-8).
    User,
}

/// What differs between the v2 send endpoints; [`serve`] runs the rest.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// The scope the token needs (spec §3).
    pub scope: &'static str,
    /// The caller kinds allowed (spec v2 §1): user-only for posts made as the token's
    /// user (403 otherwise).
    pub kinds: &'static [crate::config::TokenKind],
    /// Whom the path addresses.
    pub target: Target,
    /// The body checks (spec §4, §9).
    pub rules: &'static [Field],
    /// The message to record for an accepted request.
    pub message: fn(&Accepted) -> NewMessage,
    /// The success answer; [`serve`] adds the flood headers.
    pub answer: fn(&Recorded) -> Response,
}

impl Endpoint {
    /// This endpoint as a POST route.
    pub fn route(&'static self) -> MethodRouter<AppState> {
        post_route(move |state, uri, headers, bytes| {
            respond(serve(state, uri, headers, bytes, self))
        })
    }
}

/// A request that passed every check and drew one message from its flood allowance.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// Who sent it: the token's label.
    pub sender: String,
    /// The user the token acts as.
    pub user_id: u64,
    /// The add-on key of an add-on's token.
    pub addon: Option<AddonSender>,
    /// The room or user it goes to.
    pub recipient: Recipient,
    /// The room's numeric id, when known.
    pub room_id: Option<u64>,
    /// The validated body.
    pub body: Map<String, Value>,
    /// The `X-FloodControl-*` headers after this message.
    pub flood: HeaderMap,
}

impl Accepted {
    /// A string field of the body.
    pub fn text(&self, name: &str) -> Option<String> {
        text(&self.body, name)
    }

    /// A boolean field of the body (`false` when absent).
    pub fn flag(&self, name: &str) -> bool {
        self.body
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// A message of `kind` with what every endpoint records the same way (recipient, room
    /// id, sender, `message`) and plain defaults for the rest: `text`, gray, no notify,
    /// no `from`, `attach_to`, card or link.
    pub fn message(&self, kind: Kind) -> NewMessage {
        NewMessage {
            room_id: self.room_id,
            user_id: Some(self.user_id),
            addon: self.addon.clone(),
            ..NewMessage::plain(
                kind,
                self.recipient.clone(),
                self.sender.clone(),
                self.text("message").unwrap_or_default(),
            )
        }
    }
}

/// How far a request got through [`accept`].
#[derive(Debug)]
pub enum Step {
    /// `auth_test=true`: the token may call this endpoint; nothing else was checked or
    /// counted. Holds the 202 answer.
    AuthTest(Response),
    /// Every check passed and the flood allowance was drawn on: record it.
    Accepted(Accepted),
}

/// The v2 send pipeline up to recording, in the order HipChat ran it: token (401) and
/// scope (403), recipient (404; permissive mode creates unknown rooms), room binding (403), `auth_test` (202, no flood allowance
/// used), body parse and checks (400, with the flood headers), flood control (429).
/// The token's own budget is counted by the v2 layer before the handler runs.
pub fn accept(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    bytes: &[u8],
    endpoint: &Endpoint,
) -> Result<Step, ApiError> {
    let query = Query::from_uri(uri);
    let caller = auth::authenticate(state, auth::token(headers, &query), &[endpoint.scope], 2)?;
    caller.check_kind(endpoint.kinds)?;
    let segment = raw_segment(uri, 3);
    let (recipient, room_id) = match endpoint.target {
        Target::Room => {
            let reference = rooms::decode_segment(segment)?;
            let room = rooms::find_or_create(state, &reference, caller.user_id)?;
            caller.check_room(&room)?;
            (Recipient::Room(room.name), Some(room.id))
        }
        Target::User => {
            let user = percent_decode_str(segment)
                .decode_utf8()
                .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "User not found"))?;
            (Recipient::User(user.into_owned()), None)
        }
    };
    let flood_key = match &recipient {
        Recipient::Room(name) => format!("room:{name}"),
        Recipient::User(user) => format!("user:{user}"),
    };
    if query.auth_test() {
        return Ok(Step::AuthTest(auth_test_response(peek_flood(
            state, &flood_key,
        ))));
    }
    let body = body::parse(headers, bytes)
        .and_then(|body| validate::validate(&body, endpoint.rules).map(|()| body))
        .map_err(|error| error.with_headers(peek_flood(state, &flood_key)))?;
    let flood = take_flood(state, &flood_key)?;
    Ok(Step::Accepted(Accepted {
        sender: caller.label,
        user_id: caller.user_id,
        addon: caller.addon,
        recipient,
        room_id,
        body,
        flood,
    }))
}

/// A whole v2 send request: [`accept`], then record the endpoint's message and answer
/// with the flood headers.
pub fn serve(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    bytes: &[u8],
    endpoint: &Endpoint,
) -> Result<Response, ApiError> {
    match accept(state, uri, headers, bytes, endpoint)? {
        Step::AuthTest(response) => Ok(response),
        Step::Accepted(accepted) => {
            let recorded = record(state, (endpoint.message)(&accepted));
            let mut response = (endpoint.answer)(&recorded);
            response.headers_mut().extend(accepted.flood);
            Ok(response)
        }
    }
}

/// The 202 answer to `auth_test=true`.
pub fn auth_test_response(headers: HeaderMap) -> Response {
    let body = serde_json::json!({"success": {
        "code": 202,
        "type": "Accepted",
        "message": "This auth_token has access to use this method."
    }});
    let mut response = (StatusCode::ACCEPTED, axum::Json(body)).into_response();
    response.headers_mut().extend(headers);
    response
}

/// Counts one message against `key`'s flood budget: its headers, or the 429.
pub fn take_flood(state: &AppState, key: &str) -> Result<HeaderMap, ApiError> {
    let status = state.limiter.take(Budget::Flood, key, state.clock.now());
    let headers = status.headers(Budget::Flood);
    if status.exceeded {
        state.stats.rate_limited();
        return Err(ApiError::rate_limited().with_headers(headers));
    }
    Ok(headers)
}

/// The flood headers without counting a message.
pub fn peek_flood(state: &AppState, key: &str) -> HeaderMap {
    state
        .limiter
        .peek(Budget::Flood, key, state.clock.now())
        .headers(Budget::Flood)
}

/// Records an accepted message, and adds it to its room's history.
pub fn record(state: &AppState, message: NewMessage) -> Recorded {
    state.stats.accepted();
    let user_id = message.user_id;
    let addon = message.addon.clone();
    let recorded = state.store.record(message, state.clock.now());
    crate::api::rest::history::add_recorded(state, &recorded, user_id, addon);
    tracing::info!(
        seq = recorded.seq,
        recipient = ?recorded.recipient,
        "message recorded"
    );
    recorded
}

/// A string field of a validated body.
pub fn text(body: &Map<String, Value>, name: &str) -> Option<String> {
    body.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// Either response.
pub fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// 204 with no body: the answer of most send endpoints.
pub fn no_content(_: &Recorded) -> Response {
    StatusCode::NO_CONTENT.into_response()
}
