//! Checking the attribute, field roles and template blocks into a [`Notification`] model.
//!
//! Every check runs even after one fails, so all problems are reported in one build.
//! Colors, formats and limits come from `hipchat-spec`, the table the runtime checks
//! rendered values against, so both report problems in the same words.

mod card;

use std::fmt::Display;
use std::str::FromStr;

use hipchat_spec::{Color, FROM, Limit, ROOM, UnknownValue, check_token_name};
use proc_macro2::Span;
use syn::{LitStr, Path};

use crate::attr::{Args, FieldRole, Role, Supplies};
use crate::errors::Errors;
use crate::model::card::CardId;
use crate::model::{Dynamic, FieldRef, Notification, Value, Values};
use crate::template::{self, Block, BlockValue, EventFields, TemplateSource};

/// Checks everything, template variables against `event`'s fields; `None` when the template itself is missing (errors say why).
pub(crate) fn validate(
    mut args: Args,
    roles: Vec<FieldRole>,
    krate: Path,
    event: &EventFields,
    errors: &mut Errors,
) -> Option<Notification> {
    let mut values = Values {
        room: Value {
            fixed: args
                .room
                .as_ref()
                .and_then(|lit| within(lit, lit.value(), ROOM, errors)),
            dynamic: None,
        },
        from: Value {
            fixed: args
                .from
                .as_ref()
                .and_then(|lit| within(lit, lit.value(), FROM, errors)),
            dynamic: None,
        },
        color: Value {
            fixed: args
                .color
                .as_ref()
                .map(|lit| parse_or_report(Some(lit), errors)),
            dynamic: None,
        },
    };
    let mut card_id = None;
    let mut attach_to = None;
    for field in roles {
        match field.supplies {
            Supplies::Value(role) => assign_field(&mut values, &args, role, field, errors),
            Supplies::CardId => once(&mut card_id, "the card's id", field, errors),
            Supplies::AttachTo => once(&mut attach_to, "attach_to", field, errors),
        }
    }
    let card = match args.card.take() {
        Some(card) => {
            let id = card_id.map(|field| CardId::Field(field.into()));
            card::validate(card, id, event, errors)
        }
        None => {
            if let Some(field) = card_id {
                errors.at(
                    field.span,
                    "#[hipchat(card_id)] names the id of a card, and this notification has none: \
                     add card(style = ..., title = ...) to the struct's #[hipchat(...)]",
                );
            }
            None
        }
    };
    let format = parse_or_report(args.format.as_ref(), errors);
    let token = args.token.as_ref().and_then(|lit| token_name(lit, errors));
    let source = template_source(args.template, args.message, args.complete, errors)?;
    let blocks = template::read(&source, event, errors)?;
    for block in blocks.overrides {
        apply_block(&mut values, block, &source, errors);
    }
    Some(Notification {
        krate,
        source,
        message_block: blocks.message,
        format,
        notify: args.notify.is_some_and(|lit| lit.value),
        token,
        values,
        card,
        attach_to: attach_to.map(FieldRef::from),
    })
}

fn template_source(
    template: Option<LitStr>,
    message: Option<LitStr>,
    attribute_complete: bool,
    errors: &mut Errors,
) -> Option<TemplateSource> {
    match (template, message) {
        (Some(file), None) => Some(TemplateSource::File(file)),
        (None, Some(inline)) => Some(TemplateSource::Inline(inline)),
        (Some(_), Some(inline)) => {
            errors.spanned(
                inline,
                "give either `template = \"file\"` or `message = \"...\"`, not both",
            );
            None
        }
        (None, None) if !attribute_complete => None,
        (None, None) => {
            errors.at(
                Span::call_site(),
                "missing template: add `template = \"name.hipchat\"` (a file under templates/) \
                 or `message = \"...\"` (an inline template)",
            );
            None
        }
    }
}

pub(crate) fn crate_path(krate: Option<&LitStr>, errors: &mut Errors) -> Path {
    match krate.map(LitStr::parse::<Path>) {
        None => syn::parse_quote!(::hipchat),
        Some(Ok(path)) => path,
        Some(Err(_)) => {
            errors.spanned(
                krate,
                "`crate` expects a path, such as crate = \"::my_app::hipchat\"",
            );
            syn::parse_quote!(::hipchat)
        }
    }
}

/// Parses a color or format, reporting an unknown value with the nearest known one.
fn parse_or_report<T>(lit: Option<&LitStr>, errors: &mut Errors) -> T
where
    T: Default + FromStr<Err = UnknownValue>,
{
    let Some(lit) = lit else { return T::default() };
    lit.value().parse().unwrap_or_else(|unknown| {
        errors.spanned(lit, unknown);
        T::default()
    })
}

fn within(lit: &LitStr, value: String, limit: Limit, errors: &mut Errors) -> Option<String> {
    report(limit.check(&value), lit, errors, |problem| {
        problem.to_string()
    })?;
    Some(value)
}

fn token_name(lit: &LitStr, errors: &mut Errors) -> Option<String> {
    let name = lit.value();
    report(check_token_name(&name), lit, errors, |problem| {
        problem.to_string()
    })?;
    Some(name)
}

fn report<T, E: Display>(
    result: Result<T, E>,
    lit: &LitStr,
    errors: &mut Errors,
    describe: impl FnOnce(E) -> String,
) -> Option<T> {
    result
        .map_err(|problem| errors.spanned(lit, describe(problem)))
        .ok()
}

impl From<FieldRole> for FieldRef {
    fn from(field: FieldRole) -> Self {
        Self {
            ident: field.ident,
            ty_span: field.ty_span,
        }
    }
}

/// Keeps the first field marked for `what`, reporting any other.
fn once(slot: &mut Option<FieldRole>, what: &str, field: FieldRole, errors: &mut Errors) {
    match slot {
        Some(first) => errors.at(
            field.span,
            format!("{what} is already supplied by field `{}`", first.ident),
        ),
        None => *slot = Some(field),
    }
}

fn assign_field(
    values: &mut Values,
    args: &Args,
    role: Role,
    field: FieldRole,
    errors: &mut Errors,
) {
    let FieldRole {
        ident,
        ty_span,
        span,
        ..
    } = field;
    let key = role.key();
    let given_by_attribute = match role {
        Role::Room => args.room.is_some(),
        Role::From => args.from.is_some(),
        Role::Color => args.color.is_some(),
    };
    let slot = values.dynamic_mut(role);
    if given_by_attribute {
        errors.at(
            span,
            format!("`{key}` is given twice: by `{key} = ...` in #[hipchat] and by field `{ident}`; keep one"),
        );
    } else if let Some(Dynamic::Field(FieldRef { ident: first, .. })) = slot {
        errors.at(
            span,
            format!("`{key}` is already supplied by field `{first}`"),
        );
    } else {
        *slot = Some(Dynamic::Field(FieldRef { ident, ty_span }));
    }
}

/// A `room_id`, `from` or `color` block: plain text is checked now and overrides the
/// attribute; text with interpolations is rendered at run time.
fn apply_block(values: &mut Values, block: Block, source: &TemplateSource, errors: &mut Errors) {
    let Block { role, value } = block;
    let lit = source.lit();
    let file = match source {
        TemplateSource::File(name) => format!(" of {}/{}", template::TEMPLATE_DIR, name.value()),
        TemplateSource::Inline(_) => String::new(),
    };
    let in_block =
        |problem: &dyn Display| format!("in the `{}` block{file}: {problem}", role.block_name());
    match value {
        BlockValue::Static(text) if text.is_empty() => {}
        BlockValue::Static(text) => match role {
            Role::Room => {
                values.room.fixed =
                    report(ROOM.check(&text), lit, errors, |e| in_block(&e)).map(|()| text);
            }
            Role::From => {
                values.from.fixed =
                    report(FROM.check(&text), lit, errors, |e| in_block(&e)).map(|()| text);
            }
            Role::Color => {
                values.color.fixed = report(text.parse::<Color>(), lit, errors, |e| in_block(&e));
            }
        },
        BlockValue::Dynamic => match values.dynamic_mut(role) {
            Some(Dynamic::Field(FieldRef { ident, .. })) => errors.spanned(
                lit,
                format!(
                    "the `{}` block and field `{ident}` both supply this value; keep one",
                    role.block_name()
                ),
            ),
            slot => *slot = Some(Dynamic::Block),
        },
    }
}
