//! `From<&models::X> for models::write::XWrite`, where `normalize::conversions` found the
//! shapes convert and the write model's crate can name the read model.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{
    Api, Conversion, FeatureContext, Field, FromRead, Holder, Presence, Struct, TypeDef, TypeKind,
    TypeRef,
};

use super::packaging::{Home, Packaging};
use super::types::{cfg_for, ident, type_tokens};

/// The write models whose conversion is emitted, each with the feature contexts that
/// compile it: those of its read model the write model's crate has. A read model must live
/// in the write model's crate or the base crate (a union's in the same crate: matching a
/// `non_exhaustive` enum of another crate needs an arm for variants it may gain), and every
/// write model a conversion builds must have its own emitted (a greatest fixed point).
pub fn placed(api: &Api, packaging: &Packaging) -> BTreeMap<String, BTreeSet<FeatureContext>> {
    let mut placed: BTreeMap<String, BTreeSet<FeatureContext>> = api
        .writes
        .values()
        .filter(|w| !w.reached_by.is_empty())
        .filter_map(|w| {
            let from = w.from_read.as_ref()?;
            let read = api.types.get(&from.read)?;
            let contexts = visible_contexts(packaging, w, read)?;
            (!contexts.is_empty()).then(|| (w.name.clone(), contexts))
        })
        .collect();
    loop {
        let unbuilt: Vec<String> = placed
            .keys()
            .filter(|name| {
                let from = api.writes.get(*name).and_then(|w| w.from_read.as_ref());
                from.is_none_or(|f| builds(f).any(|model| !placed.contains_key(model)))
            })
            .cloned()
            .collect();
        if unbuilt.is_empty() {
            return placed;
        }
        for name in unbuilt {
            placed.remove(&name);
        }
    }
}

/// The contexts of `read` that compile in the write model's crate; `None` where that crate
/// cannot name the read model.
fn visible_contexts(
    packaging: &Packaging,
    write: &TypeDef,
    read: &TypeDef,
) -> Option<BTreeSet<FeatureContext>> {
    let (home, read_home) = (
        packaging.home_of_model(&write.reached_by),
        packaging.home_of_model(&read.reached_by),
    );
    let union = !matches!(write.kind, TypeKind::Struct(_));
    match (home, read_home) {
        _ if home == read_home => Some(read.reached_by.clone()),
        (Home::Group(_), Home::Base) if !union => Some(
            read.reached_by
                .iter()
                .filter(|c| packaging.home_of_area(&c.tag_module) == home)
                .cloned()
                .collect(),
        ),
        _ => None,
    }
}

/// The write models a conversion builds from nested read models.
fn builds(from: &FromRead) -> impl Iterator<Item = &String> {
    fn models<'a>(c: &'a Conversion, out: &mut Vec<&'a String>) {
        match c {
            Conversion::Clone => {}
            Conversion::Model(name) => out.push(name),
            Conversion::Vec(inner) | Conversion::Map(inner) => models(inner, out),
        }
    }
    let mut out = Vec::new();
    for c in from
        .parts
        .iter()
        .map(|p| &p.conversion)
        .chain(&from.additional)
    {
        models(c, &mut out);
    }
    out.into_iter()
}

/// The `From` impl of one write model, or nothing where none is placed.
pub fn from_read_impl(
    api: &Api,
    write: &TypeDef,
    placed: &BTreeMap<String, BTreeSet<FeatureContext>>,
) -> TokenStream {
    let (Some(from), Some(contexts)) = (&write.from_read, placed.get(&write.name)) else {
        return quote!();
    };
    let Some(read) = api.types.get(&from.read) else {
        return quote!();
    };
    let body = match (&read.kind, &write.kind) {
        (TypeKind::Struct(r), TypeKind::Struct(w)) => struct_body(from, r, w),
        (TypeKind::Tagged(r), TypeKind::Tagged(w)) => {
            union_body(from, read, &r.unknown_variant, &w.unknown_variant)
        }
        (TypeKind::Untagged(r), TypeKind::Untagged(w)) => {
            union_body(from, read, &r.unknown_variant, &w.unknown_variant)
        }
        _ => return quote!(),
    };
    let cfg = cfg_for(contexts);
    let name = ident(&write.name);
    let read_ty = type_tokens(&TypeRef::Named(from.read.clone()));
    let doc = format!(
        " What a GET read, to change and send back: every field both have (read-only \
         ones are not in `{}`).",
        write.name
    );
    quote! {
        #cfg
        impl From<&#read_ty> for #name {
            #[doc = #doc]
            #[inline]
            fn from(read: &#read_ty) -> Self {
                #body
            }
        }
    }
}

/// `Self { field: <from read>, .., ..Default::default() }`.
fn struct_body(from: &FromRead, read: &Struct, write: &Struct) -> TokenStream {
    let fields = from.parts.iter().filter_map(|part| {
        let w = write.fields.iter().find(|f| f.name == part.name)?;
        let r = read.fields.iter().find(|f| f.name == part.name)?;
        let fname = ident(&part.name);
        let value = field_value(r, w, &part.conversion);
        Some(quote!(#fname: #value,))
    });
    let additional = from.additional.as_ref().map(|c| {
        let value = value_of(c, Source::Place(quote!(read.additional_properties)));
        quote!(additional_properties: #value,)
    });
    if from.parts.is_empty() && additional.is_none() {
        // A variant whose only field is its tag, which the write form writes itself.
        return quote!(let _ = read; Self::default());
    }
    let all = from.parts.len() == write.fields.len()
        && (write.additional.is_none() || additional.is_some());
    let rest = (!all).then(|| quote!(..Default::default()));
    quote! {
        Self {
            #(#fields)*
            #additional
            #rest
        }
    }
}

/// One write field's value from the read field of the same name (both boxed alike).
fn field_value(read: &Field, write: &Field, conversion: &Conversion) -> TokenStream {
    let fname = ident(&read.name);
    let optional = match read.holder() {
        Holder::Plain => {
            let value = if write.boxed {
                boxed(value_of(conversion, Source::Place(quote!((*read.#fname)))))
            } else {
                value_of(conversion, Source::Place(quote!(read.#fname)))
            };
            return match write.holder() {
                Holder::Nullable => quote!(crate::runtime::Nullable::Value(#value)),
                _ => quote!(Some(#value)),
            };
        }
        _ if *conversion == Conversion::Clone => quote!(Clone::clone(&read.#fname)),
        _ if write.boxed => {
            let value = boxed(value_of(conversion, Source::Ref(quote!(value))));
            quote!(read.#fname.as_deref().map(|value| #value))
        }
        _ => match conversion {
            Conversion::Model(model) => {
                let model = type_tokens(&TypeRef::Write(model.clone()));
                quote!(read.#fname.as_ref().map(#model::from))
            }
            _ => {
                let value = value_of(conversion, Source::Ref(quote!(value)));
                quote!(read.#fname.as_ref().map(|value| #value))
            }
        },
    };
    match write.holder() {
        Holder::Nullable => {
            // A required nullable field read as `None` was `null`; an optional one was
            // absent, and stays unsent.
            let none = if read.presence == Presence::RequiredNullable {
                quote!(crate::runtime::Nullable::Null)
            } else {
                quote!(crate::runtime::Nullable::Absent)
            };
            quote!(#optional.map_or(#none, crate::runtime::Nullable::Value))
        }
        _ => optional,
    }
}

fn boxed(value: TokenStream) -> TokenStream {
    quote!(Box::new(#value))
}

/// A read value: a reference bound to a name (`value`, of type `&T`), or a place of type
/// `T` (`read.field`).
enum Source {
    Ref(TokenStream),
    Place(TokenStream),
}

impl Source {
    fn reference(&self) -> TokenStream {
        match self {
            Source::Ref(r) => r.clone(),
            Source::Place(p) => quote!(&#p),
        }
    }

    /// What a method is called on (auto-referenced).
    fn receiver(&self) -> &TokenStream {
        match self {
            Source::Ref(r) | Source::Place(r) => r,
        }
    }
}

/// The write value of a read value of type `T`.
fn value_of(conversion: &Conversion, source: Source) -> TokenStream {
    let reference = source.reference();
    let receiver = source.receiver();
    match conversion {
        Conversion::Clone => quote!(Clone::clone(#reference)),
        Conversion::Model(model) => {
            let model = type_tokens(&TypeRef::Write(model.clone()));
            quote!(#model::from(#reference))
        }
        Conversion::Vec(inner) => match &**inner {
            Conversion::Model(model) => {
                let model = type_tokens(&TypeRef::Write(model.clone()));
                quote!(#receiver.iter().map(#model::from).collect())
            }
            _ => {
                let value = value_of(inner, Source::Ref(quote!(value)));
                quote!(#receiver.iter().map(|value| #value).collect())
            }
        },
        Conversion::Map(inner) => {
            let value = value_of(inner, Source::Ref(quote!(value)));
            quote!(#receiver.iter().map(|(key, value)| (key.clone(), #value)).collect())
        }
    }
}

/// `match read { X::V(value) => Self::V(<from value>), .., X::Unknown(json) => .. }`.
fn union_body(from: &FromRead, read: &TypeDef, unknown: &str, write_unknown: &str) -> TokenStream {
    let read_ty = type_tokens(&TypeRef::Named(from.read.clone()));
    let boxed_variants = boxed_variants(&read.kind);
    let arms = from.parts.iter().map(|part| {
        let vname = ident(&part.name);
        let value = if boxed_variants.contains(part.name.as_str()) {
            match &part.conversion {
                Conversion::Clone => value_of(&part.conversion, Source::Ref(quote!(value))),
                other => boxed(value_of(other, Source::Place(quote!((**value))))),
            }
        } else {
            value_of(&part.conversion, Source::Ref(quote!(value)))
        };
        quote!(#read_ty::#vname(value) => Self::#vname(#value),)
    });
    let (unknown, write_unknown) = (ident(unknown), ident(write_unknown));
    quote! {
        match read {
            #(#arms)*
            #read_ty::#unknown(value) => Self::#write_unknown(Clone::clone(value)),
        }
    }
}

fn boxed_variants(kind: &TypeKind) -> BTreeSet<&str> {
    match kind {
        TypeKind::Tagged(t) => t
            .variants
            .iter()
            .filter(|v| v.boxed)
            .map(|v| v.name.as_str())
            .collect(),
        TypeKind::Untagged(u) => u
            .variants
            .iter()
            .filter(|v| v.boxed)
            .map(|v| v.name.as_str())
            .collect(),
        _ => BTreeSet::new(),
    }
}
