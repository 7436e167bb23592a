//! Rendering one typical notification: 5 fields, one `urlize`, one `if`, a 10-item loop.
//!
//! Three ways to produce the same text, measured in one run:
//! - `hipchat`: `#[hipchat]`'s generated `render()` (the body plus the Message around it);
//! - `askama`: the same template derived with askama directly, `render()` into a String;
//! - `write`: hand-written `push_str`/`write!` with the same escaping, the limit.
//!
//! `cargo bench --bench render`; see BENCHMARKS.md.

use std::fmt::Write as _;
use std::hint::black_box;

use askama::Template;
use askama::filters::{Escaper, Html};
use criterion::{Criterion, criterion_group, criterion_main};
use hipchat::filters;
use hipchat::prelude::*;

struct Step {
    name: String,
    seconds: u32,
}

#[hipchat(
    room = "Ops",
    color = "red",
    message = "Deploy of <b>{{ service }}</b> {{ version }} {% if succeeded %}succeeded{% else %}failed{% endif %}: {{ url|urlize }}. Steps: {% for step in steps %}{{ step.name }} {{ step.seconds }}s{% if !loop.last %}, {% endif %}{% endfor %}"
)]
struct DeployFinished {
    service: String,
    version: String,
    url: String,
    succeeded: bool,
    steps: Vec<Step>,
}

#[derive(Template)]
#[template(
    source = "Deploy of <b>{{ service }}</b> {{ version }} {% if succeeded %}succeeded{% else %}failed{% endif %}: {{ url|urlize }}. Steps: {% for step in steps %}{{ step.name }} {{ step.seconds }}s{% if !loop.last %}, {% endif %}{% endfor %}",
    ext = "html"
)]
struct AskamaDeployFinished<'a> {
    service: &'a str,
    version: &'a str,
    url: &'a str,
    succeeded: bool,
    steps: &'a [Step],
}

fn hand_written(event: &DeployFinished) -> String {
    let mut out = String::with_capacity(512);
    out.push_str("Deploy of <b>");
    Html.write_escaped_str(&mut out, &event.service).unwrap();
    out.push_str("</b> ");
    Html.write_escaped_str(&mut out, &event.version).unwrap();
    out.push_str(if event.succeeded {
        " succeeded: "
    } else {
        " failed: "
    });
    filters::urlize_into(&mut out, &event.url).unwrap();
    out.push_str(". Steps: ");
    for (index, step) in event.steps.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        Html.write_escaped_str(&mut out, &step.name).unwrap();
        write!(out, " {}s", step.seconds).unwrap();
    }
    out
}

fn event() -> DeployFinished {
    DeployFinished {
        service: "billing-api".into(),
        version: "1.4.2".into(),
        url: "https://ci.example.com/builds/1842?tab=log".into(),
        succeeded: false,
        steps: (1..=10)
            .map(|n| Step {
                name: format!("step-{n}"),
                seconds: n * 7,
            })
            .collect(),
    }
}

fn render(c: &mut Criterion) {
    let event = event();
    let askama = AskamaDeployFinished {
        service: &event.service,
        version: &event.version,
        url: &event.url,
        succeeded: event.succeeded,
        steps: &event.steps,
    };
    // The three produce the same text, or the comparison means nothing.
    let expected = hand_written(&event);
    assert_eq!(event.render().unwrap().body, expected);
    assert_eq!(askama.render().unwrap(), expected);

    let mut group = c.benchmark_group("render");
    group.bench_function("hipchat", |b| {
        b.iter(|| black_box(&event).render().unwrap())
    });
    group.bench_function("askama", |b| {
        b.iter(|| black_box(&askama).render().unwrap())
    });
    group.bench_function("write", |b| b.iter(|| hand_written(black_box(&event))));
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
