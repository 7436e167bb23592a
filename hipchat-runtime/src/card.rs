//! Cards (spec §6): a structured, linkable summary shown instead of the message body by
//! clients that support them. The message body stays required as the fallback.
//!
//! ```
//! use hipchat_runtime::card::{Attribute, Card, Lozenge};
//!
//! let card = Card::application("build-42", "Build 42")
//!     .url("https://ci.example.com/42")
//!     .attribute(Attribute::new("1082 passed").label("Tests").style(Lozenge::Success));
//! assert_eq!(card.validate(), Ok(()));
//! ```

use std::fmt;
use std::hash::{Hash, Hasher};

use hipchat_spec::{
    CARD_ACTIVITY_HTML, CARD_ATTRIBUTE_LABEL, CARD_ATTRIBUTE_VALUE_LABEL, CARD_ATTRIBUTE_VALUE_URL,
    CARD_ATTRIBUTES, CARD_DESCRIPTION, CARD_DESCRIPTION_VALUE, CARD_ICON_URL, CARD_ID,
    CARD_THUMBNAIL_URL, CARD_TITLE, CARD_URL, Limit,
};
use serde::{Deserialize, Serialize};

pub use hipchat_spec::{CardFormat, CardStyle, Format, Lozenge};

use crate::error::ValidationError;

/// A card: `style`, `id` and `title` are required, every other part is optional.
///
/// Serializes to exactly the JSON HipChat expects (`url@2x` keys, numeric thumbnail
/// sizes, `description` as a string or `{value, format}`); parts left unset are omitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Card {
    /// What the card shows.
    pub style: CardStyle,
    /// Lets HipChat recognise the same card sent again: see [`Card::id_from`].
    pub id: String,
    /// The title, 1 to 500 characters.
    pub title: String,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Description>,
    /// `compact` (1 to 2 lines) or `medium` (1 to 5 lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<CardFormat>,
    /// Opened when the card is clicked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The card's icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
    /// A thumbnail image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<Thumbnail>,
    /// A one-line, expandable summary of what happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    /// Attributes shown below the card: none, or 1 to 10.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
}

/// A card's `description`: plain text (0 to 500 characters), or a value in a format
/// (1 to 1,000 characters; html may use `a b i strong span`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Description {
    /// Sent as a JSON string.
    Text(String),
    /// Sent as `{"value": ..., "format": "html" | "text"}`.
    Formatted {
        /// The description.
        value: String,
        /// How HipChat reads it.
        format: Format,
    },
}

/// An icon: `url`, and `url@2x` for high-density screens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Icon {
    /// The icon's URL.
    pub url: String,
    /// The high-density icon's URL (`url@2x`).
    #[serde(rename = "url@2x", default, skip_serializing_if = "Option::is_none")]
    pub url_2x: Option<String>,
}

/// A thumbnail: `url` (1 to 250 characters), `url@2x`, and the original size in pixels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Thumbnail {
    /// The thumbnail's URL.
    pub url: String,
    /// The high-density thumbnail's URL (`url@2x`).
    #[serde(rename = "url@2x", default, skip_serializing_if = "Option::is_none")]
    pub url_2x: Option<String>,
    /// The original width, sent as a JSON number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// The original height, sent as a JSON number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// A card's `activity`: one line of html, expandable to the whole card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Activity {
    /// The line (html: `a b i strong span`).
    pub html: String,
    /// An icon shown with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
}

/// One attribute below a card: an optional label and a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Attribute {
    /// The label, 1 to 50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The value.
    pub value: AttributeValue,
}

/// An attribute's value: text, optionally a link, a lozenge style and an icon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AttributeValue {
    /// The text shown.
    pub label: String,
    /// Opened when the value is clicked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Shows the value as a lozenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Lozenge>,
    /// An icon shown before the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
}

impl Card {
    /// A card of `style` with its required `id` and `title`.
    pub fn new(style: CardStyle, id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            style,
            id: id.into(),
            title: title.into(),
            description: None,
            format: None,
            url: None,
            icon: None,
            thumbnail: None,
            activity: None,
            attributes: Vec::new(),
        }
    }

    /// A `file` card.
    pub fn file(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self::new(CardStyle::File, id, title)
    }

    /// An `image` card.
    pub fn image(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self::new(CardStyle::Image, id, title)
    }

    /// An `application` card.
    pub fn application(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self::new(CardStyle::Application, id, title)
    }

    /// A `link` card.
    pub fn link(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self::new(CardStyle::Link, id, title)
    }

    /// A `media` card.
    pub fn media(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self::new(CardStyle::Media, id, title)
    }

    /// A stable card id derived from the notification, so a re-sent card **updates**
    /// the one already shown instead of duplicating it: hash what identifies the event
    /// (say `("deploy", service, version)`), not what changes between sends.
    ///
    /// The id is 16 hex digits of a 64-bit FNV-1a hash of the value's [`Hash`] stream,
    /// with integers fed little-endian, so it is the same across runs, processes and
    /// platforms (it does not use `std`'s randomly keyed hasher). It can change only if
    /// the `Hash` implementation of a hashed type changes.
    ///
    /// ```
    /// use hipchat_runtime::card::Card;
    /// let id = Card::id_from(&("deploy", "billing", "1.4.2"));
    /// assert_eq!(id, Card::id_from(&("deploy", "billing", "1.4.2")));
    /// assert_ne!(id, Card::id_from(&("deploy", "billing", "1.4.3")));
    /// assert_eq!(id.len(), 16);
    /// ```
    pub fn id_from<T: Hash + ?Sized>(value: &T) -> String {
        let mut hasher = StableHasher::default();
        value.hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }

    /// A stable card id from text: 16 hex digits of a 64-bit FNV-1a hash of each part's
    /// length (8 bytes, little-endian) and UTF-8 bytes. It depends on nothing but the
    /// bytes, so it never changes between releases, compilers or platforms. Cards
    /// declared in `#[hipchat(card(...))]` without an id use it.
    ///
    /// ```
    /// use hipchat_runtime::card::Card;
    /// assert_eq!(Card::id_from_parts(&["deploy", "billing"]), "3064b483e04de2b6");
    /// // Parts are delimited: moving text between them changes the id.
    /// assert_ne!(Card::id_from_parts(&["deploy", "billing"]), Card::id_from_parts(&["deployb", "illing"]));
    /// ```
    pub fn id_from_parts(parts: &[&str]) -> String {
        let mut hasher = StableHasher::default();
        for part in parts {
            hasher.write(&(part.len() as u64).to_le_bytes());
            hasher.write(part.as_bytes());
        }
        format!("{:016x}", hasher.finish())
    }

    /// Sets a plain-text description (0 to 500 characters).
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(Description::Text(text.into()));
        self
    }

    /// Sets a description in `format` (1 to 1,000 characters).
    pub fn description_with_format(mut self, value: impl Into<String>, format: Format) -> Self {
        self.description = Some(Description::Formatted {
            value: value.into(),
            format,
        });
        self
    }

    /// Sets an html description (1 to 1,000 characters; `a b i strong span`).
    pub fn html_description(self, html: impl Into<String>) -> Self {
        self.description_with_format(html, Format::Html)
    }

    /// Sets the format: compact or medium.
    pub fn format(mut self, format: CardFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// Sets the URL opened on click.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Sets the icon (a URL, or an [`Icon`] with `url@2x`).
    pub fn icon(mut self, icon: impl Into<Icon>) -> Self {
        self.icon = Some(icon.into());
        self
    }

    /// Sets the thumbnail.
    pub fn thumbnail(mut self, thumbnail: Thumbnail) -> Self {
        self.thumbnail = Some(thumbnail);
        self
    }

    /// Sets the activity line (html).
    pub fn activity(mut self, activity: impl Into<Activity>) -> Self {
        self.activity = Some(activity.into());
        self
    }

    /// Adds an attribute (at most 10).
    pub fn attribute(mut self, attribute: Attribute) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// Checks every limit of the card schema (spec §6). An error names the part by its
    /// path (`card.title`, `card.attributes[2].label`), the limit and the value.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check(CARD_ID, "card.id", &self.id)?;
        check(CARD_TITLE, "card.title", &self.title)?;
        match &self.description {
            Some(Description::Text(text)) => check(CARD_DESCRIPTION, "card.description", text)?,
            Some(Description::Formatted { value, .. }) => {
                check(CARD_DESCRIPTION_VALUE, "card.description.value", value)?
            }
            None => {}
        }
        if let Some(url) = &self.url {
            check(CARD_URL, "card.url", url)?;
        }
        if let Some(icon) = &self.icon {
            icon.validate("card.icon")?;
        }
        if let Some(thumbnail) = &self.thumbnail {
            check(CARD_THUMBNAIL_URL, "card.thumbnail.url", &thumbnail.url)?;
            if let Some(url) = &thumbnail.url_2x {
                check(CARD_THUMBNAIL_URL, "card.thumbnail.url@2x", url)?;
            }
        }
        if let Some(activity) = &self.activity {
            check(CARD_ACTIVITY_HTML, "card.activity.html", &activity.html)?;
            if let Some(icon) = &activity.icon {
                icon.validate("card.activity.icon")?;
            }
        }
        if !self.attributes.is_empty() {
            CARD_ATTRIBUTES
                .check_count(self.attributes.len())
                .map_err(|violation| ValidationError::card("card.attributes", violation))?;
        }
        for (i, attribute) in self.attributes.iter().enumerate() {
            if let Some(label) = &attribute.label {
                check(
                    CARD_ATTRIBUTE_LABEL,
                    format_args!("card.attributes[{i}].label"),
                    label,
                )?;
            }
            let value = &attribute.value;
            check(
                CARD_ATTRIBUTE_VALUE_LABEL,
                format_args!("card.attributes[{i}].value.label"),
                &value.label,
            )?;
            if let Some(url) = &value.url {
                check(
                    CARD_ATTRIBUTE_VALUE_URL,
                    format_args!("card.attributes[{i}].value.url"),
                    url,
                )?;
            }
            if let Some(icon) = &value.icon {
                icon.validate(format_args!("card.attributes[{i}].value.icon"))?;
            }
        }
        Ok(())
    }
}

/// Checks `value` against `limit`; the part's path is written only for an error, so a
/// valid card is checked without allocating.
fn check(limit: Limit, field: impl fmt::Display, value: &str) -> Result<(), ValidationError> {
    limit
        .check(value)
        .map_err(|violation| ValidationError::card(field.to_string(), violation))
}

impl Icon {
    /// An icon at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            url_2x: None,
        }
    }

    /// Sets the high-density icon (`url@2x`).
    pub fn url_2x(mut self, url: impl Into<String>) -> Self {
        self.url_2x = Some(url.into());
        self
    }

    fn validate(&self, at: impl fmt::Display) -> Result<(), ValidationError> {
        check(CARD_ICON_URL, format_args!("{at}.url"), &self.url)?;
        if let Some(url) = &self.url_2x {
            check(CARD_ICON_URL, format_args!("{at}.url@2x"), url)?;
        }
        Ok(())
    }
}

impl From<&str> for Icon {
    fn from(url: &str) -> Self {
        Icon::new(url)
    }
}

impl From<String> for Icon {
    fn from(url: String) -> Self {
        Icon::new(url)
    }
}

impl Thumbnail {
    /// A thumbnail at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            url_2x: None,
            width: None,
            height: None,
        }
    }

    /// Sets the high-density thumbnail (`url@2x`).
    pub fn url_2x(mut self, url: impl Into<String>) -> Self {
        self.url_2x = Some(url.into());
        self
    }

    /// Sets the original size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = Some(width);
        self.height = Some(height);
        self
    }
}

impl Activity {
    /// An activity line of `html`.
    pub fn new(html: impl Into<String>) -> Self {
        Self {
            html: html.into(),
            icon: None,
        }
    }

    /// Sets the icon.
    pub fn icon(mut self, icon: impl Into<Icon>) -> Self {
        self.icon = Some(icon.into());
        self
    }
}

impl From<&str> for Activity {
    fn from(html: &str) -> Self {
        Activity::new(html)
    }
}

impl From<String> for Activity {
    fn from(html: String) -> Self {
        Activity::new(html)
    }
}

impl Attribute {
    /// An attribute showing `value`, without a label.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            label: None,
            value: AttributeValue {
                label: value.into(),
                url: None,
                style: None,
                icon: None,
            },
        }
    }

    /// Sets the label shown before the value (1 to 50 characters).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Makes the value a link.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.value.url = Some(url.into());
        self
    }

    /// Shows the value as a lozenge.
    pub fn style(mut self, style: Lozenge) -> Self {
        self.value.style = Some(style);
        self
    }

    /// Sets the value's icon.
    pub fn icon(mut self, icon: impl Into<Icon>) -> Self {
        self.value.icon = Some(icon.into());
        self
    }
}

/// 64-bit FNV-1a over the `Hash` stream, integers little-endian: the same on every run
/// and platform.
struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes());
    }

    fn write_isize(&mut self, n: isize) {
        self.write(&(n as i64).to_le_bytes());
    }

    fn write_u16(&mut self, n: u16) {
        self.write(&n.to_le_bytes());
    }

    fn write_u32(&mut self, n: u32) {
        self.write(&n.to_le_bytes());
    }

    fn write_u64(&mut self, n: u64) {
        self.write(&n.to_le_bytes());
    }

    fn write_u128(&mut self, n: u128) {
        self.write(&n.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_exactly_the_wire_json() {
        let card = Card::application("build-42", "Build 42")
            .url("https://ci.example.com/42")
            .format(CardFormat::Medium)
            .html_description("<b>main</b> passed")
            .icon(Icon::new("https://e.com/i.png").url_2x("https://e.com/i@2x.png"))
            .thumbnail(
                Thumbnail::new("https://e.com/t.png")
                    .url_2x("https://e.com/t@2x.png")
                    .size(640, 480),
            )
            .activity(Activity::new("<strong>ci</strong> finished").icon("https://e.com/a.png"))
            .attribute(
                Attribute::new("1082 passed")
                    .label("Tests")
                    .style(Lozenge::Success),
            );
        assert_eq!(
            serde_json::to_value(&card).unwrap(),
            json!({
                "style": "application", "id": "build-42", "title": "Build 42",
                "url": "https://ci.example.com/42", "format": "medium",
                "description": {"value": "<b>main</b> passed", "format": "html"},
                "icon": {"url": "https://e.com/i.png", "url@2x": "https://e.com/i@2x.png"},
                "thumbnail": {"url": "https://e.com/t.png", "url@2x": "https://e.com/t@2x.png",
                              "width": 640, "height": 480},
                "activity": {"html": "<strong>ci</strong> finished",
                             "icon": {"url": "https://e.com/a.png"}},
                "attributes": [{"label": "Tests",
                                "value": {"label": "1082 passed", "style": "lozenge-success"}}]
            })
        );
        let minimal = Card::link("l", "Link").description("plain");
        assert_eq!(
            serde_json::to_value(&minimal).unwrap(),
            json!({"style": "link", "id": "l", "title": "Link", "description": "plain"})
        );
        let back: Card = serde_json::from_value(serde_json::to_value(&card).unwrap()).unwrap();
        assert_eq!(back, card);
    }

    fn field_of(error: ValidationError) -> String {
        match error {
            ValidationError::Card { field, .. } => field,
            other => panic!("not a card error: {other:?}"),
        }
    }

    #[test]
    fn each_limit_at_below_and_above_its_bound() {
        let base = || Card::file("id", "title");
        // (card at the bound, card past it, field named)
        let cases: Vec<(Card, Card, &str)> = vec![
            (base(), Card::file("", "t"), "card.id"),
            (
                Card::file("i", "t".repeat(500)),
                Card::file("i", "t".repeat(501)),
                "card.title",
            ),
            (Card::file("i", "t"), Card::file("i", ""), "card.title"),
            (
                base().description("d".repeat(500)),
                base().description("d".repeat(501)),
                "card.description",
            ),
            (base().description(""), base(), "none"),
            (
                base().html_description("d".repeat(1_000)),
                base().html_description("d".repeat(1_001)),
                "card.description.value",
            ),
            (
                base().html_description("d"),
                base().html_description(""),
                "card.description.value",
            ),
            (base().url("u"), base().url(""), "card.url"),
            (
                base().thumbnail(Thumbnail::new("u".repeat(250))),
                base().thumbnail(Thumbnail::new("u".repeat(251))),
                "card.thumbnail.url",
            ),
            (
                base().thumbnail(Thumbnail::new("u")),
                base().thumbnail(Thumbnail::new("")),
                "card.thumbnail.url",
            ),
            (
                base().thumbnail(Thumbnail::new("u").url_2x("u".repeat(250))),
                base().thumbnail(Thumbnail::new("u").url_2x("u".repeat(251))),
                "card.thumbnail.url@2x",
            ),
            (base().icon("i"), base().icon(""), "card.icon.url"),
            (
                base().icon(Icon::new("i").url_2x("j")),
                base().icon(Icon::new("i").url_2x("")),
                "card.icon.url@2x",
            ),
            (
                base().activity("a"),
                base().activity(""),
                "card.activity.html",
            ),
            (
                base().activity(Activity::new("a").icon("i")),
                base().activity(Activity::new("a").icon("")),
                "card.activity.icon.url",
            ),
            (
                base()
                    .attribute(Attribute::new("v"))
                    .attribute(Attribute::new("v").label("l".repeat(50))),
                base()
                    .attribute(Attribute::new("v"))
                    .attribute(Attribute::new("v").label("l".repeat(51))),
                "card.attributes[1].label",
            ),
            (
                base().attribute(Attribute::new("v").label("l")),
                base().attribute(Attribute::new("v").label("")),
                "card.attributes[0].label",
            ),
            (
                base().attribute(Attribute::new("v")),
                base().attribute(Attribute::new("")),
                "card.attributes[0].value.label",
            ),
            (
                base().attribute(Attribute::new("v").url("u")),
                base().attribute(Attribute::new("v").url("")),
                "card.attributes[0].value.url",
            ),
            (
                base().attribute(Attribute::new("v").icon("i")),
                base().attribute(Attribute::new("v").icon("")),
                "card.attributes[0].value.icon.url",
            ),
        ];
        for (ok, bad, field) in cases {
            assert_eq!(ok.validate(), Ok(()), "{field}");
            if field != "none" {
                assert_eq!(field_of(bad.validate().unwrap_err()), field);
            }
        }
        let ten = (0..10).fold(base(), |card, i| {
            card.attribute(Attribute::new(i.to_string()))
        });
        assert_eq!(ten.validate(), Ok(()));
        let eleven = ten.attribute(Attribute::new("11"));
        let error = eleven.validate().unwrap_err();
        assert_eq!(
            error.to_string(),
            "card.attributes has 11 items; HipChat allows at most 10"
        );
        let label = base()
            .attribute(Attribute::new("v"))
            .attribute(Attribute::new("v"))
            .attribute(Attribute::new("v").label("x".repeat(51)))
            .validate()
            .unwrap_err();
        assert_eq!(
            label.to_string(),
            "card.attributes[2].label is 51 characters long; HipChat allows at most 50"
        );
        let ValidationError::Card { violation, .. } = label else {
            unreachable!()
        };
        assert_eq!(
            (violation.limit, violation.actual),
            (CARD_ATTRIBUTE_LABEL, 51)
        );
        assert_eq!(violation.preview, "x".repeat(40) + "…");
    }

    #[test]
    fn card_ids_are_stable() {
        // A fixed value (checked against an independent FNV-1a): a change here means
        // re-sent cards would duplicate instead of updating.
        assert_eq!(Card::id_from("build-42"), Card::id_from("build-42"));
        assert_eq!(Card::id_from(&42u64), "ff3add6b3789daef");
        assert_ne!(Card::id_from(&("a", "bc")), Card::id_from(&("ab", "c")));
    }
}
