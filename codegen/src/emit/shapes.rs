//! Shape literals: the keys and value kinds of a struct, which untagged unions rank
//! their members by (`runtime::de::rank`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Struct, TypeKind, TypeRef};

use super::attributes::sorted;
use super::types::ident;

pub(super) fn shape_literal(
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
pub(super) fn shape_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
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
