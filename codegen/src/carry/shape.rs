//! Types upstream widened. When a new document lets a response send more than the
//! released type names (a plain string where an enum was, a value that is now always
//! present) or lets a request send more (`null`, any string), the released type still
//! serves every exchange: an open enum decodes any string, an `Option` decodes a value
//! that is always there, a request that never sends `null` is still valid. Keeping it
//! spares downstream code a major release; `--drop-deprecated` adopts the new type.

use indexmap::IndexMap;

use crate::diff::field_type;
use crate::ir::{Field, Kept, Presence, TypeDef, TypeKind, TypeRef};

use crate::ir::Side;

/// The released field, marked kept, when its type differs from `now`'s and still
/// serves the document `now` comes from; `enums` are the released read types.
pub(super) fn kept_field(
    side: Side,
    was: &Field,
    now: &Field,
    enums: &IndexMap<String, TypeDef>,
    date: &str,
) -> Option<Field> {
    let upstream = field_type(now);
    if field_type(was) == upstream || (now.boxed && !was.boxed) {
        return None;
    }
    let serves = match side {
        Side::Read => {
            reads_presence(was.presence, now.presence) && decodes(&was.ty, &now.ty, enums)
        }
        Side::Write => {
            writes_presence(was.presence, now.presence) && encodes(&was.ty, &now.ty, enums)
        }
    };
    if !serves {
        return None;
    }
    let mut kept = was.clone();
    kept.kept = Some(was.kept.clone().unwrap_or(Kept {
        document: date.to_owned(),
        upstream,
    }));
    Some(kept)
}

/// A response field: an `Option` still decodes a field that became required.
fn reads_presence(was: Presence, now: Presence) -> bool {
    use Presence::*;
    was == now || matches!((was, now), (Optional | RequiredNullable, _))
}

/// A request field: one that never sends `null` is valid where `null` became allowed,
/// one always sent is valid where it became optional.
fn writes_presence(was: Presence, now: Presence) -> bool {
    use Presence::*;
    was == now || matches!((was, now), (Optional, Nullable) | (Required, _))
}

fn string_enum(enums: &IndexMap<String, TypeDef>, name: &str) -> bool {
    matches!(enums.get(name).map(|d| &d.kind), Some(TypeKind::Enum(e)) if !e.integer)
}

/// Every value of `now` decodes as `was`.
fn decodes(was: &TypeRef, now: &TypeRef, enums: &IndexMap<String, TypeDef>) -> bool {
    use TypeRef::*;
    match (was, now) {
        _ if was == now => true,
        (Json, _) => true,
        (String, DateTime | Date | ObjectId) => true,
        (Named(e), String) => string_enum(enums, e),
        (F64, I32 | I64) | (I64, I32) => true,
        (Vec(a), Vec(b)) | (Map(a), Map(b)) => decodes(a, b, enums),
        _ => false,
    }
}

/// Every value `was` holds is a value of `now`.
fn encodes(was: &TypeRef, now: &TypeRef, enums: &IndexMap<String, TypeDef>) -> bool {
    use TypeRef::*;
    match (was, now) {
        _ if was == now => true,
        (_, Json) => true,
        (DateTime | Date | ObjectId, String) => true,
        (Named(e), String) => string_enum(enums, e),
        (I32, I64 | F64) | (I64, F64) => true,
        (Vec(a), Vec(b)) | (Map(a), Map(b)) => encodes(a, b, enums),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_keep_wider_types_and_requests_narrower_ones() {
        let enums = IndexMap::new();
        let s = || TypeRef::String;
        assert!(decodes(
            &TypeRef::Json,
            &TypeRef::Vec(Box::new(s())),
            &enums
        ));
        assert!(!encodes(
            &TypeRef::Json,
            &TypeRef::Vec(Box::new(s())),
            &enums
        ));
        assert!(decodes(&s(), &TypeRef::ObjectId, &enums));
        assert!(!decodes(&TypeRef::ObjectId, &s(), &enums));
        assert!(encodes(&TypeRef::ObjectId, &s(), &enums));
        assert!(!encodes(&s(), &TypeRef::ObjectId, &enums));
        assert!(reads_presence(Presence::Optional, Presence::Required));
        assert!(!reads_presence(Presence::Required, Presence::Optional));
        assert!(writes_presence(Presence::Optional, Presence::Nullable));
        assert!(!writes_presence(Presence::Nullable, Presence::Optional));
    }
}
