//! A released enum stays an enum across releases, end to end: two `cargo xtask
//! update-spec` runs, each adding a name with the enum's values that sorts before it.
//! The first records a `kept-enum` entry in `spec/api.lock`; the second reads it back
//! (through the released API it loads) and records it again.

mod common;

use std::path::Path;

use common::{read, root, scratch_checkout, update_spec, MODELS};

/// A document whose `Widget` has one inline string enum per name, all `[red, blue]`.
fn document(names: &[&str]) -> String {
    let properties: String = names
        .iter()
        .map(|name| format!("        {name}: {{type: string, enum: [red, blue]}}\n"))
        .collect();
    read(root().join("spec/fixtures/evolution/enums.yaml.in")).replace("PROPERTIES\n", &properties)
}

/// Adopt `names`' document in `main` and return the lock it wrote.
fn adopt(main: &Path, names: &[&str]) -> String {
    let path = main.join(format!("../next-{}.yaml", names.len()));
    std::fs::write(&path, document(names)).unwrap();
    let output = update_spec(main, path.to_str().unwrap(), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    read(main.join("spec/api.lock"))
}

/// The first line of a generated model file that declares it.
fn declaration(main: &Path, file: &str) -> String {
    let text = read(main.join(format!("{MODELS}/{file}.rs")));
    let line = text
        .lines()
        .find(|l| l.starts_with("pub enum") || l.starts_with("pub type"));
    line.unwrap_or_else(|| panic!("{file}: no declaration in\n{text}"))
        .to_owned()
}

#[test]
fn a_released_enum_stays_an_enum_over_two_releases_that_add_names_before_it() {
    let main = scratch_checkout("kept_enums");
    std::fs::write(
        main.join("../shared/spec/v2.yaml"),
        document(&["shade", "tint"]),
    )
    .unwrap();

    let lock = adopt(&main, &["color", "shade", "tint"]);
    assert!(lock.contains("\"kind\": \"kept-enum\""), "{lock}");
    assert!(lock.contains("\"name\": \"WidgetShade\""), "{lock}");
    assert_eq!(declaration(&main, "widget_shade"), "pub enum WidgetShade {");
    assert_eq!(
        declaration(&main, "widget_color"),
        "pub type WidgetColor = crate::models::WidgetShade;"
    );

    let lock = adopt(&main, &["azure", "color", "shade", "tint"]);
    assert_eq!(lock.matches("\"kind\": \"kept-enum\"").count(), 1, "{lock}");
    assert!(lock.contains("\"name\": \"WidgetShade\""), "{lock}");
    assert_eq!(declaration(&main, "widget_shade"), "pub enum WidgetShade {");
    assert_eq!(
        declaration(&main, "widget_azure"),
        "pub type WidgetAzure = crate::models::WidgetShade;"
    );
}
