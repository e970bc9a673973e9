//! `decode-bench`: decode throughput into the typed models next to `serde_json::Value`,
//! in one process (run by `cargo xtask bench` in release), on two corpora: every 2xx JSON
//! recording, and one filled body per operation version (the spec's shapes, not one
//! account's). Prints one Markdown table row for each.

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

/// A body and the binding's decoder for it.
type Corpus = Vec<(fn(&[u8]) -> Result<(), Error>, Vec<u8>)>;

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
        let recorded = recorded(&api, &dir)?;
        let what = format!("decode {} 2xx JSON bodies", recorded.len());
        compare(&what, &recorded, rounds);
    }
    if !wants("filled") {
        return Ok(());
    }
    let (filled, rejected) = filled_responses(&api);
    let filled: Corpus = filled
        .into_iter()
        .map(|(b, body)| (b.parse, body))
        .collect();
    let what = format!(
        "decode {} filled 2xx bodies (one per JSON operation version, {} rejected)",
        filled.len(),
        rejected.len()
    );
    compare(&what, &filled, rounds);
    Ok(())
}

/// The 2xx JSON recordings that decode with their binding's model.
fn recorded(api: &Api, dir: &Path) -> Result<Corpus, String> {
    let bindings = Bindings::load();
    let mut bodies = Vec::new();
    for file in recording::find(dir)? {
        let Ok(mapped) = map_file(api, &bindings, dir, &file)? else {
            continue;
        };
        let rec = &mapped.recording;
        let json = rec.content_type().is_some_and(|c| c.contains("+json"));
        if (200..300).contains(&rec.status) && json && !rec.body.is_empty() {
            if let Some(b) = mapped.binding {
                if (b.parse)(&rec.body).is_ok() {
                    bodies.push((b.parse, rec.body.clone()));
                }
            }
        }
    }
    Ok(bodies)
}

/// Time typed decoding of `bodies` against `serde_json::Value` and print one table row.
fn compare(what: &str, bodies: &Corpus, rounds: Option<usize>) {
    let bytes: usize = bodies.iter().map(|(_, b)| b.len()).sum();
    let rounds = rounds.unwrap_or((100_000_000 / bytes.max(1)).clamp(5, 2000));
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..rounds {
            f();
        }
        start.elapsed().as_secs_f64()
    };
    let typed = || {
        for (parse, body) in bodies {
            std::hint::black_box(parse(body)).expect("decodes");
        }
    };
    let value = || {
        for (_, body) in bodies {
            std::hint::black_box(serde_json::from_slice::<serde_json::Value>(body).expect("json"));
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
