//! Scalar schemas: formats to Rust types, and the 24-hex identifier rule.

use crate::ir::TypeRef;

use super::view::View;

/// The pattern Atlas uses for its 24-hex resource ids (MongoDB ObjectIds).
pub const OBJECT_ID_PATTERN: &str = "^([a-f0-9]{24})$";

/// Every pattern the document spells a 24-hex id with: lowercase (722 in the 2026-08-21
/// document) and mixed case (41, e.g. the standby links' `groupId`). `ObjectId` parses
/// either case and sends lowercase.
pub const OBJECT_ID_PATTERNS: &[&str] = &[
    OBJECT_ID_PATTERN,
    "^[a-f0-9]{24}$",
    "^[a-fA-F0-9]{24}$",
    "^([a-fA-F0-9]{24})$",
    "^[0-9a-fA-F]{24}$",
];

/// Whether a string schema is a 24-hex identifier.
pub fn is_object_id(view: &View<'_>) -> bool {
    view.typ == Some("string")
        && view
            .pattern
            .is_some_and(|p| OBJECT_ID_PATTERNS.contains(&p))
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
