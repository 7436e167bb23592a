//! The REST client against the local HipChat server: rooms, history, members,
//! participants, invitations, webhooks, extensions and glances, over real HTTP. Each test
//! asserts what the server did (its state, read through `DevServer`) and what the client
//! parsed. The exact bytes of each request are checked in hipchat-runtime's
//! `tests/rest_client.rs`; here both sides of the spec meet.

use futures_util::TryStreamExt;
use hipchat::rest::model::{HistoryItemType, Privacy, RoomRole, Sender, WebhookEvent};
use hipchat::rest::{ExtensionKind, GlanceScope, GlanceUpdate, RoomUpdate};
use hipchat::{BackendKind, Client, Error, Message, Notifier, Settings};
use hipchat_devserver::DevServer;
use hipchat_devserver::config::Config;
use serde_json::json;

async fn server() -> (DevServer, Client) {
    let server = DevServer::start().await.unwrap();
    let client = Client::new(server.url(), "dev").unwrap();
    (server, client)
}

#[tokio::test]
async fn rooms_are_created_listed_read_updated_archived_and_deleted() {
    let (server, client) = server().await;
    let created = client
        .rooms()
        .create("Deploys")
        .privacy(Privacy::Private)
        .topic("Green builds only")
        .await
        .unwrap()
        .expect("201 with the new id");
    let room = client.room("Deploys").get().await.unwrap();
    assert_eq!(room.id, created.id);
    assert_eq!(room.name, "Deploys");
    assert_eq!(room.topic, "Green builds only");
    assert_eq!(room.privacy, Privacy::Private);
    assert!(!room.is_archived);
    let self_link = room.links.self_url.as_deref().unwrap();
    assert!(self_link.starts_with(server.url()), "{self_link}");
    assert!(
        room.links.members.is_some(),
        "a private room links its members"
    );

    // The same room by id.
    let by_id = client.room(created.id.to_string()).get().await.unwrap();
    assert_eq!(by_id.name, "Deploys");

    // A duplicate name is HipChat's 400.
    let error = client.rooms().create("Deploys").await.unwrap_err();
    let Error::BadRequest(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.message, "Another room exists with that name.");

    client
        .room("Deploys")
        .update(
            RoomUpdate::from(&room)
                .topic("Red builds too")
                .name("Deploys EU"),
        )
        .await
        .unwrap();
    let renamed = client.room("Deploys EU").get().await.unwrap();
    assert_eq!(renamed.topic, "Red builds too");
    assert_ne!(
        renamed.version, room.version,
        "every write bumps the version"
    );

    client.room("Deploys EU").set_archived(true).await.unwrap();
    assert!(client.room("Deploys EU").get().await.unwrap().is_archived);
    let listed = client.rooms().list().await.unwrap();
    assert!(listed.items.iter().all(|r| r.name != "Deploys EU"));
    let with_archived = client.rooms().list().include_archived(true).await.unwrap();
    assert!(with_archived.items.iter().any(|r| r.name == "Deploys EU"));

    client.room("Deploys EU").set_topic("Frozen").await.unwrap();
    let avatar = client.room("Deploys EU").avatar().await.unwrap().unwrap();
    assert!(avatar.starts_with(server.url()), "{avatar}");
    // A 1×1 PNG.
    client
        .room("Deploys EU")
        .set_avatar("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        .await
        .unwrap();
    client.room("Deploys EU").delete_avatar().await.unwrap();
    let public_only = client
        .rooms()
        .list()
        .include_private(false)
        .include_archived(true)
        .await
        .unwrap();
    assert!(
        public_only.items.iter().all(|r| r.name != "Deploys EU"),
        "a private room"
    );
    let statistics = client.room("Deploys EU").statistics().await.unwrap();
    assert!(statistics.links.is_some());

    client.room("Deploys EU").delete().await.unwrap();
    let error = client.room("Deploys EU").get().await.unwrap_err();
    assert!(
        matches!(error, Error::RoomNotFound { ref room, .. } if room == "Deploys EU"),
        "{error:?}"
    );
}

#[tokio::test]
async fn reading_an_unknown_room_is_404_and_creates_nothing() {
    let (server, client) = server().await;
    let error = client.room("Nowhere").get().await.unwrap_err();
    let Error::RoomNotFound { api, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status, 404);
    assert!(
        api.rate_limit.limit.is_some(),
        "X-Ratelimit-* on errors too"
    );
    assert!(server.room("Nowhere").is_none());
    let error = client.room("Nowhere").history().await.unwrap_err();
    assert!(matches!(error, Error::RoomNotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn room_lists_page_through_next_links() {
    let (_server, client) = server().await;
    for i in 0..7 {
        client.rooms().create(format!("Room {i}")).await.unwrap();
    }
    let first = client.rooms().list().max_results(3).send().await.unwrap();
    assert_eq!(first.value.items.len(), 3);
    assert_eq!(first.value.max_results, 3);
    assert!(first.value.links.next.is_some());
    assert!(first.value.links.prev.is_none());
    assert!(first.rate_limit.remaining.is_some());
    let pages: Vec<_> = client
        .rooms()
        .list()
        .max_results(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    assert!(pages[2].links.next.is_none());
    assert!(pages[1].links.prev.is_some());
    let names: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.items)
        .map(|room| room.name)
        .collect();
    let mut expected: Vec<String> = (0..7).map(|i| format!("Room {i}")).collect();
    let mut sorted = names.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected, "every room once");
}

#[tokio::test]
async fn history_reads_back_notifications_messages_topics_and_replies() {
    let (server, client) = server().await;
    let notifier = Notifier::from_settings(
        Settings::new()
            .backend(BackendKind::Http)
            .api_url(server.url())
            .auth_token("dev"),
    )
    .unwrap();
    notifier
        .send(
            Message::new("Deploy of <b>billing</b> failed")
                .room("Ops")
                .from("CI"),
        )
        .await
        .unwrap();
    let sent = client
        .room("Ops")
        .send_message("Looking at it")
        .await
        .unwrap()
        .expect("the local server answers with the message id");
    client.room("Ops").set_topic("Incident").await.unwrap();
    client.room("Ops").reply(&sent.id, "Fixed").await.unwrap();

    let latest = client.room("Ops").latest().await.unwrap();
    let kinds: Vec<HistoryItemType> = latest.items.iter().map(|i| i.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            HistoryItemType::Notification,
            HistoryItemType::Message,
            HistoryItemType::Topic,
            HistoryItemType::Message
        ],
        "oldest first"
    );
    let notification = &latest.items[0];
    assert!(matches!(notification.from, Some(Sender::Name(ref name)) if name.contains("CI")));
    assert_eq!(
        notification.message.as_deref(),
        Some("Deploy of <b>billing</b> failed")
    );
    let message = &latest.items[1];
    assert_eq!(message.id, sent.id);
    assert!(matches!(message.from, Some(Sender::User(ref user)) if user.mention_name == "dev"));
    assert_eq!(latest.items[2].message.as_deref(), Some("Incident"));

    let one = client.room("Ops").message(&sent.id).await.unwrap();
    assert_eq!(one.message.as_deref(), Some("Looking at it"));
    let error = client.room("Ops").message("no-such-id").await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");

    // The whole window, newest first, two per page.
    let all: Vec<_> = client
        .room("Ops")
        .history()
        .max_results(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|item| item.id.as_str()).collect();
    let mut expected: Vec<&str> = latest.items.iter().map(|item| item.id.as_str()).collect();
    expected.reverse();
    assert_eq!(ids, expected);
    assert!(all[0].date >= all[3].date);

    // A time window: from the message on, up to now.
    let window: Vec<_> = client
        .room("Ops")
        .history()
        .end_date(message.date)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        window.len(),
        3,
        "the notification is before the window: {window:?}"
    );
    let before: Vec<_> = client
        .room("Ops")
        .history()
        .date(notification.date)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].id, notification.id);

    // `not_before` bounds the latest page from below.
    let after = client
        .room("Ops")
        .latest()
        .not_before(&sent.id)
        .await
        .unwrap();
    assert!(after.items.iter().all(|item| item.id != latest.items[0].id));
}

#[tokio::test]
async fn members_participants_and_invitations() {
    let (server, client) = server().await;
    client
        .rooms()
        .create("Private")
        .privacy(Privacy::Private)
        .await
        .unwrap();
    client.rooms().create("Public").await.unwrap();
    let private = client.room("Private");
    private
        .add_member("@dev")
        .roles([RoomRole::Admin])
        .await
        .unwrap();
    let members: Vec<_> = private.members().items().try_collect().await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].user.mention_name, "dev");
    assert!(members[0].room_roles.contains(&RoomRole::Admin));
    private.remove_member("@dev").await.unwrap();
    assert!(private.members().await.unwrap().items.is_empty());

    // Members are a private room's: on a public room, 400.
    let error = client.room("Public").members().await.unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");

    server.set_participants("Public", &[(1, true)]).unwrap();
    let participants = client.room("Public").participants().await.unwrap();
    assert_eq!(participants.items.len(), 1);
    assert_eq!(participants.items[0].id, 1);

    client
        .room("Public")
        .invite("@dev", "standup")
        .await
        .unwrap();
    assert_eq!(server.room_invites("Public"), [(1, "standup".to_owned())]);
}

#[tokio::test]
async fn webhooks_extensions_and_glances() {
    let (server, client) = server().await;
    client.rooms().create("Hooks").await.unwrap();
    let room = client.room("Hooks");
    let created = room
        .create_webhook("https://bot.example/hook", WebhookEvent::RoomMessage)
        .pattern("^/deploy")
        .name("deploy")
        .await
        .unwrap()
        .expect("201 with the new id");
    let listed = room.webhooks().await.unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].id, Some(created.id));
    assert_eq!(listed.items[0].pattern.as_deref(), Some("^/deploy"));
    let webhook = room.webhook(created.id).await.unwrap();
    assert_eq!(webhook.event, WebhookEvent::RoomMessage);
    assert_eq!(webhook.url, "https://bot.example/hook");
    room.delete_webhook(created.id).await.unwrap();
    let error = room.webhook(created.id).await.unwrap_err();
    assert!(
        matches!(error, Error::NotFound { ref resource, .. } if resource.contains("webhook")),
        "{error:?}"
    );

    let glance = json!({"name": {"value": "Deploys"}, "queryUrl": "https://bot.example/glance", "target": "deploys-panel"});
    room.extension(ExtensionKind::Glance, "deploys")
        .put(&glance)
        .await
        .unwrap();
    let stored = room
        .extension(ExtensionKind::Glance, "deploys")
        .get()
        .await
        .unwrap();
    assert_eq!(stored["queryUrl"], "https://bot.example/glance");
    room.extension(ExtensionKind::Glance, "deploys")
        .delete()
        .await
        .unwrap();

    let content = json!({"label": {"type": "html", "value": "<b>2</b> running"}});
    client
        .addon()
        .update_glances(
            GlanceScope::Room("Hooks".into()),
            vec![GlanceUpdate::new("deploys", content.clone())],
        )
        .await
        .unwrap();
    let glances = server.room_glances("Hooks");
    assert_eq!(glances.len(), 1, "{glances:?}");
}

#[tokio::test]
async fn a_token_without_the_scope_gets_the_recorded_403() {
    let config: Config = serde_json::from_value(json!({
        "strict": true,
        "tokens": [{"token": "notify-only", "scopes": ["send_notification"]}],
        "rooms": [{"id": 1, "name": "Ops"}],
    }))
    .unwrap();
    let server = DevServer::builder().config(config).start().await.unwrap();
    let client = Client::new(server.url(), "notify-only").unwrap();
    let error = client.room("Ops").get().await.unwrap_err();
    let Error::Forbidden(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status, 403);
    let mut scopes = api.required_scopes();
    scopes.sort_unstable();
    assert_eq!(scopes, ["view_group", "view_room"]);
    let error = client.rooms().create("New").await.unwrap_err();
    let Error::Forbidden(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.required_scopes(), ["manage_rooms"]);

    let unknown = Client::new(server.url(), "no-such-token").unwrap();
    assert!(matches!(
        unknown.room("Ops").get().await.unwrap_err(),
        Error::Unauthorized(_)
    ));
}

#[tokio::test]
async fn a_rate_limited_stream_waits_for_the_reset_instead_of_failing() {
    // Three requests per token and second: creating four rooms and paging through them
    // one per page runs into 429s, which the client waits out (X-Ratelimit-Reset).
    let limits = hipchat_devserver::config::RateLimitConfig {
        token_limit: 3,
        token_window_secs: 1,
        ..Default::default()
    };
    let server = DevServer::builder()
        .rate_limits(limits)
        .start()
        .await
        .unwrap();
    let client = Client::new(server.url(), "dev").unwrap();
    for i in 0..4 {
        client.rooms().create(format!("Limited {i}")).await.unwrap();
    }
    let before = server.counters().rate_limited;
    let rooms: Vec<_> = client
        .rooms()
        .list()
        .max_results(1)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rooms.len(), 4);
    assert!(
        server.counters().rate_limited > before,
        "the stream must have run into the limit: {:?}",
        server.counters()
    );
}
