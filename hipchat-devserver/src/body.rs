//! The first check of spec §4, parse: a request body becomes a JSON object whatever its
//! content type.
//!
//! * `application/json` (or no content type): must be a JSON object.
//! * `application/x-www-form-urlencoded`: fields map to JSON properties as strings, still
//!   type-checked afterwards. `notify` is read as a boolean when it is `true`/`false`/`1`/`0`
//!   and `card` as JSON when it parses, so that a form can say what JSON can.
//! * `text/plain` / `text/html`: the whole body is the `message`, in `text` / `html`
//!   format (yellow, no notify).

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Reads `bytes` according to the request's `Content-Type`.
pub fn parse(headers: &HeaderMap, bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("application/json");
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/json" | "" => json_object(bytes),
        m if m.ends_with("+json") => json_object(bytes),
        "application/x-www-form-urlencoded" => Ok(form_object(bytes)),
        "text/plain" => whole_body(bytes, "text"),
        "text/html" => whole_body(bytes, "html"),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Unsupported Content-Type {content_type:?}: send application/json, \
                 application/x-www-form-urlencoded, text/plain or text/html"
            ),
        )),
    }
}

fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(error) => Err(ApiError::bad_request(format!("Invalid JSON body: {error}"))),
    }
}

/// Decoded `key=value` pairs of a form body or query string (`+` is a space there).
pub fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

fn form_object(bytes: &[u8]) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, text) in form_pairs(bytes) {
        let value = match key.as_str() {
            "notify" => match text.to_ascii_lowercase().as_str() {
                "true" | "1" => Value::Bool(true),
                "false" | "0" => Value::Bool(false),
                _ => Value::String(text),
            },
            "card" => serde_json::from_str(&text).unwrap_or(Value::String(text)),
            _ => Value::String(text),
        };
        map.insert(key, value);
    }
    map
}

fn whole_body(bytes: &[u8], format: &str) -> Result<Map<String, Value>, ApiError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ApiError::bad_request("Request body is not valid UTF-8"))?;
    let mut map = Map::new();
    map.insert("message".into(), Value::String(text.to_owned()));
    map.insert("message_format".into(), Value::String(format.into()));
    Ok(map)
}
