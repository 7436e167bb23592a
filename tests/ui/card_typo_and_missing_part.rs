use hipchat::prelude::*;

// A typo in one object does not hide a missing part of another.
#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(
        title = "Deploy",
        icon(ulr = "https://ci.example.com/i.png"),
        attribute(label = "Status"),
    )
)]
struct DeployFailed {
    service: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
