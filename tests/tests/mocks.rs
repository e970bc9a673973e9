//! The `test-util` mock transport, used as a downstream crate would: no HTTP server.
// The recordings answer sunset versions (2023-02-01), which these tests call on purpose.
#![allow(deprecated)]

use atlas_admin::apis::{clusters, database_users, projects};
use atlas_admin::models::{self, ClusterDescription20240805StateName as State};
use atlas_admin::runtime::mock::{MockResponse, MockTransport};
use atlas_admin::runtime::{Method, Operation, RetryConfig};
use atlas_admin::{Credentials, Error, ObjectId};
use serde_json::json;

const GROUP: &str = "5e2211c17a3e5a48f5497de3";

fn group() -> ObjectId {
    GROUP.parse().unwrap()
}

fn cluster_in(state: State) -> models::ClusterDescription20240805 {
    let mut cluster = models::ClusterDescription20240805::default();
    cluster.name = Some("c1".into());
    cluster.state_name = Some(state);
    cluster
}

#[tokio::test]
async fn answers_by_operation_and_version_with_typed_values() {
    let mock = MockTransport::new();
    mock.on::<clusters::GetGroupCluster>()
        .respond(MockResponse::json(200, &cluster_in(State::Idle)));
    let client = mock.builder().build().unwrap();

    let cluster = clusters::get_group_cluster(group(), "c1")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(cluster.state_name, Some(State::Idle));

    // Another version of the same operation is not what was scripted.
    let other = clusters::get_group_cluster_2023_02_01(group(), "c1")
        .send(&client)
        .await
        .unwrap_err();
    assert!(
        other
            .to_string()
            .contains("no response scripted for `getGroupCluster` (API version 2023-02-01)"),
        "{other}"
    );

    let sent = mock.requests();
    assert_eq!(sent.len(), 2, "an unscripted call is not retried: {sent:?}");
    assert_eq!(sent[0].operation, "getGroupCluster");
    assert_eq!(sent[0].version.as_deref(), Some("2024-08-05"));
    assert_eq!(sent[0].method, Method::GET);
    assert_eq!(
        sent[0].path,
        format!("/api/atlas/v2/groups/{GROUP}/clusters/c1")
    );
    assert_eq!(
        sent[0].header("accept"),
        Some(clusters::GetGroupCluster::ACCEPT)
    );
}

#[tokio::test]
async fn scripted_sequences_answer_in_order_then_repeat_the_last() {
    let mock = MockTransport::new();
    mock.on::<clusters::GetGroupCluster>().respond_in_order([
        MockResponse::json(200, &cluster_in(State::Creating)),
        MockResponse::json(200, &cluster_in(State::Creating)),
        MockResponse::json(200, &cluster_in(State::Idle)),
    ]);
    let client = mock.builder().build().unwrap();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let cluster = clusters::get_group_cluster(group(), "c1")
            .send(&client)
            .await
            .unwrap();
        seen.push(cluster.state_name.unwrap());
    }
    assert_eq!(
        seen,
        [State::Creating, State::Creating, State::Idle, State::Idle]
    );
}

#[tokio::test]
async fn the_request_log_holds_query_and_exact_body() {
    let mock = MockTransport::new();
    mock.on_operation("updateGroupDatabaseUser")
        .respond(MockResponse::json(200, &json!({"username": "alice"})));
    mock.on_operation("listGroups").respond(MockResponse::json(
        200,
        &json!({"results": [], "totalCount": 0}),
    ));
    let client = mock.builder().build().unwrap();

    let body = models::write::CloudDatabaseUserWrite::default().description("new text");
    database_users::update_group_database_user(group(), "admin", "alice", body)
        .send(&client)
        .await
        .unwrap();
    projects::list_groups()
        .items_per_page(5)
        .send(&client)
        .await
        .unwrap();

    let patch = &mock.requests_for("updateGroupDatabaseUser")[0];
    assert_eq!(patch.method, Method::PATCH);
    assert_eq!(
        patch.path,
        format!("/api/atlas/v2/groups/{GROUP}/databaseUsers/admin/alice")
    );
    assert_eq!(patch.json(), Some(json!({"description": "new text"})));
    let list = &mock.requests_for("listGroups")[0];
    assert_eq!(list.query_value("itemsPerPage"), Some("5"));
    assert_eq!(list.body, None);
}

#[tokio::test]
async fn metadata_carries_status_headers_and_retries() {
    let mock = MockTransport::new();
    mock.on::<projects::ListGroups>().respond_in_order([
        MockResponse::status(429).header("Retry-After", "0"),
        MockResponse::json(200, &json!({"results": [], "totalCount": 0}))
            .header("RateLimit-Limit", "100")
            .header("RateLimit-Remaining", "99")
            .header("Deprecation", "Mon, 5 Aug 2024 00:00:00 GMT")
            .header("Sunset", "Thu, 1 Jul 2027 00:00:00 GMT"),
    ]);
    let client = mock.builder().build().unwrap();
    let page = projects::list_groups()
        .send_with_metadata(&client)
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(0));
    let metadata = &page.metadata;
    assert_eq!((metadata.status, metadata.retries), (200, 1));
    assert_eq!(metadata.rate_limit_limit(), Some(100));
    assert_eq!(metadata.rate_limit_remaining(), Some(99));
    assert_eq!(
        metadata.sunset().map(|t| t.to_rfc3339()).as_deref(),
        Some("2027-07-01T00:00:00+00:00")
    );
    assert!(metadata.deprecation().is_some());
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn api_errors_carry_the_response_headers() {
    let mock = MockTransport::new();
    mock.on::<clusters::GetGroupCluster>().respond(
        MockResponse::json(
            404,
            &json!({"error": 404, "errorCode": "CLUSTER_NOT_FOUND"}),
        )
        .header("RateLimit-Remaining", "41"),
    );
    let client = mock
        .builder()
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let err = clusters::get_group_cluster(group(), "gone")
        .send(&client)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.error_code(), Some("CLUSTER_NOT_FOUND"));
    let metadata = err.metadata().expect("an Api error has metadata");
    assert_eq!(metadata.rate_limit_remaining(), Some(41));
}

#[tokio::test]
async fn refused_connections_are_transport_errors_and_retried() {
    let mock = MockTransport::new();
    mock.on::<projects::ListGroups>().respond_in_order([
        MockResponse::connection_refused(),
        MockResponse::json(200, &json!({"results": [], "totalCount": 0})),
    ]);
    let client = mock.builder().build().unwrap();
    let page = projects::list_groups()
        .send_with_metadata(&client)
        .await
        .unwrap();
    assert_eq!(page.metadata.retries, 1);

    let refused = MockTransport::new();
    refused
        .on::<projects::ListGroups>()
        .respond(MockResponse::connection_refused());
    let client = refused
        .builder()
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let err = projects::list_groups().send(&client).await.unwrap_err();
    let Error::Transport { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(source.is_connect(), "{err:?}");
}

#[tokio::test]
async fn recorded_snaphost_responses_decode_through_the_mock() {
    let dir = atlas_admin_tests::shared_path("ATLAS_RECORDINGS", "recordings");
    let file = atlas_admin_tests::recording::find(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("GET_api_atlas_v2_groups_") && name.ends_with("_clusters_1.snaphost")
        })
        .unwrap_or_else(|| panic!("no cluster list recording under {}", dir.display()));
    let response = MockResponse::from_snaphost_file(&file).unwrap();
    let mock = MockTransport::new();
    mock.on_operation("listGroupClusters").respond(response);
    let client = mock.builder().build().unwrap();
    let result = clusters::list_group_clusters_2023_02_01(group())
        .send_with_metadata(&client)
        .await;
    let page = result.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert_eq!(page.status(), 200);
    assert!(
        page.metadata.rate_limit_limit().is_some(),
        "{:?}",
        page.metadata
    );

    let missing = MockResponse::from_snaphost_file(dir.join("no-such.snaphost")).unwrap_err();
    assert!(
        missing.to_string().contains("no-such.snaphost"),
        "{missing}"
    );
}

#[tokio::test]
async fn list_operations_paginate_directly_and_pages_are_unpin() {
    use futures_util::StreamExt as _;
    let page = |names: &[&str]| {
        let results: Vec<_> = names.iter().map(|n| json!({"name": n})).collect();
        MockResponse::json(200, &json!({"results": results, "totalCount": 3}))
    };
    let mock = MockTransport::new();
    mock.on::<projects::ListGroups>()
        .respond_in_order([page(&["a", "b"]), page(&["c"])]);
    let client = mock.builder().build().unwrap();

    // One integer type for page sizes: the same value sets `itemsPerPage` and walks.
    let per_page: i64 = 2;
    let mut items = projects::list_groups()
        .items_per_page(per_page)
        .paginate(&client, per_page);
    let mut names = Vec::new();
    // `next` needs `Unpin`: no pinning by the caller.
    while let Some(group) = items.next().await {
        names.push(group.unwrap().name);
    }
    assert_eq!(names, ["a", "b", "c"]);
    let asked: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| {
            (
                r.query_value("pageNum").map(str::to_owned),
                r.query_value("itemsPerPage").map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        asked,
        [
            (Some("1".to_owned()), Some("2".to_owned())),
            (Some("2".to_owned()), Some("2".to_owned()))
        ]
    );

    let mut pages = client.pages(projects::list_groups(), per_page);
    assert_eq!(
        pages.next().await.unwrap().unwrap().len(),
        1,
        "the script repeats its last page"
    );
}

/// `send` is a plain `fn` returning the client's future: still `Send`, so a call can be
/// spawned onto a multi-threaded runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_futures_are_send_and_spawnable() {
    let mock = MockTransport::new();
    mock.on::<projects::ListGroups>()
        .respond(MockResponse::json(
            200,
            &json!({"results": [], "totalCount": 0}),
        ));
    let client = mock.builder().build().unwrap();
    let spawned = tokio::spawn(async move {
        let request = projects::list_groups();
        let page = request.send(&client).await?;
        let with_metadata = request.send_with_metadata(&client).await?;
        Ok::<_, Error>((page.total_count, with_metadata.status()))
    });
    assert_eq!(spawned.await.unwrap().unwrap(), (Some(0), 200));
}

/// Retries and waiters sleep on tokio's clock, so a test with paused time waits for none
/// of them; a service account's token request is in the log as `oauthToken` (README
/// "Testing code that calls Atlas").
#[tokio::test(start_paused = true)]
async fn retries_sleep_on_tokio_time_and_the_token_request_is_logged() {
    let mock = MockTransport::new();
    mock.on_operation("oauthToken").respond(MockResponse::json(
        200,
        &json!({"access_token": "t", "expires_in": 3600}),
    ));
    mock.on::<projects::ListGroups>().respond_in_order([
        MockResponse::status(429).header("Retry-After", "60"),
        MockResponse::json(200, &json!({"results": [], "totalCount": 0})),
    ]);
    let client = mock
        .builder()
        .credentials(Credentials::service_account("id", "secret"))
        .build()
        .unwrap();
    let wall = std::time::Instant::now();
    let clock = tokio::time::Instant::now();
    let page = projects::list_groups()
        .send_with_metadata(&client)
        .await
        .unwrap();
    assert_eq!(page.metadata.retries, 1);
    assert!(
        clock.elapsed() >= std::time::Duration::from_secs(60),
        "tokio's clock moved"
    );
    assert!(
        wall.elapsed() < std::time::Duration::from_secs(10),
        "nobody waited"
    );
    let log = mock.requests();
    let operations: Vec<&str> = log.iter().map(|r| r.operation).collect();
    assert_eq!(operations, ["oauthToken", "listGroups", "listGroups"]);
    assert_eq!(log[0].method, Method::POST);
    assert_eq!(log[0].path, "/api/oauth/token");
    assert_eq!(log[1].header("authorization"), Some("Bearer t"));
}

#[tokio::test]
async fn expectations_answer_by_path_segment_query_and_body() {
    let mock = MockTransport::new();
    mock.on::<clusters::GetGroupCluster>()
        .respond(MockResponse::json(200, &cluster_in(State::Creating)));
    mock.on::<clusters::GetGroupCluster>()
        .path_segment("c2")
        .respond(MockResponse::json(200, &cluster_in(State::Idle)));
    mock.on_operation("listGroups")
        .query("itemsPerPage", "5")
        .respond(MockResponse::json(
            200,
            &json!({"results": [], "totalCount": 5}),
        ));
    mock.on_operation("updateGroupDatabaseUser")
        .json_body(&json!({"description": "new text"}))
        .respond(MockResponse::json(200, &json!({"username": "alice"})));
    let client = mock.builder().build().unwrap();

    let get = |name: &'static str| {
        let client = client.clone();
        async move {
            clusters::get_group_cluster(group(), name)
                .send(&client)
                .await
        }
    };
    assert_eq!(get("c1").await.unwrap().state_name, Some(State::Creating));
    assert_eq!(get("c2").await.unwrap().state_name, Some(State::Idle));
    let page = projects::list_groups()
        .items_per_page(5)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(5));
    let unscripted = projects::list_groups().send(&client).await.unwrap_err();
    assert!(
        unscripted
            .to_string()
            .contains("did not match: not query `itemsPerPage=5`"),
        "{unscripted}"
    );
    let body = models::write::CloudDatabaseUserWrite::default().description("new text");
    database_users::update_group_database_user(group(), "admin", "alice", body)
        .send(&client)
        .await
        .unwrap();
    let other = models::write::CloudDatabaseUserWrite::default().description("other");
    let err = database_users::update_group_database_user(group(), "admin", "alice", other)
        .send(&client)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains(r#"not body {"description":"new text"}"#),
        "{err}"
    );
}

#[tokio::test]
async fn verify_names_every_count_missed_and_every_request_left_unanswered() {
    let mock = MockTransport::new();
    mock.on::<clusters::GetGroupCluster>()
        .path_segment("c1")
        .times(2)
        .respond(MockResponse::json(200, &cluster_in(State::Idle)));
    mock.on::<clusters::DeleteGroupCluster>()
        .times(1)
        .respond(MockResponse::status(202));
    let client = mock.builder().build().unwrap();
    let get = |name: &'static str| {
        let client = client.clone();
        async move {
            clusters::get_group_cluster(group(), name)
                .send(&client)
                .await
        }
    };
    get("c1").await.unwrap();
    get("c1").await.unwrap();
    get("c9").await.unwrap_err();

    let misses = mock.verify().unwrap_err();
    let lines: Vec<&str> = misses.lines().collect();
    assert_eq!(lines.len(), 2, "{misses}");
    assert!(
        lines[0].starts_with("`deleteGroupCluster` (")
            && lines[0].ends_with("was expected 1 time(s) and called 0"),
        "{misses}"
    );
    assert!(
        lines[1].contains(&format!(
            "no response scripted for `getGroupCluster` (API version 2024-08-05): GET /api/atlas/v2/groups/{GROUP}/clusters/c9"
        )) && lines[1].contains("did not match: not path segment `c1`"),
        "{misses}"
    );

    let met = MockTransport::new();
    met.on::<clusters::GetGroupCluster>()
        .times(1)
        .respond(MockResponse::json(200, &cluster_in(State::Idle)));
    let client = met.builder().build().unwrap();
    clusters::get_group_cluster(group(), "c1")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(met.verify(), Ok(()));
}
