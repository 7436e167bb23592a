use hipchat::prelude::*;

// Each unknown variable of a template file is reported with its line and column.
#[hipchat(room = "Ops", template = "ui_unknown_variable.hipchat")]
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
