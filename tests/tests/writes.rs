//! Writing to Atlas: what a request body sends, on the wire (the request builder, which
//! has no I/O). A PATCH sends exactly the fields set; a nullable field can be sent as
//! `null`; a POST missing a field the spec requires fails before any I/O naming it; a
//! tagged union writes its tag once, from the variant.

use atlas_admin::apis::{clusters, database_users};
use atlas_admin::models::write;
use atlas_admin::models::{
    AwsHardwareSpec20240805InstanceSize, CloudRegionConfig20240805RegionName,
    ClusterDescription20240805ClusterType,
};
use atlas_admin::runtime::{HttpRequest, Operation};
use atlas_admin::{Error, Nullable, ObjectId};
use serde_json::{json, Value};

fn group() -> ObjectId {
    "5e2211c17a3e5a48f5497de3".parse().unwrap()
}

fn sent(request: &HttpRequest) -> Value {
    let body = request.body.as_ref().expect("a body");
    serde_json::from_slice(&body.bytes).unwrap()
}

#[test]
fn a_patch_sends_exactly_the_fields_set() {
    let request = database_users::update_group_database_user(
        group(),
        "admin",
        "alice",
        write::CloudDatabaseUserWrite::default().description("new text"),
    )
    .to_request()
    .unwrap();
    let body = request.body.as_ref().unwrap();
    assert_eq!(
        std::str::from_utf8(&body.bytes).unwrap(),
        r#"{"description":"new text"}"#
    );
}

#[test]
fn an_empty_patch_sends_an_empty_object() {
    let request = database_users::update_group_database_user(
        group(),
        "admin",
        "alice",
        write::CloudDatabaseUserWrite::default(),
    )
    .to_request()
    .unwrap();
    assert_eq!(sent(&request), json!({}));
}

#[test]
fn a_nullable_field_has_three_states() {
    let patch = |body: write::ClusterDescription20240805Write| {
        sent(
            &clusters::update_group_cluster(group(), "c", body)
                .to_request()
                .unwrap(),
        )
    };
    let base = write::ClusterDescription20240805Write::default();
    assert_eq!(patch(base.clone()), json!({}), "absent: not sent");
    assert_eq!(
        patch(base.clone().null_adaptive_capacity()),
        json!({"adaptiveCapacity": null}),
        "null: clears the field"
    );
    let mut direct = base;
    direct.adaptive_capacity = Nullable::Null;
    assert_eq!(patch(direct), json!({"adaptiveCapacity": null}));
}

/// A database user with every required field but `roles`.
fn alice() -> write::CloudDatabaseUserWrite {
    write::CloudDatabaseUserWrite::default()
        .database_name(atlas_admin::models::CloudDatabaseUserDatabaseName::Admin)
        .group_id("5e2211c17a3e5a48f5497de3")
        .username("alice")
}

/// A role on `admin`.
fn read_write_any() -> write::DatabaseUserRoleWrite {
    write::DatabaseUserRoleWrite::default()
        .database_name("admin")
        .role_name(atlas_admin::models::DatabaseUserRoleRoleName::ReadWriteAnyDatabase)
}

#[test]
fn a_post_missing_a_required_field_fails_before_io_naming_it() {
    let err = database_users::create_group_database_user(group(), alice())
        .to_request()
        .unwrap_err();
    let Error::InvalidInput(message) = &err else {
        panic!("expected InvalidInput, got {err:?}");
    };
    assert!(message.contains("`body.roles`"), "{message}");
    assert!(
        message.contains("POST /api/atlas/v2/groups/{groupId}/databaseUsers"),
        "{message}"
    );
}

#[test]
fn a_nested_required_field_is_named_by_its_path() {
    let err = database_users::create_group_database_user(
        group(),
        alice().roles(vec![
            read_write_any(),
            write::DatabaseUserRoleWrite::default().database_name("admin"),
        ]),
    )
    .to_request()
    .unwrap_err();
    assert!(
        err.to_string().contains("`body.roles[1].roleName`"),
        "{err}"
    );
}

#[test]
fn a_complete_post_is_sent_as_set() {
    let request = database_users::create_group_database_user(
        group(),
        alice().password("s3cret").roles(vec![read_write_any()]),
    )
    .to_request()
    .unwrap();
    assert_eq!(
        sent(&request),
        json!({
            "databaseName": "admin",
            "groupId": "5e2211c17a3e5a48f5497de3",
            "password": "s3cret",
            "roles": [{"databaseName": "admin", "roleName": "readWriteAnyDatabase"}],
            "username": "alice",
        })
    );
}

/// An M10 replica set on AWS, as the Atlas documentation builds it.
fn m10_cluster() -> write::ClusterDescription20240805Write {
    let region = write::AwsRegionConfig20240805Write::default()
        .region_name(CloudRegionConfig20240805RegionName::UsEast1)
        .priority(7)
        .electable_specs(
            write::AwsHardwareSpec20240805Write::default()
                .instance_size(AwsHardwareSpec20240805InstanceSize::M10)
                .node_count(3),
        );
    write::ClusterDescription20240805Write::default()
        .name("Cluster0")
        .cluster_type(ClusterDescription20240805ClusterType::Replicaset)
        .replication_specs(vec![
            write::ReplicationSpec20240805Write::default().region_configs(vec![region.into()])
        ])
}

#[test]
fn a_tagged_union_writes_its_tag_once_and_right() {
    let request = clusters::create_group_cluster(group(), m10_cluster())
        .to_request()
        .unwrap();
    let text = std::str::from_utf8(&request.body.as_ref().unwrap().bytes)
        .unwrap()
        .to_owned();
    assert_eq!(text.matches("providerName").count(), 1, "{text}");
    assert_eq!(
        sent(&request),
        json!({
            "clusterType": "REPLICASET",
            "name": "Cluster0",
            "replicationSpecs": [{"regionConfigs": [{
                "providerName": "AWS",
                "electableSpecs": {"instanceSize": "M10", "nodeCount": 3},
                "priority": 7,
                "regionName": "US_EAST_1",
            }]}],
        })
    );
}

#[test]
fn a_union_variant_converts_into_its_union() {
    let aws = write::AwsRegionConfig20240805Write::default().priority(7);
    let region = write::CloudRegionConfig20240805Write::from(aws.clone());
    assert_eq!(
        region,
        write::CloudRegionConfig20240805Write::AwsRegionConfig20240805(aws)
    );
}

#[test]
fn a_write_model_loads_from_json_and_sends_it_back() {
    let text = r#"{"name":"Cluster0","replicationSpecs":[{"regionConfigs":[
        {"providerName":"AWS","priority":7,"regionName":"US_EAST_1",
         "electableSpecs":{"instanceSize":"M10","nodeCount":3}}]}]}"#;
    let loaded: write::ClusterDescription20240805Write = serde_json::from_str(text).unwrap();
    let write::CloudRegionConfig20240805Write::AwsRegionConfig20240805(region) =
        &loaded.replication_specs.as_ref().unwrap()[0]
            .region_configs
            .as_ref()
            .unwrap()[0]
    else {
        panic!("the AWS variant");
    };
    assert_eq!(region.priority, Some(7));
    let back: Value = serde_json::to_value(&loaded).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
}

#[test]
fn read_only_fields_are_not_part_of_write_models() {
    // `links` and `id` are read-only in the spec: a write model has no such field, and a
    // body loaded from JSON that carries them does not send them back.
    let loaded: write::CloudDatabaseUserWrite =
        serde_json::from_str(r#"{"description":"d","links":[{"href":"x"}]}"#).unwrap();
    assert_eq!(
        serde_json::to_value(&loaded).unwrap(),
        json!({"description": "d"})
    );
}

#[test]
fn operations_check_required_fields_only_for_post_and_put() {
    // The same model in a PATCH is a partial update: nothing is required.
    assert!(database_users::update_group_database_user(
        group(),
        "admin",
        "alice",
        write::CloudDatabaseUserWrite::default(),
    )
    .to_request()
    .is_ok());
    assert_eq!(
        database_users::UpdateGroupDatabaseUser::METHOD,
        atlas_admin::runtime::Method::PATCH
    );
}

/// A write model's page lists what a request can send as `null`, linked to the setters:
/// nullable fields are found without reading every field.
#[test]
fn a_write_model_documents_the_fields_it_can_clear() {
    let model = |file: &str| {
        let path = atlas_admin_tests::workspace_root().join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let cluster =
        model("generated/crates/deployments/src/models/write/cluster_description20240805_write.rs");
    let docs: String = cluster
        .lines()
        .take_while(|l| !l.starts_with("pub struct"))
        .filter(|l| l.starts_with("///"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        docs.contains("Can be sent as `null` (a PATCH clears them): ")
            && docs.contains("[`null_adaptive_capacity`](Self::null_adaptive_capacity)"),
        "{docs}"
    );
    let setters = cluster.matches("pub fn null_").count();
    assert_eq!(docs.matches("](Self::null_").count(), setters, "{docs}");
    let user = model("generated/crates/platform/src/models/write/cloud_database_user_write.rs");
    assert!(!user.contains("Can be sent as `null`"), "no nullable field");
}
