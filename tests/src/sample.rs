//! Minimal valid inputs for any binding: parameter strings by kind and JSON bodies of an
//! IR type, for tests that call every operation.

use atlas_admin_codegen::ir::{Api, Presence, TypeKind, TypeRef};
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
