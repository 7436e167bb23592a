//! Parsing `card(...)` in `#[hipchat(...)]`: the card's parts as written, with their spans.
//! Values are checked in `validate/card.rs`.

use hipchat_spec::closest;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{LitInt, LitStr};

use super::{Value, parse_value, set_once};
use crate::errors::Errors;

/// `card(...)` as written.
pub(crate) struct CardArgs {
    /// Whether its own keys all parsed (nested objects keep their own flag); if not, a
    /// missing part may be a typo of it (`titel`), already reported, so missing parts
    /// are not reported again.
    pub(crate) complete: bool,
    /// The `card` key, where missing required parts are reported.
    pub(crate) span: Span,
    pub(crate) style: Option<LitStr>,
    pub(crate) id: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) html_description: Option<LitStr>,
    pub(crate) format: Option<LitStr>,
    pub(crate) url: Option<LitStr>,
    pub(crate) icon: Option<IconArgs>,
    pub(crate) thumbnail: Option<ThumbnailArgs>,
    pub(crate) activity: Option<ActivityArgs>,
    pub(crate) attributes: Vec<AttributeArgs>,
}

/// `icon = "url"` or `icon(url = "...", url_2x = "...")`.
pub(crate) struct IconArgs {
    /// Whether its own keys all parsed (see [`CardArgs::complete`]).
    pub(crate) complete: bool,
    pub(crate) span: Span,
    pub(crate) url: Option<LitStr>,
    pub(crate) url_2x: Option<LitStr>,
}

/// `thumbnail = "url"` or `thumbnail(url = "...", url_2x = "...", width = 320, height = 240)`.
pub(crate) struct ThumbnailArgs {
    /// Whether its own keys all parsed (see [`CardArgs::complete`]).
    pub(crate) complete: bool,
    pub(crate) span: Span,
    pub(crate) url: Option<LitStr>,
    pub(crate) url_2x: Option<LitStr>,
    pub(crate) width: Option<LitInt>,
    pub(crate) height: Option<LitInt>,
}

/// `activity = "html"` or `activity(html = "...", icon = ...)`.
pub(crate) struct ActivityArgs {
    /// Whether its own keys all parsed (see [`CardArgs::complete`]).
    pub(crate) complete: bool,
    pub(crate) span: Span,
    pub(crate) html: Option<LitStr>,
    pub(crate) icon: Option<IconArgs>,
}

/// `attribute(label = "...", value = "...", url = "...", style = "lozenge-...", icon = ...)`.
pub(crate) struct AttributeArgs {
    /// Whether its own keys all parsed (see [`CardArgs::complete`]).
    pub(crate) complete: bool,
    pub(crate) span: Span,
    pub(crate) label: Option<LitStr>,
    pub(crate) value: Option<LitStr>,
    pub(crate) url: Option<LitStr>,
    pub(crate) style: Option<LitStr>,
    pub(crate) icon: Option<IconArgs>,
}

const CARD_KEYS: &[&str] = &[
    "style",
    "id",
    "title",
    "description",
    "html_description",
    "format",
    "url",
    "icon",
    "thumbnail",
    "activity",
    "attribute",
];
const ICON_KEYS: &[&str] = &["url", "url_2x"];
const THUMBNAIL_KEYS: &[&str] = &["url", "url_2x", "width", "height"];
const ACTIVITY_KEYS: &[&str] = &["html", "icon"];
const ATTRIBUTE_KEYS: &[&str] = &["label", "value", "url", "style", "icon"];

/// `card(...)`, after the `card` key of the struct attribute. A `card` that is not a list
/// is reported and kept, empty and incomplete, so nothing else reports it missing.
pub(crate) fn parse(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> CardArgs {
    let mut card = CardArgs {
        complete: false,
        span: meta.path.span(),
        style: None,
        id: None,
        title: None,
        description: None,
        html_description: None,
        format: None,
        url: None,
        icon: None,
        thumbnail: None,
        activity: None,
        attributes: Vec::new(),
    };
    if !is_list(
        meta,
        "card(style = \"application\", title = \"...\")",
        errors,
    ) {
        return card;
    }
    const OBJECTS: &[&str] = &["icon", "thumbnail", "activity", "attribute"];
    card.complete = nested(
        meta,
        "card",
        CARD_KEYS,
        OBJECTS,
        errors,
        |key, meta, errors| {
            let slot = match key {
                "style" => &mut card.style,
                "id" => &mut card.id,
                "title" => &mut card.title,
                "description" => &mut card.description,
                "html_description" => &mut card.html_description,
                "format" => &mut card.format,
                "url" => &mut card.url,
                "icon" => {
                    let icon = icon(meta, errors);
                    return set_once(key, &mut card.icon, icon, &meta.path, errors);
                }
                "thumbnail" => {
                    let thumbnail = thumbnail(meta, errors);
                    return set_once(key, &mut card.thumbnail, thumbnail, &meta.path, errors);
                }
                "activity" => {
                    let activity = activity(meta, errors);
                    return set_once(key, &mut card.activity, activity, &meta.path, errors);
                }
                "attribute" => {
                    if let Some(attribute) = attribute(meta, errors) {
                        card.attributes.push(attribute);
                    }
                    return;
                }
                _ => unreachable!("keys are checked against CARD_KEYS"),
            };
            let value = string(key, meta, errors);
            set_once(key, slot, value, &meta.path, errors);
        },
    );
    card
}

fn icon(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<IconArgs> {
    let mut icon = IconArgs {
        complete: true,
        span: meta.path.span(),
        url: None,
        url_2x: None,
    };
    if !meta.input.peek(syn::token::Paren) {
        icon.url = Some(string("icon", meta, errors)?);
        return Some(icon);
    }
    icon.complete = nested(meta, "icon", ICON_KEYS, &[], errors, |key, meta, errors| {
        let slot = match key {
            "url" => &mut icon.url,
            _ => &mut icon.url_2x,
        };
        let value = string(key, meta, errors);
        set_once(key, slot, value, &meta.path, errors);
    });
    Some(icon)
}

fn thumbnail(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<ThumbnailArgs> {
    let mut thumbnail = ThumbnailArgs {
        complete: true,
        span: meta.path.span(),
        url: None,
        url_2x: None,
        width: None,
        height: None,
    };
    if !meta.input.peek(syn::token::Paren) {
        thumbnail.url = Some(string("thumbnail", meta, errors)?);
        return Some(thumbnail);
    }
    thumbnail.complete = nested(
        meta,
        "thumbnail",
        THUMBNAIL_KEYS,
        &[],
        errors,
        |key, meta, errors| {
            let Some(value) = Value::parse(key, meta, errors) else {
                return;
            };
            match key {
                "url" | "url_2x" => {
                    let slot = if key == "url" {
                        &mut thumbnail.url
                    } else {
                        &mut thumbnail.url_2x
                    };
                    set_once(key, slot, value.string(errors), &meta.path, errors);
                }
                _ => {
                    let slot = if key == "width" {
                        &mut thumbnail.width
                    } else {
                        &mut thumbnail.height
                    };
                    set_once(key, slot, value.integer(errors), &meta.path, errors);
                }
            }
        },
    );
    Some(thumbnail)
}

fn activity(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<ActivityArgs> {
    let mut activity = ActivityArgs {
        complete: true,
        span: meta.path.span(),
        html: None,
        icon: None,
    };
    if !meta.input.peek(syn::token::Paren) {
        activity.html = Some(string("activity", meta, errors)?);
        return Some(activity);
    }
    activity.complete = nested(
        meta,
        "activity",
        ACTIVITY_KEYS,
        &["icon"],
        errors,
        |key, meta, errors| {
            if key == "html" {
                let value = string(key, meta, errors);
                set_once(key, &mut activity.html, value, &meta.path, errors);
            } else {
                let icon = icon(meta, errors);
                set_once(key, &mut activity.icon, icon, &meta.path, errors);
            }
        },
    );
    Some(activity)
}

fn attribute(meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<AttributeArgs> {
    if !is_list(
        meta,
        "attribute(label = \"Status\", value = \"failed\")",
        errors,
    ) {
        return None;
    }
    let mut attribute = AttributeArgs {
        complete: true,
        span: meta.path.span(),
        label: None,
        value: None,
        url: None,
        style: None,
        icon: None,
    };
    attribute.complete = nested(
        meta,
        "attribute",
        ATTRIBUTE_KEYS,
        &["icon"],
        errors,
        |key, meta, errors| {
            let slot = match key {
                "label" => &mut attribute.label,
                "value" => &mut attribute.value,
                "url" => &mut attribute.url,
                "style" => &mut attribute.style,
                _ => {
                    let icon = icon(meta, errors);
                    return set_once(key, &mut attribute.icon, icon, &meta.path, errors);
                }
            };
            let value = string(key, meta, errors);
            set_once(key, slot, value, &meta.path, errors);
        },
    );
    Some(attribute)
}

/// Parses `what(key = ..., ...)`, calling `on_key` for each known key and reporting the
/// others with the nearest known one. Keeps going after an error, so all are reported.
/// Returns whether `what`'s own keys all parsed: errors inside the `objects` keys (nested
/// objects such as `icon(...)`) are theirs, not `what`'s.
fn nested(
    meta: &ParseNestedMeta<'_>,
    what: &str,
    keys: &[&str],
    objects: &[&str],
    errors: &mut Errors,
    mut on_key: impl FnMut(&str, &ParseNestedMeta<'_>, &mut Errors),
) -> bool {
    let before = errors.len();
    let mut in_objects = 0;
    let result = meta.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(ToString::to_string);
        match key.as_deref().filter(|key| keys.contains(key)) {
            Some(key) => {
                let start = errors.len();
                on_key(key, &meta, errors);
                if objects.contains(&key) {
                    in_objects += errors.len() - start;
                }
            }
            None => {
                skip_value(&meta);
                let written = key.unwrap_or_default();
                let mut message = format!("unknown {what} key `{written}`");
                match closest(&written, keys) {
                    Some(known) => message += &format!("; did you mean `{known}`?"),
                    None => message += &format!("; expected one of {}", keys.join(", ")),
                }
                errors.spanned(&meta.path, message);
            }
        }
        Ok(())
    });
    if let Err(error) = result {
        errors.push(error);
    }
    errors.len() - before == in_objects
}

/// Whether the key is followed by a list in parentheses; if not, reports it with
/// `example` and skips what follows.
fn is_list(meta: &ParseNestedMeta<'_>, example: &str, errors: &mut Errors) -> bool {
    if meta.input.peek(syn::token::Paren) {
        return true;
    }
    skip_value(meta);
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    errors.spanned(
        &meta.path,
        format!("`{key}` takes its parts in parentheses: {example}"),
    );
    false
}

/// The string after `key =`, reporting anything else.
fn string(key: &str, meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<LitStr> {
    Value::parse(key, meta, errors)?.string(errors)
}

/// Consumes whatever follows a key, `= value` or `(...)`, so that parsing can go on.
fn skip_value(meta: &ParseNestedMeta<'_>) {
    if meta.input.peek(syn::token::Paren) {
        let _ = meta.parse_nested_meta(|meta| {
            skip_value(&meta);
            Ok(())
        });
    } else {
        let _ = parse_value(meta);
    }
}
