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
                    OverrideOp::Replace => items[at] = value()?,
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

/// Deserialize the typed document, naming the JSON path of the first mismatch.
pub fn to_openapi(path: &str, spec: Value) -> Result<openapiv3::OpenAPI, Error> {
    serde_path_to_error::deserialize(spec).map_err(|err| {
        let pointer = format!("#/{}", err.path().to_string().replace('.', "/"));
        Error::OpenApi {
            path: path.to_owned(),
            pointer,
            message: err.into_inner().to_string(),
        }
    })
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
    }
}
