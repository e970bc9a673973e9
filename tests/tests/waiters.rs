//! Waiters from the Atlas CLI's watchers overlay, against the mock transport whose state
//! changes between polls. Time is paused: tokio advances the clock through every pause.

use std::time::Duration;

use atlas_admin::apis::{cloud_backups, clusters, private_endpoint_services};
use atlas_admin::models;
use atlas_admin::runtime::mock::{MockResponse, MockTransport};
use atlas_admin::runtime::WaitConfig;
use atlas_admin::{Error, ObjectId};
use serde_json::json;

const GROUP: &str = "5e2211c17a3e5a48f5497de3";

fn group() -> ObjectId {
    GROUP.parse().unwrap()
}

fn cluster(state: &str) -> MockResponse {
    MockResponse::json(
        200,
        &json!({"name": "c1", "groupId": GROUP, "stateName": state}),
    )
}

#[tokio::test(start_paused = true)]
async fn create_waits_until_idle_polling_the_cluster_named_in_the_response() {
    let mock = MockTransport::new();
    mock.on::<clusters::CreateGroupCluster>()
        .respond(cluster("CREATING"));
    mock.on::<clusters::GetGroupCluster20240805>()
        .respond_in_order([cluster("CREATING"), cluster("UPDATING"), cluster("IDLE")]);
    let client = mock.builder().build().unwrap();
    let body = models::write::ClusterDescription20240805Write::default().name("c1");
    let request = clusters::create_group_cluster(group(), body);
    let created = request.send(&client).await.unwrap();

    let started = tokio::time::Instant::now();
    let idle = request
        .wait(&client, &created, &WaitConfig::default())
        .await
        .unwrap();
    assert_eq!(
        idle.state_name,
        Some(models::ClusterDescription20240805StateName::Idle)
    );
    let polls = mock.requests_for("getGroupCluster");
    assert_eq!(polls.len(), 3);
    assert_eq!(
        polls[0].path,
        format!("/api/atlas/v2/groups/{GROUP}/clusters/c1")
    );
    assert_eq!(polls[0].version.as_deref(), Some("2024-08-05"));
    // 10 s, then 15 s: the pause grows between polls.
    assert_eq!(started.elapsed(), Duration::from_secs(25));
}

/// Issue 32 item 9: the request already names the project (path) and the cluster (body),
/// so an answer with only `stateName` can be waited for; without a name in the body, the
/// response's is used.
#[tokio::test(start_paused = true)]
async fn create_waits_on_what_the_request_names_when_the_answer_does_not() {
    let mock = MockTransport::new();
    mock.on::<clusters::CreateGroupCluster>()
        .respond(MockResponse::json(200, &json!({"stateName": "CREATING"})));
    mock.on::<clusters::GetGroupCluster20240805>()
        .respond(cluster("IDLE"));
    let client = mock.builder().build().unwrap();
    let body = models::write::ClusterDescription20240805Write::default().name("from-request");
    let request = clusters::create_group_cluster(group(), body);
    let created = request.send(&client).await.unwrap();
    request
        .wait(&client, &created, &WaitConfig::default())
        .await
        .unwrap();
    let polls = mock.requests_for("getGroupCluster");
    assert_eq!(
        polls[0].path,
        format!("/api/atlas/v2/groups/{GROUP}/clusters/from-request")
    );
    // No name in the body: the response's, as before.
    let unnamed = clusters::create_group_cluster(
        group(),
        models::write::ClusterDescription20240805Write::default(),
    );
    let mut answered = models::ClusterDescription20240805::default();
    answered.name = Some("from-response".into());
    unnamed
        .wait(&client, &answered, &WaitConfig::default())
        .await
        .unwrap();
    let polls = mock.requests_for("getGroupCluster");
    assert!(
        polls[1].path.ends_with("/clusters/from-response"),
        "{}",
        polls[1].path
    );
}

#[tokio::test(start_paused = true)]
async fn delete_waits_until_the_cluster_is_gone() {
    let mock = MockTransport::new();
    mock.on::<clusters::DeleteGroupCluster>()
        .respond(MockResponse::status(202));
    mock.on::<clusters::GetGroupCluster20240805>()
        .respond_in_order([
            cluster("DELETING"),
            MockResponse::json(
                404,
                &json!({"error": 404, "errorCode": "CLUSTER_NOT_FOUND"}),
            ),
        ]);
    let client = mock.builder().build().unwrap();
    let request = clusters::delete_group_cluster(group(), "c1");
    request.send(&client).await.unwrap();
    request.wait(&client, &WaitConfig::default()).await.unwrap();
    assert_eq!(mock.requests_for("getGroupCluster").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_wait_times_out_naming_the_last_state() {
    let mock = MockTransport::new();
    mock.on::<clusters::GetGroupCluster20240805>()
        .respond(cluster("CREATING"));
    let client = mock.builder().build().unwrap();
    let request = clusters::create_group_cluster(
        group(),
        models::write::ClusterDescription20240805Write::default(),
    );
    let created: models::ClusterDescription20240805 =
        serde_json::from_value(json!({"name": "c1", "groupId": GROUP})).unwrap();
    let config = WaitConfig::default()
        .timeout(Duration::from_secs(60))
        .interval(Duration::from_secs(10));
    let err = request.wait(&client, &created, &config).await.unwrap_err();
    let Error::Wait { operation, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "createGroupCluster");
    assert!(message.contains("timed out after"), "{message}");
    assert!(message.contains("last state CREATING"), "{message}");
    // 10 + 15 + 22.5 s fit in a minute; the next pause would not.
    assert_eq!(mock.requests_for("getGroupCluster").len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_failure_state_ends_the_wait_with_an_error() {
    let mock = MockTransport::new();
    let snapshot = |status: &str| {
        MockResponse::json(
            200,
            &json!({"id": "6a799efbc0eb9e7a177d7e0e", "status": status}),
        )
    };
    mock.on::<cloud_backups::TakeGroupClusterBackupSnapshots>()
        .respond(snapshot("queued"));
    mock.on_operation("getGroupClusterBackupSnapshot")
        .respond_in_order([snapshot("inProgress"), snapshot("failed")]);
    let client = mock.builder().build().unwrap();
    let request = cloud_backups::take_group_cluster_backup_snapshots(
        group(),
        "c1",
        models::write::DiskBackupOnDemandSnapshotRequestWrite::default(),
    );
    let taken = request.send(&client).await.unwrap();
    let err = request
        .wait(&client, &taken, &WaitConfig::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`getGroupClusterBackupSnapshot` reached `failed`"),
        "{err}"
    );
    let polls = mock.requests_for("getGroupClusterBackupSnapshot");
    assert!(
        polls[0]
            .path
            .ends_with("/backup/snapshots/6a799efbc0eb9e7a177d7e0e"),
        "{polls:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_response_without_the_polled_field_fails_before_polling() {
    let mock = MockTransport::new();
    let client = mock.builder().build().unwrap();
    let request = clusters::create_group_cluster(
        group(),
        models::write::ClusterDescription20240805Write::default(),
    );
    let err = request
        .wait(
            &client,
            &models::ClusterDescription20240805::default(),
            &WaitConfig::default(),
        )
        .await
        .unwrap_err();
    // `groupId` comes from the request's path; the name is in neither the body nor the
    // response.
    assert!(
        err.to_string()
            .contains("waiter parameter `clusterName`: the response has no text at `/name`"),
        "{err}"
    );
    assert!(mock.requests().is_empty());
}

/// `spec/watcher-fixes.yaml`: the overlay has the PATCH poll itself; fixed, it polls the
/// cluster's read until IDLE.
#[tokio::test(start_paused = true)]
async fn an_update_waits_until_idle_polling_the_clusters_read() {
    let mock = MockTransport::new();
    mock.on::<clusters::UpdateGroupCluster>()
        .respond(cluster("UPDATING"));
    mock.on::<clusters::GetGroupCluster20240805>()
        .respond_in_order([cluster("UPDATING"), cluster("IDLE")]);
    let client = mock.builder().build().unwrap();
    let body = models::write::ClusterDescription20240805Write::default().paused(false);
    let request = clusters::update_group_cluster(group(), "c1", body);
    request.send(&client).await.unwrap();
    let idle = request.wait(&client, &WaitConfig::default()).await.unwrap();
    assert_eq!(
        idle.state_name,
        Some(models::ClusterDescription20240805StateName::Idle)
    );
    assert_eq!(
        mock.requests_for("updateGroupCluster").len(),
        1,
        "never polled"
    );
    let polls = mock.requests_for("getGroupCluster");
    assert_eq!(polls.len(), 2);
    assert_eq!(polls[0].version.as_deref(), Some("2024-08-05"));
}

/// `spec/watcher-fixes.yaml`: the DELETE has no body to read the provider and id from;
/// fixed, they come from its path.
#[tokio::test(start_paused = true)]
async fn a_private_endpoint_service_delete_waits_for_404_with_its_own_path() {
    const SERVICE: &str = "6e2211c17a3e5a48f5497de4";
    let mock = MockTransport::new();
    mock.on::<private_endpoint_services::DeleteGroupPrivateEndpointEndpointService>()
        .respond(MockResponse::status(204));
    mock.on_operation("getGroupPrivateEndpointEndpointService")
        .respond_in_order([
            MockResponse::json(
                200,
                &json!({"id": SERVICE, "cloudProvider": "AWS", "status": "DELETING"}),
            ),
            MockResponse::json(
                404,
                &json!({"error": 404, "errorCode": "PRIVATE_ENDPOINT_SERVICE_NOT_FOUND"}),
            ),
        ]);
    let client = mock.builder().build().unwrap();
    let service: ObjectId = SERVICE.parse().unwrap();
    let request = private_endpoint_services::delete_group_private_endpoint_endpoint_service(
        group(),
        models::DeleteGroupPrivateEndpointEndpointServiceCloudProvider::Aws,
        service,
    );
    request.send(&client).await.unwrap();
    request.wait(&client, &WaitConfig::default()).await.unwrap();
    let polls = mock.requests_for("getGroupPrivateEndpointEndpointService");
    assert_eq!(polls.len(), 2);
    assert_eq!(
        polls[0].path,
        format!("/api/atlas/v2/groups/{GROUP}/privateEndpoint/AWS/endpointService/{SERVICE}")
    );
}
