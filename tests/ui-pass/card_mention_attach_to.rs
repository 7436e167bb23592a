use hipchat::prelude::*;

// A card with every kind of part, a mention in a text message, and attach_to.
#[hipchat(
    room = "Ops",
    format = "text",
    message = "{{ owner|mention }} deploy of {{ service }} failed",
    card(
        style = "application",
        id = "deploy-{{ service }}",
        title = "Deploy of {{ service }}",
        description = "failed on {{ region }}",
        format = "compact",
        url = "https://ci.example.com",
        icon = "https://ci.example.com/icon.png",
        thumbnail(url = "https://ci.example.com/t.png", url_2x = "https://ci.example.com/t@2x.png", width = 1, height = 2),
        activity = "<b>{{ owner }}</b> deployed",
        attribute(label = "Status", value = "failed", style = "lozenge", icon(url = "https://ci.example.com/s.png")),
    )
)]
struct DeployFailed {
    service: &'static str,
    owner: &'static str,
    region: &'static str,
    #[hipchat(attach_to)]
    parent: &'static str,
}

fn main() {
    let message = DeployFailed {
        service: "billing",
        owner: "alice",
        region: "eu",
        parent: "4f6c2a5e",
    }
    .render()
    .unwrap();
    assert_eq!(message.body, "@alice deploy of billing failed");
    assert_eq!(message.attach_to.as_deref(), Some("4f6c2a5e"));
    let card = message.card.unwrap();
    assert_eq!((card.id.as_str(), card.title.as_str()), ("deploy-billing", "Deploy of billing"));
    assert_eq!(card.activity.unwrap().html, "<b>alice</b> deployed");
}
