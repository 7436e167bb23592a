//! A checked notification declaration: what `validate` produces and `expand` consumes.

pub(crate) mod card;

use hipchat_spec::{Color, Format};
use proc_macro2::Span;
use syn::{Ident, Path};

use crate::attr::Role;
use crate::template::TemplateSource;

pub(crate) struct Notification {
    /// Where `__private` is found: `::hipchat` or the `crate = "..."` path.
    pub(crate) krate: Path,
    pub(crate) source: TemplateSource,
    /// Whether the template has a `message` block (then only that block is the body).
    pub(crate) message_block: bool,
    pub(crate) format: Format,
    pub(crate) notify: bool,
    pub(crate) token: Option<String>,
    pub(crate) values: Values,
    pub(crate) card: Option<card::Card>,
    /// A field marked `#[hipchat(attach_to)]`.
    pub(crate) attach_to: Option<FieldRef>,
}

/// The values a field or a template block may supply instead of the attribute.
#[derive(Default)]
pub(crate) struct Values {
    pub(crate) room: Value<String>,
    pub(crate) from: Value<String>,
    pub(crate) color: Value<Color>,
}

impl Values {
    pub(crate) fn dynamic(&self, role: Role) -> Option<&Dynamic> {
        match role {
            Role::Room => self.room.dynamic.as_ref(),
            Role::From => self.from.dynamic.as_ref(),
            Role::Color => self.color.dynamic.as_ref(),
        }
    }

    pub(crate) fn dynamic_mut(&mut self, role: Role) -> &mut Option<Dynamic> {
        match role {
            Role::Room => &mut self.room.dynamic,
            Role::From => &mut self.from.dynamic,
            Role::Color => &mut self.color.dynamic,
        }
    }
}

/// Where a room, sender or color comes from. Later sources win: a static value, then a
/// template block rendered at run time.
pub(crate) struct Value<T> {
    pub(crate) fixed: Option<T>,
    pub(crate) dynamic: Option<Dynamic>,
}

impl<T> Default for Value<T> {
    fn default() -> Self {
        Self {
            fixed: None,
            dynamic: None,
        }
    }
}

pub(crate) enum Dynamic {
    /// A field marked `#[hipchat(room)]` and the like.
    Field(FieldRef),
    /// A template block with interpolations (`{% block room_id %}{{ team }}{% endblock %}`).
    Block,
}

/// A field that supplies a value at run time.
pub(crate) struct FieldRef {
    pub(crate) ident: Ident,
    /// The field's type, where a type mismatch is reported.
    pub(crate) ty_span: Span,
}
