//! HipChat's error body (spec §5): `{"error":{"code","type","message",...}}`.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// An error answer in HipChat's shape. Validation errors carry `field`, `validation`,
/// `value` and `expected_type`; card errors also a `description`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status, also written as `code`.
    pub status: StatusCode,
    /// The human-readable `message`.
    pub message: String,
    /// Validation details, when a field failed a check.
    pub validation: Option<Box<Validation>>,
    /// Headers added to the response (rate-limit headers, for instance).
    pub headers: Box<HeaderMap>,
}

/// The fields a validation error adds to the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// The top-level field that failed.
    pub field: String,
    /// The failed check: `required`, `type`, `enum`, `minLength`, `maxLength`, `pattern`.
    pub validation: String,
    /// What was sent (`null` when the field was missing).
    pub value: Value,
    /// The expected type name or, for cards, the whole schema.
    pub expected_type: Value,
    /// A message template (card errors only).
    pub description: Option<String>,
}

impl ApiError {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            validation: None,
            headers: Box::default(),
        }
    }

    /// 400 for a failed field check.
    pub fn invalid(message: impl Into<String>, validation: Validation) -> Self {
        Self {
            validation: Some(Box::new(validation)),
            ..Self::new(StatusCode::BAD_REQUEST, message)
        }
    }

    /// 400 without field details (an unreadable body).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401 for a request without a token.
    pub fn missing_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Authenticated requests only. Provide an access token in the Authorization header \
             (Bearer) or the auth_token query parameter.",
        )
    }

    /// 401 `Invalid OAuth session` for an unknown or wrong-kind token.
    pub fn invalid_session() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Invalid OAuth session")
    }

    /// 404 `Room not found`.
    pub fn room_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Room not found")
    }

    /// 429 `Rate Limit exceeded`.
    pub fn rate_limited() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "Rate Limit exceeded")
    }

    /// Adds response headers.
    pub fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers.extend(headers);
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), json!(self.status.as_u16()));
        error.insert(
            "type".into(),
            json!(self.status.canonical_reason().unwrap_or("Error")),
        );
        error.insert("message".into(), json!(self.message));
        if let Some(details) = &self.validation {
            error.insert("field".into(), json!(details.field));
            error.insert("validation".into(), json!(details.validation));
            error.insert("value".into(), details.value.clone());
            error.insert("expected_type".into(), details.expected_type.clone());
            if let Some(description) = &details.description {
                error.insert("description".into(), json!(description));
            }
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body().to_string();
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
        response.headers_mut().extend(*self.headers);
        response
    }
}
