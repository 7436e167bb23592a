//! Helpers shared by the integration tests: a server on 127.0.0.1 and a raw HTTP client.
#![allow(dead_code)]

pub mod addon;

use std::path::PathBuf;

use hipchat_devserver::{DevServer, FaultConfig, ManualClock, RateLimitConfig};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The Unix second the manual clock starts at.
pub const T0: u64 = 1_500_000_000;

/// A permissive server on a manual clock standing at [`T0`].
pub async fn server() -> (DevServer, ManualClock) {
    limited_server(RateLimitConfig::default()).await
}

/// A permissive server with these rate limits, on a manual clock standing at [`T0`].
pub async fn limited_server(limits: RateLimitConfig) -> (DevServer, ManualClock) {
    let clock = ManualClock::at_unix(T0);
    let server = DevServer::builder()
        .clock(clock.clone())
        .rate_limits(limits)
        .start()
        .await
        .expect("server starts");
    (server, clock)
}

/// Puts `faults` in force (they must pass the server's checks).
pub fn set_faults(server: &DevServer, faults: FaultConfig) {
    server.set_faults(faults).expect("valid fault config");
}

/// An answer: status, headers, body parsed as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<u64> {
        self.headers.get(name)?.to_str().ok()?.parse().ok()
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client builds")
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body reads");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        text,
    }
}

/// A POST to `path` with `Authorization: Bearer {token}`, sent by `client`.
pub fn post_as(
    client: &reqwest::Client,
    server: &DevServer,
    token: &str,
    path: &str,
) -> reqwest::RequestBuilder {
    client
        .post(format!("{}{path}", server.url()))
        .bearer_auth(token)
}

/// Sends a request and reads its answer.
pub async fn send(request: reqwest::RequestBuilder) -> Answer {
    answer(request.send().await.expect("request is answered")).await
}

/// POSTs `body` as JSON to `path` with `Authorization: Bearer dev`.
pub async fn post_json(server: &DevServer, path: &str, body: &Value) -> Answer {
    send(post_as(&client(), server, "dev", path).json(body)).await
}

/// Starts a notification `{"message": message}` to room `Ops` (token `dev`) in the
/// background: for requests the server holds (latency, stalls).
pub fn spawn_notify(
    server: &DevServer,
    message: &str,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let request = post_as(&client(), server, "dev", "/v2/room/Ops/notification")
        .json(&serde_json::json!({ "message": message }));
    tokio::spawn(request.send())
}

/// A request without a token (the admin API and the page need none).
pub async fn call(
    server: &DevServer,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> Answer {
    let mut request = client().request(method, format!("{}{path}", server.url()));
    if let Some(body) = body {
        request = request.json(body);
    }
    send(request).await
}

/// `GET path`, its body as JSON (whatever the status).
pub async fn get_json(server: &DevServer, path: &str) -> Value {
    let got = call(server, reqwest::Method::GET, path, None).await;
    serde_json::from_str(&got.text).expect("json")
}

/// `PUT path` with a JSON body.
pub async fn put_json(server: &DevServer, path: &str, body: &Value) -> Answer {
    call(server, reqwest::Method::PUT, path, Some(body)).await
}

/// `DELETE path`.
pub async fn delete(server: &DevServer, path: &str) -> Answer {
    call(server, reqwest::Method::DELETE, path, None).await
}

/// POSTs a notification to room `Ops`.
pub async fn notify(server: &DevServer, body: &Value) -> Answer {
    post_json(server, "/v2/room/Ops/notification", body).await
}

/// POSTs a raw body with a content type.
pub async fn post_raw(server: &DevServer, path: &str, content_type: &str, body: &str) -> Answer {
    send(
        post_as(&client(), server, "dev", path)
            .header("content-type", content_type)
            .body(body.to_owned()),
    )
    .await
}

/// A file of the spec's REST fixtures, as vendored in the repository
/// (`fixtures/hipchat-rest/`, a copy of `shared/spec/fixtures/rest/`).
pub fn fixture(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/hipchat-rest")
        .join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture {} unreadable: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// A string of `n` two-byte code points (lengths count code points, not bytes).
pub fn chars(n: usize) -> String {
    "é".repeat(n)
}

/// The real client (`hipchat::Notifier`, http backend) pointed at the server.
pub fn notifier(server: &DevServer, token: &str) -> hipchat::Notifier {
    let settings = hipchat::Settings::new()
        .backend(hipchat::BackendKind::Http)
        .api_url(server.url())
        .auth_token(token)
        .timeout(std::time::Duration::from_secs(30));
    hipchat::Notifier::from_settings(settings).expect("notifier builds")
}

/// A REST v2 call with `Authorization: Bearer {token}` and an optional JSON body.
pub async fn rest(
    server: &DevServer,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Answer {
    let mut request = client()
        .request(method, format!("{}{path}", server.url()))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    send(request).await
}

/// `GET path` as token `dev`.
pub async fn rest_get(server: &DevServer, path: &str) -> Answer {
    rest(server, reqwest::Method::GET, path, "dev", None).await
}

/// A strict server from a TOML config, on a manual clock standing at [`T0`].
pub async fn strict_server(toml: &str) -> DevServer {
    let config = hipchat_devserver::Config::from_toml(toml).expect("config parses");
    DevServer::builder()
        .config(config)
        .clock(ManualClock::at_unix(T0))
        .start()
        .await
        .expect("server starts")
}

/// A fixture without its `_note`.
pub fn fixture_body(relative: &str) -> Value {
    let mut value = fixture(relative);
    if let Some(object) = value.as_object_mut() {
        object.remove("_note");
    }
    value
}

/// Asserts HipChat's validation error: 400, `field` and `validation`.
pub fn assert_invalid(answer: &Answer, field: &str, validation: &str) {
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert_eq!(answer.body["error"]["code"], 400, "{}", answer.text);
    assert_eq!(answer.body["error"]["type"], "Bad Request");
    assert_eq!(answer.body["error"]["field"], field, "{}", answer.text);
    assert_eq!(
        answer.body["error"]["validation"], validation,
        "{}",
        answer.text
    );
}

/// Asserts the rate-limit headers are present (spec §8: on every v2 answer).
pub fn assert_rate_limited_headers(answer: &Answer) {
    for name in [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ] {
        assert!(
            answer.header(name).is_some(),
            "{name} missing: {:?}",
            answer.headers
        );
    }
}

/// Strict config lines for two rooms: `Ops` (id 1) and `Build` (id 2).
pub const OPS_AND_BUILD: &str = "
[[rooms]]
id = 1
name = \"Ops\"

[[rooms]]
id = 2
name = \"Build\"
";

/// One field of every item of a list envelope, in order.
pub fn item_fields(page: &Value, field: &str) -> Vec<Value> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| item[field].clone())
        .collect()
}
