//! Load: YAML text -> JSON value -> overrides applied -> typed `openapiv3` document.

use serde::Deserialize;
use serde_json::Value;

use crate::diag::Error;

/// A JSON-pointer patch applied to the spec before normalization.
///
/// Overrides record facts the normalization rules cannot know (where the published spec
/// disagrees with the live server). Each one carries its reason and its evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// JSON pointer into the spec (`#/components/...` or `/components/...`).
    pub pointer: String,
    pub op: OverrideOp,
    #[serde(default)]
    pub value: Option<Value>,
    pub reason: String,
    /// The recording or document that proves the change.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OverrideOp {
    /// Replace an existing value.
    Replace,
    /// Add a new object member or append to an array (`-`).
    Add,
    /// Remove an existing value.
    Remove,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideFile {
    #[serde(default)]
    overrides: Vec<Override>,
}

/// Parse an overrides file (`spec/overrides.yaml`).
pub fn parse_overrides(path: &str, text: &str) -> Result<Vec<Override>, Error> {
    let file: OverrideFile = serde_yaml::from_str(text).map_err(|source| Error::Yaml {
        path: path.to_owned(),
        source,
    })?;
    Ok(file.overrides)
}

/// Parse YAML (or JSON) text into a JSON value.
pub fn parse_value(path: &str, text: &str) -> Result<Value, Error> {
    serde_yaml::from_str(text).map_err(|source| Error::Yaml {
        path: path.to_owned(),
        source,
    })
}

/// Apply overrides in order; each must hit an existing place (or a valid insertion point).
pub fn apply_overrides(path: &str, spec: &mut Value, overrides: &[Override]) -> Result<(), Error> {
    for (index, ov) in overrides.iter().enumerate() {
        let fail = |message: String| Error::Override {
            path: path.to_owned(),
            index,
            pointer: ov.pointer.clone(),
            message,
        };
        let pointer = ov.pointer.trim_start_matches('#');
        let (parent_ptr, last) = match pointer.rfind('/') {
            Some(i) => (&pointer[..i], unescape(&pointer[i + 1..])),
            None => return Err(fail("pointer must start with `/` or `#/`".into())),
        };
        let parent = spec
            .pointer_mut(parent_ptr)
            .ok_or_else(|| fail(format!("no value at {parent_ptr}")))?;
        let value = || {
            ov.value
                .clone()
                .ok_or_else(|| fail(format!("`{:?}` needs a `value`", ov.op)))
        };
        match (ov.op, parent) {
            (OverrideOp::Replace, Value::Object(map)) => {
                let slot = map
                    .get_mut(&last)
                    .ok_or_else(|| fail(format!("no member `{last}` to replace")))?;
                *slot = value()?;
            }
            (OverrideOp::Add, Value::Object(map)) => {
                if map.contains_key(&last) {
                    return Err(fail(format!("member `{last}` exists: use replace")));
                }
                map.insert(last, value()?);
            }
            (OverrideOp::Remove, Value::Object(map)) => {
                map.shift_remove(&last)
                    .ok_or_else(|| fail(format!("no member `{last}` to remove")))?;
            }
            (op, Value::Array(items)) => {
                let at = if last == "-" && op == OverrideOp::Add {
                    items.len()
                } else {
                    last.parse::<usize>()
                        .ok()
                        .filter(|i| {
                            *i < items.len() || (op == OverrideOp::Add && *i == items.len())
                        })
                        .ok_or_else(|| fail(format!("bad array index `{last}`")))?
                };
                match op {
                    OverrideOp::Replace => {
                        if let Some(slot) = items.get_mut(at) {
                            *slot = value()?;
                        }
                    }
                    OverrideOp::Add => items.insert(at, value()?),
                    OverrideOp::Remove => {
                        items.remove(at);
                    }
                }
            }
            (_, _) => return Err(fail(format!("{parent_ptr} is not an object or array"))),
        }
    }
    Ok(())
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Deserialize the typed document, naming the JSON pointer of the first mismatch.
pub fn to_openapi(path: &str, spec: Value) -> Result<openapiv3::OpenAPI, Error> {
    check_version(path, &spec)?;
    let fail = |pointer: String, message: String| Error::OpenApi {
        path: path.to_owned(),
        pointer,
        message,
    };
    let narrowed = narrow(&spec);
    serde_path_to_error::deserialize(spec).map_err(|err| match narrowed {
        Some((pointer, message)) => fail(pointer, message),
        None => fail(json_pointer("#", err.path()), err.into_inner().to_string()),
    })
}

/// `openapiv3` flattens extensions into its path items and operations, which hides the
/// error path below `#/paths`; deserializing each operation and component on its own
/// finds the node that fails. Only runs on documents that fail to load.
fn narrow(spec: &Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    /// Deserializes one node as a type; the pointer and message of its first mismatch.
    type Check = fn(&str, &Value) -> Option<(String, String)>;
    fn check<T: serde::de::DeserializeOwned>(at: &str, value: &Value) -> Option<(String, String)> {
        let err = serde_path_to_error::deserialize::<_, T>(value).err()?;
        Some((json_pointer(at, err.path()), err.into_inner().to_string()))
    }
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let child = crate::diag::child;
    for (template, item) in spec.get("paths")?.as_object().into_iter().flatten() {
        let at = child("#/paths", template);
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                if let found @ Some(_) = check::<Operation>(&child(&at, method), op) {
                    return found;
                }
            }
        }
        if let found @ Some(_) = check::<ReferenceOr<PathItem>>(&at, item) {
            return found;
        }
    }
    let components = spec.get("components")?.as_object()?;
    let kinds: [(&str, Check); 4] = [
        ("schemas", check::<ReferenceOr<Schema>>),
        ("responses", check::<ReferenceOr<Response>>),
        ("parameters", check::<ReferenceOr<Parameter>>),
        ("requestBodies", check::<ReferenceOr<RequestBody>>),
    ];
    for (kind, check) in kinds {
        let at = child("#/components", kind);
        for (name, node) in components.get(kind)?.as_object().into_iter().flatten() {
            if let found @ Some(_) = check(&child(&at, name), node) {
                return found;
            }
        }
    }
    None
}

/// Only OpenAPI 3.0 documents are read: 2.0 and 3.1 differ in ways `openapiv3` would
/// misreport as a missing field deep inside the document.
fn check_version(path: &str, spec: &Value) -> Result<(), Error> {
    let fail = |pointer: &str, message: String| Error::OpenApi {
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    let Some(document) = spec.as_object() else {
        return Err(fail("#", "the document is not a mapping".into()));
    };
    match document.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => Ok(()),
        Some(v) => Err(fail(
            "#/openapi",
            format!("OpenAPI {v} is not supported; only 3.0.x documents are"),
        )),
        None if document.contains_key("swagger") => Err(fail(
            "#/swagger",
            "a Swagger 2.0 document; only OpenAPI 3.0.x documents are supported".into(),
        )),
        None => Err(fail(
            "#/openapi",
            "missing: only OpenAPI 3.0.x documents are supported".into(),
        )),
    }
}

/// A `serde_path_to_error` path below `base` as a JSON pointer (`#/paths/~1api~1x/get`).
fn json_pointer(base: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = base.to_owned();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } => key.clone(),
            Segment::Unknown => continue,
        };
        pointer = crate::diag::child(&pointer, &token);
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ov(pointer: &str, op: OverrideOp, value: Option<Value>) -> Override {
        Override {
            pointer: pointer.into(),
            op,
            value,
            reason: "test".into(),
            evidence: "test".into(),
        }
    }

    #[test]
    fn applies_replace_add_remove() {
        let mut spec = json!({"a": {"b": 1, "c": [1, 2]}});
        let list = [
            ov("#/a/b", OverrideOp::Replace, Some(json!(5))),
            ov("/a/d", OverrideOp::Add, Some(json!("x"))),
            ov("/a/c/-", OverrideOp::Add, Some(json!(3))),
            ov("/a/c/0", OverrideOp::Remove, None),
        ];
        apply_overrides("o.yaml", &mut spec, &list).unwrap();
        assert_eq!(spec, json!({"a": {"b": 5, "c": [2, 3], "d": "x"}}));
    }

    #[test]
    fn missing_target_names_the_override() {
        let mut spec = json!({"a": {}});
        let err = apply_overrides(
            "o.yaml",
            &mut spec,
            &[ov("/a/zz", OverrideOp::Replace, Some(json!(1)))],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("override #0 (/a/zz)"), "{err}");
        assert!(err.contains("no member `zz`"), "{err}");
    }

    #[test]
    fn bad_document_names_the_pointer() {
        let spec = json!({"openapi": "3.0.1", "info": {"title": "t", "version": 3}, "paths": {}});
        let err = to_openapi("x.yaml", spec).unwrap_err().to_string();
        assert!(err.contains("#/info/version"), "{err}");
        let spec = json!({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
            "paths": {"/a.b/{c}": {"get": {"responses": {"200": {"description": 5}}}}}});
        let err = to_openapi("x.yaml", spec).unwrap_err().to_string();
        assert!(err.contains("#/paths/~1a.b~1{c}/get/responses:"), "{err}");
    }

    #[test]
    fn only_openapi_3_0_is_read() {
        for (spec, pointer) in [
            (json!({"swagger": "2.0"}), "#/swagger"),
            (json!({"openapi": "3.1.0"}), "#/openapi"),
            (json!([1]), "at #:"),
        ] {
            let err = to_openapi("x.yaml", spec).unwrap_err().to_string();
            assert!(err.contains(pointer), "{err}");
        }
    }
}
