//! What a release made of its enums stays across releases, end to end: two `cargo xtask
//! update-spec` runs. A shared enum keeps its name when a new name changes what its names
//! have in common (a `shared-name` entry in `spec/api.lock`), and an enum of its own stays
//! one when new names with its values come (`own-enum`); the second run reads each entry
//! back (through the released API it loads) and records it again.

mod common;

use std::path::Path;

use common::{read, root, scratch_checkout, update_spec, MODELS};

/// A `Gadget` the widget holds, whose `color` has the parts' values and nothing else in
/// common with their names.
const GADGET: &str = "        gadget: {$ref: '#/components/schemas/Gadget'}
    Gadget:
      type: object
      properties:
        color: {type: string, enum: [red, blue]}
";

/// A document whose `Widget` has one object per part, each with a `color` of
/// `[red, blue]` (`Widget<Part>Color`), then `extra`.
fn document_with(parts: &[&str], extra: &str) -> String {
    let properties: String = parts
        .iter()
        .map(|name| {
            format!("        {name}: {{type: object, properties: {{color: {{type: string, enum: [red, blue]}}}}}}\n")
        })
        .collect();
    read(root().join("spec/fixtures/evolution/enums.yaml.in"))
        .replace("PROPERTIES\n", &(properties + extra))
}

fn document(parts: &[&str]) -> String {
    document_with(parts, "")
}

/// Adopt the document `text` in `main` and return the lock it wrote.
fn adopt(main: &Path, text: &str, step: usize) -> String {
    let path = main.join(format!("../next-{step}.yaml"));
    std::fs::write(&path, text).unwrap();
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
fn a_shared_enum_keeps_its_name_over_two_releases_that_would_rename_it() {
    let main = scratch_checkout("shared_names");
    std::fs::write(
        main.join("../shared/spec/v2.yaml"),
        document(&["shade", "tint"]),
    )
    .unwrap();

    let lock = adopt(&main, &document_with(&["shade", "tint"], GADGET), 1);
    assert_eq!(
        lock.matches("\"kind\": \"shared-name\"").count(),
        1,
        "{lock}"
    );
    assert!(lock.contains("\"name\": \"WidgetColor\""), "{lock}");
    assert!(declaration(&main, "widget_color").starts_with("pub enum WidgetColor {"));
    assert_eq!(
        declaration(&main, "gadget_color"),
        "pub type GadgetColor = crate::models::WidgetColor;"
    );

    let lock = adopt(&main, &document_with(&["hue", "shade", "tint"], GADGET), 2);
    assert_eq!(
        lock.matches("\"kind\": \"shared-name\"").count(),
        1,
        "{lock}"
    );
    assert!(lock.contains("\"name\": \"WidgetColor\""), "{lock}");
    assert_eq!(
        declaration(&main, "widget_hue_color"),
        "pub type WidgetHueColor = crate::models::WidgetColor;"
    );
}

#[test]
fn an_enum_of_its_own_stays_an_enum_over_two_releases_that_add_names_with_its_values() {
    let main = scratch_checkout("own_enums");
    std::fs::write(main.join("../shared/spec/v2.yaml"), document(&["shade"])).unwrap();

    let lock = adopt(&main, &document(&["shade", "tint"]), 1);
    assert_eq!(lock.matches("\"kind\": \"own-enum\"").count(), 1, "{lock}");
    assert!(lock.contains("\"name\": \"WidgetShadeColor\""), "{lock}");
    assert_eq!(
        declaration(&main, "widget_shade_color"),
        "pub enum WidgetShadeColor {"
    );

    // `tint` was released as an enum of its own too: `hue` and `sky` share without both.
    let lock = adopt(&main, &document(&["hue", "shade", "sky", "tint"]), 2);
    assert_eq!(lock.matches("\"kind\": \"own-enum\"").count(), 2, "{lock}");
    assert!(lock.contains("\"name\": \"WidgetShadeColor\""), "{lock}");
    assert!(lock.contains("\"name\": \"WidgetTintColor\""), "{lock}");
    assert_eq!(
        declaration(&main, "widget_shade_color"),
        "pub enum WidgetShadeColor {"
    );
    assert_eq!(
        declaration(&main, "widget_hue_color"),
        "pub type WidgetHueColor = crate::models::WidgetColor;",
        "the new names share, without the kept enums"
    );
}
