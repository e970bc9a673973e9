//! The three ways the bench makes a call: through `atlas_admin::Client` (typed decode,
//! optionally Digest-authenticated), plain reqwest decoding into `serde_json::Value`
//! (the same pool settings: reqwest's defaults, no proxy, no redirects), and raw hyper,
//! one HTTP/1.1 connection per concurrent caller, reading the body and nothing else.
// The list's older versions are deprecated (sunset dates); recordings hold them.
#![allow(deprecated)]

use std::net::SocketAddr;

use atlas_admin::apis::clusters;
use atlas_admin::runtime::{Operation, RetryConfig};
use atlas_admin::{Client, Credentials, ObjectId};
use atlas_admin_tests::digest::{PASSWORD, USER};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;

/// The two calls measured. A page of clusters is recorded in some API versions only:
/// the list runs at the newest one the recordings hold (`LIST_VERSIONS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    GetCluster,
    ListClusters(&'static str),
}

/// The media types of `list_group_clusters`, newest first.
pub const LIST_VERSIONS: [&str; 3] = [
    clusters::ListGroupClusters20240805::ACCEPT,
    clusters::ListGroupClusters20230201::ACCEPT,
    clusters::ListGroupClusters20230101::ACCEPT,
];

pub const GROUP: &str = "5e2211c17a3e5a48f5497de3";
pub const CLUSTER: &str = "Cluster0";

impl Op {
    /// The call, with its API version.
    pub fn name(self) -> String {
        let version = self
            .accept()
            .strip_prefix("application/vnd.atlas.")
            .unwrap_or_default();
        let version = version.split('+').next().unwrap_or_default();
        match self {
            Op::GetCluster => format!("get_group_cluster ({version})"),
            Op::ListClusters(_) => format!("list_group_clusters ({version})"),
        }
    }

    pub fn path(self) -> String {
        match self {
            Op::GetCluster => format!("/api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}"),
            Op::ListClusters(_) => format!("/api/atlas/v2/groups/{GROUP}/clusters"),
        }
    }

    /// The media type the SDK asks for, which the others send too.
    pub fn accept(self) -> &'static str {
        match self {
            Op::GetCluster => clusters::GetGroupCluster::ACCEPT,
            Op::ListClusters(accept) => accept,
        }
    }
}

/// Who makes the calls, shared by every concurrent caller.
pub enum Caller {
    Sdk(Client),
    Reqwest(reqwest::Client, String),
    Hyper(SocketAddr),
}

impl Caller {
    pub fn sdk(base: &str, digest: bool) -> Result<Self, String> {
        let mut builder = Client::builder()
            .base_url(base)
            .retry(RetryConfig::disabled());
        if digest {
            builder = builder.credentials(Credentials::api_key(USER, PASSWORD));
        }
        builder.build().map(Caller::Sdk).map_err(|e| e.to_string())
    }

    pub fn reqwest(base: &str) -> Result<Self, String> {
        // Already installed is fine: the provider is process-wide.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Caller::Reqwest(http, base.to_owned()))
    }

    /// One caller's handle: a clone of the pooled client, or a hyper connection.
    pub async fn session(&self) -> Result<Session, String> {
        Ok(match self {
            Caller::Sdk(client) => Session::Sdk(client.clone()),
            Caller::Reqwest(http, base) => Session::Reqwest(http.clone(), base.clone()),
            Caller::Hyper(address) => {
                let stream = tokio::net::TcpStream::connect(address)
                    .await
                    .map_err(|e| format!("connect: {e}"))?;
                let _ = stream.set_nodelay(true);
                let (send, connection) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream))
                        .await
                        .map_err(|e| format!("handshake: {e}"))?;
                tokio::spawn(connection);
                Session::Hyper(send, address.to_string())
            }
        })
    }
}

pub enum Session {
    Sdk(Client),
    Reqwest(reqwest::Client, String),
    Hyper(
        hyper::client::conn::http1::SendRequest<Empty<Bytes>>,
        String,
    ),
}

impl Session {
    /// One call; the decoded value is dropped.
    pub async fn call(&mut self, op: Op) -> Result<(), String> {
        match self {
            Session::Sdk(client) => sdk_call(client, op).await,
            Session::Reqwest(http, base) => {
                let response = http
                    .get(format!("{base}{}", op.path()))
                    .header(reqwest::header::ACCEPT, op.accept())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("reqwest: status {}", response.status()));
                }
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                let value: serde_json::Value =
                    serde_json::from_slice(&body).map_err(|e| e.to_string())?;
                std::hint::black_box(value);
                Ok(())
            }
            Session::Hyper(send, host) => hyper_call(send, host, op).await,
        }
    }
}

async fn sdk_call(client: &Client, op: Op) -> Result<(), String> {
    let group: ObjectId = GROUP.parse().map_err(|e| format!("{e}"))?;
    match op {
        Op::GetCluster => {
            let cluster = clusters::get_group_cluster(group, CLUSTER)
                .send(client)
                .await;
            std::hint::black_box(cluster.map_err(|e| e.to_string())?);
        }
        Op::ListClusters(accept) if accept == LIST_VERSIONS[0] => {
            let page = clusters::list_group_clusters_2024_08_05(group)
                .send(client)
                .await;
            std::hint::black_box(page.map_err(|e| e.to_string())?);
        }
        Op::ListClusters(accept) if accept == LIST_VERSIONS[1] => {
            let page = clusters::list_group_clusters_2023_02_01(group)
                .send(client)
                .await;
            std::hint::black_box(page.map_err(|e| e.to_string())?);
        }
        Op::ListClusters(_) => {
            let page = clusters::list_group_clusters_2023_01_01(group)
                .send(client)
                .await;
            std::hint::black_box(page.map_err(|e| e.to_string())?);
        }
    }
    Ok(())
}

async fn hyper_call(
    send: &mut hyper::client::conn::http1::SendRequest<Empty<Bytes>>,
    host: &str,
    op: Op,
) -> Result<(), String> {
    send.ready().await.map_err(|e| e.to_string())?;
    let request = hyper::Request::get(op.path())
        .header(hyper::header::HOST, host)
        .header(hyper::header::ACCEPT, op.accept())
        .body(Empty::new())
        .map_err(|e| e.to_string())?;
    let response = send
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("hyper: status {}", response.status()));
    }
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?;
    std::hint::black_box(body.to_bytes());
    Ok(())
}
