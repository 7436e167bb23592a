//! The names a template reads from the event.
//!
//! askama turns every variable that the template does not bind itself into a field access
//! (`{{ servce }}` becomes `self.servce`), so each such name must be a field of the event.
//! This walk finds them, following askama's scopes (askama_derive's generator): loops,
//! `let`/`set`, `if let` and `match` patterns, macro parameters and call blocks bind names;
//! `self`, paths (`crate::X`) and calls (`summary()`, a method) are never field reads.
//! Where it cannot know, it reports nothing and leaves the check to rustc: fields of
//! nested values (`deploy.nope`), templates that extend another (their blocks render in
//! the parent's scopes), and names a macro body may get from the scopes it is called in.

use std::collections::HashSet;
use std::ops::Range;

use askama_parser::expr::{BinOp, Call, ExprStruct};
use askama_parser::node::{CondTest, LetValueOrBlock};
use askama_parser::{Expr, Filter, Node, PathOrIdentifier, Target, WithSpan};

/// A variable read from the event: its name and where it is in the template's text.
pub(crate) struct Read<'a> {
    pub(crate) name: &'a str,
    /// Byte range in the template's text.
    pub(crate) range: Option<Range<usize>>,
}

/// Which parts of a template askama renders.
#[derive(Clone, Copy)]
pub(crate) enum Rendered<'b> {
    /// All of it.
    Whole,
    /// Only these top-level blocks (`block = "message"` and the override blocks).
    Blocks(&'b [&'b str]),
}

/// Every variable the rendered parts of `nodes` read from the event, in template order.
pub(crate) fn reads<'a>(nodes: &'a [Box<Node<'a>>], rendered: Rendered<'_>) -> Vec<Read<'a>> {
    if nodes.iter().any(|node| matches!(**node, Node::Extends(_))) {
        return Vec::new();
    }
    let mut walk = Walk {
        bound: Vec::new(),
        bound_anywhere: HashSet::new(),
        recording: matches!(rendered, Rendered::Whole),
        in_macro: false,
        reads: Vec::new(),
        macro_reads: Vec::new(),
    };
    for node in nodes {
        match (&**node, rendered) {
            (Node::BlockDef(block), Rendered::Blocks(names)) if names.contains(&*block.name) => {
                walk.recording = true;
                walk.node(node);
                walk.recording = false;
            }
            _ => walk.node(node),
        }
    }
    // A macro body also sees the names bound where it is called: only a name the template
    // binds nowhere is certainly the event's.
    let Walk {
        mut reads,
        macro_reads,
        bound_anywhere,
        ..
    } = walk;
    reads.extend(
        macro_reads
            .into_iter()
            .filter(|read| !bound_anywhere.contains(read.name)),
    );
    reads.sort_by_key(|read| read.range.as_ref().map(|range| range.start));
    reads
}

struct Walk<'a> {
    /// Names bound by the scopes around the current node, innermost last.
    bound: Vec<&'a str>,
    /// Every name bound anywhere so far, for reads inside macro bodies.
    bound_anywhere: HashSet<&'a str>,
    /// Whether the current node is rendered (see [`Rendered`]).
    recording: bool,
    in_macro: bool,
    reads: Vec<Read<'a>>,
    macro_reads: Vec<Read<'a>>,
}

impl<'a> Walk<'a> {
    fn nodes(&mut self, nodes: &'a [Box<Node<'a>>]) {
        for node in nodes {
            self.node(node);
        }
    }

    /// Runs `inside` in a new scope: what it binds is forgotten afterwards.
    fn scope(&mut self, inside: impl FnOnce(&mut Self)) {
        let outer = self.bound.len();
        inside(self);
        self.bound.truncate(outer);
    }

    fn bind(&mut self, name: &'a str) {
        self.bound.push(name);
        self.bound_anywhere.insert(name);
    }

    fn bind_target(&mut self, target: &'a Target<'a>) {
        match target {
            Target::Name(name) => self.bind(name),
            Target::Tuple(tuple) => tuple.1.iter().for_each(|t| self.bind_target(t)),
            Target::Array(items) | Target::OrChain(items) => {
                items.iter().for_each(|t| self.bind_target(t));
            }
            Target::Struct(fields) => fields.1.iter().for_each(|f| self.bind_target(&f.dest)),
            Target::Rest(rest) => {
                if let Some(name) = &**rest {
                    self.bind(name);
                }
            }
            Target::NumLit(..)
            | Target::StrLit(_)
            | Target::CharLit(_)
            | Target::BoolLit(_)
            | Target::Path(_)
            | Target::Placeholder(_) => {}
        }
    }

    fn node(&mut self, node: &'a Node<'a>) {
        match node {
            Node::Expr(_, expr) => self.expr(expr),
            Node::Let(binding) => {
                match &binding.val {
                    LetValueOrBlock::Value(value) => self.expr(value),
                    LetValueOrBlock::Block { nodes, .. } => self.scope(|walk| walk.nodes(nodes)),
                }
                self.bind_target(&binding.var);
            }
            Node::Declare(declare) => self.bind(&declare.var_name),
            Node::Compound(compound) => self.binop(&compound.op),
            Node::If(branches) => {
                for branch in &branches.branches {
                    self.scope(|walk| {
                        if let Some(cond) = &branch.cond {
                            walk.cond(cond);
                        }
                        walk.nodes(&branch.nodes);
                    });
                }
            }
            Node::Match(matching) => {
                self.expr(&matching.expr);
                for arm in &matching.arms {
                    self.scope(|walk| {
                        arm.target.iter().for_each(|t| walk.bind_target(t));
                        walk.nodes(&arm.nodes);
                    });
                }
            }
            Node::Loop(for_loop) => {
                self.expr(&for_loop.iter);
                self.scope(|walk| {
                    walk.bind_target(&for_loop.var);
                    walk.bind("loop");
                    if let Some(cond) = &for_loop.cond {
                        walk.expr(cond);
                    }
                    walk.nodes(&for_loop.body);
                });
                self.nodes(&for_loop.else_nodes);
            }
            Node::Macro(definition) => {
                let outer = self.in_macro;
                self.in_macro = true;
                self.scope(|walk| {
                    walk.bind("caller");
                    for arg in &definition.args {
                        walk.bind(&arg.name);
                    }
                    for default in definition
                        .args
                        .iter()
                        .filter_map(|arg| arg.default.as_ref())
                    {
                        walk.expr(default);
                    }
                    walk.nodes(&definition.nodes);
                });
                self.in_macro = outer;
            }
            Node::Call(call) => {
                for arg in call.args.iter().flatten() {
                    self.expr(arg);
                }
                self.scope(|walk| {
                    for &name in &call.caller_args {
                        walk.bind(name);
                    }
                    walk.nodes(&call.nodes);
                });
            }
            Node::FilterBlock(block) => {
                self.filter(&block.filters);
                self.scope(|walk| walk.nodes(&block.nodes));
            }
            Node::BlockDef(block) => self.scope(|walk| walk.nodes(&block.nodes)),
            // Included and imported files are not read here; rustc checks them.
            Node::Lit(_)
            | Node::Comment(_)
            | Node::Raw(_)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Extends(_)
            | Node::Include(_)
            | Node::Import(_) => {}
        }
    }

    /// An `if` condition; `if let` binds its pattern for the branch.
    fn cond(&mut self, cond: &'a CondTest<'a>) {
        self.expr(&cond.expr);
        if let Some(target) = &cond.target {
            self.bind_target(target);
        }
    }

    fn expr(&mut self, expr: &'a WithSpan<Box<Expr<'a>>>) {
        match &***expr {
            Expr::Var(name) => self.var(name, expr),
            Expr::Array(items) | Expr::Tuple(items) | Expr::Concat(items) => {
                items.iter().for_each(|item| self.expr(item));
            }
            Expr::ArrayRepeat(value, count) => {
                self.expr(value);
                self.expr(count);
            }
            Expr::Index(value, index) => {
                self.expr(value);
                self.expr(index);
            }
            // `a.b.c`: only `a` is the event's; the rest belongs to its type.
            Expr::AssociatedItem(value, _)
            | Expr::As(value, _)
            | Expr::Unary(_, value)
            | Expr::Group(value)
            | Expr::Try(value)
            | Expr::NamedArgument(_, value) => self.expr(value),
            Expr::Filter(filter) => self.filter(filter),
            Expr::BinOp(op) => self.binop(op),
            Expr::Range(range) => {
                range
                    .lhs
                    .iter()
                    .chain(&range.rhs)
                    .for_each(|side| self.expr(side));
            }
            Expr::Call(call) => self.call(call),
            Expr::Struct(ExprStruct { fields, .. }) => {
                for value in fields.iter().filter_map(|field| field.value.as_ref()) {
                    self.expr(value);
                }
            }
            Expr::LetCond(cond) => self.cond(cond),
            Expr::BoolLit(_)
            | Expr::NumLit(..)
            | Expr::StrLit(_)
            | Expr::CharLit(_)
            | Expr::Path(_)
            | Expr::RustMacro(..)
            | Expr::FilterSource
            | Expr::IsDefined(_)
            | Expr::IsNotDefined(_)
            | Expr::ArgumentPlaceholder => {}
        }
    }

    fn var(&mut self, name: &'a str, expr: &WithSpan<Box<Expr<'a>>>) {
        if name == "self" || !self.recording || self.bound.contains(&name) {
            return;
        }
        let read = Read {
            name,
            range: expr.span().byte_range(),
        };
        if self.in_macro {
            self.macro_reads.push(read);
        } else {
            self.reads.push(read);
        }
    }

    fn binop(&mut self, op: &'a BinOp<'a>) {
        self.expr(&op.lhs);
        self.expr(&op.rhs);
    }

    /// A call's arguments; a bare name called (`summary()`) is a method of the event, or
    /// askama's `caller()` / `super()`, not a field.
    fn call(&mut self, call: &'a Call<'a>) {
        if !matches!(**call.path, Expr::Var(_)) {
            self.expr(&call.path);
        }
        call.args.iter().for_each(|arg| self.expr(arg));
    }

    /// A filter's arguments, its input first. `default`, `defined_or` and `assigned_or`
    /// exist to take a name that may not be defined: theirs is not a read.
    fn filter(&mut self, filter: &'a Filter<'a>) {
        let takes_undefined = matches!(
            &filter.name,
            PathOrIdentifier::Identifier(name)
                if matches!(**name, "default" | "defined_or" | "assigned_or")
        );
        let mut arguments = filter.arguments.iter();
        if takes_undefined
            && let Some(input) = arguments.next()
            && !matches!(***input, Expr::Var(_))
        {
            self.expr(input);
        }
        arguments.for_each(|arg| self.expr(arg));
    }
}

#[cfg(test)]
mod tests {
    use askama_parser::{Ast, Syntax};

    use super::{Rendered, reads};

    /// The names `template` reads, as `reads` finds them.
    fn names(template: &str, rendered: Rendered<'_>) -> Vec<String> {
        let syntax = Syntax::default();
        let ast = Ast::from_str(template, None, &syntax).expect("a valid template");
        reads(ast.nodes(), rendered)
            .into_iter()
            .map(|read| read.name.to_owned())
            .collect()
    }

    fn whole(template: &str) -> Vec<String> {
        names(template, Rendered::Whole)
    }

    #[test]
    fn plain_names_and_the_first_segment_of_paths() {
        assert_eq!(
            whole("{{ service }} {{ deploy.env.name }} {{ items[idx] }}"),
            ["service", "deploy", "items", "idx"]
        );
    }

    #[test]
    fn names_the_template_binds_are_not_reads() {
        assert_eq!(
            whole("{% for c in checks %}{{ c.name }}{{ loop.index }}{% endfor %}{{ c }}"),
            ["checks", "c"]
        );
        assert_eq!(whole("{% let x = service %}{{ x }}"), ["service"]);
        assert_eq!(whole("{% set x = 1 %}{{ x }}"), Vec::<String>::new());
        assert_eq!(
            whole("{% if let Some(o) = owner %}{{ o }}{% else %}{{ o }}{% endif %}"),
            ["owner", "o"]
        );
        assert_eq!(
            whole("{% match state %}{% when Some with (s) %}{{ s }}{% when None %}{% endmatch %}"),
            ["state"]
        );
    }

    #[test]
    fn macro_parameters_and_names_bound_at_call_sites() {
        assert_eq!(
            whole(
                "{% macro row(label) %}{{ label }}: {{ value }} {{ nope }}{% endmacro %}\
                 {% for value in values %}{% call row(value) %}{% endcall %}{% endfor %}"
            ),
            ["nope", "values"]
        );
    }

    #[test]
    fn self_calls_paths_and_filters_that_allow_undefined_names_are_not_reads() {
        assert_eq!(
            whole(
                "{{ self.service }} {{ summary() }} {{ crate::NAME }} {{ maybe|default(\"x\") }} \
                 {{ name|truncate(width) }}"
            ),
            ["name", "width"]
        );
    }

    #[test]
    fn only_rendered_blocks_and_nothing_of_an_extending_template() {
        let template = "{{ outside }}{% block message %}{{ inside }}{% endblock %}\
                        {% block other %}{{ unused }}{% endblock %}";
        assert_eq!(names(template, Rendered::Blocks(&["message"])), ["inside"]);
        assert_eq!(
            whole("{% extends \"layout.hipchat\" %}{% block content %}{{ x }}{% endblock %}"),
            Vec::<String>::new()
        );
    }
}
