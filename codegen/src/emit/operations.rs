//! Operations: one file per API area under `src/apis/`. Each (operation, version) pair is
//! a request type with a constructor function; the plain name calls the newest dated
//! version.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{
    Api, ApiVersion, GovernmentCheck, Method, Operation, OperationVersion, PageParam, Pagination,
    Param, ParamLocation, PathPart, RequestBody, ResponseBody, Tag, TypeRef,
};

use super::attributes::deprecated_attr;
use super::docs::{doc_attrs, one_line};
use super::packaging::Home;
use super::types::{ident, type_tokens};
use super::waiters::waiter_tokens;

/// `apis/mod.rs`: one module per tag, behind the tag's feature.
pub fn apis_mod(cx: &super::Context<'_>, home: Home) -> TokenStream {
    let modules = cx
        .api
        .tags_with_operations()
        .filter(|tag| cx.packaging.home_of_area(&tag.module) == home)
        .map(|tag| {
            let module = ident(&tag.module);
            let attrs = area_attrs(tag);
            quote!(#attrs pub mod #module;)
        });
    let docs = apis_docs();
    quote! {
        #docs
        #![allow(deprecated)]
        #(#modules)*
    }
}

/// The `apis` module's docs, in every crate that has one.
pub fn apis_docs() -> TokenStream {
    quote!(
        //! Operations of the Atlas Administration API, one module per API area.
    )
}

/// An area module's docs and the feature it needs.
pub fn area_attrs(tag: &Tag) -> TokenStream {
    let feature = &tag.module;
    let doc = format!(" {} (feature `{feature}`).", one_line(&tag.name));
    quote! {
        #[doc = #doc]
        #[cfg(feature = #feature)]
    }
}

/// One `apis/<tag>.rs` file.
pub fn tag_file(api: &Api, tag: &Tag) -> TokenStream {
    let title = format!(" {} operations.", one_line(&tag.name));
    let description = tag
        .description
        .as_deref()
        .map(super::docs::sanitize)
        .unwrap_or_default();
    let description_lines = description.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let ops = api
        .operations
        .iter()
        .filter(|o| o.tag_module == tag.module)
        .map(|o| operation_tokens(api, o));
    quote! {
        #![doc = #title]
        #![doc = ""]
        #(#description_lines)*
        #![allow(deprecated)]
        #(#ops)*
    }
}

fn method_tokens(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(crate::runtime::Method::GET),
        Method::Put => quote!(crate::runtime::Method::PUT),
        Method::Post => quote!(crate::runtime::Method::POST),
        Method::Delete => quote!(crate::runtime::Method::DELETE),
        Method::Patch => quote!(crate::runtime::Method::PATCH),
    }
}

fn output_type(version: &OperationVersion) -> TokenStream {
    match &version.response {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => type_tokens(ty),
        ResponseBody::JsonOrEmpty(ty) => {
            let ty = type_tokens(ty);
            quote!(Option<#ty>)
        }
        ResponseBody::Bytes => quote!(Vec<u8>),
        ResponseBody::Text => quote!(String),
    }
}

fn operation_tokens(api: &Api, op: &Operation) -> TokenStream {
    let versions = op.versions.iter().map(|v| {
        let request = version_tokens(op, v);
        let wait = waiter_tokens(api, op, v);
        quote!(#request #wait)
    });
    let Some(default) = op.default() else {
        return quote!(#(#versions)*);
    };
    let plain = plain_tokens(op, default);
    quote! {
        #(#versions)*
        #plain
    }
}

fn preview_cfg(version: &OperationVersion) -> TokenStream {
    match version.version {
        ApiVersion::Preview => quote!(#[cfg(feature = "preview")]),
        ApiVersion::Dated(_) => quote!(),
    }
}

fn version_deprecation(op: &Operation, version: &OperationVersion) -> TokenStream {
    let note = match (&version.sunset, op.deprecated) {
        _ if version.removed.is_some() => version.removed.as_ref().map(|r| r.note()),
        (Some(date), _) => Some(format!(
            "Atlas sunsets API version {} of `{}` on {date}",
            version.version.label(),
            op.operation_id
        )),
        (None, true) => Some(format!(
            "`{}` is deprecated in the Atlas Admin API",
            op.operation_id
        )),
        (None, false) => None,
    };
    deprecated_attr(&note.map(|note| crate::ir::Deprecation { note }))
}

/// A dated version's docs. The operation's full description is written once, on the
/// plain name; a dated version has the summary, its media type and a link there (or
/// the full text when no plain name can be linked).
fn op_docs(op: &Operation, version: &OperationVersion) -> TokenStream {
    let link = plain_link(op, version);
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(op.summary.clone());
    if link.is_none() {
        paragraphs.extend(op.description.clone());
    }
    paragraphs.push(wire_line(op, version));
    paragraphs.extend(common_notes(op, version));
    let docs = doc_attrs(paragraphs.iter().map(String::as_str));
    // Generated text, not upstream Markdown: the link is kept (`doc_attrs` would escape it).
    match link {
        Some(link) => quote!(#docs #[doc = ""] #[doc = #link]),
        None => docs,
    }
}

/// `GET /api/atlas/v2/groups` with API version `2023-01-01` (`application/vnd...`).
fn wire_line(op: &Operation, version: &OperationVersion) -> String {
    format!(
        "`{} {}` with API version `{}` (`{}`).",
        op.method.as_str(),
        op.path,
        version.version.label(),
        version.accept
    )
}

/// The preview warning and the link to MongoDB's page for the operation.
fn common_notes(op: &Operation, version: &OperationVersion) -> Vec<String> {
    let mut notes = Vec::new();
    if version.version == ApiVersion::Preview {
        notes.push(
            "Preview version: requires the `preview` feature and may change without notice.".into(),
        );
    }
    notes.extend(government_note(op));
    if let Some(url) = &op.docs_url {
        notes.push(format!(
            "[MongoDB documentation]({url}) for `{}`.",
            op.operation_id
        ));
    }
    notes
}

/// The sentence linking a dated version to the plain name, when the plain name exists
/// wherever the version does (a stable plain name, or a preview version).
fn plain_link(op: &Operation, version: &OperationVersion) -> Option<String> {
    let default = op.default()?;
    let visible = default.version != ApiVersion::Preview || version.version == ApiVersion::Preview;
    visible.then(|| format!(" The full description is on [`{}()`].", op.fn_name))
}

fn field_type(p: &Param) -> TokenStream {
    let ty = type_tokens(&p.ty);
    if p.is_positional() {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// The request type's fields, the constructor's arguments and initializers, and the
/// setters of optional parameters and bodies.
#[derive(Default)]
struct Builder {
    fields: Vec<TokenStream>,
    args: Vec<TokenStream>,
    inits: Vec<TokenStream>,
    setters: Vec<TokenStream>,
}

impl Builder {
    fn of(op: &Operation, version: &OperationVersion) -> Self {
        let mut b = Builder::default();
        for p in &op.params {
            b.param(p);
        }
        if let Some(body) = &version.body {
            b.body(body);
        }
        b
    }

    /// A parameter: positional when the constructor takes it, else a setter.
    fn param(&mut self, p: &Param) {
        let name = ident(&p.name);
        let ty = field_type(p);
        let pdoc = doc_attrs(p.docs.description.iter().map(String::as_str));
        // The field is private: its docs would never render (the setter has them), and
        // rustc would still parse and store them for every version.
        self.fields.push(quote!(#name: #ty,));
        let inner = type_tokens(&p.ty);
        if p.is_positional() {
            self.args.push(quote!(#name: impl Into<#inner>));
            self.inits.push(quote!(#name: #name.into(),));
            return;
        }
        self.inits.push(quote!(#name: None,));
        let set_doc = format!(
            " Set the `{}` {} parameter.",
            one_line(&p.wire_name),
            location_label(p.location)
        );
        let gap = if pdoc.is_empty() {
            quote!()
        } else {
            quote!(#[doc = ""])
        };
        self.setters.push(quote! {
            #[doc = #set_doc]
            #gap
            #pdoc
            pub fn #name(mut self, value: impl Into<#inner>) -> Self {
                self.#name = Some(value.into());
                self
            }
        });
    }

    /// The request body: a constructor argument when required, else a setter.
    fn body(&mut self, body: &RequestBody) {
        let ty = type_tokens(&body.ty);
        if body.required {
            self.fields.push(quote!(/// Request body.
                body: #ty,));
            self.args.push(quote!(body: impl Into<#ty>));
            self.inits.push(quote!(body: body.into(),));
            return;
        }
        self.fields.push(quote!(/// Request body.
            body: Option<#ty>,));
        self.inits.push(quote!(body: None,));
        self.setters.push(quote! {
            /// Set the request body.
            pub fn body(mut self, value: impl Into<#ty>) -> Self {
                self.body = Some(value.into());
                self
            }
        });
    }
}

/// The body of `to_request`: path segments bound, the request made, parameters and body
/// added.
fn to_request_tokens(op: &Operation, version: &OperationVersion) -> TokenStream {
    let (path_bindings, path_expr) = path_expression(op);
    let mut steps = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let wire = &p.wire_name;
        match p.location {
            ParamLocation::Query => steps.push(quote!(request.query(#wire, &self.#name)?;)),
            ParamLocation::Header => steps.push(quote!(request.header(#wire, &self.#name)?;)),
            ParamLocation::Path => {}
        }
    }
    if let Some(body) = &version.body {
        if body.checks_required {
            steps.push(quote! {
                crate::runtime::write::check_body(&self.body, Self::METHOD.as_str(), Self::PATH_TEMPLATE)?;
            });
        }
        steps.push(quote!(request.json_body(Self::CONTENT_TYPE, &self.body)?;));
    }
    let binding = if steps.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    quote! {
        #(#path_bindings)*
        #binding = crate::runtime::HttpRequest::new(Self::METHOD, #path_expr, Self::ACCEPT);
        #(#steps)*
        Ok(request)
    }
}

/// The `Decoder` of a version's response.
fn decoder_tokens(version: &OperationVersion, output: &TokenStream) -> TokenStream {
    match &version.response {
        ResponseBody::Empty => quote!(crate::runtime::decode::Empty),
        ResponseBody::Json(_) => quote!(crate::runtime::decode::Json<#output>),
        ResponseBody::JsonOrEmpty(ty) => {
            let ty = type_tokens(ty);
            quote!(crate::runtime::decode::JsonOrEmpty<#ty>)
        }
        ResponseBody::Bytes => quote!(crate::runtime::decode::Bytes),
        ResponseBody::Text => quote!(crate::runtime::decode::Text),
    }
}

/// One (operation, version): the request type, its `Operation` impl, the body's media
/// type, pagination, and the dated constructor.
fn version_tokens(op: &Operation, version: &OperationVersion) -> TokenStream {
    let cfg = preview_cfg(version);
    let deprecated = version_deprecation(op, version);
    let docs = op_docs(op, version);
    let type_name = ident(&version.type_name);
    let output = output_type(version);
    let operation_id = &op.operation_id;
    let path_template = &op.path;
    let accept = &version.accept;
    let method = method_tokens(op.method);
    let Builder {
        fields,
        args,
        inits,
        setters,
    } = Builder::of(op, version);
    let body_const = version.body.as_ref().map(|b| body_media_tokens(version, b));
    // A version the document dropped is kept for the API, never sent (`crate::carry`).
    let (to_request, unread) = match &version.removed {
        Some(removed) => {
            let document = &removed.document;
            (
                quote!(Err(crate::runtime::Error::Removed { operation: Self::OPERATION_ID, document: #document })),
                quote!(#[allow(dead_code)]),
            )
        }
        None => (to_request_tokens(op, version), quote!()),
    };
    let decoder = decoder_tokens(version, &output);
    let paginated = version
        .pagination
        .as_ref()
        .map(|page| paginated_tokens(version, page));
    let send = send_tokens(version, &output);
    let constructor = constructor_tokens(op, version, &args, &inits);
    let download = download_tokens(version);
    let government = government_limits(op);

    quote! {
        #docs
        #cfg
        #deprecated
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        #unread
        pub struct #type_name {
            #(#fields)*
        }

        #cfg
        impl #type_name {
            #(#setters)*

            #send

            #download
        }

        #cfg
        impl crate::runtime::Operation for #type_name {
            type Output = #output;
            type Decoder = #decoder;
            const OPERATION_ID: &'static str = #operation_id;
            const METHOD: crate::runtime::Method = #method;
            const PATH_TEMPLATE: &'static str = #path_template;
            const ACCEPT: &'static str = #accept;
            #government

            #[inline]
            fn to_request(&self) -> Result<crate::runtime::HttpRequest, crate::runtime::Error> {
                #to_request
            }

        }

        #body_const

        #paginated

        #constructor
    }
}

/// `send` and `send_with_metadata`: decoding into `output`, or, where the release
/// returned `()` and upstream gave the response a body since, still `()`, deprecated.
fn send_tokens(version: &OperationVersion, output: &TokenStream) -> TokenStream {
    let Some(kept) = &version.kept_response else {
        return quote! {
            /// Send the request and decode the response.
            ///
            /// Generic over how the client is held (`&Client`, `&Arc<Client>`), which also
            /// means a crate compiles the decoding of only the calls it makes. A plain `fn`
            /// returning the client's future, not an `async fn`: no state machine of its
            /// own per operation, and `Send` is proven where it is awaited.
            pub fn send<'a, C: AsRef<crate::runtime::Client> + ?Sized>(&'a self, client: &'a C) -> impl std::future::Future<Output = Result<#output, crate::runtime::Error>> + 'a {
                client.as_ref().execute(self)
            }

            /// [`Self::send`], returning the response's status, headers (rate limits,
            /// `Deprecation`, `Sunset`) and retry count with the value.
            pub fn send_with_metadata<'a, C: AsRef<crate::runtime::Client> + ?Sized>(&'a self, client: &'a C) -> impl std::future::Future<Output = Result<crate::runtime::ResponseValue<#output>, crate::runtime::Error>> + 'a {
                client.as_ref().execute_with_metadata(self)
            }
        };
    };
    let note = kept.response_note();
    quote! {
        /// Send the request; the body of the response is not read.
        ///
        /// The released crate returned `()` here, and still does so that code built on it
        /// compiles. [`Client::execute`](crate::runtime::Client::execute) sends this
        /// request and decodes the body.
        #[deprecated(note = #note)]
        pub fn send<'a, C: AsRef<crate::runtime::Client> + ?Sized>(&'a self, client: &'a C) -> impl std::future::Future<Output = Result<(), crate::runtime::Error>> + 'a {
            client.as_ref().execute_ignoring_body(self)
        }

        /// [`Self::send`], returning the response's status, headers (rate limits,
        /// `Deprecation`, `Sunset`) and retry count.
        #[deprecated(note = #note)]
        pub fn send_with_metadata<'a, C: AsRef<crate::runtime::Client> + ?Sized>(&'a self, client: &'a C) -> impl std::future::Future<Output = Result<crate::runtime::ResponseValue<()>, crate::runtime::Error>> + 'a {
            client.as_ref().execute_ignoring_body_with_metadata(self)
        }
    }
}

/// `GOVERNMENT_LIMITS`, when Atlas for Government rules out some calls of `op`.
fn government_limits(op: &Operation) -> TokenStream {
    let limits: Vec<TokenStream> = op
        .government
        .iter()
        .filter_map(|g| {
            let limit = &g.limit;
            match &g.check {
                GovernmentCheck::Unavailable => Some(
                    quote!(crate::runtime::GovernmentLimit::Unavailable { limit: #limit }),
                ),
                GovernmentCheck::Values { fields, refused } => Some(quote! {
                    crate::runtime::GovernmentLimit::Values { limit: #limit, fields: &[#(#fields),*], refused: &[#(#refused),*] }
                }),
                GovernmentCheck::Documented => None,
            }
        })
        .collect();
    if limits.is_empty() {
        return TokenStream::new();
    }
    quote!(const GOVERNMENT_LIMITS: &'static [crate::runtime::GovernmentLimit] = &[#(#limits),*];)
}

/// The rustdoc paragraph of `op`'s Atlas for Government limits.
fn government_note(op: &Operation) -> Option<String> {
    let code = |items: &[String]| {
        let items: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
        items.join(", ")
    };
    let lines: Vec<String> = op
        .government
        .iter()
        .map(|g| match &g.check {
            GovernmentCheck::Unavailable => {
                format!(
                    "{} (a government client refuses every call before sending)",
                    g.limit
                )
            }
            GovernmentCheck::Values { fields, refused } => format!(
                "{} (a government client refuses {} set to {} before sending)",
                g.limit,
                code(fields),
                code(refused)
            ),
            GovernmentCheck::Documented => g.limit.clone(),
        })
        .collect();
    (!lines.is_empty()).then(|| {
        format!(
            "Not available in Atlas for Government: {}.",
            lines.join("; ")
        )
    })
}

/// A download's streaming calls (`+gzip`, `+csv` bodies), beside `send`'s `Vec<u8>`.
fn download_tokens(version: &OperationVersion) -> TokenStream {
    if !matches!(version.response, ResponseBody::Bytes) {
        return TokenStream::new();
    }
    quote! {
        /// Send the request and return the body as it arrives: any size in constant
        /// memory, each read bounded by `ClientBuilder::read_timeout`. See
        /// [`crate::runtime::Client::execute_stream`].
        pub fn send_stream<'a, C: AsRef<crate::runtime::Client> + ?Sized>(&'a self, client: &'a C) -> impl std::future::Future<Output = Result<crate::runtime::ResponseValue<crate::runtime::ByteStream>, crate::runtime::Error>> + 'a {
            client.as_ref().execute_stream(self)
        }

        /// Stream the body into the file at `path` (completed, or not created); returns
        /// the bytes written. See [`crate::runtime::ByteStream::download_to`].
        pub async fn download_to<C: AsRef<crate::runtime::Client> + ?Sized>(&self, client: &C, path: impl AsRef<std::path::Path>) -> Result<u64, crate::runtime::Error> {
            client.as_ref().execute_stream(self).await?.into_inner().download_to(path).await
        }
    }
}

/// The request body's media type, as a constant on the request type.
fn body_media_tokens(version: &OperationVersion, body: &RequestBody) -> TokenStream {
    let cfg = preview_cfg(version);
    let type_name = ident(&version.type_name);
    let ct = &body.content_type;
    quote! {
        #cfg
        impl #type_name {
            /// The versioned media type of the request body.
            pub const CONTENT_TYPE: &'static str = #ct;
        }
    }
}

/// The dated constructor function: positional arguments in, request out.
fn constructor_tokens(
    op: &Operation,
    version: &OperationVersion,
    args: &[TokenStream],
    inits: &[TokenStream],
) -> TokenStream {
    let cfg = preview_cfg(version);
    let deprecated = version_deprecation(op, version);
    // The request type's docs say the rest; the constructor links to the full text.
    let docs = match plain_link(op, version) {
        Some(link) => quote!(#[doc = #link]),
        None => op_docs(op, version),
    };
    let type_name = ident(&version.type_name);
    let fn_name = ident(&version.fn_name);
    let alias_attrs = op
        .aliases
        .iter()
        .filter(|a| is_doc_alias(a))
        .map(|a| quote!(#[doc(alias = #a)]));
    let many_args = if args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let fn_doc = format!(
        " Build a [`{}`] request: `{}` at API version `{}`.",
        version.type_name,
        one_line(&op.operation_id),
        version.version.label()
    );
    quote! {
        #[doc = #fn_doc]
        #[doc = ""]
        #docs
        #(#alias_attrs)*
        #cfg
        #deprecated
        #many_args
        pub fn #fn_name(#(#args),*) -> #type_name {
            #type_name {
                #(#inits)*
            }
        }
    }
}

fn location_label(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// Statements binding each percent-encoded path parameter, and the expression of the
/// path that uses them (`format!` with inline arguments, so prettyplease keeps it tidy).
fn path_expression(op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    let mut template = String::new();
    let mut bindings = Vec::new();
    for part in &op.template.parts {
        match part {
            PathPart::Literal(text) => template.push_str(text),
            PathPart::Param(wire) => {
                // Normalize checked that every template parameter is a path parameter.
                let Some(p) = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.wire_name == wire)
                else {
                    continue;
                };
                let name = ident(&p.name);
                template.push_str(&format!("{{{}}}", p.name));
                bindings
                    .push(quote!(let #name = crate::runtime::path_segment(#wire, &self.#name)?;));
            }
        }
    }
    let expr = if bindings.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template))
    };
    (bindings, expr)
}

/// `expr` (of integer type `ty`) as an `i64`.
fn widened(ty: &TypeRef, expr: TokenStream) -> TokenStream {
    match ty {
        TypeRef::I32 => quote!(i64::from(#expr)),
        _ => expr,
    }
}

/// The `Paginated` impl of a list request: every field and parameter comes from the IR.
fn paginated_tokens(version: &OperationVersion, page: &Pagination) -> TokenStream {
    // Page numbers and sizes are `i64` everywhere in the crate, like the spec's plain
    // `integer`. A narrower `int32` parameter saturates: `max_pages` or the repeated-page
    // check ends a walk long before page 2^31.
    let set = |p: &PageParam, value: TokenStream| {
        let name = ident(&p.name);
        match p.ty {
            TypeRef::I32 => {
                quote!(next.#name = Some(i32::try_from(#value).unwrap_or(i32::MAX));)
            }
            _ => quote!(next.#name = Some(#value);),
        }
    };
    let set_page = set(&page.page_num, quote!(page_num));
    let set_per_page = set(&page.items_per_page, quote!(items_per_page));
    let page_name = ident(&page.page_num.name);
    let page_number = match page.page_num.ty {
        TypeRef::I32 => quote!(self.#page_name.map(i64::from)),
        _ => quote!(self.#page_name),
    };
    let results_name = ident(&page.results.name);
    let total_name = ident(&page.total.name);
    let items = if page.results.optional {
        quote!(page.#results_name.unwrap_or_default())
    } else {
        quote!(page.#results_name)
    };
    let total_expr = match (page.total.optional, &page.total.ty) {
        (true, TypeRef::I32) => quote!(page.#total_name.map(i64::from)),
        (true, _) => quote!(page.#total_name),
        (false, ty) => {
            let v = widened(ty, quote!(page.#total_name));
            quote!(Some(#v))
        }
    };
    let item = type_tokens(&page.item);
    let type_name = ident(&version.type_name);
    let cfg = preview_cfg(version);
    quote! {
        #cfg
        impl crate::runtime::Paginated for #type_name {
            type Item = #item;

            #[inline]
            fn with_page(&self, page_num: i64, items_per_page: i64) -> Self {
                let mut next = self.clone();
                #set_page
                #set_per_page
                next
            }

            #[inline]
            fn page_number(&self) -> Option<i64> {
                #page_number
            }

            #[inline]
            fn into_items(page: Self::Output) -> (Vec<Self::Item>, Option<i64>) {
                (#items, #total_expr)
            }
        }

        #cfg
        impl #type_name {
            /// Every item of every page, from this request's page (or the first), as a
            /// `Stream`: `items_per_page` at a time (clamped to 1..=500), until
            /// `totalCount` items were seen. See [`crate::runtime::Client::paginate`].
            pub fn paginate<C: AsRef<crate::runtime::Client> + ?Sized>(
                &self,
                client: &C,
                items_per_page: i64,
            ) -> impl futures_core::Stream<Item = Result<#item, crate::runtime::Error>> + Send + Unpin + 'static {
                client.as_ref().paginate(self.clone(), items_per_page)
            }
        }
    }
}

/// The plain name and type alias for the default version.
fn plain_tokens(op: &Operation, default: &OperationVersion) -> TokenStream {
    let cfg = preview_cfg(default);
    let plain_fn = ident(&op.fn_name);
    let plain_type = ident(&op.type_name);
    let dated_fn = ident(&default.fn_name);
    let dated_type = ident(&default.type_name);
    let positional: Vec<&Param> = op.params.iter().filter(|p| p.is_positional()).collect();
    let mut args: Vec<TokenStream> = positional
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            let inner = type_tokens(&p.ty);
            quote!(#name: impl Into<#inner>)
        })
        .collect();
    let mut call: Vec<TokenStream> = positional
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            quote!(#name)
        })
        .collect();
    if let Some(body) = default.body.as_ref().filter(|b| b.required) {
        let ty = type_tokens(&body.ty);
        args.push(quote!(body: impl Into<#ty>));
        call.push(quote!(body));
    }
    let operation_id = &op.operation_id;
    let mut aliases: Vec<&String> = std::iter::once(operation_id)
        .chain(&op.aliases)
        .filter(|a| **a != op.fn_name && is_doc_alias(a))
        .collect();
    aliases.sort();
    aliases.dedup();
    let alias_attrs = aliases.into_iter().map(|a| quote!(#[doc(alias = #a)]));
    let many_args = if args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let type_doc = format!(
        " `{}` at its newest stable API version, `{}`.",
        one_line(&op.operation_id),
        default.version.label()
    );
    // The one place with the operation's full description.
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(op.summary.clone());
    paragraphs.extend(op.description.clone());
    paragraphs.push(wire_line(op, default));
    paragraphs.extend(common_notes(op, default));
    let fn_docs = doc_attrs(paragraphs.iter().map(String::as_str));
    // Generated text, not upstream Markdown: the link is kept (`doc_attrs` would escape it).
    let calls = format!(
        " Calls [`{}`]; the operation's other API versions have dated names.",
        default.fn_name
    );
    let deprecated = if op.deprecated || default.removed.is_some() {
        version_deprecation(op, default)
    } else {
        quote!()
    };
    quote! {
        #[doc = #type_doc]
        #cfg
        pub type #plain_type = #dated_type;

        #fn_docs
        #[doc = ""]
        #[doc = #calls]
        #(#alias_attrs)*
        #cfg
        #deprecated
        #many_args
        pub fn #plain_fn(#(#args),*) -> #plain_type {
            #dated_fn(#(#call),*)
        }
    }
}

/// Whether rustdoc accepts `alias` in `#[doc(alias = ..)]`: no quotes, tabs or line
/// breaks, no space at either end (an operationId is the spec's text, and a hostile one
/// holds anything).
fn is_doc_alias(alias: &str) -> bool {
    !alias.is_empty()
        && alias.trim() == alias
        && !alias
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '\'')
}

#[cfg(test)]
mod tests {
    use super::is_doc_alias;

    #[test]
    fn only_aliases_rustdoc_accepts_are_emitted() {
        assert!(is_doc_alias("listGroupClusters"));
        assert!(is_doc_alias("get group"));
        for bad in [
            "",
            " lead",
            "trail ",
            "a\nb",
            "tab\there",
            "q\"uote",
            "it's",
        ] {
            assert!(!is_doc_alias(bad), "{bad:?}");
        }
    }
}
