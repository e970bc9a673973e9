//! One insta snapshot per normalization rule: each fixture spec under `spec/fixtures/`
//! is generated and the emitted Rust (plus warnings) is compared with the snapshot.

use std::fmt::Write as _;

use atlas_admin_tests::workspace_root;

fn render(fixture: &str) -> String {
    let path = workspace_root().join("spec/fixtures").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let generated =
        atlas_admin_codegen::generate(fixture, &text, Default::default(), Default::default())
            .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let mut out = String::new();
    writeln!(out, "summary: {}", generated.summary).unwrap();
    for w in &generated.warnings {
        writeln!(out, "{w}").unwrap();
    }
    for (file, text) in &generated.files {
        if file == "generated/Cargo.toml" || file == "generated/src/lib.rs" {
            continue;
        }
        writeln!(out, "\n=== {file} ===").unwrap();
        // Skip the two header lines: they are identical in every file.
        for line in text.lines().skip(2) {
            writeln!(out, "{line}").unwrap();
        }
    }
    out
}

macro_rules! fixture_snapshot {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), render($file));
        }
    };
}

fixture_snapshot!(string_enums, "string_enums.yaml");
fixture_snapshot!(object_ids, "object_ids.yaml");
fixture_snapshot!(discriminator, "discriminator.yaml");
fixture_snapshot!(unions, "unions.yaml");
fixture_snapshot!(all_of, "all_of.yaml");
fixture_snapshot!(versions, "versions.yaml");
fixture_snapshot!(fields, "fields.yaml");
fixture_snapshot!(writes, "writes.yaml");
fixture_snapshot!(shared_enums, "shared_enums.yaml");

#[test]
fn generation_is_deterministic() {
    for fixture in ["discriminator.yaml", "versions.yaml", "unions.yaml"] {
        assert_eq!(render(fixture), render(fixture), "{fixture}");
    }
}

#[test]
fn bad_input_names_the_place() {
    let spec = r##"
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      tags: [A]
      responses:
        "200":
          description: ok
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: "#/components/schemas/Missing"}
"##;
    let err =
        atlas_admin_codegen::generate("inline.yaml", spec, Default::default(), Default::default())
            .unwrap_err()
            .to_string();
    assert!(err.contains("#/components/schemas/Missing"), "{err}");
    assert!(err.contains("#/paths/~1a/get/responses/200"), "{err}");
}

/// A watcher becomes a `wait` only when it polls a GET with parameters it can fill; the
/// others are warnings at their pointer.
#[test]
fn watchers_that_cannot_be_honoured_are_warnings() {
    let spec = r##"
openapi: 3.0.1
info: {title: t, version: "1"}
tags: [{name: A}]
paths:
  /things/{name}:
    get:
      operationId: getThing
      tags: [A]
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {type: object, properties: {name: {type: string}, state: {type: string}}}
    patch:
      operationId: updateThing
      tags: [A]
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {type: object, properties: {name: {type: string}}}
    delete:
      operationId: deleteThing
      tags: [A]
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        "204":
          description: gone
          content:
            application/vnd.atlas.2023-01-01+json: {schema: {type: object}}
"##;
    let overlay = r##"
overlay: 1.0.0
actions:
  - target: $.paths['/things/{name}'].delete
    update:
      x-xgen-atlascli:
        watcher:
          get: {version: "2023-01-01", operation-id: getThing, params: {name: "input:name"}}
          expect: {http-code: 404}
  - target: $.paths['/things/{name}'].patch
    update:
      x-xgen-atlascli:
        watcher:
          get: {version: "2023-01-01", operation-id: updateThing, params: {name: "input:name"}}
          expect: {match: {path: $.state, values: [IDLE]}}
"##;
    let overlays = [atlas_admin_codegen::overlay::parse_overlay("w.yaml", overlay).unwrap()];
    let adjust = atlas_admin_codegen::Adjustments {
        overlays: &overlays,
        ..Default::default()
    };
    let generated =
        atlas_admin_codegen::generate("inline.yaml", spec, adjust, Default::default()).unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("#/paths/~1things~1{name}/patch/x-xgen-atlascli/watcher")
            && warnings[0].contains("it polls `updateThing`, which is not a GET"),
        "{warnings:?}"
    );
    let waiting: Vec<&str> = generated
        .api
        .operations
        .iter()
        .filter(|o| o.waiter.is_some())
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(waiting, ["deleteThing"]);
}
