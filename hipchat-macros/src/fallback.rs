//! What is emitted when the attribute has errors: the errors, the struct unchanged, and a
//! stub `impl Notification`, so `.render()` and `.notify()` call sites compile and the user
//! sees only the errors that matter (as thiserror's `fallback.rs` does).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, Path};

use crate::expand::private;

pub(crate) fn expand(input: &DeriveInput, krate: &Path, errors: Option<syn::Error>) -> TokenStream {
    let ident = &input.ident;
    let private = private(krate);
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let errors = errors.map(syn::Error::into_compile_error);
    quote! {
        #errors
        #input

        #[automatically_derived]
        impl #impl_generics #private::Notification for #ident #ty_generics #where_clause {
            fn render(&self) -> ::core::result::Result<#private::Message, #private::Error> {
                ::core::unreachable!("#[hipchat] reported compile errors for this type")
            }
        }
    }
}
