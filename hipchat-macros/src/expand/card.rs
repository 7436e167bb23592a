//! Emitting the code that builds a declared card at render time, through the runtime's
//! `Card` builder, so the card is checked by `Card::validate` like one built by hand.
//!
//! Static parts become string literals; templated parts are askama templates rendered with
//! the event's fields. An optional part that renders blank is left out, as a blank
//! override block is.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::templates::{Template, Templates};
use super::variant;
use crate::model::FieldRef;
use crate::model::card::{Card, CardId, Icon, Part, PartText, Style};

/// `message.card = Some(...)`, rendering every templated part.
pub(crate) fn expand(
    card: &Card,
    private: &TokenStream,
    templates: &mut Templates<'_>,
) -> TokenStream {
    let mut parts = Parts {
        private,
        templates,
        count: 0,
    };
    let title = parts.required(&card.title);
    let id = match &card.id {
        CardId::Part(part) => parts.required(part),
        CardId::Field(FieldRef { ident, ty_span }) => quote_spanned! {*ty_span=>
            #private::TextField::text(&self.#ident)
        },
        CardId::Derived => quote! {
            #private::Card::id_from_parts(&[::core::module_path!(), NOTIFICATION, &message.body, &title])
        },
    };
    let style = variant(quote!(#private::CardStyle), card.style.variant_name());
    let card_var = format_ident!("card");
    let format = card.format.map(|format| {
        let format = variant(quote!(#private::CardFormat), format.variant_name());
        quote!(let card = card.format(#format);)
    });
    let description = card.description.as_ref().map(|description| {
        let setter = if description.html {
            format_ident!("html_description")
        } else {
            format_ident!("description")
        };
        let value = parts.optional(&description.value);
        set_optional(&card_var, &setter, value)
    });
    let url = card
        .url
        .as_ref()
        .map(|url| set_optional(&card_var, &format_ident!("url"), parts.optional(url)));
    let icon = card.icon.as_ref().map(|icon| {
        let icon = parts.icon(icon);
        set_optional(&card_var, &format_ident!("icon"), icon)
    });
    let thumbnail = card.thumbnail.as_ref().map(|thumbnail| {
        let thumb = format_ident!("thumbnail");
        let url = parts.optional(&thumbnail.url);
        let url_2x = thumbnail
            .url_2x
            .as_ref()
            .map(|url| set_optional(&thumb, &format_ident!("url_2x"), parts.optional(url)));
        let size = thumbnail
            .size
            .map(|(width, height)| quote!(let thumbnail = thumbnail.size(#width, #height);));
        let value = built_from(
            url,
            &thumb,
            quote!(#private::Thumbnail::new),
            quote!(#url_2x #size),
        );
        set_optional(&card_var, &thumb, value)
    });
    let activity = card.activity.as_ref().map(|activity| {
        let activity_var = format_ident!("activity");
        let html = parts.optional(&activity.html);
        let icon = activity.icon.as_ref().map(|icon| {
            let icon = parts.icon(icon);
            set_optional(&activity_var, &format_ident!("icon"), icon)
        });
        let value = built_from(
            html,
            &activity_var,
            quote!(#private::Activity::new),
            quote!(#icon),
        );
        set_optional(&card_var, &activity_var, value)
    });
    let attributes: Vec<_> = card
        .attributes
        .iter()
        .enumerate()
        .map(|(i, attribute)| {
            let attr = format_ident!("attribute");
            let value = parts.required(&attribute.value);
            let label = attribute
                .label
                .as_ref()
                .map(|label| set_optional(&attr, &format_ident!("label"), parts.optional(label)));
            let url = attribute
                .url
                .as_ref()
                .map(|url| set_optional(&attr, &format_ident!("url"), parts.optional(url)));
            let style = attribute.style.as_ref().map(|style| match style {
                Style::Static(lozenge) => {
                    let lozenge = variant(quote!(#private::Lozenge), lozenge.variant_name());
                    quote!(let attribute = attribute.style(#lozenge);)
                }
                Style::Template(part) => {
                    let rendered = parts.optional(part);
                    let field = format!("card.attributes[{i}].value.style");
                    quote! {
                        let attribute = match #rendered {
                            ::core::option::Option::Some(style) => attribute.style(#private::parse_lozenge(&style, #field)?),
                            ::core::option::Option::None => attribute,
                        };
                    }
                }
            });
            let icon = attribute.icon.as_ref().map(|icon| {
                let icon = parts.icon(icon);
                set_optional(&attr, &format_ident!("icon"), icon)
            });
            quote! {
                let card = card.attribute({
                    let attribute = #private::Attribute::new(#value);
                    #label
                    #url
                    #style
                    #icon
                    attribute
                });
            }
        })
        .collect();
    quote! {
        let title = #title;
        let card = #private::Card::new(#style, #id, title);
        #format
        #description
        #url
        #icon
        #thumbnail
        #activity
        #(#attributes)*
        message.card = ::core::option::Option::Some(card);
    }
}

/// `let var = var.setter(value)` when `value`, an `Option`, is `Some`.
fn set_optional(var: &syn::Ident, setter: &syn::Ident, value: TokenStream) -> TokenStream {
    quote! {
        let #var = match #value {
            ::core::option::Option::Some(value) => #var.#setter(value),
            ::core::option::Option::None => #var,
        };
    }
}

/// An `Option` of an object built from `required`, an `Option<String>` (`None`: no
/// object): `let var = constructor(value); then`, where `then` refines `var`.
fn built_from(
    required: TokenStream,
    var: &syn::Ident,
    constructor: TokenStream,
    then: TokenStream,
) -> TokenStream {
    quote! {
        match #required {
            ::core::option::Option::Some(value) => {
                let #var = #constructor(value);
                #then
                ::core::option::Option::Some(#var)
            }
            ::core::option::Option::None => ::core::option::Option::None,
        }
    }
}

/// The card's templated parts, numbered in the order they are derived.
struct Parts<'p, 't> {
    private: &'p TokenStream,
    templates: &'p mut Templates<'t>,
    count: usize,
}

impl Parts<'_, '_> {
    /// A `String` expression for a part that must be there.
    fn required(&mut self, part: &Part) -> TokenStream {
        let private = self.private;
        match &part.text {
            PartText::Static(text) => quote!(::std::string::String::from(#text)),
            PartText::Template => {
                let method = self.template(part);
                quote!(#private::render_body(&self.#method(), NOTIFICATION)?)
            }
        }
    }

    /// An `Option<String>` expression for a part left out when it renders blank.
    fn optional(&mut self, part: &Part) -> TokenStream {
        let private = self.private;
        match &part.text {
            PartText::Static(text) => {
                quote!(::core::option::Option::Some(::std::string::String::from(#text)))
            }
            PartText::Template => {
                let method = self.template(part);
                quote!(#private::render_block(&self.#method(), NOTIFICATION)?)
            }
        }
    }

    /// An `Option<Icon>` expression: no icon when its URL renders blank.
    fn icon(&mut self, icon: &Icon) -> TokenStream {
        let private = self.private;
        let var = format_ident!("icon");
        let url = self.optional(&icon.url);
        let url_2x = icon
            .url_2x
            .as_ref()
            .map(|url| set_optional(&var, &format_ident!("url_2x"), self.optional(url)));
        built_from(url, &var, quote!(#private::Icon::new), quote!(#url_2x))
    }

    fn template(&mut self, part: &Part) -> syn::Ident {
        let name = format!("card_{}", self.count);
        self.count += 1;
        self.templates.add(
            &name,
            Template::inline(&part.lit, part.html, "card_filters"),
        )
    }
}
