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
