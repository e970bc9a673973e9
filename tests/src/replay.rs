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
use atlas_admin_codegen::normalize::media::parse_media;

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
/// What replaying one recording found: it decoded (with any drift), or it failed.
enum Outcome {
    Ok(Vec<Finding>),
    Failed { path: String, error: String },
}

impl Outcome {
    fn failed(path: impl Into<String>, error: impl Into<String>) -> Self {
        Outcome::Failed {
            path: path.into(),
            error: error.into(),
        }
    }
}

fn replay_one(api: &Api, mapped: &Mapped<'_>, rel: String, report: &mut Report) {
    let op = &api.operations[mapped.route.operation];
    let outcome = if (200..300).contains(&mapped.recording.status) {
        replay_success(api, mapped)
    } else {
        replay_error(&mapped.recording)
    };
    match outcome {
        Outcome::Ok(findings) => {
            report.ok += 1;
            report.drift.extend(findings.into_iter().map(|f| Drift {
                file: rel.clone(),
                operation: op.operation_id.clone(),
                version: mapped.version.clone(),
                path: f.path,
                what: f.what,
            }));
        }
        Outcome::Failed { path, error } => report.failed.push(Failure {
            file: rel,
            operation: op.operation_id.clone(),
            version: mapped.version.clone(),
            path,
            error,
        }),
    }
}

/// A 4xx/5xx: its JSON body must decode as `ApiError`; members it does not declare are
/// drift.
fn replay_error(rec: &Recording) -> Outcome {
    if !rec.is_json() || rec.body.is_empty() {
        return Outcome::Ok(Vec::new());
    }
    match serde_json::from_slice::<ApiError>(&rec.body) {
        Ok(error) => Outcome::Ok(
            error
                .extra
                .keys()
                .map(|key| Finding {
                    path: key.clone(),
                    what: "key not defined by ApiError".into(),
                })
                .collect(),
        ),
        Err(e) => Outcome::failed(
            "",
            format!("HTTP {} body is not an ApiError: {e}", rec.status),
        ),
    }
}

/// A 2xx: it must decode with the binding's model and survive the round trip; what the
/// spec does not describe is drift.
fn replay_success(api: &Api, mapped: &Mapped<'_>) -> Outcome {
    let op = &api.operations[mapped.route.operation];
    let rec = &mapped.recording;
    let Some(binding) = mapped.binding else {
        return Outcome::failed(
            "",
            format!(
                "the spec has no version {} of {}",
                mapped.version, op.operation_id
            ),
        );
    };
    let Some(version) = binding.version_in(op) else {
        return Outcome::failed(
            "",
            format!(
                "the compiled crate has {} but the loaded spec does not: replay with the spec the crate was generated from",
                binding.accept
            ),
        );
    };
    let mut findings = Vec::new();
    if !version.success_statuses.contains(&rec.status) {
        findings.push(Finding {
            path: String::new(),
            what: format!(
                "HTTP {}, the spec documents {:?}",
                rec.status, version.success_statuses
            ),
        });
    }
    let mut headers = atlas_admin::runtime::HeaderMap::new();
    if let Some(value) = rec.content_type().and_then(|t| t.parse().ok()) {
        headers.insert("content-type", value);
    }
    let response = RawResponse::new(rec.status, headers, rec.body.clone());
    let reencoded = match (binding.decode)(response) {
        Ok(v) => v,
        Err(Error::Decode { path, message, .. }) => return Outcome::failed(path, message),
        Err(e) => return Outcome::failed("", e.to_string()),
    };
    match body_findings(api, &version.response, rec, &reencoded) {
        Ok(more) => {
            findings.extend(more);
            Outcome::Ok(findings)
        }
        Err(lost) => Outcome::failed(lost.path, format!("round trip: {}", lost.what)),
    }
}

/// The drift in a decoded body: the spec walk over the original, and round-trip
/// differences it explains (or explicit nulls); `Err` with the first difference nothing
/// explains, a failure of the model to keep what it decoded.
fn body_findings(
    api: &Api,
    response: &ResponseBody,
    rec: &Recording,
    reencoded: &Value,
) -> Result<Vec<Finding>, Finding> {
    let has_text = rec.body.iter().any(|b| !b.is_ascii_whitespace());
    let ty = match response {
        ResponseBody::Json(ty) | ResponseBody::JsonOrEmpty(ty) => ty,
        ResponseBody::Empty if rec.is_json() && has_text => {
            return Ok(vec![Finding {
                path: String::new(),
                what: "body sent where the spec documents none".into(),
            }]);
        }
        ResponseBody::Text if serde_json::from_slice::<String>(&rec.body).is_err() => {
            return Ok(vec![Finding {
                path: String::new(),
                what: "plain text where the spec documents a JSON string".into(),
            }]);
        }
        ResponseBody::Empty | ResponseBody::Bytes | ResponseBody::Text => return Ok(Vec::new()),
    };
    let Ok(original) = serde_json::from_slice::<Value>(&rec.body) else {
        return Ok(Vec::new());
    };
    let mut spec_findings = Vec::new();
    check(api, ty, &original, "", &mut spec_findings);
    let mut trip = Vec::new();
    round_trip_diff(&original, reencoded, "", &mut trip);
    let explained_by_spec = |f: &Finding| {
        spec_findings.iter().any(|s| {
            f.path == s.path
                || f.path.starts_with(&format!("{}.", s.path))
                || f.path.starts_with(&format!("{}[", s.path))
        })
    };
    if let Some(lost) = trip
        .iter()
        .find(|f| !f.is_null_not_kept() && !explained_by_spec(f))
    {
        return Err(lost.clone());
    }
    spec_findings.extend(trip.into_iter().filter(Finding::is_null_not_kept));
    Ok(spec_findings)
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
