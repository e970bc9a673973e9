//! Scalar schemas: formats to Rust types, and the 24-hex identifier rule.

use crate::ir::TypeRef;

use super::view::View;

/// The pattern Atlas uses for its 24-hex resource ids (MongoDB ObjectIds).
pub const OBJECT_ID_PATTERN: &str = "^([a-f0-9]{24})$";

/// Whether a string schema is a 24-hex identifier.
pub fn is_object_id(view: &View<'_>) -> bool {
    view.typ == Some("string") && view.pattern == Some(OBJECT_ID_PATTERN)
}

/// The Rust type of a scalar schema (`string`, `integer`, `number`, `boolean`).
///
/// `int32` maps to `i32`; `int64` and unformatted integers to `i64` (JSON integers are not
/// bounded by the spec); every `number` to `f64`. `date-time` and `date` become typed
/// timestamps; other string formats (email, uuid, uri, password) stay `String` and are
/// documented on the item.
pub fn scalar(view: &View<'_>) -> Option<TypeRef> {
    let format = view.format.as_deref();
    Some(match view.typ? {
        "string" if is_object_id(view) => TypeRef::ObjectId,
        "string" => match format {
            Some("date-time") => TypeRef::DateTime,
            Some("date") => TypeRef::Date,
            _ => TypeRef::String,
        },
        "integer" => match format {
            Some("int32") => TypeRef::I32,
            _ => TypeRef::I64,
        },
        "number" => TypeRef::F64,
        "boolean" => TypeRef::Bool,
        _ => return None,
    })
}
