//! Spec drift: where a real response differs from the published spec, found by walking
//! the JSON alongside the IR type the generator built for it, and by comparing the
//! original body with its typed round trip.

use atlas_admin_codegen::ir::{Api, StringEnum, TypeKind, TypeRef};
use serde_json::Value;

/// One difference between a response and the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Finding {
    /// JSON path, e.g. `results[3].replicationSpecs[0].regionConfigs[0].regionName`.
    pub path: String,
    pub what: String,
}

fn key_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Walk `value` against `ty`, listing what the spec does not allow.
pub fn check(api: &Api, ty: &TypeRef, value: &Value, path: &str, out: &mut Vec<Finding>) {
    let mut push = |what: String| {
        out.push(Finding {
            path: path.to_owned(),
            what,
        })
    };
    match (ty, value) {
        (_, Value::Null) => {}
        (TypeRef::Vec(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check(api, inner, item, &format!("{path}[{i}]"), out);
            }
        }
        (TypeRef::Map(inner), Value::Object(map)) => {
            for (k, v) in map {
                check(api, inner, v, &key_path(path, k), out);
            }
        }
        (TypeRef::Named(name), _) => match api.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                let Value::Object(map) = value else {
                    push(format!("expected an object ({name})"));
                    return;
                };
                for field in &s.fields {
                    let field_path = key_path(path, &field.wire_name);
                    match map.get(&field.wire_name) {
                        None if field.spec_required && !field.write_only => out.push(Finding {
                            path: field_path,
                            what: format!("required by {name} but absent"),
                        }),
                        None => {}
                        Some(Value::Null) if !field.nullable => out.push(Finding {
                            path: field_path,
                            what: "null, but the spec does not mark it nullable".into(),
                        }),
                        Some(v) => check(api, &field.ty, v, &field_path, out),
                    }
                }
                if s.additional.is_none() {
                    for k in map.keys() {
                        if !s.fields.iter().any(|f| &f.wire_name == k) {
                            out.push(Finding {
                                path: key_path(path, k),
                                what: format!("key not defined by {name}"),
                            });
                        }
                    }
                } else if let Some(extra) = &s.additional {
                    for (k, v) in map {
                        if !s.fields.iter().any(|f| &f.wire_name == k) {
                            check(api, extra, v, &key_path(path, k), out);
                        }
                    }
                }
            }
            Some(TypeKind::Enum(e)) => {
                if let Some(text) = unknown_enum_value(e, value) {
                    push(format!("value `{text}` is not in enum {name}"));
                }
            }
            Some(TypeKind::Tagged(t)) => {
                let tag = value.get(&t.property).and_then(Value::as_str);
                match t
                    .variants
                    .iter()
                    .find(|v| tag.is_some_and(|tag| v.values.iter().any(|x| x == tag)))
                {
                    Some(variant) => check(api, &variant.ty, value, path, out),
                    None => push(format!(
                        "discriminator `{}` = {tag:?} is not mapped by {name}",
                        t.property
                    )),
                }
            }
            Some(TypeKind::Untagged(u)) => {
                // The variant that explains the value best.
                let best = u
                    .variants
                    .iter()
                    .map(|v| {
                        let mut found = Vec::new();
                        check(api, &v.ty, value, path, &mut found);
                        found
                    })
                    .min_by_key(Vec::len);
                out.extend(best.unwrap_or_default());
            }
            None => {}
        },
        _ => {}
    }
}

/// What the round trip says about `null` the model did not write back: the models drop
/// `null` (absent and null decode alike), so this is drift, never a failure.
pub const NULL_NOT_KEPT: &str = "explicit null not kept";

impl Finding {
    /// A `null` the model read and did not write back (see [`NULL_NOT_KEPT`]).
    pub fn is_null_not_kept(&self) -> bool {
        self.what == NULL_NOT_KEPT
    }
}

/// Differences between the original body and the typed round trip, by JSON path.
/// Numbers compare by value and timestamps by instant, so `1` equals `1.0` and `+00:00`
/// equals `Z`.
pub fn round_trip_diff(original: &Value, reencoded: &Value, path: &str, out: &mut Vec<Finding>) {
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => round_trip_diff(v, w, &key_path(path, k), out),
                    None if v.is_null() => out.push(Finding {
                        path: key_path(path, k),
                        what: NULL_NOT_KEPT.into(),
                    }),
                    None => out.push(Finding {
                        path: key_path(path, k),
                        what: "key dropped by the model".into(),
                    }),
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    out.push(Finding {
                        path: key_path(path, k),
                        what: "key added by the model".into(),
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                round_trip_diff(v, w, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(Finding {
            path: path.to_owned(),
            what: format!("value changed from {} to {}", short(a), short(b)),
        }),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 60 {
        format!(
            "{}…",
            &text[..text.char_indices().nth(60).map_or(text.len(), |(i, _)| i)]
        )
    } else {
        text
    }
}

/// A string (or, for an integer enum, number) value the enum does not list.
fn unknown_enum_value(e: &StringEnum, value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) if !e.integer => s.clone(),
        Value::Number(n) if e.integer => n.to_string(),
        _ => return None,
    };
    (!e.variants.iter().any(|v| v.wire == text)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_ignores_number_and_timestamp_spelling() {
        let mut out = Vec::new();
        round_trip_diff(
            &json!({"a": 1, "t": "2026-01-01T00:00:00+00:00", "n": null, "x": [1]}),
            &json!({"a": 1.0, "t": "2026-01-01T00:00:00Z", "x": [2]}),
            "",
            &mut out,
        );
        assert_eq!(
            out,
            vec![
                Finding {
                    path: "n".into(),
                    what: NULL_NOT_KEPT.into()
                },
                Finding {
                    path: "x[0]".into(),
                    what: "value changed from 1 to 2".into()
                },
            ]
        );
    }
}
