//! Emitting the askama rendering code and `impl Notification`.
//!
//! askama derives on a private wrapper (`struct Event<'a>(&'a Event)` in a scope of its
//! own) rather than on the event itself: askama also emits `impl Display`, which would
//! clash with the event's own. The wrapper derefs to the event, so template variables are
//! its fields. Generated code names only `<crate>::__private::…`, so users need no other
//! dependency.

use hipchat_spec::{Color, Format};
use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::{Data, DeriveInput, Fields, GenericParam, Ident, Path};

use crate::attr::{self, Role};
use crate::errors::Errors;
use crate::fallback;
use crate::model::{Dynamic, Notification, TemplateSource, Value};
use crate::validate;

/// The whole attribute: parse → validate → expand, or the fallback on any error.
pub(crate) fn hipchat(args: TokenStream, item: TokenStream) -> TokenStream {
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
    let notification = validate::validate(args, roles, krate.clone(), &mut errors);
    match (errors.finish(), notification) {
        (Ok(()), Some(notification)) => expand(&input, &notification),
        (result, _) => fallback::expand(&input, &krate, result.err()),
    }
}

fn expand(input: &DeriveInput, notification: &Notification) -> TokenStream {
    let ident = &input.ident;
    let private = private(&notification.krate);
    let (impl_generics, _, where_clause) = input.generics.split_for_impl();
    let event = Event::new(input);
    let alias = event.alias_declaration();
    let event_ty = event.ty();

    let body_block = notification.message_block.then_some("message");
    let mut templates = vec![template(&event, notification, &body_method(), body_block)];
    for role in [Role::Room, Role::From, Role::Color] {
        if matches!(notification.values.dynamic(role), Some(Dynamic::Block(_))) {
            templates.push(template(
                &event,
                notification,
                &block_method(role),
                Some(role.block_name()),
            ));
        }
    }

    let body_method = body_method();
    let format = match notification.format {
        Format::Html => quote!(#private::Format::Html),
        Format::Text => quote!(#private::Format::Text),
    };
    let notify = notification.notify;
    let room = string_value(&private, quote!(room), &notification.values.room);
    let from = string_value(&private, quote!(from), &notification.values.from);
    let color = color_value(&private, &notification.values.color);
    let token = notification
        .token
        .as_ref()
        .map(|name| quote!(message.token = ::core::option::Option::Some(::std::string::String::from(#name));));

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
                        #private::render_body(&self.#body_method(), NOTIFICATION)?
                    );
                    message.format = #format;
                    message.notify = #notify;
                    #room
                    #from
                    #color
                    #token
                    ::core::result::Result::Ok(message)
                }
            }
        };
    }
}

pub(crate) fn private(krate: &Path) -> TokenStream {
    quote!(#krate::__private)
}

/// The method that wraps the event for rendering the message body.
fn body_method() -> Ident {
    format_ident!("__hipchat_body")
}

/// The method that wraps the event for rendering one override block.
fn block_method(role: Role) -> Ident {
    format_ident!("__hipchat_block_{}", role.block_name())
}

/// The user's struct as generated code names it: through an alias, because the wrappers
/// below take the struct's own name.
struct Event<'a> {
    input: &'a DeriveInput,
}

impl<'a> Event<'a> {
    const ALIAS: &'static str = "__HipchatEvent";

    fn new(input: &'a DeriveInput) -> Self {
        Self { input }
    }

    /// `type __HipchatEvent<'a, T> = Event<'a, T>;` (aliases take no bounds).
    fn alias_declaration(&self) -> TokenStream {
        let alias = format_ident!("{}", Self::ALIAS);
        let ident = &self.input.ident;
        let params = self.input.generics.params.iter().map(|param| match param {
            GenericParam::Lifetime(param) => {
                let lifetime = &param.lifetime;
                quote!(#lifetime)
            }
            GenericParam::Type(param) => {
                let ident = &param.ident;
                quote!(#ident)
            }
            GenericParam::Const(param) => {
                let (ident, ty) = (&param.ident, &param.ty);
                quote!(const #ident: #ty)
            }
        });
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote! {
            #[allow(type_alias_bounds)]
            type #alias<#(#params),*> = #ident #ty_generics;
        }
    }

    /// The event's field names (empty for tuple structs, which are rejected earlier).
    fn field_names(&self) -> Vec<&'a Ident> {
        match &self.input.data {
            Data::Struct(data) => data
                .fields
                .iter()
                .filter_map(|field| field.ident.as_ref())
                .collect(),
            Data::Enum(_) | Data::Union(_) => Vec::new(),
        }
    }

    /// `__HipchatEvent<'a, T>`.
    fn ty(&self) -> TokenStream {
        let alias = format_ident!("{}", Self::ALIAS);
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#alias #ty_generics)
    }
}

/// askama's rendering code for the whole template or one `block`, derived on a wrapper
/// over the event, and a method on the event that returns the wrapper.
///
/// Each wrapper lives in a block of its own and takes the event's name, so that rustc's
/// error for an unknown template variable reads "no field `x` on type `&Event`".
fn template(
    event: &Event<'_>,
    notification: &Notification,
    method: &Ident,
    block: Option<&str>,
) -> TokenStream {
    let input = event.input;
    let wrapper = &input.ident;
    let event_ty = event.ty();
    let (event_impl_generics, _, event_where) = input.generics.split_for_impl();
    let mut generics = input.generics.clone();
    generics.params.insert(0, syn::parse_quote!('__hipchat));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let source = match &notification.source {
        TemplateSource::File(name) => quote!(path = #name),
        TemplateSource::Inline(text) => quote!(source = #text, ext = "txt"),
    };
    let escape = match notification.format {
        Format::Html => "html",
        Format::Text => "none",
    };
    let block = block.map(|name| quote!(, block = #name));
    let private = private(&notification.krate);
    // askama reads the names of the fields it is derived on to decide what `default` and
    // `is defined` see, so it is shown the event's fields; the struct actually emitted is
    // the tuple wrapper below, whose Deref makes `self.field` reach the event.
    let fields = event.field_names();
    let derive_input = quote! {
        #[template(#source, escape = #escape, askama = #private::askama #block)]
        struct #wrapper #generics #where_clause { #(#fields: ()),* }
    };
    let rendering = located_at(
        askama_derive::derive_template(derive_input, import_askama),
        notification.source.lit().span(),
    );
    quote! {
        const _: () = {
            // askama looks custom filters up as `filters::name`.
            use #private::filters;

            struct #wrapper #generics (&'__hipchat #event_ty) #where_clause;

            impl #impl_generics ::core::ops::Deref for #wrapper #ty_generics #where_clause {
                type Target = #event_ty;

                fn deref(&self) -> &Self::Target {
                    self.0
                }
            }

            impl #event_impl_generics #event_ty #event_where {
                fn #method<'__hipchat>(&'__hipchat self) -> #wrapper #ty_generics {
                    #wrapper(self)
                }
            }

            #rendering
        };
    }
}

/// Moves every token to `location`, keeping its hygiene (as tokio-macros does). On stable
/// Rust askama can only place errors at the call site, which is the whole attribute; moved,
/// an unknown template variable is reported at the template literal.
fn located_at(tokens: TokenStream, location: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut moved = Group::new(group.delimiter(), located_at(group.stream(), location));
                moved.set_span(group.span().located_at(location));
                TokenTree::Group(moved)
            }
            mut tree => {
                tree.set_span(tree.span().located_at(location));
                tree
            }
        })
        .collect()
}

/// Only used when no `askama = ...` path is given, which never happens here.
fn import_askama() -> TokenStream {
    quote!(
        use ::hipchat::__private::askama;
    )
}

fn string_value(private: &TokenStream, field: TokenStream, value: &Value<String>) -> TokenStream {
    let fixed = value.fixed.as_ref().map(|text| {
        quote!(message.#field = ::core::option::Option::Some(::std::string::String::from(#text));)
    });
    let dynamic = match &value.dynamic {
        None => None,
        Some(Dynamic::Field { ident, ty_span }) => Some(quote_spanned! {*ty_span=>
            message.#field = ::core::option::Option::Some(#private::TextField::text(&self.#ident));
        }),
        Some(Dynamic::Block(role)) => {
            let method = block_method(*role);
            Some(quote! {
                if let ::core::option::Option::Some(value) = #private::render_block(&self.#method(), NOTIFICATION)? {
                    message.#field = ::core::option::Option::Some(value);
                }
            })
        }
    };
    quote!(#fixed #dynamic)
}

fn color_value(private: &TokenStream, value: &Value<Color>) -> TokenStream {
    let fixed = value.fixed.map(|color| {
        let variant = match color {
            Color::Yellow => quote!(Yellow),
            Color::Green => quote!(Green),
            Color::Red => quote!(Red),
            Color::Purple => quote!(Purple),
            Color::Gray => quote!(Gray),
            Color::Random => quote!(Random),
        };
        quote!(message.color = #private::Color::#variant;)
    });
    let dynamic = match &value.dynamic {
        None => None,
        Some(Dynamic::Field { ident, ty_span }) => Some(quote_spanned! {*ty_span=>
            message.color = #private::ColorField::color(&self.#ident);
        }),
        Some(Dynamic::Block(role)) => {
            let method = block_method(*role);
            Some(quote! {
                if let ::core::option::Option::Some(value) = #private::render_block(&self.#method(), NOTIFICATION)? {
                    message.color = #private::parse_color(&value)?;
                }
            })
        }
    };
    quote!(#fixed #dynamic)
}
