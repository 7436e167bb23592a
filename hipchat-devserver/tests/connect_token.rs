//! The token endpoint for add-ons (spec hipchat-connect §3) and the issued tokens on the
//! REST API: caller kind, room binding, scopes, expiry on the test clock, revocation.

mod common;

use std::time::Duration;

use common::addon::install;
use common::{client, rest, server};
use hipchat_devserver::DevServer;
use reqwest::Method;
use serde_json::{Value, json};

const INVALID_SESSION: &str =
    r#"{"error":{"code":401,"message":"Invalid OAuth session","type":"Unauthorized"}}"#;

async fn token_form(
    server: &DevServer,
    id: &str,
    secret: &str,
    form: &[(&str, &str)],
) -> common::Answer {
    common::send(
        client()
            .post(format!("{}/v2/oauth/token", server.url()))
            .basic_auth(id, Some(secret))
            .form(form),
    )
    .await
}

/// The client_credentials grant without `scope`.
const GRANT: [(&str, &str); 1] = [("grant_type", "client_credentials")];

/// POSTs a notification to `room` with `token`.
async fn notify_as(server: &DevServer, room: &str, token: &str) -> common::Answer {
    rest(
        server,
        Method::POST,
        &format!("/v2/room/{room}/notification"),
        token,
        Some(&json!({"message": "from the add-on"})),
    )
    .await
}

async fn issue(server: &DevServer, id: &str, secret: &str, scope: &str) -> String {
    let answer = token_form(
        server,
        id,
        secret,
        &[("grant_type", "client_credentials"), ("scope", scope)],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_token_endpoint_answers_the_recorded_shape() {
    let (server, _clock) = server().await;
    let (installed, secret, _addon) = install(&server, Some("Ops")).await;
    let answer = token_form(
        &server,
        &installed.oauth_id,
        &secret,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "send_notification view_room"),
        ],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = answer.body.as_object().unwrap();
    let mut keys: Vec<&String> = body.keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "group_id",
            "group_name",
            "scope",
            "token_type"
        ]
    );
    assert_eq!(answer.body["expires_in"], 3599);
    assert_eq!(answer.body["token_type"], "bearer");
    assert_eq!(answer.body["scope"], "send_notification view_room");
    assert!(answer.body["group_id"].is_u64());
    assert!(answer.body["group_name"].is_string());

    // A JSON body, as ac-node sent it, and `+` between scopes.
    let json_answer = common::send(
        client()
            .post(format!("{}/v2/oauth/token", server.url()))
            .basic_auth(&installed.oauth_id, Some(&secret))
            .json(&json!({"grant_type": "client_credentials", "scope": "view_room+send_notification"})),
    )
    .await;
    assert_eq!(json_answer.status, 200, "{}", json_answer.text);
    assert_eq!(json_answer.body["scope"], "view_room send_notification");
    // The raw form with a literal `+` (form-decoded to a space) works too.
    let raw = common::send(
        client()
            .post(format!("{}/v2/oauth/token", server.url()))
            .basic_auth(&installed.oauth_id, Some(&secret))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials&scope=send_notification+view_room"),
    )
    .await;
    assert_eq!(raw.body["scope"], "send_notification view_room");
}

#[tokio::test]
async fn the_token_endpoint_refuses_bad_clients_scopes_and_grants() {
    let (server, _clock) = server().await;
    let (installed, secret, _addon) = install(&server, Some("Ops")).await;
    for (id, secret) in [
        (installed.oauth_id.as_str(), "wrong"),
        ("unknown-client", secret.as_str()),
    ] {
        let answer = token_form(&server, id, secret, &GRANT).await;
        assert_eq!(answer.status, 401);
        assert_eq!(answer.text, INVALID_SESSION);
    }
    let no_basic = common::send(
        client()
            .post(format!("{}/v2/oauth/token", server.url()))
            .form(&GRANT),
    )
    .await;
    assert_eq!(no_basic.status, 401);

    let outside = token_form(
        &server,
        &installed.oauth_id,
        &secret,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "send_notification admin_group"),
        ],
    )
    .await;
    assert_eq!(outside.status, 400);
    assert!(outside.text.contains("admin_group"), "{}", outside.text);
    let wrong_grant = token_form(
        &server,
        &installed.oauth_id,
        &secret,
        &[("grant_type", "password")],
    )
    .await;
    assert_eq!(wrong_grant.status, 400);
    // No scope: every scope of the descriptor.
    let all = token_form(&server, &installed.oauth_id, &secret, &GRANT).await;
    assert_eq!(all.body["scope"], "send_notification view_room");
}

#[tokio::test]
async fn a_room_install_token_notifies_its_room_only_with_its_scopes() {
    let (server, _clock) = server().await;
    let (installed, secret, _addon) = install(&server, Some("Ops")).await;
    let token = issue(&server, &installed.oauth_id, &secret, "send_notification").await;
    let sent = notify_as(&server, "Ops", &token).await;
    assert_eq!(sent.status, 204, "{}", sent.text);
    let history = server.room_history("Ops");
    let item = history.last().unwrap();
    assert_eq!(
        item["notification_sender"],
        json!({"client_id": installed.oauth_id, "id": "test-addon", "type": "addon"})
    );
    assert_eq!(item["from"], "Tester");

    // Another room: 403 (room-bound), even though permissive mode creates rooms.
    let elsewhere = notify_as(&server, "Elsewhere", &token).await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.text);

    // Only the granted scopes: view_room was not asked for.
    let viewing = rest(&server, Method::GET, "/v2/room/Ops", &token, None).await;
    assert_eq!(viewing.status, 403);
    assert_eq!(
        viewing.body["error"]["message"],
        "This action requires one of the following scopes: [u'view_group', u'view_room']"
    );
    let view_token = issue(&server, &installed.oauth_id, &secret, "view_room").await;
    let refused = notify_as(&server, "Ops", &view_token).await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        rest(&server, Method::GET, "/v2/room/Ops", &view_token, None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_global_install_token_is_a_group_caller() {
    let (server, _clock) = server().await;
    let (installed, secret, _addon) = install(&server, None).await;
    let token = issue(
        &server,
        &installed.oauth_id,
        &secret,
        "send_notification view_room",
    )
    .await;
    for room in ["Ops", "Dev"] {
        let sent = notify_as(&server, room, &token).await;
        assert_eq!(sent.status, 204, "{}", sent.text);
    }
    // A user-only endpoint refuses group tokens.
    let reply = rest(
        &server,
        Method::POST,
        "/v2/room/Ops/reply",
        &token,
        Some(&json!({"message": "re", "parentMessageId": "x"})),
    )
    .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
}

#[tokio::test]
async fn tokens_expire_by_the_server_clock() {
    let (server, clock) = server().await;
    let (installed, secret, _addon) = install(&server, Some("Ops")).await;
    let token = issue(&server, &installed.oauth_id, &secret, "view_room").await;
    let path = "/v2/room/Ops";
    clock.advance(Duration::from_secs(3598));
    assert_eq!(
        rest(&server, Method::GET, path, &token, None).await.status,
        200
    );
    clock.advance(Duration::from_secs(1));
    let expired = rest(&server, Method::GET, path, &token, None).await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.text, INVALID_SESSION);

    server.set_token_lifetime(Duration::from_secs(10));
    let answer = token_form(&server, &installed.oauth_id, &secret, &GRANT).await;
    assert_eq!(answer.body["expires_in"], 10);
    let short = answer.body["access_token"].as_str().unwrap();
    clock.advance(Duration::from_secs(10));
    assert_eq!(
        rest(&server, Method::GET, path, short, None).await.status,
        401
    );

    // The admin API sets it too.
    let set = common::put_json(
        &server,
        "/admin/addons/token-lifetime",
        &json!({"seconds": 60}),
    )
    .await;
    assert_eq!(set.status, 200);
    let got: Value = common::get_json(&server, "/admin/addons/token-lifetime").await;
    assert_eq!(got, json!({"seconds": 60}));
}

#[tokio::test]
async fn the_builder_sets_the_token_lifetime() {
    let server = DevServer::builder()
        .token_lifetime(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let (installed, secret, _addon) = install(&server, None).await;
    let answer = token_form(&server, &installed.oauth_id, &secret, &GRANT).await;
    assert_eq!(answer.body["expires_in"], 30);
}

#[tokio::test]
async fn uninstall_revokes_credentials_and_tokens_at_once() {
    let (server, _clock) = server().await;
    let (installed, secret, addon) = install(&server, Some("Ops")).await;
    let token = issue(&server, &installed.oauth_id, &secret, "send_notification").await;
    server.uninstall_addon(&installed.oauth_id).await.unwrap();
    assert_eq!(
        addon.seen().uninstalls,
        std::slice::from_ref(&installed.oauth_id)
    );
    let sent = notify_as(&server, "Ops", &token).await;
    assert_eq!(
        sent.status, 401,
        "permissive mode takes other tokens, not revoked ones"
    );
    assert_eq!(sent.text, INVALID_SESSION);
    let again = token_form(&server, &installed.oauth_id, &secret, &GRANT).await;
    assert_eq!(again.status, 401);
    assert_eq!(again.text, INVALID_SESSION);
    // Other tokens still work in permissive mode.
    let other = notify_as(&server, "Ops", "any-token").await;
    assert_eq!(other.status, 204);
}

#[tokio::test]
async fn add_on_tokens_work_in_strict_mode() {
    let server = common::strict_server(
        r#"
strict = true
[[rooms]]
id = 1
name = "Ops"
"#,
    )
    .await;
    let (installed, secret, _addon) = install(&server, Some("Ops")).await;
    let token = issue(&server, &installed.oauth_id, &secret, "send_notification").await;
    let sent = notify_as(&server, "1", &token).await;
    assert_eq!(sent.status, 204, "{}", sent.text);
    let unknown = server
        .install_addon("http://127.0.0.1:9/x", Some("Nope"))
        .await;
    assert!(unknown.unwrap_err().starts_with("404"));
}

#[test]
fn the_signed_jwt_is_for_the_installation() {
    // `DevServer::addon_jwt` is checked end to end here; the claims in the unit test.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (server, _clock) = server().await;
        let (installed, _secret, _addon) = install(&server, Some("Ops")).await;
        let jwt = server.addon_jwt(&installed.oauth_id, 1, Some(1)).unwrap();
        assert_eq!(jwt.split('.').count(), 3);
        assert!(server.addon_jwt("unknown", 1, None).is_none());
    });
}

#[tokio::test]
async fn an_issued_token_has_a_session_and_can_be_deleted() {
    let (server, _clock) = server().await;
    let (installed, secret, _addon) = install(&server, Some("Ops")).await;
    let token = issue(&server, &installed.oauth_id, &secret, "view_room").await;
    let path = format!("/v2/oauth/token/{token}");
    let session = rest(&server, Method::GET, &path, &token, None).await;
    assert_eq!(session.status, 200, "{}", session.text);
    assert_eq!(session.body["scopes"], json!(["view_room"]));
    assert_eq!(session.body["client"]["name"], "Test Add-on");
    assert_eq!(
        session.body["client"]["allowed_scopes"],
        json!(["send_notification", "view_room"])
    );
    assert_eq!(session.body["client"]["room"]["name"], "Ops");
    let deleted = rest(&server, Method::DELETE, &path, &token, None).await;
    assert_eq!(deleted.status, 204);
    let after = rest(&server, Method::GET, "/v2/room/Ops", &token, None).await;
    assert_eq!(after.status, 401);
}
