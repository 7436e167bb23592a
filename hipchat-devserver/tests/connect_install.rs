//! Installing, updating and uninstalling Connect add-ons (spec hipchat-connect §2), the
//! capabilities document, against a tiny add-on on 127.0.0.1 (`common::addon`).

mod common;

use common::addon::{FakeAddon, descriptor, install};
use common::{call, get_json, server};
use reqwest::Method;
use serde_json::{Value, json};

fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| bytes[i] == b'-')
        && bytes[14] == b'4'
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| [8, 13, 18, 23].contains(&i) || b.is_ascii_hexdigit())
}

fn keys(body: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn capabilities_are_the_recorded_document_with_this_servers_urls() {
    let (server, _clock) = server().await;
    let got = get_json(&server, "/v2/capabilities").await;
    let recorded = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hipchat-connect/hipchat-server-capabilities.json"
    ))
    .unwrap();
    let expected: Value = serde_json::from_str(
        &recorded
            .replace("https://api.hipchat.com", server.url())
            .replace("https://www.hipchat.com", &format!("{}/", server.url()))
            .replace(
                &format!("{}//", server.url()),
                &format!("{}/", server.url()),
            ),
    )
    .unwrap();
    assert_eq!(got, expected);
    assert_eq!(got["links"]["self"], json!(server.capabilities_url()));
    assert_eq!(got["links"]["api"], json!(format!("{}/v2", server.url())));
    assert_eq!(
        got["capabilities"]["hipchatApiProvider"]["url"],
        json!(format!("{}/v2/", server.url()))
    );
    assert_eq!(
        got["capabilities"]["oauth2Provider"]["tokenUrl"],
        json!(format!("{}/v2/oauth/token", server.url()))
    );
}

#[tokio::test]
async fn a_room_install_posts_the_documented_body_and_the_add_on_can_prove_it() {
    let (server, _clock) = server().await;
    let addon = FakeAddon::start().await;
    let installed = server
        .install_addon(&addon.descriptor_url(), Some("Ops"))
        .await
        .unwrap();
    assert_eq!(installed.key, "test-addon");
    let room = installed.room.clone().unwrap();
    assert_eq!(room.name, "Ops");
    assert_eq!(installed.scopes, ["send_notification", "view_room"]);

    let seen = addon.seen();
    assert_eq!(seen.installs.len(), 1);
    let body = &seen.installs[0];
    assert_eq!(
        keys(body),
        [
            "capabilitiesUrl",
            "groupId",
            "oauthId",
            "oauthSecret",
            "roomId"
        ]
    );
    let oauth_id = body["oauthId"].as_str().unwrap();
    assert!(is_uuid_v4(oauth_id), "{oauth_id}");
    assert_eq!(oauth_id, installed.oauth_id);
    let secret = body["oauthSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 40);
    assert!(secret.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(body["groupId"].is_u64());
    assert_eq!(body["roomId"], json!(room.id));
    let links_self = get_json(&server, "/v2/capabilities").await["links"]["self"].clone();
    assert_eq!(body["capabilitiesUrl"], links_self);
    // While handling the POST, the add-on read the capabilities and got a token.
    assert_eq!(seen.proofs, [(links_self, 200)]);
    // The secret is never shown.
    let listed = call(&server, Method::GET, "/admin/addons", None).await;
    assert!(!listed.text.contains(secret));
    assert_eq!(listed.body[0]["oauthId"], json!(oauth_id));
    assert_eq!(listed.body[0]["room"]["name"], "Ops");
}

#[tokio::test]
async fn a_global_install_through_the_admin_api_has_no_room_id() {
    let (server, _clock) = server().await;
    let addon = FakeAddon::start().await;
    let answer = call(
        &server,
        Method::POST,
        "/admin/addons",
        Some(&json!({"descriptor_url": addon.descriptor_url()})),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_eq!(answer.body["room"], Value::Null);
    assert_eq!(answer.body["key"], "test-addon");
    assert!(answer.body.get("oauthSecret").is_none());
    let body = &addon.seen().installs[0];
    assert_eq!(
        keys(body),
        ["capabilitiesUrl", "groupId", "oauthId", "oauthSecret"]
    );
    // The admin request's Host made the capabilities URL, as it makes links.self.
    assert_eq!(body["capabilitiesUrl"], json!(server.capabilities_url()));
    let listed = call(&server, Method::GET, "/admin/addons", None).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert_eq!(
        listed.body[0]["scopes"],
        json!(["send_notification", "view_room"])
    );
    assert!(listed.body[0]["installed"].is_string());
}

#[tokio::test]
async fn descriptors_breaking_the_schema_or_the_install_kind_are_refused() {
    let (server, _clock) = server().await;
    let addon = FakeAddon::start().await;
    let install = |room: Option<&'static str>| {
        let body = match room {
            Some(room) => json!({"descriptor_url": addon.descriptor_url(), "room": room}),
            None => json!({"descriptor_url": addon.descriptor_url()}),
        };
        let server = &server;
        async move { call(server, Method::POST, "/admin/addons", Some(&body)).await }
    };

    let mut missing_key = descriptor(&addon.base, true, true, false);
    missing_key.as_object_mut().unwrap().remove("key");
    addon.set_descriptor(missing_key);
    let answer = install(Some("Ops")).await;
    assert_eq!(answer.status, 400);
    assert!(
        answer.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/key"),
        "{}",
        answer.text
    );

    let mut bad_glance = descriptor(&addon.base, true, true, false);
    bad_glance["capabilities"]["glance"] = json!([{
        "key": "not a key!",
        "name": {"value": "G"},
        "icon": {"url": "https://a.example/i.png", "url@2x": "https://a.example/i.png"}
    }]);
    addon.set_descriptor(bad_glance);
    let answer = install(None).await;
    assert_eq!(answer.status, 400);
    assert!(
        answer.text.contains("/capabilities/glance/0/key"),
        "{}",
        answer.text
    );
    assert!(answer.text.contains("pattern"), "{}", answer.text);

    let mut extra_vendor_key = descriptor(&addon.base, true, true, false);
    extra_vendor_key["vendor"]["phone"] = json!("555");
    addon.set_descriptor(extra_vendor_key);
    let answer = install(None).await;
    assert_eq!(answer.status, 400);
    assert!(answer.text.contains("/vendor/phone"), "{}", answer.text);

    addon.set_descriptor(descriptor(&addon.base, false, true, false));
    let answer = install(Some("Ops")).await;
    assert_eq!(answer.status, 400);
    assert!(answer.text.contains("allowRoom"), "{}", answer.text);
    assert_eq!(install(None).await.status, 201);

    addon.set_descriptor(descriptor(&addon.base, true, false, false));
    let answer = install(None).await;
    assert_eq!(answer.status, 400);
    assert!(answer.text.contains("allowGlobal"), "{}", answer.text);
    assert_eq!(install(Some("Ops")).await.status, 201);

    // Only the two accepted installs reached the add-on.
    assert_eq!(addon.seen().installs.len(), 2);
    let missing = call(
        &server,
        Method::POST,
        "/admin/addons",
        Some(&json!({"descriptor_url": "http://127.0.0.1:9/nothing"})),
    )
    .await;
    assert_eq!(missing.status, 502);
}

#[tokio::test]
async fn an_add_on_refusing_the_install_leaves_no_credentials() {
    let (server, _clock) = server().await;
    let addon = FakeAddon::start().await;
    addon.set_install_status(500);
    let answer = call(
        &server,
        Method::POST,
        "/admin/addons",
        Some(&json!({"descriptor_url": addon.descriptor_url(), "room": "Ops"})),
    )
    .await;
    assert_eq!(answer.status, 502);
    let message = answer.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("500"), "{message}");
    assert!(message.contains("install refused: xxx"), "{message}");
    assert!(
        message.len() < 300,
        "only the first 200 characters: {message}"
    );
    assert!(server.addons().is_empty());
    // The credentials worked during the POST (the add-on got a token) and are gone now.
    let seen = addon.seen();
    assert_eq!(seen.proofs[0].1, 200);
    let body = &seen.installs[0];
    let token = common::client()
        .post(format!("{}/v2/oauth/token", server.url()))
        .basic_auth(
            body["oauthId"].as_str().unwrap(),
            body["oauthSecret"].as_str(),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 401);
    let error = server.install_addon(&addon.descriptor_url(), None).await;
    assert!(error.unwrap_err().starts_with("502: "));
}

#[tokio::test]
async fn uninstall_tells_the_add_on_and_offers_the_installable_once() {
    let (server, _clock) = server().await;
    let (installed, _secret, addon) = install(&server, Some("Ops")).await;
    let path = format!("/admin/addons/{}", installed.oauth_id);
    let answer = call(&server, Method::DELETE, &path, None).await;
    assert_eq!(answer.status, 204);
    assert_eq!(
        addon.seen().uninstalls,
        std::slice::from_ref(&installed.oauth_id)
    );
    assert!(server.addons().is_empty());
    assert_eq!(call(&server, Method::DELETE, &path, None).await.status, 404);

    let installable = call(&server, Method::GET, &format!("{path}/installable"), None).await;
    assert_eq!(installable.status, 200);
    assert_eq!(
        keys(&installable.body),
        ["capabilitiesUrl", "groupId", "oauthId", "roomId"]
    );
    assert_eq!(installable.body["oauthId"], json!(installed.oauth_id));
    let again = call(&server, Method::GET, &format!("{path}/installable"), None).await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn installing_again_into_the_same_room_replaces_the_installation() {
    let (server, _clock) = server().await;
    let addon = FakeAddon::start().await;
    let first = server
        .install_addon(&addon.descriptor_url(), Some("Ops"))
        .await
        .unwrap();
    let global = server
        .install_addon(&addon.descriptor_url(), None)
        .await
        .unwrap();
    let second = server
        .install_addon(&addon.descriptor_url(), Some("Ops"))
        .await
        .unwrap();
    assert_ne!(first.oauth_id, second.oauth_id);
    assert_eq!(
        addon.seen().uninstalls,
        std::slice::from_ref(&first.oauth_id)
    );
    let ids: Vec<String> = server.addons().into_iter().map(|a| a.oauth_id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&global.oauth_id) && ids.contains(&second.oauth_id));
    let installs = addon.seen().installs;
    assert_ne!(installs[0]["oauthSecret"], installs[2]["oauthSecret"]);
}

#[tokio::test]
async fn update_posts_to_the_update_url_or_sends_a_fresh_install_body() {
    let (server, _clock) = server().await;
    let (installed, _secret, addon) = install(&server, Some("Ops")).await;
    // Without updateCallbackUrl: the install body again, same credentials.
    let path = format!("/admin/addons/{}/update", installed.oauth_id);
    let answer = call(&server, Method::POST, &path, None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let installs = addon.seen().installs;
    assert_eq!(installs.len(), 2);
    assert_eq!(installs[0], installs[1]);

    // With it: {capabilitiesUrl, oauthId, roomId}, and the new descriptor counts.
    let mut updated = descriptor(&addon.base, true, true, true);
    updated["capabilities"]["hipchatApiConsumer"]["scopes"] = json!(["send_notification"]);
    addon.set_descriptor(updated);
    let after = server.update_addon(&installed.oauth_id).await.unwrap();
    assert_eq!(after.scopes, ["send_notification"]);
    let updates = addon.seen().updates;
    assert_eq!(updates.len(), 1);
    assert_eq!(keys(&updates[0]), ["capabilitiesUrl", "oauthId", "roomId"]);
    assert_eq!(updates[0]["oauthId"], json!(installed.oauth_id));
    assert_eq!(
        updates[0]["capabilitiesUrl"],
        json!(server.capabilities_url())
    );
    assert!(
        server
            .update_addon("nope")
            .await
            .unwrap_err()
            .starts_with("404")
    );
}
