//! `call-bench`: what a call costs the client on top of the HTTP stack it sits on (run by
//! `cargo xtask bench` in release). An in-process loopback HTTP/1.1 server (hyper, one
//! thread of its own) answers a recorded 2xx body for `get_group_cluster` and a recorded
//! page for `list_group_clusters`; N calls go through one `Client` (one worker thread)
//! at concurrency 1, 16 and 256, next to the same requests made with plain reqwest into
//! `serde_json::Value` and with raw hyper. Digest rows use the Digest tests' verifier
//! (`atlas_admin_tests::digest`), warm. Prints Markdown table rows.

mod alloc;
mod clients;
mod measure;
mod server;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use atlas_admin_tests::digest::{Replay, ReplayVerifier};
use atlas_admin_tests::recording::{self, Recording};
use bytes::Bytes;
use clients::{Caller, Op};
use measure::{Figures, Kind, Subject};
use server::{Behaviour, Route};

#[global_allocator]
static ALLOCATOR: alloc::ClientThreads = alloc::ClientThreads;

const CONCURRENCY: [usize; 3] = [1, 16, 256];
/// Calls in flight together for the memory figure.
const IN_FLIGHT: usize = 1_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .skip_while(|a| *a != name)
            .nth(1)
            .map(String::as_str)
    };
    let result = match flag("--in-flight") {
        Some(kind) => measure::in_flight_child(kind, flag("--url").unwrap_or_default(), IN_FLIGHT),
        None => run(
            flag("--recordings"),
            flag("--calls"),
            flag("--rounds"),
            flag("--only"),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--only sdk|digest|reqwest|hyper` measures one kind (to profile it alone).
fn run(
    recordings: Option<&str>,
    calls: Option<&str>,
    rounds: Option<&str>,
    only: Option<&str>,
) -> Result<(), String> {
    let dir = recordings
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("ATLAS_RECORDINGS").map(PathBuf::from))
        .unwrap_or_else(|| atlas_admin_tests::workspace().shared("recordings"));
    let calls: usize = calls.and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let rounds: usize = rounds.and_then(|n| n.parse().ok()).unwrap_or(3);
    let fresh_routes = || routes(&dir).map(|(routes, _)| routes);
    let (first, list) = routes(&dir)?;
    let plain = server::start(Behaviour {
        routes: first,
        digest: None,
        gate: None,
    })?;
    let mut rows = Vec::new();
    for op in [Op::GetCluster, list] {
        for concurrency in CONCURRENCY {
            let subject = |kind, caller, server: &server::Server| Subject {
                kind,
                caller,
                requests: server.requests.clone(),
            };
            let mut subjects = vec![
                subject(Kind::Sdk, Caller::sdk(&plain.url(), false)?, &plain),
                subject(Kind::Reqwest, Caller::reqwest(&plain.url())?, &plain),
                subject(Kind::Hyper, Caller::Hyper(plain.address), &plain),
            ];
            // Servers behind the verifier live as long as their subjects are measured.
            let mut digest_servers = Vec::new();
            if op == Op::GetCluster {
                for mode in [Replay::Once, Replay::Increasing] {
                    let digest = Some(Arc::new(ReplayVerifier::new(mode)));
                    let server = server::start(Behaviour {
                        routes: fresh_routes()?,
                        digest,
                        gate: None,
                    })?;
                    let caller = Caller::sdk(&server.url(), true)?;
                    subjects.push(subject(Kind::SdkDigest(mode), caller, &server));
                    digest_servers.push(server);
                }
            }
            subjects.retain(|s| only.is_none_or(|o| s.kind.id() == o));
            let figures = measure::interleaved(&subjects, op, concurrency, calls, rounds)?;
            drop(digest_servers);
            rows.extend(report(op, concurrency, &figures));
        }
    }
    if only.is_none() {
        rows.extend(in_flight_rows(&dir)?);
    }
    for row in rows {
        println!("{row}");
    }
    Ok(())
}

/// The recorded answers: a cluster in the plain name's version, and a page of them in
/// the newest version recorded; and the list call that version makes.
fn routes(dir: &Path) -> Result<(Vec<Route>, Op), String> {
    let files = recording::find(dir)?;
    let cluster = recorded(&files, 4, &[Op::GetCluster.accept()])
        .ok_or_else(|| missing(dir, "/clusters/{name}", Op::GetCluster.accept()))?;
    let page = recorded(&files, 3, &clients::LIST_VERSIONS)
        .ok_or_else(|| missing(dir, "/clusters", "any version"))?;
    let list = clients::LIST_VERSIONS
        .into_iter()
        .find(|a| page.content_type().is_some_and(|c| c.starts_with(a)))
        .map_or(
            Op::ListClusters(clients::LIST_VERSIONS[2]),
            Op::ListClusters,
        );
    let route = |op: Op, found: Recording| Route {
        path: op.path(),
        content_type: found
            .content_type()
            .unwrap_or("application/json")
            .to_owned(),
        body: Bytes::from(found.body),
    };
    Ok((
        vec![route(Op::GetCluster, cluster), route(list, page)],
        list,
    ))
}

fn missing(dir: &Path, path: &str, version: &str) -> String {
    format!(
        "{}: no recorded 200 of GET /groups/{{id}}{path} in {version}",
        dir.display()
    )
}

/// The first 200 `GET /groups/{id}/clusters[/{name}]` recording (`parts` name segments
/// after `groups_`) answered in one of the media types `accepts`, newest first.
fn recorded(files: &[PathBuf], parts: usize, accepts: &[&str]) -> Option<Recording> {
    let found: Vec<Recording> = files
        .iter()
        .filter(|f| recording::is_get_in_group(f, "clusters", parts))
        .filter_map(|f| recording::parse(f, &std::fs::read(f).ok()?).ok())
        .filter(|r| r.status == 200)
        .collect();
    accepts.iter().find_map(|accept| {
        let media = |r: &&Recording| r.content_type().is_some_and(|c| c.starts_with(accept));
        found.iter().find(media).cloned()
    })
}

/// One row per kind, with its ratios to plain reqwest.
fn report(op: Op, concurrency: usize, figures: &[(Kind, Figures)]) -> Vec<String> {
    let reqwest = figures
        .iter()
        .find(|(k, _)| *k == Kind::Reqwest)
        .map(|(_, f)| f.clone());
    let sdk = figures
        .iter()
        .find(|(k, _)| *k == Kind::Sdk)
        .map(|(_, f)| f.clone());
    figures
        .iter()
        .map(|(kind, f)| {
            let versus = match (kind, &reqwest, &sdk) {
                (Kind::SdkDigest(_), _, Some(sdk)) => format!(
                    "{:.2}x the unauthenticated SDK's throughput; {:.3} requests per call",
                    f.rps / sdk.rps,
                    f.requests_per_call
                ),
                (_, Some(r), _) => format!(
                    "{:.2}x reqwest+Value throughput, p99 {:.2}x",
                    f.rps / r.rps,
                    f.p99_us / r.p99_us
                ),
                _ => String::new(),
            };
            format!(
                "| call cost: {} at concurrency {concurrency}, {} | {:.0} req/s | p50 {:.0} µs, p99 {:.0} µs; {:.1} allocations and {:.1} KB allocated per call; client thread CPU {:.1} µs per call | {versus} |",
                op.name(),
                kind.label(),
                f.rps,
                f.p50_us,
                f.p99_us,
                f.allocations_per_call,
                f.bytes_per_call / 1e3,
                f.cpu_us_per_call,
            )
        })
        .collect()
}

/// Peak RSS of a client process with `IN_FLIGHT` calls in flight together, per kind.
fn in_flight_rows(dir: &Path) -> Result<Vec<String>, String> {
    let mut rows = Vec::new();
    for kind in ["sdk", "reqwest", "hyper"] {
        let (routes, _) = routes(dir)?;
        let server = server::start(Behaviour {
            routes,
            digest: None,
            gate: Some(IN_FLIGHT),
        })?;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let output = std::process::Command::new(exe)
            .args(["--in-flight", kind, "--url", &server.url()])
            .output()
            .map_err(|e| e.to_string())?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let kb = stdout
            .lines()
            .find_map(|l| l.strip_prefix("peak-rss-growth-kb "))
            .ok_or_else(|| {
                format!(
                    "{kind}: {stdout}{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            })?;
        let kb: f64 = kb.trim().parse().map_err(|e| format!("{kind}: {e}"))?;
        rows.push(format!(
            "| call cost: peak RSS with {IN_FLIGHT} get_group_cluster calls in flight, {kind} | {:.1} MB | growth of the client process's peak RSS over its RSS before the calls (the server holds every answer until all {IN_FLIGHT} arrived) | |",
            kb / 1e3
        ));
    }
    Ok(rows)
}
