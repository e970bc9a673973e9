//! `cargo xtask bench`: the figures in BENCHMARKS.md, measured on this machine.
//!
//! 1. generation: wall time, peak RSS and stage times of the release `generate`, median
//!    of `--runs`; openapi-generator's `rust` generator on the same spec when installed;
//! 2. compile: `cargo check` / `cargo build` of the generated crate with all features, one
//!    area (`clusters`) and none, after `cargo clean -p atlas-admin`, with peak rustc RSS;
//! 3. decode: MB/s of every 2xx JSON recording into its typed model vs `serde_json::Value`;
//! 4. wire: requests for 100 Digest-authenticated calls.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::spec::{self, workspace_root};

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

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Run a command under `/usr/bin/time`, returning (wall seconds, peak RSS in MB, stdout).
fn measured(
    program: &str,
    args: &[&str],
    envs: &[(&str, &str)],
) -> Result<(f64, Option<f64>, String), String> {
    let rss_file = std::env::temp_dir().join(format!("atlas-bench-rss-{}", std::process::id()));
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&rss_file)
            .arg(program)
            .args(args);
        c
    } else {
        let mut c = Command::new(program);
        c.args(args);
        c
    };
    command
        .envs(envs.iter().copied())
        .current_dir(workspace_root());
    let start = Instant::now();
    let output = command.output().map_err(|e| format!("{program}: {e}"))?;
    let wall = start.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "{program} {}: {}\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    let _ = std::fs::remove_file(&rss_file);
    Ok((
        wall,
        rss,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn generation(args: &Args, table: &mut Vec<String>) -> Result<f64, String> {
    let spec_path = spec::resolve(None)?;
    let spec_arg = spec_path.display().to_string();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let exe = exe.display().to_string();
    let out = std::env::temp_dir().join("atlas-bench-generated");
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.display().to_string();
    let (mut walls, mut rss, mut stages) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..args.runs {
        let _ = std::fs::remove_dir_all(&out);
        let (wall, peak, stdout) = measured(
            &exe,
            &[
                "generate",
                "--timings",
                "--spec",
                &spec_arg,
                "--out",
                &out_arg,
            ],
            &[],
        )?;
        walls.push(wall);
        rss.extend(peak);
        stages.extend(
            stdout
                .lines()
                .filter(|l| l.starts_with("timings:"))
                .map(str::to_owned),
        );
    }
    let wall = median(walls);
    table.push(format!(
        "| generation (release, full spec, fresh output dir) | {wall:.2} s | peak RSS {} | median of {} runs |",
        rss.iter().cloned().reduce(f64::max).map_or("n/a".into(), |m| format!("{m:.0} MB")),
        args.runs
    ));
    if let Some(stage) = stages.get(stages.len() / 2) {
        table.push(format!(
            "| generation stages (one run) | {} | | |",
            stage.trim_start_matches("timings: ")
        ));
    }
    if args.skip_peer {
        table.push("| openapi-generator `rust` | skipped (--skip-peer) | | |".into());
        return Ok(wall);
    }
    let peer_available = Command::new("openapi-generator-cli")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !peer_available {
        table.push("| openapi-generator `rust` | not installed (`pip install openapi-generator-cli`) | | |".into());
        return Ok(wall);
    }
    let peer_out = std::env::temp_dir().join("atlas-bench-peer");
    let peer_arg = peer_out.display().to_string();
    let (mut peer_walls, mut peer_rss) = (Vec::new(), Vec::new());
    for _ in 0..args.runs.min(3) {
        let _ = std::fs::remove_dir_all(&peer_out);
        let (w, r, _) = measured(
            "openapi-generator-cli",
            &[
                "generate",
                "-i",
                &spec_arg,
                "-g",
                "rust",
                "-o",
                &peer_arg,
                "--skip-validate-spec",
            ],
            &[],
        )?;
        peer_walls.push(w);
        peer_rss.extend(r);
    }
    let peer = median(peer_walls);
    table.push(format!(
        "| openapi-generator `rust` generate | {peer:.2} s | peak RSS {} | median of {} runs; ours is {:.0}x faster |",
        peer_rss.iter().cloned().reduce(f64::max).map_or("n/a".into(), |m| format!("{m:.0} MB")),
        args.runs.min(3),
        peer / wall
    ));
    Ok(wall)
}

/// A RUSTC_WRAPPER that records each rustc's peak RSS.
fn rss_wrapper() -> Result<(PathBuf, PathBuf), String> {
    let dir = workspace_root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let log = dir.join("rustc-rss.log");
    let wrapper = dir.join("rustc-rss.sh");
    let script = format!(
        "#!/bin/sh\n/usr/bin/time -a -o {} -f \"%M %C\" \"$@\"\n",
        log.display()
    );
    std::fs::write(&wrapper, script).map_err(|e| e.to_string())?;
    Command::new("chmod")
        .arg("+x")
        .arg(&wrapper)
        .status()
        .map_err(|e| e.to_string())?;
    Ok((wrapper, log))
}

fn compile(table: &mut Vec<String>) -> Result<(), String> {
    let (wrapper, log) = rss_wrapper()?;
    let wrapper = wrapper.display().to_string();
    let feature_sets: [(&str, &[&str]); 3] = [
        ("all features", &["--features", "registry,preview"]),
        (
            "`clusters` only",
            &["--no-default-features", "--features", "clusters"],
        ),
        ("no features", &["--no-default-features"]),
    ];
    for mode in ["check", "build"] {
        // Dependencies first (their features do not depend on ours), so each figure is
        // the generated crate alone.
        measured(
            &cargo(),
            &[
                mode,
                "--quiet",
                "-p",
                "atlas-admin",
                "--features",
                "registry,preview",
            ],
            &[("CARGO_INCREMENTAL", "0")],
        )?;
        let mut base = None;
        for (label, features) in feature_sets {
            let mut command = vec![mode, "-p", "atlas-admin", "--quiet"];
            command.extend_from_slice(features);
            let _ = std::fs::remove_file(&log);
            let _ = Command::new(cargo())
                .args(["clean", "-p", "atlas-admin"])
                .current_dir(workspace_root())
                .status();
            let (wall, _, _) = measured(
                &cargo(),
                &command,
                &[("RUSTC_WRAPPER", &wrapper), ("CARGO_INCREMENTAL", "0")],
            )?;
            let rss = std::fs::read_to_string(&log)
                .unwrap_or_default()
                .lines()
                .filter(|l| l.contains("--crate-name atlas_admin"))
                .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
                .reduce(f64::max)
                .map_or("n/a".into(), |kb| format!("{:.0} MB", kb / 1024.0));
            let ratio = match base {
                None => {
                    base = Some(wall);
                    "1.00".to_owned()
                }
                Some(b) => format!("{:.2}", wall / b),
            };
            table.push(format!("| cargo {mode} atlas-admin, {label} (deps warm) | {wall:.1} s | peak rustc RSS {rss} | ratio to all features {ratio} |"));
        }
    }
    Ok(())
}

fn decode(args: &Args, table: &mut Vec<String>) -> Result<(), String> {
    let mut tool = vec![
        "run",
        "--quiet",
        "--release",
        "-p",
        "atlas-admin-tests",
        "--bin",
        "decode-bench",
        "--",
    ];
    let recordings = args.recordings.as_ref().map(|p| p.display().to_string());
    if let Some(dir) = &recordings {
        tool.extend(["--recordings", dir.as_str()]);
    }
    let (_, _, stdout) = measured(&cargo(), &tool, &[])?;
    table.extend(
        stdout
            .lines()
            .filter(|l| l.starts_with('|'))
            .map(str::to_owned),
    );
    Ok(())
}

fn wire(table: &mut Vec<String>) -> Result<(), String> {
    let (_, _, stdout) = measured(
        &cargo(),
        &[
            "test",
            "--quiet",
            "-p",
            "atlas-admin",
            "--test",
            "auth",
            "hundred_digest_calls_cost_101_requests",
            "--",
            "--nocapture",
        ],
        &[],
    )?;
    let count = stdout
        .lines()
        .find_map(|l| l.strip_prefix("digest requests for 100 calls: "))
        .unwrap_or("n/a")
        .to_owned();
    table.push(format!("| HTTP requests for 100 Digest-authenticated calls (loopback) | {count} | goal 101 | one challenge, then nonce reuse |"));
    Ok(())
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    if cfg!(debug_assertions) {
        // Figures come from a release build: re-run this command from one.
        let mut forwarded: Vec<String> = std::env::args().skip(1).collect();
        forwarded.insert(0, "--".into());
        let mut cmd_args = vec![
            "run".to_owned(),
            "--quiet".into(),
            "--release".into(),
            "-p".into(),
            "xtask".into(),
        ];
        cmd_args.extend(forwarded);
        let status = Command::new(cargo())
            .args(&cmd_args)
            .current_dir(workspace_root())
            .status()
            .map_err(|e| e.to_string())?;
        return Ok(if status.success() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let mut table = vec![
        "| measurement | value | detail | note |".to_owned(),
        "| --- | --- | --- | --- |".to_owned(),
    ];
    generation(args, &mut table)?;
    decode(args, &mut table)?;
    wire(&mut table)?;
    if !args.skip_compile {
        compile(&mut table)?;
    }
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let cpus = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name\t: ").map(str::to_owned))
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    println!("machine: {cpus}, {cores} cores, {mem}");
    println!("commit: {commit}");
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    println!("toolchain: {rustc}\n");
    for row in table {
        println!("{row}");
    }
    Ok(ExitCode::SUCCESS)
}
