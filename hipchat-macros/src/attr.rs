//! Parsing `#[hipchat(...)]` on the struct and `#[hipchat(room)]`-style field attributes.
//! Syntax only: values are checked in `validate.rs`.

pub(crate) mod card;

use hipchat_spec::closest;
use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Fields, Ident, Lit, LitBool, LitInt, LitStr};

use crate::errors::Errors;

pub(crate) use card::CardArgs;

/// The keys of the struct attribute.
const KEYS: &[&str] = &[
    "template", "message", "room", "color", "from", "notify", "format", "token", "card", "crate",
];

/// The roles a field can take.
const FIELD_ROLES: &[&str] = &["room", "color", "from", "card_id", "attach_to"];

/// The struct attribute as written.
#[derive(Default)]
pub(crate) struct Args {
    pub(crate) template: Option<LitStr>,
    pub(crate) message: Option<LitStr>,
    /// A room name, or a numeric id written as an integer.
    pub(crate) room: Option<LitStr>,
    pub(crate) color: Option<LitStr>,
    pub(crate) from: Option<LitStr>,
    pub(crate) notify: Option<LitBool>,
    pub(crate) format: Option<LitStr>,
    pub(crate) token: Option<LitStr>,
    pub(crate) krate: Option<LitStr>,
    pub(crate) card: Option<CardArgs>,
    /// Whether the attribute parsed without any error; if not, a missing `template` may
    /// only be a consequence (a typo in `message`, a missing comma) and is not reported.
    pub(crate) complete: bool,
}

pub(crate) fn parse_args(args: TokenStream, errors: &mut Errors) -> Args {
    let mut parsed = Args::default();
    let errors_before = errors.len();
    let parser = syn::meta::parser(|meta| {
        parse_key(&meta, &mut parsed, errors);
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    parsed.complete = errors.len() == errors_before;
    parsed
}

fn parse_key(meta: &ParseNestedMeta<'_>, args: &mut Args, errors: &mut Errors) {
    let path = &meta.path;
    if path.is_ident("card") {
        let card = card::parse(meta, errors);
        return set_once("card", &mut args.card, Some(card), path, errors);
    }
    let Some(key) = path.get_ident().map(Ident::to_string) else {
        let _ = parse_value(meta);
        let written = quote::ToTokens::to_token_stream(path)
            .to_string()
            .replace(' ', "");
        return errors.spanned(
            path,
            format!(
                "unknown key `{written}`; expected one of {}",
                KEYS.join(", ")
            ),
        );
    };
    let Some(value) = Value::parse(&key, meta, errors) else {
        return;
    };
    let (slot, value) = match key.as_str() {
        "template" => (&mut args.template, value.string(errors)),
        "message" => (&mut args.message, value.string(errors)),
        "color" => (&mut args.color, value.string(errors)),
        "from" => (&mut args.from, value.string(errors)),
        "format" => (&mut args.format, value.string(errors)),
        "token" => (&mut args.token, value.string(errors)),
        "crate" => (&mut args.krate, value.string(errors)),
        "room" => (&mut args.room, value.room(errors)),
        "notify" => return set_once(&key, &mut args.notify, value.boolean(errors), path, errors),
        _ => {
            let mut message = format!("unknown key `{key}`");
            match closest(&key, KEYS) {
                Some(known) => message += &format!("; did you mean `{known}`?"),
                None => message += &format!("; expected one of {}", KEYS.join(", ")),
            }
            return errors.spanned(path, message);
        }
    };
    set_once(&key, slot, value, path, errors);
}

fn set_once<T>(
    key: &str,
    slot: &mut Option<T>,
    value: Option<T>,
    path: &syn::Path,
    errors: &mut Errors,
) {
    if slot.is_some() {
        errors.spanned(path, format!("duplicate key `{key}`"));
    } else {
        *slot = value;
    }
}

/// `key = value`, or a bare `key`, which is reported by the caller as a missing value.
fn parse_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Expr>> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse().map(Some)
    } else {
        Ok(None)
    }
}

/// The value written after `key =`, if any.
struct Value<'a> {
    key: &'a str,
    path: &'a syn::Path,
    expr: Option<Expr>,
}

impl<'a> Value<'a> {
    /// Reads `= value` after `key`, or nothing; `None` (reported) when it does not parse.
    fn parse(key: &'a str, meta: &'a ParseNestedMeta<'_>, errors: &mut Errors) -> Option<Self> {
        match parse_value(meta) {
            Ok(expr) => Some(Value {
                key,
                path: &meta.path,
                expr,
            }),
            Err(error) => {
                errors.push(error);
                None
            }
        }
    }

    fn literal(&self) -> Option<&Lit> {
        match &self.expr {
            Some(Expr::Lit(ExprLit { lit, .. })) => Some(lit),
            _ => None,
        }
    }

    /// Reports a value that is not `expected` at the value, or at the key when it is
    /// missing; `example` is what to write after `key = `.
    fn report(&self, errors: &mut Errors, expected: &str, example: &str) {
        let key = self.key;
        match &self.expr {
            Some(expr) => errors.spanned(
                expr,
                format!("`{key}` expects {expected}: {key} = {example}"),
            ),
            None => errors.spanned(
                self.path,
                format!("`{key}` needs a value: {key} = {example}"),
            ),
        }
    }

    fn string(&self, errors: &mut Errors) -> Option<LitStr> {
        match self.literal() {
            Some(Lit::Str(lit)) => Some(lit.clone()),
            _ => {
                self.report(errors, "a string", "\"...\"");
                None
            }
        }
    }

    /// Room names are strings; numeric ids may be written as integers.
    fn room(&self, errors: &mut Errors) -> Option<LitStr> {
        match self.literal() {
            Some(Lit::Str(lit)) => Some(lit.clone()),
            Some(Lit::Int(id)) => Some(LitStr::new(id.base10_digits(), id.span())),
            _ => {
                self.report(errors, "a room name or numeric id", "\"Ops\" or 12345");
                None
            }
        }
    }

    fn integer(&self, errors: &mut Errors) -> Option<LitInt> {
        match self.literal() {
            Some(Lit::Int(lit)) => Some(lit.clone()),
            _ => {
                self.report(errors, "a whole number", "320");
                None
            }
        }
    }

    fn boolean(&self, errors: &mut Errors) -> Option<LitBool> {
        match self.literal() {
            Some(Lit::Bool(lit)) => Some(lit.clone()),
            // A bare `notify` reads as `notify = true`.
            None if self.expr.is_none() => Some(LitBool::new(true, self.path.span())),
            _ => {
                self.report(errors, "true or false", "true");
                None
            }
        }
    }
}

/// What a field supplies at run time.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Room,
    Color,
    From,
}

impl Role {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Role::Room => "room",
            Role::Color => "color",
            Role::From => "from",
        }
    }

    /// The django-hipchat block that supplies the same value.
    pub(crate) fn block_name(self) -> &'static str {
        match self {
            Role::Room => "room_id",
            Role::Color => "color",
            Role::From => "from",
        }
    }
}

/// What a marked field supplies: a value the attribute could also give, the card's id, or
/// the id of the message to attach to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Supplies {
    Value(Role),
    CardId,
    AttachTo,
}

impl Supplies {
    fn key(self) -> &'static str {
        match self {
            Supplies::Value(role) => role.key(),
            Supplies::CardId => "card_id",
            Supplies::AttachTo => "attach_to",
        }
    }

    /// How to give the same value without a field, for the "no value" error.
    fn fixed_alternative(self) -> String {
        match self {
            Supplies::Value(role) => {
                let key = role.key();
                format!("put a fixed {key} in the struct's attribute: #[hipchat({key} = ...)]")
            }
            Supplies::CardId => "give the id in the card: card(id = \"...\")".to_owned(),
            Supplies::AttachTo => "use an `Option` field set to the message id".to_owned(),
        }
    }
}

/// A field marked `#[hipchat(room)]`, `#[hipchat(card_id)]` and the like.
pub(crate) struct FieldRole {
    pub(crate) supplies: Supplies,
    pub(crate) ident: Ident,
    /// The field's type, where a type mismatch is reported.
    pub(crate) ty_span: Span,
    /// The role's name in the attribute, for errors about it.
    pub(crate) span: Span,
}

/// Finds field attributes and removes them, since the struct is emitted again without them.
pub(crate) fn take_field_roles(fields: &mut Fields, errors: &mut Errors) -> Vec<FieldRole> {
    let mut roles = Vec::new();
    for field in fields.iter_mut() {
        let (ours, others): (Vec<_>, Vec<_>) = field
            .attrs
            .drain(..)
            .partition(|a| a.path().is_ident("hipchat"));
        field.attrs = others;
        for attribute in ours {
            let result = attribute.parse_nested_meta(|meta| {
                let supplies = match meta.path.get_ident().map(Ident::to_string).as_deref() {
                    Some("room") => Supplies::Value(Role::Room),
                    Some("color") => Supplies::Value(Role::Color),
                    Some("from") => Supplies::Value(Role::From),
                    Some("card_id") => Supplies::CardId,
                    Some("attach_to") => Supplies::AttachTo,
                    other => {
                        let name = other.unwrap_or_default();
                        let hint = closest(name, FIELD_ROLES)
                            .map_or_else(String::new, |known| format!("; did you mean `{known}`?"));
                        return Err(meta.error(format!(
                            "unknown field role `{name}`{hint} (a field can supply {})",
                            FIELD_ROLES.join(", ")
                        )));
                    }
                };
                if meta.input.peek(syn::Token![=]) {
                    let key = supplies.key();
                    return Err(meta.error(format!(
                        "field roles take no value: write #[hipchat({key})] to take the {key} from this \
                         field, or {}",
                        supplies.fixed_alternative()
                    )));
                }
                let Some(ident) = field.ident.clone() else {
                    return Err(meta.error("field roles need a named field"));
                };
                roles.push(FieldRole {
                    supplies,
                    ident,
                    ty_span: field.ty.span(),
                    span: meta.path.span(),
                });
                Ok(())
            });
            if let Err(error) = result {
                errors.push(error);
            }
        }
    }
    roles
}
