//! Messages as HTML fragments for the page. Untrusted HTML goes through `ammonia` with
//! HipChat's allowed subset (spec §4 for messages, §6 for card descriptions and
//! activities); everything else is escaped.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ammonia::Builder;
use serde_json::Value;

use crate::recorded::{Kind, Recipient, Recorded};

/// Escapes text for HTML content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn message_cleaner() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let tags = [
            "a", "b", "i", "strong", "em", "br", "img", "pre", "code", "ul", "ol", "li", "table",
            "thead", "tbody", "tfoot", "tr", "td", "th", "span",
        ];
        let attributes: HashMap<&str, HashSet<&str>> = [
            ("a", &["href", "data-target", "data-target-options"][..]),
            (
                "img",
                &["src", "alt", "width", "height", "align", "style"][..],
            ),
            ("td", &["colspan", "rowspan", "valign"][..]),
            ("th", &["colspan", "rowspan", "valign"][..]),
            ("tr", &["valign"][..]),
            ("span", &["style"][..]),
        ]
        .into_iter()
        .map(|(tag, names)| (tag, names.iter().copied().collect()))
        .collect();
        let mut builder = Builder::empty();
        builder
            .tags(tags.into_iter().collect())
            .tag_attributes(attributes)
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .filter_style_properties(
                ["font-weight", "color", "text-decoration", "height", "width"]
                    .into_iter()
                    .collect(),
            )
            .link_rel(Some("noopener noreferrer nofollow"));
        builder
    })
}

fn card_cleaner() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = Builder::empty();
        builder
            .tags(["a", "b", "i", "strong", "span"].into_iter().collect())
            .tag_attributes(
                [("a", ["href"].into_iter().collect())]
                    .into_iter()
                    .collect(),
            )
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer nofollow"));
        builder
    })
}

/// A message body in `html` format, reduced to HipChat's allowed tags and attributes.
pub fn sanitize_message_html(html: &str) -> String {
    message_cleaner().clean(html).to_string()
}

/// Card HTML (`description`, `activity.html`): `a b i strong span` only.
pub fn sanitize_card_html(html: &str) -> String {
    card_cleaner().clean(html).to_string()
}

/// A `text` message: escaped, `@mentions` wrapped in `<span class="mention">`.
pub fn text_with_mentions(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(position) = rest.find('@') {
        let (before, at) = rest.split_at(position);
        out.push_str(&escape(before));
        previous = before.chars().last().or(previous);
        let name_length: usize = at[1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .map(char::len_utf8)
            .sum();
        let starts_word = previous.is_none_or(char::is_whitespace);
        if name_length > 0 && starts_word {
            let mention = &at[..1 + name_length];
            out.push_str("<span class=\"mention\">");
            out.push_str(&escape(mention));
            out.push_str("</span>");
            previous = mention.chars().last();
            rest = &at[1 + name_length..];
        } else {
            out.push('@');
            previous = Some('@');
            rest = &at[1..];
        }
    }
    out.push_str(&escape(rest));
    out.replace('\n', "<br>")
}

/// `http(s)` URLs only, escaped for an attribute.
fn safe_url(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| escape(url.trim()))
}

const COLORS: &[&str] = &["yellow", "green", "red", "purple", "gray"];

fn color_class(message: &Recorded) -> &'static str {
    match COLORS.iter().find(|color| **color == message.color) {
        Some(color) => color,
        None => COLORS[(message.seq as usize) % COLORS.len()],
    }
}

/// The room or user heading a message belongs under.
pub fn recipient_label(recipient: &Recipient) -> String {
    match recipient {
        Recipient::Room(name) => name.clone(),
        Recipient::User(user) => format!("Private: {user}"),
    }
}

/// One message as an `<article>`.
pub fn message(message: &Recorded) -> String {
    let body = match (message.kind, message.message_format.as_str()) {
        (Kind::Notification | Kind::V1, "html") => sanitize_message_html(&message.message),
        _ => text_with_mentions(&message.message),
    };
    let mut out = format!(
        "<article class=\"msg\" data-seq=\"{}\"><div class=\"bar color-{}\"></div><div class=\"content\">\
         <header><span class=\"sender\">{}</span> <time datetime=\"{}\">{}</time>{}</header>\
         <div class=\"body format-{}\">{}</div>",
        message.seq,
        color_class(message),
        escape(&message.sender_label()),
        escape(&message.timestamp),
        escape(&message.timestamp),
        if message.notify {
            " <span class=\"notify\" title=\"recipients were alerted (notify)\">notify</span>"
        } else {
            ""
        },
        if message.message_format == "html" {
            "html"
        } else {
            "text"
        },
        body
    );
    if let Some(link) = message.link.as_deref() {
        match safe_url(link) {
            Some(url) => out.push_str(&format!(
                "<div class=\"link\"><a href=\"{url}\" rel=\"noopener noreferrer nofollow\">{}</a></div>",
                escape(link)
            )),
            None => out.push_str(&format!("<div class=\"link\">{}</div>", escape(link))),
        }
    }
    if let Some(card) = &message.card {
        out.push_str(&self::card(card));
    }
    out.push_str("</div></article>");
    out
}

fn icon_url(icon: Option<&Value>) -> Option<String> {
    match icon? {
        Value::String(url) => safe_url(url),
        Value::Object(object) => object.get("url").and_then(Value::as_str).and_then(safe_url),
        _ => None,
    }
}

fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// A card: icon, title, description, thumbnail, attributes with lozenges, activity.
pub fn card(card: &Value) -> String {
    let style = str_of(card, "style").unwrap_or("application");
    let mut out = format!("<div class=\"card card-{}\">", escape(style));
    if let Some(url) = icon_url(card.get("icon")) {
        out.push_str(&format!("<img class=\"card-icon\" src=\"{url}\" alt=\"\">"));
    }
    let title = escape(str_of(card, "title").unwrap_or_default());
    match str_of(card, "url").and_then(safe_url) {
        Some(url) => out.push_str(&format!(
            "<div class=\"card-title\"><a href=\"{url}\" rel=\"noopener noreferrer nofollow\">{title}</a></div>"
        )),
        None => out.push_str(&format!("<div class=\"card-title\">{title}</div>")),
    }
    match card.get("description") {
        Some(Value::String(text)) => out.push_str(&format!(
            "<div class=\"card-description\">{}</div>",
            escape(text)
        )),
        Some(Value::Object(description)) => {
            let value = description
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let html = if description.get("format").and_then(Value::as_str) == Some("html") {
                sanitize_card_html(value)
            } else {
                escape(value)
            };
            out.push_str(&format!("<div class=\"card-description\">{html}</div>"));
        }
        _ => {}
    }
    if let Some(url) = card
        .get("thumbnail")
        .and_then(|t| str_of(t, "url"))
        .and_then(safe_url)
    {
        out.push_str(&format!(
            "<img class=\"card-thumbnail\" src=\"{url}\" alt=\"\">"
        ));
    }
    if let Some(Value::Array(attributes)) = card.get("attributes") {
        out.push_str("<ul class=\"card-attributes\">");
        for attribute in attributes {
            out.push_str("<li>");
            if let Some(label) = str_of(attribute, "label") {
                out.push_str(&format!(
                    "<span class=\"attr-label\">{}</span> ",
                    escape(label)
                ));
            }
            let value = attribute.get("value").cloned().unwrap_or(Value::Null);
            if let Some(url) = icon_url(value.get("icon")) {
                out.push_str(&format!("<img class=\"attr-icon\" src=\"{url}\" alt=\"\">"));
            }
            let lozenge = match str_of(&value, "style") {
                Some(style) if style.starts_with("lozenge") => {
                    format!(" lozenge {}", escape(style))
                }
                _ => String::new(),
            };
            let label = escape(str_of(&value, "label").unwrap_or_default());
            match str_of(&value, "url").and_then(safe_url) {
                Some(url) => out.push_str(&format!(
                    "<a class=\"attr-value{lozenge}\" href=\"{url}\" rel=\"noopener noreferrer nofollow\">{label}</a>"
                )),
                None => out.push_str(&format!("<span class=\"attr-value{lozenge}\">{label}</span>")),
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if let Some(activity) = card.get("activity") {
        let html = sanitize_card_html(str_of(activity, "html").unwrap_or_default());
        let icon = icon_url(activity.get("icon"))
            .map(|url| format!("<img class=\"activity-icon\" src=\"{url}\" alt=\"\">"))
            .unwrap_or_default();
        out.push_str(&format!("<div class=\"card-activity\">{icon}{html}</div>"));
    }
    out.push_str("</div>");
    out
}
