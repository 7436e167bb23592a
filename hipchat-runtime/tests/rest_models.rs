//! The REST API v2 response models against every vendored response fixture
//! (`fixtures/hipchat-rest/responses/`), the inline samples of spec §13, unknown enum values,
//! and the date forms of spec §1.1. Every parsed value also round-trips: serialized and read
//! again, it is equal.

use hipchat_runtime::rest::model::{
    AuthTest, Created, CreatedUser, Emoticon, HistoryItem, HistoryItemType, Links, Member,
    MessageColor, MessageEnvelope, MessageFormat, MessageLinkType, Page, PresenceShow, Privacy,
    Room, RoomRef, RoomRole, RoomStatistics, Sender, Session, TokenResponse, User, Webhook,
    WebhookAuthentication, WebhookEvent, time,
};
use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Debug;

const RESPONSES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/hipchat-rest/responses/"
);

/// A fixture as JSON, its `_note` removed.
fn fixture(name: &str) -> Value {
    let path = format!("{RESPONSES}{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let mut value: Value =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"));
    if let Some(object) = value.as_object_mut() {
        object.remove("_note");
    }
    value
}

/// Parses a JSON value as the client will (from text), then checks the round trip.
fn parse<T>(value: &Value) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let text = value.to_string();
    let parsed: T = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{}: {error}\n{text}", std::any::type_name::<T>()));
    round_trips(&parsed);
    parsed
}

fn parse_str<T>(text: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    parse(&serde_json::from_str::<Value>(text).unwrap())
}

/// Serialize, read again, compare.
fn round_trips<T>(value: &T)
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let text = serde_json::to_string(value).unwrap();
    let again: T =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("re-reading {text}: {error}"));
    assert_eq!(&again, value, "round trip through {text}");
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn self_url(links: &Option<Links>) -> Option<&str> {
    links.as_ref().and_then(|links| links.self_url.as_deref())
}

// --- every fixture is covered ----------------------------------------------------------------

/// The fixtures this file parses; `v1-rooms-message-200.json` is a v1 body, not modelled here.
const COVERED: &[&str] = &[
    "get-all-members.hipchat-rb.json",
    "get-room-and-webhooks.webservice-hipchat.json",
    "get-room.hipchat-web-client.json",
    "get-session.hipchat-rb.json",
    "history-file-items.hipchat-web-client.json",
    "v2-auth-test-202.json",
    "v2-oauth-token-200.json",
    "view-room-history.livesense-hipchat-exporter.json",
    "view-user.hipchat-go.json",
    "view-user.hypchat.json",
];
const NOT_V2: &[&str] = &["v1-rooms-message-200.json"];

#[test]
fn every_vendored_response_is_covered() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(RESPONSES)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let known: BTreeSet<String> = COVERED
        .iter()
        .chain(NOT_V2)
        .map(|name| name.to_string())
        .collect();
    assert_eq!(
        on_disk, known,
        "a response fixture was added or removed: model and test it"
    );
}

// --- rooms -----------------------------------------------------------------------------------

#[test]
fn get_room_from_the_web_client() {
    let room: Room = parse(&fixture("get-room.hipchat-web-client.json"));
    assert_eq!(room.id, 59);
    assert_eq!(room.name, "test room name");
    assert_eq!(room.created, ts("2015-12-29T19:50:02Z"));
    assert_eq!(room.last_active, None);
    assert_eq!(room.avatar_url, None);
    assert_eq!(room.delegate_admin_visibility, None);
    assert_eq!(room.guest_access_url, None);
    assert_eq!(room.privacy, Privacy::Public);
    assert!(!room.is_archived && !room.is_guest_accessible);
    assert_eq!(room.topic, "asdsd");
    assert_eq!(room.version.as_deref(), Some("GDKMBGDZ"));
    assert_eq!(room.xmpp_jid, "1_test-room-name@conf.devvm.hipchat.com");
    let owner = room.owner.as_ref().unwrap();
    assert_eq!((owner.id, owner.name.as_str()), (4, "Homer Simpson"));
    assert_eq!(owner.mention_name, "Homer");
    assert_eq!(owner.version.as_deref(), Some("VXAKO96E"));
    assert_eq!(
        self_url(&owner.links),
        Some("https://devvm.hipchat.com/v2/user/4")
    );
    assert!(room.participants.is_empty());
    assert_eq!(
        room.statistics.as_ref().unwrap().links.self_url.as_deref(),
        Some("https://devvm.hipchat.com/v2/room/59/statistics")
    );
    assert_eq!(
        room.links.self_url.as_deref(),
        Some("https://devvm.hipchat.com/v2/room/59")
    );
    assert_eq!(
        room.links.participants.as_deref(),
        Some("https://devvm.hipchat.com/v2/room/59/participant")
    );
    assert_eq!(
        room.links.webhooks.as_deref(),
        Some("https://devvm.hipchat.com/v2/room/59/webhook")
    );
    assert_eq!(room.links.members, None, "public room: no members link");
}

#[test]
fn get_room_and_webhooks_from_a_2014_server() {
    let fixture = fixture("get-room-and-webhooks.webservice-hipchat.json");

    let room: Room = parse(&fixture["get_room"]);
    assert_eq!(room.id, 2);
    assert_eq!(room.name, "General Discussion");
    // No offset in the fixture: read as UTC.
    assert_eq!(room.created, ts("2014-06-25T02:28:04Z"));
    assert_eq!(room.last_active, Some(ts("2014-07-19T02:40:55Z")));
    assert_eq!(room.topic, "hipchat commands");
    assert_eq!(room.xmpp_jid, "1_general_discussion@conf.btf.hipchat.com");
    assert_eq!(room.version, None);
    assert_eq!(room.avatar_url, None);
    assert_eq!(room.delegate_admin_visibility, None);
    let owner = room.owner.as_ref().unwrap();
    assert_eq!(
        (
            owner.id,
            owner.mention_name.as_str(),
            owner.version.as_deref()
        ),
        (1, "bob", None)
    );
    assert_eq!(
        room.links.webhooks.as_deref(),
        Some("https://hipchat.com/v2/room/2/webhook")
    );
    assert_eq!(room.links.participants, None);
    assert_eq!(
        room.statistics.as_ref().unwrap().links.self_url.as_deref(),
        Some("https://hipchat.com/v2/room/2/statistics")
    );
    // Written back with an explicit offset, the same instant.
    let written = serde_json::to_value(&room).unwrap();
    assert_eq!(written["created"], "2014-06-25T02:28:04+00:00");

    let hooks: Page<Webhook> = parse(&fixture["get_webhooks"]);
    assert_eq!((hooks.start_index, hooks.max_results), (0, 100));
    assert_eq!(
        hooks.links.self_url.as_deref(),
        Some("https://hipchat.com/v2/room/API/webhook")
    );
    assert_eq!(hooks.links.next, None);
    let [hook] = hooks.items.as_slice() else {
        panic!("one webhook: {hooks:?}")
    };
    assert_eq!(hook.id, Some(1));
    assert_eq!(hook.name.as_deref(), Some("hook1"));
    assert_eq!(hook.event, WebhookEvent::RoomMessage);
    assert_eq!(hook.pattern, None);
    assert_eq!(hook.url, "http://yourdomain.org/hipchat-webhook");
    assert_eq!(
        self_url(&hook.links),
        Some("https://hipchat.com/v2/room/API/webhook/1")
    );
    assert_eq!(
        (
            &hook.room,
            &hook.creator,
            hook.created,
            &hook.authentication
        ),
        (&None, &None, None, &None)
    );
}

#[test]
fn room_statistics_sample() {
    // Spec §13, hipchat-rb.
    let stats: RoomStatistics = parse_str(
        r#"{"last_active": "2014-09-02T21:33:54+00:00", "links": {"self": "https://api.hipchat.com/v2/room/12345/statistics"},  "messages_sent": 10}"#,
    );
    assert_eq!(stats.messages_sent, 10);
    assert_eq!(stats.last_active, Some(ts("2014-09-02T21:33:54Z")));
    assert_eq!(
        self_url(&stats.links),
        Some("https://api.hipchat.com/v2/room/12345/statistics")
    );
    // hipchat-go's mock: no links.
    let stats: RoomStatistics =
        parse_str(r#"{"messages_sent":1,"last_active":"2016-02-29T09:03:53+00:00"}"#);
    assert_eq!((stats.messages_sent, stats.links), (1, None));
}

#[test]
fn room_refs_with_and_without_the_2018_fields() {
    let page: Page<RoomRef> = parse_str(
        r#"{"items":[
            {"id":1,"name":"n","links":{"self":"s","webhooks":"w","members":"m"}},
            {"id":2,"name":"Ops","privacy":"private","is_archived":true,"version":"00000000","links":{"self":"s2"}}
        ],"startIndex":1,"maxResults":1,"links":{"self":"s"}}"#,
    );
    assert_eq!((page.start_index, page.max_results), (1, 1));
    let (old, new) = (&page.items[0], &page.items[1]);
    assert_eq!(
        (old.id, old.privacy.as_ref(), old.is_archived),
        (1, None, None)
    );
    assert_eq!(old.links.as_ref().unwrap().members.as_deref(), Some("m"));
    assert_eq!(new.privacy, Some(Privacy::Private));
    assert_eq!(new.is_archived, Some(true));
    assert_eq!(new.version.as_deref(), Some("00000000"));
}

#[test]
fn created_bodies_with_string_and_integer_ids() {
    // Spec §13: create_room and create_webhook 201 (hipchat-rb, string ids).
    let room: Created =
        parse_str(r#"{"id": "12345", "links": {"self": "https://api.hipchat.com/v2/room/12345"}}"#);
    assert_eq!(room.id, 12345);
    assert_eq!(
        room.links.self_url.as_deref(),
        Some("https://api.hipchat.com/v2/room/12345")
    );
    let hook: Created = parse_str(
        r#"{"id":"1234","links":{"self":"https://api.hipchat.com/v2/room/{room}/webhook/1234"}}"#,
    );
    assert_eq!(hook.id, 1234);
    // WS-HipChat: integer id.
    let room: Created = parse_str(r#"{"id":46,"links":{"self":"https://hipchat.com/v2/room/46"}}"#);
    assert_eq!(room.id, 46);
    // Serialized back as an integer (the emulator's form).
    assert_eq!(serde_json::to_value(&room).unwrap()["id"], 46);
}

#[test]
fn created_user_keeps_its_password_out_of_debug() {
    let user: CreatedUser = parse_str(
        r#"{"id":"7","links":{"self":"https://api.hipchat.com/v2/user/7"},"password":"s3cr3t-generated"}"#,
    );
    assert_eq!(user.id, 7);
    assert_eq!(
        user.password.as_ref().unwrap().expose_secret(),
        "s3cr3t-generated"
    );
    assert!(!format!("{user:?}").contains("s3cr3t"));
}

// --- members, webhooks, emoticons ------------------------------------------------------------

#[test]
fn members_carry_room_roles_and_no_links() {
    let page: Page<Member> = parse(&fixture("get-all-members.hipchat-rb.json"));
    assert_eq!((page.start_index, page.max_results), (0, 100));
    assert_eq!(
        page.links.self_url.as_deref(),
        Some("https://api.hipchat.com/v2/room/4109461/member")
    );
    let [robert, jon] = page.items.as_slice() else {
        panic!("two members: {page:?}")
    };
    assert_eq!(robert.user.id, 4643265);
    assert_eq!(robert.user.name, "Robert Ingrum");
    assert_eq!(robert.user.mention_name, "Robert");
    assert_eq!(robert.user.version.as_deref(), Some("3FC1A2D6"));
    assert_eq!(robert.user.links, None);
    assert_eq!(robert.room_roles, [RoomRole::Member]);
    assert!(!robert.is_admin());
    assert_eq!(jon.user.id, 4643276);
    assert_eq!(jon.room_roles, [RoomRole::Member, RoomRole::Admin]);
    assert!(jon.is_admin());
    // Flattened back: the member is one flat object, as HipChat sends it.
    let written = serde_json::to_value(jon).unwrap();
    assert_eq!(written["mention_name"], "JonEvans");
    assert_eq!(written["room_roles"][1], "room_admin");
}

#[test]
fn get_webhook_sample() {
    // Spec §13, hipchat-rb: no id, null room and creator.
    let hook: Webhook = parse_str(
        r#"{"room":null,"links":{"self":"https://api.hipchat.com/v2/room/1/webhook/5"},"creator":null,"url":"http://example.org/webhook","created":"2014-09-02T21:33:54+00:00","event":"room_deleted"}"#,
    );
    assert_eq!(hook.id, None);
    assert_eq!(hook.event, WebhookEvent::RoomDeleted);
    assert_eq!(hook.created, Some(ts("2014-09-02T21:33:54Z")));
    assert_eq!((hook.room.as_ref(), hook.creator.as_ref()), (None, None));
    assert_eq!(hook.url, "http://example.org/webhook");

    let full: Webhook = parse_str(
        r#"{"id":"77","name":"on-message","event":"room_message","pattern":"^/deploy","url":"https://addon.example/hook","key":"deploy",
            "links":{"self":"s"},"authentication":"jwt","created":"2016-01-01T00:00:00Z",
            "room":{"id":2,"name":"Ops","version":"ABCDEFGH","links":{"self":"r"}},
            "creator":{"id":1,"name":"Bob","mention_name":"bob"}}"#,
    );
    assert_eq!(full.id, Some(77));
    assert_eq!(full.pattern.as_deref(), Some("^/deploy"));
    assert_eq!(full.authentication, Some(WebhookAuthentication::Jwt));
    assert_eq!(
        full.room.as_ref().unwrap().version.as_deref(),
        Some("ABCDEFGH")
    );
    assert_eq!(full.creator.as_ref().unwrap().id, 1);
}

#[test]
fn emoticon_sample_and_list_item() {
    // Spec §13, WS-HipChat.
    let emoticon: Emoticon = parse_str(
        r#"{"creator":{"id":11,"links":{"self":"https://hipchat.com/v2/user/11"},"mention_name":"bob","name":"Bob Ray"},"height":30,"id":203,"links":{"self":"https://hipchat.com/v2/emoticon/203"},"shortcut":"dog","url":"https://hipchat.com/files/img/emoticons/1/dog.png","width":30}"#,
    );
    assert_eq!(emoticon.id, 203);
    assert_eq!(emoticon.shortcut, "dog");
    assert_eq!(
        emoticon.url,
        "https://hipchat.com/files/img/emoticons/1/dog.png"
    );
    assert_eq!((emoticon.width, emoticon.height), (Some(30), Some(30)));
    let creator = emoticon.creator.as_ref().unwrap();
    assert_eq!(
        (
            creator.id,
            creator.name.as_str(),
            creator.version.as_deref()
        ),
        (11, "Bob Ray", None)
    );
    assert_eq!(
        self_url(&emoticon.links),
        Some("https://hipchat.com/v2/emoticon/203")
    );

    let page: Page<Emoticon> = parse_str(
        r#"{"items":[{"id":1,"url":"u","shortcut":"s","links":{"self":"l"}}],"startIndex":0,"maxResults":100,"links":{"self":"s","prev":"p","next":"n"}}"#,
    );
    assert_eq!(page.items[0].width, None);
    assert_eq!(page.links.prev.as_deref(), Some("p"));
    assert_eq!(page.links.next.as_deref(), Some("n"));
}

// --- users -----------------------------------------------------------------------------------

#[test]
fn view_user_from_hipchat_go() {
    let user: User = parse(&fixture("view-user.hipchat-go.json"));
    assert_eq!(user.id, 1);
    assert_eq!(user.name, "First Last");
    assert_eq!(user.mention_name, "FirstL");
    assert_eq!(user.email.as_deref(), Some("user@example.com"));
    assert_eq!(user.title, "Test user");
    assert_eq!(user.xmpp_jid, "1@chat.hipchat.com");
    assert_eq!(user.created, Some(ts("2013-11-07T17:57:11Z")));
    // A string of Unix seconds.
    assert_eq!(
        user.last_active,
        Some(Timestamp::from_second(1_421_029_691).unwrap())
    );
    assert_eq!(user.last_active, Some(ts("2015-01-12T02:28:11Z")));
    assert!(user.is_group_admin && !user.is_deleted && !user.is_guest);
    assert_eq!(user.timezone, "America/New_York");
    assert_eq!(user.version, None);
    assert!(user.roles.is_empty());
    let presence = user.presence.as_ref().unwrap();
    assert!(presence.is_online);
    assert_eq!(presence.show, Some(PresenceShow::Chat));
    let client = presence.client.as_ref().unwrap();
    assert_eq!(
        client.kind.as_deref(),
        Some("http://hipchat.com/client/mac")
    );
    assert_eq!(client.version.as_deref(), Some("151"));
    let group = user.group.as_ref().unwrap();
    assert_eq!((group.id, group.name.as_str()), (1234, "Example"));
    assert_eq!(
        self_url(&group.links),
        Some("https://api.hipchat.com/v2/group/1234")
    );
    assert_eq!(user.to_ref().id, 1);
}

#[test]
fn view_user_from_hypchat() {
    let user: User = parse(&fixture("view-user.hypchat.json"));
    assert_eq!(user.id, 12345);
    assert_eq!(user.group, None);
    assert_eq!(user.atlassian_id, None);
    assert_eq!(user.timezone, "Europe/Berlin");
    assert_eq!(
        user.last_active,
        Some(Timestamp::from_second(1_418_000_000).unwrap())
    );
    assert_eq!(user.created, Some(ts("2014-09-26T10:44:04Z")));
    let presence = user.presence.as_ref().unwrap();
    assert_eq!(presence.show, None);
    assert_eq!(
        presence.client.as_ref().unwrap().version.as_deref(),
        Some("12345")
    );
}

#[test]
fn last_active_as_integer_iso_or_null() {
    let base = r#""id":1,"name":"Bob","mention_name":"bob","created":"2014-06-25T02:28:04""#;
    let user: User = parse_str(&format!("{{{base},\"last_active\":1405718128}}"));
    assert_eq!(
        user.last_active,
        Some(Timestamp::from_second(1_405_718_128).unwrap())
    );
    let user: User = parse_str(&format!(
        "{{{base},\"last_active\":\"2014-07-19T02:40:55+00:00\"}}"
    ));
    assert_eq!(user.last_active, Some(ts("2014-07-19T02:40:55Z")));
    let user: User = parse_str(&format!(
        "{{{base},\"last_active\":null,\"timezone\":null,\"presence\":null}}"
    ));
    assert_eq!(user.last_active, None);
    assert_eq!(user.timezone, "UTC");
    assert_eq!(user.created, Some(ts("2014-06-25T02:28:04Z")));
}

// --- history ---------------------------------------------------------------------------------

#[test]
fn recorded_room_history() {
    let page: Page<HistoryItem> = parse(&fixture(
        "view-room-history.livesense-hipchat-exporter.json",
    ));
    assert_eq!((page.start_index, page.max_results), (0, 1000));
    assert_eq!(
        page.links.self_url.as_deref(),
        Some("https://api.hipchat.com/v2/room/4337418/history")
    );
    assert_eq!(
        (page.links.prev.as_ref(), page.links.next.as_ref()),
        (None, None)
    );
    let items = &page.items;
    assert_eq!(items.len(), 7);

    let first = &items[0];
    assert_eq!(first.id, "5f7586a8-b71c-423c-ab11-bb2329d00201");
    assert_eq!(first.date, ts("2018-01-04T10:16:02.809766Z"));
    assert_eq!(first.kind, HistoryItemType::Message);
    let Some(Sender::User(from)) = &first.from else {
        panic!("user sender: {first:?}")
    };
    assert_eq!((from.id, from.mention_name.as_str()), (5309253, "micchie"));
    assert_eq!(from.name, "白川 みちる(Michiru Shirakawa)");
    assert_eq!(from.version.as_deref(), Some("33J960AR"));
    assert!(first.mentions.is_empty());
    assert_eq!(first.message_format, None);
    assert!(first.extra.is_empty(), "{:?}", first.extra);

    let mention = &items[1].mentions[0];
    assert_eq!(
        (mention.id, mention.mention_name.as_str()),
        (5309253, "micchie")
    );

    // The notification hung under item 2, with its card as a JSON string.
    let link = &items[3];
    assert_eq!(link.kind, HistoryItemType::Notification);
    assert_eq!(link.from, Some(Sender::Name("Link".into())));
    assert_eq!(
        link.from.as_ref().and_then(Sender::display_name),
        Some("Link")
    );
    assert_eq!(link.date, ts("2018-01-10T09:35:50.702319Z"));
    assert_eq!(link.color, Some(MessageColor::Gray));
    assert_eq!(
        link.color.as_ref().and_then(MessageColor::to_color),
        Some(hipchat_runtime::Color::Gray)
    );
    assert_eq!(link.message_format, Some(MessageFormat::Html));
    assert_eq!(link.attach_to.as_deref(), Some(items[2].id.as_str()));
    let sender = link.notification_sender.as_ref().unwrap();
    assert_eq!(
        sender.client_id.as_deref(),
        Some("b0ac0d4e-2a07-411a-93f1-8636401bc9f7")
    );
    assert_eq!(sender.id.as_deref(), Some("hipchat-clinky"));
    assert_eq!(sender.kind.as_deref(), Some("addon"));
    assert!(
        link.card
            .as_deref()
            .unwrap()
            .starts_with("{\"style\": \"link\"")
    );
    let card = link.card_json().unwrap().unwrap();
    assert_eq!(card["style"], "link");
    assert_eq!(card["title"], "Active Directoryでソフトを自動配布");
    assert_eq!(card["thumbnail"]["width"], 600);
    assert_eq!(card["icon"]["type"], "image");
    assert_eq!(card["validation"]["safehtmls"][0], "activity.html");

    let with_thumb = items[4].file.as_ref().unwrap();
    assert_eq!(with_thumb.name, " 2018-01-10 18.41.57.png");
    assert_eq!(with_thumb.size, 64537);
    assert!(
        with_thumb
            .thumb_url
            .as_deref()
            .unwrap()
            .ends_with("_thumb.png")
    );
    let without_thumb = items[5].file.as_ref().unwrap();
    assert_eq!(
        (without_thumb.name.as_str(), without_thumb.size),
        ("test.txt", 41)
    );
    assert_eq!(without_thumb.thumb_url, None);
    assert_eq!(items[5].message.as_deref(), Some(""));
    assert!(!items[5].is_deleted());

    let [preview] = items[6].message_links.as_slice() else {
        panic!("one link preview: {:?}", items[6])
    };
    let image_url = "http://gyazo.sv.jp/img/2018/01/29/1517215550002033188f.png";
    assert_eq!(preview.kind, MessageLinkType::Image);
    assert_eq!(preview.url.as_deref(), Some(image_url));
    let image = preview.image.as_ref().unwrap();
    assert_eq!((image.image.as_str(), image.name.as_str()), (image_url, ""));

    // Dates are written back with microseconds and +00:00, as HipChat does.
    let written = serde_json::to_value(first).unwrap();
    assert_eq!(written["date"], "2018-01-04T10:16:02.809766+00:00");
}

#[test]
fn file_and_authenticated_file() {
    let fixture = fixture("history-file-items.hipchat-web-client.json");
    let legacy: HistoryItem = parse(&fixture["legacy_file"]);
    assert_eq!(legacy.date, ts("2016-02-19T22:10:27.764729Z"));
    let file = legacy.file.as_ref().unwrap();
    assert_eq!((file.name.as_str(), file.size), ("IMG_1498.jpg", 1_392_206));
    assert_eq!(
        file.url,
        "https://s3.amazonaws.com/devuploads.hipchat.com/1/2/XdKMxPuW12nbHyf/IMG_1498.jpg"
    );
    assert!(file.thumb_url.is_some());
    assert_eq!(legacy.authenticated_file, None);
    assert_eq!(
        legacy
            .from
            .as_ref()
            .and_then(Sender::user)
            .map(|user| user.id),
        Some(2)
    );

    let secure: HistoryItem = parse(&fixture["authenticated_file"]);
    assert_eq!(secure.file, None);
    let file = secure.authenticated_file.as_ref().unwrap();
    assert_eq!(file.id, "7c2f5173-c9f9-4840-8471-eca32ab8151b");
    assert_eq!((file.name.as_str(), file.size), ("IMG_1498.jpg", 1_392_206));
    assert_eq!(
        secure.message.as_deref(),
        Some("Here's that picture you wanted.")
    );
}

#[test]
fn recent_history_without_start_index() {
    // Spec §13: hipchat-go TestRoomLatest.
    let page: Page<HistoryItem> = parse_str(
        r#"{
      "items": [
          {
              "date": "2014-11-23T21:23:49.807578+00:00",
              "from": "Test Testerson",
              "id": "f058e668-c9c0-4cd5-9ca5-e2c42b06f3ed",
              "mentions": [],
              "message": "Hey there!",
              "message_format": "html",
              "type": "notification"
          }
      ],
      "links": {
          "self": "https://api.hipchat.com/v2/room/1/history/latest"
      },
      "maxResults": 100
    }"#,
    );
    assert_eq!((page.start_index, page.max_results), (0, 100));
    let item = &page.items[0];
    assert_eq!(item.from, Some(Sender::Name("Test Testerson".into())));
    assert_eq!(item.message_format, Some(MessageFormat::Html));
    assert_eq!(item.kind, HistoryItemType::Notification);
    assert_eq!(item.date, ts("2014-11-23T21:23:49.807578Z"));
    assert_eq!(item.card_json().unwrap(), None);
    assert_eq!(item.color, None);
}

#[test]
fn message_envelope_and_file_url() {
    let envelope: MessageEnvelope = parse_str(
        r#"{"message":{"date":"2018-01-04T10:16:02.809766+00:00","from":{"id":1,"name":"A","mention_name":"a"},"id":"x","mentions":[],"message":null,"type":"message"}}"#,
    );
    assert!(envelope.message.is_deleted());
    assert_eq!(envelope.message.id, "x");
    let url: hipchat_runtime::rest::model::FileUrl =
        parse_str(r#"{"temp_url":"https://s3.example/file?sig=1"}"#);
    assert_eq!(url.temp_url, "https://s3.example/file?sig=1");
}

// --- sessions, tokens, auth test -------------------------------------------------------------

#[test]
fn sessions_for_global_and_room_tokens() {
    let fixture = fixture("get-session.hipchat-rb.json");
    let global: Session = parse(&fixture["global_token"]);
    assert_eq!(global.client.name, "Testing");
    assert_eq!(global.client.room, None);
    assert_eq!(global.client.allowed_scopes, ["send_notification"]);
    assert_eq!(global.scopes, ["view_room", "send_notification"]);
    assert!(global.extra.is_empty());

    let room: Session = parse(&fixture["room_token"]);
    assert_eq!(room.client.name, "testang");
    let bound = room.client.room.as_ref().unwrap();
    assert_eq!((bound.id, bound.name.as_str()), (123_456_789, "example"));
    assert_eq!(room.scopes, ["send_notification"]);
}

#[test]
fn token_reply_keeps_the_token_out_of_debug() {
    let token: TokenResponse = parse(&fixture("v2-oauth-token-200.json"));
    assert_eq!(
        token.access_token.expose_secret(),
        "q0M8p3UrBL96uHb79x4qdR2r6oEnCeajcg123456"
    );
    assert_eq!(token.expires_in, Some(3599));
    assert_eq!(token.group_id, Some(123_456));
    assert_eq!(token.group_name.as_deref(), Some("TestGroup"));
    assert_eq!(token.token_type, "bearer");
    assert_eq!(
        token.scopes().collect::<Vec<_>>(),
        ["send_notification", "view_room"]
    );
    let debug = format!("{token:?}");
    assert!(!debug.contains("q0M8p3Ur"), "{debug}");
}

#[test]
fn auth_test_reply() {
    let reply: AuthTest = parse(&fixture("v2-auth-test-202.json"));
    assert_eq!(reply.success.code, 202);
    assert_eq!(reply.success.kind, "Accepted");
    assert_eq!(
        reply.success.message,
        "This auth_token has access to use this method."
    );
}

// --- open enums ------------------------------------------------------------------------------

#[test]
fn unknown_enum_values_are_kept_and_the_page_still_parses() {
    let page: Page<HistoryItem> = parse_str(
        r#"{"items":[
            {"id":"1","date":"2018-01-04T10:16:02Z","type":"hologram","from":"Beam","message":"hi","mentions":[],
             "color":"chartreuse","message_format":"markdown","sparkle":[1,2]},
            {"id":"2","date":"2018-01-04T10:16:03Z","type":"message","from":{"id":1,"name":"A","mention_name":"a"},"message":"ok","mentions":[],
             "message_links":[{"type":"hologram_link","url":"u","hologram_link":{"x":1}}]}
        ],"startIndex":0,"maxResults":2,"links":{"self":"s"}}"#,
    );
    let odd = &page.items[0];
    assert_eq!(odd.kind, HistoryItemType::Other("hologram".into()));
    assert_eq!(odd.color, Some(MessageColor::Other("chartreuse".into())));
    assert_eq!(odd.color.as_ref().and_then(MessageColor::to_color), None);
    assert_eq!(
        odd.message_format,
        Some(MessageFormat::Other("markdown".into()))
    );
    assert_eq!(odd.extra["sparkle"], serde_json::json!([1, 2]));
    assert_eq!(
        page.items[1].message_links[0].kind,
        MessageLinkType::Other("hologram_link".into())
    );
    let written = serde_json::to_value(&page).unwrap();
    assert_eq!(written["items"][0]["type"], "hologram");
    assert_eq!(written["items"][0]["color"], "chartreuse");

    let rooms: Page<RoomRef> = parse_str(
        r#"{"items":[{"id":1,"name":"a","privacy":"secret"},{"id":2,"name":"b","privacy":"public"}],"startIndex":0,"maxResults":100,"links":{"self":"s"}}"#,
    );
    assert_eq!(
        rooms.items[0].privacy,
        Some(Privacy::Other("secret".into()))
    );
    assert_eq!(rooms.items[1].privacy, Some(Privacy::Public));
    assert_eq!(
        serde_json::to_value(&rooms).unwrap()["items"][0]["privacy"],
        "secret"
    );

    let members: Page<Member> = parse_str(
        r#"{"items":[{"id":1,"name":"a","mention_name":"a","room_roles":["room_owner"]}],"links":{"self":"s"}}"#,
    );
    assert_eq!(
        members.items[0].room_roles,
        [RoomRole::Other("room_owner".into())]
    );

    let hooks: Page<Webhook> = parse_str(
        r#"{"items":[{"id":1,"event":"room_exploded","url":"u","authentication":"oauth3"}],"links":{}}"#,
    );
    assert_eq!(
        hooks.items[0].event,
        WebhookEvent::Other("room_exploded".into())
    );
    assert_eq!(
        hooks.items[0].authentication,
        Some(WebhookAuthentication::Other("oauth3".into()))
    );

    let user: User = parse_str(
        r#"{"id":1,"name":"a","mention_name":"a","presence":{"show":"meditating","is_online":true}}"#,
    );
    assert_eq!(
        user.presence.unwrap().show,
        Some(PresenceShow::Other("meditating".into()))
    );
}

// --- dates -----------------------------------------------------------------------------------

#[test]
fn date_forms() {
    assert_eq!(
        time::parse("2014-06-25T02:28:04").unwrap(),
        ts("2014-06-25T02:28:04+00:00")
    );
    assert_eq!(
        time::parse("2018-01-04T10:16:02.809766+00:00").unwrap(),
        Timestamp::from_microsecond(1_515_060_962_809_766).unwrap()
    );
    assert_eq!(
        time::parse_last_active("1421029691").unwrap(),
        Timestamp::from_second(1_421_029_691).unwrap()
    );
    assert_eq!(
        time::format(ts("2018-01-04T10:16:02.809766Z")),
        "2018-01-04T10:16:02.809766+00:00"
    );
}

#[test]
fn a_bad_date_names_the_value() {
    let error = serde_json::from_str::<Page<HistoryItem>>(
        r#"{"items":[{"id":"1","date":"2018-02-30T10:16:02","type":"message","from":"x","message":"m"}]}"#,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("\"2018-02-30T10:16:02\""),
        "{error}"
    );

    let error = serde_json::from_str::<Room>(
        r#"{"id":1,"name":"n","privacy":"public","created":"last tuesday","links":{}}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("\"last tuesday\""), "{error}");

    let error = serde_json::from_str::<User>(r#"{"id":1,"last_active":"soon"}"#).unwrap_err();
    assert!(error.to_string().contains("\"soon\""), "{error}");

    let error = time::parse("2014-06-25 soon").unwrap_err();
    assert_eq!(error.value(), "2014-06-25 soon");
}
