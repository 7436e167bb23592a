//! The HipChat API: routes, and the layers every API request goes through.
//!
//! Outermost first: counters (`count`), the v2 token budget and `X-Ratelimit-*` headers
//! on every v1 and v2 answer (`rate_limit`), fault injection (`inject_faults`), then the
//! handler ([`common::serve`] for the v2 send endpoints, [`v1::rooms_message`]). Unknown
//! paths answer 404 and wrong methods 405, both in HipChat's error shape.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::faults::Action;
use crate::rate_limit::Budget;
use crate::state::AppState;

pub mod addon;
pub mod capabilities;
pub mod common;
pub mod connect;
pub mod emoticon;
pub mod extension;
pub mod file;
pub mod group;
pub mod image;
pub mod invite;
pub mod message;
pub mod notification;
pub mod oauth;
pub mod rest;
pub mod room;
pub mod routes;
pub mod share;
pub mod user;
pub mod v1;

/// The API routes with their layers.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/v2/room/{room}/notification",
            notification::ENDPOINT.route(),
        )
        .route("/v2/room/{room}/message", message::ENDPOINT.route())
        .route("/v2/room/{room}/share/link", share::ENDPOINT.route())
        .route("/v2/user/{user}/message", user::ENDPOINT.route())
        .route("/v1/rooms/message", common::post_route(v1::rooms_message))
        .merge(room::router())
        .merge(user::router())
        .merge(routes::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .layer(middleware::from_fn_with_state(state, count))
}

async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "Unknown method: no such endpoint").into_response()
}

async fn method_not_allowed(method: Method) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method {method} is not allowed for this endpoint"),
    )
    .into_response()
}

fn is_api(request: &Request) -> bool {
    let path = request.uri().path();
    path.starts_with("/v2/") || path.starts_with("/v1/")
}

/// Counts API answers by status.
async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = is_api(&request);
    let response = next.run(request).await;
    if api {
        state.stats.answered(response.status().as_u16());
    }
    response
}

/// Counts every v2 request against its token's budget (429 when spent) and puts
/// `X-Ratelimit-*` on every v2 answer; requests without a token see the budget of the
/// anonymous bucket, which they do not use up. v1 requests are counted by their handler
/// (the token may come in the form body); v1 answers the handler did not give (unknown
/// path, wrong method, injected fault) get the budget of the query's token, uncounted.
async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let query = common::Query::from_uri(request.uri());
    if request.uri().path().starts_with("/v1/") {
        let token = query.get("auth_token").unwrap_or_default().to_owned();
        let mut response = next.run(request).await;
        if !response.headers().contains_key("x-ratelimit-limit") {
            let headers = v1::peek_limit(&state, &token);
            response.headers_mut().extend(headers);
        }
        return response;
    }
    if !request.uri().path().starts_with("/v2/") {
        return next.run(request).await;
    }
    let token = crate::auth::token(request.headers(), &query).map(str::to_owned);
    let now = state.clock.now();
    let status = match &token {
        Some(token) => state.limiter.take(Budget::Token, token, now),
        None => state.limiter.peek(Budget::Token, "", now),
    };
    let headers = status.headers(Budget::Token);
    if status.exceeded {
        state.stats.rate_limited();
        return ApiError::rate_limited()
            .with_headers(headers)
            .into_response();
    }
    let mut response = next.run(request).await;
    response.headers_mut().extend(headers);
    response
}

/// Applies the fault plan drawn for this request.
async fn inject_faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_api(&request) {
        return next.run(request).await;
    }
    let decision = state.faults.decide();
    if !decision.latency.is_zero() {
        state.stats.fault("latency");
        if !state.wait(decision.latency).await {
            return stopping();
        }
    }
    match decision.action {
        Action::Pass => next.run(request).await,
        Action::Error(code) => {
            state.stats.fault(&format!("error_{code}"));
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            ApiError::new(status, format!("Injected fault: {code}")).into_response()
        }
        Action::Reset => {
            state.stats.fault("reset");
            let handle = request
                .extensions()
                .get::<axum::extract::ConnectInfo<crate::conn::ConnHandle>>();
            match handle {
                Some(axum::extract::ConnectInfo(handle)) => handle.reset(),
                None => tracing::warn!("no connection handle: cannot reset"),
            }
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Action::Stall(duration) => {
            state.stats.fault("stall");
            if !state.wait(duration).await {
                return stopping();
            }
            next.run(request).await
        }
    }
}

fn stopping() -> Response {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "Server is shutting down").into_response()
}
