use hipchat::prelude::*;

// The room comes from the `room_id` block, rendered at run time; the empty `color` block
// leaves the attribute's color in place.
#[hipchat(template = "ui_django_port_dynamic_room.hipchat", color = "purple")]
struct DeployFailed {
    service: String,
    team: String,
}

fn main() {
    let message = DeployFailed {
        service: "billing".into(),
        team: "Payments".into(),
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "Deploy of billing failed");
    assert_eq!(message.room.as_deref(), Some("Payments"));
    assert_eq!(message.color, hipchat::Color::Purple);
}
