//! Write models: one file per request-body model under `src/models/write/`, plus its
//! `mod.rs` (see `normalize::writes` for why they exist apart from the read models).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Field, ModelRef, Presence, Side, Struct, TypeDef, TypeKind, TypeRef};

use super::attributes::{deprecated_attr, field_docs, field_type, item_docs};
use super::decoders::object_deserialize;
use super::docs::one_line;
use super::models::module_items;
use super::packaging::Home;
use super::serialize::serialize_tokens;
use super::shapes::struct_shape;
use super::types::{ident, type_tokens};
use super::unions::{removed_member_error, tagged_tokens, untagged_tokens};
use super::Context;

/// `models/write/mod.rs`: every write model behind the features that reach it.
pub fn writes_mod(cx: &Context<'_>, home: Home) -> TokenStream {
    let defs = cx
        .api
        .writes
        .values()
        .filter(|def| cx.home_of_write(def) == home);
    let items = module_items(defs, |def| &def.reached_by);
    let docs = writes_docs();
    let base = super::models::base_glob(home, quote!(models::write));
    quote! {
        #docs
        #![allow(deprecated)]
        #base
        #(#items)*
    }
}

/// The `models::write` module's docs, in every crate that has one.
pub fn writes_docs() -> TokenStream {
    quote! {
        //! Request-body models: what a POST, PUT or PATCH sends.
        //!
        //! Each is the write form of the read model it is named after, so a compiler
        //! message naming both says which is which: `models::Thing` is what a response
        //! holds, `models::write::ThingWrite` what a request sends. Where the shapes allow,
        //! `ThingWrite::from(&thing)` starts from what a GET read (read-only fields left
        //! out): change a field and send it back.
        //!
        //! Each holds only what the caller set: start from `default()` and chain setters
        //! (`CloudDatabaseUserWrite::default().description("new text")`); a field left unset is
        //! not sent, so a PATCH is a partial update. Nullable fields are
        //! [`Nullable`](crate::runtime::Nullable): a `null_<field>()` setter sends `null`.
        //! Fields the spec requires are checked before a POST or PUT is sent
        //! ([`Error::InvalidInput`](crate::Error::InvalidInput) names the first one
        //! missing). A tagged union writes its discriminator from the variant, and each
        //! variant converts into its union with `From`.
    }
}

/// One write model file.
pub fn write_file(cx: &Context<'_>, def: &TypeDef) -> TokenStream {
    let api = cx.api;
    let from_read = super::conversions::from_read_impl(api, def, &cx.conversions);
    let item = match &def.kind {
        TypeKind::Struct(s) => struct_tokens(api, def, s),
        TypeKind::Tagged(t) => {
            let union = tagged_tokens(def, t, Side::Write);
            let extras = union_extras(def, t.variants.iter().map(|v| (&v.name, &v.ty, v.boxed)));
            let fields = def.tagged_member.then(|| tagged_fields(def, t));
            quote!(#union #extras #fields)
        }
        TypeKind::Untagged(u) => {
            let union = untagged_tokens(api, def, u, Side::Write);
            let extras = union_extras(def, u.variants.iter().map(|v| (&v.name, &v.ty, v.boxed)));
            let fields = def.tagged_member.then(|| untagged_fields(def, u));
            quote!(#union #extras #fields)
        }
        // Enums are shared with the read models (`normalize::writes`).
        TypeKind::Enum(_) => quote!(),
    };
    quote! {
        #![allow(deprecated)]
        #item
        #from_read
    }
}

fn struct_tokens(api: &Api, def: &TypeDef, s: &Struct) -> TokenStream {
    let docs = item_docs(def);
    let clearable = clearable_docs(s);
    let deprecated = deprecated_attr(&def.deprecated);
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|f| {
        let docs = field_docs(f);
        let deprecated = deprecated_attr(&f.deprecated);
        let fname = ident(&f.name);
        let ty = field_type(f);
        quote!(#docs #deprecated pub #fname: #ty,)
    });
    let additional = s.additional.as_ref().map(|ty| {
        let ty = type_tokens(ty);
        quote! {
            /// Keys beyond the declared properties (`additionalProperties`), sent as they are.
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let setters = s.fields.iter().map(setter_tokens);
    let serialize = serialize_tokens(def, s, Side::Write);
    let check = check_impl(def, s);
    let deserialize = object_deserialize(api, def, s);
    let shape = def.untagged_member.then(|| {
        let literal = struct_shape(api, s);
        quote! {
            impl #name {
                /// What `crate::runtime::de::rank` knows of this type as a union variant.
                #[doc(hidden)]
                pub const SHAPE: crate::runtime::de::Shape = #literal;
            }
        }
    });
    let debug = super::debug::derived(s);
    let debug_impl = super::debug::debug_impl(&name, s);
    quote! {
        #docs
        #clearable
        #deprecated
        #[derive(#debug Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #debug_impl

        impl #name {
            #(#setters)*
        }

        #serialize

        #check

        #deserialize

        #shape
    }
}

/// The fields a request can send as `null`, each linked to its `null_*` setter, so the
/// model's page says what a PATCH can clear.
fn clearable_docs(s: &Struct) -> TokenStream {
    let setters: Vec<String> = s
        .fields
        .iter()
        .filter_map(|f| f.setters.as_ref()?.null.clone())
        .map(|null| format!("[`{null}`](Self::{null})"))
        .collect();
    if setters.is_empty() {
        return quote!();
    }
    // Written as is, not through `doc_attrs`, which escapes `[`: these are links.
    let text = format!(
        " Can be sent as `null` (a PATCH clears them): {}.",
        setters.join(", ")
    );
    quote!(#[doc = ""] #[doc = #text])
}

/// The chained setters of one field: the value, and `null` for a nullable field.
fn setter_tokens(f: &Field) -> TokenStream {
    let Some(setters) = &f.setters else {
        return quote!();
    };
    let fname = ident(&f.name);
    let setter = ident(&setters.value);
    let deprecated = deprecated_attr(&f.deprecated);
    let inner = type_tokens(&f.ty);
    let value = if f.boxed {
        quote!(Box::new(value.into()))
    } else {
        quote!(value.into())
    };
    let stored = match f.presence {
        Presence::Nullable => quote!(crate::runtime::Nullable::Value(#value)),
        _ => quote!(Some(#value)),
    };
    let doc = format!(" Send `{}`.", one_line(&f.wire_name));
    let null = setters.null.as_ref().map(|null| {
        let null = ident(null);
        let doc = format!(
            " Send `{}` as `null` (a PATCH clears it).",
            one_line(&f.wire_name)
        );
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #null(mut self) -> Self {
                self.#fname = crate::runtime::Nullable::Null;
                self
            }
        }
    });
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #setter(mut self, value: impl Into<#inner>) -> Self {
            self.#fname = #stored;
            self
        }
        #null
    }
}

/// Whether a value of `ty` contains a write model (and so has required fields to check).
fn holds_write_model(ty: &TypeRef) -> bool {
    matches!(ty.model(), Some(ModelRef::Write(_)))
}

/// `Check`: the fields the spec requires are set, and so are those of nested models.
fn check_impl(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let required = s.fields.iter().filter(|f| f.spec_required).map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire_name;
        quote!(crate::runtime::write::require(&self.#fname, at, #wire)?;)
    });
    let nested = s
        .fields
        .iter()
        .filter(|f| f.removed.is_none() && holds_write_model(&f.ty))
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire_name;
            quote!(crate::runtime::write::Check::check(&self.#fname, &at.field(#wire))?;)
        });
    let extra =
        s.additional.as_ref().filter(|t| holds_write_model(t)).map(
            |_| quote!(crate::runtime::write::Check::check(&self.additional_properties, at)?;),
        );
    let required: Vec<_> = required.collect();
    let nested: Vec<_> = nested.collect();
    let unused =
        (required.is_empty() && nested.is_empty() && extra.is_none()).then(|| quote!(let _ = at;));
    quote! {
        impl crate::runtime::write::Check for #name {
            #[inline]
            fn check(&self, at: &crate::runtime::write::Path<'_>) -> Result<(), String> {
                #unused
                #(#required)*
                #(#nested)*
                #extra
                Ok(())
            }
        }
    }
}

/// For a write union: `From` each variant model that appears once, and `Check` through
/// the variant.
fn union_extras<'a>(
    def: &TypeDef,
    variants: impl Iterator<Item = (&'a String, &'a TypeRef, bool)>,
) -> TokenStream {
    let variants: Vec<_> = variants.collect();
    let name = ident(&def.name);
    let froms = variants
        .iter()
        .filter(|(_, ty, _)| variants.iter().filter(|(_, other, _)| other == ty).count() == 1);
    let froms = froms.map(|(vname, ty, boxed)| {
        let vname = ident(vname);
        let ty_tokens = type_tokens(ty);
        let value = if *boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        quote! {
            impl From<#ty_tokens> for #name {
                #[inline]
                fn from(value: #ty_tokens) -> Self {
                    Self::#vname(#value)
                }
            }
        }
    });
    let checks = variants.iter().map(|(vname, ty, _)| {
        let vname = ident(vname);
        if holds_write_model(ty) {
            quote!(Self::#vname(value) => crate::runtime::write::Check::check(value, at),)
        } else {
            quote!(Self::#vname(_) => Ok(()),)
        }
    });
    quote! {
        #(#froms)*

        impl crate::runtime::write::Check for #name {
            #[inline]
            fn check(&self, at: &crate::runtime::write::Path<'_>) -> Result<(), String> {
                match self {
                    #(#checks)*
                    _ => Ok(()),
                }
            }
        }
    }
}

/// `write::Fields` of a tagged union that is a variant of another: its own tag (unless
/// the member writes it), then the member's fields, into the outer union's object.
fn tagged_fields(def: &TypeDef, t: &crate::ir::TaggedUnion) -> TokenStream {
    let arms = t.variants.iter().map(|v| {
        if let Some(removed) = &v.removed {
            return removed_member_error(def, &v.name, removed);
        }
        let vname = ident(&v.name);
        let tag = match v.values.first() {
            Some(tag) if !v.inner_writes_tag => {
                quote!(serde::ser::SerializeMap::serialize_entry(map, Self::DISCRIMINATOR, #tag)?;)
            }
            _ => quote!(),
        };
        let inner = member_ref(v.boxed);
        quote! {
            Self::#vname(value) => {
                #tag
                crate::runtime::write::Fields::write_fields(#inner, map)
            }
        }
    });
    union_fields(def, &t.unknown_variant, arms.collect())
}

/// `write::Fields` of an untagged union that is a variant of a tagged one: the member's
/// fields, into the outer union's object.
fn untagged_fields(def: &TypeDef, u: &crate::ir::UntaggedUnion) -> TokenStream {
    let arms = u.variants.iter().map(|v| {
        if let Some(removed) = &v.removed {
            return removed_member_error(def, &v.name, removed);
        }
        let vname = ident(&v.name);
        let inner = member_ref(v.boxed);
        quote!(Self::#vname(value) => crate::runtime::write::Fields::write_fields(#inner, map),)
    });
    union_fields(def, &u.unknown_variant, arms.collect())
}

/// A matched member as `&T`, through its `Box` when it has one.
fn member_ref(boxed: bool) -> TokenStream {
    if boxed {
        quote!(&**value)
    } else {
        quote!(value)
    }
}

/// The `write::Fields` impl of a union: one arm per member, then its unknown JSON.
fn union_fields(def: &TypeDef, unknown: &str, arms: Vec<TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(unknown);
    quote! {
        impl crate::runtime::write::Fields for #name {
            fn write_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    #(#arms)*
                    Self::#unknown(value) => crate::runtime::write::write_json_fields(value, map),
                }
            }
        }
    }
}
