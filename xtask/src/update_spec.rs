//! `cargo xtask update-spec --from PATH|URL [--date YYYY-MM-DD] [--drop-deprecated]
//! [--pr-body FILE]`:
//! adopt a new upstream document. It is validated (it must generate); what the released
//! crate has and the document dropped is carried, deprecated (`codegen::carry`, recorded
//! in `spec/api.lock`); the result is compared with the released API (`cargo xtask
//! diff`), the document is put where generation reads it (the pinned one moves to
//! `history/`), recorded in `spec/PIN`, the crate is regenerated, and the changes go under
//! "Unreleased" in `generated/CHANGELOG.md`. Prints the proposed release.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_admin_codegen::carry::lock::{ApiLock, LockedDocument, LOCK_FILE};
use atlas_admin_codegen::carry::{self, Carried};
use atlas_admin_codegen::diff;
use atlas_admin_codegen::inputs::{sha256_hex, Inputs, Pin, PIN_FILE};
use atlas_admin_codegen::{ir, output};

use crate::spec::{checked_date, today};
use crate::{changelog, pr_body, spec};

/// The changelog the entries go into, relative to the workspace root.
const CHANGELOG: &str = "generated/CHANGELOG.md";
const UNRELEASED: &str = "## [Unreleased]";

#[derive(clap::Args)]
pub struct Args {
    /// The new document: a file, or an `http(s)://` URL.
    #[arg(long)]
    from: String,
    /// The document's publication date (default: today, UTC).
    #[arg(long)]
    date: Option<String>,
    /// A planned major release: carry nothing the released crate had and the document
    /// dropped, and drop what earlier updates carried.
    #[arg(long)]
    drop_deprecated: bool,
    /// Also write a pull request's body here (Markdown): the proposed release and why,
    /// what is kept deprecated, the Rust-API diff; or, when the document does not
    /// generate, its located errors. Nothing is written for the pinned document itself.
    #[arg(long)]
    pr_body: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode, String> {
    let result = update(args);
    if let (Err(error), Some(path)) = (&result, &args.pr_body) {
        write(path, pr_body::failure(&args.from, error).as_bytes())?;
    }
    result
}

fn update(args: &Args) -> Result<ExitCode, String> {
    let workspace = spec::workspace();
    let date = match &args.date {
        Some(date) => checked_date(date)?,
        None => today(),
    };
    let bytes = fetch(&args.from)?;
    let text =
        String::from_utf8(bytes.clone()).map_err(|e| format!("{}: not UTF-8: {e}", args.from))?;
    let old_pin = workspace.pin()?;
    // The same document again changes nothing, unless it is to drop what is carried.
    if sha256_hex(&bytes) == old_pin.sha256 && !args.drop_deprecated {
        println!(
            "update-spec: {} is the pinned document (sha256 {}); nothing changed",
            args.from, old_pin.sha256
        );
        return Ok(ExitCode::SUCCESS);
    }
    let spec_path = workspace.spec(None)?;
    // The released API: the pinned document and what the lock carries into it.
    let old_api = workspace.load_api(&spec_path)?;
    let inputs = workspace.inputs(None)?;
    // Generated in memory first: a document that does not generate changes nothing.
    let (generated, carried) = generate(&inputs, &args.from, &text, |next| {
        if args.drop_deprecated {
            Vec::new()
        } else {
            carry::carried_after(&old_api, next, &date)
        }
    })?;
    let old_name = old_pin.date.clone().map_or_else(
        || "the pinned document".to_owned(),
        |d| format!("the {d} document"),
    );
    let new_name = format!("the {date} document");
    let report = diff::diff(&old_name, &old_api, &new_name, &generated.api);

    archive_pinned(&spec_path, old_pin.date.as_deref())?;
    write(&spec_path, &bytes)?;
    let pin = Pin {
        source: args.from.clone(),
        date: Some(date.clone()),
        sha256: sha256_hex(&bytes),
    };
    write(&workspace.join(PIN_FILE), pin.to_text().as_bytes())?;
    let lock = ApiLock::new(
        LockedDocument {
            date: date.clone(),
            sha256: pin.sha256.clone(),
        },
        carried,
    );
    write(&workspace.join(LOCK_FILE), lock.to_text().as_bytes())?;
    let changed = output::write(workspace.root(), &generated.files).map_err(|e| e.to_string())?;
    let entry = changelog::entry(&report, &date, &pin.sha256, &old_api, &generated.api);
    add_to_changelog(&workspace.join(CHANGELOG), &entry)?;
    if let Some(path) = &args.pr_body {
        let adopted = pr_body::Adopted {
            from: &args.from,
            date: &date,
            sha256: &pin.sha256,
            replaces: &old_name,
        };
        write(
            path,
            pr_body::success(&adopted, &report, &lock.carried).as_bytes(),
        )?;
    }
    println!(
        "update-spec: {} ({} major, {} minor, {} patch changes; {} items carried in spec/api.lock); \
         {changed} generated files changed; proposed release: {}",
        args.from,
        report.count(diff::Verdict::Major),
        report.count(diff::Verdict::Minor),
        report.count(diff::Verdict::Patch),
        lock.carried.len(),
        report.bump.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

/// The document's bytes, from a file or over HTTP.
fn fetch(from: &str) -> Result<Vec<u8>, String> {
    if from.starts_with("http://") || from.starts_with("https://") {
        let response = ureq::get(from)
            .call()
            .map_err(|e| format!("GET {from}: {e}"))?;
        return response
            .into_body()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .map_err(|e| format!("GET {from}: reading the body: {e}"));
    }
    std::fs::read(from).map_err(|e| format!("{from}: {e}"))
}

/// The crate the new document generates, with the workspace's overrides and overlay and
/// what `carried` decides to carry from the released API; normalized once.
fn generate(
    inputs: &Inputs,
    name: &str,
    text: &str,
    carried: impl FnOnce(&ir::Api) -> Vec<Carried>,
) -> Result<(atlas_admin_codegen::Generated, Vec<Carried>), String> {
    let failed = |e: atlas_admin_codegen::Error| format!("the new document does not generate: {e}");
    let (mut api, diags, timings) =
        atlas_admin_codegen::normalize_text(name, text, inputs.with_carried(&[]))
            .map_err(failed)?;
    let carried = carried(&api);
    carry::merge(&mut api, &carried);
    let generated =
        atlas_admin_codegen::generate_api(api, diags, timings, atlas_admin_codegen::Layout::Split)
            .map_err(failed)?;
    Ok((generated, carried))
}

/// Keep the document being replaced as `history/v2-<date>.yaml` beside it.
fn archive_pinned(spec_path: &Path, date: Option<&str>) -> Result<(), String> {
    let Some(date) = date else {
        return Ok(());
    };
    let dir = spec_path
        .parent()
        .map(|p| p.join("history"))
        .unwrap_or_else(|| PathBuf::from("history"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let to = dir.join(format!("v2-{date}.yaml"));
    std::fs::copy(spec_path, &to)
        .map(|_| ())
        .map_err(|e| format!("{} -> {}: {e}", spec_path.display(), to.display()))
}

/// `entry` under "Unreleased", after what is already there.
fn add_to_changelog(path: &Path, entry: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let updated = match text.find(UNRELEASED) {
        Some(at) => {
            let after = at + UNRELEASED.len();
            // The next release heading ends the Unreleased section.
            let end = text[after..]
                .find("\n## [")
                .map_or(text.len(), |i| after + i + 1);
            let section = text[..end].trim_end();
            format!("{section}\n\n{entry}\n{}", &text[end..])
        }
        None => format!("{}\n\n{UNRELEASED}\n\n{entry}", text.trim_end()),
    };
    write(path, updated.as_bytes())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
