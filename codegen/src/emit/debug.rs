//! `Debug` of a struct model: derived, unless a field holds a credential
//! (`ir::Field::secret`); then written out field by field, the credential shown through
//! `runtime::Redacted` (whether it is set, never its value).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::Struct;

use super::types::ident;

/// The `Debug` in a struct's derive list, or nothing when [`debug_impl`] writes it.
pub(super) fn derived(s: &Struct) -> TokenStream {
    if has_secret(s) {
        quote!()
    } else {
        quote!(Debug,)
    }
}

/// The written-out `Debug` impl of a struct with a credential field, else nothing.
pub(super) fn debug_impl(name: &Ident, s: &Struct) -> TokenStream {
    if !has_secret(s) {
        return quote!();
    }
    let shown = name.to_string();
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let label = &f.name;
        if f.secret {
            quote!(.field(#label, &crate::runtime::Redacted(&self.#fname)))
        } else {
            quote!(.field(#label, &self.#fname))
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(.field("additional_properties", &self.additional_properties)));
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#shown)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

fn has_secret(s: &Struct) -> bool {
    s.fields.iter().any(|f| f.secret)
}
