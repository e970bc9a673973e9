//! Fuzz targets on stable (bolero's random engine under `cargo test`; coverage-guided
//! with `cargo bolero test` on nightly, see README "Fuzzing"). Each mutates real seeds and
//! asserts only that nothing panics, aborts or hangs: errors are the expected outcome.
//!
//! `BOLERO_RANDOM_TEST_TIME_MS` sets the time per target (bolero's default is a short
//! smoke run); each target prints how many inputs it executed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use atlas_admin::ApiError;
use atlas_admin_codegen::ir::ResponseBody;
use atlas_admin_tests::mutate::{mutate, Edit};
use atlas_admin_tests::registry::bindings;
use atlas_admin_tests::replay::{map_file, Bindings};
use atlas_admin_tests::sample::sample_value;
use atlas_admin_tests::{load_api, recording, route, shared_path, workspace_root};

fn report(target: &str, executions: &AtomicUsize) {
    eprintln!(
        "{target}: {} executions",
        executions.load(Ordering::Relaxed)
    );
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every binding's decoder (structs, enums, tagged and untagged unions) and `ApiError`
/// on mutated bodies: recorded 2xx bodies and a minimal valid body per response model.
#[test]
fn fuzz_response_decoders() {
    let api = load_api(&shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml")).unwrap();
    let all = bindings();
    let mut seeds: Vec<(usize, Vec<u8>)> = Vec::new();
    for (index, binding) in all.iter().enumerate() {
        let version = binding.spec_version(&api);
        if let Some(ResponseBody::Json(ty) | ResponseBody::JsonOrEmpty(ty)) =
            version.map(|v| &v.response)
        {
            seeds.push((index, sample_value(&api, ty, 0).to_string().into_bytes()));
        }
    }
    let dir = shared_path("ATLAS_RECORDINGS", "recordings");
    let by_name = Bindings::load();
    for file in recording::find(&dir).unwrap() {
        let Ok(Ok(mapped)) = map_file(&api, &by_name, &dir, &file) else {
            continue;
        };
        let Some(binding) = mapped.binding else {
            continue;
        };
        let index = all
            .iter()
            .position(|b| b.operation_id == binding.operation_id && b.accept == binding.accept);
        if let (Some(index), true) = (index, (200..300).contains(&mapped.recording.status)) {
            seeds.push((index, mapped.recording.body.clone()));
        }
    }
    assert!(seeds.len() > 500, "{} seeds", seeds.len());
    let executions = AtomicUsize::new(0);
    bolero::check!()
        .with_type::<(u32, Vec<Edit>)>()
        .for_each(|(pick, edits)| {
            let (index, seed) = &seeds[*pick as usize % seeds.len()];
            let body = mutate(seed, edits);
            let _ = (all[*index].parse)(&body);
            let _ = serde_json::from_slice::<ApiError>(&body);
            executions.fetch_add(1, Ordering::Relaxed);
        });
    report("fuzz_response_decoders", &executions);
}

/// The spec loader and normalizer (and emit) on mutated fixture documents.
#[test]
fn fuzz_spec_loader() {
    let fixtures = workspace_root().join("spec/fixtures");
    let seeds: Vec<Vec<u8>> = ["", "broken", "hostile"]
        .iter()
        .flat_map(|sub| yaml_files(&fixtures.join(sub)))
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    assert!(seeds.len() > 30, "{} seeds", seeds.len());
    let executions = AtomicUsize::new(0);
    bolero::check!()
        .with_type::<(u16, Vec<Edit>)>()
        .for_each(|(pick, edits)| {
            let seed = &seeds[usize::from(*pick) % seeds.len()];
            let text = String::from_utf8_lossy(&mutate(seed, edits)).into_owned();
            let _ = atlas_admin_codegen::generate(
                "fuzz.yaml",
                &text,
                Default::default(),
                Default::default(),
            );
            executions.fetch_add(1, Ordering::Relaxed);
        });
    report("fuzz_spec_loader", &executions);
}

/// The recording parser on mutated files, and routing on mutated file names.
#[test]
fn fuzz_recording_parser() {
    let api = load_api(&shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml")).unwrap();
    let dir = shared_path("ATLAS_RECORDINGS", "recordings");
    let files = recording::find(&dir).unwrap();
    let seeds: Vec<(String, Vec<u8>)> = files
        .iter()
        .step_by(7)
        .map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(f).unwrap())
        })
        .collect();
    let executions = AtomicUsize::new(0);
    bolero::check!()
        .with_type::<(u16, Vec<Edit>, Vec<Edit>)>()
        .for_each(|(pick, body_edits, name_edits)| {
            let (name, bytes) = &seeds[usize::from(*pick) % seeds.len()];
            let _ = recording::parse(Path::new("fuzz.snaphost"), &mutate(bytes, body_edits));
            let name = String::from_utf8_lossy(&mutate(name.as_bytes(), name_edits)).into_owned();
            if name.len() <= 255 {
                let _ = route::route(&api, &name, Some("json"));
            }
            executions.fetch_add(1, Ordering::Relaxed);
        });
    report("fuzz_recording_parser", &executions);
}
