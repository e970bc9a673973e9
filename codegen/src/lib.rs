//! The atlas-admin generator: OpenAPI document -> normalized IR -> Rust client crate.
//!
//! Pipeline: [`load`] (YAML, overrides, `openapiv3`) -> [`normalize`] (rules, producing the
//! [`ir`]) -> [`emit`] (quote!, syn, prettyplease) -> [`output`] (write or check).
//!
//! No input may panic the generator: outside tests, `unwrap`, `expect`, `panic!` and
//! unchecked indexing are denied; each remaining `allow` states its invariant.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod carry;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod inputs;
pub mod ir;
pub mod load;
pub mod normalize;
pub mod output;
pub mod overlay;

use std::time::{Duration, Instant};

pub use diag::{Error, Warning};
pub use emit::{FileMap, Layout};
pub use load::Override;
pub use overlay::Overlay;

/// Wall time of each pipeline stage, for `cargo xtask bench`.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// YAML -> JSON value -> overrides -> `openapiv3` document.
    pub load: Duration,
    pub normalize: Duration,
    /// Token streams, `syn` parse and prettyplease, on all cores.
    pub emit_and_format: Duration,
}

/// Counts printed in the one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub operations: usize,
    pub operation_versions: usize,
    pub schemas: usize,
    /// Request-body models (`models::write::*`).
    pub write_models: usize,
    pub warnings: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} operations, {} operation versions, {} schemas emitted, {} write models, {} warnings",
            self.operations, self.operation_versions, self.schemas, self.write_models, self.warnings
        )
    }
}

/// Everything one generation run produces.
#[derive(Debug)]
pub struct Generated {
    pub files: FileMap,
    pub api: ir::Api,
    pub warnings: Vec<Warning>,
    pub summary: Summary,
    pub timings: Timings,
}

/// What is applied to a document: before it is read, the workspace's overrides, then
/// overlays (the Atlas CLI's watchers); while it is normalized, the names of shared enums
/// (`spec/names.yaml`); after, what the released crate carries from earlier documents
/// (`spec/api.lock`, [`carry`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Adjustments<'a> {
    pub overrides: &'a [Override],
    pub overlays: &'a [Overlay],
    pub carried: &'a [carry::Carried],
    /// `spec/names.yaml`: `(member, name)` for shared enums.
    pub names: &'a [(String, String)],
    /// `spec/government.yaml`: what Atlas for Government does not offer.
    pub government: &'a [normalize::government::GovernmentRule],
    /// The package's version (`Api::package_version`); `None`: the template's.
    pub version: Option<&'a str>,
}

/// Parse a spec document (YAML or JSON text), apply overrides and overlays, normalize it.
pub fn normalize_text(
    spec_path: &str,
    text: &str,
    adjust: Adjustments<'_>,
) -> Result<(ir::Api, diag::Diagnostics, Timings), Error> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let mut value = load::parse_value(spec_path, text)?;
    load::apply_overrides(spec_path, &mut value, adjust.overrides)?;
    for overlay in adjust.overlays {
        overlay.apply(&mut value)?;
    }
    let spec = load::to_openapi(spec_path, value)?;
    timings.load = start.elapsed();
    let start = Instant::now();
    let (mut api, diags) = normalize::normalize(&spec, adjust.names).map_err(Error::from_list)?;
    normalize::government::attach(&mut api, adjust.government);
    carry::merge(&mut api, adjust.carried);
    api.package_version = adjust.version.map(str::to_owned);
    timings.normalize = start.elapsed();
    Ok((api, diags, timings))
}

/// Run the whole pipeline on spec text and return the files to write, packaged as
/// `layout` says (the published crate is [`Layout::Split`]).
pub fn generate(
    spec_path: &str,
    text: &str,
    adjust: Adjustments<'_>,
    layout: Layout,
) -> Result<Generated, Error> {
    let (api, diags, timings) = normalize_text(spec_path, text, adjust)?;
    generate_api(api, diags, timings, layout)
}

/// Emit the crate of an API [`normalize_text`] produced (and, say, [`carry::merge`]
/// changed since).
pub fn generate_api(
    api: ir::Api,
    mut diags: diag::Diagnostics,
    mut timings: Timings,
    layout: Layout,
) -> Result<Generated, Error> {
    let start = Instant::now();
    let files = emit::emit(&api, layout, &mut diags)?;
    timings.emit_and_format = start.elapsed();
    let warnings = diags.into_sorted();
    let summary = Summary {
        operations: api.operations.len(),
        operation_versions: api
            .operations
            .iter()
            .map(|o| {
                o.versions
                    .iter()
                    .filter(|v| v.alternate_format.is_none())
                    .count()
            })
            .sum(),
        schemas: api
            .types
            .values()
            .filter(|t| !t.reached_by.is_empty())
            .count(),
        write_models: api
            .writes
            .values()
            .filter(|t| !t.reached_by.is_empty())
            .count(),
        warnings: warnings.len(),
    };
    Ok(Generated {
        files,
        api,
        warnings,
        summary,
        timings,
    })
}
