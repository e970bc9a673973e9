//! `cargo xtask bench`: the figures in BENCHMARKS.md, measured on this machine in one run.
//!
//! 1. generation: wall time, peak RSS and stage times of the release `generate`, median
//!    of `--runs`; openapi-generator's `rust` generator on the same spec when installed;
//! 2. compile: `cargo check` / `cargo build` of the generated crate with all features, one
//!    area (`clusters`) and none, and of the peer's crate, with peak rustc RSS;
//!    and `cargo doc` with all features (wall time and peak rustdoc RSS);
//! 3. decode: MB/s of every 2xx JSON recording into its typed model vs `serde_json::Value`;
//! 4. wire: requests for 100 Digest-authenticated calls;
//!    calls: the cost of a call through one `Client` against a loopback hyper server at
//!    concurrency 1, 16 and 256, next to plain reqwest into `serde_json::Value` and raw
//!    hyper (throughput, latency, allocations, client CPU, Digest requests per call), and
//!    peak RSS with 1,000 calls in flight;
//! 5. downstream: a five-area crate's cold build of atlas-admin's part and its rebuild
//!    after a one-line edit.

mod compile;
mod downstream;
mod generation;
mod measure;
mod peer;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use measure::{cargo, measured};

use crate::spec::workspace_root;

#[derive(clap::Args)]
pub struct Args {
    /// Runs per generation measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Recordings for the decode benchmark (default: $ATLAS_RECORDINGS, ../shared/recordings).
    #[arg(long)]
    recordings: Option<PathBuf>,
    /// Skip the compile measurements (they take minutes).
    #[arg(long)]
    skip_compile: bool,
    /// Skip openapi-generator even when it is installed.
    #[arg(long)]
    skip_peer: bool,
}

/// The Markdown table the command prints.
pub struct Table(Vec<String>);

impl Table {
    fn new() -> Self {
        Self(vec![
            "| measurement | value | detail | note |".to_owned(),
            "| --- | --- | --- | --- |".to_owned(),
        ])
    }

    pub fn row(&mut self, measurement: &str, value: String, detail: String, note: String) {
        self.0
            .push(format!("| {measurement} | {value} | {detail} | {note} |"));
    }

    /// Rows printed by a tool (lines starting with `|`).
    fn rows_from(&mut self, stdout: &str) {
        self.0.extend(
            stdout
                .lines()
                .filter(|l| l.starts_with('|'))
                .map(str::to_owned),
        );
    }
}

/// Run one of the tests package's bench binaries in release, on the recordings given,
/// and take the table rows it prints.
fn bench_binary(bin: &str, args: &Args, table: &mut Table) -> Result<(), String> {
    let mut tool = vec![
        "run",
        "--quiet",
        "--release",
        "-p",
        "atlas-admin-tests",
        "--bin",
        bin,
        "--",
    ];
    let recordings = args.recordings.as_ref().map(|p| p.display().to_string());
    if let Some(dir) = &recordings {
        tool.extend(["--recordings", dir.as_str()]);
    }
    table.rows_from(&measured(&cargo(), &tool, &[])?.stdout);
    Ok(())
}

fn wire(table: &mut Table) -> Result<(), String> {
    let test = [
        "test",
        "--quiet",
        "-p",
        "atlas-admin-tests",
        "--test",
        "auth",
        "hundred_digest_calls_cost_101_requests",
        "--",
        "--nocapture",
    ];
    let stdout = measured(&cargo(), &test, &[])?.stdout;
    let count = stdout
        .lines()
        .find_map(|l| l.strip_prefix("digest requests for 100 calls: "))
        .unwrap_or("n/a")
        .to_owned();
    table.row(
        "HTTP requests for 100 Digest-authenticated calls (loopback)",
        count,
        "goal 101".into(),
        "one challenge, then nonce reuse with increasing `nc`".into(),
    );
    Ok(())
}

fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name\t: ").map(str::to_owned))
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kb = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("MemTotal:")?
                .trim()
                .strip_suffix(" kB")?
                .parse::<f64>()
                .ok()
        })
        .unwrap_or(0.0);
    format!(
        "{cpu}, {cores} cores, {:.1} GiB RAM",
        mem_kb / 1024.0 / 1024.0
    )
}

/// Figures come from a release build: a debug `cargo xtask bench` re-runs itself from one.
fn rerun_in_release() -> Result<ExitCode, String> {
    let mut cmd_args: Vec<String> = ["run", "--quiet", "--release", "-p", "xtask", "--"]
        .map(String::from)
        .into();
    cmd_args.extend(std::env::args().skip(1));
    let status = Command::new(cargo())
        .args(&cmd_args)
        .current_dir(workspace_root())
        .status()
        .map_err(|e| e.to_string())?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    if cfg!(debug_assertions) {
        return rerun_in_release();
    }
    let mut table = Table::new();
    let outputs = generation::run(args, &mut table)?;
    bench_binary("decode-bench", args, &mut table)?;
    wire(&mut table)?;
    bench_binary("call-bench", args, &mut table)?;
    if args.skip_compile {
        table.row(
            "compile",
            "skipped (--skip-compile)".into(),
            String::new(),
            String::new(),
        );
    } else {
        compile::run(outputs.peer_crate.as_deref(), &mut table)?;
        downstream::run(&mut table)?;
    }
    if let Some(dir) = &outputs.peer_crate {
        let _ = std::fs::remove_dir_all(dir);
    }
    println!("machine: {}", machine());
    println!(
        "commit: {}",
        command_line("git", &["rev-parse", "--short", "HEAD"])
    );
    println!("toolchain: {}\n", command_line("rustc", &["--version"]));
    for row in &table.0 {
        println!("{row}");
    }
    Ok(ExitCode::SUCCESS)
}
