//! The crate's examples (`generated/examples/`), run against the mock transport: each
//! example's `run` is the code a user copies, and here it meets the answers Atlas gives.

use std::time::Duration;

use atlas_admin::runtime::mock::{MockResponse, MockTransport};
use atlas_admin::runtime::{RetryConfig, WaitConfig};
use atlas_admin::{apis, Client, ObjectId};
use serde_json::json;

// `main` of each example is not called here: only its `run`.
#[allow(dead_code)]
#[path = "../../generated/examples/cluster_lifecycle.rs"]
mod cluster_lifecycle;
#[allow(dead_code)]
#[path = "../../generated/examples/download_log.rs"]
mod download_log;
#[allow(dead_code)]
#[path = "../../generated/examples/handle_errors.rs"]
mod handle_errors;
#[allow(dead_code)]
#[path = "../../generated/examples/invite_user.rs"]
mod invite_user;
#[allow(dead_code)]
#[path = "../../generated/examples/list_projects_and_clusters.rs"]
mod list_projects_and_clusters;
#[allow(dead_code)]
#[path = "../../generated/examples/patch_database_user.rs"]
mod patch_database_user;

const GROUP: &str = "5e2211c17a3e5a48f5497de3";
const OTHER_GROUP: &str = "6e2211c17a3e5a48f5497de4";

fn id(text: &str) -> ObjectId {
    text.parse().unwrap()
}

fn client(mock: &MockTransport) -> Client {
    mock.builder()
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

fn page(results: serde_json::Value, total: usize) -> MockResponse {
    MockResponse::json(200, &json!({"results": results, "totalCount": total}))
}

#[tokio::test]
async fn list_projects_and_clusters_walks_every_page_of_both() {
    let mock = MockTransport::new();
    mock.on::<apis::projects::ListGroups>().respond_in_order([
        page(json!([{"id": GROUP, "name": "prod", "orgId": GROUP}]), 2),
        page(
            json!([{"id": OTHER_GROUP, "name": "dev", "orgId": GROUP}]),
            2,
        ),
    ]);
    mock.on::<apis::clusters::ListGroupClusters>()
        .respond_in_order([
            page(json!([{"name": "c1"}, {"name": "c2"}]), 2),
            page(json!([]), 0),
        ]);
    let inventory = list_projects_and_clusters::run(&client(&mock))
        .await
        .unwrap();
    assert_eq!(
        inventory,
        [
            ("prod".to_owned(), vec!["c1".to_owned(), "c2".to_owned()]),
            ("dev".to_owned(), vec![])
        ]
    );
    let listed: Vec<_> = mock
        .requests_for("listGroupClusters")
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        listed,
        [
            format!("/api/atlas/v2/groups/{GROUP}/clusters"),
            format!("/api/atlas/v2/groups/{OTHER_GROUP}/clusters")
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn cluster_lifecycle_creates_waits_deletes_and_waits() {
    let cluster = |state: &str| {
        MockResponse::json(
            200,
            &json!({"name": "example-m10", "groupId": GROUP, "stateName": state}),
        )
    };
    let gone = MockResponse::json(
        404,
        &json!({"error": 404, "errorCode": "CLUSTER_NOT_FOUND"}),
    );
    let mock = MockTransport::new();
    mock.on::<apis::clusters::CreateGroupCluster>()
        .respond(cluster("CREATING"));
    mock.on::<apis::clusters::GetGroupCluster>()
        .respond_in_order([
            cluster("CREATING"),
            cluster("IDLE"),
            cluster("DELETING"),
            gone,
        ]);
    mock.on::<apis::clusters::DeleteGroupCluster>()
        .respond(MockResponse::status(202));
    let wait = WaitConfig::default().timeout(Duration::from_secs(3600));
    let state = cluster_lifecycle::run(&client(&mock), id(GROUP), "example-m10", &wait)
        .await
        .unwrap();
    assert_eq!(
        state,
        Some(atlas_admin::models::ClusterDescription20240805StateName::Idle)
    );
    let created = mock.requests_for("createGroupCluster")[0].json().unwrap();
    let region = &created["replicationSpecs"][0]["regionConfigs"][0];
    assert_eq!(region["providerName"], "AWS");
    assert_eq!(region["electableSpecs"]["instanceSize"], "M10");
    assert_eq!(mock.requests_for("getGroupCluster").len(), 4);
    assert_eq!(mock.requests_for("deleteGroupCluster").len(), 1);
}

#[tokio::test]
async fn invite_user_branches_on_the_membership_status() {
    let mock = MockTransport::new();
    mock.on::<apis::mongodb_cloud_users::CreateOrgUser>()
        .respond_in_order([
            MockResponse::json(
                201,
                &json!({"orgMembershipStatus": "PENDING", "username": "alice@example.com",
                        "invitationExpiresAt": "2026-12-31T00:00:00Z"}),
            ),
            MockResponse::json(
                201,
                &json!({"orgMembershipStatus": "ACTIVE", "username": "bob@example.com",
                        "firstName": "Bob", "lastName": "Smith"}),
            ),
        ]);
    let client = client(&mock);
    let pending = invite_user::run(&client, id(GROUP), "alice@example.com")
        .await
        .unwrap();
    assert_eq!(
        pending,
        invite_user::Membership::Pending {
            expires: Some("2026-12-31T00:00:00+00:00".into())
        }
    );
    let active = invite_user::run(&client, id(GROUP), "bob@example.com")
        .await
        .unwrap();
    assert_eq!(
        active,
        invite_user::Membership::Active {
            name: Some("Bob Smith".into())
        }
    );
    assert_eq!(
        mock.requests()[0].json().unwrap(),
        json!({"roles": {"orgRoles": ["ORG_MEMBER"]}, "username": "alice@example.com"})
    );
}

#[tokio::test]
async fn patch_database_user_sends_only_the_description() {
    let mock = MockTransport::new();
    mock.on::<apis::database_users::UpdateGroupDatabaseUser>()
        .respond(MockResponse::json(
            200,
            &json!({"username": "alice", "databaseName": "admin", "groupId": GROUP,
                    "description": "reporting"}),
        ));
    let now = patch_database_user::run(&client(&mock), id(GROUP), "alice", "reporting")
        .await
        .unwrap();
    assert_eq!(now.as_deref(), Some("reporting"));
    let sent = &mock.requests()[0];
    assert_eq!(sent.method, atlas_admin::runtime::Method::PATCH);
    assert_eq!(
        sent.path,
        format!("/api/atlas/v2/groups/{GROUP}/databaseUsers/admin/alice")
    );
    assert_eq!(sent.json().unwrap(), json!({"description": "reporting"}));
}

#[tokio::test]
async fn download_log_writes_the_file() {
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let mock = MockTransport::new();
    mock.on::<apis::monitoring_and_logs::DownloadGroupClusterLog>()
        .respond(MockResponse::body(
            200,
            "application/vnd.atlas.2023-02-01+gzip",
            body.clone(),
        ));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mongodb.log.gz");
    let written = download_log::run(&client(&mock), id(GROUP), "host-00", &path)
        .await
        .unwrap();
    assert_eq!(written, body.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), body);
    assert_eq!(
        mock.requests()[0].path,
        format!("/api/atlas/v2/groups/{GROUP}/clusters/host-00/logs/mongodb.gz")
    );
}

#[tokio::test]
async fn handle_errors_tells_404_429_and_401_apart() {
    let error = |status: u16, code: &str| {
        MockResponse::json(status, &json!({"error": status, "errorCode": code}))
    };
    let mock = MockTransport::new();
    mock.on::<apis::clusters::GetGroupCluster>()
        .respond_in_order([
            MockResponse::json(200, &json!({"name": "c1", "stateName": "IDLE"})),
            error(404, "CLUSTER_NOT_FOUND"),
            error(429, "RATE_LIMITED").header("Retry-After", "7"),
            error(401, "UNAUTHORIZED"),
            error(500, "UNEXPECTED_ERROR"),
        ]);
    let client = client(&mock);
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        outcomes.push(handle_errors::run(&client, id(GROUP), "c1").await.unwrap());
    }
    use handle_errors::Lookup;
    assert_eq!(
        outcomes,
        [
            Lookup::Found("IDLE".into()),
            Lookup::Missing(Some("CLUSTER_NOT_FOUND".into())),
            Lookup::RateLimited(Some(Duration::from_secs(7))),
            Lookup::Unauthorized,
        ]
    );
    let other = handle_errors::run(&client, id(GROUP), "c1")
        .await
        .unwrap_err();
    assert_eq!(other.status(), Some(500));
}
