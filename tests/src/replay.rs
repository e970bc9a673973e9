//! Replay recorded Atlas responses through the generated models: map each file to its
//! operation and version, decode it with the typed model, and report failures and drift.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::binding::Binding;
use crate::registry::bindings;
use atlas_admin::runtime::{ApiError, Error, RawResponse};
use atlas_admin_codegen::ir::{Api, ResponseBody};
use serde::Serialize;
use serde_json::Value;

use crate::drift::{check, round_trip_diff, Finding};
use crate::recording::{self, Recording};
use crate::route::{route, split_name, Route, Unmapped};
use atlas_admin_codegen::normalize::operations::parse_media;

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Failure {
    pub file: String,
    pub operation: String,
    pub version: String,
    /// JSON path of the failure (empty when it is not about one field).
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Drift {
    pub file: String,
    pub operation: String,
    pub version: String,
    pub path: String,
    pub what: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotMappable {
    pub file: String,
    pub reason: String,
}

/// The whole result, in the shape `--json` writes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub files: usize,
    pub ok: usize,
    pub failed: Vec<Failure>,
    pub drift: Vec<Drift>,
    pub not_mappable: Vec<NotMappable>,
}

impl Report {
    pub fn summary(&self) -> String {
        format!(
            "replay: {} ok, {} failed, {} drift, {} not mappable",
            self.ok,
            self.failed.len(),
            self.drift.len(),
            self.not_mappable.len()
        )
    }
}

/// A recording matched to its operation and binding.
pub struct Mapped<'a> {
    pub recording: Recording,
    pub route: Route,
    pub binding: Option<&'a Binding>,
    /// The API version used: the response's, or the operation's default when the
    /// response names none (errors answer with `application/json`).
    pub version: String,
}

/// Bindings by (operationId, version).
pub struct Bindings(HashMap<(&'static str, &'static str), Vec<Binding>>);

impl Bindings {
    pub fn load() -> Self {
        let mut map: HashMap<_, Vec<Binding>> = HashMap::new();
        for b in bindings() {
            map.entry((b.operation_id, b.version)).or_default().push(b);
        }
        Bindings(map)
    }

    /// The binding for a version whose `Accept` format matches the response's.
    fn find(&self, operation: &str, version: &str, content_type: Option<&str>) -> Option<&Binding> {
        let candidates = self
            .0
            .iter()
            .find(|((o, v), _)| *o == operation && *v == version)
            .map(|(_, b)| b)?;
        let format = content_type
            .and_then(|ct| ct.split(';').next())
            .and_then(|m| m.rsplit_once('+'))
            .map(|(_, f)| f.trim());
        candidates
            .iter()
            .find(|b| format.is_some_and(|f| b.accept.ends_with(&format!("+{f}"))))
            .or_else(|| candidates.iter().find(|b| b.accept.ends_with("+json")))
            .or_else(|| candidates.first())
    }
}

fn relative(file: &Path, root: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Map one recording file; `Err` when it is not mappable (with the reason).
pub fn map_file<'a>(
    api: &Api,
    bindings: &'a Bindings,
    root: &Path,
    file: &Path,
) -> Result<Result<Mapped<'a>, NotMappable>, String> {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let rel = relative(file, root);
    if split_name(name).is_none() {
        return Ok(Err(NotMappable {
            file: rel,
            reason: "file name has no HTTP method and path".into(),
        }));
    }
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let recording = recording::parse(file, &bytes)?;
    let format = recording
        .content_type()
        .and_then(parse_media)
        .map(|m| m.format);
    let route = match route(api, name, format.as_deref()) {
        Ok(r) => r,
        Err(Unmapped::NoMethod) => {
            return Ok(Err(NotMappable {
                file: rel,
                reason: "file name has no HTTP method and path".into(),
            }));
        }
        Err(Unmapped::NotInSpec { method, path }) => {
            return Ok(Err(NotMappable {
                file: rel,
                reason: format!("{method} {path} is not in the spec"),
            }));
        }
    };
    let op = &api.operations[route.operation];
    let version = recording
        .api_version()
        .unwrap_or_else(|| op.versions[op.default_version].version.label().to_owned());
    let binding = bindings.find(&op.operation_id, &version, recording.content_type());
    Ok(Ok(Mapped {
        recording,
        route,
        binding,
        version,
    }))
}

/// Decode one mapped recording, adding to the report.
fn replay_one(api: &Api, mapped: &Mapped<'_>, rel: String, report: &mut Report) {
    let op = &api.operations[mapped.route.operation];
    let rec = &mapped.recording;
    let fail = |path: String, error: String| Failure {
        file: rel.clone(),
        operation: op.operation_id.clone(),
        version: mapped.version.clone(),
        path,
        error,
    };
    let drift = |f: Finding| Drift {
        file: rel.clone(),
        operation: op.operation_id.clone(),
        version: mapped.version.clone(),
        path: f.path,
        what: f.what,
    };
    if !(200..300).contains(&rec.status) {
        if rec.is_json() && !rec.body.is_empty() {
            match serde_json::from_slice::<ApiError>(&rec.body) {
                Ok(error) => report.drift.extend(error.extra.keys().map(|key| {
                    drift(Finding {
                        path: key.clone(),
                        what: "key not defined by ApiError".into(),
                    })
                })),
                Err(e) => {
                    report.failed.push(fail(
                        String::new(),
                        format!("HTTP {} body is not an ApiError: {e}", rec.status),
                    ));
                    return;
                }
            }
        }
        report.ok += 1;
        return;
    }
    let Some(binding) = mapped.binding else {
        report.failed.push(fail(
            String::new(),
            format!(
                "the spec has no version {} of {}",
                mapped.version, op.operation_id
            ),
        ));
        return;
    };
    let Some(version) = op
        .versions
        .iter()
        .find(|v| v.version.label() == binding.version && v.accept == binding.accept)
    else {
        report.failed.push(fail(
            String::new(),
            format!(
                "the compiled crate has {} but the loaded spec does not: replay with the spec the crate was generated from",
                binding.accept
            ),
        ));
        return;
    };
    if !version.success_statuses.contains(&rec.status) {
        report.drift.push(drift(Finding {
            path: String::new(),
            what: format!(
                "HTTP {}, the spec documents {:?}",
                rec.status, version.success_statuses
            ),
        }));
    }
    let response = RawResponse {
        status: rec.status,
        content_type: rec.content_type().map(str::to_owned),
        body: rec.body.clone(),
    };
    let reencoded = match (binding.decode)(response) {
        Ok(v) => v,
        Err(Error::Decode { path, message, .. }) => {
            report.failed.push(fail(path, message));
            return;
        }
        Err(e) => {
            report.failed.push(fail(String::new(), e.to_string()));
            return;
        }
    };
    report.ok += 1;
    let ty = match &version.response {
        ResponseBody::Json(ty) | ResponseBody::JsonOrEmpty(ty) => ty,
        ResponseBody::Empty => {
            if rec.is_json() && rec.body.iter().any(|b| !b.is_ascii_whitespace()) {
                report.drift.push(drift(Finding {
                    path: String::new(),
                    what: "body sent where the spec documents none".into(),
                }));
            }
            return;
        }
        ResponseBody::Bytes => return,
        ResponseBody::Text => {
            if serde_json::from_slice::<String>(&rec.body).is_err() {
                report.drift.push(drift(Finding {
                    path: String::new(),
                    what: "plain text where the spec documents a JSON string".into(),
                }));
            }
            return;
        }
    };
    let Ok(original) = serde_json::from_slice::<Value>(&rec.body) else {
        return;
    };
    let mut spec_findings = Vec::new();
    check(api, ty, &original, "", &mut spec_findings);
    let mut trip = Vec::new();
    round_trip_diff(&original, &reencoded, "", &mut trip);
    // A round-trip difference the spec walk explains is drift; any other is a failure of
    // the generated model to keep what it decoded.
    let explained = |f: &Finding| {
        f.what == "explicit null not kept"
            || spec_findings.iter().any(|s| {
                f.path == s.path
                    || f.path.starts_with(&format!("{}.", s.path))
                    || f.path.starts_with(&format!("{}[", s.path))
            })
    };
    let unexplained: Vec<&Finding> = trip.iter().filter(|f| !explained(f)).collect();
    if let Some(first) = unexplained.first() {
        report.ok -= 1;
        report.failed.push(fail(
            first.path.clone(),
            format!("round trip: {}", first.what),
        ));
    }
    report.drift.extend(spec_findings.into_iter().map(drift));
    report.drift.extend(
        trip.into_iter()
            .filter(|f| f.what == "explicit null not kept")
            .map(drift),
    );
}

/// Replay every recording under `dir`.
pub fn replay_dir(api: &Api, dir: &Path) -> Result<Report, String> {
    let bindings = Bindings::load();
    let files: Vec<PathBuf> = recording::find(dir)?;
    let mut report = Report {
        files: files.len(),
        ..Report::default()
    };
    for file in &files {
        match map_file(api, &bindings, dir, file) {
            Ok(Ok(mapped)) => replay_one(api, &mapped, relative(file, dir), &mut report),
            Ok(Err(not)) => report.not_mappable.push(not),
            // An unreadable or malformed file is one failure, not the end of the run.
            Err(error) => report.failed.push(Failure {
                file: relative(file, dir),
                operation: String::new(),
                version: String::new(),
                path: String::new(),
                error,
            }),
        }
    }
    report.failed.sort();
    report.drift.sort();
    report.drift.dedup();
    report.not_mappable.sort();
    Ok(report)
}
