//! OpenAPI Overlay 1.0 documents (the Atlas CLI's `watchers.yaml`): actions whose JSONPath
//! `target` selects nodes of the spec and whose `update` is merged into each of them,
//! applied to the document before it is read as OpenAPI.

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diag::Error;

/// A parsed overlay; every target is a valid JSONPath.
#[derive(Debug, Clone)]
pub struct Overlay {
    path: String,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Action {
    target: JsonPath,
    update: Value,
}

#[derive(Deserialize)]
struct OverlayFile {
    overlay: String,
    actions: Vec<ActionFile>,
}

#[derive(Deserialize)]
struct ActionFile {
    target: String,
    #[serde(default)]
    update: Option<Value>,
    #[serde(default)]
    remove: bool,
}

/// Parse an overlay document; an unsupported version, a bad target or a `remove` action
/// (which no input uses) is an error naming the action.
pub fn parse_overlay(path: &str, text: &str) -> Result<Overlay, Error> {
    let file: OverlayFile = serde_yaml::from_str(text).map_err(|source| Error::Yaml {
        path: path.to_owned(),
        source,
    })?;
    let fail = |index: usize, target: &str, message: String| Error::Overlay {
        path: path.to_owned(),
        index,
        target: target.to_owned(),
        message,
    };
    if !file.overlay.starts_with("1.") {
        return Err(fail(
            0,
            "overlay",
            format!("version {} is not 1.x", file.overlay),
        ));
    }
    let mut actions = Vec::with_capacity(file.actions.len());
    for (index, action) in file.actions.into_iter().enumerate() {
        let target = JsonPath::parse(&action.target)
            .map_err(|e| fail(index, &action.target, format!("not a JSONPath: {e}")))?;
        if action.remove {
            return Err(fail(
                index,
                &action.target,
                "`remove` actions are not supported".into(),
            ));
        }
        let update = action
            .update
            .ok_or_else(|| fail(index, &action.target, "an action without `update`".into()))?;
        actions.push(Action { target, update });
    }
    Ok(Overlay {
        path: path.to_owned(),
        actions,
    })
}

impl Overlay {
    /// Merge each action's update into every node its target selects. A target that
    /// selects nothing changes nothing (an older document may lack the operation).
    pub fn apply(&self, spec: &mut Value) -> Result<(), Error> {
        for (index, action) in self.actions.iter().enumerate() {
            let pointers: Vec<String> = action
                .target
                .query_located(spec)
                .locations()
                .map(|location| location.to_json_pointer())
                .collect();
            for pointer in pointers {
                let Some(node) = spec.pointer_mut(&pointer) else {
                    continue;
                };
                if !node.is_object() || !action.update.is_object() {
                    return Err(Error::Overlay {
                        path: self.path.clone(),
                        index,
                        target: action.target.to_string(),
                        message: format!("the update and the node at {pointer} must be objects"),
                    });
                }
                merge(node, &action.update);
            }
        }
        Ok(())
    }
}

/// Overlay 1.0 merge: objects merge key by key, recursively; any other value replaces.
fn merge(into: &mut Value, update: &Value) {
    match (into, update) {
        (Value::Object(into), Value::Object(update)) => {
            for (key, value) in update {
                match into.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (into, update) => *into = update.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_select_operations_and_updates_merge() {
        let overlay = parse_overlay(
            "o.yaml",
            "overlay: 1.0.0\nactions:\n  - target: $.paths['/a']['post','patch']\n    update:\n      x-w: {get: 1}\n",
        )
        .unwrap();
        let mut spec =
            json!({"paths": {"/a": {"post": {"x-w": {"keep": 2}}, "patch": {}, "get": {}}}});
        overlay.apply(&mut spec).unwrap();
        assert_eq!(
            spec["paths"]["/a"]["post"]["x-w"],
            json!({"keep": 2, "get": 1})
        );
        assert_eq!(spec["paths"]["/a"]["patch"]["x-w"], json!({"get": 1}));
        assert_eq!(spec["paths"]["/a"]["get"], json!({}));
    }

    #[test]
    fn bad_overlays_name_the_action() {
        let err = parse_overlay(
            "o.yaml",
            "overlay: 1.0.0\nactions:\n  - target: $.paths[\n    update: {}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("o.yaml: overlay action #0 ($.paths[)"),
            "{err}"
        );
        let err = parse_overlay("o.yaml", "overlay: 2.0.0\nactions: []\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("version 2.0.0"), "{err}");
    }
}
