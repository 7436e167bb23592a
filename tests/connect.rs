//! A Connect add-on end to end against the local HipChat server, over real HTTP: the
//! server installs the add-on from its descriptor URL, the add-on proves its
//! credentials and stores the installation, sends as the installation, verifies what the
//! server signs, and loses all of it at uninstall.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use hipchat::connect::descriptor::Scope;
use hipchat::connect::{
    Addon, AddonRuntime, InstallationStore, MemoryStore, SignedRequest, SqliteStore,
};
use hipchat::rest::client_credentials_token;
use hipchat::{Error, Message};
use hipchat_devserver::DevServer;

/// The add-on, served on 127.0.0.1 with `store`, greeting rooms it is installed in.
async fn serve_addon(
    store: impl InstallationStore,
    configure: impl FnOnce(hipchat::connect::AddonBuilder) -> hipchat::connect::AddonBuilder,
) -> AddonRuntime {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let addon = configure(
        Addon::builder("deploy-bot", "Deploy bot", &base_url)
            .scopes([Scope::SendNotification, Scope::ViewRoom]),
    )
    .build()
    .unwrap();
    let runtime = AddonRuntime::builder(addon, store)
        .on_install(|installed| async move {
            if installed.installation().room_id.is_some() {
                let notifier = installed.notifier().unwrap();
                notifier
                    .send(Message::new("Deploy bot installed"))
                    .await
                    .unwrap();
            }
        })
        .build()
        .unwrap();
    let app = Router::new()
        .route(
            "/whoami",
            get(|signed: SignedRequest| async move {
                format!("{:?} {:?}", signed.claims.user, signed.claims.room)
            }),
        )
        .with_state(runtime.clone())
        .merge(runtime.router());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    runtime
}

/// Waits (bounded) until `room` has `count` messages.
async fn messages_in(server: &DevServer, room: &str, count: usize) -> Vec<String> {
    for _ in 0..200 {
        let messages = server.messages(room);
        if messages.len() >= count {
            return messages.into_iter().map(|m| m.message).collect();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "room {room} did not get {count} messages: {:?}",
        server.messages(room)
    );
}

#[tokio::test]
async fn a_room_install_greets_the_room_as_the_add_on_and_uninstall_takes_it_all_back() {
    let server = DevServer::start().await.unwrap();
    let store = Arc::new(MemoryStore::new());
    let runtime = serve_addon(Arc::clone(&store), |addon| addon).await;
    let descriptor = runtime.addon().descriptor_url();

    let installed = server
        .install_addon(descriptor.as_str(), Some("Ops"))
        .await
        .unwrap();
    let stored = store.get(&installed.oauth_id).await.unwrap().unwrap();
    assert!(stored.room_id.is_some());
    assert_eq!(
        messages_in(&server, "Ops", 1).await,
        ["Deploy bot installed"]
    );
    let history = server.room_history("Ops");
    assert_eq!(
        history[0]["notification_sender"]["id"], "deploy-bot",
        "sent as the add-on: {history:?}"
    );

    // Through a queued backend too: pacing and retries around the same backend.
    let installed_again = runtime
        .installation(&installed.oauth_id)
        .await
        .unwrap()
        .unwrap();
    let queued = hipchat::backend::QueuedBackend::new(installed_again.backend().unwrap());
    let notifier = hipchat::Notifier::with_backend(installed_again.settings(), queued).unwrap();
    notifier
        .send(Message::new("Queued as the add-on"))
        .await
        .unwrap();
    let report = notifier.flush().await;
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(
        messages_in(&server, "Ops", 2).await[1],
        "Queued as the add-on"
    );

    // The installation's REST client works with its add-on token.
    let installation = runtime
        .installation(&installed.oauth_id)
        .await
        .unwrap()
        .unwrap();
    let room = installation
        .client()
        .unwrap()
        .room("Ops")
        .get()
        .await
        .unwrap();
    assert_eq!(room.name, "Ops");

    // A request the server signs for the installation is accepted.
    let room_id = stored.room_id;
    let jwt = server.addon_jwt(&installed.oauth_id, 1, room_id).unwrap();
    let whoami = format!(
        "{}/whoami",
        runtime.addon().base_url().as_str().trim_end_matches('/')
    );
    let answer = reqwest::Client::new()
        .get(&whoami)
        .header("authorization", format!("JWT {jwt}"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.text().await.unwrap(),
        format!("Some(\"1\") {room_id:?}")
    );

    server.uninstall_addon(&installed.oauth_id).await.unwrap();
    assert!(store.get(&installed.oauth_id).await.unwrap().is_none());
    // The old credentials get 401 at the token endpoint ...
    let error = client_credentials_token(
        &reqwest::Client::new(),
        &stored.token_url,
        &stored.oauth_id,
        &stored.oauth_secret,
        &["send_notification".to_owned()],
    )
    .await
    .unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    // ... and a request signed with the old secret is refused by the add-on.
    let answer = reqwest::Client::new()
        .get(&whoami)
        .header("authorization", format!("JWT {jwt}"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
}

#[tokio::test]
async fn a_global_install_and_a_reinstall_that_replaces() {
    let server = DevServer::start().await.unwrap();
    let store = Arc::new(MemoryStore::new());
    let runtime = serve_addon(Arc::clone(&store), |addon| addon).await;
    let descriptor = runtime.addon().descriptor_url();
    let global = server
        .install_addon(descriptor.as_str(), None)
        .await
        .unwrap();
    let stored = store.get(&global.oauth_id).await.unwrap().unwrap();
    assert_eq!(stored.room_id, None);
    let first = server
        .install_addon(descriptor.as_str(), Some("Ops"))
        .await
        .unwrap();
    let again = server
        .install_addon(descriptor.as_str(), Some("Ops"))
        .await
        .unwrap();
    assert_ne!(first.oauth_id, again.oauth_id);
    let installations = store.list().await.unwrap();
    let ids: Vec<&str> = installations.iter().map(|i| i.oauth_id.as_str()).collect();
    assert!(ids.contains(&again.oauth_id.as_str()));
    assert!(
        !ids.contains(&first.oauth_id.as_str()),
        "the room's old installation was removed"
    );
}

#[tokio::test]
async fn refused_installs_store_nothing() {
    let server = DevServer::start().await.unwrap();

    // Install kind not allowed: the server refuses a global install of a room-only add-on
    // before asking; an add-on that allows it but refuses the host answers 403.
    let store = Arc::new(MemoryStore::new());
    let room_only = serve_addon(Arc::clone(&store), |addon| addon.allow_global(false)).await;
    let error = server
        .install_addon(room_only.addon().descriptor_url().as_str(), None)
        .await
        .unwrap_err();
    assert!(error.contains("allowGlobal"), "{error}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let addon = Addon::builder("picky-bot", "Picky bot", &base_url)
        .scopes([Scope::SendNotification])
        .build()
        .unwrap();
    let picky_store = Arc::new(MemoryStore::new());
    let picky = AddonRuntime::builder(addon, Arc::clone(&picky_store))
        .allow_hosts(["hipchat.example.com"])
        .build()
        .unwrap();
    let app = picky.router();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let error = server
        .install_addon(picky.addon().descriptor_url().as_str(), Some("Ops"))
        .await
        .unwrap_err();
    assert!(
        error.contains("403") && error.contains("hipchat.example.com"),
        "{error}"
    );

    assert!(store.list().await.unwrap().is_empty());
    assert!(picky_store.list().await.unwrap().is_empty());
    assert!(
        server.addons().is_empty(),
        "the server dropped the credentials"
    );
}

#[tokio::test]
async fn a_restart_with_the_same_sqlite_file_keeps_the_installations() {
    let server = DevServer::start().await.unwrap();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("deploy-bot.db");
    let runtime = serve_addon(SqliteStore::open(&path).unwrap(), |addon| addon).await;
    let installed = server
        .install_addon(runtime.addon().descriptor_url().as_str(), Some("Ops"))
        .await
        .unwrap();
    drop(runtime);
    let reopened = SqliteStore::open(&path).unwrap();
    let kept = reopened.get(&installed.oauth_id).await.unwrap().unwrap();
    assert!(kept.room_id.is_some());
    // And it still works: a token for it.
    let token = client_credentials_token(
        &reqwest::Client::new(),
        &kept.token_url,
        &kept.oauth_id,
        &kept.oauth_secret,
        &["send_notification".to_owned()],
    )
    .await
    .unwrap();
    assert!(token.expires_in.is_some());
}
