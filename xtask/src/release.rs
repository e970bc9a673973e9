//! `cargo xtask release [--dry-run] [--date YYYY-MM-DD]`: "Unreleased" becomes a version.
//!
//! Refuses on a dirty tree, on generated code that is not current, and when the semver
//! oracle disagrees with the diff on the newest step (whose verdict the changelog holds).
//! The release level is the changelog's: the highest "needs a LEVEL release" under
//! "Unreleased" (one line per adopted document, written by `update-spec`), minor when
//! only hand-written entries are there. Then every published crate gets the version (the
//! runtime's and the template's manifests; the generated ones are regenerated, with the
//! exact `=` pins between them), the section is dated, and `cargo package` and
//! `cargo publish --dry-run` run over all six crates together (cargo orders them). Prints
//! the tag to push. `--dry-run` puts the tree back as it was afterwards.

use std::process::{Command, ExitCode};

use crate::cargo::{cargo, crate_version, packages};
use crate::generate::{self, Mode};
use crate::spec::{checked_date, today, workspace_root};

const CHANGELOG: &str = "generated/CHANGELOG.md";
const UNRELEASED: &str = "## [Unreleased]";
/// The hand-written manifests that hold the package's version.
const VERSIONED: [&str; 2] = ["runtime/Cargo.toml", "codegen/templates/Cargo.toml"];

#[derive(clap::Args)]
pub struct Args {
    /// Do everything, then put the tree back: nothing is left to commit.
    #[arg(long)]
    dry_run: bool,
    /// The release date (default: today, UTC).
    #[arg(long)]
    date: Option<String>,
    /// Skip cargo's build of each packaged crate (`--no-verify`): for tests of the command.
    #[arg(long, hide = true)]
    no_verify: bool,
}

/// A semver level, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Patch,
    Minor,
    Major,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let date = match &args.date {
        Some(date) => checked_date(date)?,
        None => today(),
    };
    let dirty = git(&["status", "--porcelain"])?;
    if !dirty.trim().is_empty() {
        return Err(format!(
            "release: the working tree has changes; commit or stash them first:\n{dirty}"
        ));
    }
    if generate::run(&generate::Args::default(), Mode::Check)? != ExitCode::SUCCESS {
        return Err("release: generated code is not current (`cargo xtask generate`)".into());
    }
    let changelog = read(CHANGELOG)?;
    let plan = plan(&changelog, &crate_version()?)?;
    if plan.previous.is_some() && plan.level != Level::Major {
        // The oracle must agree with the diff on the newest step, or the level is unproven.
        cargo(&["xtask", "semver", "--history", "--last", "1"], &[])
            .map_err(|e| format!("release: the semver oracle disagrees: {e}"))?;
    }
    let result = apply(&plan, &date, &changelog, args.no_verify);
    if args.dry_run {
        git(&["checkout", "--", "."])?;
    }
    result?;
    println!(
        "release: atlas-admin {} ({:?} after {}){}\n  tag: git tag atlas-admin-v{0} && git push origin atlas-admin-v{0}\n  publish: cargo publish {}",
        plan.version,
        plan.level,
        plan.previous.as_deref().unwrap_or("no earlier release"),
        if args.dry_run { "; dry run: the tree is as it was" } else { "" },
        packages()?.iter().map(|p| format!("-p {p}")).collect::<Vec<_>>().join(" "),
    );
    Ok(ExitCode::SUCCESS)
}

/// What a release makes of the changelog.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    pub level: Level,
    /// The newest released version, if any.
    pub previous: Option<String>,
    pub version: String,
}

/// The release "Unreleased" asks for: its level, and the version after the newest
/// released one (the first release keeps the manifests' version).
pub fn plan(changelog: &str, current: &str) -> Result<Plan, String> {
    let at = changelog
        .find(UNRELEASED)
        .ok_or_else(|| format!("{CHANGELOG}: no \"{UNRELEASED}\" section"))?;
    let section = &changelog[at + UNRELEASED.len()..];
    let (unreleased, released) = section.split_once("\n## [").unwrap_or((section, ""));
    if unreleased.trim().is_empty() {
        return Err(format!(
            "{CHANGELOG}: \"Unreleased\" is empty: nothing to release"
        ));
    }
    let level = unreleased
        .match_indices("needs a ")
        .filter_map(|(i, _)| match unreleased[i + 8..].split(' ').next() {
            Some("major") => Some(Level::Major),
            Some("minor") => Some(Level::Minor),
            Some("patch") => Some(Level::Patch),
            _ => None,
        })
        .max()
        .unwrap_or(Level::Minor);
    let previous = (!released.is_empty())
        .then(|| released.split(']').next().map(str::to_owned))
        .flatten();
    let version = match &previous {
        Some(v) => bump(v, level)?,
        None => current.to_owned(),
    };
    Ok(Plan {
        level,
        previous,
        version,
    })
}

/// `version` raised by `level`, as Cargo reads versions: below 1.0 a major change raises
/// the minor number and anything else the patch number.
pub fn bump(version: &str, level: Level) -> Result<String, String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{version}` is not MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{version}` is not MAJOR.MINOR.PATCH"));
    };
    Ok(match (major, level) {
        (0, Level::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Level::Major) => format!("{}.0.0", major + 1),
        (_, Level::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// Set the version, regenerate, date the changelog, package and dry-run the publish.
fn apply(plan: &Plan, date: &str, changelog: &str, no_verify: bool) -> Result<(), String> {
    let current = crate_version()?;
    for manifest in VERSIONED {
        let text = read(manifest)?;
        let from = format!("\nversion = \"{current}\"\n");
        if !text.contains(&from) {
            return Err(format!("{manifest}: no `version = \"{current}\"`"));
        }
        let to = format!("\nversion = \"{}\"\n", plan.version);
        write(manifest, &text.replacen(&from, &to, 1))?;
    }
    generate::run(&generate::Args::default(), Mode::Write)?;
    let dated = format!("{UNRELEASED}\n\n## [{}] - {date}", plan.version);
    write(CHANGELOG, &changelog.replacen(UNRELEASED, &dated, 1))?;
    cargo(&["update", "--workspace", "--offline"], &[])?;
    let packages = packages()?;
    // The tree was clean: what is uncommitted now is this release's own edits.
    let commands: [&[&str]; 2] = [
        &["package", "--locked", "--allow-dirty"],
        &["publish", "--dry-run", "--locked", "--allow-dirty"],
    ];
    for command in commands {
        let mut args: Vec<&str> = command.to_vec();
        if no_verify {
            args.push("--no-verify");
        }
        for name in &packages {
            args.extend(["-p", name.as_str()]);
        }
        cargo(&args, &[])?;
    }
    Ok(())
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("git {}: {e}", args.join(" ")))?;
    if !output.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn read(rel: &str) -> Result<String, String> {
    let path = workspace_root().join(rel);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(rel: &str, text: &str) -> Result<(), String> {
    let path = workspace_root().join(rel);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "# Changelog\n\n## [Unreleased]\n\n";

    #[test]
    fn the_level_is_the_highest_an_adopted_document_needs() {
        let text = format!(
            "{HEAD}### Upstream document of 2026-09-01\n\nsha256 `a`; this update alone needs a minor release.\n\n\
             ### Upstream document of 2026-09-08\n\nsha256 `b`; this update alone needs a major release.\n\n\
             ## [0.2.3] - 2026-08-30\n\n- older: needs a patch release\n"
        );
        let plan = plan(&text, "0.2.3").unwrap();
        assert_eq!(plan.level, Level::Major);
        assert_eq!(plan.previous.as_deref(), Some("0.2.3"));
        assert_eq!(plan.version, "0.3.0");
    }

    #[test]
    fn hand_written_entries_are_a_minor_release_and_the_first_keeps_its_version() {
        let first = format!("{HEAD}### Added\n\n- everything\n");
        assert_eq!(
            plan(&first, "0.1.0").unwrap(),
            Plan {
                level: Level::Minor,
                previous: None,
                version: "0.1.0".into()
            }
        );
        let later = format!("{HEAD}### Fixed\n\n- a thing\n\n## [0.1.0] - 2026-12-01\n");
        assert_eq!(plan(&later, "0.1.0").unwrap().version, "0.1.1");
        let empty = format!("{HEAD}\n## [0.1.0] - 2026-12-01\n");
        assert!(plan(&empty, "0.1.0")
            .unwrap_err()
            .contains("nothing to release"));
    }

    #[test]
    fn versions_bump_as_cargo_reads_them() {
        assert_eq!(bump("0.4.2", Level::Major).unwrap(), "0.5.0");
        assert_eq!(bump("0.4.2", Level::Minor).unwrap(), "0.4.3");
        assert_eq!(bump("1.4.2", Level::Minor).unwrap(), "1.5.0");
        assert_eq!(bump("1.4.2", Level::Major).unwrap(), "2.0.0");
        assert_eq!(bump("1.4.2", Level::Patch).unwrap(), "1.4.3");
        assert!(bump("1.4", Level::Patch).is_err());
    }
}
