//! Minimal valid inputs for any binding: parameter strings by kind and JSON bodies of an
//! IR type, for tests that call every operation.

use atlas_admin_codegen::ir::{Api, Presence, ResponseBody, TypeKind, TypeRef};

use crate::binding::Binding;
use crate::registry::bindings;
use serde_json::{json, Value};

/// A value of the right type for a required parameter the file name does not carry
/// (query parameters are not part of recording names; the server ignores them here).
pub fn sample(kind: &str) -> String {
    match kind.split_once(':') {
        Some(("enum", values)) => values.split('|').next().unwrap_or_default().to_owned(),
        Some(("list", inner)) => sample(inner),
        _ => match kind {
            "integer" | "number" => "1".into(),
            "bool" => "true".into(),
            "object-id" => "0123456789abcdef01234567".into(),
            "date-time" => "2026-01-01T00:00:00Z".into(),
            "date" => "2026-01-01".into(),
            _ => "sample".into(),
        },
    }
}

/// A minimal JSON value of an IR type: required fields filled, optional ones left out.
pub fn sample_value(api: &Api, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::String => json!("sample"),
        TypeRef::Bool => json!(true),
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => json!(1),
        TypeRef::DateTime => json!("2026-01-01T00:00:00Z"),
        TypeRef::Date => json!("2026-01-01"),
        TypeRef::ObjectId => json!("0123456789abcdef01234567"),
        TypeRef::Json | TypeRef::Map(_) => json!({}),
        TypeRef::Vec(_) => json!([]),
        TypeRef::Named(name) => sample_model(api, api.types.get(name).map(|d| &d.kind), depth),
        TypeRef::Write(name) => sample_model(api, api.writes.get(name).map(|d| &d.kind), depth),
    }
}

/// A minimal JSON value of a model: the fields the spec requires (a write model keeps
/// every field optional in Rust, so the spec decides).
fn sample_model(api: &Api, kind: Option<&TypeKind>, depth: usize) -> Value {
    match kind {
        Some(TypeKind::Struct(s)) if depth < 8 => Value::Object(
            s.fields
                .iter()
                .filter(|f| f.presence == Presence::Required || f.spec_required)
                .map(|f| (f.wire_name.clone(), sample_value(api, &f.ty, depth + 1)))
                .collect(),
        ),
        Some(TypeKind::Enum(e)) if e.integer => e
            .variants
            .first()
            .and_then(|v| v.wire.parse::<i64>().ok())
            .map_or(json!(1), |n| json!(n)),
        Some(TypeKind::Enum(e)) => {
            json!(e.variants.first().map_or("sample", |v| v.wire.as_str()))
        }
        Some(TypeKind::Tagged(t)) => t.variants.first().map_or(json!({}), |v| {
            let mut value = sample_value(api, &v.ty, depth + 1);
            value[t.property.as_str()] = json!(v.values[0]);
            value
        }),
        _ => json!({}),
    }
}

/// A filled JSON value of an IR type, as a large response would be: every field a
/// response can carry, lists of two, and union members and enum values in turn (`seed`
/// picks them, so a list's elements differ). For decoding benchmarks over the spec's
/// shapes rather than one corpus's.
pub fn filled_value(api: &Api, ty: &TypeRef, depth: usize, seed: usize) -> Value {
    match ty {
        TypeRef::String => json!(format!("sample text {seed}")),
        TypeRef::Bool => json!(seed.is_multiple_of(2)),
        TypeRef::I32 | TypeRef::I64 => json!(seed * 37 + 1),
        TypeRef::F64 => json!(seed as f64 + 0.5),
        TypeRef::DateTime => json!("2026-01-01T00:00:00Z"),
        TypeRef::Date => json!("2026-01-01"),
        TypeRef::ObjectId => json!(format!("0123456789abcdef{:08x}", seed)),
        TypeRef::Json => json!({"free": [seed, "form"]}),
        TypeRef::Map(inner) if depth < FILLED_DEPTH => Value::Object(
            (0..2)
                .map(|i| {
                    (
                        format!("key{i}"),
                        filled_value(api, inner, depth + 1, seed + i),
                    )
                })
                .collect(),
        ),
        TypeRef::Vec(inner) if depth < FILLED_DEPTH => Value::Array(
            (0..2)
                .map(|i| filled_value(api, inner, depth + 1, seed + i))
                .collect(),
        ),
        TypeRef::Map(_) => json!({}),
        TypeRef::Vec(_) => json!([]),
        TypeRef::Named(name) => {
            filled_model(api, api.types.get(name).map(|d| &d.kind), depth, seed)
        }
        TypeRef::Write(name) => {
            filled_model(api, api.writes.get(name).map(|d| &d.kind), depth, seed)
        }
    }
}

/// How deep [`filled_value`] fills lists, maps and models (the spec's models are
/// recursive in places).
const FILLED_DEPTH: usize = 6;

fn filled_model(api: &Api, kind: Option<&TypeKind>, depth: usize, seed: usize) -> Value {
    let pick = |len: usize| seed % len.max(1);
    match kind {
        Some(TypeKind::Struct(s)) if depth < FILLED_DEPTH => Value::Object(
            s.fields
                .iter()
                .filter(|f| !f.write_only)
                .map(|f| {
                    (
                        f.wire_name.clone(),
                        filled_value(api, &f.ty, depth + 1, seed),
                    )
                })
                .collect(),
        ),
        Some(TypeKind::Struct(_)) => sample_model(api, kind, depth),
        Some(TypeKind::Enum(e)) if !e.integer => {
            let live: Vec<_> = e.variants.iter().filter(|v| v.removed.is_none()).collect();
            live.get(pick(live.len()))
                .map_or_else(|| json!("sample"), |v| json!(v.wire))
        }
        Some(TypeKind::Tagged(t)) if !t.variants.is_empty() => {
            let variant = &t.variants[pick(t.variants.len())];
            let mut value = filled_value(api, &variant.ty, depth + 1, seed);
            if let Some(tag) = variant.values.first() {
                value[t.property.as_str()] = json!(tag);
            }
            value
        }
        Some(TypeKind::Untagged(u)) => {
            let live: Vec<_> = u.variants.iter().filter(|v| v.removed.is_none()).collect();
            match live.get(pick(live.len())) {
                Some(variant) => filled_value(api, &variant.ty, depth, seed),
                None => json!({}),
            }
        }
        _ => sample_model(api, kind, depth),
    }
}

/// One filled success body ([`filled_value`]) per binding whose response is JSON: the
/// spec's shapes, not one account's. Also the bindings whose model rejects its filled
/// body, with the error.
pub fn filled_responses(api: &Api) -> (Vec<(Binding, Vec<u8>)>, Vec<String>) {
    let (mut bodies, mut rejected) = (Vec::new(), Vec::new());
    for binding in bindings() {
        let response = binding.spec_version(api).map(|v| &v.response);
        let (Some(ResponseBody::Json(ty)) | Some(ResponseBody::JsonOrEmpty(ty))) = response else {
            continue;
        };
        let body = filled_value(api, ty, 0, 0).to_string().into_bytes();
        match (binding.parse)(&body) {
            Ok(()) => bodies.push((binding, body)),
            Err(e) => rejected.push(format!("{} {}: {e}", binding.operation_id, binding.version)),
        }
    }
    (bodies, rejected)
}
