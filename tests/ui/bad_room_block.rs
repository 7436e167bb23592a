use hipchat::prelude::*;

#[hipchat(template = "ui_bad_room_block.hipchat")]
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
