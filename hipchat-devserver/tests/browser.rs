//! End to end in a real browser: headless Chromium driven over WebDriver (`chromedriver`,
//! Debian's `chromium-driver`) with fantoccini. The page at `/` starts empty, then shows
//! a notification with a card (title, lozenge) and an html notification sent through the
//! real client, without a reload; its forms make a room, set a topic, and install and
//! uninstall a Connect add-on (a tiny one the test serves). A screenshot is saved as a test artifact:
//! `<target dir>/test-artifacts/devserver-page.png`.
//!
//! Needs `chromium` and `chromedriver` on the PATH (`.ci/run` installs them). Without
//! them the test fails under CI (`CI=true`) and says what to install; on a developer's
//! machine it passes without running, saying so on stderr.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hipchat::{Color, Message};
use hipchat_devserver::DevServer;
use serde_json::{Value, json};

const INSTALL: &str = "run `apt-get install chromium chromium-driver` (Debian's packages; \
                       .ci/run installs them) to run the browser test";

/// How long the page may take to show what was sent (it polls every second).
const APPEAR_WITHIN: Duration = Duration::from_secs(10);

/// Whether this is a CI run (`CI` set, as CI services do, and not `false`/`0`): there the
/// browser test is required.
fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "false" | "0"))
}

/// `name` on the PATH.
fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A chromedriver on a free loopback port, in a process group of its own: dropping it
/// kills that group (chromedriver and any browser it left behind).
struct Driver {
    child: Child,
    url: String,
    profile: tempfile::TempDir,
    log: PathBuf,
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let profile = tempfile::tempdir().expect("temp dir");
        let log = profile.path().join("chromedriver.log");
        let mut command = Command::new(chromedriver);
        command
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL}", chromedriver.display()));
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile,
            log,
        }
    }

    /// Waits (bounded) until chromedriver answers `/status` with `ready`.
    async fn ready(&mut self) {
        let client = common::client();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver exited ({status}): {}", self.log_text());
            }
            let status = client.get(format!("{}/status", self.url)).send().await;
            if let Ok(response) = status {
                let body: Value = response.json().await.unwrap_or(Value::Null);
                if body["value"]["ready"] == true {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver not ready within 20 s: {}", self.log_text());
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group's id is the child's pid (process_group(0)).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Headless Chromium as the machine allows it as root, with a fresh profile and no
/// traffic beyond loopback.
fn capabilities(chromium: &Path, profile: &Path) -> Capabilities {
    let options = json!({
        "binary": chromium,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--window-size=1200,800",
            format!("--user-data-dir={}", profile.join("chromium").display()),
        ],
    });
    let mut capabilities = Capabilities::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    capabilities
}

/// What the page shows, read in one script.
async fn page_state(browser: &Client) -> Value {
    let script = r#"
        const text = (selector) => {
            const el = document.querySelector(selector);
            return el ? el.textContent : null;
        };
        return {
            articles: document.querySelectorAll("article.msg").length,
            empty: document.getElementById("empty") !== null,
            main: document.getElementById("main").innerText,
            rooms: document.getElementById("rooms").innerText,
            card_title: text(".card .card-title"),
            lozenge: text(".card .lozenge"),
            bold: text("article.msg .body b"),
            marker: window.devserverMarker === 42,
        };
    "#;
    browser.execute(script, vec![]).await.expect("script runs")
}

fn artifact_path() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target dir>/tmp`.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")));
    target.join("test-artifacts").join("devserver-page.png")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_new_notifications_and_cards_without_reload() {
    let (Some(chromedriver), Some(chromium)) = (program("chromedriver"), program("chromium"))
    else {
        let missing = "chromium or chromedriver is not on the PATH";
        if under_ci() {
            panic!("{missing} (required under CI=true): {INSTALL}");
        }
        // Straight to stderr: the test harness captures `eprintln!` of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** BROWSER TEST NOT RUN: {missing}; {INSTALL} ***\n"
        );
        return;
    };
    let server = DevServer::start().await.expect("devserver starts");
    let mut driver = Driver::start(&chromedriver);
    driver.ready().await;
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities(&chromium, driver.profile.path()))
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("WebDriver session: {e}; {}", driver.log_text()));
    let outcome = tokio::time::timeout(Duration::from_secs(90), drive(&browser, &server)).await;
    let closed = browser.close().await;
    outcome.expect("the browser test finishes within 90 s");
    closed.expect("the browser closes");
    server.stop().await.expect("devserver stops");
    drop(driver);
}

async fn drive(browser: &Client, server: &DevServer) {
    browser
        .goto(&format!("{}/", server.url()))
        .await
        .expect("the page opens");
    assert_eq!(browser.title().await.expect("title"), "hipchat-devserver");
    let before = page_state(browser).await;
    assert_eq!(before["articles"], 0, "no messages yet: {before}");
    assert_eq!(before["empty"], true, "{before}");
    assert!(
        before["main"]
            .as_str()
            .is_some_and(|main| main.contains("No messages yet")),
        "{before}"
    );
    // Set on this page: still there afterwards means the page was not reloaded.
    browser
        .execute("window.devserverMarker = 42;", vec![])
        .await
        .expect("script runs");

    // The card: the client has no card support yet, so this one goes with reqwest.
    let card = json!({
        "style": "application", "id": "build-42", "format": "medium",
        "title": "Build 42 passed", "url": "https://ci.example.com/42",
        "description": {"format": "html", "value": "<b>main</b> at 3f2a9c1, 1082 tests"},
        "attributes": [
            {"label": "Tests", "value": {"label": "1082 passed", "style": "lozenge-success"}},
            {"label": "Branch", "value": {"label": "main"}}
        ],
        "activity": {"html": "<strong>ci</strong> finished build 42"}
    });
    let sent = common::post_json(
        server,
        "/v2/room/Ops/notification",
        &json!({"message": "Build 42 passed", "color": "green", "card": card}),
    )
    .await;
    assert_eq!(sent.status, 204, "{sent:?}");

    // The html message: through the real client, over HTTP.
    common::notifier(server, "dev")
        .send(
            Message::new("Deploy of <b>billing</b> failed on prod-3")
                .room("Ops")
                .color(Color::Red)
                .notify(true)
                .from("deploy-bot"),
        )
        .await
        .expect("delivered");

    let deadline = Instant::now() + APPEAR_WITHIN;
    let mut state = page_state(browser).await;
    while state["articles"] != 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        state = page_state(browser).await;
    }
    assert_eq!(
        state["articles"], 2,
        "both messages within {APPEAR_WITHIN:?}: {state}"
    );
    assert_eq!(state["marker"], true, "shown without a reload: {state}");
    assert_eq!(state["empty"], false, "{state}");
    assert_eq!(state["card_title"], "Build 42 passed", "{state}");
    assert_eq!(state["lozenge"], "1082 passed", "{state}");
    assert_eq!(state["bold"], "billing", "the html is rendered: {state}");
    let main = state["main"].as_str().unwrap_or_default();
    for shown in [
        "Deploy of billing failed on prod-3",
        "Dev - deploy-bot",
        "Tests",
        "ci finished build 42",
    ] {
        assert!(main.contains(shown), "{shown:?} not on the page: {main}");
    }
    assert!(
        state["rooms"]
            .as_str()
            .is_some_and(|rooms| rooms.contains("Ops") && rooms.contains('2')),
        "the room list counts both: {state}"
    );
    // Drawn, not just present: the success lozenge is green.
    let lozenge = browser
        .find(Locator::Css(".card .lozenge-success"))
        .await
        .expect("lozenge element");
    assert_eq!(
        lozenge
            .css_value("background-color")
            .await
            .expect("css value"),
        "rgba(20, 137, 44, 1)"
    );
    assert!(lozenge.is_displayed().await.expect("displayed"));

    create_a_room_and_set_its_topic(browser, server).await;
    install_and_uninstall_an_add_on(browser, server).await;

    let png = browser.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let path = artifact_path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("artifact dir");
    }
    std::fs::write(&path, &png).expect("screenshot written");
    println!("screenshot: {}", path.display());
}

/// Waits (bounded) until `script` returns `true`.
async fn wait_until(browser: &Client, script: &str, what: &str) {
    let deadline = Instant::now() + APPEAR_WITHIN;
    loop {
        let done = browser.execute(script, vec![]).await.expect("script runs");
        if done == true {
            return;
        }
        assert!(Instant::now() < deadline, "{what} within {APPEAR_WITHIN:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element `css` selects.
async fn click(browser: &Client, css: &str) {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

/// The page's forms: a new room, a refused duplicate, and a topic.
async fn create_a_room_and_set_its_topic(browser: &Client, server: &DevServer) {
    let name = browser
        .find(Locator::Css("#new-room-name"))
        .await
        .expect("new room input");
    name.send_keys("Standup").await.expect("typed");
    click(browser, "#new-room button").await;
    wait_until(
        browser,
        r#"return !!document.querySelector('section[data-key="room:Standup"] h2');"#,
        "the new room's section",
    )
    .await;
    assert_eq!(
        server.room("Standup").map(|room| room["topic"].clone()),
        Some(json!("")),
        "created on the server"
    );

    name.send_keys("Ops").await.expect("typed");
    click(browser, "#new-room button").await;
    wait_until(
        browser,
        r#"return document.getElementById("new-room-error").textContent === "Another room exists with that name.";"#,
        "the duplicate name refused",
    )
    .await;

    let topic = browser
        .find(Locator::Css(
            r#"section[data-key="room:Standup"] .topic-form input"#,
        ))
        .await
        .expect("topic input");
    topic.send_keys("Daily at 9:30").await.expect("typed");
    browser
        .find(Locator::Css(
            r#"section[data-key="room:Standup"] .topic-form button"#,
        ))
        .await
        .expect("topic button")
        .click()
        .await
        .expect("clicked");
    wait_until(
        browser,
        r#"return document.querySelector('section[data-key="room:Standup"] .topic-text').textContent === "Daily at 9:30";"#,
        "the topic shown",
    )
    .await;
    assert_eq!(
        server.room("Standup").map(|room| room["topic"].clone()),
        Some(json!("Daily at 9:30"))
    );
    // A topic set through the API shows up too (the page polls the rooms).
    let api = common::client()
        .put(format!("{}/v2/room/Ops/topic", server.url()))
        .bearer_auth("dev")
        .json(&json!({"topic": "Deploys & alerts"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(api.status(), 204);
    wait_until(
        browser,
        r#"return document.querySelector('section[data-key="room:Ops"] .topic-text').textContent === "Deploys & alerts";"#,
        "the API's topic shown",
    )
    .await;
}

/// The "Add-ons" section: install the test add-on into Ops with the form, see it listed
/// under the room, uninstall it with its button.
async fn install_and_uninstall_an_add_on(browser: &Client, server: &DevServer) {
    let addon = common::addon::FakeAddon::start().await;
    browser
        .find(Locator::Css("#addon-url"))
        .await
        .expect("descriptor URL input")
        .send_keys(&addon.descriptor_url())
        .await
        .expect("typed");
    browser
        .find(Locator::Css("#addon-room"))
        .await
        .expect("room input")
        .send_keys("Ops")
        .await
        .expect("typed");
    click(browser, "#install-addon button").await;
    wait_until(
        browser,
        r#"const row = document.querySelector('#addon-list .addon[data-key="test-addon"]');
           return !!row && row.parentElement.querySelector("h3").textContent === "Room Ops"
               && row.textContent.includes("Test Add-on");"#,
        "the installed add-on listed under its room",
    )
    .await;
    let installed = server.addons();
    assert_eq!(installed.len(), 1);
    assert_eq!(addon.seen().installs.len(), 1);
    click(
        browser,
        r#"#addon-list .addon[data-key="test-addon"] button"#,
    )
    .await;
    wait_until(
        browser,
        r#"return !document.querySelector('#addon-list .addon');"#,
        "the add-on gone from the list",
    )
    .await;
    assert!(server.addons().is_empty());
    assert_eq!(addon.seen().uninstalls, [installed[0].oauth_id.clone()]);
}
