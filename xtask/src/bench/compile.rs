//! Compile cost: `cargo check` and `cargo build` (dev profile) of the generated crate per
//! feature set, and of the peer's crate, each cold for the crate itself with its
//! dependencies already built, with the peak RSS of the rustc that compiles it.

use std::path::Path;

use super::measure::{cargo, mb, measured, OurCrates, RssWrapper};
use super::Table;
use crate::spec::workspace_root;

/// One crate to compile: how cargo selects it and how rustc names it.
struct Subject {
    /// `cargo check` arguments that select the package.
    select: Vec<String>,
    /// `cargo clean` arguments: the package and, for ours, the crates it re-exports.
    clean: Vec<String>,
    /// `--crate-name`s rustc sees, to find the peak RSS (the highest of them).
    crate_names: Vec<String>,
    target_dir: String,
}

impl Subject {
    fn ours() -> Result<Self, String> {
        let crates = OurCrates::find()?;
        Ok(Self {
            select: vec!["-p".into(), "atlas-admin".into()],
            clean: crates.select,
            crate_names: crates.crate_names,
            target_dir: workspace_root()
                .join("target/bench/ours")
                .display()
                .to_string(),
        })
    }

    fn peer(crate_dir: &Path) -> Self {
        let manifest = crate_dir.join("Cargo.toml").display().to_string();
        Self {
            select: vec![
                "--manifest-path".into(),
                manifest.clone(),
                "-p".into(),
                "openapi".into(),
            ],
            clean: vec![
                "--manifest-path".into(),
                manifest,
                "-p".into(),
                "openapi".into(),
            ],
            crate_names: vec!["openapi".into()],
            target_dir: workspace_root()
                .join("target/bench/peer")
                .display()
                .to_string(),
        }
    }

    /// Same settings for both crates: cargo's default dev profile (what a downstream
    /// crate gets), no incremental artefacts, a target directory of its own.
    fn envs<'a>(&'a self, wrapper: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
        let mut envs = vec![
            ("CARGO_TARGET_DIR", self.target_dir.as_str()),
            ("CARGO_INCREMENTAL", "0"),
            ("CARGO_PROFILE_DEV_DEBUG", "true"),
        ];
        envs.extend(wrapper.map(|w| ("RUSTC_WRAPPER", w)));
        envs
    }

    /// Wall seconds and peak rustc RSS of `cargo <mode>` with `features`, crate cold.
    fn measure(
        &self,
        mode: &str,
        features: &[&str],
        wrapper: &RssWrapper,
    ) -> Result<(f64, Option<f64>), String> {
        let mut args: Vec<&str> = vec![mode, "--quiet"];
        args.extend(self.select.iter().map(String::as_str));
        args.extend_from_slice(features);
        // Dependencies first (untimed), so the figure is the crate alone.
        measured(&cargo(), &args, &self.envs(None))?;
        let mut clean: Vec<&str> = vec!["clean", "--quiet"];
        clean.extend(self.clean.iter().map(String::as_str));
        measured(&cargo(), &clean, &self.envs(None))?;
        wrapper.reset();
        let script = wrapper.script.display().to_string();
        let m = measured(&cargo(), &args, &self.envs(Some(&script)))?;
        Ok((m.wall, wrapper.peak_mb(&self.crate_names)))
    }
}

impl Subject {
    /// Wall seconds and peak RSS of `cargo doc --no-deps --all-features`, the crate's
    /// docs cold. rustdoc is not a `RUSTC_WRAPPER` child, so the peak is the whole
    /// command's, which rustdoc is.
    fn doc(&self) -> Result<(f64, Option<f64>), String> {
        let mut args: Vec<&str> = vec!["doc", "--quiet", "--no-deps", "--all-features"];
        args.extend(self.select.iter().map(String::as_str));
        measured(&cargo(), &args, &self.envs(None))?;
        // `--no-deps`: the only docs in this target directory are the crate's.
        let clean = ["clean", "--quiet", "--doc"];
        measured(&cargo(), &clean, &self.envs(None))?;
        let m = measured(&cargo(), &args, &self.envs(None))?;
        Ok((m.wall, m.peak_rss_mb))
    }
}

pub fn run(peer_crate: Option<&Path>, table: &mut Table) -> Result<(), String> {
    let wrapper = RssWrapper::install()?;
    let ours = Subject::ours()?;
    let feature_sets: [(&str, &[&str]); 3] = [
        (
            "all features (every API area + `preview`)",
            &["--all-features"],
        ),
        (
            "`clusters` only",
            &["--no-default-features", "--features", "clusters"],
        ),
        ("no features", &["--no-default-features"]),
    ];
    let peer = peer_crate.map(Subject::peer);
    for mode in ["check", "build"] {
        let mut all = None;
        for (label, features) in feature_sets {
            let (wall, rss) = ours.measure(mode, features, &wrapper)?;
            let base = *all.get_or_insert(wall);
            table.row(
                &format!("cargo {mode}, atlas-admin, {label}"),
                format!("{wall:.1} s"),
                format!("peak rustc RSS {}", mb(rss)),
                format!("{:.2} of all features", wall / base),
            );
        }
        if let (Some(peer), Some(base)) = (&peer, all) {
            let features = ["--no-default-features", "--features", "rustls"];
            let (wall, rss) = peer.measure(mode, &features, &wrapper)?;
            table.row(
                &format!("cargo {mode}, openapi-generator's crate (patched, every operation)"),
                format!("{wall:.1} s"),
                format!("peak rustc RSS {}", mb(rss)),
                format!(
                    "{:.2} of our all features; ours is {:.2}x of it",
                    wall / base,
                    base / wall
                ),
            );
        }
    }
    let (wall, rss) = ours.doc()?;
    table.row(
        "cargo doc, atlas-admin, all features",
        format!("{wall:.1} s"),
        format!("peak rustdoc RSS {}", mb(rss)),
        "`--no-deps`, dependencies warm; docs.rs allows about 6.4 GB and 15 minutes".into(),
    );
    if peer.is_none() {
        table.row(
            "compile openapi-generator's crate",
            "not measured".into(),
            String::new(),
            "the peer did not run (see the generation rows)".into(),
        );
    }
    Ok(())
}
