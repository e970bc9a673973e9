//! `Serialize` for structs, read and write alike: one `runtime::write::Fields` impl that
//! adds each field to a JSON object, and a `Serialize` that calls it.
//!
//! Hand-written rather than serde's derive: the derive counts the fields it will send
//! and branches twice per field, about three times the code per struct, and rustc
//! type-checks and borrow-checks all of it for every model of the crate.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Presence, Struct, TypeDef};

use super::types::ident;
use crate::ir::Side;

/// `Fields` and `Serialize` of a struct. A write model sends only what the caller set; a
/// read model sends what it holds, leaving out only absent optional fields (as the
/// document it was decoded from did).
pub(super) fn serialize_tokens(def: &TypeDef, s: &Struct, side: Side) -> TokenStream {
    let name = ident(&def.name);
    let tag = s.tag.as_ref().map(|t| {
        let (property, value) = (&t.property, &t.value);
        quote!(map.serialize_entry(#property, #value)?;)
    });
    // A field the document dropped is kept for the API; a request never sends it.
    let sent = s
        .fields
        .iter()
        .filter(|f| side == Side::Read || f.removed.is_none());
    let writes = sent.map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire_name;
        let skips_absent = side == Side::Write || f.presence == Presence::Optional;
        if skips_absent {
            quote!(crate::runtime::write::Field::write(&self.#fname, #wire, map)?;)
        } else {
            quote!(map.serialize_entry(#wire, &self.#fname)?;)
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        quote! {
            for (key, value) in &self.additional_properties {
                map.serialize_entry(key, value)?;
            }
        }
    });
    quote! {
        impl crate::runtime::write::Fields for #name {
            fn write_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                #tag
                #(#writes)*
                #additional
                Ok(())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::runtime::write::serialize_fields(self, serializer)
            }
        }
    }
}
