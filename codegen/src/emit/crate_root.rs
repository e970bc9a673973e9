//! Each generated crate's `src/lib.rs`: its module tree and re-exports. In the split
//! layout ([`super::packaging`]) the facade's root re-exports the base and group crates
//! under the one crate's paths.

use proc_macro2::TokenStream;
use quote::quote;

use super::packaging::{Home, GROUPS};
use super::Context;

pub fn crate_root(cx: &Context<'_>, home: Home) -> TokenStream {
    let lints = crate_lints();
    let reexports = quote! {
        pub use runtime::Nullable;
        pub use runtime::{ApiError, Client, ClientBuilder, Credentials, Error, ObjectId};
    };
    match home {
        Home::Single => quote! {
            #![doc = include_str!("../README.md")]
            #lints
            // Generated modules are formatted by prettyplease when generated; rustfmt
            // leaves them as they are so `cargo fmt` never rewrites generated output.
            #[rustfmt::skip]
            pub mod apis;
            #[rustfmt::skip]
            pub mod models;
            /// The hand-written runtime (the `atlas-admin-runtime` crate).
            pub use atlas_admin_runtime as runtime;
            #reexports
        },
        Home::Base => quote! {
            //! The models several API areas share, and the runtime re-exported, for
            //! [`atlas-admin`](https://docs.rs/atlas-admin). Depend on `atlas-admin`: this
            //! crate is the part of it that every area needs, split out so cargo compiles
            //! the areas in parallel and no compiler process holds them all.
            #lints
            #[rustfmt::skip]
            pub mod models;
            /// The hand-written runtime (the `atlas-admin-runtime` crate).
            pub use atlas_admin_runtime as runtime;
            #reexports
        },
        Home::Group(group) => {
            let about = GROUPS.get(group).map_or("", |g| g.about);
            let doc = format!(
                " The operations and models of the Atlas Administration API areas for {about}, \
                 for [`atlas-admin`](https://docs.rs/atlas-admin). Depend on `atlas-admin`, \
                 which re-exports this crate behind the same features."
            );
            let base = Home::Base.ident();
            quote! {
                #![doc = #doc]
                #lints
                #[rustfmt::skip]
                pub mod apis;
                #[rustfmt::skip]
                pub mod models;
                pub use #base::runtime;
                #reexports
            }
        }
        Home::Facade => facade_root(cx, lints, reexports),
    }
}

/// The attributes every crate root starts with.
fn crate_lints() -> TokenStream {
    quote! {
        #![forbid(unsafe_code)]
        // docs.rs (nightly, `--cfg docsrs`) badges each item with the feature it needs.
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // Descriptions come verbatim from MongoDB's OpenAPI document; their Markdown list
        // style is upstream's to choose.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph)]
    }
}

/// `atlas-admin` of the split layout: the base crate's items and each group's behind
/// the features of its areas, inlined in the docs as if they were its own.
fn facade_root(cx: &Context<'_>, lints: TokenStream, reexports: TokenStream) -> TokenStream {
    let base = Home::Base.ident();
    let groups = cx.packaging.groups();
    let cfgs: Vec<TokenStream> = groups
        .iter()
        .map(|g| {
            let features = cx.packaging.areas_of(*g);
            quote!(#[cfg(any(#(feature = #features),*))])
        })
        .collect();
    let crates: Vec<_> = groups.iter().map(|g| Home::Group(*g).ident()).collect();
    // A group's glob brings nothing when its enabled areas have no models of their own
    // there (or no request bodies): allowed, so no feature set warns.
    let areas = cx.api.tags_with_operations().map(|tag| {
        let module = super::types::ident(&tag.module);
        let krate = cx.packaging.home_of_area(&tag.module).ident();
        let attrs = super::operations::area_attrs(tag);
        quote!(#attrs #[doc(inline)] pub use #krate::apis::#module;)
    });
    let (models_docs, writes_docs) = (super::models::models_docs(), super::writes::writes_docs());
    let apis_docs = super::operations::apis_docs();
    quote! {
        #![doc = include_str!("../README.md")]
        #lints
        #[doc(inline)]
        pub use #base::runtime;
        #reexports
        // rustfmt would reflow what prettyplease printed; `cargo fmt` leaves it.
        #[rustfmt::skip]
        pub mod models {
            #models_docs
            #[doc(inline)]
            #[allow(unused_imports)]
            pub use #base::models::*;
            #(#cfgs #[doc(inline)] #[allow(unused_imports)] pub use #crates::models::*;)*
            pub mod write {
                #writes_docs
                #[doc(inline)]
                #[allow(unused_imports)]
                pub use #base::models::write::*;
                #(#cfgs #[doc(inline)] #[allow(unused_imports)] pub use #crates::models::write::*;)*
            }
        }
        #[rustfmt::skip]
        pub mod apis {
            #apis_docs
            #(#areas)*
        }
    }
}
