//! Rust type syntax for IR type references, and feature `cfg` attributes.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{FeatureContext, TypeRef};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type for a reference, with model paths fully qualified.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    type_tokens_in(ty, &quote!(crate))
}

/// The Rust type of `ty`, with paths rooted at `krate` (`crate` inside the generated crate,
/// `atlas_admin` in code generated for other packages).
pub fn type_tokens_in(ty: &TypeRef, krate: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(#krate::runtime::DateTime),
        TypeRef::Date => quote!(#krate::runtime::Date),
        TypeRef::ObjectId => quote!(#krate::runtime::ObjectId),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#krate::models::#name)
        }
        TypeRef::Write(name) => {
            let name = ident(name);
            quote!(#krate::models::write::#name)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens_in(inner, krate);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens_in(inner, krate);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// `#[cfg(..)]` enabling an item for any of the feature contexts that reach it.
pub fn cfg_for(contexts: &BTreeSet<FeatureContext>) -> TokenStream {
    let terms: Vec<TokenStream> = contexts
        .iter()
        .map(|c| {
            let tag = &c.tag_module;
            if c.preview_only {
                quote!(all(feature = #tag, feature = "preview"))
            } else {
                quote!(feature = #tag)
            }
        })
        .collect();
    match terms.as_slice() {
        [single] => quote!(#[cfg(#single)]),
        _ => quote!(#[cfg(any(#(#terms),*))]),
    }
}
