//! Declares three notifications and sends them through the default notifier.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no `HIPCHAT_*` configuration it starts a local HipChat server in-process
//! (`hipchat-devserver`), makes an http notifier to it the default, sends over real HTTP,
//! and prints what the server received. With configuration it uses the environment:
//!
//! ```sh
//! HIPCHAT_BACKEND=console cargo run --example quickstart     # print instead of sending
//! HIPCHAT_BACKEND=http HIPCHAT_API_URL=https://hipchat.example.com \
//!   HIPCHAT_AUTH_TOKEN=... cargo run --example quickstart      # your server
//! ```

mod support;

use hipchat::prelude::*;

/// A template file, `templates/deploy_failed.hipchat`, ported from django-hipchat: its
/// `room_id` block names the room.
#[hipchat(color = "red", notify = true, template = "deploy_failed.hipchat")]
struct DeployFailed {
    service: String,
    version: String,
    url: String,
}

/// `templates/release.hipchat` extends a layout and includes a partial.
#[hipchat(room = "Releases", color = "green", template = "release.hipchat")]
struct Released {
    service: String,
    version: String,
    links: Vec<Link>,
}

struct Link {
    title: String,
    url: String,
}

/// An inline template in text format, so the @mention works.
#[hipchat(
    room = "Ops",
    format = "text",
    message = "{{ on_call|mention }} disk {{ disk }} on {{ host }} is {{ percent }}% full"
)]
struct DiskAlmostFull {
    on_call: String,
    host: String,
    disk: String,
    percent: u8,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let local_server = support::local_server_unless_configured().await?;
    let notifier = hipchat::default_notifier()?;
    println!("Default notifier: {notifier:?}\n");

    DeployFailed {
        service: "billing".into(),
        version: "1.4.2".into(),
        url: "https://ci.example.com/builds/1842?tab=log&step=deploy".into(),
    }
    .notify()
    .await?;

    Released {
        service: "checkout".into(),
        version: "2.0.0".into(),
        links: vec![
            Link {
                title: "release notes".into(),
                url: "https://example.com/notes/2.0.0".into(),
            },
            Link {
                title: "diff".into(),
                url: "https://example.com/compare/1.9.3...2.0.0".into(),
            },
        ],
    }
    .notify()
    .await?;

    DiskAlmostFull {
        on_call: "alice".into(),
        host: "db-3".into(),
        disk: "/var/lib/postgresql".into(),
        percent: 93,
    }
    .notify()
    .await?;

    // Bad input is a typed error that names the problem, and nothing is sent.
    let oversized = DeployFailed {
        service: "x".repeat(10_000),
        version: "1.4.3".into(),
        url: "https://ci.example.com/builds/1843".into(),
    };
    support::print_refusal(oversized.notify().await);

    if let Some(server) = local_server {
        let received = server.all_messages();
        println!(
            "The local server received {} notifications over HTTP:",
            received.len()
        );
        for message in received {
            let room = message.room().unwrap_or_default();
            println!(
                "  [{room}] {} ({}, {}{}): {}",
                message.sender_label(),
                message.color,
                message.message_format,
                if message.notify { ", notify" } else { "" },
                message.message
            );
        }
        server.stop().await?;
    }
    Ok(())
}
