//! Add-on tokens against a fake token endpoint: one request however many callers wait,
//! and an API 401 answered with a new token, once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use hipchat_connect::Installation;
use hipchat_connect::token::AddonTokens;
use hipchat_runtime::rest::Client;
use secrecy::ExposeSecret;
use serde_json::json;

#[derive(Clone, Default)]
struct Counters {
    tokens: Arc<AtomicUsize>,
}

/// Issues `token-1`, `token-2`, ... after a short pause (so callers pile up).
async fn token(State(counters): State<Counters>) -> impl IntoResponse {
    let n = counters.tokens.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    axum::Json(
        json!({"access_token": format!("token-{n}"), "expires_in": 3599,
                      "group_id": 1, "scope": "view_room", "token_type": "bearer"}),
    )
}

/// The API: `token-1` is refused (as if revoked), later tokens work.
async fn room(headers: HeaderMap) -> axum::response::Response {
    let authorization = headers["authorization"].to_str().unwrap();
    if authorization == "Bearer token-1" {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            r#"{"error":{"code":401,"message":"Invalid OAuth session","type":"Unauthorized"}}"#,
        )
            .into_response();
    }
    axum::Json(
        json!({"id": 1, "name": "Ops", "xmpp_jid": "j", "created": "2015-12-29T19:50:02+00:00",
                      "topic": "", "privacy": "public", "is_archived": false,
                      "is_guest_accessible": false, "links": {"self": "s"}, "participants": []}),
    )
    .into_response()
}

async fn fake() -> (String, Counters) {
    let counters = Counters::default();
    let router = Router::new()
        .route("/v2/oauth/token", post(token))
        .route("/v2/room/Ops", get(room))
        .with_state(counters.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, counters)
}

fn installation(url: &str) -> Installation {
    serde_json::from_value(json!({
        "oauth_id": "oauth-1", "oauth_secret": "secret", "group_id": 1, "group_name": null,
        "room_id": 7, "capabilities_url": format!("{url}/v2/capabilities"),
        "token_url": format!("{url}/v2/oauth/token"), "api_base": format!("{url}/v2"),
        "homepage": null
    }))
    .unwrap()
}

#[tokio::test]
async fn a_hundred_callers_share_one_token_request() {
    let (url, counters) = fake().await;
    let tokens = AddonTokens::new(reqwest::Client::new());
    let installation = installation(&url);
    let scopes = vec!["view_room".to_owned()];
    let calls = (0..100).map(|_| tokens.token(&installation, &scopes));
    let all = futures_util::future::join_all(calls).await;
    assert!(
        all.iter()
            .all(|t| t.as_ref().unwrap().expose_secret() == "token-1")
    );
    assert_eq!(counters.tokens.load(Ordering::SeqCst), 1);
    // Cached: no second request while it is fresh; other scopes are another token.
    tokens.token(&installation, &scopes).await.unwrap();
    assert_eq!(counters.tokens.load(Ordering::SeqCst), 1);
    let other = tokens
        .token(&installation, &["send_notification".to_owned()])
        .await
        .unwrap();
    assert_eq!(other.expose_secret(), "token-2");
}

#[tokio::test]
async fn an_api_401_drops_the_cached_token_and_the_call_is_sent_once_more() {
    let (url, counters) = fake().await;
    let tokens = AddonTokens::new(reqwest::Client::new());
    let installation = installation(&url);
    let source = tokens.source(installation.clone(), vec!["view_room".to_owned()]);
    let client = Client::builder(installation.api_base.as_str(), source)
        .build()
        .unwrap();
    let room = client.room("Ops").get().await.unwrap();
    assert_eq!(room.name, "Ops");
    assert_eq!(
        counters.tokens.load(Ordering::SeqCst),
        2,
        "token-1 refused, token-2 used"
    );
    let token = tokens
        .token(&installation, &["view_room".to_owned()])
        .await
        .unwrap();
    assert_eq!(token.expose_secret(), "token-2");
}
