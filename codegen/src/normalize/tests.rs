//! Unit tests of the cross-type rules (`member_choice`, `recursion`, `reachability`, `writes`,
//! `unions`, `all_of`, `tolerance`, `waiters`), each on a document of a few lines, so a
//! rule's change fails here and not only in a fixture snapshot.

use crate::ir::{Api, Presence, TypeDef, TypeKind, TypeRef};

/// A document whose `getThing` returns `Thing` and whose `createThing` (with `post`)
/// sends it; `schemas` are the components, indented as under `schemas:`.
fn document(schemas: &str, post: bool) -> String {
    let post = if post {
        "    post:
      tags: [Things]
      operationId: createThing
      requestBody:
        required: true
        content:
          application/vnd.atlas.2024-01-01+json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2024-01-01+json:
              schema: {$ref: '#/components/schemas/Thing'}
"
    } else {
        ""
    };
    format!(
        "openapi: 3.0.1
info: {{title: rules, version: '2.0'}}
tags: [{{name: Things}}]
paths:
  /api/atlas/v2/things:
    get:
      tags: [Things]
      operationId: getThing
      responses:
        '200':
          description: OK
          content:
            application/vnd.atlas.2024-01-01+json:
              schema: {{$ref: '#/components/schemas/Thing'}}
{post}components:
  schemas:
{schemas}"
    )
}

fn api(schemas: &str, post: bool) -> Api {
    let text = document(schemas, post);
    let (api, _, _) = crate::normalize_text("rules.yaml", &text, Default::default()).unwrap();
    api
}

fn fields(def: &TypeDef) -> Vec<&crate::ir::Field> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().collect(),
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

fn field<'a>(def: &'a TypeDef, wire: &str) -> &'a crate::ir::Field {
    fields(def)
        .into_iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("{} has no `{wire}`", def.name))
}

#[test]
fn recursion_boxes_a_direct_cycle_but_not_through_a_vec() {
    let api = api(
        "    Thing:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Thing'}
        children: {type: array, items: {$ref: '#/components/schemas/Thing'}}
",
        false,
    );
    let thing = &api.types["Thing"];
    assert!(field(thing, "parent").boxed);
    assert!(!field(thing, "children").boxed);
}

#[test]
fn reachability_compiles_a_model_with_the_area_that_reaches_it_only() {
    let api = api(
        "    Thing: {type: object, properties: {name: {type: string}}}
    Unused: {type: object, properties: {name: {type: string}}}
",
        false,
    );
    let areas: Vec<&str> = api.types["Thing"]
        .reached_by
        .iter()
        .map(|c| c.tag_module.as_str())
        .collect();
    assert_eq!(areas, ["things"]);
    let unused = api.types.get("Unused");
    assert!(
        unused.is_none_or(|d| d.reached_by.is_empty()),
        "no area compiles it"
    );
}

#[test]
fn writes_leave_out_read_only_fields_and_keep_the_read_model() {
    let api = api(
        "    Thing:
      type: object
      required: [name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        note: {type: string, nullable: true}
",
        true,
    );
    let read: Vec<&str> = fields(&api.types["Thing"])
        .iter()
        .map(|f| f.wire_name.as_str())
        .collect();
    assert_eq!(read, ["id", "name", "note"]);
    let write = &api.writes["ThingWrite"];
    let sent: Vec<&str> = fields(write).iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(sent, ["name", "note"]);
    assert_eq!(field(write, "note").presence, Presence::Nullable);
}

#[test]
fn tolerance_keeps_a_plain_string_and_makes_a_required_id_optional_in_responses() {
    let api = api(
        "    Thing:
      type: object
      required: [name, id]
      properties:
        name: {type: string}
        id: {type: string, pattern: '^([a-f0-9]{24})$'}
",
        false,
    );
    let thing = &api.types["Thing"];
    assert_eq!(field(thing, "name").presence, Presence::Required);
    let id = field(thing, "id");
    assert_eq!(id.ty, TypeRef::ObjectId);
    assert_eq!(id.presence, Presence::Optional);
    assert!(id.spec_required, "documented as required by the spec");
}

#[test]
fn unions_with_a_discriminator_are_tagged_and_without_one_untagged() {
    let members =
        "    Cat: {type: object, properties: {kind: {type: string}, purrs: {type: boolean}}}
    Dog: {type: object, properties: {kind: {type: string}, barks: {type: boolean}}}
";
    let tagged = api(
        &format!(
            "    Thing:
      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
      discriminator:
        propertyName: kind
        mapping: {{CAT: '#/components/schemas/Cat', DOG: '#/components/schemas/Dog'}}
{members}"
        ),
        false,
    );
    let TypeKind::Tagged(t) = &tagged.types["Thing"].kind else {
        panic!("{:?}", tagged.types["Thing"].kind);
    };
    assert_eq!(t.property, "kind");
    let values: Vec<&[String]> = t.variants.iter().map(|v| v.values.as_slice()).collect();
    assert_eq!(values, [["CAT".to_owned()], ["DOG".to_owned()]]);
    let untagged = api(
        &format!(
            "    Thing:
      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
{members}"
        ),
        false,
    );
    assert!(matches!(
        untagged.types["Thing"].kind,
        TypeKind::Untagged(_)
    ));
}

#[test]
fn all_of_merges_properties_and_required_lists() {
    let api = api(
        "    Base:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Thing:
      allOf:
        - {$ref: '#/components/schemas/Base'}
        - type: object
          required: [size]
          properties: {size: {type: integer, format: int32}}
",
        false,
    );
    let thing = &api.types["Thing"];
    let names: Vec<&str> = fields(thing).iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(names, ["name", "size"]);
    assert!(field(thing, "name").spec_required && field(thing, "size").spec_required);
}

#[test]
fn member_choice_finds_an_implicit_tag_every_struct_member_declares() {
    let api = api(
        "    Thing:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
    Cat:
      type: object
      properties:
        kind: {type: string, enum: [CAT]}
        purrs: {type: boolean}
    Dog:
      type: object
      properties:
        kind: {type: string, enum: [DOG, PUPPY]}
        barks: {type: boolean}
",
        false,
    );
    let TypeKind::Untagged(u) = &api.types["Thing"].kind else {
        panic!("{:?}", api.types["Thing"].kind);
    };
    let tag = u.implicit_tag.as_ref().expect("an implicit tag");
    assert_eq!(tag.property, "kind");
    assert_eq!(tag.arms.len(), 2);
    for (_, enum_name) in &tag.arms {
        let TypeKind::Enum(e) = &api.types[enum_name].kind else {
            panic!("{enum_name} is not an enum");
        };
        assert!(e.ranked, "{enum_name}: ranking compares its values");
    }
}

#[test]
fn waiters_attach_to_the_write_a_watcher_names_and_warn_on_one_they_cannot_follow() {
    let text = document(
        "    Thing: {type: object, properties: {stateName: {type: string}}}
",
        true,
    );
    let overlay = |get: &str| {
        format!(
            "overlay: 1.0.0
info: {{title: w, version: '1'}}
actions:
  - target: $.paths['/api/atlas/v2/things'].post
    update:
      x-xgen-atlascli:
        watcher:
          get: {{version: '2024-01-01', operation-id: {get}}}
          expect: {{match: {{path: $.stateName, values: [IDLE]}}}}
"
        )
    };
    let normalize = |get: &str| {
        let overlays = [crate::overlay::parse_overlay("w.yaml", &overlay(get)).unwrap()];
        let adjust = crate::Adjustments {
            overlays: &overlays,
            ..Default::default()
        };
        crate::normalize_text("rules.yaml", &text, adjust).unwrap()
    };
    let (api, diags, _) = normalize("getThing");
    let create = api.operations.iter().find(|o| o.fn_name == "create_thing");
    let waiter = create.and_then(|o| o.waiter.as_ref()).expect("a waiter");
    assert_eq!(api.operations[waiter.poll].fn_name, "get_thing");
    assert!(diags.into_sorted().is_empty());

    let (api, diags, _) = normalize("createThing");
    let create = api.operations.iter().find(|o| o.fn_name == "create_thing");
    assert!(create.is_some_and(|o| o.waiter.is_none()));
    let warnings: Vec<String> = diags
        .into_sorted()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("not a GET")),
        "{warnings:?}"
    );
}

#[test]
fn common_fields_are_those_every_member_has_with_one_type() {
    let api = api(
        "    Thing:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: kind
        mapping: {CAT: '#/components/schemas/Cat', DOG: '#/components/schemas/Dog'}
    Cat:
      type: object
      properties:
        kind: {type: string}
        name: {type: string}
        age: {type: integer, format: int32}
        clone: {type: string}
    Dog:
      type: object
      properties:
        kind: {type: string}
        name: {type: string}
        age: {type: string}
        clone: {type: string}
",
        false,
    );
    let TypeKind::Tagged(t) = &api.types["Thing"].kind else {
        panic!("{:?}", api.types["Thing"].kind);
    };
    let common: Vec<&str> = t.common_fields.iter().map(|f| f.name.as_str()).collect();
    // `age` has two types; `clone` would shadow `Clone::clone`.
    assert_eq!(common, ["kind", "name"]);
}

/// The write models a read `Thing` converts into, by name, with the parts each takes.
fn conversions(api: &Api) -> Vec<(String, Vec<String>)> {
    api.writes
        .values()
        .filter_map(|w| {
            let from = w.from_read.as_ref()?;
            let parts = from.parts.iter().map(|p| p.name.clone()).collect();
            Some((w.name.clone(), parts))
        })
        .collect()
}

#[test]
fn a_read_model_converts_into_its_write_form_through_nested_models_and_cycles() {
    let api = api(
        "    Thing:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        parts: {type: array, items: {$ref: '#/components/schemas/Part'}}
    Part:
      type: object
      properties:
        label: {type: string}
        inner: {$ref: '#/components/schemas/Part'}
",
        true,
    );
    assert_eq!(
        conversions(&api),
        [
            (
                "PartWrite".to_owned(),
                vec!["label".to_owned(), "inner".to_owned()]
            ),
            (
                "ThingWrite".to_owned(),
                vec!["name".to_owned(), "parts".to_owned()]
            ),
        ]
    );
    let from = api.writes["ThingWrite"].from_read.as_ref().unwrap();
    assert_eq!(from.read, "Thing");
    assert_eq!(
        from.parts[1].conversion,
        crate::ir::Conversion::Vec(Box::new(crate::ir::Conversion::Model("PartWrite".into())))
    );
}

#[test]
fn a_write_model_whose_nested_model_cannot_convert_has_no_conversion_either() {
    let api = api(
        "    Thing:
      type: object
      properties:
        part: {$ref: '#/components/schemas/Part'}
    Part:
      type: object
      additionalProperties: {type: string}
      properties:
        label: {type: string}
",
        true,
    );
    // Both keep their additional properties: they convert.
    assert_eq!(conversions(&api).len(), 2);
    let mut api = api;
    let TypeKind::Struct(part) = &mut api.writes.get_mut("PartWrite").unwrap().kind else {
        panic!("PartWrite is a struct");
    };
    // A write form with nowhere to put the read model's extra keys cannot take them.
    part.additional = None;
    crate::normalize::conversions::mark_conversions(&mut api);
    assert_eq!(
        conversions(&api),
        [],
        "ThingWrite holds a PartWrite, which cannot convert"
    );
}
