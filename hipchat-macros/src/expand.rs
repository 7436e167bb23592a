//! Emitting `impl Notification`: the askama templates (`expand/templates.rs`), the card
//! (`expand/card.rs`) and the code that fills a `Message` from them.
//!
//! Generated code names only `<crate>::__private::…`, so users need no other dependency.

mod card;
mod templates;

use hipchat_spec::Format;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{DeriveInput, Path};

use crate::attr::Role;
use crate::model::{Dynamic, FieldRef, Notification};
use crate::template::TemplateSource;

use templates::{Event, Template, Templates};

/// `impl Notification` for the checked `notification` declared on `input`.
pub(crate) fn expand(input: &DeriveInput, notification: &Notification) -> TokenStream {
    let ident = &input.ident;
    let private = private(&notification.krate);
    let (impl_generics, _, where_clause) = input.generics.split_for_impl();
    let event = Event::new(input);
    let alias = event.alias_declaration();
    let event_ty = event.ty();

    let mut templates = Templates::new(&event, &private);
    let body = templates.add("body", body_template(notification, None));
    let [room, from, color] = [Role::Room, Role::From, Role::Color]
        .map(|role| value(role, notification, &private, &mut templates));
    let card = notification
        .card
        .as_ref()
        .map(|card| card::expand(card, &private, &mut templates));
    let templates = templates.into_tokens();

    let format = variant(quote!(#private::Format), notification.format.variant_name());
    let notify = notification.notify;
    let token = notification
        .token
        .as_ref()
        .map(|name| quote!(message.token = ::core::option::Option::Some(::std::string::String::from(#name));));
    let attach_to = notification
        .attach_to
        .as_ref()
        .map(|FieldRef { ident, ty_span }| {
            quote_spanned! {*ty_span=>
                message.attach_to = #private::AttachToField::attach_to(&self.#ident);
            }
        });

    quote! {
        #input

        const _: () = {
            #alias
            #(#templates)*

            #[automatically_derived]
            impl #impl_generics #private::Notification for #event_ty #where_clause {
                fn render(&self) -> ::core::result::Result<#private::Message, #private::Error> {
                    const NOTIFICATION: &str = ::core::stringify!(#ident);
                    let mut message = #private::Message::new(
                        #private::render_body(&self.#body(), NOTIFICATION)?
                    );
                    message.format = #format;
                    message.notify = #notify;
                    #room
                    #from
                    #color
                    #token
                    #attach_to
                    #card
                    ::core::result::Result::Ok(message)
                }
            }
        };
    }
}

/// The message template, or one of its blocks: escaped and filtered per the format.
fn body_template<'a>(notification: &'a Notification, block: Option<&'a str>) -> Template<'a> {
    let html = notification.format == Format::Html;
    let source = match &notification.source {
        TemplateSource::File(name) => quote!(path = #name),
        TemplateSource::Inline(text) => quote!(source = #text, ext = "txt"),
    };
    Template {
        source,
        lit: notification.source.lit(),
        html,
        block: block.or(notification.message_block.then_some("message")),
        filters: if html { "html_filters" } else { "filters" },
    }
}

/// `ty::Variant` for a value of one of `hipchat-spec`'s enums, which the runtime
/// re-exports under the same names.
fn variant(ty: TokenStream, variant_name: &str) -> TokenStream {
    let variant = format_ident!("{variant_name}");
    quote!(#ty::#variant)
}

pub(crate) fn private(krate: &Path) -> TokenStream {
    quote!(#krate::__private)
}

/// Sets `message.room`, `.from` or `.color` from the attribute's fixed value, then from
/// its field or its rendered template block (derived here, so a block always has its
/// template).
fn value(
    role: Role,
    notification: &Notification,
    private: &TokenStream,
    templates: &mut Templates<'_>,
) -> TokenStream {
    let field = format_ident!("{}", role.key());
    let values = &notification.values;
    let fixed =
        match role {
            Role::Room => values.room.fixed.as_deref().map(
                |text| quote!(::core::option::Option::Some(::std::string::String::from(#text))),
            ),
            Role::From => values.from.fixed.as_deref().map(
                |text| quote!(::core::option::Option::Some(::std::string::String::from(#text))),
            ),
            Role::Color => values
                .color
                .fixed
                .map(|color| variant(quote!(#private::Color), color.variant_name())),
        }
        .map(|fixed| quote!(message.#field = #fixed;));
    let dynamic = match values.dynamic(role) {
        None => None,
        // Spanned at the field's type, where a type that cannot supply the value is reported.
        Some(Dynamic::Field(FieldRef { ident, ty_span })) => Some(match role {
            Role::Color => quote_spanned! {*ty_span=>
                message.#field = #private::ColorField::color(&self.#ident);
            },
            Role::Room | Role::From => quote_spanned! {*ty_span=>
                message.#field = ::core::option::Option::Some(#private::TextField::text(&self.#ident));
            },
        }),
        Some(Dynamic::Block) => {
            let name = role.block_name();
            let method = templates.add(
                &format!("block_{name}"),
                body_template(notification, Some(name)),
            );
            let from_text = match role {
                Role::Color => quote!(#private::parse(&value)?),
                Role::Room | Role::From => quote!(::core::option::Option::Some(value)),
            };
            Some(quote! {
                if let ::core::option::Option::Some(value) = #private::render_block(&self.#method(), NOTIFICATION)? {
                    message.#field = #from_text;
                }
            })
        }
    };
    quote!(#fixed #dynamic)
}
