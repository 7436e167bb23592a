//! `PostgresStore` against a real PostgreSQL server at `HIPCHAT_TEST_POSTGRES_URL`
//! (`.ci/run` installs and starts Debian's `postgresql` and sets it): the store's round
//! trip, its migrations run twice and concurrently, and two add-on runtimes sharing one
//! database (an install through one is accepted by the other; an uninstall through one is
//! refused by the other at once). Each test works in its own schema, dropped at the end.
//!
//! Without the variable the tests say loudly that they did not run, and fail under
//! `CI=true`.

#![cfg(feature = "postgres")]

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::{get, post};
use hipchat_connect::descriptor::Scope;
use hipchat_connect::store::{EncryptedStore, SecretKey};
use hipchat_connect::{
    Addon, AddonRuntime, Installation, InstallationStore, PostgresStore, SignedRequest,
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

const SECRET: &str = "Az2Pmd60x87xujV0BqelH1rMCDSLHogl1qoEBLnv";

/// The test database's URL, or `None` (said loudly; a failure under `CI=true`).
fn database_url(test: &str) -> Option<String> {
    match std::env::var("HIPCHAT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let why = format!(
                "postgres_store::{test} DID NOT RUN: HIPCHAT_TEST_POSTGRES_URL is not set \
                 (postgres://user:password@host:port/database; .ci/run starts PostgreSQL and sets it)"
            );
            // Straight to stderr: the test harness would hide eprintln! of a passing test.
            let _ = writeln!(std::io::stderr(), "\n!!!!!!!! {why}\n");
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{why}; under CI=true that is a failure"
            );
            None
        }
    }
}

/// A schema of this test's own, dropped when it ends (even on failure).
struct Schema {
    url: String,
    name: String,
}

impl Schema {
    fn new(url: &str, test: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "t_{test}_{}_{nanos}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        Self {
            url: url.to_owned(),
            name,
        }
    }

    async fn store(&self) -> PostgresStore {
        PostgresStore::connect_in_schema(&self.url, &self.name)
            .await
            .unwrap()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let url = self.url.clone();
        let sql = format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name);
        // A thread of its own: the test's runtime may be shutting down.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(connection);
                client.batch_execute(&sql).await.unwrap();
            });
        })
        .join();
    }
}

fn installation(oauth_id: &str, secret: &str, room: Option<u64>) -> Installation {
    serde_json::from_value(json!({
        "oauth_id": oauth_id,
        "oauth_secret": secret,
        "group_id": 1,
        "group_name": "Acme",
        "room_id": room,
        "capabilities_url": "http://127.0.0.1:1/v2/capabilities",
        "token_url": "http://127.0.0.1:1/v2/oauth/token",
        "api_base": "http://127.0.0.1:1/v2",
        "homepage": null,
    }))
    .unwrap()
}

#[tokio::test]
async fn put_get_replace_delete_list() {
    let Some(url) = database_url("put_get_replace_delete_list") else {
        return;
    };
    let schema = Schema::new(&url, "round_trip");
    let store = schema.store().await;
    assert!(store.get("a").await.unwrap().is_none());
    assert!(store.list().await.unwrap().is_empty());

    store.put(installation("a", SECRET, Some(7))).await.unwrap();
    store.put(installation("b", "other", None)).await.unwrap();
    let a = store.get("a").await.unwrap().unwrap();
    assert_eq!(a.oauth_secret.expose_secret(), SECRET);
    assert_eq!(a.room_id, Some(7));
    assert_eq!(a.group_name.as_deref(), Some("Acme"));
    assert_eq!(a.api_base.as_str(), "http://127.0.0.1:1/v2");

    // put replaces.
    store.put(installation("a", "new", None)).await.unwrap();
    let a = store.get("a").await.unwrap().unwrap();
    assert_eq!((a.oauth_secret.expose_secret(), a.room_id), ("new", None));
    let ids: Vec<_> = store
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.oauth_id)
        .collect();
    assert_eq!(ids, ["a", "b"]);

    assert!(store.delete("a").await.unwrap());
    assert!(!store.delete("a").await.unwrap());
    assert!(store.get("a").await.unwrap().is_none());
    assert_eq!(store.list().await.unwrap().len(), 1);

    // Debug shows neither the password nor the secret.
    let debug = format!("{store:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    if let Ok(parsed) = url::Url::parse(&url)
        && let Some(password) = parsed.password()
    {
        assert!(!debug.contains(&format!(":{password}@")), "{debug}");
    }
}

#[tokio::test]
async fn migrations_run_twice_and_concurrently() {
    let Some(url) = database_url("migrations_run_twice_and_concurrently") else {
        return;
    };
    let schema = Schema::new(&url, "migrations");
    // Several instances starting at once: one migrates, the others wait and find it done.
    let stores = futures_util::future::join_all(
        (0..4).map(|_| PostgresStore::connect_in_schema(&schema.url, &schema.name)),
    )
    .await;
    let stores: Vec<_> = stores.into_iter().map(Result::unwrap).collect();
    stores[0]
        .put(installation("x", SECRET, None))
        .await
        .unwrap();
    // And again, later: the data stays.
    let again = schema.store().await;
    assert_eq!(
        again
            .get("x")
            .await
            .unwrap()
            .unwrap()
            .oauth_secret
            .expose_secret(),
        SECRET
    );
    for store in &stores {
        assert_eq!(store.list().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn encrypted_secrets_are_sealed_in_the_database() {
    let Some(url) = database_url("encrypted_secrets_are_sealed_in_the_database") else {
        return;
    };
    let schema = Schema::new(&url, "encrypted");
    let raw = schema.store().await;
    let sealed = EncryptedStore::new(raw.clone(), SecretKey::from_bytes([7; 32]));
    sealed.put(installation("e", SECRET, None)).await.unwrap();
    let back = sealed.get("e").await.unwrap().unwrap();
    assert_eq!(back.oauth_secret.expose_secret(), SECRET);
    let stored = raw.get("e").await.unwrap().unwrap();
    assert_ne!(stored.oauth_secret.expose_secret(), SECRET);
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_showing_it() {
    let Some(url) = database_url("a_wrong_password_is_refused_without_showing_it") else {
        return;
    };
    let mut wrong = url::Url::parse(&url).unwrap();
    wrong.set_password(Some("not-the-Pa55word")).unwrap();
    let error = PostgresStore::connect(wrong.as_str())
        .await
        .unwrap_err()
        .to_string();
    assert!(!error.contains("not-the-Pa55word"), "{error}");
    assert!(error.contains("***"), "{error}");
}

/// A fake HipChat on 127.0.0.1 (capabilities and token endpoint) to install from: its URL.
async fn fake_hipchat() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let base = url.clone();
    let router = Router::new()
        .route(
            "/v2/capabilities",
            get(move || async move {
                axum::Json(json!({
                    "links": {"self": format!("{base}/v2/capabilities"), "api": format!("{base}/v2/")},
                    "capabilities": {
                        "oauth2Provider": {"tokenUrl": format!("{base}/v2/oauth/token")},
                        "hipchatApiProvider": {"url": format!("{base}/v2/")}
                    }
                }))
            }),
        )
        .route(
            "/v2/oauth/token",
            post(|| async {
                axum::Json(json!({
                    "access_token": "addon-token", "expires_in": 3599, "group_id": 1,
                    "group_name": "Acme", "scope": "send_notification", "token_type": "bearer"
                }))
            }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

/// One add-on instance on its own port with its own connection to the database: its URL.
async fn instance(store: PostgresStore) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let addon = Addon::builder("deploy-bot", "Deploy bot", &url)
        .scopes([Scope::SendNotification])
        .allow_global(true)
        .build()
        .unwrap();
    let runtime = AddonRuntime::builder(addon, store).build().unwrap();
    let router = Router::new()
        .route(
            "/signed",
            get(|signed: SignedRequest| async move { signed.installation.oauth_id }),
        )
        .with_state(runtime.clone())
        .merge(runtime.router());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

#[tokio::test]
async fn two_instances_share_installs_and_uninstalls() {
    let Some(url) = database_url("two_instances_share_installs_and_uninstalls") else {
        return;
    };
    let schema = Schema::new(&url, "two_instances");
    let store_a = schema.store().await;
    let a = instance(store_a.clone()).await;
    let store_b = schema.store().await;
    let b = instance(store_b.clone()).await;

    // Installed through A (HipChat posts the installation to A's installed path).
    let hipchat = fake_hipchat().await;
    let client = reqwest::Client::new();
    let answer = client
        .post(format!("{a}/installable"))
        .json(&json!({
            "capabilitiesUrl": format!("{hipchat}/v2/capabilities"),
            "oauthId": "shared",
            "oauthSecret": SECRET,
            "groupId": 1,
            "roomId": 3,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
    let stored = store_b.get("shared").await.unwrap().unwrap();
    assert_eq!(stored.room_id, Some(3));

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({"iss": "shared", "sub": "42", "iat": now, "exp": now + 600,
                        "context": {"room_id": 3}});
    let token = hipchat_connect::jwt::sign(&claims, &SecretString::from(SECRET.to_owned()));
    let signed_to_b = || {
        client
            .get(format!("{b}/signed"))
            .header("authorization", format!("JWT {token}"))
            .send()
    };
    let answer = signed_to_b().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "shared");

    // Uninstalled through A: B refuses the same token (no cache to go stale).
    let answer = client
        .delete(format!("{a}/installable/shared"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 204);
    let uninstalled = Instant::now();
    let answer = signed_to_b().await.unwrap();
    assert_eq!(answer.status(), 401);
    assert!(uninstalled.elapsed() < Duration::from_secs(1));
    assert!(store_b.get("shared").await.unwrap().is_none());
}
