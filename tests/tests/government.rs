//! Atlas for Government end to end: a client built with `.government()` sends its calls to
//! `https://cloud.mongodbgov.com` over TLS and answers a SHA-256-only Digest challenge.
//!
//! Nothing leaves the machine: the client goes through a loopback
//! HTTP proxy, which accepts the `CONNECT cloud.mongodbgov.com:443`, terminates TLS with a
//! certificate made for that name (trusted by this client only) and forwards the plain
//! HTTP to the in-process Digest server.

mod support;

use std::sync::{Arc, Mutex};

use atlas_admin::apis::projects;
use atlas_admin::runtime::RetryConfig;
use atlas_admin::{Client, Credentials};
use support::{mount_digest, Algorithm, PASSWORD, USER};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{crypto::ring, ServerConfig};
use tokio_rustls::TlsAcceptor;
use wiremock::MockServer;

const GOV_HOST: &str = "cloud.mongodbgov.com";

/// What the proxy saw: each `CONNECT` target and each TLS server name.
#[derive(Default)]
struct Seen {
    connect: Vec<String>,
    sni: Vec<String>,
}

/// Read an HTTP/1.1 request head (up to the blank line) from the proxy's client.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap() == 0 {
            break;
        }
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Start the CONNECT proxy with TLS termination; returns its address.
async fn tls_proxy(
    upstream: std::net::SocketAddr,
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    seen: Arc<Mutex<Seen>>,
) -> std::net::SocketAddr {
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let (acceptor, seen) = (acceptor.clone(), seen.clone());
            tokio::spawn(async move {
                let head = read_head(&mut tcp).await;
                let target = head
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                seen.lock().unwrap().connect.push(target);
                tcp.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .unwrap();
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let sni = tls.get_ref().1.server_name().unwrap_or_default().to_owned();
                seen.lock().unwrap().sni.push(sni);
                let mut plain = TcpStream::connect(upstream).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    address
}

#[tokio::test]
async fn government_base_url_with_sha256_digest_end_to_end() {
    let server = MockServer::start().await;
    let counters = mount_digest(&server, vec![Algorithm::Sha256]).await;

    let certified = rcgen::generate_simple_self_signed(vec![GOV_HOST.to_owned()]).unwrap();
    let cert = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let proxy = tls_proxy(*server.address(), cert.clone(), key, seen.clone()).await;

    let client = Client::builder()
        .government()
        .credentials(Credentials::api_key(USER, PASSWORD))
        .proxy(format!("http://{proxy}"))
        .add_root_certificate_der(cert.as_ref())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://cloud.mongodbgov.com");

    for _ in 0..3 {
        let page = projects::list_groups()
            .send(&client)
            .await
            .expect("a call through the Government host");
        assert_eq!(page.total_count, Some(0));
    }
    // One challenge, then three SHA-256 answers reusing the nonce.
    assert_eq!(counters.requests(), 4);
    assert_eq!(counters.accepted_with(), vec![Algorithm::Sha256; 3]);
    {
        let seen = seen.lock().unwrap();
        assert!(!seen.connect.is_empty());
        assert!(
            seen.connect.iter().all(|t| t == "cloud.mongodbgov.com:443"),
            "{:?}",
            seen.connect
        );
        assert!(seen.sni.iter().all(|s| s == GOV_HOST), "{:?}", seen.sni);
    }
    for request in server.received_requests().await.unwrap() {
        assert_eq!(request.headers.get("host").unwrap(), GOV_HOST);
    }
}

/// A cluster in one region of `provider` at `size`, as a write model.
fn cluster(
    provider: &str,
    size: &str,
) -> atlas_admin::models::write::ClusterDescription20240805Write {
    use atlas_admin::models::write;
    let region: write::CloudRegionConfig20240805Write = serde_json::from_value(serde_json::json!({
        "providerName": provider,
        "regionName": "US_GOV_WEST_1",
        "priority": 7,
        "electableSpecs": {"instanceSize": size, "nodeCount": 3}
    }))
    .unwrap();
    write::ClusterDescription20240805Write::default()
        .name("gov-cluster")
        .replication_specs(vec![
            write::ReplicationSpec20240805Write::default().region_configs(vec![region])
        ])
}

fn group() -> atlas_admin::ObjectId {
    "5e2211c17a3e5a48f5497de3".parse().unwrap()
}

/// Issue 32 item 12: each kind of limit is refused by a government client before any I/O,
/// naming the limit and the field.
#[tokio::test]
#[allow(deprecated)] // createUser's only version has a sunset date
async fn a_government_client_refuses_what_atlas_for_government_does_not_offer() {
    use atlas_admin::apis::{
        atlas_search, clusters, mongodb_cloud_users, private_endpoint_services,
    };
    use atlas_admin::runtime::mock::MockTransport;
    let mock = MockTransport::new();
    let gov = mock.builder().government().build().unwrap();
    let refusal = |result: Result<(), atlas_admin::Error>| match result {
        Err(atlas_admin::Error::NotInGovernment { limit, field, .. }) => (limit, field),
        other => panic!("not refused: {other:?}"),
    };

    // A whole area.
    let (limit, field) = refusal(
        atlas_search::list_group_cluster_search_indexes(group(), "c")
            .send(&gov)
            .await
            .map(drop),
    );
    assert_eq!((limit, field), ("Atlas Search", None));
    // One operation.
    let user = atlas_admin::models::write::CloudAppUserWrite::default();
    let (limit, _) = refusal(
        mongodb_cloud_users::create_user(user)
            .send(&gov)
            .await
            .map(drop),
    );
    assert!(limit.starts_with("creating Atlas users"), "{limit}");
    // A value in the body, named by its JSON pointer.
    let (limit, field) = refusal(
        clusters::create_group_cluster(group(), cluster("GCP", "M30"))
            .send(&gov)
            .await
            .map(drop),
    );
    assert!(limit.starts_with("Azure and Google Cloud"), "{limit}");
    assert_eq!(
        field.as_deref(),
        Some("body /replicationSpecs/0/regionConfigs/0/providerName is \"GCP\"")
    );
    let (limit, field) = refusal(
        clusters::create_group_cluster(group(), cluster("AWS", "M10"))
            .send(&gov)
            .await
            .map(drop),
    );
    assert!(limit.starts_with("free, shared-tier and M10"), "{limit}");
    assert!(field
        .unwrap()
        .ends_with("/electableSpecs/instanceSize is \"M10\""));
    // A value in the path.
    let (_, field) = refusal(
        private_endpoint_services::get_group_private_endpoint_endpoint_service(
            group(),
            "AZURE",
            group(),
        )
        .send(&gov)
        .await
        .map(drop),
    );
    assert_eq!(
        field.as_deref(),
        Some("path parameter cloudProvider is \"AZURE\"")
    );
    let message = clusters::create_group_cluster(group(), cluster("AZURE", "M30"))
        .send(&gov)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("not available in Atlas for Government"),
        "{message}"
    );
    assert!(mock.requests().is_empty(), "nothing was sent");

    // A commercial client is never restricted.
    mock.on_operation("createGroupCluster")
        .respond(atlas_admin::runtime::mock::MockResponse::status(201));
    let commercial = mock.builder().build().unwrap();
    let sent = clusters::create_group_cluster(group(), cluster("GCP", "M10"))
        .send(&commercial)
        .await;
    assert!(
        !matches!(sent, Err(atlas_admin::Error::NotInGovernment { .. })),
        "{sent:?}"
    );
    assert_eq!(mock.requests().len(), 1);
}

/// What Atlas for Government offers goes through, to its host, on the wire.
#[tokio::test]
async fn an_allowed_government_write_reaches_the_government_host() {
    use atlas_admin::apis::clusters;
    use wiremock::matchers::method;
    let server = MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let certified = rcgen::generate_simple_self_signed(vec![GOV_HOST.to_owned()]).unwrap();
    let cert = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let proxy = tls_proxy(*server.address(), cert.clone(), key, seen.clone()).await;
    let client = Client::builder()
        .government()
        .proxy(format!("http://{proxy}"))
        .add_root_certificate_der(cert.as_ref())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let refused = clusters::create_group_cluster(group(), cluster("GCP", "M30"))
        .send(&client)
        .await;
    assert!(matches!(
        refused,
        Err(atlas_admin::Error::NotInGovernment { .. })
    ));
    assert!(server.received_requests().await.unwrap().is_empty());

    let sent = clusters::create_group_cluster(group(), cluster("AWS", "M30"))
        .send(&client)
        .await
        .unwrap_err();
    assert_eq!(sent.status(), Some(500), "{sent:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].headers.get("host").unwrap(), GOV_HOST);
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        body["replicationSpecs"][0]["regionConfigs"][0]["providerName"],
        "AWS"
    );
}
