//! Normalize: walk every operation and the schemas it reaches, producing the IR.
//!
//! Each rule lives in its own module and is reachable through [`Normalizer`]:
//! [`schema`] dispatches a schema to [`primitives`], [`enums`], [`all_of`], [`unions`] or
//! [`structs`]; [`operations`] builds operations and versions; [`reachability`] assigns
//! cargo features; [`recursion`] boxes cycles and decides `Default` derives.

pub mod all_of;
pub mod dispatch;
pub mod enums;
pub mod naming;
pub mod operations;
pub mod path_template;
pub mod primitives;
pub mod reachability;
pub mod recursion;
pub mod schema;
pub mod structs;
pub mod tolerance;
pub mod unions;
pub mod view;

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::diag::{child, Diagnostics, Error};
use crate::ir::{Api, TypeDef, TypeRef};
use naming::{type_name, Namer};
use view::{component_name, View};

/// Shared state of one normalization run.
pub struct Normalizer<'a> {
    pub(crate) spec: &'a OpenAPI,
    pub(crate) diags: Diagnostics,
    pub(crate) errors: Vec<Error>,
    pub(crate) types: IndexMap<String, TypeDef>,
    pub(crate) type_names: Namer,
    pub(crate) module_names: Namer,
    /// Component schema name -> reserved Rust type name.
    pub(crate) component_names: HashMap<&'a str, String>,
    /// Components that `allOf` a given base (for discriminators without a mapping).
    pub(crate) children: HashMap<&'a str, Vec<&'a str>>,
    /// Conversion results by JSON pointer: one spec node, one Rust type.
    pub(crate) memo: HashMap<String, TypeRef>,
    /// Pointers being converted into non-named types (cycle guard).
    pub(crate) in_progress: HashSet<String>,
}

/// Run every normalization rule over the document.
pub fn normalize(spec: &OpenAPI) -> Result<(Api, Diagnostics), Vec<Error>> {
    let mut n = Normalizer::new(spec);
    let tags = n.tags();
    let operations = n.operations(&tags);
    if !n.errors.is_empty() {
        return Err(n.errors);
    }
    let mut api = Api {
        types: std::mem::take(&mut n.types),
        operations,
        tags,
    };
    recursion::box_cycles(&mut api);
    tolerance::relax_required_in_responses(&mut api);
    recursion::decide_defaults(&mut api);
    dispatch::find_implicit_tags(&mut api);
    reachability::assign_features(&mut api);
    api.types.sort_keys();
    Ok((api, n.diags))
}

impl<'a> Normalizer<'a> {
    fn new(spec: &'a OpenAPI) -> Self {
        let mut type_names = Namer::for_types();
        let mut component_names = HashMap::new();
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        if let Some(components) = &spec.components {
            for (name, schema) in &components.schemas {
                component_names.insert(name.as_str(), type_names.allocate(&type_name(name)));
                if let ReferenceOr::Item(schema) = schema {
                    for part in View::of(schema).all_of {
                        if let ReferenceOr::Reference { reference } = part {
                            if let Some(base) = component_name(reference) {
                                children.entry(base).or_default().push(name.as_str());
                            }
                        }
                    }
                }
            }
        }
        Normalizer {
            spec,
            diags: Diagnostics::default(),
            errors: Vec::new(),
            types: IndexMap::new(),
            type_names,
            module_names: Namer::with_reserved(&["mod"]),
            component_names,
            children,
            memo: HashMap::new(),
            in_progress: HashSet::new(),
        }
    }

    /// The schema a `#/components/schemas/..` reference names, with its pointer.
    pub(crate) fn component(&self, reference: &str) -> Option<(&'a str, &'a Schema, String)> {
        let name = component_name(reference)?;
        let components = self.spec.components.as_ref()?;
        let (key, schema) = components.schemas.get_key_value(name)?;
        match schema {
            ReferenceOr::Item(schema) => {
                Some((key.as_str(), schema, child("#/components/schemas", key)))
            }
            ReferenceOr::Reference { reference } => self.component(reference),
        }
    }

    pub(crate) fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Error::spec(pointer, message));
    }

    pub(crate) fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diags.warn(pointer, message);
    }
}
