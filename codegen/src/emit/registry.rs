//! `tests/generated/registry.rs`: every binding as data, for tools that work on operations by
//! name: `cargo xtask replay` decodes recorded responses with the binding's typed model,
//! and the end-to-end replay test calls bindings by operationId.
//!
//! It is emitted into the tests package, not the published crate: the table instantiates
//! every decoder as a function pointer, which would double the crate's build for clients
//! that never use it. The tests package enables every API area and `preview`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Operation, OperationVersion, ParamLocation, TypeKind, TypeRef};

use super::types::{ident, type_tokens_in};

/// Types in the registry are the published crate's.
fn type_tokens(ty: &TypeRef) -> TokenStream {
    type_tokens_in(ty, &quote!(atlas_admin))
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// A label for a parameter type that tools can produce a value for.
fn type_label(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 | TypeRef::I64 => "integer".into(),
        TypeRef::F64 => "number".into(),
        TypeRef::DateTime => "date-time".into(),
        TypeRef::Date => "date".into(),
        TypeRef::ObjectId => "object-id".into(),
        TypeRef::Json => "json".into(),
        TypeRef::Vec(inner) => format!("list:{}", type_label(api, inner)),
        TypeRef::Map(_) => "map".into(),
        TypeRef::Write(_) => "json".into(),
        TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Enum(e)) if e.integer => "integer".into(),
            Some(TypeKind::Enum(e)) => format!(
                "enum:{}",
                e.variants
                    .iter()
                    .map(|v| v.wire.as_str())
                    .collect::<Vec<_>>()
                    .join("|")
            ),
            _ => "json".into(),
        },
    }
}

fn call_fn_name(op: &Operation, version: &OperationVersion) -> proc_macro2::Ident {
    ident(&format!("call_{}_{}", op.tag_module, version.fn_name))
}

/// The function that builds a binding's request from named string parameters.
fn call_fn(op: &Operation, version: &OperationVersion) -> TokenStream {
    let name = call_fn_name(op, version);
    let module = ident(&op.tag_module);
    let constructor = ident(&version.fn_name);
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.is_positional())
        .map(|p| {
            let wire = &p.wire_name;
            match &p.ty {
                TypeRef::Vec(inner) => {
                    let inner = type_tokens(inner);
                    quote!(crate::binding::param_list::<#inner>(params, #wire)?)
                }
                ty => {
                    let ty = type_tokens(ty);
                    quote!(crate::binding::param::<#ty>(params, #wire)?)
                }
            }
        })
        .collect();
    let unused_params = if args.is_empty() {
        quote!(let _ = params;)
    } else {
        quote!()
    };
    // A required body is a constructor argument, an optional one a setter on the request.
    let (binding, optional_body) = match &version.body {
        Some(body) if body.required => {
            let ty = type_tokens(&body.ty);
            args.push(quote!(crate::binding::body::<#ty>(body)?));
            (quote!(let request), quote!())
        }
        Some(body) => {
            let ty = type_tokens(&body.ty);
            let set = quote! {
                if let Some(body) = body {
                    request = request.body(crate::binding::body::<#ty>(Some(body))?);
                }
            };
            (quote!(let mut request), set)
        }
        None => (quote!(let request), quote!(let _ = body;)),
    };
    quote! {
        fn #name<'a>(client: &'a atlas_admin::Client, params: crate::binding::Params<'_>, body: Option<serde_json::Value>) -> Result<crate::binding::Call<'a>, atlas_admin::Error> {
            #unused_params
            #binding = atlas_admin::apis::#module::#constructor(#(#args),*);
            #optional_body
            Ok(crate::binding::call(client, request))
        }
    }
}

/// One binding: the operation type supplies its id, method, path and media type
/// (`Binding::of`); the entry adds what only the spec knows.
fn entry(api: &Api, op: &Operation, version: &OperationVersion) -> TokenStream {
    let module = ident(&op.tag_module);
    let type_name = ident(&version.type_name);
    let call = call_fn_name(op, version);
    let version_label = version.version.label();
    let params = op.params.iter().filter(|p| p.is_positional()).map(|p| {
        let wire = &p.wire_name;
        let loc = location(p.location);
        let label = type_label(api, &p.ty);
        quote!(crate::binding::ParamInfo::new(#wire, #loc, #label))
    });
    quote! {
        all.push(crate::binding::Binding::of::<atlas_admin::apis::#module::#type_name>(
            #version_label,
            const { &[#(#params),*] },
            #call,
        ));
    }
}

pub fn registry_file(api: &Api) -> TokenStream {
    let mut calls = Vec::new();
    let mut entries = Vec::new();
    for op in &api.operations {
        // A removed version (`crate::carry`) is never sent: nothing to replay or bench.
        for version in op.versions.iter().filter(|v| v.removed.is_none()) {
            calls.push(call_fn(op, version));
            entries.push(entry(api, op, version));
        }
    }
    quote! {
        //! Every (operation, version) binding of `atlas-admin` as data, for tools that work
        //! on operations by name (replay, decode benchmarks, end-to-end tests).
        #![allow(deprecated)]

        /// Every binding of the crate (the tests package enables all areas and `preview`).
        #[allow(clippy::vec_init_then_push)]
        pub fn bindings() -> Vec<crate::binding::Binding> {
            let mut all = Vec::new();
            #(#entries)*
            all
        }

        #(#calls)*
    }
}
