use hipchat::prelude::*;

// html (the default format) with a mention in an included file.
#[hipchat(room = "Ops", template = "ui_mention_via_include.hipchat")]
struct DeployFailed {
    service: String,
    owner: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        owner: "alice".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
