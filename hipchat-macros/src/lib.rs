//! The `#[hipchat]` attribute: turns an event struct into a HipChat notification whose
//! template, color, room and sender are checked by the compiler.
//!
//! Use it through the `hipchat` crate, which documents it. The pipeline, one file a step,
//! each depending only on the steps before it (`attribute` below runs them in order):
//!
//! - `attr.rs`: parse the attribute and the field attributes, keeping every value's span
//!   (`attr/card.rs`: `card(...)`);
//! - `template.rs`: find and parse the template, pick out django-style blocks, and check
//!   that every variable it reads is a field (`template/variables.rs` finds them);
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
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use errors::Errors;

/// Turns a struct with named fields into a HipChat notification. See the `hipchat` crate.
#[proc_macro_attribute]
pub fn hipchat(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute(args.into(), item.into()).into()
}

/// The whole attribute: parse → validate → expand, or the fallback on any error.
fn attribute(args: TokenStream2, item: TokenStream2) -> TokenStream2 {
    let mut input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        Err(_) => {
            let error =
                syn::Error::new_spanned(&item, "#[hipchat] goes on a struct with named fields");
            let error = error.into_compile_error();
            return quote!(#error #item);
        }
    };
    let mut errors = Errors::default();
    let args = attr::parse_args(args, &mut errors);
    let krate = validate::crate_path(args.krate.as_ref(), &mut errors);
    let roles = match &mut input.data {
        Data::Struct(data) => {
            let roles = attr::take_field_roles(&mut data.fields, &mut errors);
            if !matches!(data.fields, Fields::Named(_)) {
                errors.spanned(
                    &input.ident,
                    "#[hipchat] needs a struct with named fields: templates refer to fields by name",
                );
            }
            roles
        }
        Data::Enum(data) => {
            errors.spanned(
                data.enum_token,
                "#[hipchat] goes on a struct with named fields, not an enum",
            );
            Vec::new()
        }
        Data::Union(data) => {
            errors.spanned(
                data.union_token,
                "#[hipchat] goes on a struct with named fields, not a union",
            );
            Vec::new()
        }
    };
    let event = template::EventFields::of(&input);
    let notification = validate::validate(args, roles, krate.clone(), &event, &mut errors);
    match (errors.finish(), notification) {
        (Ok(()), Some(notification)) => expand::expand(&input, &notification),
        (result, _) => fallback::expand(&input, &krate, result.err()),
    }
}
