//! Waiters: a write's `x-xgen-atlascli.watcher` (added by the Atlas CLI's watchers
//! overlay) resolved against the operations it names. A watcher that cannot be honoured
//! (it polls an operation that is not a GET, names a version or a parameter that does not
//! exist, or reads a field in a way this generator does not follow) is a warning at its
//! pointer, and that write has no waiter.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use serde::Deserialize;
use serde_json::Value;

use crate::diag::{child, Diagnostics};
use crate::ir::{
    Api, Method, Operation, ResponseBody, TypeKind, TypeRef, WaitArg, WaitDone, WaitSource, Waiter,
};

#[derive(Deserialize)]
struct Watcher {
    get: Poll,
    expect: Expect,
}

#[derive(Deserialize)]
struct Poll {
    version: String,
    #[serde(rename = "operation-id")]
    operation_id: String,
    #[serde(default)]
    params: IndexMap<String, String>,
}

#[derive(Deserialize)]
struct Expect {
    #[serde(rename = "match", default)]
    matches: Option<Match>,
    #[serde(rename = "http-code", default)]
    http_code: Option<u16>,
}

#[derive(Deserialize)]
struct Match {
    path: String,
    values: Vec<String>,
}

/// Give every write with a usable watcher its [`Waiter`].
pub fn attach(spec: &OpenAPI, api: &mut Api, diags: &mut Diagnostics) {
    let mut found = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let Some(raw) = watcher_of(spec, op) else {
            continue;
        };
        let pointer = child(&child(&op.pointer, "x-xgen-atlascli"), "watcher");
        match serde_json::from_value::<Watcher>(raw.clone())
            .map_err(|e| format!("not a watcher: {e}"))
            .and_then(|w| resolve(api, op, &w))
        {
            Ok(waiter) => found.push((index, waiter)),
            Err(why) => diags.warn(
                pointer,
                format!("no waiter for `{}`: {why}", op.operation_id),
            ),
        }
    }
    for (index, waiter) in found {
        if let Some(op) = api.operations.get_mut(index) {
            op.waiter = Some(waiter);
        }
    }
}

fn watcher_of<'a>(spec: &'a OpenAPI, op: &Operation) -> Option<&'a Value> {
    let ReferenceOr::Item(item) = spec.paths.paths.get(&op.path)? else {
        return None;
    };
    let operation = operation_of(item, op.method)?;
    operation.extensions.get("x-xgen-atlascli")?.get("watcher")
}

fn operation_of(item: &PathItem, method: Method) -> Option<&openapiv3::Operation> {
    match method {
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Patch => item.patch.as_ref(),
    }
}

fn resolve(api: &Api, write: &Operation, watcher: &Watcher) -> Result<Waiter, String> {
    let wanted = &watcher.get.operation_id;
    let (poll, poll_op) = api
        .operations
        .iter()
        .enumerate()
        .find(|(_, o)| &o.operation_id == wanted)
        .ok_or_else(|| format!("it polls `{wanted}`, which the document does not have"))?;
    if poll_op.method != Method::Get {
        return Err(format!("it polls `{wanted}`, which is not a GET"));
    }
    let poll_version = poll_op
        .versions
        .iter()
        .position(|v| v.version.label() == watcher.get.version && v.alternate_format.is_none())
        .ok_or_else(|| format!("`{wanted}` has no version {}", watcher.get.version))?;
    let args = poll_op
        .params
        .iter()
        .filter(|p| p.is_positional())
        .map(|p| {
            let source =
                watcher.get.params.get(&p.wire_name).ok_or_else(|| {
                    format!("it gives no value for `{}` of `{wanted}`", p.wire_name)
                })?;
            if !takes_text(api, &p.ty) {
                return Err(format!(
                    "`{}` of `{wanted}` is not a string, an id or a string enum",
                    p.wire_name
                ));
            }
            let from = source_of(api, write, source)?;
            Ok(WaitArg {
                wire_name: p.wire_name.clone(),
                ty: p.ty.clone(),
                from,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let reads_response = watcher.get.params.values().any(|s| s.starts_with("body:"));
    Ok(Waiter {
        poll,
        poll_version,
        args,
        done: done_of(&watcher.expect)?,
        reads_response,
    })
}

/// Whether a waiter can pass text to a parameter of this type.
fn takes_text(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::ObjectId => true,
        TypeRef::Named(name) => matches!(
            api.types.get(name).map(|t| &t.kind),
            Some(TypeKind::Enum(e)) if !e.integer
        ),
        _ => false,
    }
}

/// `input:NAME` (a parameter of the write) or `body:$.a.b` (a field of its response).
/// A response field the caller's own request already names is taken from the request:
/// a required path parameter of that name (`groupId`), or a top-level string field of
/// the body (`name`, when set), so a write answered without those fields (a mock's
/// scripted `{"stateName": "CREATING"}`) can still be waited for.
fn source_of(api: &Api, write: &Operation, source: &str) -> Result<WaitSource, String> {
    if let Some(name) = source.strip_prefix("input:") {
        let param = write
            .params
            .iter()
            .find(|p| p.wire_name == name && p.is_positional())
            .ok_or_else(|| format!("`{source}`: the write has no required parameter `{name}`"))?;
        return Ok(WaitSource::Input(param.name.clone()));
    }
    if let Some(path) = source.strip_prefix("body:") {
        let json = write
            .versions
            .iter()
            .all(|v| matches!(v.response, ResponseBody::Json(_)));
        if !json {
            return Err(format!(
                "`{source}`: the write does not answer with a JSON body"
            ));
        }
        let pointer = pointer_of(path)?;
        let member = pointer.strip_prefix('/').filter(|m| !m.contains('/'));
        if let Some(param) = member.and_then(|m| path_param(write, m)) {
            return Ok(WaitSource::Input(param.name.clone()));
        }
        if let Some(field) = member.and_then(|m| body_field(api, write, m)) {
            return Ok(WaitSource::SentOrBody { field, pointer });
        }
        return Ok(WaitSource::Body(pointer));
    }
    Err(format!(
        "`{source}` is neither `input:NAME` nor `body:$.PATH`"
    ))
}

/// The write's required path parameter with this wire name.
fn path_param<'a>(write: &'a Operation, wire_name: &str) -> Option<&'a crate::ir::Param> {
    write.params.iter().find(|p| {
        p.wire_name == wire_name
            && p.is_positional()
            && p.location == crate::ir::ParamLocation::Path
    })
}

/// The Rust name of a top-level string field `wire_name` that every version's required
/// request body declares (writable, not nullable: an `Option<String>` in its write model).
fn body_field(api: &Api, write: &Operation, wire_name: &str) -> Option<String> {
    let mut names = write.versions.iter().map(|v| {
        let body = v.body.as_ref().filter(|b| b.required)?;
        let TypeRef::Named(model) = &body.ty else {
            return None;
        };
        let TypeKind::Struct(s) = &api.types.get(model)?.kind else {
            return None;
        };
        s.fields
            .iter()
            .find(|f| {
                f.wire_name == wire_name
                    && f.ty == TypeRef::String
                    && !f.read_only
                    && !f.nullable
                    && f.removed.is_none()
            })
            .map(|f| f.name.clone())
    });
    let first = names.next()??;
    names.all(|n| n.as_deref() == Some(&first)).then_some(first)
}

/// A JSONPath of member names only (`$.a.b`) as a JSON pointer (`/a/b`).
fn pointer_of(path: &str) -> Result<String, String> {
    let names = path
        .trim()
        .strip_prefix("$.")
        .ok_or_else(|| format!("`{path}` is not a `$.name` path"))?;
    let mut pointer = String::new();
    for name in names.split('.') {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{path}` is not a path of member names"));
        }
        pointer.push('/');
        pointer.push_str(name);
    }
    Ok(pointer)
}

/// Values that name a failure (`FAILED`, `failed`, `ERROR`) end the wait with an error;
/// the others end it with the resource.
fn done_of(expect: &Expect) -> Result<WaitDone, String> {
    match (&expect.matches, expect.http_code) {
        (Some(m), None) => {
            let fails = |v: &String| {
                let upper = v.to_ascii_uppercase();
                upper.contains("FAIL") || upper.contains("ERROR")
            };
            let (failure, success): (Vec<String>, Vec<String>) =
                m.values.iter().cloned().partition(fails);
            if success.is_empty() {
                return Err(format!("no value of `{}` means success", m.path));
            }
            Ok(WaitDone::State {
                pointer: pointer_of(&m.path)?,
                success,
                failure,
            })
        }
        (None, Some(status)) => Ok(WaitDone::Status(status)),
        _ => Err("`expect` needs exactly one of `match` and `http-code`".into()),
    }
}
