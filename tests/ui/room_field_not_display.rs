use hipchat::prelude::*;

#[hipchat(message = "Deploy of {{ service }} failed")]
struct DeployFailed {
    service: String,
    #[hipchat(room)]
    rooms: Vec<String>,
}

fn main() {
    let event = DeployFailed {
        service: "billing".into(),
        rooms: vec!["Ops".into()],
    };
    let _ = event.render();
    let _ = event.notify();
}
