//! Models: one file per named type under `src/models/`, plus `models/mod.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeSet;

use crate::ir::{
    Api, Deprecation, FeatureContext, Field, Presence, Removal, Struct, TaggedUnion, TaggedVariant,
    TypeDef, TypeKind, TypeRef, UntaggedUnion,
};
use crate::ir::{Holder, Side};

use super::docs::{doc_attrs, docs_tokens, one_line};
use super::enums;
use super::packaging::Home;
use super::serialize::serialize_tokens;
use super::types::{cfg_for, ident, type_tokens};
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

pub(super) fn item_docs(def: &TypeDef) -> TokenStream {
    let docs = docs_tokens(&def.docs);
    let source = format!("Schema `{}`.", def.pointer);
    let source = doc_attrs([source.as_str()]);
    let sep = if docs.is_empty() {
        quote!()
    } else {
        quote!(#[doc = ""])
    };
    quote!(#docs #sep #source)
}

pub fn deprecated_attr(deprecated: &Option<Deprecation>) -> TokenStream {
    match deprecated {
        Some(d) => {
            let note = &d.note;
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    }
}

pub(super) fn field_type(field: &Field) -> TokenStream {
    let mut ty = type_tokens(&field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    match field.holder() {
        Holder::Plain => ty,
        Holder::Option => quote!(Option<#ty>),
        Holder::Nullable => quote!(crate::runtime::Nullable<#ty>),
    }
}

pub(super) fn field_docs(field: &Field) -> TokenStream {
    let docs = docs_tokens(&field.docs);
    let mut notes = Vec::new();
    if field.spec_required && field.presence != Presence::Required {
        notes.push("Required by the spec");
    }
    if field.read_only {
        notes.push("Read-only: set by Atlas, sent only when set");
    }
    if field.write_only {
        notes.push("Write-only: never returned by Atlas");
    }
    if field.nullable {
        notes.push("Nullable");
    }
    let kept = field.kept.as_ref().map(|k| {
        let note = k.note();
        let mut chars = note.chars();
        chars.next().map_or(note.clone(), |first| {
            format!("{}{}", first.to_uppercase(), chars.as_str())
        })
    });
    notes.extend(kept.as_deref());
    if notes.is_empty() {
        return docs;
    }
    let note = format!("{}.", notes.join(". "));
    let sep = if docs.is_empty() {
        quote!()
    } else {
        quote!(#[doc = ""])
    };
    let note = doc_attrs([note.as_str()]);
    quote!(#docs #sep #note)
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

/// How a field decodes when its key is missing, and how its value is read.
enum Decoding {
    /// `Option<T>`: absent or `null` is `None`.
    Optional,
    /// Required with an empty value: absent or `null` is that value.
    OrDefault,
    /// Required without an empty value: absence is an error.
    Required,
}

fn decoding(api: &Api, f: &Field) -> Decoding {
    match f.presence {
        Presence::Optional | Presence::RequiredNullable | Presence::Nullable => Decoding::Optional,
        Presence::Required if api.has_default(&f.ty) => Decoding::OrDefault,
        Presence::Required => Decoding::Required,
    }
}

/// An `Option<DateTime>` field: read by `runtime::time`, much faster than chrono's parser
/// for the form Atlas sends.
fn reads_optional_datetime(f: &Field) -> bool {
    f.ty == TypeRef::DateTime
        && !f.boxed
        && matches!(f.presence, Presence::Optional | Presence::RequiredNullable)
}

/// `Deserialize` for a struct, through `crate::runtime::object` (see there for why it is
/// not derived). A struct whose every field may be absent implements `Object`, one `match`
/// on the key; one with a required field that has no empty value gets a small visitor that
/// reports the missing key.
fn struct_deserialize(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
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
fn visitor_deserialize(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
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

fn variant_type(ty: &TypeRef, boxed: bool) -> TokenStream {
    let ty = type_tokens(ty);
    if boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

fn wrap(variant: &proc_macro2::Ident, boxed: bool) -> TokenStream {
    if boxed {
        quote!(|value| Self::#variant(Box::new(value)))
    } else {
        quote!(Self::#variant)
    }
}

/// The docs of a union's catch-all variant: the read and write sides differ in what it
/// means.
fn unknown_doc(side: Side, tagged: bool) -> TokenStream {
    let lines: &[&str] = match (side, tagged) {
        (Side::Read, true) => &[
            " A discriminator value this version of the crate does not know; the JSON is",
            " kept verbatim so it round-trips unchanged.",
        ],
        (Side::Read, false) => {
            &[" JSON no variant accepts; kept verbatim so it round-trips unchanged."]
        }
        (Side::Write, _) => {
            &[" Any JSON, sent verbatim: a variant this version of the crate does not know."]
        }
    };
    quote!(#(#[doc = #lines])*)
}

/// `#[deprecated]` on an enum value or union member the current document dropped
/// (`crate::carry`).
pub(super) fn removal_attr(removed: &Option<Removal>) -> TokenStream {
    let deprecation = removed.as_ref().map(|r| Deprecation { note: r.note() });
    deprecated_attr(&deprecation)
}

/// A write union's arm for a member the current document dropped: serializing it fails,
/// so the request is never sent (the error names the member and the document).
pub(super) fn removed_member_error(def: &TypeDef, member: &str, removed: &Removal) -> TokenStream {
    let vname = ident(member);
    let message = format!(
        "`models::write::{}::{member}` was removed upstream in the {} document; it is not sent",
        def.name, removed.document
    );
    quote!(Self::#vname(_) => Err(serde::ser::Error::custom(#message)),)
}

/// How a tagged union writes one variant: a read model, or a write model with a fixed
/// tag, carries its discriminator field; otherwise the union puts the tag first.
fn tagged_variant_ser(def: &TypeDef, v: &TaggedVariant, side: Side) -> TokenStream {
    let vname = ident(&v.name);
    if let (Side::Write, Some(removed)) = (side, &v.removed) {
        return removed_member_error(def, &v.name, removed);
    }
    match (side, v.values.first()) {
        (Side::Write, Some(tag)) if !v.inner_writes_tag => {
            let inner = if v.boxed {
                quote!(&**value)
            } else {
                quote!(value)
            };
            quote! {
                Self::#vname(value) => crate::runtime::write::serialize_tagged(Self::DISCRIMINATOR, #tag, #inner, serializer),
            }
        }
        _ => quote!(Self::#vname(value) => serde::Serialize::serialize(value, serializer),),
    }
}

pub(super) fn tagged_tokens(def: &TypeDef, t: &TaggedUnion, side: Side) -> TokenStream {
    let docs = item_docs(def);
    let deprecated = deprecated_attr(&def.deprecated);
    let name = ident(&def.name);
    let unknown = ident(&t.unknown_variant);
    let property = &t.property;
    let variants = t.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = variant_type(&v.ty, v.boxed);
        let doc = format!(
            " `{}`: {}.",
            one_line(property),
            v.values
                .iter()
                .map(|x| format!("`{}`", one_line(x)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let deprecated = removal_attr(&v.removed);
        quote!(#[doc = #doc] #deprecated #vname(#ty),)
    });
    // A member the document dropped is never decoded: the server no longer sends it.
    let live = || t.variants.iter().filter(|v| v.removed.is_none());
    let arms = live().map(|v| {
        let vname = ident(&v.name);
        let values = &v.values;
        let make = wrap(&vname, v.boxed);
        quote!(Some(#(#values)|*) => buffered.variant().map(#make),)
    });
    let ser = t.variants.iter().map(|v| tagged_variant_ser(def, v, side));
    let unknown_doc = unknown_doc(side, true);
    // As a member of an untagged union, a tagged union is an object that requires its
    // discriminator and allows the values of its variants (not any object: that would win
    // ranking whenever the outer union meets a value no member knows).
    let ranking = if def.untagged_member {
        let values = sorted(live().flat_map(|v| &v.values).map(String::as_str));
        let shape = shape_literal(
            "Object",
            &[property.as_str()],
            &[property.as_str()],
            &[quote!((#property, Self::SORTED_VALUES))],
        );
        quote! {
            impl #name {
                /// Every discriminator value, in byte order, for `crate::runtime::de::rank`.
                #[doc(hidden)]
                pub const SORTED_VALUES: &'static [&'static str] = &[#(#values),*];
                /// What `crate::runtime::de::rank` knows of this type as a union variant.
                #[doc(hidden)]
                pub const SHAPE: crate::runtime::de::Shape = #shape;
            }
        }
    } else {
        quote!()
    };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(serde_json::Value),
        }

        impl #name {
            /// The property whose value selects the variant.
            pub const DISCRIMINATOR: &'static str = #property;
        }

        #ranking

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser)*
                    Self::#unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let buffered = crate::runtime::de::Buffered::read(deserializer)?;
                let decoded = match buffered.tag(Self::DISCRIMINATOR).as_deref() {
                    #(#arms)*
                    _ => buffered.to_value().map(Self::#unknown),
                };
                decoded.map_err(D::Error::custom)
            }
        }
    }
}

/// The decode-ranking shape of one untagged variant (see `runtime::de::rank`).
/// Distinct strings in byte order (the order `str::cmp` and `binary_search` use).
pub(super) fn sorted<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut items: Vec<&str> = items.collect();
    items.sort_unstable();
    items.dedup();
    items
}

fn shape_literal(
    kind: &str,
    fields: &[&str],
    required: &[&str],
    tags: &[TokenStream],
) -> TokenStream {
    let kind = ident(kind);
    quote! {
        crate::runtime::de::Shape {
            kind: crate::runtime::de::JsonKind::#kind,
            fields: &[#(#fields),*],
            required: &[#(#required),*],
            tags: &[#(#tags),*],
        }
    }
}

/// The ranking shape of a struct: its lists sorted, so `runtime::de::rank` can
/// binary-search them.
pub(super) fn struct_shape(api: &Api, s: &Struct) -> TokenStream {
    let fields = sorted(s.fields.iter().map(|f| f.wire_name.as_str()));
    let required = sorted(
        s.fields
            .iter()
            .filter(|f| f.spec_required)
            .map(|f| f.wire_name.as_str()),
    );
    let tags: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| match &f.ty {
            TypeRef::Named(e) => match api.types.get(e).map(|d| &d.kind) {
                Some(TypeKind::Enum(en)) if !en.integer => {
                    let wire = &f.wire_name;
                    let en = ident(e);
                    Some(quote!((#wire, crate::models::#en::SORTED_VALUES)))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    shape_literal("Object", &fields, &required, &tags)
}

/// The shape of one untagged variant; a struct's is its `SHAPE` constant.
fn shape_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    let kind = match ty {
        TypeRef::Named(n) => match api.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(_) | TypeKind::Tagged(_)) => {
                let name = ident(n);
                return quote!(crate::models::#name::SHAPE);
            }
            Some(TypeKind::Enum(e)) if e.integer => "Number",
            Some(TypeKind::Enum(_)) => "String",
            _ => "Object",
        },
        TypeRef::Write(n) => match api.writes.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(_) | TypeKind::Tagged(_)) => {
                let name = ident(n);
                return quote!(crate::models::write::#name::SHAPE);
            }
            _ => "Object",
        },
        TypeRef::String | TypeRef::DateTime | TypeRef::Date | TypeRef::ObjectId => "String",
        TypeRef::Bool => "Bool",
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => "Number",
        TypeRef::Vec(_) => "Array",
        TypeRef::Map(_) => "Object",
        TypeRef::Json => "Any",
    };
    shape_literal(kind, &[], &[], &[])
}

pub(super) fn untagged_tokens(
    api: &Api,
    def: &TypeDef,
    u: &UntaggedUnion,
    side: Side,
) -> TokenStream {
    let unknown_doc = unknown_doc(side, false);
    let docs = item_docs(def);
    let deprecated = deprecated_attr(&def.deprecated);
    let name = ident(&def.name);
    let unknown = ident(&u.unknown_variant);
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = variant_type(&v.ty, v.boxed);
        let deprecated = removal_attr(&v.removed);
        quote!(#deprecated #vname(#ty),)
    });
    // A member the document dropped keeps its index (the implicit tag's arms hold
    // indices) but never decodes: the server no longer sends it.
    let shapes = u.variants.iter().map(|v| match v.removed {
        Some(_) => shape_literal("Any", &[], &[], &[]),
        None => shape_tokens(api, &v.ty),
    });
    let arms = u.variants.iter().enumerate().map(|(i, v)| {
        let vname = ident(&v.name);
        let make = wrap(&vname, v.boxed);
        match v.removed {
            Some(_) => quote!(#i => None,),
            None => quote!(#i => buffered.try_variant().map(#make),),
        }
    });
    // With an implicit tag, the members allowing its value are tried first
    // (`runtime::de::Buffered::candidates`); ranking orders the rest.
    let tag = match &u.implicit_tag {
        Some(tag) => {
            let property = &tag.property;
            let tag_arms = tag.arms.iter().map(|(index, enum_name)| {
                let en = ident(enum_name);
                quote!((#index, crate::models::#en::SORTED_VALUES))
            });
            quote! {
                Some(crate::runtime::de::Tag {
                    property: #property,
                    arms: &[#(#tag_arms),*],
                })
            }
        }
        None => quote!(None),
    };
    let ser = u.variants.iter().map(|v| match (side, &v.removed) {
        (Side::Write, Some(removed)) => removed_member_error(def, &v.name, removed),
        _ => {
            let vname = ident(&v.name);
            quote!(Self::#vname(value) => serde::Serialize::serialize(value, serializer),)
        }
    });
    quote! {
        #docs
        #[doc = ""]
        #[doc = " Decoded by best match: see `crate::runtime::de::rank` for the rule."]
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser)*
                    Self::#unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                const SHAPES: &[crate::runtime::de::Shape] = &[#(#shapes),*];
                let buffered = crate::runtime::de::Buffered::read(deserializer)?;
                let decode = |index: usize| -> Option<Self> {
                    match index {
                        #(#arms)*
                        _ => None,
                    }
                };
                for index in buffered.candidates(SHAPES, #tag) {
                    if let Some(decoded) = decode(index) {
                        return Ok(decoded);
                    }
                }
                buffered.to_value().map(Self::#unknown).map_err(D::Error::custom)
            }
        }
    }
}
