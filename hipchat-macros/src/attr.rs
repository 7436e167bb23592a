//! Parsing `#[hipchat(...)]` on the struct and `#[hipchat(room)]`-style field attributes.
//! Syntax only: values are checked in `validate.rs`.

use hipchat_spec::closest;
use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Fields, Ident, Lit, LitBool, LitStr};

use crate::errors::Errors;

/// The keys of the struct attribute.
const KEYS: &[&str] = &[
    "template", "message", "room", "color", "from", "notify", "format", "token", "crate",
];

/// The roles a field can take.
const FIELD_ROLES: &[&str] = &["room", "color", "from"];

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
}

pub(crate) fn parse_args(args: TokenStream, errors: &mut Errors) -> Args {
    let mut parsed = Args::default();
    let parser = syn::meta::parser(|meta| {
        parse_key(&meta, &mut parsed, errors);
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    parsed
}

fn parse_key(meta: &ParseNestedMeta<'_>, args: &mut Args, errors: &mut Errors) {
    let path = &meta.path;
    let Some(key) = path.get_ident().map(Ident::to_string) else {
        errors.spanned(path, format!("expected one of {}", KEYS.join(", ")));
        return skip_value(meta, errors);
    };
    let value = match parse_value(meta) {
        Ok(value) => value,
        Err(error) => return errors.push(error),
    };
    let (slot, value) = match key.as_str() {
        "template" => (&mut args.template, string(&key, value, errors)),
        "message" => (&mut args.message, string(&key, value, errors)),
        "color" => (&mut args.color, string(&key, value, errors)),
        "from" => (&mut args.from, string(&key, value, errors)),
        "format" => (&mut args.format, string(&key, value, errors)),
        "token" => (&mut args.token, string(&key, value, errors)),
        "crate" => (&mut args.krate, string(&key, value, errors)),
        "room" => (&mut args.room, room(value, errors)),
        "notify" => return set_once(&key, &mut args.notify, boolean(value, errors), path, errors),
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

fn skip_value(meta: &ParseNestedMeta<'_>, errors: &mut Errors) {
    if let Err(error) = parse_value(meta) {
        errors.push(error);
    }
}

fn literal(value: &Option<Expr>) -> Option<&Lit> {
    match value {
        Some(Expr::Lit(ExprLit { lit, .. })) => Some(lit),
        _ => None,
    }
}

fn string(key: &str, value: Option<Expr>, errors: &mut Errors) -> Option<LitStr> {
    match literal(&value) {
        Some(Lit::Str(lit)) => Some(lit.clone()),
        _ => {
            let span = value.as_ref().map_or_else(Span::call_site, Spanned::span);
            errors.at(span, format!("`{key}` expects a string: {key} = \"...\""));
            None
        }
    }
}

/// Room names are strings; numeric ids may be written as integers.
fn room(value: Option<Expr>, errors: &mut Errors) -> Option<LitStr> {
    match literal(&value) {
        Some(Lit::Int(id)) => Some(LitStr::new(id.base10_digits(), id.span())),
        _ => string("room", value, errors),
    }
}

fn boolean(value: Option<Expr>, errors: &mut Errors) -> Option<LitBool> {
    match literal(&value) {
        Some(Lit::Bool(lit)) => Some(lit.clone()),
        // A bare `notify` reads as `notify = true`.
        None if value.is_none() => Some(LitBool::new(true, Span::call_site())),
        _ => {
            let span = value.as_ref().map_or_else(Span::call_site, Spanned::span);
            errors.at(span, "`notify` expects true or false");
            None
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

/// A field marked `#[hipchat(room)]`, `#[hipchat(color)]` or `#[hipchat(from)]`.
pub(crate) struct FieldRole {
    pub(crate) role: Role,
    pub(crate) ident: Ident,
    /// The field's type, where a type mismatch is reported.
    pub(crate) ty_span: Span,
    /// The attribute, for errors about it.
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
                let role = match meta.path.get_ident().map(Ident::to_string).as_deref() {
                    Some("room") => Role::Room,
                    Some("color") => Role::Color,
                    Some("from") => Role::From,
                    other => {
                        let name = other.unwrap_or_default();
                        let hint = closest(name, FIELD_ROLES)
                            .map_or_else(String::new, |known| format!("; did you mean `{known}`?"));
                        return Err(meta.error(format!(
                            "unknown field role `{name}`{hint} (a field can supply room, color or from)"
                        )));
                    }
                };
                let Some(ident) = field.ident.clone() else {
                    return Err(meta.error("field roles need a named field"));
                };
                roles.push(FieldRole {
                    role,
                    ident,
                    ty_span: field.ty.span(),
                    span: attribute.span(),
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
