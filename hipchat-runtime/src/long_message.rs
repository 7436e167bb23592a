//! What to do with a body over HipChat's length limit: fail, truncate, or split.
//!
//! Lengths are counted in characters (Unicode scalar values), never bytes. In
//! [`Format::Html`] a cut never falls inside a tag (`<...>`) or an entity (`&amp;`): it
//! backs off to before the `<` or `&`.

use crate::Format;

/// The ellipsis a truncated body ends with (one character).
pub const ELLIPSIS: char = '…';

/// A notification's policy for a body longer than HipChat allows
/// ([`Message::long_message`](crate::Message::long_message)).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use hipchat_runtime::{LongMessage, Message, Notifier, Settings};
///
/// let (notifier, outbox) = Notifier::memory(Settings::new().room("Ops"))?;
/// let log = "line of a build log\n".repeat(1_000); // 20,000 characters
/// notifier.send(Message::new(log.clone()).long_message(LongMessage::Split)).await?;
/// notifier.send(Message::new(log).long_message(LongMessage::Truncate)).await?;
/// let sent = outbox.messages();
/// assert_eq!(sent.len(), 3); // two parts, then one truncated message
/// assert!(sent[2].body().ends_with('…') && sent[2].body().chars().count() <= 10_000);
/// # Ok::<(), hipchat_runtime::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LongMessage {
    /// Refuse the notification with a validation error (nothing is sent).
    #[default]
    Error,
    /// Cut at a character boundary and end with `…`, the whole within the limit.
    Truncate,
    /// Send several messages, in order, each within the limit: cut at the last line
    /// break that fits, else the last whitespace, else a character boundary.
    Split,
}

/// Truncates `body` to at most `max` characters, the last being [`ELLIPSIS`]; a body within
/// `max` is returned unchanged. Whitespace before the ellipsis is dropped.
///
/// ```
/// use hipchat_runtime::{Format, long_message::truncate};
/// assert_eq!(truncate("héllo wörld", Format::Text, 8), "héllo w…");
/// assert_eq!(truncate("a <b>bold</b>", Format::Html, 5), "a…");
/// assert_eq!(truncate("fish &amp; chips", Format::Html, 8), "fish…");
/// ```
pub fn truncate(body: &str, format: Format, max: usize) -> String {
    let chars = Chars::new(body, format);
    if chars.len() <= max {
        return body.to_owned();
    }
    let mut cut = max.saturating_sub(1);
    while cut > 0 && !chars.can_cut(cut) {
        cut -= 1;
    }
    let mut out = chars.slice(0, cut).trim_end().to_owned();
    out.push(ELLIPSIS);
    out
}

/// Splits `body` into parts of at most `max` characters each (the first at most `first`,
/// for share links). Each cut is at the last line break that fits (the break itself is
/// dropped; in html a `<br>` stays with the part before it), else the last whitespace
/// (dropped), else the last character boundary; never inside an html tag or entity. A
/// body within `first` is one part. A part that cannot be cut at all (one tag longer than
/// the limit) is left whole, and validation then reports it.
///
/// ```
/// use hipchat_runtime::{Format, long_message::split};
/// assert_eq!(split("one two\nthree", Format::Text, 9, 9), ["one two", "three"]);
/// assert_eq!(split("abcdefgh", Format::Text, 3, 3), ["abc", "def", "gh"]);
/// ```
pub fn split(body: &str, format: Format, first: usize, max: usize) -> Vec<String> {
    let chars = Chars::new(body, format);
    let mut parts = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let limit = if parts.is_empty() { first } else { max };
        if chars.len() - start <= limit {
            parts.push(chars.slice(start, chars.len()).to_owned());
            break;
        }
        let end = start + limit;
        let (cut, next) = chars
            .last_break(start, end)
            .or_else(|| chars.last_whitespace(start, end))
            .or_else(|| {
                (start + 1..=end)
                    .rev()
                    .find(|&at| chars.can_cut(at))
                    .map(|at| (at, at))
            })
            .unwrap_or((chars.len(), chars.len()));
        parts.push(chars.slice(start, cut).to_owned());
        start = next;
    }
    parts
}

/// A body as characters, with where it may be cut.
struct Chars<'a> {
    body: &'a str,
    /// Byte offset of each character, plus `body.len()` at the end.
    offsets: Vec<usize>,
    chars: Vec<char>,
    /// `allowed[i]`: a cut before character `i` is outside every tag and entity.
    allowed: Vec<bool>,
    /// `br_end[i]`: character `i - 1` is the `>` of a `<br>` tag.
    br_end: Vec<bool>,
}

impl<'a> Chars<'a> {
    fn new(body: &'a str, format: Format) -> Self {
        let (mut offsets, chars): (Vec<usize>, Vec<char>) = body.char_indices().unzip();
        offsets.push(body.len());
        let n = chars.len();
        let mut allowed = vec![true; n + 1];
        let mut br_end = vec![false; n + 1];
        if format == Format::Html {
            let mut i = 0;
            while i < n {
                match chars[i] {
                    '<' => {
                        let close = tag_end(&chars, i);
                        for slot in &mut allowed[i + 1..=close.unwrap_or(n - 1) + 1] {
                            *slot = false;
                        }
                        allowed[close.map_or(n, |c| c + 1)] = close.is_some();
                        if let Some(close) = close {
                            let name: String = chars[i + 1..close]
                                .iter()
                                .take_while(|c| c.is_ascii_alphanumeric())
                                .collect();
                            br_end[close + 1] = name.eq_ignore_ascii_case("br");
                        }
                        i = close.map_or(n, |c| c + 1);
                    }
                    '&' => match entity_end(&chars, i) {
                        Some(semi) => {
                            for slot in &mut allowed[i + 1..=semi] {
                                *slot = false;
                            }
                            i = semi + 1;
                        }
                        None => i += 1,
                    },
                    _ => i += 1,
                }
            }
        }
        Self {
            body,
            offsets,
            chars,
            allowed,
            br_end,
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn can_cut(&self, at: usize) -> bool {
        self.allowed[at]
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        &self.body[self.offsets[from]..self.offsets[to]]
    }

    /// The last line break that leaves a non-empty part within `end`: a `\n` (dropped)
    /// or the end of a `<br>` tag (kept). Returns (end of part, start of next).
    fn last_break(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        (start + 1..=end).rev().find_map(|at| {
            if at < self.len() && self.chars[at] == '\n' && self.can_cut(at) {
                Some((at, at + 1))
            } else if self.br_end[at] {
                Some((at, at))
            } else {
                None
            }
        })
    }

    /// The last whitespace (dropped) that leaves a non-empty part within `end`.
    fn last_whitespace(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        (start + 1..=end.min(self.len() - 1))
            .rev()
            .find(|&at| self.chars[at].is_whitespace() && self.can_cut(at))
            .map(|at| (at, at + 1))
    }
}

/// The index of the `>` closing the tag opened at `open`, skipping quoted attributes.
fn tag_end(chars: &[char], open: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &c) in chars.iter().enumerate().skip(open + 1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The index of the `;` ending an entity (`&amp;`, `&#8230;`, `&#x2026;`) at `amp`.
fn entity_end(chars: &[char], amp: usize) -> Option<usize> {
    const MAX_ENTITY: usize = 32;
    chars
        .iter()
        .enumerate()
        .skip(amp + 1)
        .take(MAX_ENTITY)
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || **c == '#'))
        .filter(|&(i, &c)| c == ';' && i > amp + 1)
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = 10_000;

    fn count(text: &str) -> usize {
        text.chars().count()
    }

    #[test]
    fn truncate_leaves_bodies_at_or_below_the_bound() {
        for n in [1, 9_999, 10_000] {
            let body = "é".repeat(n);
            assert_eq!(truncate(&body, Format::Text, MAX), body);
        }
    }

    #[test]
    fn truncate_counts_characters_not_bytes() {
        // 3- and 4-byte characters: a byte-based cut would panic or overshoot.
        for unit in ["é", "€", "😀", "a"] {
            let body = unit.repeat(10_001);
            let out = truncate(&body, Format::Text, MAX);
            assert_eq!(count(&out), MAX, "{unit}");
            assert!(out.ends_with(ELLIPSIS));
            assert_eq!(out.trim_end_matches(ELLIPSIS), unit.repeat(9_999));
        }
    }

    #[test]
    fn truncate_backs_off_before_tags_and_entities() {
        // The cut (at 9,999 characters) would fall inside `<b>` / `&amp;`.
        let prefix = "x".repeat(9_997);
        let tag = format!("{prefix}<b>bold</b>");
        assert_eq!(truncate(&tag, Format::Html, MAX), format!("{prefix}…"));
        let entity = format!("{prefix}a&amp;b{}", "y".repeat(10));
        assert_eq!(truncate(&entity, Format::Html, MAX), format!("{prefix}a…"));
        // In text format `<` and `&` are plain characters.
        let out = truncate(&tag, Format::Text, MAX);
        assert_eq!(out, format!("{prefix}<b…"));
        // A cut right after a complete tag or entity is fine.
        let whole = format!("{}<br>{}", "x".repeat(9_995), "z".repeat(10));
        assert_eq!(
            truncate(&whole, Format::Html, MAX),
            format!("{}<br>…", "x".repeat(9_995))
        );
    }

    #[test]
    fn split_prefers_line_breaks_then_whitespace_then_chars() {
        let line = "x".repeat(6_000);
        let body = format!("{line}\n{line} {line}");
        let parts = split(&body, Format::Text, MAX, MAX);
        assert_eq!(parts, [line.clone(), line.clone(), line.clone()]);
        let words = format!("{line} {line}");
        assert_eq!(
            split(&words, Format::Text, MAX, MAX),
            [line.clone(), line.clone()]
        );
        let solid = "😀".repeat(25_000);
        let parts = split(&solid, Format::Text, MAX, MAX);
        assert_eq!(
            parts.iter().map(|p| count(p)).collect::<Vec<_>>(),
            [10_000, 10_000, 5_000]
        );
        assert_eq!(parts.concat(), solid);
    }

    #[test]
    fn split_keeps_bodies_within_the_bound_whole() {
        let body = "a\n".repeat(5_000);
        assert_eq!(split(&body, Format::Text, MAX, MAX), vec![body.clone()]);
        // Exactly the bound plus a trailing newline: the newline is the cut, no empty part.
        let body = format!("{}\n", "a".repeat(10_000));
        assert_eq!(split(&body, Format::Text, MAX, MAX), ["a".repeat(10_000)]);
    }

    #[test]
    fn split_never_cuts_inside_html_tags_or_entities() {
        let prefix = "x".repeat(9_998);
        let body = format!("{prefix}<a href=\"https://example.com/a b\">link</a>&amp;");
        let parts = split(&body, Format::Html, MAX, MAX);
        assert_eq!(parts[0], prefix);
        assert_eq!(
            parts[1],
            "<a href=\"https://example.com/a b\">link</a>&amp;"
        );
        let body = format!("{prefix}&eacute;{}", "y".repeat(20));
        let parts = split(&body, Format::Html, MAX, MAX);
        assert_eq!(parts[0], prefix);
        assert!(parts[1].starts_with("&eacute;"));
        // `<br>` counts as a line break and stays with the part before it.
        let body = format!("{}<br/>{}", "x".repeat(5_000), "y ".repeat(4_000));
        let parts = split(&body, Format::Html, MAX, MAX);
        assert_eq!(parts[0], format!("{}<br/>", "x".repeat(5_000)));
        for part in &parts {
            assert!(count(part) <= MAX);
        }
    }

    #[test]
    fn split_honours_a_smaller_first_part() {
        let body = "ab ".repeat(1_000);
        let parts = split(&body, Format::Text, 10, 2_000);
        assert_eq!(parts[0], "ab ab ab");
        assert!(parts[1..].iter().all(|p| count(p) <= 2_000));
    }
}
