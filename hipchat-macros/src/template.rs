//! Finding and reading the template, and picking out django-hipchat's blocks.
//!
//! askama compiles the template; this module only parses it far enough to see which of the
//! blocks `message`, `room_id`, `from` and `color` it defines, whether each is plain text
//! (checked now) or has interpolations (rendered at run time), and whether every variable
//! it reads is a field of the event (`template/variables.rs` finds them).

mod variables;

use std::ops::Range;
use std::path::PathBuf;

use askama_parser::node::Lit as TextNode;
use askama_parser::{Ast, Node, Syntax};
use hipchat_spec::closest;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DataStruct, DeriveInput, Fields, LitStr};

use crate::attr::Role;
use crate::errors::Errors;

use variables::{Read, Rendered};

/// The directory, next to the crate's `Cargo.toml`, that holds template files.
pub(crate) const TEMPLATE_DIR: &str = "templates";

/// Where the template is: what `template = "..."` or `message = "..."` gave.
pub(crate) enum TemplateSource {
    /// A file under the crate's `templates/`, by its name there.
    File(LitStr),
    /// The template text itself (`message = "..."`).
    Inline(LitStr),
}

impl TemplateSource {
    /// The literal that names or holds the template: where template errors point.
    pub(crate) fn lit(&self) -> &LitStr {
        match self {
            TemplateSource::File(lit) | TemplateSource::Inline(lit) => lit,
        }
    }
}

/// The blocks a template may define besides `message`, each named after what it overrides.
const OVERRIDE_BLOCKS: [Role; 3] = [Role::Room, Role::From, Role::Color];

pub(crate) struct Blocks {
    /// The template defines `{% block message %}`: it, not the whole template, is the body.
    pub(crate) message: bool,
    pub(crate) overrides: Vec<Block>,
}

pub(crate) struct Block {
    pub(crate) role: Role,
    pub(crate) value: BlockValue,
}

pub(crate) enum BlockValue {
    /// Plain text, stripped of surrounding whitespace; empty means "not set".
    Static(String),
    /// Has interpolations or tags: rendered at run time.
    Dynamic,
}

/// What a template may read: the event's name and its fields.
pub(crate) struct EventFields {
    name: String,
    /// `None` when the event is not a struct with named fields (reported already): then
    /// nothing is checked.
    fields: Option<Vec<String>>,
}

impl EventFields {
    pub(crate) fn of(input: &DeriveInput) -> Self {
        let fields = match &input.data {
            Data::Struct(DataStruct {
                fields: Fields::Named(named),
                ..
            }) => Some(
                named
                    .named
                    .iter()
                    .filter_map(|field| field.ident.as_ref())
                    // askama writes `r#type` for a variable `type`.
                    .map(|ident| ident.unraw().to_string())
                    .collect(),
            ),
            _ => None,
        };
        Self {
            name: input.ident.to_string(),
            fields,
        }
    }
}

/// Where a template's text is, for messages.
#[derive(Clone, Copy)]
enum Origin<'a> {
    /// `message = "..."`.
    Message,
    /// A card part's literal, by its path (`card.title`).
    CardPart(&'a str),
    /// A file, as the crate sees it (`templates/deploy.hipchat`).
    File(&'a str),
}

impl Origin<'_> {
    /// ` in card.title`, ` in templates/x.hipchat`, or nothing for `message`.
    fn in_place(self) -> String {
        match self {
            Origin::Message => String::new(),
            Origin::CardPart(place) | Origin::File(place) => format!(" in {place}"),
        }
    }
}

/// Reads the template's text, finds its blocks and checks the variables it reads against
/// `event`. Reports a missing file, a syntax error or an unknown variable at `source`'s
/// literal.
pub(crate) fn read(
    source: &TemplateSource,
    event: &EventFields,
    errors: &mut Errors,
) -> Option<Blocks> {
    let (text, lit, shown_as) = match source {
        TemplateSource::Inline(lit) => (lit.value(), lit, None),
        TemplateSource::File(lit) => {
            let path = file_path(&lit.value());
            match std::fs::read_to_string(&path) {
                Ok(text) => (text, lit, Some(format!("{TEMPLATE_DIR}/{}", lit.value()))),
                Err(error) => {
                    // The path relative to the crate, not `path`: an absolute path differs
                    // between machines, and the crate's own layout is what users recognise.
                    let looked_for = format!(
                        "{TEMPLATE_DIR}/{} under the directory of Cargo.toml (CARGO_MANIFEST_DIR)",
                        lit.value()
                    );
                    let problem = match error.kind() {
                        std::io::ErrorKind::NotFound => format!("no file {looked_for}"),
                        _ => format!("{looked_for}: {error}"),
                    };
                    errors.spanned(
                        lit,
                        format!("cannot read template {:?}: {problem}", lit.value()),
                    );
                    return None;
                }
            }
        }
    };
    let origin = match &shown_as {
        Some(file) => Origin::File(file),
        None => Origin::Message,
    };
    let syntax = Syntax::default();
    let ast = parse(&text, &syntax, lit, origin, errors)?;
    let blocks = find_blocks(ast.nodes(), lit, errors);
    // With a `message` block, askama renders only the blocks, each on its own.
    let rendered_blocks: Vec<&str> = std::iter::once("message")
        .chain(OVERRIDE_BLOCKS.map(Role::block_name))
        .collect();
    let rendered = match blocks.message {
        true => Rendered::Blocks(&rendered_blocks),
        false => Rendered::Whole,
    };
    let reads = variables::reads(ast.nodes(), rendered);
    check_reads(&reads, &text, lit, origin, event, errors);
    Some(blocks)
}

/// Whether the text of `lit`, a card part, is plain text or a template; `what` names the
/// part in errors (`card.title`). Checks the variables it reads against `event`.
pub(crate) fn inline_text(
    lit: &LitStr,
    what: &str,
    event: &EventFields,
    errors: &mut Errors,
) -> Option<BlockValue> {
    let text = lit.value();
    let syntax = Syntax::default();
    let origin = Origin::CardPart(what);
    let ast = parse(&text, &syntax, lit, origin, errors)?;
    let reads = variables::reads(ast.nodes(), Rendered::Whole);
    check_reads(&reads, &text, lit, origin, event, errors);
    Some(block_value(ast.nodes()))
}

/// Parses a template, reporting a syntax error at `lit` with its line and column.
fn parse<'a>(
    text: &'a str,
    syntax: &'a Syntax<'a>,
    lit: &LitStr,
    origin: Origin<'_>,
    errors: &mut Errors,
) -> Option<Ast<'a>> {
    match Ast::from_str(text, None, syntax) {
        Ok(ast) => Some(ast),
        Err(error) => {
            let (line, column) = line_and_column(text, error.offset);
            let place = origin.in_place();
            let message = error.message.as_deref().unwrap_or("syntax error");
            errors.spanned(
                lit,
                format!("template syntax error{place} at line {line}, column {column}: {message}"),
            );
            None
        }
    }
}

/// Reports each name read that the event has no field for, with the fields it has and the
/// nearest one. Left to rustc, it would name askama's wrapper and suggest nothing; reported
/// here, the fallback impl is emitted instead of askama's code, so rustc stays silent.
fn check_reads(
    reads: &[Read<'_>],
    text: &str,
    lit: &LitStr,
    origin: Origin<'_>,
    event: &EventFields,
    errors: &mut Errors,
) {
    let Some(fields) = &event.fields else { return };
    let candidates: Vec<&str> = fields.iter().map(String::as_str).collect();
    // A misspelt name is usually misspelt everywhere: reported once, where it first is.
    let mut reported = Vec::new();
    for read in reads {
        if candidates.contains(&read.name) || reported.contains(&read.name) {
            continue;
        }
        reported.push(read.name);
        let name = read.name;
        let (place, span) = match (origin, &read.range) {
            (Origin::File(file), Some(range)) => {
                let (line, column) = line_and_column(text, range.start);
                (format!("{file}:{line}:{column}"), lit.span())
            }
            (Origin::File(file), None) => (file.to_owned(), lit.span()),
            (Origin::CardPart(part), range) => (part.to_owned(), within(lit, text, range.as_ref())),
            (Origin::Message, range) => {
                ("the template".to_owned(), within(lit, text, range.as_ref()))
            }
        };
        let has = match candidates.as_slice() {
            [] => "has no fields".to_owned(),
            _ => format!("has: {}", candidates.join(", ")),
        };
        let hint = closest(name, &candidates)
            .map_or_else(String::new, |known| format!(" (did you mean `{known}`?)"));
        errors.at(
            span,
            format!(
                "unknown variable `{name}` in {place}; `{}` {has}{hint}",
                event.name
            ),
        );
    }
}

/// The span of `range` of `text` inside `lit`, where the compiler can point into a literal
/// (nightly) and the literal is written as its value (no escapes); else the whole literal.
fn within(lit: &LitStr, text: &str, range: Option<&Range<usize>>) -> Span {
    let token = lit.token();
    let written = token.to_string();
    let (Some(range), Some(open), Some(close)) = (range, written.find('"'), written.rfind('"'))
    else {
        return lit.span();
    };
    let contents = written.get(open + 1..close);
    if contents != Some(text) {
        return lit.span();
    }
    let start = open + 1 + range.start;
    token
        .subspan(start..start + range.len())
        .unwrap_or_else(|| lit.span())
}

/// Where `template = "name"` points: `$CARGO_MANIFEST_DIR/templates/name`.
pub(crate) fn file_path(name: &str) -> PathBuf {
    let root =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from);
    root.join(TEMPLATE_DIR).join(name)
}

fn find_blocks(nodes: &[Box<Node<'_>>], lit: &LitStr, errors: &mut Errors) -> Blocks {
    let mut blocks = Blocks {
        message: false,
        overrides: Vec::new(),
    };
    for node in nodes {
        let Node::BlockDef(block) = &**node else {
            continue;
        };
        match *block.name {
            "message" => blocks.message = true,
            "auth_token" => errors.spanned(
                lit,
                "`auth_token` blocks are not supported: a token in a template is a secret in source code; \
                 name a token from the settings with `token = \"name\"` instead",
            ),
            name => {
                if let Some(role) = OVERRIDE_BLOCKS.into_iter().find(|role| role.block_name() == name) {
                    blocks.overrides.push(Block {
                        role,
                        value: block_value(&block.nodes),
                    });
                }
            }
        }
    }
    if !blocks.overrides.is_empty() && !blocks.message {
        errors.spanned(
            lit,
            "the template defines room_id, from or color blocks but no `message` block: \
             wrap the message body in {% block message %}...{% endblock %}",
        );
    }
    blocks
}

fn block_value(nodes: &[Box<Node<'_>>]) -> BlockValue {
    let mut text = String::new();
    for node in nodes {
        match &**node {
            Node::Lit(lit) => {
                let TextNode { lws, val, rws } = &**lit;
                text.extend([**lws, **val, **rws]);
            }
            Node::Comment(_) => {}
            _ => return BlockValue::Dynamic,
        }
    }
    BlockValue::Static(text.trim().to_owned())
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use syn::{LitStr, parse_quote};

    use super::{EventFields, inline_text, within};
    use crate::errors::Errors;

    /// The errors `inline_text` reports for `template` as a part of `event`, one a line.
    fn errors_in(template: &str, event: syn::DeriveInput) -> String {
        let mut errors = Errors::default();
        let lit = LitStr::new(template, proc_macro2::Span::call_site());
        inline_text(&lit, "card.title", &EventFields::of(&event), &mut errors);
        errors
            .finish()
            .err()
            .map(|error| error.into_iter().map(|e| e.to_string() + "\n").collect())
            .unwrap_or_default()
    }

    #[test]
    fn unknown_variables_name_the_fields_and_the_nearest() {
        let event = parse_quote!(
            struct DeployFailed {
                service: String,
                version: String,
            }
        );
        assert_eq!(
            errors_in(
                "{{ servce }} {{ version }} {{ commit }} {{ servce }}",
                event
            ),
            "unknown variable `servce` in card.title; `DeployFailed` has: service, version \
             (did you mean `service`?)\n\
             unknown variable `commit` in card.title; `DeployFailed` has: service, version\n"
        );
    }

    #[test]
    fn errors_point_at_the_variable_where_the_literal_is_written_as_its_value() {
        // Outside a compiler (tests) proc_macro2 can point into a literal, as nightly can.
        let columns = |lit: &LitStr| {
            let span = within(lit, &lit.value(), Some(&(13..19)));
            let start = lit.span().start().column;
            (span.start().column - start, span.end().column - start)
        };
        let plain: LitStr = syn::parse_str(r#""Deploy of {{ servce }}""#).unwrap();
        assert_eq!(columns(&plain), (14, 20));
        // `\t` is one character of the value and two of the literal: the whole literal.
        let escaped: LitStr = syn::parse_str(r#""Deploy\tof {{ servce }}""#).unwrap();
        assert_eq!(columns(&escaped), (0, 25));
    }

    #[test]
    fn a_keyword_reads_the_raw_field() {
        let event = parse_quote!(
            struct Alert {
                r#type: String,
            }
        );
        assert_eq!(errors_in("{{ type }}", event), "");
    }

    #[test]
    fn nothing_is_checked_without_named_fields() {
        assert_eq!(
            errors_in(
                "{{ x }}",
                parse_quote!(
                    struct Tuple(String);
                )
            ),
            ""
        );
        let unit = parse_quote!(
            struct Empty {}
        );
        assert_eq!(
            errors_in("{{ x }}", unit),
            "unknown variable `x` in card.title; `Empty` has no fields\n"
        );
    }
}
