//! Checking `card(...)`: styles, formats and lozenges against HipChat's closed sets,
//! required parts, and every static part against its limit in the card schema. Parts with
//! interpolations are rendered and checked by `Card::validate` at run time, in the same
//! words (both take their limits and wording from `hipchat-spec`).

use std::str::FromStr;

use hipchat_spec::{
    CARD_ACTIVITY_HTML, CARD_ATTRIBUTE_LABEL, CARD_ATTRIBUTE_VALUE_LABEL, CARD_ATTRIBUTE_VALUE_URL,
    CARD_ATTRIBUTES, CARD_DESCRIPTION, CARD_DESCRIPTION_VALUE, CARD_ICON_URL, CARD_ID,
    CARD_THUMBNAIL_URL, CARD_TITLE, CARD_URL, Limit, Lozenge, UnknownValue,
};
use proc_macro2::Span;
use syn::{LitInt, LitStr};

use crate::attr::card::{ActivityArgs, AttributeArgs, CardArgs, IconArgs, ThumbnailArgs};
use crate::errors::Errors;
use crate::model::card::{
    Activity, Attribute, Card, CardId, Description, Icon, Part, PartText, Style, Thumbnail,
};
use crate::template::{self, BlockValue, EventFields};

/// Checks the whole card, reporting every problem; `None` if any part is unusable.
/// `id_field` is the card's id from a `#[hipchat(card_id)]` field, already checked.
pub(crate) fn validate(
    args: CardArgs,
    id_field: Option<CardId>,
    event: &EventFields,
    errors: &mut Errors,
) -> Option<Card> {
    let errors_before = errors.len();
    let span = args.span;
    // After a typo (`titel`), already reported, the part it meant is not reported missing.
    let missing = Missing::unless_incomplete(args.complete);
    let style = missing
        .required(
            args.style.as_ref(),
            span,
            "card",
            "style",
            "\"application\"",
            errors,
        )
        .and_then(|lit| closed_set(lit, errors));
    let title = missing
        .required(
            args.title.as_ref(),
            span,
            "card",
            "title",
            "\"...\"",
            errors,
        )
        .and_then(|lit| part(lit, CARD_TITLE, "card.title", false, event, errors));
    let id = match (args.id, id_field) {
        (Some(lit), Some(_)) => {
            errors.spanned(
                &lit,
                "the card's id is given twice: by `id = ...` and by a #[hipchat(card_id)] field; keep one",
            );
            None
        }
        (Some(lit), None) => part(&lit, CARD_ID, "card.id", false, event, errors).map(CardId::Part),
        (None, Some(field)) => Some(field),
        (None, None) => Some(CardId::Derived),
    };
    let description = match (args.description, args.html_description) {
        (Some(_), Some(html)) => {
            errors.spanned(
                html,
                "give either `description` (plain text) or `html_description`, not both",
            );
            None
        }
        (Some(text), None) => part(
            &text,
            CARD_DESCRIPTION,
            "card.description",
            false,
            event,
            errors,
        )
        .map(|value| Description { value, html: false }),
        (None, Some(html)) => part(
            &html,
            CARD_DESCRIPTION_VALUE,
            "card.description.value",
            true,
            event,
            errors,
        )
        .map(|value| Description { value, html: true }),
        (None, None) => None,
    };
    let format = args.format.as_ref().and_then(|lit| closed_set(lit, errors));
    let url = optional(
        args.url.as_ref(),
        CARD_URL,
        "card.url",
        false,
        event,
        errors,
    );
    let icon = args
        .icon
        .and_then(|icon| self::icon(icon, "card.icon", event, errors));
    let thumbnail = args
        .thumbnail
        .and_then(|thumbnail| self::thumbnail(thumbnail, event, errors));
    let activity = args
        .activity
        .and_then(|activity| self::activity(activity, event, errors));
    // Reported at the first attribute too many.
    if let Some(extra) = args.attributes.get(CARD_ATTRIBUTES.max)
        && let Err(violation) = CARD_ATTRIBUTES.check_count(args.attributes.len())
    {
        errors.at(extra.span, violation);
    }
    let attributes: Vec<_> = args
        .attributes
        .into_iter()
        .enumerate()
        .filter_map(|(i, attribute)| self::attribute(attribute, i, event, errors))
        .collect();
    if errors.len() > errors_before {
        return None;
    }
    Some(Card {
        style: style?,
        id: id?,
        title: title?,
        description,
        format,
        url,
        icon,
        thumbnail,
        activity,
        attributes,
    })
}

/// Reports the required parts of one object (card, icon, ...) that are missing, unless
/// the object's own keys had errors already.
#[derive(Clone, Copy)]
struct Missing {
    report: bool,
}

impl Missing {
    fn unless_incomplete(complete: bool) -> Self {
        Self { report: complete }
    }

    /// A part `what(...)` must have, reported at `span` when missing.
    fn required<'a>(
        self,
        lit: Option<&'a LitStr>,
        span: Span,
        what: &str,
        key: &str,
        example: &str,
        errors: &mut Errors,
    ) -> Option<&'a LitStr> {
        if lit.is_none() && self.report {
            errors.at(
                span,
                format!("{what}(...) needs `{key}`: {what}({key} = {example}, ...)"),
            );
        }
        lit
    }
}

/// One text part: plain text is checked against `limit` now (reported as `path`); text
/// with interpolations becomes a template.
fn part(
    lit: &LitStr,
    limit: Limit,
    path: &str,
    html: bool,
    event: &EventFields,
    errors: &mut Errors,
) -> Option<Part> {
    let text = match template::inline_text(lit, path, event, errors)? {
        BlockValue::Static(text) => {
            if let Err(violation) = limit.check(&text) {
                errors.spanned(lit, violation.display_as(path));
                return None;
            }
            PartText::Static(text)
        }
        BlockValue::Dynamic => PartText::Template,
    };
    Some(Part {
        lit: lit.clone(),
        text,
        html,
    })
}

fn optional(
    lit: Option<&LitStr>,
    limit: Limit,
    path: &str,
    html: bool,
    event: &EventFields,
    errors: &mut Errors,
) -> Option<Part> {
    lit.and_then(|lit| part(lit, limit, path, html, event, errors))
}

/// A card style, card format or lozenge, with the nearest known value on a typo.
fn closed_set<T: FromStr<Err = UnknownValue>>(lit: &LitStr, errors: &mut Errors) -> Option<T> {
    lit.value()
        .parse()
        .map_err(|unknown| errors.spanned(lit, unknown))
        .ok()
}

fn icon(args: IconArgs, path: &str, event: &EventFields, errors: &mut Errors) -> Option<Icon> {
    let missing = Missing::unless_incomplete(args.complete);
    let url = missing
        .required(
            args.url.as_ref(),
            args.span,
            "icon",
            "url",
            "\"https://...\"",
            errors,
        )
        .and_then(|lit| {
            part(
                lit,
                CARD_ICON_URL,
                &format!("{path}.url"),
                false,
                event,
                errors,
            )
        });
    let url_2x = optional(
        args.url_2x.as_ref(),
        CARD_ICON_URL,
        &format!("{path}.url@2x"),
        false,
        event,
        errors,
    );
    Some(Icon { url: url?, url_2x })
}

fn thumbnail(args: ThumbnailArgs, event: &EventFields, errors: &mut Errors) -> Option<Thumbnail> {
    let missing = Missing::unless_incomplete(args.complete);
    let url = missing
        .required(
            args.url.as_ref(),
            args.span,
            "thumbnail",
            "url",
            "\"https://...\"",
            errors,
        )
        .and_then(|lit| {
            part(
                lit,
                CARD_THUMBNAIL_URL,
                "card.thumbnail.url",
                false,
                event,
                errors,
            )
        });
    let url_2x = optional(
        args.url_2x.as_ref(),
        CARD_THUMBNAIL_URL,
        "card.thumbnail.url@2x",
        false,
        event,
        errors,
    );
    let size = match (args.width, args.height) {
        (None, None) => None,
        (Some(width), Some(height)) => pixels(&width, errors).zip(pixels(&height, errors)),
        (Some(given), None) | (None, Some(given)) => {
            errors.spanned(
                given,
                "give a thumbnail's `width` and `height` together, or neither",
            );
            None
        }
    };
    Some(Thumbnail {
        url: url?,
        url_2x,
        size,
    })
}

fn pixels(lit: &LitInt, errors: &mut Errors) -> Option<u32> {
    lit.base10_parse()
        .map_err(|_| {
            errors.spanned(
                lit,
                format!("a thumbnail size is a number of pixels up to {}", u32::MAX),
            );
        })
        .ok()
}

fn activity(args: ActivityArgs, event: &EventFields, errors: &mut Errors) -> Option<Activity> {
    let missing = Missing::unless_incomplete(args.complete);
    let html = missing
        .required(
            args.html.as_ref(),
            args.span,
            "activity",
            "html",
            "\"...\"",
            errors,
        )
        .and_then(|lit| {
            part(
                lit,
                CARD_ACTIVITY_HTML,
                "card.activity.html",
                true,
                event,
                errors,
            )
        });
    let icon = args
        .icon
        .and_then(|icon| self::icon(icon, "card.activity.icon", event, errors));
    Some(Activity { html: html?, icon })
}

fn attribute(
    args: AttributeArgs,
    i: usize,
    event: &EventFields,
    errors: &mut Errors,
) -> Option<Attribute> {
    let missing = Missing::unless_incomplete(args.complete);
    let at = format!("card.attributes[{i}]");
    let value = missing
        .required(
            args.value.as_ref(),
            args.span,
            "attribute",
            "value",
            "\"...\"",
            errors,
        )
        .and_then(|lit| {
            part(
                lit,
                CARD_ATTRIBUTE_VALUE_LABEL,
                &format!("{at}.value.label"),
                false,
                event,
                errors,
            )
        });
    let label = optional(
        args.label.as_ref(),
        CARD_ATTRIBUTE_LABEL,
        &format!("{at}.label"),
        false,
        event,
        errors,
    );
    let url = optional(
        args.url.as_ref(),
        CARD_ATTRIBUTE_VALUE_URL,
        &format!("{at}.value.url"),
        false,
        event,
        errors,
    );
    let style = args
        .style
        .as_ref()
        .and_then(|lit| lozenge(lit, &at, event, errors));
    let icon = args
        .icon
        .and_then(|icon| self::icon(icon, &format!("{at}.value.icon"), event, errors));
    Some(Attribute {
        label,
        value: value?,
        url,
        style,
        icon,
    })
}

/// A lozenge written in full (`lozenge-error`), or a template rendered at run time.
fn lozenge(lit: &LitStr, at: &str, event: &EventFields, errors: &mut Errors) -> Option<Style> {
    let path = format!("{at}.value.style");
    match template::inline_text(lit, &path, event, errors)? {
        BlockValue::Dynamic => Some(Style::Template(Part {
            lit: lit.clone(),
            text: PartText::Template,
            html: false,
        })),
        BlockValue::Static(text) => match text.parse::<Lozenge>() {
            Ok(lozenge) => Some(Style::Static(lozenge)),
            // `error` for `lozenge-error` is too far for a typo hint, and likely.
            Err(_) if format!("lozenge-{text}").parse::<Lozenge>().is_ok() => {
                errors.spanned(
                    lit,
                    format!("unknown lozenge {text:?}: lozenge styles are written in full, as \"lozenge-{text}\""),
                );
                None
            }
            Err(unknown) => {
                errors.spanned(lit, unknown);
                None
            }
        },
    }
}
