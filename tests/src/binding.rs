//! Support for the generated [`crate::registry`]: calling and decoding `atlas-admin`
//! bindings by name, with parameters given as strings.

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use atlas_admin::runtime::{Operation, RawResponse};
use atlas_admin::{Client, Error};
use atlas_admin_codegen::ir::{Api, Operation as SpecOperation, OperationVersion};

/// Parameter values by wire name (path segments, required query parameters).
pub type Params<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A call in flight; resolves to the typed output re-encoded as JSON.
pub type Call<'a> = Pin<Box<dyn Future<Output = Result<Value, Error>> + Send + 'a>>;

/// A parameter a binding cannot be built without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    pub name: &'static str,
    /// `path`, `query` or `header`.
    pub location: &'static str,
    /// `string`, `integer`, `object-id`, `enum:A|B`, `list:<kind>`, ...
    pub kind: &'static str,
}

/// One (operation, version) binding.
#[derive(Clone, Copy)]
pub struct Binding {
    pub operation_id: &'static str,
    pub method: &'static str,
    /// The spec path template.
    pub path: &'static str,
    /// `YYYY-MM-DD` or `preview`.
    pub version: &'static str,
    pub accept: &'static str,
    pub required_params: &'static [ParamInfo],
    /// Decode a success response with the binding's model, then re-encode it as JSON.
    pub decode: fn(RawResponse) -> Result<Value, Error>,
    /// Decode a success body with the binding's model and drop it (for benchmarks).
    pub parse: fn(&[u8]) -> Result<(), Error>,
    /// Build the request from string parameters and a JSON body, and send it.
    pub call: CallFn,
}

impl Binding {
    /// The version of `op` this binding was generated from (same version, same `Accept`).
    pub fn version_in<'a>(&self, op: &'a SpecOperation) -> Option<&'a OperationVersion> {
        op.versions
            .iter()
            .find(|v| v.version.label() == self.version && v.accept == self.accept)
    }

    /// [`Self::version_in`] its operation in `api`.
    pub fn spec_version<'a>(&self, api: &'a Api) -> Option<&'a OperationVersion> {
        api.operations
            .iter()
            .filter(|o| o.operation_id == self.operation_id)
            .find_map(|o| self.version_in(o))
    }
}

impl ParamInfo {
    pub const fn new(name: &'static str, location: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            location,
            kind,
        }
    }
}

/// How a binding builds and sends its request.
pub type CallFn = for<'a> fn(&'a Client, Params<'_>, Option<Value>) -> Result<Call<'a>, Error>;

impl Binding {
    /// The binding of operation `O` at `version`: its id, method, path and media type are
    /// `O`'s own constants, so the table cannot disagree with the crate.
    pub fn of<O>(version: &'static str, required_params: &'static [ParamInfo], call: CallFn) -> Self
    where
        O: Operation,
        O::Output: Serialize,
    {
        Self {
            operation_id: O::OPERATION_ID,
            method: method_name(&O::METHOD),
            path: O::PATH_TEMPLATE,
            version,
            accept: O::ACCEPT,
            required_params,
            decode: decode::<O>,
            parse: parse::<O>,
            call,
        }
    }
}

/// The method's name with a `'static` lifetime (`Method::as_str` borrows).
fn method_name(method: &atlas_admin::runtime::Method) -> &'static str {
    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        .into_iter()
        .find(|name| *name == method.as_str())
        .unwrap_or("OTHER")
}

impl std::fmt::Debug for Binding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} ({})",
            self.operation_id, self.method, self.path, self.version
        )
    }
}

fn reencode<T: Serialize>(operation: &'static str, value: T) -> Result<Value, Error> {
    serde_json::to_value(value)
        .map_err(|e| Error::InvalidInput(format!("{operation}: cannot re-encode: {e}")))
}

/// Decode with `O`'s model and re-encode.
pub fn decode<O: Operation>(response: RawResponse) -> Result<Value, Error>
where
    O::Output: Serialize,
{
    reencode(O::OPERATION_ID, O::decode(response)?)
}

/// Decode with `O`'s model only.
pub fn parse<O: Operation>(body: &[u8]) -> Result<(), Error> {
    let response = RawResponse::new(200, Default::default(), body.to_vec());
    O::decode(response).map(drop)
}

/// A required parameter parsed from its string form.
pub fn param<T: FromStr>(params: Params<'_>, name: &str) -> Result<T, Error>
where
    T::Err: Display,
{
    let raw =
        params(name).ok_or_else(|| Error::InvalidInput(format!("missing parameter `{name}`")))?;
    raw.parse()
        .map_err(|e| Error::InvalidInput(format!("parameter `{name}` = `{raw}`: {e}")))
}

/// A required list parameter, comma-separated.
pub fn param_list<T: FromStr>(params: Params<'_>, name: &str) -> Result<Vec<T>, Error>
where
    T::Err: Display,
{
    let raw =
        params(name).ok_or_else(|| Error::InvalidInput(format!("missing parameter `{name}`")))?;
    raw.split(',')
        .map(|item| {
            item.parse()
                .map_err(|e| Error::InvalidInput(format!("parameter `{name}` item `{item}`: {e}")))
        })
        .collect()
}

/// A request body from JSON.
pub fn body<T: DeserializeOwned>(body: Option<Value>) -> Result<T, Error> {
    let value = body.unwrap_or_else(|| Value::Object(Default::default()));
    serde_path_to_error::deserialize(value)
        .map_err(|e| Error::InvalidInput(format!("body at `{}`: {}", e.path(), e.inner())))
}

/// Send an operation and re-encode its output.
pub fn call<'a, O>(client: &'a Client, operation: O) -> Call<'a>
where
    O: Operation + Send + Sync + 'a,
    O::Output: Serialize + Send,
{
    Box::pin(async move { reencode(O::OPERATION_ID, client.execute(&operation).await?) })
}
