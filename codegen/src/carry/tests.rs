//! Deprecate first on the evolution fixture pair: the new document drops an operation,
//! a dated version, a response and request field, an enum value and a union member.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::lock::{ApiLock, LockedDocument};
use super::*;
use crate::diff::{diff, Rule, Verdict};

fn api(file: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/fixtures/evolution")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (api, _, _) =
        crate::normalize_text(&path.display().to_string(), &text, Default::default()).unwrap();
    api
}

fn label(item: &Carried) -> String {
    match item {
        Carried::Operation { operation, .. } => format!("operation {}", operation.fn_name),
        Carried::Version { operation, version } => {
            format!("version {operation}/{}", version.fn_name)
        }
        Carried::Model { side, def } => format!("model {side:?} {}", def.name),
        Carried::Field { side, model, field } => format!("field {side:?} {model}.{}", field.name),
        Carried::Value { model, variant } => format!("value {model}::{}", variant.name),
        Carried::Shape { side, model, field } => format!("kept {side:?} {model}.{}", field.name),
        Carried::Member {
            side,
            model,
            member,
        } => format!("member {side:?} {model}::{}", member.name()),
        Carried::OwnEnum { name } => format!("own enum {name}"),
        Carried::SharedName { name, member } => format!("shared name {name} ({member})"),
        Carried::Response { version, .. } => format!("response {version}"),
    }
}

#[test]
fn every_stable_removal_is_carried_with_its_date() {
    let carried = carried_after(&api("old.yaml"), &api("new.yaml"), "2025-01-01");
    let mut labels: Vec<String> = carried.iter().map(label).collect();
    labels.sort();
    assert_eq!(
        labels,
        [
            "field Read Widget.legacy_code",
            "field Write WidgetWrite.legacy_code",
            "kept Read Widget.finish",
            "kept Write WidgetWrite.finish",
            "kept Write WidgetWrite.note",
            "member Read Part::Screw",
            "member Write PartWrite::Screw",
            "model Read Finish",
            "model Read Screw",
            "model Write ScrewWrite",
            "operation delete_widget",
            "response polish_widget_2024_01_01",
            "value Size::Huge",
            "version list_widgets/list_widgets_2023_01_01",
        ],
        "the preview version that left is not carried"
    );
    let Some(Carried::Version { version, .. }) = carried
        .iter()
        .find(|c| matches!(c, Carried::Version { .. }))
    else {
        unreachable!()
    };
    let removed = version.removed.as_ref().unwrap();
    assert_eq!(removed.document, "2025-01-01");
    assert_eq!(
        removed.note(),
        "removed upstream in the 2025-01-01 document; use `apis::widgets::list_widgets`"
    );
}

#[test]
fn after_merging_only_unavoidable_changes_are_major() {
    let old = api("old.yaml");
    let (new, _) = evolve(&old, api("new.yaml"), "2025-01-01");
    let report = diff("old.yaml", &old, "new.yaml", &new);
    let majors: Vec<(Rule, &str)> = report
        .changes
        .iter()
        .filter(|c| c.verdict == Verdict::Major)
        .map(|c| (c.rule, c.item.as_str()))
        .collect();
    // The plain name calls the new dated version: its request type is another one.
    assert_eq!(
        majors,
        [(Rule::PlainRetargeted, "apis::widgets::list_widgets")]
    );
    let carried: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.rule == Rule::RemovedUpstream)
        .map(|c| c.item.as_str())
        .collect();
    assert_eq!(
        carried,
        [
            "apis::widgets::delete_widget",
            "apis::widgets::delete_widget_2024_01_01",
            "apis::widgets::list_widgets_2023_01_01",
            "models::Finish",
            "models::Part::Screw",
            "models::Screw",
            "models::Size::Huge",
            "models::Widget.legacy_code",
            "models::write::PartWrite::Screw",
            "models::write::ScrewWrite",
            "models::write::WidgetWrite.legacy_code",
        ]
    );
    // Upstream widened these: the released types still serve, so they stay.
    let kept: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.rule == Rule::TypeKept)
        .map(|c| c.item.as_str())
        .collect();
    assert_eq!(
        kept,
        [
            "models::Widget.finish",
            "models::write::WidgetWrite.finish",
            "models::write::WidgetWrite.note",
        ]
    );
    let note = &new.writes["WidgetWrite"];
    let TypeKind::Struct(s) = &note.kind else {
        unreachable!()
    };
    let note = s.fields.iter().find(|f| f.name == "note").unwrap();
    assert_eq!(
        note.kept.as_ref().unwrap().note(),
        "the 2025-01-01 document declares `Nullable<String>`; the released type is kept until the next major release"
    );
}

#[test]
fn a_response_that_gained_a_body_keeps_send_returning_unit_until_a_planned_major() {
    let old = api("old.yaml");
    let (released, carried) = evolve(&old, api("new.yaml"), "2025-01-01");
    let polish = |api: &Api| {
        let op = api.operations.iter().find(|o| o.fn_name == "polish_widget");
        op.unwrap().versions[0].clone()
    };
    let version = polish(&released);
    assert_eq!(
        version.response,
        ResponseBody::Json(TypeRef::Named("Widget".into())),
        "`Client::execute` decodes the new body"
    );
    assert!(version.sends_unit(), "`send` returns `()` as released");
    assert!(carried.iter().any(|c| matches!(c,
        Carried::Response { version, kept, .. }
            if version == "polish_widget_2024_01_01" && kept.upstream == "models::Widget")));
    let report = diff("old.yaml", &old, "new.yaml", &released);
    let polished: Vec<(Rule, Verdict)> = (report.changes.iter())
        .filter(|c| c.item == "apis::widgets::polish_widget_2024_01_01")
        .map(|c| (c.rule, c.verdict))
        .collect();
    assert_eq!(polished, [(Rule::ResponseKept, Verdict::Minor)]);
    // Kept while upstream keeps the body, under the first date; a planned major
    // (nothing carried) makes `send` return the body.
    let (again, _) = evolve(&released, api("new.yaml"), "2025-02-01");
    assert_eq!(polish(&again).kept_response.unwrap().document, "2025-01-01");
    let unchanged = diff("new.yaml", &released, "new.yaml", &again);
    assert!(unchanged.changes.is_empty(), "{:?}", unchanged.changes);
    let major = diff("new.yaml", &released, "new.yaml", &api("new.yaml"));
    let majors: Vec<(Rule, &str, &str)> = (major.changes.iter())
        .filter(|c| c.item.starts_with("apis::widgets::polish"))
        .map(|c| (c.rule, c.item.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(
        majors,
        [(
            Rule::ResponseChanged,
            "apis::widgets::polish_widget_2024_01_01",
            "() -> models::Widget"
        )]
    );
    // A document that drops the body again needs nothing kept.
    let (_, restored) = evolve(&released, old, "2025-03-01");
    assert!(!restored
        .iter()
        .any(|c| matches!(c, Carried::Response { .. })));
}

#[test]
fn carried_items_keep_their_date_and_leave_when_upstream_restores_them() {
    let old = api("old.yaml");
    let (released, _) = evolve(&old, api("new.yaml"), "2025-01-01");
    // A later document that drops nothing more keeps carrying, under the first date.
    let (_, again) = evolve(&released, api("new.yaml"), "2025-02-01");
    assert_eq!(again.len(), 14);
    assert!(again.iter().all(|c| {
        let removed = match c {
            Carried::Operation { operation, .. } => operation.versions[0].removed.clone(),
            Carried::Version { version, .. } => version.removed.clone(),
            Carried::Model { def, .. } => def.removed.clone(),
            Carried::Field { field, .. } => field.removed.clone(),
            Carried::Value { variant, .. } => variant.removed.clone(),
            Carried::Member { member, .. } => member.clone().into_untagged().removed,
            Carried::Shape { field, .. } => field.kept.clone().map(|k| Removal {
                document: k.document,
                replacement: None,
            }),
            Carried::Response { kept, .. } => Some(Removal {
                document: kept.document.clone(),
                replacement: None,
            }),
            Carried::OwnEnum { .. } | Carried::SharedName { .. } => None,
        };
        removed.is_some_and(|r| r.document == "2025-01-01")
    }));
    // The old document again: what it restores is no longer carried; what only the
    // release in between had is carried now.
    let (_, restored) = evolve(&released, old.clone(), "2025-03-01");
    let mut labels: Vec<String> = restored.iter().map(label).collect();
    labels.sort();
    assert_eq!(
        labels,
        [
            "field Read Widget.weight",
            "field Write WidgetWrite.weight",
            "operation get_widget",
            "value Size::Medium",
            "version list_widgets/list_widgets_2025_01_01",
        ]
    );
}

#[test]
fn a_carried_operation_keeps_its_area_and_features() {
    let old = api("old.yaml");
    let mut next = api("new.yaml");
    next.operations.retain(|o| o.fn_name != "list_widgets");
    next.operations.retain(|o| o.tag_module != "widgets");
    next.tags.clear();
    let (merged, _) = evolve(&old, next, "2025-01-01");
    assert!(merged.tags_with_operations().any(|t| t.module == "widgets"));
    let widget = &merged.types["Widget"];
    assert!(widget.reached_by.iter().any(|c| c.tag_module == "widgets"));
    assert!(merged.writes["WidgetWrite"]
        .reached_by
        .iter()
        .any(|c| c.tag_module == "widgets"));
}

/// A document whose `Widget` has the inline enums `properties` lists (`name: [values]`).
/// A `Widget` with one part per `(name, values)`, each part an object whose `color` is an
/// inline enum of those values (`Widget<Name>Color`: one role, `color`), and `extra`
/// appended to the document's schemas.
fn widget_api_with(parts: &[(&str, &str)], extra: &str) -> Api {
    let properties: String = parts
        .iter()
        .map(|(name, values)| {
            format!(
                "        {name}: {{type: object, properties: {{color: {{type: string, enum: {values}}}}}}}\n"
            )
        })
        .collect();
    let text = include_str!("../../../spec/fixtures/evolution/enums.yaml.in")
        .replace("PROPERTIES\n", &(properties + extra));
    let (api, _, _) = crate::normalize_text("widget.yaml", &text, Default::default()).unwrap();
    api
}

fn widget_api(parts: &[(&str, &str)]) -> Api {
    widget_api_with(parts, "")
}

/// A `Gadget` schema the widget holds, whose `color` has `[red, blue]`: a name of the
/// `color` enum with nothing in common with `Widget<Part>Color` but the role.
const GADGET: &str = "        gadget: {$ref: '#/components/schemas/Gadget'}
    Gadget:
      type: object
      properties:
        color: {type: string, enum: [red, blue]}
";

fn alias_of<'a>(api: &'a Api, name: &str) -> Option<&'a str> {
    api.types[name].alias_of.as_deref()
}

#[test]
fn a_carried_enum_remembers_whether_the_release_shared_it() {
    let released = widget_api(&[
        ("shade", "[red, blue]"),
        ("tint", "[red, blue]"),
        ("size", "[s, m]"),
    ]);
    let next = widget_api(&[("shade", "[red, blue]")]);
    let carried = carried_after(&released, &next, "2025-01-01");
    let shared: BTreeMap<&str, bool> = carried
        .iter()
        .filter_map(|c| match c {
            Carried::Model {
                side: Side::Read,
                def,
            } if def.name.ends_with("Color") => Some((def.name.as_str(), def.released_shared)),
            _ => None,
        })
        .collect();
    assert_eq!(
        shared,
        BTreeMap::from([("WidgetSizeColor", false), ("WidgetTintColor", true)]),
        "`WidgetTintColor` was an alias of `WidgetColor` in the release; `WidgetSizeColor` had its own enum"
    );
}

#[test]
fn carried_names_share_again_under_the_name_the_release_gave_them() {
    let released = widget_api(&[("shade", "[red, blue]"), ("tint", "[red, blue]")]);
    assert_eq!(alias_of(&released, "WidgetShadeColor"), Some("WidgetColor"));
    let (next, _) = evolve(
        &released,
        widget_api(&[("hue", "[red, blue]")]),
        "2025-01-01",
    );
    for name in ["WidgetHueColor", "WidgetShadeColor", "WidgetTintColor"] {
        assert_eq!(alias_of(&next, name), Some("WidgetColor"), "{name}");
    }
    assert_eq!(majors(&diff("released", &released, "next", &next)), []);
}

/// The majors of a diff, by rule and item.
fn majors(report: &crate::diff::Report) -> Vec<(Rule, &str)> {
    report
        .changes
        .iter()
        .filter(|c| c.verdict == Verdict::Major)
        .map(|c| (c.rule, c.item.as_str()))
        .collect()
}

#[test]
fn a_shared_enum_keeps_its_name_when_a_new_name_changes_what_its_names_have_in_common() {
    let released = widget_api(&[("shade", "[red, blue]"), ("tint", "[red, blue]")]);
    let next = widget_api_with(&[("shade", "[red, blue]"), ("tint", "[red, blue]")], GADGET);
    assert_eq!(
        alias_of(&next, "GadgetColor"),
        Some("Color"),
        "alone, the role"
    );
    let (next, carried) = evolve(&released, next, "2025-01-01");
    let labels: Vec<String> = carried.iter().map(label).collect();
    assert_eq!(labels, ["shared name WidgetColor (WidgetShadeColor)"]);
    for name in ["GadgetColor", "WidgetShadeColor", "WidgetTintColor"] {
        assert_eq!(alias_of(&next, name), Some("WidgetColor"), "{name}");
    }
    assert!(!next.types.contains_key("Color"));
    assert_eq!(majors(&diff("released", &released, "next", &next)), []);
}

#[test]
fn an_enum_of_its_own_stays_an_enum_when_a_new_name_with_its_values_comes() {
    let released = widget_api(&[("shade", "[red, blue]"), ("size", "[s, m]")]);
    let next = widget_api(&[
        ("hue", "[s, m]"),
        ("shade", "[red, blue]"),
        ("size", "[s, m]"),
    ]);
    let (next, carried) = evolve(&released, next, "2025-01-01");
    assert_eq!(
        carried.iter().map(label).collect::<Vec<_>>(),
        ["own enum WidgetSizeColor"]
    );
    assert_eq!(alias_of(&next, "WidgetSizeColor"), None);
    assert_eq!(
        alias_of(&next, "WidgetHueColor"),
        None,
        "alone in its group"
    );
    assert_eq!(majors(&diff("released", &released, "next", &next)), []);
}

#[test]
fn two_enums_of_the_release_that_come_to_share_values_stay_two_enums() {
    // `size` gains `blue` and now has `shade`'s values: neither may become an alias.
    let released = widget_api(&[("shade", "[red, blue]"), ("size", "[red]")]);
    let next = widget_api(&[("shade", "[red, blue]"), ("size", "[red, blue]")]);
    let (next, carried) = evolve(&released, next, "2025-01-01");
    let mut labels: Vec<String> = carried.iter().map(label).collect();
    labels.sort();
    assert_eq!(
        labels,
        ["own enum WidgetShadeColor", "own enum WidgetSizeColor"]
    );
    assert_eq!(alias_of(&next, "WidgetShadeColor"), None);
    assert_eq!(alias_of(&next, "WidgetSizeColor"), None);
    assert_eq!(majors(&diff("released", &released, "next", &next)), []);
}

#[test]
fn a_shared_enum_none_of_whose_names_share_stays_deprecated_as_an_enum_of_its_own() {
    let released = widget_api(&[("shade", "[red, blue]"), ("tint", "[red, blue]")]);
    let next = widget_api(&[("shade", "[red, blue]"), ("tint", "[red, green]")]);
    let (next, carried) = evolve(&released, next, "2025-01-01");
    let labels: Vec<String> = carried.iter().map(label).collect();
    assert!(
        labels.contains(&"model Read WidgetColor".to_owned()),
        "{labels:?}"
    );
    let kept = &next.types["WidgetColor"];
    assert!(kept.deprecated.is_some() && kept.aliases.is_empty());
    let report = diff("released", &released, "next", &next);
    let majors = majors(&report);
    assert!(
        majors.contains(&(Rule::SharedEnum, "models::WidgetTintColor")),
        "{majors:?}"
    );
}

#[test]
fn nothing_is_recorded_where_the_next_document_names_the_shared_enum_as_the_release_did() {
    let released = widget_api(&[("shade", "[red, blue]"), ("tint", "[red, blue]")]);
    let next = widget_api(&[
        ("shade", "[red, blue]"),
        ("tint", "[red, blue]"),
        ("zebra", "[red, blue]"),
    ]);
    assert!(carried_after(&released, &next, "2025-01-01").is_empty());
}

#[test]
fn the_lock_round_trips_sorted_and_names_bad_fields() {
    let carried = carried_after(&api("old.yaml"), &api("new.yaml"), "2025-01-01");
    let document = LockedDocument {
        date: "2025-01-01".into(),
        sha256: "abc".into(),
    };
    let lock = ApiLock::new(document, carried.into_iter().rev().collect());
    let text = lock.to_text();
    let back = ApiLock::parse("spec/api.lock", &text).unwrap();
    assert_eq!(back.to_text(), text);
    let labels: Vec<String> = back.carried.iter().map(label).collect();
    assert_eq!(labels[0], "model Read Finish", "sorted by kind: {labels:?}");
    assert_eq!(back.carried_for("abc").len(), 14);
    let pinned = ApiLock::new(
        back.document.clone(),
        vec![Carried::OwnEnum {
            name: "WidgetShade".into(),
        }],
    );
    let text_pinned = pinned.to_text();
    assert!(
        text_pinned.contains("\"kind\": \"own-enum\""),
        "{text_pinned}"
    );
    let back_pinned = ApiLock::parse("spec/api.lock", &text_pinned).unwrap();
    assert_eq!(
        back_pinned.carried.iter().map(label).collect::<Vec<_>>(),
        ["own enum WidgetShade"]
    );
    assert!(back.carried_for("another document").is_empty());

    let broken = text.replacen("\"document\": \"2025-01-01\"", "\"document\": 7", 1);
    let error = ApiLock::parse("spec/api.lock", &broken)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("spec/api.lock: at `carried[0]"),
        "{error}"
    );
}

/// The types a crate compiles with its default features (no `preview`): what the semver
/// oracle sees.
fn stable_types(api: &Api) -> BTreeSet<String> {
    api.types
        .values()
        .chain(api.writes.values())
        .filter(|d| d.reached_by.iter().any(|c| !c.preview_only))
        .map(|d| d.name.clone())
        .collect()
}

/// The class of the 2026-07-31 -> 2026-08-06 step (`../shared/spec/steps/`): a shared
/// enum one of whose names only a preview version reached, that name leaving. When the
/// enum took its name from that member (the first by name), the enum of that name left
/// the default-feature API while the diff judged the removal by the member's preview
/// reach: the oracle fired `enum_missing` and the diff had no major. Named for its role,
/// the shared enum stays, and nothing the default features compile leaves unreported.
#[test]
fn a_preview_only_name_leaving_a_shared_enum_takes_nothing_from_the_stable_api() {
    let old = api("preview_name_old.yaml");
    let preview_name = &old.types["AlphaStartPreviewViewTier"];
    assert!(preview_name.reached_by.iter().all(|c| c.preview_only));
    let shared = preview_name
        .alias_of
        .clone()
        .expect("a name of a shared enum");
    assert_eq!(shared, "Tier", "named for its role, not after a member");

    let (new, _) = evolve(&old, api("preview_name_new.yaml"), "2026-08-06");
    let report = diff("old", &old, "new", &new);
    let left: Vec<String> = stable_types(&old)
        .difference(&stable_types(&new))
        .cloned()
        .collect();
    for name in &left {
        assert!(
            report.changes.iter().any(|c| c.verdict == Verdict::Major
                && (c.item == format!("models::{name}")
                    || c.item == format!("models::write::{name}"))),
            "`{name}` leaves the default-feature API and the diff has no major for it"
        );
    }
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(
        new.types["Tier"].aliases,
        ["StreamsProcessorTier", "StreamsStartProcessorTier"]
    );
    let gone = report
        .changes
        .iter()
        .find(|c| c.item == "models::AlphaStartPreviewViewTier")
        .expect("the preview name's removal is reported");
    assert!(gone.preview && gone.verdict != Verdict::Major, "{gone:?}");
    assert_eq!(report.bump, Verdict::Minor, "{}", report.to_markdown());
}
