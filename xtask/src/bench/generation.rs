//! Generation: our release `generate` on the pinned spec, and the peer on the same spec.

use std::path::PathBuf;

use super::measure::{fresh_dir, mb, measured, median, Measured};
use super::{peer, Args, Table};

/// What the generation measurements leave for the compile measurements.
pub struct Outputs {
    /// The peer's crate, patched to compile, when the peer ran.
    pub peer_crate: Option<PathBuf>,
}

/// Our generation: `--runs` runs, each into a fresh directory; then one regeneration over
/// an up-to-date output (the maintainer's everyday case: nothing to write).
fn ours(args: &Args, spec: &str, table: &mut Table) -> Result<f64, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let exe = exe.display().to_string();
    let mut runs: Vec<(Measured, PathBuf)> = Vec::new();
    for run in 0..args.runs {
        let out = fresh_dir("ours", run);
        let out_arg = out.display().to_string();
        let generate = ["generate", "--timings", "--spec", spec, "--out", &out_arg];
        runs.push((measured(&exe, &generate, &[])?, out));
    }
    let last = runs.last().map(|(_, out)| out.display().to_string());
    let again = match &last {
        Some(out) => Some(measured(
            &exe,
            &["generate", "--timings", "--spec", spec, "--out", out],
            &[],
        )?),
        None => None,
    };
    for (_, out) in &runs {
        let _ = std::fs::remove_dir_all(out);
    }
    let peak = runs
        .iter()
        .filter_map(|(m, _)| m.peak_rss_mb)
        .reduce(f64::max);
    let walls: Vec<f64> = runs.iter().map(|(m, _)| m.wall).collect();
    let wall = median(walls.clone());
    runs.sort_by(|a, b| a.0.wall.total_cmp(&b.0.wall));
    let stages = runs
        .get(runs.len() / 2)
        .and_then(|(m, _)| m.stdout.lines().find_map(|l| l.strip_prefix("timings: ")))
        .unwrap_or("n/a")
        .to_owned();
    let all: Vec<String> = walls.iter().map(|w| format!("{w:.2}")).collect();
    table.row(
        "generate, pinned spec, release build, into a fresh directory",
        format!("{wall:.2} s"),
        format!("peak RSS {}", mb(peak)),
        format!("median of {} runs ({} s)", args.runs, all.join(" / ")),
    );
    table.row(
        "generate stages (the median run)",
        stages,
        String::new(),
        "from `generate --timings`".into(),
    );
    if let Some(again) = again {
        table.row(
            "regenerate over an up-to-date output (writes nothing)",
            format!("{:.2} s", again.wall),
            format!("peak RSS {}", mb(again.peak_rss_mb)),
            "1 run".into(),
        );
    }
    Ok(wall)
}

pub fn run(args: &Args, table: &mut Table) -> Result<Outputs, String> {
    let spec_path = crate::spec::workspace().spec(None)?;
    let spec = spec_path.display().to_string();
    let wall = ours(args, &spec, table)?;
    if args.skip_peer {
        table.row(
            "openapi-generator `rust` generate",
            "skipped (--skip-peer)".into(),
            String::new(),
            String::new(),
        );
        return Ok(Outputs { peer_crate: None });
    }
    let Some(version) = peer::installed() else {
        table.row(
            "openapi-generator `rust` generate",
            "not installed".into(),
            String::new(),
            "`pip install openapi-generator-cli` (needs Java 11+) to measure the peer".into(),
        );
        return Ok(Outputs { peer_crate: None });
    };
    let runs = args.runs.min(3);
    let mut peer_runs = Vec::new();
    for run in 0..runs {
        let out = fresh_dir("peer", run);
        let out_arg = out.display().to_string();
        let m = measured(
            "openapi-generator-cli",
            &peer::generate_args(&spec, &out_arg),
            &[peer::JAVA_OPTS],
        )?;
        peer_runs.push((m, out));
    }
    let peer_wall = median(peer_runs.iter().map(|(m, _)| m.wall).collect());
    let peak = peer_runs
        .iter()
        .filter_map(|(m, _)| m.peak_rss_mb)
        .reduce(f64::max);
    table.row(
        &format!("openapi-generator {version} `rust` generate, same spec"),
        format!("{peer_wall:.2} s"),
        format!("peak RSS {}", mb(peak)),
        format!(
            "median of {runs} runs; ours is {:.1}x faster",
            peer_wall / wall
        ),
    );
    // Keep the last output for the compile measurements; delete the others.
    let (_, kept) = peer_runs.pop().ok_or("no peer run")?;
    for (_, out) in &peer_runs {
        let _ = std::fs::remove_dir_all(out);
    }
    let patched = peer::patch(&kept)?;
    println!(
        "peer: patched {} file(s) to compile: {}",
        patched.len(),
        patched.join(", ")
    );
    Ok(Outputs {
        peer_crate: Some(kept),
    })
}
