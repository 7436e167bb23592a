use hipchat::prelude::*;

#[hipchat(
    room = "Ops",
    message = "Deploy of {{ service }} failed",
    card(
        style = "application",
        titel = "Deploy",
        thumbnail(url = "https://ci.example.com/t.png", widht = 320),
        attribute(lable = "Status", value = "failed"),
        colour = "red",
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
