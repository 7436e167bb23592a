//! Helpers of the REST v2 tests beyond rooms (users, private history, group, sessions
//! and add-ons), next to `common`.
#![allow(dead_code)]

use serde_json::json;

use crate::common::{Answer, assert_rate_limited_headers};

/// A 1×1 PNG, base64 (photos, avatars).
pub const PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==";

/// A client that does not follow redirects (the 302s of photos and avatars).
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

/// Asserts HipChat's error body `{"error":{"code","message","type"}}` with `status` and
/// `message`, and the rate-limit headers every v2 answer has.
pub fn assert_error(answer: &Answer, status: u16, message: &str) {
    let kind = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("Error");
    assert_eq!(
        (answer.status, &answer.body),
        (
            status,
            &json!({"error": {"code": status, "message": message, "type": kind}})
        ),
        "{}",
        answer.text
    );
    assert_rate_limited_headers(answer);
}

/// Asserts the recorded 403 for a missing scope; `scopes` as Python prints the list
/// (`[u'view_group']`).
pub fn assert_scope_error(answer: &Answer, scopes: &str) {
    assert_error(
        answer,
        403,
        &format!("This action requires one of the following scopes: {scopes}"),
    );
}

/// Sends `body` to `path` as token `dev` and asserts the 400 naming `field` and
/// `validation`.
pub async fn assert_rejected(
    server: &hipchat_devserver::DevServer,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
    field: &str,
    validation: &str,
) {
    let answer = crate::common::rest(server, method, path, "dev", Some(&body)).await;
    crate::common::assert_invalid(&answer, field, validation);
    assert_rate_limited_headers(&answer);
}
