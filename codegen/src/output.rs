//! Write the generated files, or compare them with what is on disk (`cargo xtask check`).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::diag::Error;
use crate::emit::FileMap;

/// Directories whose every file is generated: a file there that the generator no longer
/// produces is deleted by `generate` and reported by `check`. These are the module
/// directories of every crate either layout has (`emit::packaging`), and the tools'
/// registry's (`tests/generated/`); everything else under the output directory (README,
/// CHANGELOG, examples, tests) is never touched, and of it the generator writes only the
/// files it produces (manifests, `lib.rs`).
pub fn owned_dirs() -> Vec<String> {
    let registry_dir = crate::inputs::REGISTRY_FILE
        .rsplit_once('/')
        .map(|(dir, _)| dir.to_owned());
    std::iter::once(crate::inputs::CRATE_DIR.to_owned())
        .chain(crate::emit::packaging::all_split_dirs())
        .flat_map(|dir| {
            ["src/models", "src/models/write", "src/apis"].map(|sub| format!("{dir}/{sub}"))
        })
        .chain(registry_dir)
        .collect()
}

/// One difference between generated and committed output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    Missing(String),
    Stale(String),
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {p}"),
            Drift::Stale(p) => write!(f, "stale:   {p}"),
            Drift::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Files currently on disk in the owned directories, as relative paths.
fn owned_on_disk(out: &Path) -> Result<BTreeSet<String>, Error> {
    let mut found = BTreeSet::new();
    for dir in owned_dirs() {
        let full = out.join(&dir);
        let entries = match fs::read_dir(&full) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&full, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| io(&full, e))?;
            // A subdirectory (`models/write`) is an owned directory of its own.
            if entry.file_type().map_err(|e| io(&full, e))?.is_dir() {
                continue;
            }
            if let Some(name) = entry.file_name().to_str() {
                found.insert(format!("{dir}/{name}"));
            }
        }
    }
    Ok(found)
}

/// Compare generated files with the output directory.
pub fn check(out: &Path, files: &FileMap) -> Result<Vec<Drift>, Error> {
    let mut drift = Vec::new();
    for (rel, text) in files {
        let path = out.join(rel);
        match fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => drift.push(Drift::Stale(rel.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(rel.clone()))
            }
            Err(e) => return Err(io(&path, e)),
        }
    }
    for rel in owned_on_disk(out)? {
        if !files.contains_key(&rel) {
            drift.push(Drift::Extra(rel));
        }
    }
    drift.sort();
    Ok(drift)
}

/// Write changed files and delete owned files that are no longer generated.
/// Unchanged files are left alone so their timestamps (and incremental builds) survive.
pub fn write(out: &Path, files: &FileMap) -> Result<usize, Error> {
    let mut written = 0;
    for drift in check(out, files)? {
        match drift {
            Drift::Missing(rel) | Drift::Stale(rel) => {
                let path = out.join(&rel);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
                }
                fs::write(&path, &files[&rel]).map_err(|e| io(&path, e))?;
                written += 1;
            }
            Drift::Extra(rel) => {
                let path = out.join(&rel);
                fs::remove_file(&path).map_err(|e| io(&path, e))?;
                written += 1;
            }
        }
    }
    Ok(written)
}
