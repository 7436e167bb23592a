use hipchat::prelude::*;

// Names a template binds itself, and names askama provides, are not the event's fields:
// none of these is reported as an unknown variable.
#[hipchat(
    room = "Ops",
    format = "text",
    message = "{% let header = service|upper %}{{ header }}:\
               {% for check in checks %} {{ loop.index }}.{{ check.name }}{% endfor %}\
               {% set count = checks.len() %} ({{ count }})\
               {% if let Some(who) = owner %} by {{ who }}{% endif %}\
               {% match owner %}{% when Some with (o) %} [{{ o }}]{% when None %}{% endmatch %}\
               {{ nickname|default(\"-\") }} {{ self.service }} {{ summary() }}"
)]
struct ChecksFailed {
    service: String,
    checks: Vec<Check>,
    owner: Option<String>,
}

impl ChecksFailed {
    fn summary(&self) -> String {
        format!("{} checks", self.checks.len())
    }
}

struct Check {
    name: String,
}

fn main() {
    let event = ChecksFailed {
        service: "billing".into(),
        checks: vec![
            Check {
                name: "disk".into(),
            },
            Check {
                name: "cpu".into(),
            },
        ],
        owner: Some("alice".into()),
    };
    let message = event.render().unwrap();
    assert_eq!(
        message.body,
        "BILLING: 1.disk 2.cpu (2) by alice [alice]- billing 2 checks"
    );
}
