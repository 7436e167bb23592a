//! Webhook deliveries as HipChat sent them (the recorded fixtures) read into typed room
//! events; unknown events and undocumented items are kept, never a failed parse.

use hipchat_connect::{Delivery, RoomEvent};
use hipchat_runtime::rest::model::{HistoryItemType, Sender, WebhookEvent};
use serde_json::json;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../fixtures/hipchat-connect/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_recorded_room_message_reads_as_a_typed_event() {
    let delivery =
        Delivery::from_json(&fixture("webhook-room_message.mjhopkins-hipchat.json")).unwrap();
    assert_eq!(delivery.event, WebhookEvent::RoomMessage);
    assert_eq!(delivery.webhook_id, Some(17_775_373));
    assert!(delivery.sent_by("f3a628d0-be81-461a-b025-41604d982310"));
    assert!(!delivery.sent_by("someone-else"));
    let RoomEvent::Message { room, message } = delivery.room_event().unwrap() else {
        panic!("a message event");
    };
    assert_eq!((room.id, room.name.as_str()), (3_856_578, "MarkTesting"));
    assert_eq!(message.kind, HistoryItemType::Message);
    assert_eq!(
        message.message.as_deref(),
        Some("/hey @MarkHopkins testing")
    );
    let Some(Sender::User(from)) = &message.from else {
        panic!("from a user: {:?}", message.from);
    };
    assert_eq!(
        (from.id, from.mention_name.as_str()),
        (4_979_430, "MarkHopkins")
    );
    assert_eq!(message.mentions.len(), 1);
}

#[test]
fn a_room_notification_has_a_string_sender() {
    let delivery = Delivery::from_json(&fixture(
        "webhook-room_notification.plack-app-hipchat-webhook.json",
    ))
    .unwrap();
    assert_eq!(delivery.webhook_id, Some(530));
    let event = delivery.room_event().unwrap();
    assert_eq!(event.room().map(|r| r.name.as_str()), Some("DevChat"));
    let RoomEvent::Notification { message, .. } = event else {
        panic!("a notification event");
    };
    assert!(matches!(message.from, Some(Sender::Name(ref name)) if name == "SomeDude"));
}

#[test]
fn enter_topic_and_unknown_events() {
    let room = json!({"id": 1, "name": "Ops", "links": {"self": "s"}});
    let user = json!({"id": 7, "name": "Ada", "mention_name": "ada"});
    let deliver = |event: &str, item: serde_json::Value| {
        serde_json::from_value::<Delivery>(json!({
            "event": event, "item": item, "oauth_client_id": "oauth", "webhook_id": "12"
        }))
        .unwrap()
    };
    let enter = deliver("room_enter", json!({"room": room, "sender": user}));
    assert_eq!(enter.webhook_id, Some(12), "a numeric string");
    assert!(
        matches!(enter.room_event().unwrap(), RoomEvent::Enter { sender, .. } if sender.id == 7)
    );
    let topic = deliver(
        "room_topic_change",
        json!({"room": room, "topic": "Incident", "sender": {"id": "client", "name": "Bot"}}),
    );
    assert!(matches!(
        topic.room_event().unwrap(),
        RoomEvent::TopicChange { ref topic, .. } if topic == "Incident"
    ));
    // An event added after this crate: kept whole, with its room.
    let future = deliver("room_hologram", json!({"room": room, "beam": true}));
    let RoomEvent::Other {
        event,
        room: stub,
        item,
    } = future.room_event().unwrap()
    else {
        panic!("kept as Other");
    };
    assert_eq!(event.as_str(), "room_hologram");
    assert_eq!(stub.map(|r| r.id), Some(1));
    assert_eq!(item["beam"], true);
    // A known event whose item is not the documented shape is an error, not a guess.
    let broken = deliver("room_enter", json!({"room": room}));
    assert!(broken.room_event().is_err());
}
