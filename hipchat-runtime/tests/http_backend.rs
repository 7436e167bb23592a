//! The http backend against a real HTTP server on 127.0.0.1.
//!
//! Each test starts its own axum server on an ephemeral port. The server records every
//! request exactly as it arrived (method, still percent-encoded path, headers, raw body)
//! and answers with a canned status, headers and body, so the tests check what goes over
//! the wire and how HipChat's real answers (the recorded fixtures of the spec) are mapped.

use std::net::TcpListener as StdTcpListener;
use std::time::{Duration, UNIX_EPOCH};

use axum::http::Method;
use hipchat_runtime::{
    BackendKind, Color, ConfigError, Error, Message, Notifier, Settings, ValidationError,
};
use serde_json::json;

/// Distinctive, so a leak into an error message cannot be a coincidence.
const TOKEN: &str = "tok-SECRET-123";

/// The recorded HipChat error bodies (see fixtures/README.md at the workspace root).
const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/hipchat-rest/errors/"
);

fn fixture(name: &str) -> String {
    let path = format!("{FIXTURES}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

mod capture_server;

use capture_server::{Reply, TestServer};

/// The http backend pointed at a test server, with the default token.
trait HttpSettings {
    fn settings(&self) -> Settings;
    fn notifier(&self) -> Notifier;
}

impl HttpSettings for TestServer {
    fn settings(&self) -> Settings {
        http_settings(&self.url).auth_token(TOKEN)
    }

    fn notifier(&self) -> Notifier {
        Notifier::from_settings(self.settings()).unwrap()
    }
}

/// Http backend settings for `api_url`, without any token.
fn http_settings(api_url: &str) -> Settings {
    Settings::new().backend(BackendKind::Http).api_url(api_url)
}

fn message_to(room: &str) -> Message {
    Message::new("Deploy of <b>billing</b> failed").room(room)
}

/// Neither the message nor the debug output of an error may hold the token.
fn assert_no_secret(error: &Error) {
    let (display, debug) = (format!("{error}"), format!("{error:?}"));
    assert!(!display.contains(TOKEN), "token in Display: {display}");
    assert!(!debug.contains(TOKEN), "token in Debug: {debug}");
}

/// Sends one message to `room` against a server answering `reply`, checks that exactly one
/// request went out and that the error does not leak the token, and returns the error.
async fn error_for(reply: Reply, room: &str) -> Error {
    let server = TestServer::start(reply).await;
    let error = server
        .notifier()
        .send(message_to(room))
        .await
        .expect_err("the server answered with an error status");
    server.only_request();
    assert_no_secret(&error);
    error
}

/// The error and all its sources, for checking what caused a transport failure.
fn error_chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

// ---------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn success_posts_json_with_bearer_token_and_accepts_204() {
    let server = TestServer::start(Reply::status(204)).await;
    let message = message_to("Ops").color(Color::Red).notify(true).from("ci");

    server.notifier().send(message).await.unwrap();

    let request = server.only_request();
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/v2/room/Ops/notification");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body = request.json();
    assert_eq!(
        body,
        json!({
            "message": "Deploy of <b>billing</b> failed",
            "message_format": "html",
            "color": "red",
            "notify": true,
            "from": "ci",
        })
    );
    // HipChat answers 400 to the string "true" (fixture v2-400-notify-not-boolean).
    assert!(body["notify"].is_boolean(), "{body}");
}

#[tokio::test]
async fn from_is_left_out_when_unset() {
    let server = TestServer::start(Reply::status(204)).await;

    server.notifier().send(message_to("Ops")).await.unwrap();

    let body = server.only_request().json();
    assert!(body.get("from").is_none(), "{body}");
    assert_eq!(body["notify"], json!(false));
}

#[tokio::test]
async fn room_is_percent_encoded_as_one_path_segment() {
    // Spec §2: a path segment, never form-encoding (`+` stays a plus, space is %20).
    let cases = [
        ("Build Status", "Build%20Status"),
        ("a/b", "a%2Fb"),
        ("Ops+Alerts", "Ops%2BAlerts"),
        ("#ops", "%23ops"),
        ("100%", "100%25"),
        ("Équipe", "%C3%89quipe"),
        ("12345", "12345"),
    ];
    let server = TestServer::start(Reply::status(204)).await;
    let notifier = server.notifier();

    for (room, _) in cases {
        notifier.send(message_to(room)).await.unwrap();
    }

    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    let expected: Vec<String> = cases
        .iter()
        .map(|(_, encoded)| format!("/v2/room/{encoded}/notification"))
        .collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn api_url_keeps_path_prefix_and_tolerates_trailing_v2() {
    let server = TestServer::start(Reply::status(204)).await;
    let cases = [
        ("", "/v2/room/Ops/notification"),
        ("/", "/v2/room/Ops/notification"),
        ("/v2", "/v2/room/Ops/notification"),
        ("/v2/", "/v2/room/Ops/notification"),
        ("/chat", "/chat/v2/room/Ops/notification"),
        ("/chat/v2/", "/chat/v2/room/Ops/notification"),
    ];

    for (suffix, _) in cases {
        let settings = http_settings(&format!("{}{suffix}", server.url)).auth_token(TOKEN);
        let notifier = Notifier::from_settings(settings).unwrap();
        notifier.send(message_to("Ops")).await.unwrap();
    }

    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    let expected: Vec<&str> = cases.iter().map(|(_, path)| *path).collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn html_body_is_sent_unchanged() {
    // Escaping belongs to the caller or the template; the backend must not do it again.
    let server = TestServer::start(Reply::status(204)).await;

    server
        .notifier()
        .send(Message::new("<b>&</b>").room("Ops"))
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.json()["message"], "<b>&</b>");
    let raw = String::from_utf8(request.body.to_vec()).unwrap();
    assert!(raw.contains(r#""message":"<b>&</b>""#), "{raw}");
}

// ---------------------------------------------------------------------------------------
// HipChat's error answers (recorded bodies from the spec's fixtures)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn notify_not_boolean_400_is_bad_request_naming_the_field() {
    let body = fixture("v2-400-notify-not-boolean.json");

    let error = error_for(Reply::json(400, body.clone()), "Ops").await;

    let Error::BadRequest(api) = error else {
        panic!("expected BadRequest, got {error:?}")
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.kind.as_deref(), Some("Bad Request"));
    assert_eq!(
        api.message,
        "Value u'true' for field 'notify' is not of type 'boolean'"
    );
    assert_eq!(api.field.as_deref(), Some("notify"));
    assert_eq!(api.validation.as_deref(), Some("type"));
    assert_eq!(api.value, Some(json!("true")));
    assert_eq!(api.body, body);
}

#[tokio::test]
async fn card_schema_violation_400_is_bad_request_naming_card() {
    let error = error_for(
        Reply::json(400, fixture("v2-400-card-schema-violation.json")),
        "Ops",
    )
    .await;

    let Error::BadRequest(api) = error else {
        panic!("expected BadRequest, got {error:?}")
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.field.as_deref(), Some("card"));
    assert_eq!(api.validation.as_deref(), Some("type"));
    assert_eq!(api.value.as_ref().unwrap()["title"], "Test Trace");
}

#[tokio::test]
async fn invalid_oauth_session_401_is_unauthorized() {
    let error = error_for(
        Reply::json(401, fixture("v2-401-invalid-oauth-session.json")),
        "Ops",
    )
    .await;

    let Error::Unauthorized(api) = error else {
        panic!("expected Unauthorized, got {error:?}")
    };
    assert_eq!(api.status, 401);
    assert_eq!(api.message, "Invalid OAuth session");
    assert_eq!(api.kind.as_deref(), Some("Unauthorized"));
}

#[tokio::test]
async fn forbidden_403_is_forbidden() {
    // v1 reported its rate limit as 403 (spec §8); it is still a 403 to the client.
    let error = error_for(Reply::json(403, fixture("v1-403-rate-limited.json")), "Ops").await;

    let Error::Forbidden(api) = error else {
        panic!("expected Forbidden, got {error:?}")
    };
    assert_eq!(api.status, 403);
    assert!(api.message.starts_with("You have exceeded the rate limit"));
}

#[tokio::test]
async fn room_not_found_404_names_the_requested_room() {
    // The room as the caller wrote it, not as it was encoded in the URL.
    let error = error_for(
        Reply::json(404, fixture("v2-404-room-not-found.json")),
        "Build Status",
    )
    .await;

    let Error::RoomNotFound { room, api } = error else {
        panic!("expected RoomNotFound, got {error:?}")
    };
    assert_eq!(room, "Build Status");
    assert_eq!(api.status, 404);
    assert_eq!(api.message, "Room not found");
}

#[tokio::test]
async fn rate_limited_429_exposes_reset_and_headers() {
    let reply = Reply::json(429, fixture("v2-429-rate-limited.json"))
        .header("X-Ratelimit-Limit", "100")
        .header("X-Ratelimit-Remaining", "0")
        .header("X-Ratelimit-Reset", "1500000300")
        .header("X-FloodControl-Remaining", "5")
        .header("X-FloodControl-Reset", "1500000060");

    let error = error_for(reply, "Ops").await;

    // The token budget is spent (flood control is not), so its reset is the one to wait for.
    let display = error.to_string();
    let Error::RateLimited { reset, api } = error else {
        panic!("expected RateLimited, got {error:?}")
    };
    assert_eq!(reset, Some(UNIX_EPOCH + Duration::from_secs(1_500_000_300)));
    assert_eq!(api.status, 429);
    assert_eq!(api.message, "Rate Limit exceeded");
    let limit = api.rate_limit;
    assert_eq!(limit.limit, Some(100));
    assert_eq!(limit.remaining, Some(0));
    assert_eq!(limit.reset, Some(1_500_000_300));
    assert_eq!(limit.flood_limit, None);
    assert_eq!(limit.flood_remaining, Some(5));
    assert_eq!(limit.flood_reset, Some(1_500_000_060));
    assert!(display.contains("1500000300"), "{display}");
}

#[tokio::test]
async fn internal_error_500_is_server_error() {
    let body = r#"{"error":{"code":500,"type":"Internal Server Error","message":"boom"}}"#;

    let error = error_for(Reply::json(500, body), "Ops").await;

    let Error::Server(api) = error else {
        panic!("expected Server, got {error:?}")
    };
    assert_eq!(api.status, 500);
    assert_eq!(api.kind.as_deref(), Some("Internal Server Error"));
    assert_eq!(api.message, "boom");
}

#[tokio::test]
async fn unavailable_503_with_html_body_is_server_error_keeping_the_body() {
    // Proxies in front of on-premises servers answer with HTML, not HipChat's JSON.
    let body = "<html><body><h1>503 Service Unavailable</h1></body></html>";

    let error = error_for(Reply::html(503, body), "Ops").await;

    let Error::Server(api) = error else {
        panic!("expected Server, got {error:?}")
    };
    assert_eq!(api.status, 503);
    assert_eq!(api.kind, None);
    assert_eq!(api.message, "Service Unavailable");
    assert_eq!(api.body, body);
}

#[tokio::test]
async fn method_not_allowed_405_is_unexpected_status() {
    let error = error_for(Reply::status(405), "Ops").await;

    let Error::UnexpectedStatus(api) = error else {
        panic!("expected UnexpectedStatus, got {error:?}")
    };
    assert_eq!(api.status, 405);
}

#[tokio::test]
async fn redirect_is_reported_not_followed() {
    // Following it would turn the POST into a bodiless GET and report success.
    let server = TestServer::start(Reply::status(302).header("Location", "/elsewhere")).await;
    let result = server.notifier().send(message_to("Ops")).await;
    let Err(Error::UnexpectedStatus(api)) = result else {
        panic!("expected UnexpectedStatus, got {result:?}")
    };
    assert_eq!(api.status, 302);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn dot_segment_rooms_are_rejected_locally() {
    // URL parsers drop `.` and `..` segments, even encoded, which would change the endpoint.
    let server = TestServer::start(Reply::status(204)).await;
    for room in [".", ".."] {
        let result = server.notifier().send(message_to(room)).await;
        assert!(
            matches!(
                result,
                Err(Error::Validation(ValidationError::UnroutableRoom(_)))
            ),
            "{room:?}: {result:?}"
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn api_url_with_a_query_is_refused_before_any_request() {
    let server = TestServer::start(Reply::status(204)).await;
    let api_url = format!("{}/v2/room/123/notification?auth_token={TOKEN}", server.url);
    let error = Notifier::from_settings(http_settings(&api_url).auth_token(TOKEN)).unwrap_err();
    assert!(
        matches!(error, Error::Config(ConfigError::ApiUrl { .. })),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------------------------------
// Transport failures
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn unreachable_server_is_transport_error_naming_the_endpoint() {
    // A port that was just free: nothing listens there any more.
    let port = StdTcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = http_settings(&format!("http://127.0.0.1:{port}")).auth_token(TOKEN);

    let error = Notifier::from_settings(settings)
        .unwrap()
        .send(message_to("Ops"))
        .await
        .unwrap_err();

    assert_no_secret(&error);
    let Error::Transport { endpoint, .. } = &error else {
        panic!("expected Transport, got {error:?}")
    };
    assert!(endpoint.contains("/v2/room/Ops/notification"), "{endpoint}");
    assert_eq!(
        endpoint,
        &format!("http://127.0.0.1:{port}/v2/room/Ops/notification")
    );
}

#[tokio::test]
async fn slow_server_times_out_as_transport_error() {
    let server = TestServer::start(Reply::status(204).delay(Duration::from_secs(5))).await;
    let notifier =
        Notifier::from_settings(server.settings().timeout(Duration::from_millis(200))).unwrap();

    // The outer bound only keeps the test finite if the client timeout were ignored.
    let error = tokio::time::timeout(Duration::from_secs(3), notifier.send(message_to("Ops")))
        .await
        .expect("the 200 ms client timeout fires long before the server answers")
        .unwrap_err();

    assert_no_secret(&error);
    assert!(
        matches!(error, Error::Transport { .. }),
        "expected Transport, got {error:?}"
    );
    let chain = error_chain(&error);
    assert!(chain.contains("timed out"), "{chain}");
}

// ---------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn missing_token_is_config_error_and_sends_nothing() {
    let server = TestServer::start(Reply::status(204)).await;
    let notifier = Notifier::from_settings(http_settings(&server.url)).unwrap();

    let error = notifier.send(message_to("Ops")).await.unwrap_err();

    assert!(
        matches!(error, Error::Config(ConfigError::MissingToken)),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn named_token_is_sent_for_messages_that_name_it() {
    let server = TestServer::start(Reply::status(204)).await;
    let notifier =
        Notifier::from_settings(server.settings().token("deploys", "tok-deploys")).unwrap();

    notifier
        .send(message_to("Ops").token("deploys"))
        .await
        .unwrap();

    assert_eq!(
        server.only_request().header("authorization"),
        Some("Bearer tok-deploys")
    );
}

#[tokio::test]
async fn unknown_token_name_is_config_error_and_sends_nothing() {
    let server = TestServer::start(Reply::status(204)).await;

    let error = server
        .notifier()
        .send(message_to("Ops").token("ops"))
        .await
        .unwrap_err();

    assert_no_secret(&error);
    let Error::Config(ConfigError::UnknownToken { name, env_var }) = &error else {
        panic!("expected UnknownToken, got {error:?}")
    };
    assert_eq!(name, "ops");
    assert_eq!(env_var, "HIPCHAT_TOKEN_OPS");
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------------------------------
// Local checks and fail silently
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn overlong_message_is_rejected_before_sending() {
    let server = TestServer::start(Reply::status(204)).await;

    let error = server
        .notifier()
        .send(Message::new("x".repeat(10_001)).room("Ops"))
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Validation(ValidationError::Limit(_))),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn message_of_10000_multibyte_characters_is_sent() {
    // HipChat counts characters, not bytes: 10,000 'é' are 20,000 bytes and still allowed.
    let server = TestServer::start(Reply::status(204)).await;
    let body = "é".repeat(10_000);

    server
        .notifier()
        .send(Message::new(body.clone()).room("Ops"))
        .await
        .unwrap();

    assert_eq!(server.only_request().json()["message"], body);
}

#[tokio::test]
async fn fail_silently_turns_a_server_error_into_ok_after_sending() {
    let server = TestServer::start(Reply::json(
        500,
        r#"{"error":{"code":500,"type":"Internal Server Error","message":"boom"}}"#,
    ))
    .await;
    let notifier = Notifier::from_settings(server.settings().fail_silently(true)).unwrap();

    notifier.send(message_to("Ops")).await.unwrap();

    // Silenced, not skipped: the request went out.
    assert_eq!(server.only_request().path, "/v2/room/Ops/notification");
}
