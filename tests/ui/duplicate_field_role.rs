use hipchat::prelude::*;

#[hipchat(message = "Deploy of {{ service }} failed")]
struct DeployFailed {
    service: String,
    #[hipchat(room)]
    team: String,
    #[hipchat(room)]
    channel: String,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        team: "Ops".into(),
        channel: "Deploys".into(),
    };
    let _ = event.render();
    let _ = event.notify();
}
