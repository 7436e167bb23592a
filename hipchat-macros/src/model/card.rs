//! A checked card declaration: every part static (checked now) or a template (rendered and
//! checked when the notification is sent).

use hipchat_spec::{CardFormat, CardStyle, Lozenge};
use syn::LitStr;

use super::FieldRef;

pub(crate) struct Card {
    pub(crate) style: CardStyle,
    pub(crate) id: CardId,
    pub(crate) title: Part,
    pub(crate) description: Option<Description>,
    pub(crate) format: Option<CardFormat>,
    pub(crate) url: Option<Part>,
    pub(crate) icon: Option<Icon>,
    pub(crate) thumbnail: Option<Thumbnail>,
    pub(crate) activity: Option<Activity>,
    pub(crate) attributes: Vec<Attribute>,
}

/// Where the card's id comes from.
pub(crate) enum CardId {
    /// `card(id = "...")`.
    Part(Part),
    /// A field marked `#[hipchat(card_id)]`.
    Field(FieldRef),
    /// Neither: a hash of the module, the type name, the rendered body and title.
    Derived,
}

/// One text part of the card as written in the attribute.
pub(crate) struct Part {
    /// The literal: the text itself, and where errors about it point.
    pub(crate) lit: LitStr,
    pub(crate) text: PartText,
    /// How interpolated values are escaped: html parts (`html_description`, `activity`)
    /// escape them, the others are sent as rendered.
    pub(crate) html: bool,
}

pub(crate) enum PartText {
    /// Plain text, already checked against its limit.
    Static(String),
    /// Has interpolations or tags: an askama template rendered at run time.
    Template,
}

pub(crate) struct Description {
    pub(crate) value: Part,
    /// `html_description`: sent as `{"value", "format": "html"}`.
    pub(crate) html: bool,
}

pub(crate) struct Icon {
    pub(crate) url: Part,
    pub(crate) url_2x: Option<Part>,
}

pub(crate) struct Thumbnail {
    pub(crate) url: Part,
    pub(crate) url_2x: Option<Part>,
    /// Width and height, given together.
    pub(crate) size: Option<(u32, u32)>,
}

pub(crate) struct Activity {
    pub(crate) html: Part,
    pub(crate) icon: Option<Icon>,
}

pub(crate) struct Attribute {
    pub(crate) label: Option<Part>,
    pub(crate) value: Part,
    pub(crate) url: Option<Part>,
    pub(crate) style: Option<Style>,
    pub(crate) icon: Option<Icon>,
}

/// An attribute's lozenge: known now, or a template whose rendering is parsed at run time.
pub(crate) enum Style {
    Static(Lozenge),
    Template(Part),
}
