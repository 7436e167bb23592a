//! Filters django-hipchat templates relied on that askama lacks.
//!
//! Every template can use these and askama's built-in filters (`upper`, `lower`, `title`,
//! `linebreaksbr`, `default`, `truncate`, `urlencode`, ...). Arguments are written in
//! parentheses: Django's `{{ text|truncatechars:20 }}` is `{{ text|truncatechars(20) }}`.

use std::fmt::{self, Display, Write};

use askama::filters::{Escaper, Html, MaybeSafe};
use linkify::{LinkFinder, LinkKind};

/// Turns URLs (with or without a scheme) and e-mail addresses in the text into links, as
/// Django's `urlize`; the rest of the text is escaped.
///
/// ```text
/// {{ "see www.example.com & docs"|urlize }}
///   → see <a href="http://www.example.com" rel="nofollow">www.example.com</a> &#38; docs
/// ```
///
/// The output is HTML: use it in `html` notifications (in `text` ones HipChat links URLs
/// by itself).
#[askama::filter_fn]
pub fn urlize<T: Display>(value: T, _: &dyn askama::Values) -> askama::Result<MaybeSafe<String>> {
    let text = value.to_string();
    let mut html = String::with_capacity(text.len() + text.len() / 2);
    urlize_into(&mut html, &text)?;
    Ok(MaybeSafe::Safe(html))
}

/// The `urlize` filter as a plain function: appends `text` to `html` with URLs and e-mail
/// addresses turned into links and everything else escaped.
///
/// ```
/// let mut html = String::new();
/// hipchat_runtime::filters::urlize_into(&mut html, "docs: https://docs.rs").unwrap();
/// assert_eq!(html, r#"docs: <a href="https://docs.rs" rel="nofollow">https://docs.rs</a>"#);
/// ```
pub fn urlize_into(html: &mut String, text: &str) -> fmt::Result {
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(false);
    for span in finder.spans(text) {
        let shown = span.as_str();
        match span.kind() {
            Some(LinkKind::Url) => {
                let scheme = if shown.contains("://") { "" } else { "http://" };
                write_link(html, &format!("{scheme}{shown}"), shown)?;
            }
            Some(LinkKind::Email) => write_link(html, &format!("mailto:{shown}"), shown)?,
            _ => Html.write_escaped_str(&mut *html, shown)?,
        }
    }
    Ok(())
}

fn write_link(html: &mut String, href: &str, shown: &str) -> fmt::Result {
    html.push_str("<a href=\"");
    Html.write_escaped_str(&mut *html, href)?;
    html.push_str("\" rel=\"nofollow\">");
    Html.write_escaped_str(&mut *html, shown)?;
    html.write_str("</a>")
}

/// Shortens text longer than `length` characters to `length` characters ending in `…`,
/// as Django's `truncatechars`. Counts characters, never bytes, so it never splits one.
///
/// ```text
/// {{ "Deployment finished"|truncatechars(10) }}  →  Deploymen…
/// ```
#[askama::filter_fn]
pub fn truncatechars<T: Display>(
    value: T,
    _: &dyn askama::Values,
    length: usize,
) -> askama::Result<String> {
    let text = value.to_string();
    if text.chars().count() <= length {
        return Ok(text);
    }
    let kept = length.saturating_sub(1);
    let mut truncated: String = text.chars().take(kept).collect();
    if length > 0 {
        truncated.push('…');
    }
    Ok(truncated)
}

/// Writes a HipChat @mention of the user whose mention name is the value: `alice` (or
/// `@alice`) → `@alice`. HipChat turns `@name` into a mention, which alerts that user,
/// only in `text` notifications, so `#[hipchat]` refuses this filter at compile time in
/// `html` ones and in cards.
///
/// ```text
/// {{ assignee|mention }} please look at {{ incident }}   →   @alice please look at INC-7
/// ```
///
/// A mention name is one word: a value that is empty or holds whitespace or another `@`
/// fails the rendering with an [`InvalidMention`] (inside [`Error::Render`](crate::Error::Render)),
/// rather than sending a mention that silently reaches nobody. So do `all` and `here`,
/// which alert the whole room: a field's value should never do that; write `@all` or
/// `@here` in the template itself.
#[askama::filter_fn]
pub fn mention<T: Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
    let text = value.to_string();
    let name = text.strip_prefix('@').unwrap_or(&text);
    let invalid = |reason| askama::Error::custom(InvalidMention::new(&text, reason));
    if name.is_empty() {
        return Err(invalid("it is empty"));
    }
    if name.chars().any(char::is_whitespace) {
        return Err(invalid("it holds whitespace"));
    }
    if name.contains('@') {
        return Err(invalid("it holds `@` after the first character"));
    }
    if name.eq_ignore_ascii_case("all") || name.eq_ignore_ascii_case("here") {
        return Err(invalid(
            "it would alert the whole room; write @all or @here in the template",
        ));
    }
    Ok(format!("@{name}"))
}

/// A value the [`mention`] filter cannot turn into a mention: a mention name is one word,
/// such as `alice`, without whitespace or an inner `@`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot mention {value:?}: {reason}; a mention name is one word, such as `alice`")]
pub struct InvalidMention {
    /// The value given to the filter.
    pub value: String,
    /// Why it is not a mention name.
    pub reason: &'static str,
}

impl InvalidMention {
    fn new(value: &str, reason: &'static str) -> Self {
        Self {
            value: value.to_owned(),
            reason,
        }
    }
}
