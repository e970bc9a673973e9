//! The generator on hostile input, run as the maintainer runs it: `xtask generate` in a
//! subprocess. Every broken document exits non-zero with a message naming the place (a
//! JSON pointer, or a line and column), never by a signal (a panic that aborts, a stack
//! overflow); documents that are valid but hostile generate, and what they produce keeps
//! spec text out of the manifest's structure and out of doctests.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A new directory that is deleted when the test ends, passed or failed.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("atlas-broken-")
        .tempdir()
        .unwrap()
}

fn generate(spec: &Path, out: &Path, deny_warnings: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out);
    if deny_warnings {
        command.arg("--deny-warnings");
    }
    command.env_remove("ATLAS_OPENAPI_SPEC").output().unwrap()
}

/// stderr without the pin note and with the spec's path replaced, for snapshots.
fn messages(output: &Output, spec: &Path) -> String {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| !l.starts_with("note: "))
        .map(|l| l.replace(&spec.display().to_string(), "<spec>"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A broken document: non-zero exit, no signal, a located message, nothing written.
fn assert_rejected(name: &str, spec: &Path) -> String {
    let out = scratch();
    let output = generate(spec, out.path(), true);
    let status = output.status;
    assert_eq!(
        status.signal(),
        None,
        "{name}: killed by a signal: {output:?}"
    );
    assert!(
        !status.success(),
        "{name}: accepted\n{}",
        messages(&output, spec)
    );
    let text = messages(&output, spec);
    let located = text.contains("#/") || text.contains(" at #") || text.contains("line ");
    assert!(located, "{name}: no pointer or line in\n{text}");
    assert!(
        !out.path().join("generated").exists(),
        "{name}: wrote output"
    );
    text
}

#[test]
fn every_broken_document_is_rejected_with_its_place() {
    let dir = root().join("spec/fixtures/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "{} broken documents", files.len());
    for file in files {
        let name = file.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = assert_rejected(&name, &file);
        insta::assert_snapshot!(name, text);
    }
}

/// A tiny valid document around `components.schemas`, for the generated cases.
fn document(schemas: &str, description: &str) -> String {
    format!(
        r#"openapi: 3.0.1
info: {{title: generated, version: '2.0'}}
tags: [{{name: Things}}]
paths:
  /api/atlas/v2/things:
    get:
      tags: [Things]
      operationId: getThing
      description: "{description}"
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {{$ref: '#/components/schemas/S0'}}
components:
  schemas:
{schemas}"#
    )
}

fn write_case(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(format!("{name}.yaml"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_ten_thousand_alias_ref_chain_is_one_error() {
    let mut schemas: String = (0..10_000)
        .map(|i| format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1))
        .collect();
    schemas.push_str("    S10000: {type: object, properties: {a: {type: string}}}\n");
    let dir = scratch();
    let spec = write_case(&dir, "long_ref_chain", &document(&schemas, "x"));
    let text = assert_rejected("long_ref_chain", &spec);
    insta::assert_snapshot!("long_ref_chain", text);
}

#[test]
fn schemas_nested_three_hundred_deep_are_an_error() {
    let schemas: String = (0..300)
        .map(|i| {
            format!(
                "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
                i + 1
            )
        })
        .chain(["    S300: {type: object, properties: {a: {type: string}}}\n".to_owned()])
        .collect();
    let dir = scratch();
    let spec = write_case(&dir, "deep_nesting", &document(&schemas, "x"));
    let text = assert_rejected("deep_nesting", &spec);
    insta::assert_snapshot!("deep_nesting", text);
}

/// Every generated manifest (the facade's and each crate's under `generated/crates/`)
/// parses, has only the template's tables, and no dependency a spec could add: each is
/// the template's or one of the generated crates; no doc comment holds a code block
/// rustdoc would compile (checked with pulldown-cmark, the parser rustdoc uses) or a
/// bare carriage return.
fn assert_output_is_inert(name: &str, out: &Path) {
    let template = std::fs::read_to_string(root().join("codegen/templates/Cargo.toml")).unwrap();
    let template: toml::Table = template
        .replace("{default}", "")
        .replace("{features}", "")
        .parse()
        .unwrap();
    let allowed: Vec<&String> = ["dependencies", "dev-dependencies"]
        .iter()
        .flat_map(|t| template[*t].as_table().unwrap().keys())
        .collect();
    let crates = std::fs::read_dir(out.join("generated/crates")).unwrap();
    let manifests = crates
        .map(|c| c.unwrap().path().join("Cargo.toml"))
        .chain([out.join("generated/Cargo.toml")]);
    for path in manifests {
        let manifest = std::fs::read_to_string(&path).unwrap();
        let table: toml::Table = manifest.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        for key in table.keys() {
            assert!(template.contains_key(key), "{name}: {path:?}: table {key}");
        }
        for deps in ["dependencies", "dev-dependencies"] {
            let Some(deps) = table.get(deps).and_then(|d| d.as_table()) else {
                continue;
            };
            for dep in deps.keys() {
                assert!(
                    allowed.contains(&dep)
                        || dep == "atlas-admin"
                        || dep.starts_with("atlas-admin-"),
                    "{name}: {path:?}: dependency {dep}"
                );
            }
        }
    }
    for file in walk(&out.join("generated")) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains('\r'),
            "{name}: {file:?} has a carriage return"
        );
        for block in doc_blocks(&text) {
            assert!(
                !compiles_code(&block),
                "{name}: {file:?}: doctest in\n{block}"
            );
        }
    }
}

/// The Markdown of each run of consecutive `///` or `//!` lines.
fn doc_blocks(source: &str) -> Vec<String> {
    let mut blocks = vec![String::new()];
    for line in source.lines() {
        match doc_text(line) {
            Some(text) => {
                let block = blocks.last_mut().unwrap();
                block.push_str(text);
                block.push('\n');
            }
            None if blocks.last().is_some_and(|b| !b.is_empty()) => blocks.push(String::new()),
            None => {}
        }
    }
    blocks
}

/// Whether rustdoc would compile a code block of this Markdown.
fn compiles_code(markdown: &str) -> bool {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    Parser::new(markdown).any(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => true,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.trim() != "text",
        _ => false,
    })
}

/// The text of a `///` or `//!` line (one leading space removed).
fn doc_text(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    let text = rest
        .strip_prefix("///")
        .or_else(|| rest.strip_prefix("//!"))?;
    Some(text.strip_prefix(' ').unwrap_or(text))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn hostile_but_valid_documents_generate_inert_output() {
    let hostile = root().join("spec/fixtures/hostile");
    let broken = root().join("spec/fixtures/broken");
    let big = "a paragraph of upstream prose. ".repeat(10 * 1024 * 1024 / 31);
    let dir = scratch();
    let cases = [
        hostile.join("doctest_injection.yaml"),
        hostile.join("doctest_bypasses.yaml"),
        hostile.join("recursive_required_struct.yaml"),
        hostile.join("reserved_tag_names.yaml"),
        broken.join("newline_in_tag.yaml"),
        broken.join("non_xid_identifier.yaml"),
        write_case(
            &dir,
            "ten_mb_description",
            &document(
                "    S0: {type: object, properties: {a: {type: string}}}\n",
                &big,
            ),
        ),
    ];
    for spec in cases {
        let name = spec.file_stem().unwrap().to_str().unwrap().to_owned();
        let out = scratch();
        let output = generate(&spec, out.path(), false);
        assert!(
            output.status.success(),
            "{name}: {}",
            messages(&output, &spec)
        );
        assert_output_is_inert(&name, out.path());
    }
}
