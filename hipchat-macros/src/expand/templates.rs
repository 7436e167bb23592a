//! The askama templates of one notification: its body, its override blocks and its card's
//! parts, each derived on a wrapper type of its own.
//!
//! askama derives on a private wrapper (`struct Event<'a>(&'a Event)` in a scope of its
//! own) rather than on the event itself: askama also emits `impl Display`, which would
//! clash with the event's own. The wrapper derefs to the event, so template variables are
//! its fields.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, GenericParam, Ident, LitStr};

/// The user's struct as generated code names it: through an alias, because the wrappers
/// below take the struct's own name.
pub(crate) struct Event<'a> {
    input: &'a DeriveInput,
}

impl<'a> Event<'a> {
    const ALIAS: &'static str = "__HipchatEvent";

    pub(crate) fn new(input: &'a DeriveInput) -> Self {
        Self { input }
    }

    /// `type __HipchatEvent<'a, T> = Event<'a, T>;` (aliases take no bounds).
    pub(crate) fn alias_declaration(&self) -> TokenStream {
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
    pub(crate) fn ty(&self) -> TokenStream {
        let alias = format_ident!("{}", Self::ALIAS);
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        quote!(#alias #ty_generics)
    }
}

/// One template to derive: where its text is, how it escapes, which filters it sees.
pub(crate) struct Template<'a> {
    /// `path = "file"` or `source = "text", ext = "txt"`.
    pub(crate) source: TokenStream,
    /// The literal that names or holds the text: where askama's errors are moved to.
    pub(crate) lit: &'a LitStr,
    /// Escape interpolations as HTML, or not at all.
    pub(crate) html: bool,
    /// Render only this block of the template.
    pub(crate) block: Option<&'a str>,
    /// The module askama finds filters in (`filters`, `html_filters`, `card_filters`,
    /// under `__private`), which decides where `mention` is allowed.
    pub(crate) filters: &'static str,
}

impl<'a> Template<'a> {
    /// The template whose text is `lit`.
    pub(crate) fn inline(lit: &'a LitStr, html: bool, filters: &'static str) -> Self {
        Self {
            source: quote!(source = #lit, ext = "txt"),
            lit,
            html,
            block: None,
            filters,
        }
    }
}

/// The templates derived so far, and the methods on the event that wrap it for each.
pub(crate) struct Templates<'a> {
    event: &'a Event<'a>,
    private: &'a TokenStream,
    tokens: Vec<TokenStream>,
}

impl<'a> Templates<'a> {
    pub(crate) fn new(event: &'a Event<'a>, private: &'a TokenStream) -> Self {
        Self {
            event,
            private,
            tokens: Vec::new(),
        }
    }

    /// Derives `template` and returns the method that wraps the event for rendering it.
    /// `name` makes the method's name (`__hipchat_{name}`), unique per notification.
    pub(crate) fn add(&mut self, name: &str, template: Template<'_>) -> Ident {
        let method = format_ident!("__hipchat_{name}");
        let tokens = self.derive(&method, template);
        self.tokens.push(tokens);
        method
    }

    /// Every template's code.
    pub(crate) fn into_tokens(self) -> Vec<TokenStream> {
        self.tokens
    }

    /// askama's rendering code for `template`, derived on a wrapper over the event, and a
    /// method on the event that returns the wrapper.
    ///
    /// Each wrapper lives in a block of its own and takes the event's name, so that rustc's
    /// error for an unknown template variable reads "no field `x` on type `&Event`".
    fn derive(&self, method: &Ident, template: Template<'_>) -> TokenStream {
        let event = self.event;
        let private = self.private;
        let input = event.input;
        let wrapper = &input.ident;
        let event_ty = event.ty();
        let (event_impl_generics, _, event_where) = input.generics.split_for_impl();
        let mut generics = input.generics.clone();
        generics.params.insert(0, syn::parse_quote!('__hipchat));
        let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

        let Template {
            source,
            lit,
            html,
            block,
            filters,
        } = template;
        let escape = if html { "html" } else { "none" };
        let block = block.map(|name| quote!(, block = #name));
        let filters = format_ident!("{filters}");
        // askama reads the names of the fields it is derived on to decide what `default`
        // and `is defined` see, so it is shown the event's fields; the struct actually
        // emitted is the tuple wrapper below, whose Deref makes `self.field` reach the event.
        let fields = event.field_names();
        let derive_input = quote! {
            #[template(#source, escape = #escape, askama = #private::askama #block)]
            struct #wrapper #generics #where_clause { #(#fields: ()),* }
        };
        let rendering = located_at(
            askama_derive::derive_template(derive_input, import_askama),
            lit.span(),
        );
        quote! {
            const _: () = {
                // askama looks custom filters up as `filters::name`.
                use #private::#filters as filters;

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
