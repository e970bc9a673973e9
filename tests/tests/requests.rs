//! Request building: path encoding, query and header parameters, bodies, and the exact
//! versioned media type of every generated binding. No network.

#![allow(deprecated)] // older API versions are exercised on purpose

use atlas_admin::apis::{clusters, mongodb_cloud_users, projects};
use atlas_admin::runtime::{Method, Operation};
use atlas_admin::ObjectId;

fn group() -> ObjectId {
    "5e2211c17a3e5a48f5497de3".parse().unwrap()
}

#[test]
fn plain_name_calls_the_newest_stable_version() {
    let request = clusters::get_group_cluster(group(), "Cluster0")
        .to_request()
        .unwrap();
    assert_eq!(request.method, Method::GET);
    assert_eq!(
        request.path,
        "/api/atlas/v2/groups/5e2211c17a3e5a48f5497de3/clusters/Cluster0"
    );
    assert_eq!(request.accept, "application/vnd.atlas.2024-08-05+json");
    assert_eq!(clusters::GetGroupCluster::ACCEPT, request.accept);
}

#[test]
fn dated_names_send_their_own_version() {
    let old = clusters::get_group_cluster_2023_02_01(group(), "c")
        .to_request()
        .unwrap();
    assert_eq!(old.accept, "application/vnd.atlas.2023-02-01+json");
    let older = clusters::get_group_cluster_2023_01_01(group(), "c")
        .to_request()
        .unwrap();
    assert_eq!(older.accept, "application/vnd.atlas.2023-01-01+json");
}

#[test]
fn path_parameters_are_percent_encoded_and_never_empty() {
    let request = clusters::get_group_cluster(group(), "my cluster/1")
        .to_request()
        .unwrap();
    assert!(
        request.path.ends_with("/clusters/my%20cluster%2F1"),
        "{}",
        request.path
    );
    let err = clusters::get_group_cluster(group(), "")
        .to_request()
        .unwrap_err()
        .to_string();
    assert!(err.contains("clusterName"), "{err}");
}

#[test]
fn optional_query_and_header_parameters() {
    let request = clusters::list_group_clusters(group())
        .include_count(true)
        .items_per_page(50)
        .page_num(2)
        .to_request()
        .unwrap();
    assert_eq!(request.path_and_query(), "/api/atlas/v2/groups/5e2211c17a3e5a48f5497de3/clusters?includeCount=true&itemsPerPage=50&pageNum=2");
    assert!(request.headers.is_empty());
    let plain = clusters::list_group_clusters(group()).to_request().unwrap();
    assert!(
        plain.query.is_empty(),
        "unset options are not sent: {:?}",
        plain.query
    );
}

#[test]
fn envelope_and_pretty_are_not_exposed() {
    let request = projects::list_groups().to_request().unwrap();
    assert!(request
        .query
        .iter()
        .all(|(k, _)| k != "envelope" && k != "pretty"));
}

#[test]
fn bodies_carry_the_versioned_content_type() {
    let body =
        atlas_admin::models::write::ClusterDescription20240805Write::default().name("Cluster0");
    let request = clusters::create_group_cluster_2024_08_05(group(), body)
        .to_request()
        .unwrap();
    assert_eq!(request.method, Method::POST);
    let sent = request.body.expect("a body");
    assert_eq!(sent.content_type, "application/vnd.atlas.2024-08-05+json");
    assert_eq!(request.accept, "application/vnd.atlas.2024-08-05+json");
    let json: serde_json::Value = serde_json::from_slice(&sent.bytes).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"name": "Cluster0"}),
        "unset and read-only fields are not sent"
    );
}

#[test]
fn operation_metadata_matches_the_spec() {
    assert_eq!(mongodb_cloud_users::GetOrgUser::OPERATION_ID, "getOrgUser");
    assert_eq!(
        mongodb_cloud_users::GetOrgUser::PATH_TEMPLATE,
        "/api/atlas/v2/orgs/{orgId}/users/{userId}"
    );
}

#[test]
fn positional_arguments_follow_the_path() {
    // The spec declares `collectionName` before `databaseName`; the path names the
    // database first, and so do the arguments.
    let request = atlas_admin::apis::atlas_search::list_group_cluster_fts_index_2023_01_01(
        group(),
        "Cluster0",
        "sample_mflix",
        "movies",
    )
    .to_request()
    .unwrap();
    assert_eq!(
        request.path,
        "/api/atlas/v2/groups/5e2211c17a3e5a48f5497de3/clusters/Cluster0/fts/indexes/sample_mflix/movies"
    );
}

#[test]
fn every_operation_takes_its_path_parameters_in_path_order() {
    let spec = atlas_admin_tests::spec_path(None).unwrap();
    let api = atlas_admin_tests::load_api(&spec).unwrap();
    let mut checked = 0;
    for op in &api.operations {
        let positional: Vec<&str> = op
            .params
            .iter()
            .filter(|p| p.is_positional())
            .filter(|p| p.location == atlas_admin_codegen::ir::ParamLocation::Path)
            .map(|p| p.wire_name.as_str())
            .collect();
        let in_path: Vec<&str> = op.template.params().collect();
        assert_eq!(positional, in_path, "{}", op.operation_id);
        // Positional path arguments come before any other positional argument.
        let first_other = op.params.iter().position(|p| {
            p.is_positional() && p.location != atlas_admin_codegen::ir::ParamLocation::Path
        });
        let last_path = op
            .params
            .iter()
            .rposition(|p| p.location == atlas_admin_codegen::ir::ParamLocation::Path);
        if let (Some(other), Some(path)) = (first_other, last_path) {
            assert!(path < other, "{}", op.operation_id);
        }
        checked += 1;
    }
    assert!(checked > 500, "{checked}");
}
