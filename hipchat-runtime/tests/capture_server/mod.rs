//! A local HTTP server on 127.0.0.1 that records every request exactly as it arrived
//! (method, still percent-encoded path, headers, raw body) and answers as a test says:
//! one canned reply, or one per request. Used by the http backend's and the REST
//! client's tests.

#![allow(dead_code)] // Each test binary uses part of it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::task::JoinHandle;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: Method,
    /// Path and query exactly as received: nothing decoded.
    pub path: String,
    /// Headers as received.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// What the server answers to every request.
#[derive(Debug, Clone)]
pub struct Reply {
    status: StatusCode,
    headers: Vec<(String, String)>,
    body: String,
    /// Wait this long before answering (to provoke client timeouts).
    delay: Option<Duration>,
}

impl Reply {
    /// An empty-bodied answer, e.g. HipChat's `204 No Content`.
    pub fn status(status: u16) -> Self {
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers: Vec::new(),
            body: String::new(),
            delay: None,
        }
    }

    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply {
            body: body.into(),
            ..Reply::status(status).header("Content-Type", "application/json")
        }
    }

    pub fn html(status: u16, body: impl Into<String>) -> Self {
        Reply {
            body: body.into(),
            ..Reply::status(status).header("Content-Type", "text/html")
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// Answers a request: the same reply for all, or one per request (scripted).
type Answer = Arc<dyn Fn(&Captured) -> Reply + Send + Sync>;

#[derive(Clone)]
struct Shared {
    answer: Answer,
    requests: Arc<Mutex<Vec<Captured>>>,
}

/// A fallback handler: no routing, so no path is decoded or rejected before it is recorded.
async fn capture_and_reply(
    State(shared): State<Shared>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let captured = Captured {
        method,
        path: path.to_owned(),
        headers,
        body,
    };
    let reply = (shared.answer)(&captured);
    shared.requests.lock().unwrap().push(captured);
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = (reply.status, reply.body).into_response();
    for (name, value) in &reply.headers {
        response.headers_mut().insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    response
}

/// A local server that records requests; stopped when dropped.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    requests: Arc<Mutex<Vec<Captured>>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// A server answering `reply` to every request.
    pub async fn start(reply: Reply) -> Self {
        Self::scripted(move |_| reply.clone()).await
    }

    /// A server answering each request with what `answer` says about it.
    pub async fn scripted(answer: impl Fn(&Captured) -> Reply + Send + Sync + 'static) -> Self {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .fallback(capture_and_reply)
            .with_state(Shared {
                answer: Arc::new(answer),
                requests: Arc::clone(&requests),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        TestServer {
            url,
            requests,
            task,
        }
    }

    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().unwrap().clone()
    }

    pub fn only_request(&self) -> Captured {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
