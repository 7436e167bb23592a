//! The `#[hipchat]` attribute: turns an event struct into a HipChat notification whose
//! template, color, room and sender are checked by the compiler.
//!
//! Use it through the `hipchat` crate, which documents it. The pipeline, one file a step:
//!
//! - `attr.rs`: parse the attribute and the field attributes, keeping every value's span
//!   (`attr/card.rs`: `card(...)`);
//! - `template.rs`: find and parse the template, pick out django-style blocks;
//! - `validate.rs`: check colors, formats, lengths and keys into a `model.rs` of the
//!   notification, reporting every error together (`errors.rs` collects them;
//!   `validate/card.rs` and `model/card.rs` for the card);
//! - `expand.rs`: emit `impl Notification`, with the askama templates from
//!   `expand/templates.rs` and the card from `expand/card.rs`;
//! - `fallback.rs`: on error, the errors plus a stub impl, so call sites show no cascade.

mod attr;
mod errors;
mod expand;
mod fallback;
mod model;
mod template;
mod validate;

use proc_macro::TokenStream;

/// Turns a struct with named fields into a HipChat notification. See the `hipchat` crate.
#[proc_macro_attribute]
pub fn hipchat(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::hipchat(args.into(), item.into()).into()
}
