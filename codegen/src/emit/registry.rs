//! `src/registry.rs` (feature `registry`): every binding as data, for tools that work on
//! operations by name: `cargo xtask replay` decodes recorded responses with the binding's
//! typed model, and the end-to-end replay test calls bindings by operationId.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, ApiVersion, Operation, OperationVersion, ParamLocation, TypeKind, TypeRef};

use super::operations::is_positional;
use super::types::{ident, type_tokens};

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
        TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
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

fn feature_cfg(op: &Operation, version: &OperationVersion) -> TokenStream {
    let tag = &op.tag_module;
    match version.version {
        ApiVersion::Preview => quote!(#[cfg(all(feature = #tag, feature = "preview"))]),
        ApiVersion::Dated(_) => quote!(#[cfg(feature = #tag)]),
    }
}

fn call_fn_name(op: &Operation, version: &OperationVersion) -> proc_macro2::Ident {
    ident(&format!("call_{}_{}", op.tag_module, version.fn_name))
}

/// The function that builds a binding's request from named string parameters.
fn call_fn(api: &Api, op: &Operation, version: &OperationVersion) -> TokenStream {
    let cfg = feature_cfg(op, version);
    let name = call_fn_name(op, version);
    let module = ident(&op.tag_module);
    let constructor = ident(&version.fn_name);
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| is_positional(p))
        .map(|p| {
            let wire = &p.wire_name;
            match &p.ty {
                TypeRef::Vec(inner) => {
                    let inner = type_tokens(inner);
                    quote!(crate::runtime::registry::param_list::<#inner>(params, #wire)?)
                }
                ty => {
                    let ty = type_tokens(ty);
                    quote!(crate::runtime::registry::param::<#ty>(params, #wire)?)
                }
            }
        })
        .collect();
    let _ = api;
    let unused_params = if args.is_empty() {
        quote!(let _ = params;)
    } else {
        quote!()
    };
    let mut optional_body = quote!();
    if let Some(body) = &version.body {
        let ty = type_tokens(&body.ty);
        if body.required {
            args.push(quote!(crate::runtime::registry::body::<#ty>(body)?));
        } else {
            optional_body = quote! {
                if let Some(body) = body {
                    request = request.body(crate::runtime::registry::body::<#ty>(Some(body))?);
                }
            };
        }
    } else {
        optional_body = quote!(let _ = body;);
    }
    let binding = if optional_body.to_string().starts_with("if") {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    quote! {
        #cfg
        fn #name<'a>(client: &'a crate::runtime::Client, params: crate::runtime::registry::Params<'_>, body: Option<serde_json::Value>) -> Result<crate::runtime::registry::Call<'a>, crate::runtime::Error> {
            #unused_params
            #binding = crate::apis::#module::#constructor(#(#args),*);
            #optional_body
            Ok(crate::runtime::registry::call(client, request))
        }
    }
}

fn entry(api: &Api, op: &Operation, version: &OperationVersion) -> TokenStream {
    let cfg = feature_cfg(op, version);
    let module = ident(&op.tag_module);
    let type_name = ident(&version.type_name);
    let call = call_fn_name(op, version);
    let operation_id = &op.operation_id;
    let method = op.method.as_str();
    let path = &op.path;
    let version_label = version.version.label();
    let accept = &version.accept;
    let params = op.params.iter().filter(|p| is_positional(p)).map(|p| {
        let wire = &p.wire_name;
        let loc = location(p.location);
        let label = type_label(api, &p.ty);
        quote!(crate::runtime::registry::ParamInfo { name: #wire, location: #loc, kind: #label })
    });
    quote! {
        #cfg
        all.push(crate::runtime::registry::Binding {
            operation_id: #operation_id,
            method: #method,
            path: #path,
            version: #version_label,
            accept: #accept,
            required_params: &[#(#params),*],
            decode: crate::runtime::registry::decode::<crate::apis::#module::#type_name>,
            parse: crate::runtime::registry::parse::<crate::apis::#module::#type_name>,
            call: #call,
        });
    }
}

pub fn registry_file(api: &Api) -> TokenStream {
    let mut calls = Vec::new();
    let mut entries = Vec::new();
    for op in &api.operations {
        for version in &op.versions {
            calls.push(call_fn(api, op, version));
            entries.push(entry(api, op, version));
        }
    }
    quote! {
        //! Every (operation, version) binding of this crate as data (feature `registry`).
        #![allow(deprecated)]

        /// All bindings compiled in (those of the enabled API-area features).
        #[allow(unused_mut, clippy::vec_init_then_push)]
        pub fn bindings() -> Vec<crate::runtime::registry::Binding> {
            let mut all = Vec::new();
            #(#entries)*
            all
        }

        #(#calls)*
    }
}
