//! Doc comments and attributes every emitter puts on models, fields and variants:
//! `Schema` lines, `#[deprecated]`, removal notes, field types and notes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Deprecation, Field, Holder, Presence, Removal, TypeDef};

use super::docs::{doc_attrs, docs_tokens};
use super::types::type_tokens;

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

/// `#[deprecated]` on an enum value or union member the current document dropped
/// (`crate::carry`).
pub(super) fn removal_attr(removed: &Option<Removal>) -> TokenStream {
    let deprecation = removed.as_ref().map(|r| Deprecation { note: r.note() });
    deprecated_attr(&deprecation)
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

/// The decode-ranking shape of one untagged variant (see `runtime::de::rank`).
/// Distinct strings in byte order (the order `str::cmp` and `binary_search` use).
pub(super) fn sorted<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut items: Vec<&str> = items.collect();
    items.sort_unstable();
    items.dedup();
    items
}
