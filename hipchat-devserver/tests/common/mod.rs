//! Helpers shared by the integration tests: a server on 127.0.0.1 and a raw HTTP client.
#![allow(dead_code)]

use std::path::PathBuf;

use hipchat_devserver::{DevServer, ManualClock};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The Unix second the manual clock starts at.
pub const T0: u64 = 1_500_000_000;

/// A permissive server on a manual clock standing at [`T0`].
pub async fn server() -> (DevServer, ManualClock) {
    let clock = ManualClock::at_unix(T0);
    let server = DevServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .expect("server starts");
    (server, clock)
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

/// POSTs `body` as JSON to `path` with `Authorization: Bearer dev`.
pub async fn post_json(server: &DevServer, path: &str, body: &Value) -> Answer {
    let response = client()
        .post(format!("{}{path}", server.url()))
        .bearer_auth("dev")
        .json(body)
        .send()
        .await
        .expect("request is answered");
    answer(response).await
}

/// POSTs a notification to room `Ops`.
pub async fn notify(server: &DevServer, body: &Value) -> Answer {
    post_json(server, "/v2/room/Ops/notification", body).await
}

/// POSTs a raw body with a content type.
pub async fn post_raw(server: &DevServer, path: &str, content_type: &str, body: &str) -> Answer {
    let response = client()
        .post(format!("{}{path}", server.url()))
        .bearer_auth("dev")
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .expect("request is answered");
    answer(response).await
}

/// A file of the shared spec's fixtures (`shared/` sits beside the repository).
pub fn fixture(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/spec/fixtures/rest")
        .join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("fixture {} unreadable: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// A string of `n` two-byte code points (lengths count code points, not bytes).
pub fn chars(n: usize) -> String {
    "é".repeat(n)
}
