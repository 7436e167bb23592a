use hipchat::prelude::*;

#[hipchat(room = "Ops", template = "ui_bad_from_block.hipchat")]
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
