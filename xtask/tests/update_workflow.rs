//! The scheduled update workflow (`.github/workflows/update-spec.yml`), checked without
//! GitHub: the file parses, runs daily and on demand, and its `cargo xtask update-spec`
//! step, run by bash as the runner would (a `cargo` on `PATH` that runs this xtask),
//! opens a pull request body for a new document, fails with the located errors for one
//! that does not generate, and changes nothing for the pinned one. On the evolution
//! fixture and on two real documents of `../shared/spec/history/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, read, root, scratch_checkout};
use serde_yaml::Value;

const WORKFLOW: &str = ".github/workflows/update-spec.yml";

fn workflow() -> Value {
    serde_yaml::from_str(&read(root().join(WORKFLOW))).unwrap()
}

/// The `run` block of the step with this `id`.
fn step_run(id: &str) -> String {
    let steps = workflow()["jobs"]["update"]["steps"].clone();
    let steps = steps.as_sequence().expect("jobs.update.steps");
    let step = steps
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("{WORKFLOW}: no step `{id}`"));
    step["run"].as_str().expect("a run block").to_owned()
}

#[test]
fn the_workflow_runs_daily_and_on_demand_and_opens_one_pull_request() {
    let w = workflow();
    // YAML 1.1 reads the key `on` as the boolean true.
    let on = w
        .get("on")
        .or_else(|| w.get(Value::Bool(true)))
        .expect("on:");
    let cron = on["schedule"][0]["cron"].as_str().expect("a cron schedule");
    assert_eq!(cron.split_whitespace().count(), 5, "{cron}");
    assert!(on.get("workflow_dispatch").is_some(), "manual dispatch");
    let steps = w["jobs"]["update"]["steps"].as_sequence().unwrap();
    let pr = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("peter-evans/create-pull-request@"))
        })
        .expect("a create-pull-request step");
    assert_eq!(pr["with"]["branch"].as_str(), Some("update-spec"));
    assert!(pr["with"]["body-path"]
        .as_str()
        .is_some_and(|p| p.contains("steps.update.outputs.body")));
}

/// What one run of the update step left: its exit status, outputs and summary.
struct StepRun {
    success: bool,
    log: String,
    outputs: String,
    summary: String,
    body: Option<String>,
}

/// Run the workflow's update step on `main` with `FROM=from`, as the runner would.
fn run_update_step(main: &Path, from: &Path) -> StepRun {
    let temp = main.join("../runner");
    std::fs::create_dir_all(&temp).unwrap();
    let bin = temp.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/usr/bin/env bash\n[ \"$1\" = xtask ] || exit 99\nshift\nexec {} \"$@\"\n",
            env!("CARGO_BIN_EXE_xtask")
        ),
    )
    .unwrap();
    make_executable(&cargo);
    // A runner gives each step fresh files.
    let (outputs, summary) = (temp.join("outputs"), temp.join("summary"));
    let _ = std::fs::remove_file(&outputs);
    let _ = std::fs::remove_file(&summary);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["-e", "-c", &step_run("update")])
        .current_dir(main)
        .env("PATH", path)
        .env("FROM", from)
        .env("RUNNER_TEMP", &temp)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("ATLAS_ADMIN_WORKSPACE", main)
        .env_remove("ATLAS_OPENAPI_SPEC")
        .env_remove("ATLAS_WATCHERS_OVERLAY")
        .output()
        .unwrap();
    let text = |p: PathBuf| std::fs::read_to_string(p).unwrap_or_default();
    StepRun {
        success: output.status.success(),
        log: format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        outputs: text(outputs),
        summary: text(summary),
        body: std::fs::read_to_string(temp.join("pr-body.md")).ok(),
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_new_fixture_document_becomes_a_pull_request_body_with_its_release_and_carried_items() {
    let main = scratch_checkout("update_workflow_fixture");
    let new = root().join("spec/fixtures/evolution/new.yaml");
    let run = run_update_step(&main, &new);
    assert!(run.success, "{}", run.log);
    assert!(run.outputs.contains("changed=true\n"), "{}", run.outputs);
    let body = run.body.expect("a pull request body");
    assert_eq!(run.summary, body, "the job summary shows the body");
    assert!(
        body.contains("**Proposed release: major.** It breaks code built on the released crate: "),
        "{body}"
    );
    // The operation it drops is kept, deprecated: what breaks is a plain call retargeted.
    assert!(body.contains("`plain-retargeted` (1)"), "{body}");
    assert!(
        body.contains("- operation `apis::widgets::delete_widget`\n"),
        "{body}"
    );
    assert!(
        body.contains("- model `models::write::ScrewWrite`\n"),
        "{body}"
    );
    assert!(body.contains("### Rust API changes"), "{body}");
    assert!(
        body.contains("| `apis::widgets::delete_widget` |"),
        "{body}"
    );

    // Adopted: the same document again changes nothing and opens nothing.
    let again = main.join("../shared/spec/v2.yaml");
    let run = run_update_step(&main, &again);
    assert!(run.success, "{}", run.log);
    assert!(run.log.contains("is the pinned document"), "{}", run.log);
    assert!(
        run.body.is_none() && !run.outputs.contains("changed"),
        "{}",
        run.outputs
    );

    // Unless it is to drop what is carried, for a planned major.
    let output = common::update_spec(&main, again.to_str().unwrap(), &["--drop-deprecated"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("0 items carried in spec/api.lock"),
        "{stdout}"
    );
}

#[test]
fn a_document_that_does_not_generate_fails_the_job_with_its_located_errors() {
    let main = scratch_checkout("update_workflow_broken");
    let broken = main.join("../broken.yaml");
    let text = String::from_utf8(fixture("new.yaml")).unwrap();
    // A response that names a schema the document does not have.
    let text = text.replacen(
        "$ref: '#/components/schemas/",
        "$ref: '#/components/schemas/Missing",
        1,
    );
    std::fs::write(&broken, text).unwrap();
    let run = run_update_step(&main, &broken);
    assert!(!run.success, "{}", run.log);
    assert!(!run.outputs.contains("changed"), "{}", run.outputs);
    assert!(run.summary.contains("does not generate"), "{}", run.summary);
    assert!(
        run.summary.contains("#/components/schemas/Missing"),
        "{}",
        run.summary
    );
    assert_eq!(
        read(main.join("../shared/spec/v2.yaml")).as_bytes(),
        fixture("old.yaml"),
        "nothing was changed"
    );
}

#[test]
fn a_real_step_of_the_history_becomes_a_pull_request_body() {
    let history = atlas_admin_codegen::inputs::Workspace::at(root()).shared("spec/history");
    assert!(
        history.exists(),
        "this test needs upstream data: {} (see README.md)",
        history.display()
    );
    let main = scratch_checkout("update_workflow_history");
    std::fs::copy(
        history.join("v2-2026-07-16.yaml"),
        main.join("../shared/spec/v2.yaml"),
    )
    .unwrap();
    let run = run_update_step(&main, &history.join("v2-2026-08-12.yaml"));
    assert!(run.success, "{}", run.log);
    let body = run.body.expect("a pull request body");
    assert!(body.contains("**Proposed release: "), "{body}");
    assert!(
        body.contains("### Kept, deprecated, until the next major release"),
        "{body}"
    );
    assert!(body.contains("### Rust API changes"), "{body}");
    assert!(body.len() <= 65_536, "{} characters", body.len());
    let lock = read(main.join("spec/api.lock"));
    let carried = atlas_admin_codegen::carry::lock::ApiLock::parse("spec/api.lock", &lock)
        .unwrap()
        .carried
        .len();
    let kept = body
        .split("### Kept, deprecated, until the next major release")
        .nth(1)
        .and_then(|rest| rest.split("### Before merging").next())
        .unwrap_or_default();
    let listed = kept.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(
        listed, carried,
        "every item the lock carries is listed: {kept}"
    );
}
