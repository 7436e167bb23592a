//! A backend of your own: notifications go into a queue and a worker delivers them, so a
//! request handler never waits on the chat server (django-hipchat's "wrap the backend in
//! your queuing system", in a few lines).
//!
//! ```sh
//! cargo run --example custom_backend
//! ```

use hipchat::backend::ConsoleBackend;
use hipchat::prelude::*;
use hipchat::{Backend, Error, Notifier, Outgoing, Settings};
use tokio::sync::mpsc;

/// Accepts a checked notification into a bounded channel; `send` waits only while the
/// channel is full.
struct Queued {
    queue: mpsc::Sender<Outgoing>,
}

impl Backend for Queued {
    async fn send(&self, outgoing: &Outgoing) -> Result<(), Error> {
        self.queue
            .send(outgoing.clone())
            .await
            .map_err(Error::backend)
    }
}

/// Delivers queued notifications one by one through another backend until the queue
/// closes.
async fn deliver(mut queue: mpsc::Receiver<Outgoing>, backend: impl Backend) {
    while let Some(outgoing) = queue.recv().await {
        if let Err(error) = backend.send(&outgoing).await {
            eprintln!("delivery failed: {error}");
        }
    }
}

#[hipchat(message = "Job <b>{{ job }}</b> finished in {{ seconds }} s")]
struct JobFinished {
    job: &'static str,
    seconds: u32,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let (sender, receiver) = mpsc::channel(100);
    let worker = tokio::spawn(deliver(receiver, ConsoleBackend::stdout()));

    // Defaults and validation still come from the notifier: only delivery is yours.
    let notifier = Notifier::with_backend(Settings::new().room("Jobs"), Queued { queue: sender })?;
    for (job, seconds) in [
        ("nightly-backup", 312),
        ("reindex", 48),
        ("invoice-run", 95),
    ] {
        JobFinished { job, seconds }.notify().via(&notifier).await?;
    }
    println!("3 notifications queued; waiting for the worker.\n");

    // Dropping the last notifier closes the queue; the worker drains it and stops.
    drop(notifier);
    worker.await.expect("the worker does not panic");
    Ok(())
}
