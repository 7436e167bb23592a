//! Calls the HipChat REST API v2: creates a room, sends to it, reads its history back,
//! lists its members and pages through the users.
//!
//! ```sh
//! cargo run --example rest
//! ```
//!
//! With no `HIPCHAT_*` configuration it runs against a local HipChat server started
//! in-process (`hipchat-devserver`), over real HTTP. With `HIPCHAT_API_URL` and
//! `HIPCHAT_AUTH_TOKEN` (a user token with `manage_rooms`, `send_message`,
//! `send_notification`, `view_group` and `view_messages`) it uses your server.

mod support;

use futures_util::TryStreamExt;
use hipchat::prelude::*;
use hipchat::rest::model::{Privacy, Sender};
use hipchat::{Client, Settings};

/// Sent through the notifier, as a service would; the client reads it back.
#[hipchat(
    room = "REST example",
    color = "green",
    message = "Deploy of <b>{{ service }}</b> finished"
)]
struct Deployed {
    service: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let server = support::local_server_unless_configured().await?;
    let client = match &server {
        Some(server) => Client::new(server.url(), "dev")?,
        None => Client::from_settings(&Settings::from_env()?)?,
    };

    // Creating a room that exists answers 400: reuse it then.
    let room_name = "REST example";
    match client
        .rooms()
        .create(room_name)
        .privacy(Privacy::Private)
        .topic("Where the REST example talks")
        .await
    {
        Ok(Some(created)) => println!("Created room {room_name:?} (id {})", created.id),
        Ok(None) => println!("Created room {room_name:?}"),
        Err(hipchat::Error::BadRequest(api)) => println!("Room {room_name:?} exists: {api}"),
        Err(error) => return Err(error.into()),
    }
    let room = client.room(room_name);
    if server.is_some() {
        // The local server's token acts as its owner, `@dev`: make them a member.
        room.add_member("@dev").await?;
    }

    Deployed {
        service: "billing".into(),
    }
    .notify()
    .await?;
    if let Some(sent) = room.send_message("Thanks, bot").await? {
        println!("Sent a message, id {}", sent.id);
    }

    println!("\nLatest history of {room_name:?}:");
    for item in room.latest().max_results(10).await?.items {
        let from = item
            .from
            .as_ref()
            .and_then(Sender::display_name)
            .unwrap_or("?");
        let text = item.message.as_deref().unwrap_or("(deleted)");
        println!("  {} [{}] {from}: {text}", item.date, item.kind);
    }

    let members: Vec<_> = room.members().items().try_collect().await?;
    println!("\nMembers of {room_name:?}: {}", members.len());
    for member in &members {
        println!("  @{} ({})", member.user.mention_name, member.user.name);
    }

    if server.is_some() {
        // Company for the owner, so that the users take more than one page.
        for (name, email) in [
            ("Ada Lovelace", "ada@example.com"),
            ("Grace Hopper", "grace@example.com"),
        ] {
            client.users().create(name, email).title("Engineer").await?;
        }
    }
    // Every user, two per page: the stream follows `links.next` until the last page.
    let users: Vec<_> = client
        .users()
        .list()
        .max_results(2)
        .items()
        .try_collect()
        .await?;
    println!("\nUsers of the group: {}", users.len());
    for user in &users {
        println!("  {} (@{})", user.name, user.mention_name);
    }
    Ok(())
}
