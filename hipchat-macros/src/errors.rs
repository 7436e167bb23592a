//! An error sink: every problem found is kept and all are reported at once.

use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

#[derive(Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// An error pointing at `tokens` (a literal, a key, a field).
    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error pointing at `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// How many errors were reported so far.
    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    /// All errors as one, in the order they appear in the source (checks run in their own
    /// order, which would otherwise show first what was written last).
    pub(crate) fn finish(mut self) -> Result<(), syn::Error> {
        self.errors.sort_by_key(|error| {
            let start = error.span().start();
            (start.line, start.column)
        });
        let mut errors = self.errors.into_iter();
        match errors.next() {
            None => Ok(()),
            Some(mut combined) => {
                combined.extend(errors);
                Err(combined)
            }
        }
    }
}
