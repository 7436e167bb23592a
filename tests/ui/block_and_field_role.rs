use hipchat::prelude::*;

#[hipchat(template = "ui_django_port_dynamic_room.hipchat")]
struct DeployFailed {
    service: String,
    #[hipchat(room)]
    team: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        team: "Ops".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
