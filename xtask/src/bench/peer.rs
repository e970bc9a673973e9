//! The peer: openapi-generator's `rust` generator (PyPI `openapi-generator-cli`), run on
//! the same spec in the same session. Its output lives in the temp directory and is never
//! committed.

use std::path::Path;
use std::process::Command;

/// Its YAML parser (SnakeYAML) refuses documents over 3 MB unless told otherwise; the
/// pinned spec is over 4 MB.
pub const JAVA_OPTS: (&str, &str) = ("JAVA_OPTS", "-DmaxYamlCodePoints=99999999");

/// The version string when `openapi-generator-cli` is installed and runs.
pub fn installed() -> Option<String> {
    let output = Command::new("openapi-generator-cli")
        .arg("version")
        .env(JAVA_OPTS.0, JAVA_OPTS.1)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text.lines().last()?.trim().to_owned();
    output.status.success().then_some(version)
}

/// Arguments of one peer generation of `spec` into `out`.
pub fn generate_args<'a>(spec: &'a str, out: &'a str) -> [&'a str; 8] {
    [
        "generate",
        "-i",
        spec,
        "-g",
        "rust",
        "-o",
        out,
        "--skip-validate-spec",
    ]
}

/// Make the peer's output compile, the smallest change that does it.
///
/// Its untagged `oneOf`-of-string-enum models (`EventTypeForNdsGroup`, `EventTypeForOrg`
/// on the pinned spec) repeat a variant when two branches have the same title, and its
/// query-parameter code calls `to_string()` on them without a `Display` impl. We drop the
/// repeated variants and add a `Display` that writes the string. Returns the files patched.
pub fn patch(crate_dir: &Path) -> Result<Vec<String>, String> {
    let models = crate_dir.join("src/models");
    let mut entries: Vec<_> = std::fs::read_dir(&models)
        .map_err(|e| format!("{}: {e}", models.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut patched = Vec::new();
    for path in entries {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(fixed) = dedupe_string_variants(&text) {
            std::fs::write(&path, fixed).map_err(|e| format!("{}: {e}", path.display()))?;
            patched.push(path.display().to_string());
        }
    }
    Ok(patched)
}

/// The file with repeated `Name(String),` variants removed and a `Display` added, or
/// `None` when the file has no repeated variant.
fn dedupe_string_variants(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 400);
    let mut enum_name: Option<&str> = None;
    let mut seen = std::collections::HashSet::new();
    let mut repeated = None;
    for line in text.lines() {
        if let Some(name) = line
            .strip_prefix("pub enum ")
            .and_then(|l| l.strip_suffix(" {"))
        {
            enum_name = Some(name);
            seen.clear();
        } else if line == "}" {
            enum_name = None;
        } else if let Some(name) = enum_name {
            let is_string_variant = line.starts_with("    ") && line.ends_with("(String),");
            if is_string_variant && !seen.insert(line) {
                repeated = Some(name);
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    let name = repeated?;
    if !text.contains(&format!("impl std::fmt::Display for {name}")) {
        out.push_str(&format!(
            "impl std::fmt::Display for {name} {{\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        match serde_json::to_value(self) {{\n            Ok(serde_json::Value::String(s)) => f.write_str(&s),\n            _ => Err(std::fmt::Error),\n        }}\n    }}\n}}\n"
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::dedupe_string_variants;

    #[test]
    fn repeated_variants_are_dropped_and_display_added() {
        let text = "pub enum E {\n    A(String),\n    B(String),\n    A(String),\n}\n";
        let fixed = dedupe_string_variants(text).unwrap();
        assert_eq!(fixed.matches("    A(String),").count(), 1);
        assert!(fixed.contains("    B(String),"));
        assert!(fixed.contains("impl std::fmt::Display for E {"));
    }

    #[test]
    fn files_without_repeats_are_left_alone() {
        let text =
            "pub enum E {\n    A(String),\n    B(String),\n}\npub enum F {\n    A(String),\n}\n";
        assert_eq!(dedupe_string_variants(text), None);
    }
}
