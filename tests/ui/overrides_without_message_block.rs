use hipchat::prelude::*;

#[hipchat(template = "ui_overrides_without_message.hipchat")]
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
