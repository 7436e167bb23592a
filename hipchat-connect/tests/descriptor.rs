//! The descriptor against the world: every real descriptor in the fixtures parses, every
//! descriptor the library writes validates against HipChat's own JSON Schema and reads
//! back equal, and every declaration error names its key.

use std::path::PathBuf;

use hipchat_connect::descriptor::{
    Action, ActionLocation, Authentication, Avatar, Condition, ConditionName, Configurable,
    Descriptor, Dialog, DialogAction, DialogOptions, DialogSize, DialogSizeName, DialogStyle,
    ExternalPage, Glance, Icon, Name, Scope, Target, WebPanel, WebPanelLocation, Webhook,
    WebhookEvent,
};
use hipchat_connect::{Addon, AddonError, Problem};
use serde_json::{Value, json};

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/hipchat-connect")
        .join(name)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn parse_fixture(name: &str) -> Descriptor {
    Descriptor::from_json(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// HipChat's schema is draft 3 in one respect: union types whose members are schemas
/// (`"type": [{…}, {…}]`). Draft 4 spells that `anyOf`, which is what this rewrites it
/// to (a plain type name becomes `{"type": name}`); everything else is draft 4.
fn draft4(schema: Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("type", Value::Array(members)) if members.iter().any(Value::is_object) => {
                        let any_of = members
                            .into_iter()
                            .map(|member| match member {
                                Value::String(name) => json!({ "type": name }),
                                other => draft4(other),
                            })
                            .collect();
                        out.insert("anyOf".to_owned(), Value::Array(any_of));
                    }
                    (_, value) => {
                        out.insert(key, draft4(value));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(draft4).collect()),
        other => other,
    }
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&fixture("hipchat-addon-capabilities.schema.json")).unwrap();
    jsonschema::draft4::new(&draft4(schema)).expect("the schema compiles")
}

fn assert_schema_valid(json: &Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(json)
        .map(|err| format!("{} at {}", err, err.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}\n{json:#}");
}

fn minimal() -> Addon {
    Addon::builder("com.example.minimal", "Minimal", "https://addon.example")
        .scopes([Scope::SendNotification])
        .build()
        .expect("a minimal add-on builds")
}

fn full(base: &str) -> Addon {
    Addon::builder("com.example.full", "Full", base)
        .description("Every module kind")
        .vendor("Example", "https://example.com")
        .homepage("/")
        .scopes([Scope::SendNotification, Scope::ViewRoom, Scope::AdminRoom])
        .from_name("Full bot")
        .avatar("/static/avatar.png")
        .allow_global(false)
        .descriptor_path("/addon/capabilities")
        .installed_path("/addon/installable")
        .uninstalled_path("/addon/uninstalled")
        .webhook(
            Webhook::new(WebhookEvent::RoomMessage, "/webhook/hello")
                .with_pattern("^/hello")
                .with_name("Hello")
                .with_key("hello.hook"),
        )
        .webhook(Webhook {
            authentication: None,
            ..Webhook::new(WebhookEvent::RoomEnter, "/webhook/enter")
        })
        .glance(
            Glance::new("full.glance", "Builds", Icon::new("/static/icon.png"))
                .with_query_url("/glance?v=1")
                .with_target("full.sidebar")
                .with_weight(10)
                .with_condition(Condition::or([
                    Condition::is(ConditionName::RoomIsPublic),
                    Condition::metadata(ConditionName::GlanceMatches, [("status", "red")]),
                ])),
        )
        .web_panel(
            WebPanel::new("full.sidebar", "Sidebar", "/sidebar")
                .with_icon(Icon::new("https://cdn.example/icon.png"))
                .with_condition(Condition::not(ConditionName::UserIsGuest)),
        )
        .dialog(
            Dialog::new("full.dialog", "Dialog", "/dialog").with_options(DialogOptions {
                style: Some(DialogStyle::Warning),
                primary_action: Some(DialogAction::new("OK", "full.ok")),
                secondary_actions: vec![DialogAction::new("Cancel", "full.cancel")],
                size: Some(DialogSize::Named(DialogSizeName::Large)),
                hint: Some(Name::new("A hint")),
                filter: None,
            }),
        )
        .dialog(
            Dialog::new("full.sized", "Sized", "/sized").with_options(DialogOptions {
                size: Some(DialogSize::Dimensions {
                    width: "400px".to_owned(),
                    height: "50%".to_owned(),
                }),
                ..DialogOptions::default()
            }),
        )
        .action(
            Action::new(
                "full.details",
                "Details",
                ActionLocation::MessageAction,
                "full.glance",
            )
            .with_condition(Condition::metadata(
                ConditionName::CardMatches,
                [("type", "event")],
            ))
            .with_condition(Condition::and([
                Condition::is(ConditionName::MessageContainsLink),
                Condition::not(ConditionName::MessageSentByCurrentUser),
            ])),
        )
        .action(Action::new(
            "full.input",
            "Open",
            ActionLocation::InputAction,
            Target::WithOptions {
                key: "full.dialog".to_owned(),
                options: None,
            },
        ))
        .action(
            Action::new(
                "full.docs",
                "Docs",
                ActionLocation::InputAction,
                "full.docs.page",
            )
            .with_weight(200),
        )
        .external_page(
            ExternalPage::new("full.docs.page", "https://docs.example/").with_name("Docs"),
        )
        .configurable(Configurable::new("/config"))
        .admin_page("/admin")
        .oauth2_redirection_urls(["/oauth/callback"])
        .build()
        .expect("a full add-on builds")
}

fn refused(result: Result<Addon, AddonError>) -> (Vec<Problem>, String) {
    let err = result.expect_err("the declaration is refused");
    (err.problems().to_vec(), err.to_string())
}

// ---- real descriptors parse ----

#[test]
fn the_ac_koa_descriptor_parses_and_ignores_unknown_top_level_keys() {
    let d = parse_fixture("addon-descriptor.ac-koa-hipchat.json");
    assert_eq!(d.key, "test");
    assert_eq!(d.name, "Test Name");
    assert_eq!(d.scopes(), [Scope::SendNotification]);
    let installable = d.capabilities.installable.as_ref().unwrap();
    assert!(installable.allow_room);
    assert!(!installable.allow_global);
    assert_eq!(
        installable.callback_url.as_deref(),
        Some("http://{{hostname}}:4000/hipchat/addon/installable")
    );
    assert!(d.capabilities.webhook.is_empty());
    assert_eq!(d.vendor.as_ref().unwrap().name, "Atlassian");
    // `version` is not a descriptor key: ignored, not written back.
    assert!(d.to_json().get("version").is_none());
}

#[test]
fn the_ace_template_webhook_object_reads_as_a_one_element_list() {
    let d = parse_fixture("addon-descriptor.ace-hipchat-template.json");
    assert_eq!(d.key, "my-add-on");
    assert_eq!(d.scopes(), [Scope::SendNotification, Scope::ViewRoom]);
    let [hook] = d.capabilities.webhook.as_slice() else {
        panic!("one webhook: {:?}", d.capabilities.webhook);
    };
    assert_eq!(hook.event, WebhookEvent::RoomMessage);
    assert_eq!(hook.pattern.as_deref(), Some("^/hello"));
    assert_eq!(hook.url, "{{localBaseUrl}}/webhook");
    assert_eq!(hook.effective_authentication(), Authentication::Jwt);
    assert!(matches!(
        &d.capabilities.hipchat_api_consumer.as_ref().unwrap().avatar,
        Some(Avatar::Image {
            url_2x: Some(_),
            ..
        })
    ));
    // No allowRoom/allowGlobal: both default to true.
    let installable = d.capabilities.installable.as_ref().unwrap();
    assert!(installable.allow_room && installable.allow_global);
    assert_eq!(
        d.capabilities.glance[0].target.as_ref().unwrap().key(),
        "sample.sidebar"
    );
    assert_eq!(
        d.capabilities.glance[0].icon.url_2x,
        "{{localBaseUrl}}/img/logo.png"
    );
    assert_eq!(
        d.capabilities.web_panel[0].location,
        WebPanelLocation::SidebarRight
    );
    let options = d.capabilities.dialog[0].options.as_ref().unwrap();
    assert_eq!(
        options.size,
        Some(DialogSize::Dimensions {
            width: "400px".into(),
            height: "200px".into()
        })
    );
    assert_eq!(
        options.primary_action.as_ref().unwrap().key.as_deref(),
        Some("sample.dialog.action")
    );
    assert_eq!(
        d.capabilities.action[0].location,
        ActionLocation::InputAction
    );
    assert_eq!(
        d.capabilities.configurable.as_ref().unwrap().url,
        "{{localBaseUrl}}/config"
    );
    // Written back, the webhook is an array.
    assert!(d.to_json()["capabilities"]["webhook"].is_array());
}

#[test]
fn the_gorillastack_descriptor_parses() {
    let d = parse_fixture("addon-descriptor.gorillastack.json");
    assert_eq!(d.key, "serverless-hipchat-boilerplate");
    let consumer = d.capabilities.hipchat_api_consumer.as_ref().unwrap();
    assert_eq!(consumer.from_name.as_deref(), Some("Sample Add-on"));
    assert_eq!(d.capabilities.webhook.len(), 1);
    assert_eq!(d.capabilities.webhook[0].pattern.as_deref(), Some("^/echo"));
    assert_eq!(
        d.capabilities
            .installable
            .as_ref()
            .unwrap()
            .uninstalled_url
            .as_deref(),
        Some("${host}/uninstalled")
    );
    assert_eq!(d.links.self_url, "${host}/descriptor");
    assert_eq!(d.capabilities.dialog[0].key, "sample.dialog");
}

#[test]
fn the_sentry_descriptor_parses_with_its_conditions_and_icon() {
    let d = parse_fixture("addon-descriptor.sentry-hipchat-ac.json");
    assert_eq!(d.key, "<ADDON_KEY>");
    assert_eq!(d.capabilities.web_panel.len(), 2);
    assert_eq!(d.capabilities.action.len(), 2);
    let details = &d.capabilities.action[0];
    assert_eq!(details.key, "message.sentry.event-details");
    assert_eq!(details.location, ActionLocation::MessageAction);
    assert_eq!(
        details.conditions,
        [Condition::metadata(
            ConditionName::CardMatches,
            [("sentry_message_type", "event")]
        )]
    );
    assert_eq!(
        d.capabilities.glance[0].conditions,
        [Condition::metadata(
            ConditionName::GlanceMatches,
            [("this_is_a_dummy", true)]
        )]
    );
    assert!(d.capabilities.glance[1].conditions.is_empty());
    assert_eq!(
        d.capabilities.webhook[0].pattern.as_deref(),
        Some("<SENTRY_URL_PREFIX-regex>/")
    );
    // The non-schema top-level `icon` and the `_note` are ignored.
    let written = d.to_json();
    assert!(written.get("icon").is_none() && written.get("_note").is_none());
    assert_eq!(d.vendor.as_ref().unwrap().url, "https://www.getsentry.com/");
}

#[test]
fn the_songwhipper_descriptor_parses() {
    let d = parse_fixture("addon-descriptor.songwhipper-sample.json");
    assert_eq!(d.key, "sample-hipchat-addon");
    assert_eq!(d.capabilities.webhook[0].pattern.as_deref(), Some(".*"));
    assert_eq!(d.capabilities.webhook[0].name.as_deref(), Some("Songwhip"));
    assert_eq!(d.links.homepage.as_deref(), Some("${host}"));
}

#[test]
fn every_fixture_descriptor_reads_back_equal_after_writing() {
    let dir = fixture_path("");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !(name.starts_with("addon-descriptor.") && name.ends_with(".json")) {
            continue;
        }
        let parsed = parse_fixture(&name);
        let again: Descriptor = serde_json::from_value(parsed.to_json()).unwrap();
        assert_eq!(again, parsed, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 5);
}

#[test]
fn unknown_enum_values_are_kept() {
    let json = r#"{"key":"k","name":"n","description":"d","links":{"self":"https://a/d"},
        "capabilities":{"hipchatApiConsumer":{"scopes":["send_notification","teleport"]},
        "webhook":{"event":"room_levitated","url":"https://a/w","authentication":"mtls"},
        "action":[{"key":"a","name":{"value":"A"},"target":"x","location":"hipchat.elsewhere"}],
        "dialog":[{"key":"d","title":{"value":"D"},"url":"https://a/d",
          "options":{"size":"gigantic","style":"calm"}}]}}"#;
    let d = Descriptor::from_json(json).unwrap();
    assert_eq!(
        d.scopes(),
        [Scope::SendNotification, Scope::Other("teleport".into())]
    );
    assert_eq!(
        d.capabilities.webhook[0].event,
        WebhookEvent::Other("room_levitated".into())
    );
    assert_eq!(
        d.capabilities.webhook[0].authentication,
        Some(Authentication::Other("mtls".into()))
    );
    assert_eq!(
        d.capabilities.action[0].location,
        ActionLocation::Other("hipchat.elsewhere".into())
    );
    let options = d.capabilities.dialog[0].options.as_ref().unwrap();
    assert_eq!(
        options.size,
        Some(DialogSize::Named(DialogSizeName::Other("gigantic".into())))
    );
    assert_eq!(options.style, Some(DialogStyle::Other("calm".into())));
    let written = d.to_json();
    assert_eq!(
        written["capabilities"]["hipchatApiConsumer"]["scopes"],
        json!(["send_notification", "teleport"])
    );
}

// ---- what the library writes ----

#[test]
fn the_schema_check_is_real() {
    // A known-bad descriptor fails: an unknown scope, a card_matches on a glance.
    let mut bad = minimal().descriptor_json();
    bad["capabilities"]["hipchatApiConsumer"]["scopes"] = json!(["teleport"]);
    bad["capabilities"]["glance"] = json!([{"key":"g","name":{"value":"G"},
        "icon":{"url":"https://a/i","url@2x":"https://a/i"},
        "conditions":[{"condition":"card_matches"}]}]);
    let validator = validator();
    assert_eq!(validator.iter_errors(&bad).count(), 2, "{bad:#}");
}

#[test]
fn a_minimal_addon_validates_against_the_schema() {
    let addon = minimal();
    let json = addon.descriptor_json();
    assert_schema_valid(&json);
    assert_eq!(
        json,
        json!({
            "key": "com.example.minimal",
            "name": "Minimal",
            "description": "Minimal",
            "links": {"self": "https://addon.example/atlassian-connect.json"},
            "capabilities": {
                "hipchatApiConsumer": {"scopes": ["send_notification"]},
                "installable": {
                    "allowGlobal": true,
                    "allowRoom": true,
                    "callbackUrl": "https://addon.example/installable"
                }
            }
        })
    );
    assert_eq!(addon.key(), "com.example.minimal");
    assert_eq!(addon.base_url().as_str(), "https://addon.example/");
    assert_eq!(addon.descriptor_path(), "/atlassian-connect.json");
    assert_eq!(addon.installed_path(), "/installable");
    assert_eq!(addon.uninstalled_path(), None);
    assert_eq!(addon.scopes(), [Scope::SendNotification]);
    assert!(addon.allows_room() && addon.allows_global());
}

#[test]
fn a_full_addon_validates_against_the_schema() {
    let addon = full("https://addon.example");
    let json = addon.descriptor_json();
    assert_schema_valid(&json);
    let caps = &json["capabilities"];
    assert_eq!(
        json["links"]["self"],
        "https://addon.example/addon/capabilities"
    );
    assert_eq!(json["links"]["homepage"], "https://addon.example/");
    assert_eq!(caps["installable"]["allowGlobal"], false);
    assert_eq!(
        caps["installable"]["uninstalledUrl"],
        "https://addon.example/addon/uninstalled"
    );
    // Every webhook the add-on declares is signed, even one that left it unset.
    assert_eq!(caps["webhook"][0]["authentication"], "jwt");
    assert_eq!(caps["webhook"][1]["authentication"], "jwt");
    assert_eq!(
        caps["glance"][0]["queryUrl"],
        "https://addon.example/glance?v=1"
    );
    assert_eq!(
        caps["glance"][0]["icon"]["url@2x"],
        "https://addon.example/static/icon.png"
    );
    assert_eq!(
        caps["webPanel"][0]["icon"]["url"],
        "https://cdn.example/icon.png"
    );
    assert_eq!(caps["externalPage"][0]["url"], "https://docs.example/");
    assert_eq!(
        caps["oauth2Consumer"]["redirectionUrls"][0],
        "https://addon.example/oauth/callback"
    );
    assert_eq!(
        caps["hipchatApiConsumer"]["avatar"],
        "https://addon.example/static/avatar.png"
    );
    assert_eq!(caps["hipchatApiConsumer"]["fromName"], "Full bot");
    assert_eq!(
        json["vendor"],
        json!({"name": "Example", "url": "https://example.com"})
    );
    assert_eq!(json["description"], "Every module kind");
    assert_eq!(
        caps["dialog"][1]["options"]["size"],
        json!({"width": "400px", "height": "50%"})
    );
    assert!(!addon.allows_global());
    assert!(addon.allows_room());
    assert_eq!(
        addon.descriptor_url().as_str(),
        "https://addon.example/addon/capabilities"
    );
    assert_eq!(
        addon
            .local_path("https://addon.example/webhook/hello")
            .as_deref(),
        Some("/webhook/hello")
    );
    assert_eq!(addon.local_path("https://cdn.example/icon.png"), None);
    assert_eq!(
        addon
            .local_path("https://addon.example/glance?v=1")
            .as_deref(),
        Some("/glance")
    );
    assert_eq!(addon.local_path("http://addon.example/glance"), None);
}

#[test]
fn a_path_prefixed_base_url_keeps_its_prefix_everywhere() {
    for base in ["https://h.example/bot/", "https://h.example/bot"] {
        let addon = full(base);
        let json = addon.descriptor_json();
        assert_schema_valid(&json);
        assert_eq!(addon.base_url().as_str(), "https://h.example/bot/");
        assert_eq!(
            json["links"]["self"],
            "https://h.example/bot/addon/capabilities"
        );
        assert_eq!(
            json["capabilities"]["installable"]["callbackUrl"],
            "https://h.example/bot/addon/installable"
        );
        assert_eq!(
            json["capabilities"]["webhook"][0]["url"],
            "https://h.example/bot/webhook/hello"
        );
        assert_eq!(
            json["capabilities"]["configurable"]["url"],
            "https://h.example/bot/config"
        );
        let text = json.to_string();
        assert!(!text.replace("https://", "").contains("//"), "{text}");
        assert_eq!(
            addon.local_path("https://h.example/bot/sidebar").as_deref(),
            Some("/sidebar")
        );
        assert_eq!(addon.local_path("https://h.example/other/sidebar"), None);
    }
}

#[test]
fn emitted_descriptors_read_back_equal() {
    for addon in [
        minimal(),
        full("https://addon.example"),
        full("http://localhost:8080/x/"),
    ] {
        let text = serde_json::to_string(&addon.descriptor_json()).unwrap();
        let parsed = Descriptor::from_json(&text).unwrap();
        assert_eq!(&parsed, addon.descriptor());
    }
}

// ---- declaration errors ----

#[test]
fn a_bad_base_url_is_refused() {
    for base in ["ftp://h.example/", "not a url", "https://h.example/?a=1"] {
        let (problems, message) = refused(
            Addon::builder("k", "n", base)
                .scopes([Scope::SendNotification])
                .build(),
        );
        assert!(
            matches!(&problems[..], [Problem::BaseUrl { url, .. }] if url == base),
            "{problems:?}"
        );
        assert!(message.contains(base), "{message}");
    }
}

#[test]
fn bad_keys_are_named() {
    let (problems, message) = refused(
        Addon::builder("bad key!", "n", "https://a.example")
            .scopes([Scope::SendNotification])
            .web_panel(WebPanel::new(&*"p".repeat(41), "Panel", "/p"))
            .webhook(Webhook::new(WebhookEvent::RoomMessage, "/w").with_key("bad/hook"))
            .build(),
    );
    let keys: Vec<&str> = problems
        .iter()
        .map(|problem| match problem {
            Problem::InvalidKey { key } => key.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(keys, ["bad key!", "bad/hook", &*"p".repeat(41)]);
    assert!(
        message.contains("`bad key!`") && message.contains("`bad/hook`"),
        "{message}"
    );
}

#[test]
fn names_must_have_1_to_100_characters() {
    let (problems, message) = refused(
        Addon::builder("k", "", "https://a.example")
            .scopes([Scope::SendNotification])
            .dialog(Dialog::new("long.dialog", "x".repeat(101), "/d"))
            .build(),
    );
    assert_eq!(
        problems,
        [
            Problem::InvalidName {
                key: "k".into(),
                field: "name",
                len: 0,
                min: 1,
                max: 100
            },
            Problem::InvalidName {
                key: "long.dialog".into(),
                field: "title",
                len: 101,
                min: 1,
                max: 100
            },
        ]
    );
    assert!(
        message.contains("`long.dialog`: title must be 1–100 characters, not 101"),
        "{message}"
    );
}

#[test]
fn duplicate_module_keys_are_named_once() {
    let (problems, message) = refused(
        Addon::builder("k", "n", "https://a.example")
            .scopes([Scope::SendNotification])
            .web_panel(WebPanel::new("same", "A", "/a"))
            .dialog(Dialog::new("same", "B", "/b"))
            .external_page(ExternalPage::new("same", "/c"))
            .build(),
    );
    assert_eq!(problems, [Problem::DuplicateKey { key: "same".into() }]);
    assert!(
        message.contains("key `same` is declared more than once"),
        "{message}"
    );
}

#[test]
fn targets_must_name_declared_modules() {
    let (problems, message) = refused(
        Addon::builder("k", "n", "https://a.example")
            .scopes([Scope::SendNotification])
            .web_panel(WebPanel::new("panel", "P", "/p"))
            .glance(Glance::new("g", "G", Icon::new("/i.png")).with_target("nowhere"))
            .action(Action::new("a", "A", ActionLocation::InputAction, "panel"))
            .action(Action::new("b", "B", ActionLocation::InputAction, "a"))
            .build(),
    );
    assert_eq!(
        problems,
        [
            Problem::UnknownTarget {
                key: "g".into(),
                target: "nowhere".into()
            },
            // An action is not a target.
            Problem::UnknownTarget {
                key: "b".into(),
                target: "a".into()
            },
        ]
    );
    assert!(message.contains("`g`: target `nowhere`"), "{message}");
}

#[test]
fn an_action_location_must_be_one_of_the_two() {
    let (problems, message) = refused(
        Addon::builder("k", "n", "https://a.example")
            .scopes([Scope::SendNotification])
            .dialog(Dialog::new("d", "D", "/d"))
            .action(Action::new(
                "a",
                "A",
                ActionLocation::from("hipchat.sidebar.left"),
                "d",
            ))
            .build(),
    );
    assert_eq!(
        problems,
        [Problem::UnknownValue {
            key: "a".into(),
            field: "location",
            value: "hipchat.sidebar.left".into()
        }]
    );
    assert!(
        message.contains("`a`: location `hipchat.sidebar.left`"),
        "{message}"
    );
}

#[test]
fn at_least_one_known_scope() {
    let (problems, message) = refused(Addon::builder("k", "n", "https://a.example").build());
    assert_eq!(problems, [Problem::NoScopes]);
    assert!(message.contains("no API scope"), "{message}");

    let (problems, _) = refused(
        Addon::builder("k", "n", "https://a.example")
            .scopes([Scope::from("teleport")])
            .build(),
    );
    assert_eq!(
        problems,
        [Problem::UnknownValue {
            key: "k".into(),
            field: "scopes",
            value: "teleport".into()
        }]
    );
}

#[test]
fn conditions_must_suit_the_module() {
    let (problems, message) = refused(
        Addon::builder("k", "n", "https://a.example")
            .scopes([Scope::SendNotification])
            .web_panel(
                WebPanel::new("p", "P", "/p")
                    .with_condition(Condition::and([Condition::is(ConditionName::CardMatches)])),
            )
            .glance(
                Glance::new("g", "G", Icon::new("/i.png"))
                    .with_condition(Condition::or(Vec::new())),
            )
            .build(),
    );
    assert_eq!(
        problems,
        [
            // Modules are checked kind by kind: glances before web panels.
            Problem::EmptyCondition { key: "g".into() },
            Problem::ConditionNotAllowed {
                key: "p".into(),
                module: "webPanel",
                condition: "card_matches".into()
            },
        ]
    );
    assert!(
        message.contains("`p`: condition `card_matches` does not apply to a webPanel"),
        "{message}"
    );
}

#[test]
fn urls_that_do_not_resolve_are_named() {
    let (problems, _) = refused(
        Addon::builder("k", "n", "https://a.example/bot/")
            .scopes([Scope::SendNotification])
            .web_panel(WebPanel::new("p", "P", "/../../etc"))
            .external_page(ExternalPage::new("e", "javascript:alert(1)"))
            .build(),
    );
    assert_eq!(
        problems,
        [
            Problem::InvalidUrl {
                key: "p".into(),
                url: "/../../etc".into()
            },
            Problem::InvalidUrl {
                key: "e".into(),
                url: "javascript:alert(1)".into()
            },
        ]
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let err = Addon::builder("bad key", "", "https://a.example")
        .web_panel(WebPanel::new("dup", "P", "/p"))
        .dialog(Dialog::new("dup", "D", "/d"))
        .build()
        .unwrap_err();
    assert_eq!(err.problems().len(), 4, "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with("the add-on declaration has 4 problem(s): "),
        "{message}"
    );
    for part in ["`bad key`", "`bad key`: name", "no API scope", "`dup`"] {
        assert!(message.contains(part), "{part} in {message}");
    }
}

#[test]
fn the_add_ons_own_routes_cannot_clash() {
    let build = |installed: &str, uninstalled: Option<&str>| {
        let mut builder = Addon::builder("bot", "Bot", "https://bot.example/")
            .scopes([Scope::SendNotification])
            .installed_path(installed);
        if let Some(path) = uninstalled {
            builder = builder.uninstalled_path(path);
        }
        builder.build()
    };
    for (installed, uninstalled, expected) in [
        ("/", None, "cannot be the root"),
        ("/atlassian-connect.json", None, "is the descriptor's path"),
        (
            "/installable",
            Some("/installable"),
            "install callback's path",
        ),
    ] {
        let error = build(installed, uninstalled).unwrap_err();
        assert!(
            error
                .problems()
                .iter()
                .any(|p| matches!(p, Problem::ClashingPath { .. })),
            "{error}"
        );
        assert!(error.to_string().contains(expected), "{error}");
    }
    assert!(build("/installable", Some("/uninstalled")).is_ok());
}
