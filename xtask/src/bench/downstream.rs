//! A downstream crate's cost: `xtask/bench-downstream/` (five areas, about ten operations)
//! built against the generated crate with only those features. Two figures: the cold
//! build of atlas-admin's part (dependencies warm, no incremental artefacts, as for a
//! crates.io dependency), and the rebuild after a one-line edit of the downstream crate
//! (incremental, cargo's dev default for the crate a user edits).

use std::path::{Path, PathBuf};

use super::measure::{cargo, mb, measured, median, OurCrates, RssWrapper};
use super::Table;
use crate::spec::workspace_root;

/// One-line edits timed (the median is reported).
const EDITS: u32 = 3;

struct Downstream {
    dir: PathBuf,
    target_dir: String,
}

impl Downstream {
    /// The crate under `target/bench/downstream`, depending on `generated/` by path.
    fn write() -> Result<Self, String> {
        let root = workspace_root();
        let dir = root.join("target/bench/downstream");
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let generated = root.join("generated").display().to_string();
        // The areas the downstream crate uses, as a TOML list of atlas-admin features.
        let features = crate::cargo::DOWNSTREAM_AREAS
            .map(|a| format!("{a:?}"))
            .join(", ");
        let manifest = format!(
            "[package]\nname = \"atlas-admin-downstream-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\natlas-admin = {{ path = {generated:?}, default-features = false, features = [{features}] }}\n\
             futures-util = {{ version = \"0.3\", default-features = false, features = [\"std\"] }}\n\n[workspace]\n"
        );
        let write = |path: &Path, text: &[u8]| {
            std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
        };
        write(&dir.join("Cargo.toml"), manifest.as_bytes())?;
        let lock = std::fs::read(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
        write(&dir.join("Cargo.lock"), &lock)?;
        let source = std::fs::read(root.join("xtask/bench-downstream/src/lib.rs"))
            .map_err(|e| format!("xtask/bench-downstream/src/lib.rs: {e}"))?;
        write(&dir.join("src/lib.rs"), &source)?;
        let target_dir = root
            .join("target/bench/downstream-target")
            .display()
            .to_string();
        Ok(Self { dir, target_dir })
    }

    fn build(&self, incremental: bool, wrapper: Option<&str>) -> Result<f64, String> {
        let manifest = self.dir.join("Cargo.toml").display().to_string();
        let mut envs = vec![
            ("CARGO_TARGET_DIR", self.target_dir.as_str()),
            ("CARGO_INCREMENTAL", if incremental { "1" } else { "0" }),
            ("CARGO_PROFILE_DEV_DEBUG", "true"),
        ];
        envs.extend(wrapper.map(|w| ("RUSTC_WRAPPER", w)));
        let args = ["build", "--quiet", "--manifest-path", &manifest];
        Ok(measured(&cargo(), &args, &envs)?.wall)
    }

    fn clean_atlas_admin(&self) -> Result<(), String> {
        let manifest = self.dir.join("Cargo.toml").display().to_string();
        let crates = OurCrates::find()?;
        let mut args = vec!["clean", "--quiet", "--manifest-path", &manifest];
        args.extend(crates.select.iter().map(String::as_str));
        measured(
            &cargo(),
            &args,
            &[("CARGO_TARGET_DIR", self.target_dir.as_str())],
        )?;
        Ok(())
    }

    /// Change the one line the bench edits (`pub const EDITED: u32 = N;`).
    fn edit(&self, n: u32) -> Result<(), String> {
        let path = self.dir.join("src/lib.rs");
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let line = text
            .lines()
            .find(|l| l.starts_with("pub const EDITED: u32 = "))
            .ok_or("xtask/bench-downstream/src/lib.rs: no `pub const EDITED: u32 = ` line")?;
        let text = text.replacen(line, &format!("pub const EDITED: u32 = {n};"), 1);
        std::fs::write(&path, text).map_err(|e| e.to_string())
    }
}

pub fn run(table: &mut Table) -> Result<(), String> {
    let wrapper = RssWrapper::install()?;
    let crate_ = Downstream::write()?;
    // Dependencies first (untimed), then atlas-admin cold.
    crate_.build(false, None)?;
    crate_.clean_atlas_admin()?;
    wrapper.reset();
    let script = wrapper.script.display().to_string();
    let cold = crate_.build(false, Some(&script))?;
    table.row(
        "downstream crate (5 areas, 10 operations): cold build of atlas-admin's part",
        format!("{cold:.1} s"),
        format!("peak rustc RSS {}", mb(wrapper.peak_mb(&OurCrates::find()?.crate_names))),
        "cargo build, atlas-admin with those 5 features and the downstream crate; dependencies warm".into(),
    );
    crate_.build(true, None)?;
    let mut walls = Vec::new();
    for n in 1..=EDITS {
        crate_.edit(n)?;
        walls.push(crate_.build(true, None)?);
    }
    let all: Vec<String> = walls.iter().map(|w| format!("{w:.2}")).collect();
    table.row(
        "downstream crate: rebuild after a one-line edit",
        format!("{:.2} s", median(walls)),
        String::new(),
        format!(
            "incremental, median of {EDITS} edits ({} s)",
            all.join(" / ")
        ),
    );
    Ok(())
}
