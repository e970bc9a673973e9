//! The generated crate's `src/lib.rs`: module tree and re-exports of the runtime.

use proc_macro2::TokenStream;
use quote::quote;

pub fn crate_root() -> TokenStream {
    quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        // docs.rs (nightly, `--cfg docsrs`) badges each item with the feature it needs.
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // Descriptions come verbatim from MongoDB's OpenAPI document; their Markdown list
        // style is upstream's to choose.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph)]

        // Generated modules are formatted by prettyplease when generated; rustfmt leaves
        // them as they are so `cargo fmt` never rewrites generated output.
        #[rustfmt::skip]
        pub mod apis;
        #[rustfmt::skip]
        pub mod models;
        pub mod runtime;

        pub use runtime::Nullable;
        pub use runtime::{ApiError, Client, ClientBuilder, Credentials, Error, ObjectId};
    }
}
