//! The installation lifecycle against a fake HipChat on 127.0.0.1 (a capabilities
//! document and a token endpoint whose answers each test chooses): installs stored,
//! every refusal a 4xx with a reason and nothing stored, both uninstall shapes, signed
//! requests. The same flows against the local HipChat server are in `tests/connect.rs`
//! of the `hipchat` crate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hipchat_connect::descriptor::Scope;
use hipchat_connect::{Addon, AddonRuntime, InstallationStore, MemoryStore, SignedRequest};
use secrecy::SecretString;
use serde_json::{Value, json};

/// A token request as the fake saw it: the `Authorization` header and the body.
type TokenRequest = (Option<String>, String);

/// A fake HipChat: what it answers, and what it was asked.
#[derive(Clone, Default)]
struct Fake {
    /// `links.self` of its capabilities document: the real URL unless a test lies.
    self_link: Arc<Mutex<Option<String>>>,
    /// The token endpoint's status (200 unless a test refuses).
    token_status: Arc<Mutex<Option<u16>>>,
    token_requests: Arc<Mutex<Vec<TokenRequest>>>,
    capabilities_requests: Arc<AtomicUsize>,
    url: String,
}

async fn capabilities(State(fake): State<Fake>) -> Response {
    fake.capabilities_requests.fetch_add(1, Ordering::SeqCst);
    let self_link = fake
        .self_link
        .lock()
        .unwrap()
        .clone()
        .unwrap_or_else(|| format!("{}/v2/capabilities", fake.url));
    axum::Json(json!({
        "links": {"self": self_link, "api": format!("{}/v2/", fake.url), "homepage": fake.url},
        "capabilities": {
            "oauth2Provider": {"tokenUrl": format!("{}/v2/oauth/token", fake.url)},
            "hipchatApiProvider": {"url": format!("{}/v2/", fake.url)}
        }
    }))
    .into_response()
}

async fn token(State(fake): State<Fake>, headers: HeaderMap, body: String) -> Response {
    let authorization = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    fake.token_requests
        .lock()
        .unwrap()
        .push((authorization, body));
    match *fake.token_status.lock().unwrap() {
        Some(status) => (
            StatusCode::from_u16(status).unwrap(),
            r#"{"error":{"code":401,"message":"Invalid OAuth session","type":"Unauthorized"}}"#,
        )
            .into_response(),
        None => axum::Json(json!({
            "access_token": "addon-token", "expires_in": 3599, "group_id": 1,
            "group_name": "Acme", "scope": "send_notification view_room", "token_type": "bearer"
        }))
        .into_response(),
    }
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

async fn fake_hipchat() -> Fake {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let fake = Fake {
        url,
        ..Fake::default()
    };
    let router = Router::new()
        .route("/v2/capabilities", get(capabilities))
        .route("/v2/oauth/token", post(token))
        .route(
            "/installable/r-1",
            get(|| async { axum::Json(json!({"oauthId": "r-1", "capabilitiesUrl": "x"})) }),
        )
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    fake
}

/// The add-on, served; its store; its URL.
async fn addon(allow_global: bool, hosts: &[&str]) -> (AddonRuntime, Arc<MemoryStore>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let addon = Addon::builder("deploy-bot", "Deploy bot", &url)
        .scopes([Scope::SendNotification, Scope::ViewRoom])
        .allow_global(allow_global)
        .uninstalled_path("/uninstalled")
        .build()
        .unwrap();
    let store = Arc::new(MemoryStore::new());
    let runtime = AddonRuntime::builder(addon, Arc::clone(&store))
        .allow_hosts(hosts.iter().copied())
        .build()
        .unwrap();
    let router = Router::new()
        .route(
            "/signed",
            get(|signed: SignedRequest| async move {
                format!("{}:{:?}", signed.installation.oauth_id, signed.claims.user)
            }),
        )
        .with_state(runtime.clone())
        .merge(runtime.router());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (runtime, store, url)
}

fn install_body(fake: &Fake, oauth_id: &str, room: Option<u64>) -> Value {
    let mut body = json!({
        "capabilitiesUrl": format!("{}/v2/capabilities", fake.url),
        "oauthId": oauth_id,
        "oauthSecret": "Az2Pmd60x87xujV0BqelH1rMCDSLHogl1qoEBLnv",
        "groupId": 1,
    });
    if let Some(room) = room {
        body["roomId"] = json!(room);
    }
    body
}

async fn post_install(addon_url: &str, body: &Value) -> (u16, String) {
    let answer = reqwest::Client::new()
        .post(format!("{addon_url}/installable"))
        .json(body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

#[tokio::test]
async fn an_install_is_proven_stored_replaced_and_uninstalled() {
    let fake = fake_hipchat().await;
    let (runtime, store, url) = addon(true, &[]).await;
    let (status, body) = post_install(&url, &install_body(&fake, "oauth-1", Some(7))).await;
    assert_eq!((status, body.as_str()), (200, ""));
    let stored = store.get("oauth-1").await.unwrap().unwrap();
    assert_eq!(stored.room_id, Some(7));
    assert_eq!(stored.group_name.as_deref(), Some("Acme"));
    assert_eq!(
        stored.api_base.as_str(),
        format!("{}/v2", fake.url),
        "no trailing slash"
    );
    // The credentials were proven with Basic auth and a form body with the scopes.
    let (authorization, form) = fake.token_requests.lock().unwrap()[0].clone();
    assert!(authorization.unwrap().starts_with("Basic "));
    assert!(form.contains("grant_type=client_credentials"), "{form}");
    assert!(form.contains("scope=send_notification+view_room"), "{form}");
    assert!(
        !form.contains("Az2Pmd60"),
        "the secret is never in the body: {form}"
    );

    // The same oauthId again replaces (a global install now).
    let (status, _) = post_install(&url, &install_body(&fake, "oauth-1", None)).await;
    assert_eq!(status, 200);
    assert_eq!(store.list().await.unwrap().len(), 1);
    assert_eq!(store.get("oauth-1").await.unwrap().unwrap().room_id, None);
    assert!(runtime.installation("oauth-1").await.unwrap().is_some());

    // Uninstall: 204, unknown ids too.
    let client = reqwest::Client::new();
    for id in ["oauth-1", "never-installed"] {
        let answer = client
            .delete(format!("{url}/installable/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 204, "{id}");
    }
    assert!(store.list().await.unwrap().is_empty());
}

#[tokio::test]
async fn refusals_are_4xx_with_a_reason_and_store_nothing() {
    let fake = fake_hipchat().await;
    let (_, store, url) = addon(false, &[]).await;

    // Global install of a room-only add-on: refused before any request leaves.
    let (status, reason) = post_install(&url, &install_body(&fake, "g", None)).await;
    assert_eq!(status, 400);
    assert!(reason.contains("allowGlobal"), "{reason}");
    assert_eq!(fake.capabilities_requests.load(Ordering::SeqCst), 0);

    // A capabilities document naming another URL.
    *fake.self_link.lock().unwrap() = Some("https://elsewhere.example/v2/capabilities".into());
    let (status, reason) = post_install(&url, &install_body(&fake, "s", Some(1))).await;
    assert_eq!(status, 400);
    assert!(reason.contains("names itself"), "{reason}");
    *fake.self_link.lock().unwrap() = None;

    // Credentials the token endpoint refuses.
    *fake.token_status.lock().unwrap() = Some(401);
    let (status, reason) = post_install(&url, &install_body(&fake, "t", Some(1))).await;
    assert_eq!(status, 400);
    assert!(
        reason.contains("refused this add-on's credentials"),
        "{reason}"
    );
    assert!(!reason.contains("Az2Pmd60"), "{reason}");
    *fake.token_status.lock().unwrap() = None;

    // A body that is not HipChat's.
    let answer = reqwest::Client::new()
        .post(format!("{url}/installable"))
        .body("not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);

    assert!(store.list().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_host_not_allowed_is_refused_before_any_request() {
    let fake = fake_hipchat().await;
    let (_, store, url) = addon(true, &["hipchat.example.com"]).await;
    let (status, reason) = post_install(&url, &install_body(&fake, "h", Some(1))).await;
    assert_eq!(status, 403);
    assert!(reason.contains("127.0.0.1"), "{reason}");
    assert_eq!(fake.capabilities_requests.load(Ordering::SeqCst), 0);
    assert!(store.list().await.unwrap().is_empty());

    // The redirect uninstall's URLs go through the same list.
    let answer = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!(
            "{url}/uninstalled?installable_url={}/x&redirect_url=https://hipchat.example.com/",
            fake.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
}

#[tokio::test]
async fn the_redirect_uninstall_fetches_the_installable_and_redirects() {
    let fake = fake_hipchat().await;
    let (_, store, url) = addon(true, &[]).await;
    post_install(&url, &install_body(&fake, "r-1", Some(3))).await;
    assert!(store.get("r-1").await.unwrap().is_some());
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // Not on the HipChat server it was installed from: neither fetched nor followed.
    let evil = serve(Router::new().route(
        "/installable/r-1",
        get(|| async { axum::Json(json!({"oauthId": "r-1"})) }),
    ))
    .await;
    for (installable, redirect) in [
        (format!("{evil}/installable/r-1"), format!("{evil}/phish")),
        (
            format!("{}/installable/r-1", fake.url),
            format!("{evil}/phish"),
        ),
    ] {
        let answer = no_redirects
            .get(format!(
                "{url}/uninstalled?installable_url={installable}&redirect_url={redirect}"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 403, "{installable} → {redirect}");
    }
    assert!(store.get("r-1").await.unwrap().is_some());

    let answer = no_redirects
        .get(format!(
            "{url}/uninstalled?installable_url={0}/installable/r-1&redirect_url={0}/done",
            fake.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 302);
    assert_eq!(
        answer.headers()["location"].to_str().unwrap(),
        format!("{}/done", fake.url)
    );
    assert!(store.get("r-1").await.unwrap().is_none());

    let missing = reqwest::get(format!("{url}/uninstalled")).await.unwrap();
    assert_eq!(missing.status(), 400);
}

#[tokio::test]
async fn an_installation_cannot_be_taken_over_through_the_install_callback() {
    let fake = fake_hipchat().await;
    let attacker = fake_hipchat().await;
    let (_, store, url) = addon(true, &[]).await;
    post_install(&url, &install_body(&fake, "victim", Some(3))).await;

    // No secret: never the stored one sent anywhere.
    let mut body = install_body(&attacker, "victim", Some(99));
    body.as_object_mut().unwrap().remove("oauthSecret");
    let (status, _) = post_install(&url, &body).await;
    assert_eq!(status, 400);
    // The same oauthId with credentials of another server.
    let (status, reason) = post_install(&url, &install_body(&attacker, "victim", Some(99))).await;
    assert_eq!(status, 403, "{reason}");
    assert!(attacker.token_requests.lock().unwrap().is_empty());
    assert_eq!(attacker.capabilities_requests.load(Ordering::SeqCst), 0);
    let kept = store.get("victim").await.unwrap().unwrap();
    assert_eq!(kept.room_id, Some(3));
    assert!(kept.capabilities_url.as_str().starts_with(&fake.url));
}

#[tokio::test]
async fn signed_requests_are_verified_against_the_installation() {
    let fake = fake_hipchat().await;
    let (_, _, url) = addon(true, &[]).await;
    post_install(&url, &install_body(&fake, "signer", Some(3))).await;
    let secret = SecretString::from("Az2Pmd60x87xujV0BqelH1rMCDSLHogl1qoEBLnv".to_owned());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = |iss: &str| {
        json!({"iss": iss, "sub": "42", "iat": now, "exp": now + 600,
               "context": {"room_id": 3, "user_tz": "Europe/Paris"}})
    };
    let client = reqwest::Client::new();
    let good = hipchat_connect::jwt::sign(&claims("signer"), &secret);
    let answer = client
        .get(format!("{url}/signed"))
        .header("authorization", format!("JWT {good}"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "signer:Some(\"42\")");
    let answer = client
        .get(format!("{url}/signed?signed_request={good}"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);

    let wrong_secret =
        hipchat_connect::jwt::sign(&claims("signer"), &SecretString::from("nope".to_owned()));
    let unknown = hipchat_connect::jwt::sign(&claims("stranger"), &secret);
    let mut refusals = Vec::new();
    for (token, status) in [(wrong_secret, 401), (unknown, 401), ("x.y".to_owned(), 400)] {
        let answer = client
            .get(format!("{url}/signed"))
            .header("authorization", format!("JWT {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), status);
        refusals.push(answer.text().await.unwrap());
    }
    // A wrong signature and an unknown issuer read the same: no oracle for oauthIds.
    assert_eq!(refusals[0], refusals[1]);
    assert_ne!(refusals[1], refusals[2]);
    let answer = client.get(format!("{url}/signed")).send().await.unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.headers()["www-authenticate"], "JWT");

    // Uninstalled: its tokens are refused at once.
    client
        .delete(format!("{url}/installable/signer"))
        .send()
        .await
        .unwrap();
    let answer = client
        .get(format!("{url}/signed"))
        .header("authorization", format!("JWT {good}"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
}

#[tokio::test]
async fn credentials_the_token_endpoint_refuses_mean_a_missed_uninstall() {
    let fake = fake_hipchat().await;
    let (runtime, store, url) = addon(true, &[]).await;
    post_install(&url, &install_body(&fake, "gone", Some(3))).await;
    let installed = runtime.installation("gone").await.unwrap().unwrap();
    *fake.token_status.lock().unwrap() = Some(401);
    let error = installed
        .client()
        .unwrap()
        .room("Ops")
        .get()
        .await
        .unwrap_err();
    assert!(
        matches!(error, hipchat_runtime::Error::Unauthorized(_)),
        "{error:?}"
    );
    assert!(store.get("gone").await.unwrap().is_none(), "removed");
}
