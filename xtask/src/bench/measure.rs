//! Running a command and measuring it: wall time, peak RSS (`/usr/bin/time`), medians.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::spec::workspace_root;

/// What one measured command took.
pub struct Measured {
    pub wall: f64,
    /// Peak resident set size of the command, in MB, when `/usr/bin/time` is installed.
    pub peak_rss_mb: Option<f64>,
    pub stdout: String,
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Formats an optional peak RSS for the table.
pub fn mb(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |m| format!("{m:.0} MB"))
}

/// Run `program args` from the workspace root, failing on a non-zero exit.
pub fn measured(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<Measured, String> {
    let rss_file = std::env::temp_dir().join(format!("atlas-bench-rss-{}", std::process::id()));
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    command
        .args(args)
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
    let peak_rss_mb = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    let _ = std::fs::remove_file(&rss_file);
    Ok(Measured {
        wall,
        peak_rss_mb,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}

/// A fresh, never-used directory path for one run's output.
///
/// Each run writes into its own new directory and all are deleted after the measurement:
/// on a filesystem mounted with `discard` (this machine's), deleting a tree just before
/// writing one slows file creation by up to 40x for seconds, which would time the disk's
/// housekeeping instead of the generator.
pub fn fresh_dir(label: &str, run: usize) -> PathBuf {
    std::env::temp_dir().join(format!("atlas-bench-{label}-{}-{run}", std::process::id()))
}

/// A `RUSTC_WRAPPER` that appends each rustc's peak RSS and command line to a log.
pub struct RssWrapper {
    pub script: PathBuf,
    pub log: PathBuf,
}

impl RssWrapper {
    pub fn install() -> Result<Self, String> {
        let dir = workspace_root().join("target/bench");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let log = dir.join("rustc-rss.log");
        let script = dir.join("rustc-rss.sh");
        let text = format!(
            "#!/bin/sh\nexec /usr/bin/time -a -o {} -f \"%M %C\" \"$@\"\n",
            log.display()
        );
        std::fs::write(&script, text).map_err(|e| e.to_string())?;
        let status = Command::new("chmod")
            .arg("+x")
            .arg(&script)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("chmod +x {}: {status}", script.display()));
        }
        Ok(Self { script, log })
    }

    pub fn reset(&self) {
        let _ = std::fs::remove_file(&self.log);
    }

    /// The highest peak RSS of a rustc that compiled one of `crate_names`, in MB.
    pub fn peak_mb(&self, crate_names: &[String]) -> Option<f64> {
        let needles: Vec<String> = crate_names
            .iter()
            .map(|name| format!("--crate-name {name} "))
            .collect();
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| needles.iter().any(|n| l.contains(n)))
            .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
            .reduce(f64::max)
            .map(|kb| kb / 1024.0)
    }
}

/// The generated crate's packages (`atlas-admin` and the crates it re-exports), as
/// `cargo clean` arguments and as the crate names rustc sees.
pub struct OurCrates {
    pub select: Vec<String>,
    pub crate_names: Vec<String>,
}

impl OurCrates {
    pub fn find() -> Result<Self, String> {
        let packages = crate::cargo::packages()?;
        Ok(Self {
            select: packages
                .iter()
                .flat_map(|p| ["-p".to_owned(), p.clone()])
                .collect(),
            crate_names: packages.iter().map(|p| p.replace('-', "_")).collect(),
        })
    }
}
