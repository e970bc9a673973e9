//! GET, change a field, send it back: a read model converts into its write form
//! (`From<&models::X> for models::write::XWrite`), sending what was read minus what the
//! spec marks read-only; and the two forms have names of their own.

use std::collections::BTreeSet;

use atlas_admin::apis::clusters;
use atlas_admin::models::{self, write};
use atlas_admin::runtime::Operation;
use atlas_admin::ObjectId;
use atlas_admin_codegen::ir::{read_name, Api, TypeKind, TypeRef};
use atlas_admin_tests::recording::{self, Recording};
use atlas_admin_tests::shared_path;
use serde_json::Value;

/// A recorded `GET /groups/{groupId}/clusters/{clusterName}` the server answered in
/// version 2024-08-05 (any such recording: the check is general).
fn recorded_cluster() -> Recording {
    let dir = shared_path("ATLAS_RECORDINGS", "recordings");
    let files = recording::find(&dir).unwrap();
    files
        .iter()
        .filter(|f| recording::is_get_in_group(f, "clusters", 4))
        .filter_map(|f| recording::parse(f, &std::fs::read(f).ok()?).ok())
        .find(|r| r.status == 200 && r.api_version().as_deref() == Some("2024-08-05"))
        .unwrap_or_else(|| panic!("{}: no recorded 2024-08-05 cluster", dir.display()))
}

fn pinned_api() -> Api {
    let spec = shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml");
    atlas_admin_tests::load_api(&spec).unwrap()
}

/// What a body built from `recorded` should hold: its keys the write model `write` has,
/// recursively through nested write models (a union's JSON as it was read).
fn expected(api: &Api, write: &str, recorded: &Value) -> Value {
    let (Some(def), Value::Object(fields)) = (api.writes.get(write), recorded) else {
        return recorded.clone();
    };
    let s = match &def.kind {
        TypeKind::Struct(s) => s,
        TypeKind::Tagged(t) => {
            // The variant the tag selects, and the tag, which the union writes.
            let tag = fields.get(&t.property).and_then(Value::as_str);
            let variant = t
                .variants
                .iter()
                .find(|v| v.values.iter().any(|x| Some(x.as_str()) == tag));
            let Some(TypeRef::Write(member)) = variant.map(|v| &v.ty) else {
                return recorded.clone();
            };
            let mut out = expected(api, member, recorded);
            out[t.property.as_str()] = Value::from(tag);
            return out;
        }
        _ => return recorded.clone(),
    };
    let mut out = serde_json::Map::new();
    for f in &s.fields {
        // A `null` read is not sent back: a read model cannot tell it from an absent
        // field, and a body leaves what it does not name unchanged.
        let Some(value) = fields.get(&f.wire_name).filter(|v| !v.is_null()) else {
            continue;
        };
        let value = match (&f.ty, value) {
            (TypeRef::Write(nested), _) => expected(api, nested, value),
            (TypeRef::Vec(inner), Value::Array(items)) => match &**inner {
                TypeRef::Write(nested) => {
                    Value::Array(items.iter().map(|v| expected(api, nested, v)).collect())
                }
                _ => value.clone(),
            },
            _ => value.clone(),
        };
        out.insert(f.wire_name.clone(), value);
    }
    Value::Object(out)
}

/// The wire names of `model`'s fields the spec marks read-only.
fn read_only(api: &Api, model: &str) -> BTreeSet<String> {
    match &api.types[model].kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter(|f| f.read_only)
            .map(|f| f.wire_name.clone())
            .collect(),
        _ => BTreeSet::new(),
    }
}

#[test]
fn a_recorded_cluster_changed_in_one_field_is_sent_back_without_its_read_only_fields() {
    let recording = recorded_cluster();
    let read: models::ClusterDescription20240805 = serde_json::from_slice(&recording.body).unwrap();
    let body = write::ClusterDescription20240805Write::from(&read).paused(true);
    let group: ObjectId = "5e2211c17a3e5a48f5497de3".parse().unwrap();
    let request = clusters::update_group_cluster(group, "c", body)
        .to_request()
        .unwrap();
    let sent: Value = serde_json::from_slice(&request.body.unwrap().bytes).unwrap();

    let api = pinned_api();
    let recorded: Value = serde_json::from_slice(&recording.body).unwrap();
    let mut want = expected(&api, "ClusterDescription20240805Write", &recorded);
    want["paused"] = Value::Bool(true);
    assert_eq!(sent, want, "{}", recording.file.display());

    // Not vacuous: the recording has read-only fields, and writable ones that are sent.
    let read_only = read_only(&api, "ClusterDescription20240805");
    let recorded_read_only: Vec<&String> = recorded
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| read_only.contains(*k))
        .collect();
    assert!(
        recorded_read_only.len() >= 4,
        "read-only: {recorded_read_only:?}"
    );
    for key in recorded_read_only {
        assert!(sent.get(key).is_none(), "read-only `{key}` was sent");
    }
    assert!(sent.as_object().unwrap().len() >= 10, "{sent}");
    assert!(sent["replicationSpecs"][0].get("id").is_none());
    assert!(sent["replicationSpecs"][0]["regionConfigs"].is_array());

    // The read model itself, borrowed, is a body: `&X` converts.
    let unchanged = clusters::update_group_cluster(group, "c", &read)
        .to_request()
        .unwrap();
    let unchanged: Value = serde_json::from_slice(&unchanged.body.unwrap().bytes).unwrap();
    match recorded.get("paused").filter(|v| !v.is_null()) {
        Some(paused) => want["paused"] = paused.clone(),
        None => {
            want.as_object_mut().unwrap().remove("paused");
        }
    }
    assert_eq!(unchanged, want);
}

#[test]
fn no_write_model_has_a_read_model_s_name_and_each_is_named_after_its_read_model() {
    let api = pinned_api();
    let (mut converted, mut with_read) = (0, 0);
    for (name, def) in &api.writes {
        assert!(
            !api.types.contains_key(name),
            "`{name}` names a read model and a write model"
        );
        let read = read_name(name).unwrap_or_else(|| panic!("`{name}` does not end in Write"));
        with_read += usize::from(api.types.contains_key(read));
        if let Some(from) = &def.from_read {
            assert_eq!(from.read, read);
            converted += 1;
        }
    }
    // A write model converts where its schema is also read; on the pinned document every
    // one does (the others are request-only). Leave room for a shape that cannot.
    assert!(
        converted * 10 >= with_read * 9,
        "{converted} of the {with_read} write models with a read model convert"
    );
}
