//! One measurement: N calls of one kind at one concurrency through a client runtime of
//! one worker thread, with per-call latency, the client thread's allocations and CPU
//! time, and the server's request count; rounds interleave the kinds so a drift in the
//! machine's speed hits them alike.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_admin_tests::digest::Replay;

use crate::alloc;
use crate::clients::{Caller, Op};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sdk,
    SdkDigest(Replay),
    Reqwest,
    Hyper,
}

impl Kind {
    /// The name `--only` takes.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Sdk => "sdk",
            Kind::SdkDigest(_) => "digest",
            Kind::Reqwest => "reqwest",
            Kind::Hyper => "hyper",
        }
    }

    pub fn label(self) -> String {
        match self {
            Kind::Sdk => "atlas-admin (typed)".into(),
            Kind::SdkDigest(Replay::Once) => {
                "atlas-admin with Digest, warm (verifier: each `nc` once)".into()
            }
            Kind::SdkDigest(mode) => {
                format!("atlas-admin with Digest, warm (verifier: `nc` {mode:?})")
            }
            Kind::Reqwest => "plain reqwest into serde_json::Value".into(),
            Kind::Hyper => "raw hyper (body bytes only)".into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Figures {
    pub rps: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub allocations_per_call: f64,
    pub bytes_per_call: f64,
    pub cpu_us_per_call: f64,
    pub requests_per_call: f64,
}

pub fn client_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .on_thread_start(alloc::count_this_thread)
        .build()
        .map_err(|e| format!("client runtime: {e}"))
}

/// `/proc` of the thread tasks run on (the runtime's one worker).
async fn worker_thread() -> Result<PathBuf, String> {
    let link = tokio::spawn(async { std::fs::read_link("/proc/thread-self") })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("/proc/thread-self: {e}"))?;
    // `PID/task/TID`, relative to `/proc`.
    Ok(Path::new("/proc").join(link))
}

/// User plus system CPU time of a thread (clock ticks of 10 ms).
fn thread_cpu(thread: &Path) -> Duration {
    let stat = std::fs::read_to_string(thread.join("stat")).unwrap_or_default();
    // After `(comm)`: the state is the 3rd field of the line, utime the 14th, stime the 15th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

/// One way of calling and the request counter of the server it calls.
pub struct Subject {
    pub kind: Kind,
    pub caller: Caller,
    pub requests: Arc<AtomicUsize>,
}

/// Every subject, `rounds` times in turn; per subject the round of median throughput.
pub fn interleaved(
    subjects: &[Subject],
    op: Op,
    concurrency: usize,
    calls: usize,
    rounds: usize,
) -> Result<Vec<(Kind, Figures)>, String> {
    let runtime = client_runtime()?;
    let mut all: Vec<Vec<Figures>> = vec![Vec::new(); subjects.len()];
    for _ in 0..rounds {
        for (runs, s) in all.iter_mut().zip(subjects) {
            runs.push(runtime.block_on(one(&s.caller, op, concurrency, calls, &s.requests))?);
        }
    }
    Ok(subjects
        .iter()
        .zip(all)
        .map(|(s, mut runs)| {
            runs.sort_by(|a, b| a.rps.total_cmp(&b.rps));
            (s.kind, runs[runs.len() / 2].clone())
        })
        .collect())
}

/// `calls` calls by `concurrency` callers, each warmed by one call first (a connection
/// each, a Digest nonce).
async fn one(
    caller: &Caller,
    op: Op,
    concurrency: usize,
    calls: usize,
    requests: &AtomicUsize,
) -> Result<Figures, String> {
    let worker = worker_thread().await?;
    let mut sessions = Vec::new();
    for _ in 0..concurrency {
        sessions.push(caller.session().await?);
    }
    let warm: Vec<_> = sessions
        .into_iter()
        .map(|mut s| {
            tokio::spawn(async move {
                s.call(op).await?;
                Ok::<_, String>(s)
            })
        })
        .collect();
    let mut sessions = Vec::new();
    for task in warm {
        sessions.push(task.await.map_err(|e| e.to_string())??);
    }
    let (allocations, bytes) = alloc::totals();
    let (cpu, sent, start) = (
        thread_cpu(&worker),
        requests.load(Ordering::SeqCst),
        Instant::now(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = sessions
        .into_iter()
        .map(|mut s| {
            let next = next.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(calls / concurrency + 1);
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    let at = Instant::now();
                    s.call(op).await?;
                    latencies.push(at.elapsed().as_secs_f64() * 1e6);
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for task in tasks {
        latencies.extend(task.await.map_err(|e| e.to_string())??);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let (cpu, sent) = (
        thread_cpu(&worker).saturating_sub(cpu),
        requests.load(Ordering::SeqCst) - sent,
    );
    let (allocations_after, bytes_after) = alloc::totals();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
    let n = calls as f64;
    Ok(Figures {
        rps: n / elapsed,
        p50_us: at(0.50),
        p99_us: at(0.99),
        allocations_per_call: (allocations_after - allocations) as f64 / n,
        bytes_per_call: (bytes_after - bytes) as f64 / n,
        cpu_us_per_call: cpu.as_secs_f64() * 1e6 / n,
        requests_per_call: sent as f64 / n,
    })
}

/// The child process of the memory figure: `in_flight` calls of `kind` at once to the
/// gated server at `url`; prints the growth of peak RSS.
pub fn in_flight_child(kind: &str, url: &str, in_flight: usize) -> Result<(), String> {
    let caller = match kind {
        "sdk" => Caller::sdk(url, false)?,
        "reqwest" => Caller::reqwest(url)?,
        "hyper" => {
            let address = url.strip_prefix("http://").unwrap_or(url);
            Caller::Hyper(address.parse().map_err(|e| format!("{url}: {e}"))?)
        }
        other => return Err(format!("unknown kind `{other}`")),
    };
    let runtime = client_runtime()?;
    let before = status_kb("VmRSS:");
    runtime.block_on(async {
        let caller = Arc::new(caller);
        let tasks: Vec<_> = (0..in_flight)
            .map(|_| {
                let caller = caller.clone();
                tokio::spawn(async move { caller.session().await?.call(Op::GetCluster).await })
            })
            .collect();
        for task in tasks {
            task.await.map_err(|e| e.to_string())??;
        }
        Ok::<_, String>(())
    })?;
    println!("peak-rss-growth-kb {}", status_kb("VmHWM:") - before);
    Ok(())
}

/// A `/proc/self/status` figure in kB.
fn status_kb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix(" kB")?
                .parse()
                .ok()
        })
        .unwrap_or(0.0)
}
