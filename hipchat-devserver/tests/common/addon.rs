//! A tiny Connect add-on on 127.0.0.1 for the `connect_*` tests: serves a descriptor at
//! `/descriptor.json`, records install POSTs (`/installable`), uninstall DELETEs
//! (`/installable/{oauthId}`) and update POSTs (`/updated`). While handling an install it
//! does what a real add-on does (spec hipchat-connect §2.1 step 3): GETs the
//! capabilities URL and asks the token endpoint for a token, and records the outcome.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::{Value, json};

/// What the add-on saw.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// Install POST bodies.
    pub installs: Vec<Value>,
    /// oauthIds of uninstall DELETEs.
    pub uninstalls: Vec<String>,
    /// Update POST bodies.
    pub updates: Vec<Value>,
    /// Per install: (links.self of the capabilities document, token endpoint status).
    pub proofs: Vec<(Value, u16)>,
}

#[derive(Default)]
struct Inner {
    descriptor: Value,
    install_status: u16,
    seen: Seen,
}

/// The running add-on.
pub struct FakeAddon {
    /// `http://127.0.0.1:port`.
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeAddon {
    /// An add-on answering installs 200, with [`descriptor`]`(base, true, true, None)`.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("add-on binds");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let inner = Arc::new(Mutex::new(Inner {
            descriptor: descriptor(&base, true, true, false),
            install_status: 200,
            seen: Seen::default(),
        }));
        let app = axum::Router::new()
            .route("/descriptor.json", get(serve_descriptor))
            .route("/installable", post(installed))
            .route("/installable/{oauth_id}", delete(uninstalled))
            .route("/updated", post(updated))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, inner }
    }

    /// The descriptor URL.
    pub fn descriptor_url(&self) -> String {
        format!("{}/descriptor.json", self.base)
    }

    /// Serves `descriptor` from now on.
    pub fn set_descriptor(&self, descriptor: Value) {
        self.inner.lock().unwrap().descriptor = descriptor;
    }

    /// Answers installs with `status` from now on.
    pub fn set_install_status(&self, status: u16) {
        self.inner.lock().unwrap().install_status = status;
    }

    /// What it saw so far.
    pub fn seen(&self) -> Seen {
        self.inner.lock().unwrap().seen.clone()
    }
}

/// Starts a [`FakeAddon`] and installs it into `room` (or globally): the installation,
/// the secret the add-on received, and the add-on.
pub async fn install(
    server: &hipchat_devserver::DevServer,
    room: Option<&str>,
) -> (hipchat_devserver::InstalledAddon, String, FakeAddon) {
    let addon = FakeAddon::start().await;
    let installed = server
        .install_addon(&addon.descriptor_url(), room)
        .await
        .expect("the add-on installs");
    let secret = addon.seen().installs[0]["oauthSecret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    (installed, secret, addon)
}

/// A descriptor for an add-on at `base` with scopes send_notification and view_room.
pub fn descriptor(base: &str, allow_room: bool, allow_global: bool, update_url: bool) -> Value {
    let mut installable = json!({
        "allowRoom": allow_room,
        "allowGlobal": allow_global,
        "callbackUrl": format!("{base}/installable"),
    });
    if update_url {
        installable["updateCallbackUrl"] = json!(format!("{base}/updated"));
    }
    json!({
        "key": "test-addon",
        "name": "Test Add-on",
        "description": "An add-on the tests run",
        "vendor": {"name": "Tests", "url": "https://example.com"},
        "links": {"self": format!("{base}/descriptor.json")},
        "capabilities": {
            "hipchatApiConsumer": {
                "scopes": ["send_notification", "view_room"],
                "fromName": "Tester"
            },
            "installable": installable
        }
    })
}

async fn serve_descriptor(State(inner): State<Arc<Mutex<Inner>>>) -> Json<Value> {
    Json(inner.lock().unwrap().descriptor.clone())
}

async fn installed(State(inner): State<Arc<Mutex<Inner>>>, Json(body): Json<Value>) -> Response {
    let status = {
        let mut inner = inner.lock().unwrap();
        inner.seen.installs.push(body.clone());
        inner.install_status
    };
    let proof = prove(&body).await;
    inner.lock().unwrap().seen.proofs.push(proof);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if status.is_success() {
        status.into_response()
    } else {
        let long = format!("install refused: {}", "x".repeat(300));
        (status, long).into_response()
    }
}

/// Steps 3c and 3e: the capabilities document and a token with the credentials.
async fn prove(body: &Value) -> (Value, u16) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let Some(url) = body["capabilitiesUrl"].as_str() else {
        return (Value::Null, 0);
    };
    let Ok(response) = client.get(url).send().await else {
        return (Value::Null, 0);
    };
    let capabilities: Value = response.json().await.unwrap_or_default();
    let token_url = capabilities["capabilities"]["oauth2Provider"]["tokenUrl"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let status = client
        .post(token_url)
        .basic_auth(
            body["oauthId"].as_str().unwrap_or_default(),
            body["oauthSecret"].as_str(),
        )
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "send_notification"),
        ])
        .send()
        .await
        .map_or(0, |response| response.status().as_u16());
    (capabilities["links"]["self"].clone(), status)
}

async fn uninstalled(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(oauth_id): Path<String>,
) -> StatusCode {
    inner.lock().unwrap().seen.uninstalls.push(oauth_id);
    StatusCode::NO_CONTENT
}

async fn updated(State(inner): State<Arc<Mutex<Inner>>>, Json(body): Json<Value>) -> StatusCode {
    inner.lock().unwrap().seen.updates.push(body);
    StatusCode::OK
}
