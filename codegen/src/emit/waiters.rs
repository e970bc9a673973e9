//! `wait` on the request types of long-running writes (see `normalize::waiters`): build
//! the polled read from the write's inputs and response, then poll it through
//! `runtime::wait` until it reports done.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, ApiVersion, Operation, OperationVersion, TypeRef, WaitDone, WaitSource};

use super::types::{ident, type_tokens};

pub(super) fn waiter_tokens(api: &Api, op: &Operation, version: &OperationVersion) -> TokenStream {
    let Some(waiter) = &op.waiter else {
        return quote!();
    };
    let Some(poll_op) = api.operations.get(waiter.poll) else {
        return quote!();
    };
    let Some(poll_version) = poll_op.versions.get(waiter.poll_version) else {
        return quote!();
    };
    let type_name = ident(&version.type_name);
    let module = ident(&poll_op.tag_module);
    let poll_fn = ident(&poll_version.fn_name);
    let poll_type = ident(&poll_version.type_name);
    let args = waiter.args.iter().map(|a| {
        let name = &a.wire_name;
        let text = match &a.from {
            WaitSource::Input(field) => {
                let field = ident(field);
                quote!(crate::runtime::wait::text(#name, &self.#field)?)
            }
            WaitSource::Body(pointer) => {
                quote!(crate::runtime::wait::from_body(#name, sent, #pointer)?)
            }
            WaitSource::SentOrBody { field, pointer } => {
                let field = ident(field);
                quote!(crate::runtime::wait::given_or_from_body(#name, self.body.#field.as_deref(), sent, #pointer)?)
            }
        };
        match &a.ty {
            TypeRef::ObjectId => quote!(crate::runtime::wait::object_id(#name, #text)?),
            TypeRef::Named(_) => {
                let ty = type_tokens(&a.ty);
                quote!(#ty::from(#text.as_str()))
            }
            _ => text,
        }
    });
    let reads_sent = waiter
        .args
        .iter()
        .any(|a| !matches!(a.from, WaitSource::Input(_)));
    let sent = (waiter.reads_response || reads_sent)
        .then(|| quote!(sent: &<Self as crate::runtime::Operation>::Output,));
    // The request gives every value the watcher reads from the response: `sent` stays in
    // the signature (it does not depend on that), unused.
    let unused_sent = (sent.is_some() && !reads_sent).then(|| quote!(let _ = sent;));
    let polled = format!(
        "`{}` (API version {})",
        poll_op.operation_id,
        poll_version.version.label()
    );
    let (output, until, done) = match &waiter.done {
        WaitDone::State {
            pointer,
            success,
            failure,
        } => (
            quote!(<crate::apis::#module::#poll_type as crate::runtime::Operation>::Output),
            quote!(crate::runtime::wait::until_state(client.as_ref(), &poll, <Self as crate::runtime::Operation>::OPERATION_ID, #pointer, &[#(#success),*], &[#(#failure),*], config).await),
            state_doc(pointer, success, failure),
        ),
        WaitDone::Status(status) => (
            quote!(()),
            quote!(crate::runtime::wait::until_status(client.as_ref(), &poll, <Self as crate::runtime::Operation>::OPERATION_ID, #status, config).await),
            format!("answers HTTP {status}"),
        ),
    };
    let doc = format!(
        " Wait until {polled} {done}, polling with backoff within `config`'s timeout (each poll is a tracing event).{}",
        if sent.is_some() { sources_doc(waiter) } else { String::new() }
    );
    let cfg = cfg_tokens(op, version, poll_op, poll_version);
    quote! {
        #cfg
        impl #type_name {
            #[doc = #doc]
            pub async fn wait<C: AsRef<crate::runtime::Client> + ?Sized>(
                &self,
                client: &C,
                #sent
                config: &crate::runtime::WaitConfig,
            ) -> Result<#output, crate::runtime::Error> {
                #unused_sent
                let poll = crate::apis::#module::#poll_fn(#(#args),*);
                #until
            }
        }
    }
}

/// Where a waiter that takes `sent` reads each polled parameter.
fn sources_doc(waiter: &crate::ir::Waiter) -> String {
    let each: Vec<String> = waiter
        .args
        .iter()
        .map(|a| match &a.from {
            WaitSource::Input(field) => format!("`{}` from this request's `{field}`", a.wire_name),
            WaitSource::Body(pointer) => format!("`{}` from `sent` at `{pointer}`", a.wire_name),
            WaitSource::SentOrBody { field, pointer } => format!(
                "`{}` from this request's body (`{field}`) when set, else from `sent` at `{pointer}`",
                a.wire_name
            ),
        })
        .collect();
    format!(
        " `sent` is what `send` returned. The poll takes {}.",
        each.join("; ")
    )
}

fn state_doc(pointer: &str, success: &[String], failure: &[String]) -> String {
    let quoted = |values: &[String]| {
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let field = pointer.trim_start_matches('/').replace('/', ".");
    let mut doc = format!("reports `{field}` {} (returned)", quoted(success));
    if !failure.is_empty() {
        doc.push_str(&format!(" or {} (an error)", quoted(failure)));
    }
    doc
}

/// The write's own version needs `preview` when it is one; the poll needs its area.
fn cfg_tokens(
    op: &Operation,
    version: &OperationVersion,
    poll_op: &Operation,
    poll_version: &OperationVersion,
) -> TokenStream {
    let mut terms = Vec::new();
    if poll_op.tag_module != op.tag_module {
        let tag = &poll_op.tag_module;
        terms.push(quote!(feature = #tag));
    }
    if version.version == ApiVersion::Preview || poll_version.version == ApiVersion::Preview {
        terms.push(quote!(feature = "preview"));
    }
    match terms.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(#one)]),
        _ => quote!(#[cfg(all(#(#terms),*))]),
    }
}
