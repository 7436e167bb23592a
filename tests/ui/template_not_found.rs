use hipchat::prelude::*;

#[hipchat(template = "does_not_exist.hipchat")]
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
