//! Finding and reading the template, and picking out django-hipchat's blocks.
//!
//! askama compiles the template; this module only parses it far enough to see which of the
//! blocks `message`, `room_id`, `from` and `color` it defines, and whether each is plain text
//! (checked now) or has interpolations (rendered at run time).

use std::path::PathBuf;

use askama_parser::node::Lit as TextNode;
use askama_parser::{Ast, Node, Syntax};
use syn::LitStr;

use crate::attr::Role;
use crate::errors::Errors;
use crate::model::TemplateSource;

/// The directory, next to the crate's `Cargo.toml`, that holds template files.
pub(crate) const TEMPLATE_DIR: &str = "templates";

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

/// Reads the template's text and finds its blocks. Reports a missing file or a syntax
/// error at `source`'s literal.
pub(crate) fn read(source: &TemplateSource, errors: &mut Errors) -> Option<Blocks> {
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
    let syntax = Syntax::default();
    let ast = parse(&text, &syntax, lit, shown_as.as_deref(), errors)?;
    Some(find_blocks(ast.nodes(), lit, errors))
}

/// Whether the text of `lit`, a card part, is plain text or a template; `what` names the
/// part in a syntax error (`card.title`).
pub(crate) fn inline_text(lit: &LitStr, what: &str, errors: &mut Errors) -> Option<BlockValue> {
    let text = lit.value();
    let syntax = Syntax::default();
    let ast = parse(&text, &syntax, lit, Some(what), errors)?;
    Some(block_value(ast.nodes()))
}

/// Parses a template, reporting a syntax error at `lit` with its line and column in
/// `place` (a file or a card part) when given.
fn parse<'a>(
    text: &'a str,
    syntax: &'a Syntax<'a>,
    lit: &LitStr,
    place: Option<&str>,
    errors: &mut Errors,
) -> Option<Ast<'a>> {
    match Ast::from_str(text, None, syntax) {
        Ok(ast) => Some(ast),
        Err(error) => {
            let (line, column) = line_and_column(text, error.offset);
            let place = place.map_or_else(String::new, |place| format!(" in {place}"));
            let message = error.message.as_deref().unwrap_or("syntax error");
            errors.spanned(
                lit,
                format!("template syntax error{place} at line {line}, column {column}: {message}"),
            );
            None
        }
    }
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
