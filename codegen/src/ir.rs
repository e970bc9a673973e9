//! The typed intermediate representation between the OpenAPI document and emitted Rust.
//!
//! Normalization produces an [`Api`]; emission reads only this module's types, never
//! `openapiv3`. Every item keeps the JSON pointer of the spec node it came from so that
//! diagnostics and docs can point back at the source.

use std::collections::BTreeSet;

use indexmap::IndexMap;

/// The whole normalized API.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default)]
pub struct Api {
    /// Named types keyed by their Rust name, in a deterministic order: what responses
    /// and parameters read (`models::*`), and the enums both directions share.
    pub types: IndexMap<String, TypeDef>,
    /// The request-body forms (`models::write::*`) of the structs and unions request
    /// bodies reach, keyed by the same names (`normalize::writes`).
    pub writes: IndexMap<String, TypeDef>,
    /// Operations in spec order (path, then method).
    pub operations: Vec<Operation>,
    /// API areas (OpenAPI tags) that own operations, in spec order.
    pub tags: Vec<Tag>,
    /// The version every generated manifest gets: the runtime's (`runtime/Cargo.toml`,
    /// which `cargo xtask release` sets), or the template's when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_version: Option<String>,
}

impl Api {
    /// The tags at least one operation belongs to: each is a module and a feature.
    pub fn tags_with_operations(&self) -> impl Iterator<Item = &Tag> {
        self.tags
            .iter()
            .filter(|t| self.operations.iter().any(|o| o.tag_module == t.module))
    }
}

impl Api {
    /// Whether a type has an empty value: what `Default` derives need, and what serde can
    /// fill in when the server omits a required field. Ids, timestamps, enums and unions
    /// have none.
    pub fn has_default(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F64
            | TypeRef::Json => true,
            TypeRef::Vec(_) | TypeRef::Map(_) => true,
            TypeRef::DateTime | TypeRef::Date | TypeRef::ObjectId => false,
            TypeRef::Named(n) => {
                matches!(self.types.get(n).map(|d| &d.kind), Some(TypeKind::Struct(s)) if s.derive_default)
            }
            TypeRef::Write(n) => {
                matches!(
                    self.writes.get(n).map(|d| &d.kind),
                    Some(TypeKind::Struct(_))
                )
            }
        }
    }

    /// The definition a model reference points at.
    pub fn def(&self, model: ModelRef<'_>) -> Option<&TypeDef> {
        match model {
            ModelRef::Read(n) => self.types.get(n),
            ModelRef::Write(n) => self.writes.get(n),
        }
    }

    /// The kind of the model a reference points at (through containers).
    pub fn kind_of(&self, ty: &TypeRef) -> Option<&TypeKind> {
        self.def(ty.model()?).map(|d| &d.kind)
    }
}

/// A reference to a named model: a read model (`models::X`) or a write model
/// (`models::write::XWrite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModelRef<'a> {
    Read(&'a str),
    Write(&'a str),
}

/// An OpenAPI tag: one Rust module and one cargo feature.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    pub name: String,
    /// snake_case module and feature name.
    pub module: String,
    pub description: Option<String>,
}

/// Documentation carried onto an emitted item.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
}

/// Why an item is deprecated, for `#[deprecated(note = ..)]`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Deprecation {
    pub note: String,
}

/// An item the released crate had and the current document dropped, kept deprecated
/// until a planned major release (`crate::carry`, `spec/api.lock`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Removal {
    /// The date of the document that dropped it (`YYYY-MM-DD`).
    pub document: String,
    /// What replaces it in the current document, as a Rust path, when one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
}

impl Removal {
    /// The `#[deprecated]` note.
    pub fn note(&self) -> String {
        match &self.replacement {
            Some(path) => format!(
                "removed upstream in the {} document; use `{path}`",
                self.document
            ),
            None => format!(
                "removed upstream in the {} document; kept until the next major release",
                self.document
            ),
        }
    }
}

/// A field whose type upstream widened (a response may now send more: a plain string
/// for an enum, a value that is always present) or relaxed (a request may now send
/// more: `null`, any string) so that the released type still serves: kept as released
/// until a planned major release (`crate::carry`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Kept {
    /// The date of the document that changed it (`YYYY-MM-DD`).
    pub document: String,
    /// The field's type as that document declares it, as Rust.
    pub upstream: String,
}

impl Kept {
    /// The doc note and changelog entry.
    pub fn note(&self) -> String {
        format!(
            "the {} document declares `{}`; the released type is kept until the next major release",
            self.document, self.upstream
        )
    }

    /// The doc note and changelog entry of a kept `()` response
    /// (`OperationVersion::kept_response`).
    pub fn response_note(&self) -> String {
        format!(
            "the {} document gives the response a body (`{}`): `send` returns `()` until the next major release; `Client::execute` returns the body",
            self.document, self.upstream
        )
    }
}

/// A named Rust type emitted in `models/`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TypeDef {
    pub name: String,
    /// Module (file) name under `models/`.
    pub module: String,
    /// JSON pointer of the schema this type was built from.
    pub pointer: String,
    pub docs: Docs,
    pub deprecated: Option<Deprecation>,
    pub kind: TypeKind,
    /// Cargo feature contexts that reach this type (filled by reachability).
    pub reached_by: BTreeSet<FeatureContext>,
    /// A variant of some untagged union, so decoding ranks it against candidates and it
    /// needs a shape (filled by `normalize::member_choice`).
    pub untagged_member: bool,
    /// A write union that is itself a variant of a write tagged union: the outer union
    /// writes its tag and then this union's fields, so it implements `write::Fields`
    /// (filled by `normalize::member_choice`).
    pub tagged_member: bool,
    /// Dropped by the current document, kept deprecated (`crate::carry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Removal>,
    /// A carried enum the release emitted as one of a shared enum's names
    /// (`normalize::sharing`): it may share again; a carried enum that was its own stays so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub released_shared: bool,
    /// An enum the release emitted as an enum of its own that the next document would make
    /// a name of a shared enum: it stays an enum, as `use Name::*` needs
    /// (`normalize::sharing`; set by `carry::merge` from `Carried::OwnEnum`).
    #[serde(skip)]
    pub own_enum: bool,
    /// One of a shared enum's names: emitted `pub type Name = Shared;`
    /// (`normalize::sharing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
    /// A shared enum (`normalize::sharing` made it): the names that stand for it, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The property or parameter an inline enum is the type of (`status`, `cloudProvider`):
    /// enums share only within one. Kept so that a carried enum no field uses still has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The name the release gave the shared enum this enum is a name of, where the next
    /// document alone would name it otherwise (set by `carry::merge` from
    /// `Carried::SharedName`, which the lock records).
    #[serde(skip)]
    pub shared_name: Option<String>,
    /// The name `spec/names.yaml` gives the shared enum this enum is a name of.
    #[serde(skip)]
    pub curated_name: Option<String>,
    /// A write model its read model converts into, and how (`normalize::conversions`).
    #[serde(skip)]
    pub from_read: Option<FromRead>,
}

/// How a write model is made from its read model: `From<&models::X> for
/// models::write::XWrite`, so a GET's answer changed in one field can be sent back.
#[derive(Debug, Clone, PartialEq)]
pub struct FromRead {
    /// The read model's name.
    pub read: String,
    /// The write model's fields (a union's variants) taken from the read model's of the
    /// same Rust name; any other field is left unset.
    pub parts: Vec<ConvertedPart>,
    /// How the read model's additional properties become the write model's.
    pub additional: Option<Conversion>,
}

/// One field or union variant of a [`FromRead`].
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertedPart {
    pub name: String,
    pub conversion: Conversion,
}

/// How a read value becomes the write value of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conversion {
    /// Both sides have the same type.
    Clone,
    /// The write model of this name, from its read model.
    Model(String),
    Vec(Box<Conversion>),
    Map(Box<Conversion>),
}

impl TypeDef {
    /// A type as normalize first builds it: reached by nothing yet, in no union, not
    /// carried, not shared (later rules fill those in).
    pub fn new(name: String, module: String, pointer: String, docs: Docs, kind: TypeKind) -> Self {
        TypeDef {
            name,
            module,
            pointer,
            docs,
            deprecated: None,
            kind,
            reached_by: BTreeSet::new(),
            untagged_member: false,
            tagged_member: false,
            removed: None,
            released_shared: false,
            own_enum: false,
            alias_of: None,
            aliases: Vec::new(),
            role: None,
            shared_name: None,
            curated_name: None,
            from_read: None,
        }
    }
}

/// Which cargo features make an item reachable: a tag, optionally only with `preview`.
#[derive(
    Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct FeatureContext {
    pub tag_module: String,
    pub preview_only: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Tagged(TaggedUnion),
    Untagged(UntaggedUnion),
}

/// A JSON object with known properties (allOf parts already merged).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` value type when the object also allows extra keys.
    pub additional: Option<TypeRef>,
    /// Whether every field type has a `Default` (filled by the default analysis).
    pub derive_default: bool,
    /// A write model that is a variant of tagged unions under one discriminator value:
    /// it writes that value itself, so no caller sets it (`normalize::writes`).
    pub tag: Option<FixedTag>,
}

/// A discriminator property and the one value a write model always sends for it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct FixedTag {
    pub property: String,
    pub value: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    pub presence: Presence,
    /// Boxed to break a recursive containment cycle.
    pub boxed: bool,
    pub docs: Docs,
    pub deprecated: Option<Deprecation>,
    pub read_only: bool,
    pub write_only: bool,
    /// Required by the spec (kept for docs even when the Rust field is optional).
    pub spec_required: bool,
    pub nullable: bool,
    /// A write model's builder methods for this field.
    pub setters: Option<Setters>,
    /// Holds a credential (`normalize/secrets.rs`): the model's `Debug` shows whether it
    /// is set, never its value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    /// Dropped by the current document: a response never sets it, a request never
    /// sends it (`crate::carry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Removal>,
    /// Typed as released although the current document widened it (`crate::carry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<Kept>,
}

/// The chained setters of one write-model field (names allocated per struct, clear of
/// the methods every model has).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Setters {
    /// Sets the value.
    pub value: String,
    /// Sends `null` (nullable fields only).
    pub null: Option<String>,
}

/// How a field appears in Rust and on the wire.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present: plain `T`.
    Required,
    /// `Option<T>`, omitted from JSON when `None`.
    Optional,
    /// `Option<T>`, serialized as `null` when `None` (required and nullable).
    RequiredNullable,
    /// `Nullable<T>` in a write model: absent (not sent), `null`, or a value.
    Nullable,
}

/// A forward-compatible string enum.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant that keeps unknown values.
    pub unknown_variant: String,
    /// Types a field of an untagged union's struct variant, so ranking compares its
    /// values (filled by `normalize::member_choice`).
    pub ranked: bool,
    /// An integer enum (`type: integer` with `enum`): the values are JSON numbers, each
    /// `wire` their decimal text, and unknown values are kept as `i64`.
    pub integer: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
    /// Dropped by the current document, kept deprecated (`crate::carry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Removal>,
}

/// `oneOf` with a discriminator property: one variant per target type.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TaggedUnion {
    pub property: String,
    pub variants: Vec<TaggedVariant>,
    pub unknown_variant: String,
    /// Fields every member has with one Rust type (as the first member declares them): a
    /// read union gets an accessor for each (`normalize::common_fields`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_fields: Vec<Field>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TaggedVariant {
    pub name: String,
    /// Discriminator values that select this variant.
    pub values: Vec<String>,
    pub ty: TypeRef,
    pub boxed: bool,
    /// In a write union: the variant's model writes the tag itself (`Struct::tag`);
    /// otherwise the union writes `values[0]`.
    pub inner_writes_tag: bool,
    /// Dropped by the current document, kept deprecated: never decoded, never sent
    /// (`crate::carry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Removal>,
}

/// `oneOf`/`anyOf` without a discriminator, decoded by best match.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct UntaggedUnion {
    pub variants: Vec<UntaggedVariant>,
    pub unknown_variant: String,
    /// A string-enum property every struct variant declares, when there is one
    /// (`normalize::member_choice`): a value only one variant allows picks it without ranking.
    pub implicit_tag: Option<ImplicitTag>,
    /// As [`TaggedUnion::common_fields`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub common_fields: Vec<Field>,
}

/// An enum property that discriminates an untagged union although the spec declares no
/// discriminator (the alert-config and event views and their `eventTypeName`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ImplicitTag {
    pub property: String,
    /// Per struct variant (by index into `variants`): the enum type of its property.
    pub arms: Vec<(usize, String)>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeRef,
    pub boxed: bool,
    /// Dropped by the current document, kept deprecated: never decoded, never sent
    /// (`crate::carry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Removal>,
}

/// A reference to a Rust type as it appears in a field, parameter or body.
#[derive(
    Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F64,
    DateTime,
    Date,
    /// A validated 24-hex identifier.
    ObjectId,
    /// Free-form JSON.
    Json,
    /// A read model or shared enum: `api.types`.
    Named(String),
    /// A write model: `api.writes`.
    Write(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// The read model or enum this reference mentions, directly or inside containers.
    pub fn named(&self) -> Option<&str> {
        match self.model()? {
            ModelRef::Read(n) => Some(n),
            ModelRef::Write(_) => None,
        }
    }

    /// The model this reference mentions, directly or inside containers.
    pub fn model(&self) -> Option<ModelRef<'_>> {
        match self {
            TypeRef::Named(n) => Some(ModelRef::Read(n)),
            TypeRef::Write(n) => Some(ModelRef::Write(n)),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.model(),
            _ => None,
        }
    }

    /// Whether a value of this type is stored behind a heap indirection already.
    pub fn is_indirect(&self) -> bool {
        matches!(self, TypeRef::Vec(_) | TypeRef::Map(_))
    }
}

#[derive(
    Debug, Clone, serde::Serialize, serde::Deserialize, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }
}

/// One OpenAPI operation with all its callable versions.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Operation {
    pub operation_id: String,
    /// snake_case of the operationId: the plain function name.
    pub fn_name: String,
    /// UpperCamel of the operationId: the request type name stem.
    pub type_name: String,
    /// Other names MongoDB's docs and SDKs use (`x-xgen-operation-id-override`).
    pub aliases: Vec<String>,
    pub tag_module: String,
    pub method: Method,
    /// The spec path, e.g. `/api/atlas/v2/groups/{groupId}/clusters`.
    pub path: String,
    /// `path`, parsed and checked against the path parameters.
    pub template: PathTemplate,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub versions: Vec<OperationVersion>,
    /// Index into `versions` of the version the plain name calls.
    pub default_version: usize,
    /// How to wait for this write to finish, when it is long-running.
    pub waiter: Option<Waiter>,
    /// What Atlas for Government does not offer here (`spec/government.yaml`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub government: Vec<GovernmentLimit>,
}

/// One Atlas for Government limit of an operation: the sentence users read, and what a
/// government client checks before sending.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GovernmentLimit {
    pub limit: String,
    pub check: GovernmentCheck,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GovernmentCheck {
    /// No call can work there.
    Unavailable,
    /// A body member, path or query parameter named one of `fields` may not be one of
    /// `refused`.
    Values {
        fields: Vec<String>,
        refused: Vec<String>,
    },
    /// Only documented: the request has nothing to check.
    Documented,
}

/// How to wait for a long-running write: which read to poll and when it is done (the
/// Atlas CLI's watchers overlay, `x-xgen-atlascli.watcher`), resolved by
/// `normalize::waiters` against the operations it names.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Waiter {
    /// The polled read operation (index into `Api::operations`) and its version.
    pub poll: usize,
    pub poll_version: usize,
    /// One per positional parameter of the polled operation, in constructor order.
    pub args: Vec<WaitArg>,
    pub done: WaitDone,
    /// The watcher names fields of the write's response: `wait` takes what `send`
    /// returned, even where the request already gave every value (the signature does not
    /// depend on that).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reads_response: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WaitArg {
    pub wire_name: String,
    /// The polled parameter's type: `String`, `ObjectId` or a string enum.
    pub ty: TypeRef,
    pub from: WaitSource,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum WaitSource {
    /// A parameter of the write itself: its Rust field name.
    Input(String),
    /// A field of the write's response, as a JSON pointer (`/name`).
    Body(String),
    /// A top-level string field of the write's request body (its Rust name) when the
    /// caller set it, else the response's field at `pointer`.
    SentOrBody { field: String, pointer: String },
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum WaitDone {
    /// The polled resource's field at `pointer` holds one of `success` (done) or of
    /// `failure` (an end state that is an error).
    State {
        pointer: String,
        success: Vec<String>,
        failure: Vec<String>,
    },
    /// The poll answers this status (404 once a delete is done).
    Status(u16),
}

impl Param {
    /// Passed to the constructor (required), rather than set by a builder method.
    pub fn is_positional(&self) -> bool {
        self.required
    }
}

impl Operation {
    /// The version the plain name calls (normalize keeps only operations with one).
    pub fn default(&self) -> Option<&OperationVersion> {
        self.versions.get(self.default_version)
    }
}

/// A path template split into literal text and parameters (wire names), in order.
/// Literals hold no braces and no segment is `.` or `..`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct PathTemplate {
    pub parts: Vec<PathPart>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    Param(String),
}

impl PathTemplate {
    /// Wire names of the parameters, in path order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

/// The API version of a media type `application/vnd.atlas.<version>+<format>`.
#[derive(
    Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum ApiVersion {
    /// `YYYY-MM-DD`.
    Dated(String),
    Preview,
}

impl ApiVersion {
    pub fn label(&self) -> &str {
        match self {
            ApiVersion::Dated(d) => d,
            ApiVersion::Preview => "preview",
        }
    }
}

/// One callable (operation, version) pair.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OperationVersion {
    pub version: ApiVersion,
    /// Function name carrying the version, e.g. `get_group_cluster_2024_08_05`.
    pub fn_name: String,
    /// Request type name carrying the version.
    pub type_name: String,
    /// Exact `Accept` header value.
    pub accept: String,
    pub body: Option<RequestBody>,
    pub response: ResponseBody,
    /// Sunset date from `x-sunset`.
    pub sunset: Option<String>,
    /// Pagination shape when the response is a `results` + `totalCount` page.
    pub pagination: Option<Pagination>,
    /// Another response format of the same version (e.g. `csv` beside `json`), callable
    /// under a name with the format suffix.
    pub alternate_format: Option<String>,
    /// The 2xx statuses the spec documents for this version (Atlas may answer another
    /// 2xx; the replay reports that as drift).
    pub success_statuses: Vec<u16>,
    /// Dropped by the current document: calling it returns `Error::Removed` without
    /// sending (`crate::carry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Removal>,
    /// The released crate's `send` returned `()` here and the current document gives
    /// the response a body (`crate::carry`): `send` still returns `()`, deprecated, and
    /// `Client::execute` returns `response`. `upstream` is that type as Rust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_response: Option<Kept>,
}

impl OperationVersion {
    /// Whether `send` returns `()` (no documented body, or the released form kept).
    pub fn sends_unit(&self) -> bool {
        self.response == ResponseBody::Empty || self.kept_response.is_some()
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RequestBody {
    pub content_type: String,
    pub ty: TypeRef,
    pub required: bool,
    /// Fields the spec requires must be set before sending (POST and PUT; a PATCH is a
    /// partial update and sends what was set).
    pub checks_required: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub enum ResponseBody {
    /// No documented body: the call returns `()`.
    Empty,
    Json(TypeRef),
    /// JSON, but another documented 2xx has no body: the call returns `Option<T>`.
    JsonOrEmpty(TypeRef),
    /// Non-JSON media (`+gzip`, `+csv`): raw bytes.
    Bytes,
    /// A `type: string` schema under `+json`: a JSON string, or, as Atlas sends PEM
    /// certificates and XML metadata, the body as plain text. The call returns `String`.
    Text,
}

/// How a list operation pages: decided once in normalize, rendered by emit as a
/// `Paginated` impl.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Pagination {
    pub item: TypeRef,
    /// The page's `results` field (a list of `item`).
    pub results: PageField,
    /// The page's `totalCount` field.
    pub total: PageField,
    /// The optional `pageNum` query parameter.
    pub page_num: PageParam,
    /// The optional `itemsPerPage` query parameter.
    pub items_per_page: PageParam,
}

/// A field of the page model that pagination reads.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct PageField {
    /// Rust field name.
    pub name: String,
    pub ty: TypeRef,
    /// `Option<_>` in Rust (absent from some pages).
    pub optional: bool,
}

/// A query parameter that pagination sets.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct PageParam {
    /// Rust field name on the request.
    pub name: String,
    /// `I32` or `I64`.
    pub ty: TypeRef,
}

/// Which of a schema's two Rust forms: the read model (`models::X`, what a response
/// decodes into) or the write model (`models::write::XWrite`, what a request body sends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Read,
    Write,
}

impl Side {
    /// The model's path under the crate root: `models::X` or `models::write::XWrite`.
    pub fn path(self, name: &str) -> String {
        match self {
            Side::Read => format!("models::{name}"),
            Side::Write => format!("models::write::{name}"),
        }
    }
}

/// The write form's name of the schema whose read model is `read`: its own name, so that
/// a compiler message or a page of docs holding both says which is which, and a function
/// of the read name alone, so that it changes only when the schema's name does.
pub fn write_name(read: &str) -> String {
    format!("{read}{WRITE_SUFFIX}")
}

/// The read model's name of the write form `write` (`write_name` undone).
pub fn read_name(write: &str) -> Option<&str> {
    write.strip_suffix(WRITE_SUFFIX)
}

const WRITE_SUFFIX: &str = "Write";

/// What a field's Rust type wraps its value type in, decided once from its presence: emit
/// prints it as tokens and the semver diff as text, so the diff's verdict cannot drift
/// from what is emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The value itself, `T` (boxed when `Field::boxed`).
    Plain,
    /// `Option<T>`: absent (or `null`, for a required nullable field) is `None`.
    Option,
    /// `runtime::Nullable<T>`: absent, `null` or a value, each sent as set.
    Nullable,
}

impl Field {
    /// How this field's type holds its value.
    pub fn holder(&self) -> Holder {
        match self.presence {
            Presence::Required => Holder::Plain,
            Presence::Optional | Presence::RequiredNullable => Holder::Option,
            Presence::Nullable => Holder::Nullable,
        }
    }
}
