//! The REST client against the local HipChat server: users, private chat history,
//! emoticons, the group, OAuth sessions, add-on glances and links, capabilities and
//! files, over real HTTP. Requests byte by byte are checked in hipchat-runtime's
//! `tests/rest_client.rs`; here the client and an independent server meet.

use futures_util::TryStreamExt;
use hipchat::rest::model::{EmoticonType, HistoryItemType, Sender};
use hipchat::rest::{GlanceScope, GlanceUpdate, PhotoSize, UserUpdate};
use hipchat::{Client, Error};
use hipchat_devserver::DevServer;
use hipchat_devserver::config::Config;
use secrecy::SecretString;
use serde_json::json;

async fn server() -> (DevServer, Client) {
    let server = DevServer::start().await.unwrap();
    let client = Client::new(server.url(), "dev").unwrap();
    (server, client)
}

#[tokio::test]
async fn users_are_created_listed_viewed_updated_and_deleted() {
    let (server, client) = server().await;
    let created = client
        .users()
        .create("Ada Lovelace", "ada@example.com")
        .mention_name("ada")
        .title("Engineer")
        .timezone("Europe/London")
        .await
        .unwrap()
        .expect("201 with the new id");
    let password = created.password.as_ref().expect("a generated password");
    assert!(!password.expose_secret().is_empty());
    assert!(!format!("{created:?}").contains(password.expose_secret()));

    for reference in [
        created.id.to_string(),
        "@ada".into(),
        "ada@example.com".into(),
    ] {
        let user = client.user(reference.as_str()).get().await.unwrap();
        assert_eq!(user.id, created.id, "{reference}");
        assert_eq!(user.mention_name, "ada");
        assert_eq!(user.email.as_deref(), Some("ada@example.com"));
        assert_eq!(user.title, "Engineer");
        assert_eq!(user.timezone, "Europe/London");
        assert!(!user.is_deleted);
        let self_link = user
            .links
            .as_ref()
            .and_then(|l| l.self_url.as_deref())
            .unwrap();
        assert!(self_link.starts_with(server.url()), "{self_link}");
    }

    let user = client.user("@ada").get().await.unwrap();
    client
        .user("@ada")
        .update(UserUpdate::from(&user).title("Countess").name("Ada King"))
        .await
        .unwrap();
    let updated = client.user("@ada").get().await.unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.title.as_str()),
        ("Ada King", "Countess")
    );

    // Two per page: the owner and Ada, then Grace alone; every user once.
    client
        .users()
        .create("Grace Hopper", "grace@example.com")
        .await
        .unwrap();
    let pages: Vec<_> = client
        .users()
        .list()
        .max_results(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [2, 1]
    );
    let names: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.items)
        .map(|u| u.name)
        .collect();
    assert_eq!(names.len(), 3);
    assert!(names.contains(&"Ada King".to_owned()), "{names:?}");

    assert!(
        client
            .user("@ada")
            .photo(PhotoSize::Small)
            .await
            .unwrap()
            .is_some()
    );
    client.user("@ada").set_photo("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==").await.unwrap();
    client.user("@ada").delete_photo().await.unwrap();
    let rooms = client.user("@dev").auto_join_rooms().await.unwrap();
    assert!(rooms.items.is_empty());

    client.user("@ada").delete().await.unwrap();
    let error = client.user("@ada").get().await.unwrap_err();
    assert!(
        matches!(error, Error::UserNotFound { ref user, .. } if user == "@ada"),
        "{error:?}"
    );
    let with_deleted = client.users().list().include_deleted(true).await.unwrap();
    assert!(with_deleted.items.iter().any(|u| u.id == created.id));
}

#[tokio::test]
async fn private_messages_land_in_the_private_history() {
    let (_server, client) = server().await;
    client
        .users()
        .create("Grace Hopper", "grace@example.com")
        .await
        .unwrap();
    client
        .user("grace@example.com")
        .send_message("Coffee?")
        .await
        .unwrap();
    let latest = client.user("grace@example.com").latest().await.unwrap();
    assert_eq!(latest.items.len(), 1);
    let item = &latest.items[0];
    assert_eq!(item.kind, HistoryItemType::Message);
    assert_eq!(item.message.as_deref(), Some("Coffee?"));
    assert!(matches!(item.from, Some(Sender::User(ref u)) if u.mention_name == "dev"));
    let one = client
        .user("grace@example.com")
        .message(&item.id)
        .await
        .unwrap();
    assert_eq!(one.id, item.id);
    let all: Vec<_> = client
        .user("grace@example.com")
        .history()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn emoticons_group_capabilities_and_invitations() {
    let (server, client) = server().await;
    let all: Vec<_> = client
        .emoticons()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(all.iter().any(|e| e.shortcut == "dog"), "{all:?}");
    let global = client
        .emoticons()
        .list()
        .kind(EmoticonType::Global)
        .await
        .unwrap();
    assert_eq!(
        global.items.len(),
        all.len(),
        "the seeded emoticons are global"
    );
    let dog = client.emoticons().get("dog").await.unwrap();
    assert!(dog.width.is_some() && dog.height.is_some());
    let error = client.emoticons().get("no-such").await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");

    let group = client.group(1).get().await.unwrap();
    assert_eq!(group.id, 1);
    let statistics = client.group(1).statistics().await.unwrap();
    assert_eq!(statistics.users, 1);
    assert!(client.group(1).avatar().await.unwrap().is_some());
    assert!(matches!(
        client.group(2).get().await.unwrap_err(),
        Error::Forbidden(_)
    ));

    let invited = client
        .invite_to_group("linus@example.com", "Linus")
        .title("Kernel")
        .await
        .unwrap()
        .expect("the invited user");
    assert_eq!(invited["email"], "linus@example.com");
    assert_eq!(client.group(1).statistics().await.unwrap().users, 2);

    let capabilities = client.capabilities().await.unwrap();
    let api = capabilities["capabilities"]["hipchatApiProvider"]["url"]
        .as_str()
        .unwrap();
    assert_eq!(api, format!("{}/v2/", server.url()));
}

#[tokio::test]
async fn sessions_are_read_and_revoked() {
    let config: Config = serde_json::from_value(json!({
        "strict": true,
        "tokens": [
            {"token": "admin-token", "label": "Admin"},
            {"token": "doomed-token", "label": "Doomed", "scopes": ["view_group"]},
        ],
    }))
    .unwrap();
    let server = DevServer::builder().config(config).start().await.unwrap();
    let client = Client::new(server.url(), "admin-token").unwrap();
    let doomed = SecretString::from("doomed-token".to_owned());
    let session = client.sessions().get(&doomed).await.unwrap();
    assert_eq!(session.scopes, ["view_group"]);
    client.sessions().delete(&doomed).await.unwrap();
    let revoked = Client::new(server.url(), "doomed-token").unwrap();
    let error = revoked.group(1).get().await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    let error = client.sessions().get(&doomed).await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("doomed-token"), "{shown}");
}

#[tokio::test]
async fn glances_links_and_files() {
    let (server, client) = server().await;
    let content = json!({"label": {"type": "html", "value": "<b>3</b> open"}});
    client
        .addon()
        .update_glances(
            GlanceScope::Group,
            vec![GlanceUpdate::new("incidents", content.clone())],
        )
        .await
        .unwrap();
    client
        .addon()
        .update_glances(
            GlanceScope::User("@dev".into()),
            vec![GlanceUpdate::new("incidents", content.clone())],
        )
        .await
        .unwrap();
    let glances = server.glances();
    assert!(format!("{glances:?}").contains("incidents"), "{glances:?}");

    let link = client
        .addon()
        .create_link("https://bot.example/x", 60)
        .await
        .unwrap()
        .expect("the link");
    let token = link["token"].as_str().unwrap().to_owned();
    client.addon().delete_link(&token).await.unwrap();

    client
        .addon()
        .global_action("deploy")
        .put(&json!({"name": {"value": "Deploy"}, "target": "deploy-dialog"}))
        .await
        .unwrap();
    let action = client.addon().global_action("deploy").get().await.unwrap();
    assert_eq!(action["target"], "deploy-dialog");
    client
        .addon()
        .global_action("deploy")
        .delete()
        .await
        .unwrap();

    let error = client.file("no-such-file").await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}
