//! Models: one file per named type under `src/models/`, plus `models/mod.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeSet;

use crate::ir::Side;
use crate::ir::{Api, FeatureContext, Struct, TypeDef, TypeKind};

use super::attributes::{deprecated_attr, field_docs, field_type, item_docs};
use super::decoders::struct_deserialize;
use super::enums;
use super::packaging::Home;
use super::serialize::serialize_tokens;
use super::shapes::struct_shape;
use super::types::{cfg_for, ident, type_tokens};
use super::unions::{tagged_tokens, untagged_tokens};
use super::Context;

/// `models/mod.rs`: every model module behind the features that reach it (a shared enum
/// behind those of its aliases too).
pub fn models_mod(cx: &Context<'_>, home: Home) -> TokenStream {
    let defs = cx
        .api
        .types
        .values()
        .filter(|def| cx.home_of_model(def) == home);
    let items = module_items(defs, |def| &def.reached_by);
    let docs = models_docs();
    let base = base_glob(home, quote!(models));
    quote! {
        #docs
        #![allow(deprecated)]
        #[rustfmt::skip]
        pub mod write;
        #base
        #(#items)*
    }
}

/// The `models` module's docs, in every crate that has one.
pub fn models_docs() -> TokenStream {
    quote! {
        //! Response models of the Atlas Administration API, one file per schema, and the
        //! enums requests share; request bodies are in [`write`](mod@write).
    }
}

/// In a group crate, a module sees the base crate's models as its own: a glob re-export
/// that the group's own items sit beside (empty when no feature reaches a base model).
pub(super) fn base_glob(home: Home, module: TokenStream) -> TokenStream {
    match home {
        Home::Group(_) => {
            let base = Home::Base.ident();
            quote! {
                #[allow(unused_imports)]
                pub use #base::#module::*;
            }
        }
        _ => quote!(),
    }
}

/// One private module per model and its re-export, behind the features that reach it.
pub(super) fn module_items<'a>(
    defs: impl Iterator<Item = &'a TypeDef>,
    reach: impl Fn(&'a TypeDef) -> &'a BTreeSet<FeatureContext>,
) -> Vec<TokenStream> {
    defs.filter(|d| !d.reached_by.is_empty())
        .map(|def| {
            let cfg = cfg_for(reach(def));
            let module = ident(&def.module);
            let name = ident(&def.name);
            quote! {
                #cfg mod #module;
                #cfg pub use #module::#name;
            }
        })
        .collect()
}

/// One model file.
pub fn model_file(api: &Api, def: &TypeDef) -> TokenStream {
    if let Some(shared) = &def.alias_of {
        let alias = enums::alias_tokens(def, shared);
        return quote! {
            #![allow(deprecated)]
            #alias
        };
    }
    let item = match &def.kind {
        TypeKind::Struct(s) => struct_tokens(api, def, s),
        TypeKind::Enum(e) if e.integer => enums::integer_enum_tokens(def, e),
        TypeKind::Enum(e) => enums::string_enum_tokens(def, e),
        TypeKind::Tagged(t) => tagged_tokens(def, t, Side::Read),
        TypeKind::Untagged(u) => untagged_tokens(api, def, u, Side::Read),
    };
    quote! {
        #![allow(deprecated)]
        #item
    }
}

fn struct_tokens(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let docs = item_docs(def);
    let deprecated = deprecated_attr(&def.deprecated);
    let name = ident(&def.name);
    let default = if s.derive_default {
        quote!(, Default)
    } else {
        quote!()
    };
    let fields = s.fields.iter().map(|f| {
        let docs = field_docs(f);
        let deprecated = deprecated_attr(&f.deprecated);
        let fname = ident(&f.name);
        let ty = field_type(f);
        quote! {
            #docs
            #deprecated
            pub #fname: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|ty| {
        let ty = type_tokens(ty);
        quote! {
            /// Keys beyond the declared properties (`additionalProperties`).
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let serialize = serialize_tokens(def, s, Side::Read);
    let deserialize = struct_deserialize(api, def, s);
    // A struct that is a variant of untagged unions carries its ranking shape once; every
    // union it belongs to refers to it (`shape_tokens`).
    let shape = if def.untagged_member {
        let literal = struct_shape(api, s);
        quote! {
            impl #name {
                /// What `crate::runtime::de::rank` knows of this type as a union variant.
                #[doc(hidden)]
                pub const SHAPE: crate::runtime::de::Shape = #literal;
            }
        }
    } else {
        quote!()
    };
    let debug = super::debug::derived(s);
    let debug_impl = super::debug::debug_impl(&name, s);
    quote! {
        #docs
        #deprecated
        #[derive(#debug Clone, PartialEq #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #debug_impl

        #serialize

        #deserialize

        #shape
    }
}
