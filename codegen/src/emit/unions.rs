//! Unions: tagged (by a discriminator value) and untagged (by best match), read and
//! write forms, with the catch-all variant and carried members.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{
    Api, Field, Holder, Removal, Side, TaggedUnion, TaggedVariant, TypeDef, TypeRef, UntaggedUnion,
};

use super::attributes::{deprecated_attr, item_docs, removal_attr, sorted};
use super::docs::one_line;
use super::shapes::{shape_literal, shape_tokens};
use super::types::{ident, type_tokens};

pub(super) fn variant_type(ty: &TypeRef, boxed: bool) -> TokenStream {
    let ty = type_tokens(ty);
    if boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

pub(super) fn wrap(variant: &proc_macro2::Ident, boxed: bool) -> TokenStream {
    if boxed {
        quote!(|value| Self::#variant(Box::new(value)))
    } else {
        quote!(Self::#variant)
    }
}

/// The docs of a union's catch-all variant: the read and write sides differ in what it
/// means.
pub(super) fn unknown_doc(side: Side, tagged: bool) -> TokenStream {
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
pub(super) fn tagged_variant_ser(def: &TypeDef, v: &TaggedVariant, side: Side) -> TokenStream {
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
    let members: Vec<&str> = t.variants.iter().map(|v| v.name.as_str()).collect();
    let accessors = common_accessors(&name, &members, &t.common_fields);
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

        #accessors

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
    let members: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    let accessors = common_accessors(&name, &members, &u.common_fields);
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

        #accessors

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

/// One accessor per field every member has (`normalize::common_fields`): the member's
/// value, `None` for an unknown member or an absent value.
fn common_accessors(name: &Ident, members: &[&str], fields: &[Field]) -> TokenStream {
    if fields.is_empty() {
        return quote!();
    }
    let methods = fields.iter().map(|field| {
        let fname = ident(&field.name);
        let ty = type_tokens(&field.ty);
        let read = match (field.holder(), field.boxed) {
            (Holder::Plain, false) => quote!(Some(&value.#fname)),
            (Holder::Plain, true) => quote!(Some(&*value.#fname)),
            (_, false) => quote!(value.#fname.as_ref()),
            (_, true) => quote!(value.#fname.as_deref()),
        };
        let arms = members.iter().map(|m| {
            let member = ident(m);
            quote!(Self::#member(value) => #read,)
        });
        let doc = format!(
            " `{}`, whichever member this is: every member has it. `None` for a member \
             this version does not know{}.",
            one_line(&field.wire_name),
            if field.holder() == Holder::Plain {
                ""
            } else {
                " or when Atlas did not send it"
            }
        );
        let deprecated = deprecated_attr(&field.deprecated);
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #fname(&self) -> Option<&#ty> {
                match self {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    });
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}
