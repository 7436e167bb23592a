use hipchat::prelude::*;

// `deploi.service`: the first segment is the event's field, and is checked; what follows
// belongs to the field's type (see unknown_nested_field.rs).
#[hipchat(room = "Ops", message = "Deploy of {{ deploi.service }} failed")]
struct DeployFailed {
    deploy: Deploy,
}

struct Deploy {
    service: String,
}

fn main() {
    let event = DeployFailed {
        deploy: Deploy {
            service: "billing".into(),
        },
    };
    let _ = &event.deploy.service;
    let _ = event.render();
    let _ = event.notify();
}
