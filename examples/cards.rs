//! Cards, replies and mentions declared on the struct, and a card built at run time.
//!
//! ```sh
//! cargo run --example cards
//! ```
//!
//! With no `HIPCHAT_*` configuration it sends to a local HipChat server started
//! in-process and prints the cards it received; `HIPCHAT_BACKEND=console` prints them
//! instead.

mod support;

use hipchat::card::{Attribute, Card, Lozenge};
use hipchat::prelude::*;
use hipchat::{Color, Format, Message};

/// One card per deploy: the `card_id` field makes each status update replace the card
/// shown for that deploy instead of adding another. The message stays the fallback for
/// clients without cards, and mentions the owner (text format).
#[hipchat(
    room = "Deploys",
    format = "text",
    message = "{{ owner|mention }} deploy of {{ service }} {{ version }}: {{ status }}",
    card(
        style = "application",
        format = "medium",
        title = "Deploy of {{ service }} {{ version }}",
        html_description = "<b>{{ service }}</b> {{ version }} to <i>{{ region }}</i>",
        url = "{{ build_url }}",
        icon = "https://ci.example.com/static/deploy.png",
        activity = "<strong>{{ owner }}</strong> deployed {{ service }}: {{ status }}",
        attribute(label = "Status", value = "{{ status }}", style = "{{ lozenge }}"),
        attribute(label = "Region", value = "{{ region }}"),
        attribute(
            label = "Log",
            value = "build {{ build }}",
            url = "{{ build_url }}/log"
        ),
    )
)]
struct DeployStatus {
    #[hipchat(card_id)]
    deploy_id: String,
    #[hipchat(color)]
    color: Color,
    service: String,
    version: &'static str,
    region: &'static str,
    owner: &'static str,
    status: &'static str,
    /// `lozenge-current` while running, `lozenge-success` or `lozenge-error` after.
    lozenge: &'static str,
    build: u32,
    build_url: String,
}

/// A reply shown under an earlier message: `attach_to` takes its id when there is one.
#[hipchat(
    room = "Deploys",
    message = "Rollback of <b>{{ service }}</b> started",
    card(
        style = "link",
        title = "Rollback of {{ service }}",
        url = "{{ runbook }}"
    )
)]
struct RollbackStarted {
    service: &'static str,
    runbook: &'static str,
    #[hipchat(attach_to)]
    reply_to: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let local_server = support::local_server_unless_configured().await?;
    let notifier = hipchat::default_notifier()?;

    let deploy = |status, lozenge, color| DeployStatus {
        deploy_id: "deploy-billing-1842".into(),
        color,
        service: "billing".into(),
        version: "1.4.2",
        region: "eu-west",
        owner: "alice",
        status,
        lozenge,
        build: 1842,
        build_url: "https://ci.example.com/builds/1842".into(),
    };
    deploy("running", "lozenge-current", Color::Yellow)
        .notify()
        .await?;
    // Same deploy id: clients update the card shown above instead of adding one.
    deploy("failed", "lozenge-error", Color::Red)
        .notify()
        .await?;

    // Message ids come from webhooks or the room's history; here, the local server's.
    let first_message = local_server.as_ref().and_then(|server| {
        server
            .all_messages()
            .first()
            .map(|message| message.id.clone())
    });
    RollbackStarted {
        service: "billing",
        runbook: "https://wiki.example.com/runbooks/billing",
        reply_to: first_message,
    }
    .notify()
    .await?;

    // A card assembled at run time, checked by the same rules before it is sent.
    let unhealthy = [("checkout", Lozenge::Error), ("search", Lozenge::Moved)];
    let card = unhealthy.into_iter().fold(
        Card::application(Card::id_from(&("health", "eu-west")), "Health of eu-west"),
        |card, (service, lozenge)| {
            card.attribute(Attribute::new(service).label("Service").style(lozenge))
        },
    );
    notifier
        .send(
            Message::new("2 services unhealthy in eu-west")
                .room("Deploys")
                .format(Format::Text)
                .card(card),
        )
        .await?;

    // A templated part over its limit is a typed error naming the part; nothing is sent.
    let oversized = DeployStatus {
        service: "x".repeat(600),
        ..deploy("failed", "lozenge-error", Color::Red)
    };
    support::print_refusal(oversized.notify().await);

    if let Some(server) = local_server {
        let received = server.all_messages();
        println!(
            "The local server received {} notifications:",
            received.len()
        );
        for message in received {
            println!("  {} ({})", message.message, message.message_format);
            if let Some(parent) = &message.attach_to {
                println!("    shown under message {parent}");
            }
            let Some(card) = &message.card else { continue };
            let card: Card = serde_json::from_value(card.clone())?;
            println!(
                "    card {:?} id {}: {}",
                card.style.as_str(),
                card.id,
                card.title
            );
            for attribute in &card.attributes {
                let label = attribute.label.as_deref().unwrap_or("");
                let style = attribute.value.style.map_or("", |style| style.as_str());
                println!("      {label}: {} {style}", attribute.value.label);
            }
        }
        server.stop().await?;
    }
    Ok(())
}
