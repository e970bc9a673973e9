//! End to end: a loopback server answers with each recorded Atlas response, and the
//! generated operation for that recording is called through the real client.
//!
//! For every mappable recording the test asserts the method, the path (rebuilt from the
//! ids and names in the file name), that `Accept` carries exactly the version the
//! recording's `Content-Type` names, and that the typed result matches the status: `Ok`
//! for 2xx, `Error::Api` with the same status otherwise. Needs `../shared/recordings`
//! (or `$ATLAS_RECORDINGS`) and the spec.

use atlas_admin::runtime::{Error, RetryConfig};
use atlas_admin::Client;
use atlas_admin_codegen::ir::Api;
use std::path::Path;

use atlas_admin_tests::binding::{Binding, ParamInfo};
use atlas_admin_tests::recording::{self, Recording};
use atlas_admin_tests::replay::{map_file, replay_dir, Bindings, Mapped};
use atlas_admin_tests::sample::{filled_responses, sample, sample_value};
use atlas_admin_tests::{load_api, shared_path};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn api() -> Api {
    load_api(&shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml")).unwrap()
}

fn decode_percent(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path part of a recording's file name: `GET_api_atlas_v2_groups_1.snaphost` ->
/// `api_atlas_v2_groups`.
fn file_name_path(file: &std::path::Path) -> Option<String> {
    let stem = file.file_name()?.to_str()?.strip_suffix(".snaphost")?;
    let (_method, rest) = stem.split_once('_')?;
    let (path, sequence) = rest.rsplit_once('_')?;
    sequence.parse::<u32>().ok()?;
    Some(path.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mappable_recording_through_the_client() {
    let dir = shared_path("ATLAS_RECORDINGS", "recordings");
    let api = api();
    let bindings = Bindings::load();
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut called = 0;
    for file in recording::find(&dir).unwrap() {
        let Ok(mapped) = map_file(&api, &bindings, &dir, &file).unwrap() else {
            continue;
        };
        let name = file.strip_prefix(&dir).unwrap().display().to_string();
        let Some(binding) = mapped.binding else {
            failures.push(format!("{name}: no binding for version {}", mapped.version));
            continue;
        };
        answer_with(&server, &mapped.recording).await;
        let result = call(&api, &client, &mapped, binding).await;
        called += 1;
        let requests = server.received_requests().await.unwrap_or_default();
        let [request] = requests.as_slice() else {
            failures.push(format!(
                "{name}: expected one request, got {} ({result:?})",
                requests.len()
            ));
            continue;
        };
        let found = request_findings(&file, &mapped, binding, request)
            .into_iter()
            .chain(result_finding(&mapped.recording, &result));
        failures.extend(found.map(|f| format!("{name}: {f}")));
    }
    assert!(called > 300, "only {called} recordings were mappable");
    assert!(
        failures.is_empty(),
        "{} of {called} recordings failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Make the loopback server answer every request with the recorded response.
async fn answer_with(server: &MockServer, rec: &Recording) {
    server.reset().await;
    let content_type = rec.content_type().unwrap_or("application/octet-stream");
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(rec.status).set_body_raw(rec.body.clone(), content_type),
        )
        .mount(server)
        .await;
}

/// Call the binding with the recording's path values (samples for other required
/// parameters); when it needs a body, which recordings do not keep, again with a minimal
/// valid one.
async fn call(
    api: &Api,
    client: &Client,
    mapped: &Mapped<'_>,
    binding: &Binding,
) -> Result<Value, Error> {
    let value_of = |param: &str| -> Option<String> {
        mapped
            .route
            .params
            .iter()
            .find(|(k, _)| k == param)
            .map(|(_, v)| v.clone())
            .or_else(|| {
                binding
                    .required_params
                    .iter()
                    .find(|p: &&ParamInfo| p.name == param)
                    .map(|p| sample(p.kind))
            })
    };
    let result = match (binding.call)(client, &value_of, None) {
        Ok(call) => call.await,
        Err(e) => Err(e),
    };
    if !matches!(result, Err(Error::InvalidInput(_))) {
        return result;
    }
    let op = &api.operations[mapped.route.operation];
    let body = binding
        .version_in(op)
        .and_then(|v| v.body.as_ref())
        .map(|b| sample_value(api, &b.ty, 0));
    match (binding.call)(client, &value_of, body) {
        Ok(call) => call.await,
        Err(e) => Err(e),
    }
}

/// What is wrong with the request the client sent: method, path (checked against the
/// routing and, independently, the file name), and the versioned `Accept`.
fn request_findings(
    file: &Path,
    mapped: &Mapped<'_>,
    binding: &Binding,
    request: &wiremock::Request,
) -> Vec<String> {
    let mut found = Vec::new();
    if request.method.as_str() != binding.method {
        found.push(format!("method {} != {}", request.method, binding.method));
    }
    let sent_path = decode_percent(request.url.path());
    let expected: String = mapped
        .route
        .params
        .iter()
        .fold(binding.path.to_owned(), |path, (k, v)| {
            path.replace(&format!("{{{k}}}"), v)
        });
    if sent_path != expected {
        found.push(format!("path {sent_path} != {expected}"));
    }
    // The file name is `<METHOD>_<path with / as _>_<n>`.
    let recorded = file_name_path(file);
    if recorded.as_deref() != Some(sent_path.trim_start_matches('/').replace('/', "_").as_str()) {
        found.push(format!(
            "path {sent_path} is not the file name's {recorded:?}"
        ));
    }
    let accept = request
        .headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if accept != binding.accept {
        found.push(format!("Accept {accept} != {}", binding.accept));
    }
    if let Some(version) = mapped.recording.api_version() {
        if !accept.contains(&format!(".{version}+")) {
            found.push(format!(
                "Accept {accept} does not carry the recorded version {version}"
            ));
        }
    }
    found
}

/// What is wrong with the typed result: `Ok` for a 2xx, otherwise `Error::Api` with the
/// recorded status and error code.
fn result_finding(rec: &Recording, result: &Result<Value, Error>) -> Option<String> {
    match (result, (200..300).contains(&rec.status)) {
        (Ok(_), true) => None,
        (Err(error @ Error::Api { status, .. }), false) if *status == rec.status => {
            let recorded_code = serde_json::from_slice::<Value>(&rec.body)
                .ok()
                .and_then(|v| v.get("errorCode")?.as_str().map(str::to_owned));
            (error.error_code().map(str::to_owned) != recorded_code).then(|| {
                format!(
                    "error code {:?} != recorded {recorded_code:?}",
                    error.error_code()
                )
            })
        }
        (other, _) => Some(format!("HTTP {} gave {other:?}", rec.status)),
    }
}

#[test]
fn replay_decodes_every_recording() {
    let dir = shared_path("ATLAS_RECORDINGS", "recordings");
    let report = replay_dir(&api(), &dir).unwrap();
    let failures: Vec<String> = report
        .failed
        .iter()
        .map(|f| {
            format!(
                "{} {} {} `{}`: {}",
                f.file, f.operation, f.version, f.path, f.error
            )
        })
        .collect();
    assert!(
        report.failed.is_empty(),
        "{}\n{}",
        report.summary(),
        failures.join("\n")
    );
    assert_eq!(report.files, report.ok + report.not_mappable.len());
    // The drift report finds what the server is known to send beyond the spec.
    assert!(report
        .drift
        .iter()
        .any(|d| d.what == "value `secondary` is not in enum BiConnectorReadPreference"));
}

#[test]
fn recorded_error_bodies_decode_into_api_error() {
    let dir = shared_path("ATLAS_RECORDINGS", "recordings");
    let mut decoded = 0;
    for file in recording::find(&dir).unwrap() {
        let rec = recording::parse(&file, &std::fs::read(&file).unwrap()).unwrap();
        if rec.status < 400 || !rec.is_json() {
            continue;
        }
        let error: atlas_admin::ApiError =
            serde_json::from_slice(&rec.body).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(
            error.error,
            Some(i64::from(rec.status)),
            "{}",
            file.display()
        );
        assert!(
            error.error_code().is_some_and(|c| !c.is_empty()),
            "{}",
            file.display()
        );
        decoded += 1;
    }
    assert!(decoded >= 20, "only {decoded} error recordings found");
}

/// Recordings this project has never seen: unmappable names, a private path, and a file
/// that is not a recording at all. Each is counted; none stops the run.
#[test]
fn replay_counts_every_kind_of_file_and_never_stops_early() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("suite")).unwrap();
    let write =
        |name: &str, text: &str| std::fs::write(dir.join("suite").join(name), text).unwrap();
    write("0123abcd4567ef.snaphost", "HTTP/2.0 200 OK\r\n\r\n{}");
    write(
        "GET_api_private_ipinfo_1.snaphost",
        "HTTP/2.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
    );
    write("GET_api_atlas_v2_groups_1.snaphost", "not a recording");
    write(
        "GET_api_atlas_v2_groups_5e2211c17a3e5a48f5497de3_1.snaphost",
        "HTTP/2.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"error\":404,\"errorCode\":\"GROUP_NOT_FOUND\",\"extraThing\":1}",
    );
    let report = replay_dir(&api(), dir).unwrap();
    assert_eq!(report.files, 4);
    assert_eq!(report.not_mappable.len(), 2, "{:?}", report.not_mappable);
    assert_eq!(report.failed.len(), 1, "{:?}", report.failed);
    assert!(report.failed[0]
        .file
        .ends_with("GET_api_atlas_v2_groups_1.snaphost"));
    assert_eq!(report.ok, 1);
    assert!(
        report
            .drift
            .iter()
            .any(|d| d.path == "extraThing" && d.what == "key not defined by ApiError"),
        "{:?}",
        report.drift
    );
}

const GROUP: &str = "5e2211c17a3e5a48f5497de3";

/// What the live server sends that the spec does not say, on operations absent from
/// `../shared`: a PEM certificate as plain text under `+json` (a `type: string` schema),
/// an error body with `null` members, and a log download whose host name has dots and
/// underscores (routed to the log operation by its literal text and `+gzip` format, not
/// to `getGroupCluster`).
#[test]
fn server_behaviour_the_spec_does_not_describe() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("suite")).unwrap();
    let write = |name: &str, head: &str, body: &[u8]| {
        let mut bytes = format!("{head}\r\n\r\n").into_bytes();
        bytes.extend_from_slice(body);
        std::fs::write(dir.join("suite").join(name), bytes).unwrap();
    };
    write(
        &format!("POST_api_atlas_v2_groups_{GROUP}_databaseUsers_alice_certs_1.snaphost"),
        "HTTP/2.0 201 Created\r\nContent-Type: application/vnd.atlas.2023-01-01+json;charset=utf-8",
        b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    );
    write(
        &format!("GET_api_atlas_v2_groups_{GROUP}_clusters_missing_1.snaphost"),
        "HTTP/2.0 404 Not Found\r\nContent-Type: application/json",
        br#"{"detail": "Not Found", "error": 404, "errorCode": "UNEXPECTED_ERROR", "parameters": null, "reason": "Not Found"}"#,
    );
    for (i, host) in [
        "atlas-abc123-shard-00-00.xyz12.mongodb.net",
        "cluster0_shard_00.ab1cd.mongodb.net",
    ]
    .iter()
    .enumerate()
    {
        write(
            &format!(
                "GET_api_atlas_v2_groups_{GROUP}_clusters_{host}_logs_mongodb.gz_{}.snaphost",
                i + 1
            ),
            "HTTP/2.0 200 OK\r\nContent-Type: application/vnd.atlas.2023-02-01+gzip",
            &[0x1f, 0x8b, 0x08, 0x00, 0x00],
        );
    }
    let report = replay_dir(&api(), dir).unwrap();
    assert!(report.failed.is_empty(), "{:#?}", report.failed);
    assert_eq!(report.ok, 4, "{report:#?}");
    let cert = report
        .drift
        .iter()
        .find(|d| d.operation == "createGroupDatabaseUserCert")
        .unwrap_or_else(|| panic!("{:#?}", report.drift));
    assert!(cert.what.contains("plain text"), "{cert:?}");
    let logs: Vec<&str> = report
        .drift
        .iter()
        .map(|d| d.operation.as_str())
        .filter(|o| o.contains("Cluster"))
        .collect();
    assert!(!logs.contains(&"getGroupCluster"), "{:#?}", report.drift);
}

/// The same through the client: the certificate decodes as its text, the error with
/// `null` members keeps its code.
#[tokio::test]
async fn plain_text_strings_and_null_error_members_through_the_client() {
    use atlas_admin::apis::{clusters, x_509_authentication};
    let server = MockServer::start().await;
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(pem, "application/vnd.atlas.2023-01-01+json;charset=utf-8"),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"detail": "Not Found", "error": 404, "errorCode": "UNEXPECTED_ERROR", "parameters": null, "reason": "Not Found"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let group: atlas_admin::ObjectId = GROUP.parse().unwrap();
    let cert = x_509_authentication::create_group_database_user_cert(
        group,
        "alice",
        atlas_admin::models::write::UserCertWrite::default(),
    )
    .send(&client)
    .await
    .expect("a PEM certificate decodes as text");
    assert_eq!(cert, pem);
    let err = clusters::get_group_cluster(group, "missing")
        .send(&client)
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some("UNEXPECTED_ERROR"), "{err:?}");
}

/// Every JSON success model decodes a body with every field filled and gives it back
/// unchanged: the union members chosen keep all of it (the decode benchmark's second
/// corpus, so its figure is of bodies the models accept).
#[test]
fn every_json_response_model_round_trips_its_filled_body() {
    let (bodies, rejected) = filled_responses(&api());
    assert!(rejected.is_empty(), "rejected filled bodies: {rejected:#?}");
    assert!(bodies.len() > 400, "only {} JSON responses", bodies.len());
    let mut changed = Vec::new();
    for (binding, body) in &bodies {
        let response =
            atlas_admin::runtime::RawResponse::new(200, Default::default(), body.clone());
        let decoded = (binding.decode)(response).expect("decoded once already");
        let sent: Value = serde_json::from_slice(body).expect("the bench wrote JSON");
        if decoded != sent {
            changed.push(format!("{} {}", binding.operation_id, binding.version));
        }
    }
    assert!(
        changed.is_empty(),
        "{} of {} changed in a round trip: {changed:#?}",
        changed.len(),
        bodies.len()
    );
}
