//! Enums: open string enums and open integer enums, each with a catch-all variant that
//! keeps values this crate version does not know.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{StringEnum, TypeDef};

use super::attributes::{deprecated_attr, item_docs, removal_attr, sorted};
use super::docs::{doc_attrs, docs_tokens, one_line};
use super::types::ident;

/// An enum's docs, and for a shared one (`normalize::sharing`) the names that stand for it.
fn enum_docs(def: &TypeDef) -> TokenStream {
    if def.aliases.is_empty() {
        return item_docs(def);
    }
    // No `Schema` line: the document declares it once per name.
    let docs = docs_tokens(&def.docs);
    // Plain code, not links: a name may live in an area crate this one does not see.
    let names: Vec<String> = def.aliases.iter().map(|a| format!("`{a}`")).collect();
    let note = format!(
        "Its {} names (each a `pub type` alias of this enum): {}.",
        names.len(),
        names.join(", ")
    );
    let note = doc_attrs([note.as_str()]);
    quote!(#docs #[doc = ""] #note)
}

/// One of a shared enum's names (`normalize::sharing`): an alias of it, with its own docs.
pub(super) fn alias_tokens(def: &TypeDef, shared: &str) -> TokenStream {
    let docs = item_docs(def);
    let deprecated = deprecated_attr(&def.deprecated);
    let name = ident(&def.name);
    // Written as is, not through `doc_attrs`, which escapes `[`: this is a link.
    let note = format!(
        " Another name of [`{shared}`](crate::models::{shared}): the document declares the \
         same values for a property or parameter of the same name. If it gives this enum other \
         values, it becomes an enum of its own."
    );
    let shared = ident(shared);
    quote! {
        #docs
        #[doc = ""]
        #[doc = #note]
        #deprecated
        pub type #name = crate::models::#shared;
    }
}

/// An open string enum: unknown values kept as `String`.
pub(super) fn string_enum_tokens(def: &TypeDef, e: &StringEnum) -> TokenStream {
    let docs = enum_docs(def);
    let deprecated = deprecated_attr(&def.deprecated);
    let name = ident(&def.name);
    let unknown = ident(&e.unknown_variant);
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let doc = format!(" `{}`", one_line(&v.wire));
        let deprecated = removal_attr(&v.removed);
        quote!(#[doc = #doc] #deprecated #vname,)
    });
    let as_str = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#vname => #wire,)
    });
    let from = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(#wire => Self::#vname,)
    });
    let values = e.variants.iter().map(|v| &v.wire);
    let impls = string_enum_impls(&name, &unknown, from);
    let sorted_values = if e.ranked {
        let sorted_values = sorted(e.variants.iter().map(|v| v.wire.as_str()));
        quote! {
            /// [`Self::VALUES`] in byte order, for `crate::runtime::de::rank`.
            #[doc(hidden)]
                pub const SORTED_VALUES: &'static [&'static str] = &[#(#sorted_values),*];
        }
    } else {
        quote!()
    };
    quote! {
        #docs
        #deprecated
        #[derive(Clone)]
        #[non_exhaustive]
        #[allow(clippy::enum_variant_names)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept verbatim so it
            /// round-trips unchanged.
            #unknown(String),
        }

        impl #name {
            /// Every value the spec documents, in spec order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];
            #sorted_values

            /// The wire value.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(value) => value,
                }
            }
        }

        #impls
    }
}

/// The comparisons, conversions, ordering and serde of a string enum, all through its
/// wire value: a known value spelled as the catch-all is the same value (`Ord`'s
/// contract ties `==` and `Hash` to `cmp`).
///
/// Their non-generic methods are `#[inline]` and `Eq` is written out rather than derived
/// (the derive adds a function per type): nothing here is compiled to machine code in
/// `atlas-admin` itself, only in the crate that calls it. Derived `Debug`, `PartialEq`
/// and `Hash` would each be another match over every variant (1,068 enums, 6,886
/// variants), which rustc type-checks and borrow-checks in this crate.
fn string_enum_impls(
    name: &proc_macro2::Ident,
    unknown: &proc_macro2::Ident,
    from: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    let wire_identity = wire_identity_impls(name, &ident("as_str"));
    quote! {
        #wire_identity

        impl From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        /// Ordered by wire value, so a value Atlas adds does not reorder the others.
        impl Ord for #name {
            #[inline]
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl PartialOrd for #name {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::de::string_enum(deserializer)
            }
        }
    }
}

/// An open integer enum: JSON numbers, unknown values kept as `i64`.
pub(super) fn integer_enum_tokens(def: &TypeDef, e: &StringEnum) -> TokenStream {
    let docs = enum_docs(def);
    let deprecated = deprecated_attr(&def.deprecated);
    let name = ident(&def.name);
    let unknown = ident(&e.unknown_variant);
    // `integer_enum` wrote each wire value from an `i64`.
    let numbers: Vec<(proc_macro2::Ident, proc_macro2::Literal, TokenStream)> = e
        .variants
        .iter()
        .filter_map(|v| {
            let n: i64 = v.wire.parse().ok()?;
            let n = proc_macro2::Literal::i64_unsuffixed(n);
            Some((ident(&v.name), n, removal_attr(&v.removed)))
        })
        .collect();
    let variants = numbers.iter().map(|(vname, n, deprecated)| {
        let doc = format!(" `{n}`");
        quote!(#[doc = #doc] #deprecated #vname,)
    });
    let to_value = numbers
        .iter()
        .map(|(vname, n, _)| quote!(Self::#vname => #n,));
    let from = numbers
        .iter()
        .map(|(vname, n, _)| quote!(#n => Self::#vname,));
    let values = numbers.iter().map(|(_, n, _)| n);
    let wire_identity = wire_identity_impls(&name, &ident("value"));
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Copy)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept so it round-trips.
            #unknown(i64),
        }

        impl #name {
            /// Every value the spec documents, in spec order.
            pub const VALUES: &'static [i64] = &[#(#values),*];

            /// The wire value.
            #[inline]
            pub fn value(&self) -> i64 {
                match self {
                    #(#to_value)*
                    Self::#unknown(value) => *value,
                }
            }
        }

        #wire_identity

        impl From<i64> for #name {
            #[inline]
            fn from(value: i64) -> Self {
                match value {
                    #(#from)*
                    other => Self::#unknown(other),
                }
            }
        }

        /// Ordered by value, so a value Atlas adds does not reorder the others.
        impl Ord for #name {
            #[inline]
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.value().cmp(&other.value())
            }
        }

        impl PartialOrd for #name {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// `PartialEq`, `Eq`, `Hash` and `Debug` of an enum through its wire value (`as_str` or
/// `value`), the key its `Ord` compares: a known value spelled as the catch-all equals its
/// variant, and `Debug` shows what Atlas sends.
fn wire_identity_impls(name: &proc_macro2::Ident, wire: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl PartialEq for #name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.#wire() == other.#wire()
            }
        }

        impl Eq for #name {}

        impl std::hash::Hash for #name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.#wire().hash(state)
            }
        }

        impl std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.#wire(), f)
            }
        }
    }
}
