use hipchat::prelude::*;

// Unknown variables are reported with every other error of the attribute, in source order;
// a name far from every field gets no suggestion.
#[hipchat(
    room = "Ops",
    color = "grey",
    message = "Deploy of {{ servce }} at {{ commit }} failed",
    card(style = "application", title = "{{ service }} {{ versoin }}")
)]
struct DeployFailed {
    service: String,
    version: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        version: "1.4.2".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
