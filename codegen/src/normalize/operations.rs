//! Operations: the walk over paths and methods, parameters, request bodies, responses,
//! one binding per versioned media type (`media.rs` parses them; `pagination.rs` and
//! `tags.rs` hold the rules of their own).

use std::collections::{BTreeMap, HashMap};

use openapiv3::{
    MediaType, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, ReferenceOr,
    Response, StatusCode,
};

use crate::diag::child;
use crate::ir::{
    ApiVersion, Docs, Method, Operation, OperationVersion, Param, ParamLocation, PathTemplate,
    RequestBody, ResponseBody, Tag, TypeRef,
};

use super::media::{parse_media, sunset_of};
use super::naming::{self, snake_ident, type_name, Namer};
use super::path_template;
use super::view::SchemaRef;
use super::Normalizer;

/// Query parameters that change the response shape (`envelope`) or only its whitespace
/// (`pretty`): typed decoding relies on the plain shape, so they are not exposed.
const HIDDEN_PARAMS: &[&str] = &["envelope", "pretty"];

/// Names the request builders use for their own methods.
const BUILDER_METHODS: &[&str] = &["send", "body", "to_request", "decode", "new"];

/// One callable binding of a version: its response, the exact `Accept`, the sunset
/// date, and the format suffix when it is an alternate format (`csv` beside `json`).
struct Binding {
    alternate_format: Option<String>,
    response: ResponseBody,
    accept: String,
    sunset: Option<String>,
}

/// A media type the spec documents, with its object and pointer.
struct Media<'a> {
    media: String,
    object: &'a MediaType,
    pointer: String,
}

/// A documented 2xx response in one media type.
struct Success<'a> {
    code: u16,
    media: Media<'a>,
}

/// What one version of an operation declares, before translation.
#[derive(Default)]
struct VersionParts<'a> {
    success: Vec<Success<'a>>,
    body: Option<Media<'a>>,
}

/// What every version of an operation shares: responses documented without a body
/// (they apply to all versions), and whether the request body is required.
struct Shared {
    empty_codes: Vec<u16>,
    has_body: bool,
    body_required: bool,
}

/// How an operation's versions are named: from its names, unique in its module.
pub(crate) struct VersionNaming<'n> {
    pub op_type: &'n str,
    pub fn_name: &'n str,
    pub fns: &'n mut Namer,
    pub types: &'n mut Namer,
}

/// One operation as the spec states it, with where it sits.
struct SpecOp<'a> {
    path: &'a String,
    item: &'a openapiv3::PathItem,
    op: &'a SpecOperation,
    method_name: &'a str,
}

/// Names already given: function and request-type names per API module (one Rust
/// module each), and every operationId with the pointer that first used it.
#[derive(Default)]
struct OperationNames {
    fns: HashMap<String, Namer>,
    types: HashMap<String, Namer>,
    ids: HashMap<String, String>,
}

impl OperationNames {
    fn for_tag(&mut self, module: &str) -> (&mut Namer, &mut Namer) {
        let fns = self
            .fns
            .entry(module.to_owned())
            .or_insert_with(|| Namer::with_reserved(&["super", "crate"]));
        let types = self.types.entry(module.to_owned()).or_default();
        (fns, types)
    }
}

/// The version the plain name calls: the newest dated version in the primary format,
/// else the first.
fn default_version(versions: &[OperationVersion]) -> usize {
    versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.alternate_format.is_none() && matches!(v.version, ApiVersion::Dated(_)))
        .max_by(|a, b| a.1.version.cmp(&b.1.version))
        .map(|(i, _)| i)
        .unwrap_or_default()
}

/// Other names MongoDB's docs and SDKs use for the operation.
fn aliases(op: &SpecOperation) -> Vec<String> {
    extension_str(op, "x-xgen-operation-id-override")
        .map(|alias| {
            let snake = snake_ident(&alias);
            let mut list = vec![alias, snake];
            list.dedup();
            list
        })
        .unwrap_or_default()
}

fn extension_str(op: &SpecOperation, key: &str) -> Option<String> {
    op.extensions
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

impl<'a> Normalizer<'a> {
    pub(crate) fn operations(&mut self, tags: &[Tag]) -> Vec<Operation> {
        let mut names = OperationNames::default();
        let mut ops = Vec::new();
        for (path, item) in &self.spec.paths.paths {
            let path_pointer = child("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.error(
                        &path_pointer,
                        format!("path item $ref `{reference}` is not supported"),
                    );
                    continue;
                }
            };
            for (method_name, op) in item.iter() {
                let pointer = child(&path_pointer, method_name);
                let spec_op = SpecOp {
                    path,
                    item,
                    op,
                    method_name,
                };
                if let Some(op) = self.operation(&spec_op, tags, &mut names, pointer) {
                    ops.push(op);
                }
            }
        }
        ops
    }

    /// One spec operation, or `None` (with its error or warning) when it cannot be
    /// generated.
    fn operation(
        &mut self,
        spec: &SpecOp<'a>,
        tags: &[Tag],
        names: &mut OperationNames,
        pointer: String,
    ) -> Option<Operation> {
        let method = self.method(spec.method_name, &pointer)?;
        let (tag, operation_id) = self.identity(spec.op, tags, names, &pointer)?;
        let (fns, types) = names.for_tag(&tag.module);
        let fn_name = fns.allocate(&snake_ident(&operation_id));
        let op_type = types.allocate(&type_name(&operation_id));
        let all_params: Vec<&'a ReferenceOr<Parameter>> = spec
            .item
            .parameters
            .iter()
            .chain(&spec.op.parameters)
            .collect();
        let params = self.params(&all_params, &op_type, &pointer);
        let template = self.path_template(spec.path, &params, &pointer)?;
        let params = in_path_order(params, &template);
        let (fns, types) = names.for_tag(&tag.module);
        let naming = VersionNaming {
            op_type: &op_type,
            fn_name: &fn_name,
            fns,
            types,
        };
        let versions = self.versions(spec.op, &params, naming, &pointer);
        if versions.is_empty() {
            self.error(
                &pointer,
                "operation declares no application/vnd.atlas.* media type: no version to call",
            );
            return None;
        }
        Some(Operation {
            default_version: default_version(&versions),
            aliases: aliases(spec.op),
            operation_id,
            fn_name,
            type_name: op_type,
            tag_module: tag.module.clone(),
            method,
            path: spec.path.clone(),
            template,
            pointer,
            summary: spec.op.summary.clone(),
            description: spec.op.description.clone(),
            docs_url: extension_str(spec.op, "x-xgen-docs-url"),
            deprecated: spec.op.deprecated,
            params,
            versions,
            waiter: None,
            government: Vec::new(),
        })
    }

    /// The HTTP methods the client sends; others are reported and skipped.
    fn method(&mut self, name: &str, pointer: &str) -> Option<Method> {
        let method = match name {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "patch" => Method::Patch,
            other => {
                self.warn(pointer, format!("method `{other}` is not generated"));
                return None;
            }
        };
        Some(method)
    }

    /// The operation's API area and its operationId: both required, the id unique.
    fn identity<'t>(
        &mut self,
        op: &SpecOperation,
        tags: &'t [Tag],
        names: &mut OperationNames,
        pointer: &str,
    ) -> Option<(&'t Tag, String)> {
        let Some(tag) = op
            .tags
            .first()
            .and_then(|t| tags.iter().find(|x| &x.name == t))
        else {
            self.error(
                pointer,
                "operation has no tag: every operation belongs to an API area",
            );
            return None;
        };
        let Some(operation_id) = op.operation_id.clone() else {
            self.error(pointer, "operation has no operationId");
            return None;
        };
        if let Some(first) = names.ids.insert(operation_id.clone(), pointer.to_owned()) {
            self.error(
                pointer,
                format!("operationId `{operation_id}` is also used by {first}"),
            );
            return None;
        }
        if naming::loses_characters(&operation_id) {
            self.warn(
                pointer,
                format!(
                    "operationId `{operation_id}` has characters a Rust identifier cannot hold"
                ),
            );
        }
        Some((tag, operation_id))
    }

    /// The parsed path, when it is well formed and names exactly the path parameters.
    fn path_template(
        &mut self,
        path: &str,
        params: &[Param],
        pointer: &str,
    ) -> Option<PathTemplate> {
        let template = match path_template::parse(path) {
            Ok(template) => template,
            Err(message) => {
                self.error(pointer, message);
                return None;
            }
        };
        let declared = || {
            params
                .iter()
                .filter(|p| p.location == ParamLocation::Path)
                .map(|p| p.wire_name.as_str())
        };
        let undeclared: Vec<&str> = template
            .params()
            .filter(|name| !declared().any(|d| d == *name))
            .collect();
        let unused: Vec<&str> = declared()
            .filter(|name| !template.params().any(|t| t == *name))
            .collect();
        if !undeclared.is_empty() || !unused.is_empty() {
            self.error(
                pointer,
                format!(
                    "path parameters disagree with `{path}`: not declared {undeclared:?}, declared but not in the path {unused:?}"
                ),
            );
            return None;
        }
        Some(template)
    }

    fn params(
        &mut self,
        params: &[&'a ReferenceOr<Parameter>],
        op_type: &str,
        pointer: &str,
    ) -> Vec<Param> {
        let mut names = Namer::with_reserved(BUILDER_METHODS);
        let mut out = Vec::new();
        for (i, param) in params.iter().copied().enumerate() {
            let (param, param_pointer, hint) = match param {
                ReferenceOr::Item(p) => {
                    let ptr = child(&child(pointer, "parameters"), &i.to_string());
                    (
                        p,
                        ptr,
                        format!("{op_type}{}", type_name(&p.parameter_data_ref().name)),
                    )
                }
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/parameters/");
                    let found = name
                        .and_then(|n| self.spec.components.as_ref()?.parameters.get_key_value(n));
                    match found {
                        Some((key, ReferenceOr::Item(p))) => (
                            p,
                            child("#/components/parameters", key),
                            type_name(&p.parameter_data_ref().name),
                        ),
                        _ => {
                            self.error(pointer, format!("unresolved parameter $ref `{reference}`"));
                            continue;
                        }
                    }
                }
            };
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    self.warn(&param_pointer, "cookie parameters are not generated");
                    continue;
                }
            };
            if location == ParamLocation::Query && HIDDEN_PARAMS.contains(&data.name.as_str()) {
                continue;
            }
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.convert(
                    SchemaRef::of(schema),
                    &hint,
                    &child(&param_pointer, "schema"),
                ),
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(
                        &param_pointer,
                        "parameter with `content` is sent as a plain string",
                    );
                    TypeRef::String
                }
            };
            out.push(Param {
                name: names.allocate(&snake_ident(&data.name)),
                wire_name: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                docs: Docs {
                    title: None,
                    description: data.description.clone(),
                },
            });
        }
        out
    }

    /// One binding per documented `application/vnd.atlas.<version>+<format>`.
    fn versions(
        &mut self,
        op: &'a SpecOperation,
        params: &[Param],
        naming: VersionNaming<'_>,
        pointer: &str,
    ) -> Vec<OperationVersion> {
        let (mut parts, empty_codes) = self.success_parts(op, pointer);
        let body_required = self.body_parts(op, pointer, &mut parts);
        let shared = Shared {
            empty_codes,
            has_body: op.request_body.is_some(),
            body_required,
        };
        let mut out = Vec::new();
        for (version, part) in parts {
            out.extend(self.version(version, part, &shared, params, &naming, pointer));
        }
        let VersionNaming { fns, types, .. } = naming;
        for v in &mut out {
            v.fn_name = fns.allocate(&v.fn_name);
            v.type_name = types.allocate(&v.type_name);
        }
        out
    }

    /// Every 2xx media type by API version, and the 2xx statuses documented without a
    /// body; error bodies are checked against `ApiError` on the way.
    fn success_parts(
        &mut self,
        op: &'a SpecOperation,
        pointer: &str,
    ) -> (BTreeMap<ApiVersion, VersionParts<'a>>, Vec<u16>) {
        let mut parts: BTreeMap<ApiVersion, VersionParts<'a>> = BTreeMap::new();
        let mut empty_codes = Vec::new();
        let responses_pointer = child(pointer, "responses");
        for (status, response) in &op.responses.responses {
            let code = match status {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            let status_pointer = child(&responses_pointer, &status.to_string());
            let Some((response, response_pointer)) = self.response(response, &status_pointer)
            else {
                continue;
            };
            let success = (200..300).contains(&code);
            if success && response.content.is_empty() {
                empty_codes.push(code);
            }
            for (media, object) in &response.content {
                let media_pointer = child(&child(&response_pointer, "content"), media);
                match parse_media(media) {
                    Some(m) if success => {
                        parts.entry(m.version).or_default().success.push(Success {
                            code,
                            media: Media {
                                media: media.clone(),
                                object,
                                pointer: media_pointer,
                            },
                        })
                    }
                    None if success => self.warn(
                        media_pointer,
                        "success media type is not application/vnd.atlas.*; not generated",
                    ),
                    // Every error body decodes as `ApiError`, whatever its media type.
                    _ => self.check_error_schema(object, &media_pointer),
                }
            }
        }
        (parts, empty_codes)
    }

    /// The request body's media types by API version; whether the body is required.
    fn body_parts(
        &mut self,
        op: &'a SpecOperation,
        pointer: &str,
        parts: &mut BTreeMap<ApiVersion, VersionParts<'a>>,
    ) -> bool {
        let Some(body) = &op.request_body else {
            return false;
        };
        let body_pointer = child(pointer, "requestBody");
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                self.error(
                    body_pointer,
                    format!("requestBody $ref `{reference}` is not supported"),
                );
                return false;
            }
        };
        for (media, object) in &body.content {
            let media_pointer = child(&child(&body_pointer, "content"), media);
            match parse_media(media) {
                Some(m) if m.format == "json" => {
                    parts.entry(m.version).or_default().body = Some(Media {
                        media: media.clone(),
                        object,
                        pointer: media_pointer,
                    });
                }
                _ => self.warn(
                    media_pointer,
                    "request media type is not application/vnd.atlas.*+json; not generated",
                ),
            }
        }
        body.required
    }

    /// The bindings of one version; names are the wanted ones, made unique by the caller
    /// in version order.
    fn version(
        &mut self,
        version: ApiVersion,
        mut part: VersionParts<'a>,
        shared: &Shared,
        params: &[Param],
        naming: &VersionNaming<'_>,
        pointer: &str,
    ) -> Vec<OperationVersion> {
        part.success.sort_by_key(|s| s.code);
        let mut success_statuses: Vec<u16> = part.success.iter().map(|s| s.code).collect();
        success_statuses.extend(&shared.empty_codes);
        success_statuses.sort_unstable();
        success_statuses.dedup();
        let label = version.label().replace('-', "_");
        // `20240805` for dates, `Preview` for preview, in type names.
        let type_label = match &version {
            ApiVersion::Dated(date) => date.replace('-', ""),
            ApiVersion::Preview => "Preview".to_owned(),
        };
        let body = self.version_body(
            part.body.take(),
            shared.has_body,
            shared.body_required,
            &version,
            naming.op_type,
            pointer,
        );
        let empty_success = !shared.empty_codes.is_empty();
        let bindings =
            self.version_responses(&part, empty_success, &version, naming.op_type, pointer);
        bindings
            .into_iter()
            .map(|binding| {
                let (fn_suffix, type_suffix) = match &binding.alternate_format {
                    Some(f) => (format!("_{f}"), type_name(f)),
                    None => (String::new(), String::new()),
                };
                OperationVersion {
                    fn_name: format!("{}_{label}{fn_suffix}", naming.fn_name),
                    type_name: format!("{}{type_label}{type_suffix}", naming.op_type),
                    version: version.clone(),
                    accept: binding.accept,
                    body: body.clone(),
                    pagination: self.pagination(&binding.response, params),
                    response: binding.response,
                    sunset: binding.sunset,
                    alternate_format: binding.alternate_format,
                    success_statuses: success_statuses.clone(),
                    removed: None,
                    kept_response: None,
                }
            })
            .collect()
    }

    fn version_body(
        &mut self,
        part: Option<Media<'a>>,
        has_body: bool,
        required: bool,
        version: &ApiVersion,
        op_type: &str,
        pointer: &str,
    ) -> Option<RequestBody> {
        match part {
            Some(Media {
                media,
                object,
                pointer: media_pointer,
            }) => match &object.schema {
                Some(schema) => Some(RequestBody {
                    ty: self.convert(
                        SchemaRef::of(schema),
                        &format!("{op_type}Request"),
                        &child(&media_pointer, "schema"),
                    ),
                    content_type: media,
                    required,
                    checks_required: false,
                }),
                None => {
                    self.warn(
                        media_pointer,
                        "request media type without schema: the call sends no body",
                    );
                    None
                }
            },
            None => {
                if has_body {
                    self.warn(
                        child(pointer, "requestBody"),
                        format!(
                            "no request body for version {}; that version sends none",
                            version.label()
                        ),
                    );
                }
                None
            }
        }
    }

    /// The bindings of one version: the primary (JSON when offered) and one per other
    /// format of the same status. A JSON body next to a documented empty 2xx becomes
    /// `Option<T>`.
    fn version_responses(
        &mut self,
        part: &VersionParts<'a>,
        empty_success: bool,
        version: &ApiVersion,
        op_type: &str,
        pointer: &str,
    ) -> Vec<Binding> {
        let format_of = |media: &str| parse_media(media).map(|m| m.format).unwrap_or_default();
        let Some(primary) = part
            .success
            .iter()
            .find(|s| format_of(&s.media.media) == "json")
            .or_else(|| part.success.first())
        else {
            if !empty_success {
                self.warn(
                    pointer,
                    format!(
                        "version {} has no success response; the call returns ()",
                        version.label()
                    ),
                );
            }
            return vec![Binding {
                alternate_format: None,
                response: ResponseBody::Empty,
                accept: format!("application/vnd.atlas.{}+json", version.label()),
                sunset: None,
            }];
        };
        let Success {
            code,
            media:
                Media {
                    media,
                    object,
                    pointer: media_pointer,
                },
        } = primary;
        let body_less_sibling = empty_success
            || part.success.iter().any(|s| {
                s.code != *code
                    && format_of(&s.media.media) == "json"
                    && s.media.object.schema.is_none()
            });
        let response = match (&object.schema, format_of(media).as_str()) {
            (Some(schema), "json") => {
                let ty = self.convert(
                    SchemaRef::of(schema),
                    &format!("{op_type}Response"),
                    &child(media_pointer, "schema"),
                );
                match ty {
                    _ if body_less_sibling => ResponseBody::JsonOrEmpty(ty),
                    TypeRef::String => ResponseBody::Text,
                    _ => ResponseBody::Json(ty),
                }
            }
            (None, "json") => ResponseBody::Empty,
            _ => ResponseBody::Bytes,
        };
        let mut bindings = vec![Binding {
            alternate_format: None,
            response,
            accept: media.clone(),
            sunset: sunset_of(object),
        }];
        for other in &part.success {
            let (other_code, other_media) = (&other.code, &other.media);
            if other_media.media == *media && other_code == code {
                continue;
            }
            let other_format = format_of(&other_media.media);
            if other_code == code && other_format != "json" {
                bindings.push(Binding {
                    alternate_format: Some(other_format),
                    response: ResponseBody::Bytes,
                    accept: other_media.media.clone(),
                    sunset: sunset_of(other_media.object),
                });
                continue;
            }
            let other_pointer = &other_media.pointer;
            let other_object = other_media.object;
            let same_schema = match (&object.schema, &other_object.schema) {
                (Some(a), Some(b)) => a == b,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            if !same_schema {
                self.warn(other_pointer.clone(), format!("status {other_code} documents another body; every 2xx decodes as the status {code} body"));
            }
        }
        bindings
    }

    fn response(
        &mut self,
        response: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        match response {
            ReferenceOr::Item(r) => Some((r, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/");
                let found =
                    name.and_then(|n| self.spec.components.as_ref()?.responses.get_key_value(n));
                match found {
                    Some((key, ReferenceOr::Item(r))) => {
                        Some((r, child("#/components/responses", key)))
                    }
                    _ => {
                        self.error(pointer, format!("unresolved response $ref `{reference}`"));
                        None
                    }
                }
            }
        }
    }

    /// Error bodies decode into the runtime's `ApiError`; say so when the spec differs.
    fn check_error_schema(&mut self, media: &MediaType, pointer: &str) {
        let is_api_error = matches!(&media.schema, Some(ReferenceOr::Reference { reference }) if reference == "#/components/schemas/ApiError");
        if !is_api_error {
            self.warn(
                pointer,
                "error response schema is not ApiError; it decodes as ApiError, its other members in `ApiError::extra`",
            );
        }
    }
}

/// Path parameters first, in the order the path names them (so positional arguments read
/// like the URL and two adjacent strings cannot be swapped by following the spec's
/// declaration order), then the others in declaration order.
fn in_path_order(params: Vec<Param>, template: &PathTemplate) -> Vec<Param> {
    let position = |p: &Param| match p.location {
        ParamLocation::Path => template.params().position(|t| t == p.wire_name),
        ParamLocation::Query | ParamLocation::Header => None,
    };
    let mut keyed: Vec<(usize, Param)> = params
        .into_iter()
        .map(|p| (position(&p).unwrap_or(usize::MAX), p))
        .collect();
    // Stable: parameters outside the path keep their declaration order.
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, p)| p).collect()
}
