//! `decode-bench`: decode throughput into the typed models next to `serde_json::Value`,
//! in one process (run by `cargo xtask bench` in release), on two corpora: every 2xx JSON
//! recording, and one filled body per operation version (the spec's shapes, not one
//! account's). Prints one Markdown table row for each, then one per API area (the
//! family of models its operations return), so that a gain on one family cannot hide a
//! loss on another. A `+json` body that is not JSON (Atlas sends PEM certificates so)
//! is left out of the comparison and counted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use atlas_admin::runtime::Error;
use atlas_admin_codegen::ir::Api;
use atlas_admin_tests::recording;
use atlas_admin_tests::replay::{map_file, Bindings};
use atlas_admin_tests::sample::filled_responses;
use atlas_admin_tests::{load_api, spec_path};

/// Timed pairs (typed, `Value`).
const SAMPLES: usize = 11;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A body, the binding's decoder for it, and its family (the operation's API area).
#[derive(Clone)]
struct Body {
    parse: fn(&[u8]) -> Result<(), Error>,
    bytes: Vec<u8>,
    family: String,
}

type Corpus = Vec<Body>;

/// Bytes decoded per timed sample: the whole corpus, and one family.
const CORPUS_BUDGET: usize = 100_000_000;
const FAMILY_BUDGET: usize = 8_000_000;

fn run() -> Result<(), String> {
    let dir = std::env::args()
        .skip_while(|a| a != "--recordings")
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("ATLAS_RECORDINGS").map(PathBuf::from))
        .unwrap_or_else(|| atlas_admin_tests::workspace().shared("recordings"));
    // `--rounds N` fixes the repetitions (e.g. 1 under a profiler such as callgrind).
    let rounds = std::env::args()
        .skip_while(|a| a != "--rounds")
        .nth(1)
        .and_then(|n| n.parse().ok());
    // `--corpus recorded|filled` runs one of the two (to profile it alone).
    let corpus = std::env::args().skip_while(|a| a != "--corpus").nth(1);
    let wants = |name: &str| corpus.as_deref().is_none_or(|c| c == name);
    let api = load_api(&spec_path(None)?)?;
    if wants("recorded") {
        let (recorded, not_json) = recorded(&api, &dir)?;
        let what = format!(
            "decode {} 2xx JSON bodies ({not_json} `+json` bodies that are not JSON left out)",
            recorded.len()
        );
        compare(&what, &recorded, rounds, CORPUS_BUDGET);
        by_family("recorded", &recorded, rounds);
    }
    if !wants("filled") {
        return Ok(());
    }
    let (filled, rejected) = filled_responses(&api);
    let filled: Corpus = filled
        .into_iter()
        .map(|(b, bytes)| Body {
            parse: b.parse,
            family: family(&api, b.operation_id),
            bytes,
        })
        .collect();
    let what = format!(
        "decode {} filled 2xx bodies (one per JSON operation version, {} rejected)",
        filled.len(),
        rejected.len()
    );
    compare(&what, &filled, rounds, CORPUS_BUDGET);
    by_family("filled", &filled, rounds);
    Ok(())
}

/// The API area of an operation: the family of the models it returns.
fn family(api: &Api, operation_id: &str) -> String {
    api.operations
        .iter()
        .find(|o| o.operation_id == operation_id)
        .map_or_else(|| "unknown".to_owned(), |o| o.tag_module.clone())
}

/// One row per family of `corpus`, in order of name.
fn by_family(corpus: &str, bodies: &Corpus, rounds: Option<usize>) {
    let mut families: std::collections::BTreeMap<&str, Corpus> = Default::default();
    for body in bodies {
        families
            .entry(body.family.as_str())
            .or_default()
            .push(Body {
                parse: body.parse,
                bytes: body.bytes.clone(),
                family: body.family.clone(),
            });
    }
    for (family, bodies) in families {
        let what = format!("decode family `{family}`: {} {corpus} bodies", bodies.len());
        compare(&what, &bodies, rounds, FAMILY_BUDGET);
    }
}

/// The 2xx JSON recordings that decode with their binding's model, and how many
/// `+json` bodies were not JSON at all.
fn recorded(api: &Api, dir: &Path) -> Result<(Corpus, usize), String> {
    let bindings = Bindings::load();
    let (mut bodies, mut not_json) = (Vec::new(), 0);
    for file in recording::find(dir)? {
        let Ok(mapped) = map_file(api, &bindings, dir, &file)? else {
            continue;
        };
        let rec = &mapped.recording;
        let json = rec.content_type().is_some_and(|c| c.contains("+json"));
        if !(200..300).contains(&rec.status) || !json || rec.body.is_empty() {
            continue;
        }
        if serde_json::from_slice::<serde::de::IgnoredAny>(&rec.body).is_err() {
            not_json += 1;
            continue;
        }
        if let Some(b) = mapped.binding.filter(|b| (b.parse)(&rec.body).is_ok()) {
            bodies.push(Body {
                parse: b.parse,
                bytes: rec.body.clone(),
                family: family(api, b.operation_id),
            });
        }
    }
    Ok((bodies, not_json))
}

/// Time typed decoding of `bodies` against `serde_json::Value` and print one table row.
fn compare(what: &str, bodies: &Corpus, rounds: Option<usize>, budget: usize) {
    let bytes: usize = bodies.iter().map(|b| b.bytes.len()).sum();
    let rounds = rounds.unwrap_or((budget / bytes.max(1)).clamp(5, 2000));
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..rounds {
            f();
        }
        start.elapsed().as_secs_f64()
    };
    let typed = || {
        for body in bodies {
            std::hint::black_box((body.parse)(&body.bytes)).expect("decodes");
        }
    };
    let value = || {
        for body in bodies {
            let value = serde_json::from_slice::<serde_json::Value>(&body.bytes);
            std::hint::black_box(value).expect("JSON: non-JSON bodies were left out");
        }
    };
    // Interleaved pairs, alternating which runs first, so a drift in the machine's speed
    // (another tenant, frequency) hits both sides of a pair alike; the ratio is the median
    // of the pairs' ratios.
    let (mut typed_times, mut value_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for pair in 0..SAMPLES {
        let (t, v) = if pair % 2 == 0 {
            let t = time(&typed);
            (t, time(&value))
        } else {
            let v = time(&value);
            (time(&typed), v)
        };
        typed_times.push(t);
        value_times.push(v);
        ratios.push(v / t);
    }
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "| {what} ({:.1} KB) into typed models | {:.0} MB/s | serde_json::Value: {:.0} MB/s | typed/Value = {:.2}x (median of {SAMPLES} interleaved pairs of {rounds} rounds) |",
        bytes as f64 / 1e3,
        mb / median(typed_times),
        mb / median(value_times),
        median(ratios)
    );
}
