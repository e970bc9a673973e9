//! The one place the generator's inputs and outputs are found, for `xtask` and the tests
//! alike: the workspace layout, the OpenAPI document (`--spec`, `$ATLAS_OPENAPI_SPEC`,
//! `../shared/spec/v2.yaml`), its pin (`spec/PIN`), the overrides, the recordings.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::carry::lock::{ApiLock, LOCK_FILE};
use crate::carry::Carried;
use crate::load::{parse_overrides, Override};
use crate::Overlay;

/// The variable naming the OpenAPI document.
pub const SPEC_VAR: &str = "ATLAS_OPENAPI_SPEC";
/// The variable naming the directory of recorded responses.
pub const RECORDINGS_VAR: &str = "ATLAS_RECORDINGS";
/// The Atlas CLI's watchers overlay (which writes are long-running, how to wait).
pub const WATCHERS_VAR: &str = "ATLAS_WATCHERS_OVERLAY";
/// The pin of the upstream document, relative to the workspace root.
pub const PIN_FILE: &str = "spec/PIN";
/// Overrides applied before normalization, relative to the workspace root.
pub const OVERRIDES_FILE: &str = "spec/overrides.yaml";
/// Names this project gives shared enums (`normalize::sharing`), reviewed by hand.
pub const NAMES_FILE: &str = "spec/names.yaml";
/// The runtime's manifest, whose version every published crate shares.
pub const RUNTIME_MANIFEST: &str = "runtime/Cargo.toml";

/// What Atlas for Government does not offer, as rules (`normalize::government`).
pub const GOVERNMENT_FILE: &str = "spec/government.yaml";
/// This project's fixes to the watchers overlay, applied after it (an overlay too).
pub const WATCHER_FIXES_FILE: &str = "spec/watcher-fixes.yaml";
/// Where the published crate lives, relative to the workspace root.
pub const CRATE_DIR: &str = "generated";
/// The generated manifest, relative to the workspace root.
pub const CRATE_MANIFEST: &str = "generated/Cargo.toml";
/// The hand-written runtime, a crate of its own that the generated crates depend on.
pub const RUNTIME_DIR: &str = "runtime";
/// The base crate's manifest: every area feature, each `= []`.
pub const BASE_MANIFEST: &str = "generated/crates/base/Cargo.toml";
/// The tools-only binding table: generated, but compiled in the tests package so the
/// published crate never pays for it.
pub const REGISTRY_FILE: &str = "tests/generated/registry.rs";

/// The pinned upstream document: `key = value` lines in `spec/PIN`.
pub struct Pin {
    pub source: String,
    /// The document's publication date (`YYYY-MM-DD`), when recorded.
    pub date: Option<String>,
    pub sha256: String,
}

impl Pin {
    /// `spec/PIN`'s text for this pin.
    pub fn to_text(&self) -> String {
        let mut text = String::from(
            "# The upstream OpenAPI document this crate is generated from. The document itself is\n\
             # never committed: generation reads it from --spec, $ATLAS_OPENAPI_SPEC or ../shared.\n\
             # Written by `cargo xtask update-spec`.\n",
        );
        text.push_str(&format!("source = {}\n", self.source));
        if let Some(date) = &self.date {
            text.push_str(&format!("date = {date}\n"));
        }
        text.push_str(&format!("sha256 = {}\n", self.sha256));
        text
    }
}

/// What generation applies to a document, read once from the workspace: the overrides,
/// the watchers overlay and the lock of the released API.
pub struct Inputs {
    pub overrides: Vec<Override>,
    pub overlays: Vec<Overlay>,
    pub lock: Option<ApiLock>,
    /// `spec/names.yaml`: `(member, name)` for shared enums.
    pub names: Vec<(String, String)>,
    /// `spec/government.yaml`.
    pub government: Vec<crate::normalize::government::GovernmentRule>,
    /// The package's version: `runtime/Cargo.toml`'s (none in a checkout without it).
    pub version: Option<String>,
}

impl Inputs {
    /// The adjustments for the document whose sha256 is `sha256`: the lock carries its
    /// items into the document it names and into no other.
    pub fn adjustments(&self, sha256: &str) -> crate::Adjustments<'_> {
        let carried = self
            .lock
            .as_ref()
            .map_or(&[][..], |l| l.carried_for(sha256));
        self.with_carried(carried)
    }

    /// The adjustments with `carried` merged in, whatever the lock says.
    pub fn with_carried<'a>(&'a self, carried: &'a [Carried]) -> crate::Adjustments<'a> {
        crate::Adjustments {
            overrides: &self.overrides,
            overlays: &self.overlays,
            carried,
            names: &self.names,
            government: &self.government,
            version: self.version.as_deref(),
        }
    }
}

/// One step of the spec history: a document and its publication date.
#[derive(Debug, Clone)]
pub struct Step {
    pub path: PathBuf,
    pub date: String,
}

/// A workspace checkout and the inputs beside it (`../shared`).
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
}

/// The document's text, and a note when it is not the pinned one.
pub struct SpecText {
    pub text: String,
    pub note: Option<String>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The path to use, in order: the flag, the variable, the default; and where it came from.
fn pick(flag: Option<&Path>, flag_name: &str, var: &str, default: &Path) -> (PathBuf, String) {
    match (flag, std::env::var_os(var)) {
        (Some(path), _) => (path.to_path_buf(), flag_name.to_owned()),
        (None, Some(path)) => (PathBuf::from(path), format!("${var}")),
        (None, None) => (default.to_path_buf(), "the default location".to_owned()),
    }
}

impl Workspace {
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Workspace { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path relative to the workspace root.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// `../shared/<rel>` beside the checkout.
    pub fn shared(&self, rel: &str) -> PathBuf {
        self.root.join("..").join("shared").join(rel)
    }

    pub fn pin(&self) -> Result<Pin, String> {
        let path = self.join(PIN_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let field = |key: &str| {
            text.lines()
                .filter_map(|l| l.split_once('='))
                .find(|(k, _)| k.trim() == key)
                .map(|(_, v)| v.trim().to_owned())
                .ok_or_else(|| format!("{}: missing `{key} = ...`", path.display()))
        };
        Ok(Pin {
            source: field("source")?,
            date: field("date").ok(),
            sha256: field("sha256")?,
        })
    }

    /// The document: the flag, then `$ATLAS_OPENAPI_SPEC`, then `../shared/spec/v2.yaml`.
    /// A missing file is an error that names where it looked and the pinned document.
    pub fn spec(&self, flag: Option<&Path>) -> Result<PathBuf, String> {
        let default = self.shared("spec/v2.yaml");
        let (path, from) = pick(flag, "--spec", SPEC_VAR, &default);
        if path.is_file() {
            return Ok(path);
        }
        let pin = self.pin()?;
        Err(format!(
            "no OpenAPI document at {} (from {from}): pass --spec PATH or set {SPEC_VAR}, or place it at {}.\n\
             The pinned document is {} with sha256 {}.",
            path.display(),
            default.display(),
            pin.source,
            pin.sha256
        ))
    }

    /// The older upstream documents beside the pinned one (`<spec dir>/history/*.yaml`),
    /// oldest first (their names carry the date: `v2-2026-01-08.yaml`), then the pinned
    /// document itself: the steps a maintainer would have released.
    pub fn history(&self) -> Result<Vec<PathBuf>, String> {
        let spec = self.spec(None)?;
        let dir = spec
            .parent()
            .map(|p| p.join("history"))
            .unwrap_or_else(|| PathBuf::from("history"));
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            format!(
                "no spec history at {}: {e} (it sits beside the pinned document, {})",
                dir.display(),
                spec.display()
            )
        })?;
        let mut steps: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
            .collect();
        steps.sort();
        steps.push(spec);
        Ok(steps)
    }

    /// [`Self::history`] with each document's date: from its name (`v2-2026-01-08.yaml`),
    /// and the pin's for the pinned document.
    pub fn history_steps(&self) -> Result<Vec<Step>, String> {
        let pin = self.pin()?;
        let mut documents = self.history()?;
        let pinned = documents.pop();
        let mut steps = Vec::new();
        for path in documents {
            let date = path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.strip_prefix("v2-"))
                .filter(|d| d.len() == 10)
                .map(str::to_owned)
                .ok_or_else(|| format!("{}: not named v2-YYYY-MM-DD", path.display()))?;
            steps.push(Step { path, date });
        }
        if let Some(path) = pinned {
            let date = pin
                .date
                .ok_or_else(|| format!("{PIN_FILE}: no `date = YYYY-MM-DD`"))?;
            steps.push(Step { path, date });
        }
        Ok(steps)
    }

    /// `spec/api.lock`, or `None` when the workspace has none (nothing carried).
    pub fn lock(&self) -> Result<Option<ApiLock>, String> {
        let path = self.join(LOCK_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => ApiLock::parse(LOCK_FILE, &text)
                .map(Some)
                .map_err(|e| e.to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// The overrides, the watchers overlay (`flag`, see [`Self::watchers`]) and this
    /// project's fixes to it, and the lock.
    pub fn inputs(&self, watchers: Option<&Path>) -> Result<Inputs, String> {
        let mut overlays = vec![self.watchers(watchers)?];
        overlays.extend(self.watcher_fixes()?);
        Ok(Inputs {
            overrides: self.overrides()?,
            overlays,
            lock: self.lock()?,
            names: self.names()?,
            government: self.government()?,
            version: self.package_version()?,
        })
    }

    /// The version in `runtime/Cargo.toml`, which every published crate shares; `None`
    /// when the checkout has no runtime (a scratch one).
    pub fn package_version(&self) -> Result<Option<String>, String> {
        let path = self.join(RUNTIME_MANIFEST);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(None);
        };
        text.lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .map(|v| Some(v.to_owned()))
            .ok_or_else(|| format!("{}: no `version = \"..\"`", path.display()))
    }

    /// `spec/government.yaml`; none when the checkout has no such file.
    pub fn government(&self) -> Result<Vec<crate::normalize::government::GovernmentRule>, String> {
        let path = self.join(GOVERNMENT_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => crate::normalize::government::parse_rules(GOVERNMENT_FILE, &text)
                .map_err(|e| e.to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// `spec/names.yaml`; none when the checkout has no such file.
    pub fn names(&self) -> Result<Vec<(String, String)>, String> {
        let path = self.join(NAMES_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                crate::normalize::sharing::parse_names(NAMES_FILE, &text).map_err(|e| e.to_string())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// `spec/watcher-fixes.yaml`, when the checkout has one.
    fn watcher_fixes(&self) -> Result<Option<crate::Overlay>, String> {
        let path = self.join(WATCHER_FIXES_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => crate::overlay::parse_overlay(WATCHER_FIXES_FILE, &text)
                .map(Some)
                .map_err(|e| e.to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// The recordings: the flag, then `$ATLAS_RECORDINGS`, then `../shared/recordings`.
    pub fn recordings(&self, flag: Option<&Path>) -> Result<PathBuf, String> {
        let default = self.shared("recordings");
        let (path, from) = pick(flag, "--recordings", RECORDINGS_VAR, &default);
        if path.is_dir() {
            return Ok(path);
        }
        Err(format!(
            "no recordings directory at {} (from {from}): pass --recordings DIR or set {RECORDINGS_VAR}, or place them at {}",
            path.display(),
            default.display()
        ))
    }

    /// Read a document, with a note when its sha256 is not the pinned one.
    pub fn read_spec(&self, path: &Path) -> Result<SpecText, String> {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read spec {}: {e}", path.display()))?;
        let note = self.pin().ok().and_then(|pin| {
            let actual = sha256_hex(&bytes);
            (actual != pin.sha256).then(|| {
                format!(
                    "{} has sha256 {actual}, not the pinned {} ({}); update {PIN_FILE} when adopting a new document",
                    path.display(),
                    pin.sha256,
                    pin.source
                )
            })
        });
        let text = String::from_utf8(bytes)
            .map_err(|e| format!("spec {} is not UTF-8: {e}", path.display()))?;
        Ok(SpecText { text, note })
    }

    /// The watchers overlay: the flag, then `$ATLAS_WATCHERS_OVERLAY`, then
    /// `../shared/spec/overlays/watchers.yaml`; missing, it is an error naming where.
    pub fn watchers(&self, flag: Option<&Path>) -> Result<crate::Overlay, String> {
        let default = self.shared("spec/overlays/watchers.yaml");
        let (path, from) = pick(flag, "--watchers", WATCHERS_VAR, &default);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "no watchers overlay at {} (from {from}): {e}; pass --watchers PATH or set {WATCHERS_VAR}, or place it at {}",
                path.display(),
                default.display()
            )
        })?;
        crate::overlay::parse_overlay(&path.display().to_string(), &text).map_err(|e| e.to_string())
    }

    /// The overrides applied before normalization.
    pub fn overrides(&self) -> Result<Vec<Override>, String> {
        let path = self.join(OVERRIDES_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        parse_overrides(OVERRIDES_FILE, &text).map_err(|e| e.to_string())
    }

    /// Normalize a document as generation does: overrides, the watchers overlay, and
    /// what the lock carries when it names this document.
    pub fn load_api(&self, spec: &Path) -> Result<crate::ir::Api, String> {
        let text = self.read_spec(spec)?.text;
        let inputs = self.inputs(None)?;
        let adjust = inputs.adjustments(&sha256_hex(text.as_bytes()));
        crate::normalize_text(&spec.display().to_string(), &text, adjust)
            .map(|(api, _, _)| api)
            .map_err(|e| e.to_string())
    }

    /// Normalize a document with `carried` merged in (a step of [`Self::released_history`]).
    pub fn load_api_with(
        &self,
        inputs: &Inputs,
        spec: &Path,
        carried: &[Carried],
    ) -> Result<crate::ir::Api, String> {
        let text = self.read_spec(spec)?.text;
        crate::normalize_text(
            &spec.display().to_string(),
            &text,
            inputs.with_carried(carried),
        )
        .map(|(api, _, _)| api)
        .map_err(|e| e.to_string())
    }

    /// The history as a maintainer following deprecate-first releases it: the oldest
    /// document as it is, then each one carrying what the steps before it dropped.
    pub fn released_history(&self) -> Result<Vec<Release>, String> {
        let inputs = self.inputs(None)?;
        let mut releases: Vec<Release> = Vec::new();
        for step in self.history_steps()? {
            let api = self.load_api_with(&inputs, &step.path, &[])?;
            let (api, carried) = match releases.last() {
                Some(released) => crate::carry::evolve(&released.api, api, &step.date),
                None => (api, Vec::new()),
            };
            releases.push(Release { step, api, carried });
        }
        Ok(releases)
    }
}

/// One step of [`Workspace::released_history`].
pub struct Release {
    pub step: Step,
    /// The API the crate of this step has: the document's, and what it carries.
    pub api: crate::ir::Api,
    pub carried: Vec<Carried>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Workspace {
        Workspace::at(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
    }

    #[test]
    fn a_missing_spec_names_the_pinned_source_and_sha256() {
        let workspace = workspace();
        let err = workspace
            .spec(Some(Path::new("/nonexistent/v2.yaml")))
            .unwrap_err();
        let pin = workspace.pin().unwrap();
        assert!(err.contains("/nonexistent/v2.yaml (from --spec)"), "{err}");
        assert!(err.contains(&pin.source), "{err}");
        assert!(err.contains(&pin.sha256), "{err}");
    }

    #[test]
    fn missing_recordings_name_the_flag_and_the_default() {
        let err = workspace()
            .recordings(Some(Path::new("/nonexistent/recordings")))
            .unwrap_err();
        assert!(
            err.contains("/nonexistent/recordings (from --recordings)"),
            "{err}"
        );
        assert!(err.contains("shared/recordings"), "{err}");
    }
}
