//! The process-wide default notifier. Its own test binary: the default is global state.

use hipchat::prelude::*;
use hipchat::{BackendKind, Notifier, Settings};

#[hipchat(room = "Ops", message = "{{ n }}")]
struct Numbered {
    n: u32,
}

#[tokio::test]
async fn notify_without_via_uses_the_default_set_at_start_up() {
    let first = Notifier::from_settings(Settings::new().backend(BackendKind::Memory)).unwrap();
    let second = Notifier::from_settings(Settings::new().backend(BackendKind::Memory)).unwrap();

    assert!(hipchat::set_default(first.clone()).is_none());
    Numbered { n: 1 }.notify().await.unwrap();
    let previous = hipchat::set_default(second.clone()).expect("the first default");
    assert!(previous.outbox().is_some());
    Numbered { n: 2 }.notify().await.unwrap();

    let bodies = |notifier: &Notifier| -> Vec<String> {
        notifier
            .outbox()
            .unwrap()
            .messages()
            .into_iter()
            .map(|m| m.body().to_owned())
            .collect()
    };
    assert_eq!(bodies(&first), ["1"]);
    assert_eq!(bodies(&second), ["2"]);
}
