//! The two decoders a model struct gets: `runtime::object` for JSON (a `match` on the
//! key, no derive), and a visitor for other serde formats.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Field, Presence, Struct, TypeDef, TypeRef};

use super::types::ident;

/// How a field decodes when its key is missing, and how its value is read.
pub(super) enum Decoding {
    /// `Option<T>`: absent or `null` is `None`.
    Optional,
    /// Required with an empty value: absent or `null` is that value.
    OrDefault,
    /// Required without an empty value: absence is an error.
    Required,
}

pub(super) fn decoding(api: &Api, f: &Field) -> Decoding {
    match f.presence {
        Presence::Optional | Presence::RequiredNullable | Presence::Nullable => Decoding::Optional,
        Presence::Required if api.has_default(&f.ty) => Decoding::OrDefault,
        Presence::Required => Decoding::Required,
    }
}

/// An `Option<DateTime>` field: read by `runtime::time`, much faster than chrono's parser
/// for the form Atlas sends.
pub(super) fn reads_optional_datetime(f: &Field) -> bool {
    f.ty == TypeRef::DateTime
        && !f.boxed
        && matches!(f.presence, Presence::Optional | Presence::RequiredNullable)
}

/// `Deserialize` for a struct, through `crate::runtime::object` (see there for why it is
/// not derived). A struct whose every field may be absent implements `Object`, one `match`
/// on the key; one with a required field that has no empty value gets a small visitor that
/// reports the missing key.
pub(super) fn struct_deserialize(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let all_may_be_absent = s
        .fields
        .iter()
        .all(|f| !matches!(decoding(api, f), Decoding::Required));
    if all_may_be_absent && s.derive_default {
        object_deserialize(api, def, s)
    } else {
        visitor_deserialize(api, def, s)
    }
}

/// `Deserialize` through `runtime::object::Object`: fields start at their defaults and
/// each key sets one.
pub(super) fn object_deserialize(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let expecting = format!("struct {}", def.name);
    let arms = s.fields.iter().map(|f| {
        let wire = &f.wire_name;
        let fname = ident(&f.name);
        match decoding(api, f) {
            Decoding::OrDefault => {
                quote!(#wire => self.#fname = crate::runtime::object::or_default(map)?,)
            }
            _ if reads_optional_datetime(f) => quote! {
                #wire => self.#fname = map.next_value_seed(crate::runtime::time::OptionalDateTimeSeed)?,
            },
            _ => quote!(#wire => self.#fname = map.next_value()?,),
        }
    });
    let rest = if s.additional.is_some() {
        quote!(_ => { self.additional_properties.insert(key.to_owned(), map.next_value()?); })
    } else {
        quote!(_ => crate::runtime::object::skip(map)?,)
    };
    // A model without properties (a write model whose only ones are read-only) skips all.
    let dispatch = if s.fields.is_empty() && s.additional.is_none() {
        quote!(let _ = key; crate::runtime::object::skip(map)?;)
    } else {
        quote!(match key { #(#arms)* #rest })
    };
    quote! {
        impl crate::runtime::object::Object for #name {
            const EXPECTING: &'static str = #expecting;
            fn field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                #dispatch
                Ok(())
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::object::object(deserializer)
            }
        }
    }
}

/// `Deserialize` through a visitor with one local per field, so a missing required key
/// is reported by name.
pub(super) fn visitor_deserialize(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let expecting = format!("struct {}", def.name);
    // Prefixed so no field name can shadow `map` or `key`.
    let locals: Vec<_> = s
        .fields
        .iter()
        .map(|f| ident(&format!("v_{}", f.name)))
        .collect();
    let inits = s
        .fields
        .iter()
        .zip(&locals)
        .map(|(f, local)| match decoding(api, f) {
            Decoding::Required => quote!(let mut #local = None;),
            _ => quote!(let mut #local = Default::default();),
        });
    let arms = s.fields.iter().zip(&locals).map(|(f, local)| {
        let wire = &f.wire_name;
        match decoding(api, f) {
            Decoding::Optional if reads_optional_datetime(f) => quote! {
                #wire => #local = map.next_value_seed(crate::runtime::time::OptionalDateTimeSeed)?,
            },
            Decoding::Optional => quote!(#wire => #local = map.next_value()?,),
            Decoding::OrDefault => {
                quote!(#wire => #local = crate::runtime::object::or_default(&mut map)?,)
            }
            Decoding::Required => quote!(#wire => #local = Some(map.next_value()?),),
        }
    });
    let values = s
        .fields
        .iter()
        .zip(&locals)
        .map(|(f, local)| match decoding(api, f) {
            Decoding::Required => {
                let wire = &f.wire_name;
                let fname = ident(&f.name);
                quote!(#fname: crate::runtime::object::required(#local, #wire)?,)
            }
            _ => {
                let fname = ident(&f.name);
                quote!(#fname: #local,)
            }
        });
    let (additional_init, rest, additional_value) = if s.additional.is_some() {
        (
            quote!(let mut additional_properties = std::collections::BTreeMap::new();),
            quote!(_ => { additional_properties.insert(key.0.into_owned(), map.next_value()?); }),
            quote!(additional_properties,),
        )
    } else {
        (
            quote!(),
            quote!(_ => crate::runtime::object::skip(&mut map)?,),
            quote!(),
        )
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = crate::models::#name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                        #(#inits)*
                        #additional_init
                        while let Some(key) = map.next_key::<crate::runtime::object::Key<'de>>()? {
                            match &*key {
                                #(#arms)*
                                #rest
                            }
                        }
                        Ok(crate::models::#name { #(#values)* #additional_value })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}
