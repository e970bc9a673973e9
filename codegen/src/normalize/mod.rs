//! Normalize: walk every operation and the schemas it reaches, producing the IR.
//!
//! Each rule lives in its own module and is reachable through [`Normalizer`]:
//! [`schema`] dispatches a schema to [`primitives`], [`enums`], [`all_of`], [`unions`] or
//! [`structs`]; [`operations`] builds operations and versions; [`reachability`] assigns
//! cargo features; [`recursion`] boxes cycles and decides `Default` derives; [`writes`]
//! derives the request-body models; [`member_choice`] decides how untagged unions choose a
//! member; [`sharing`] which inline enums are one Rust type; [`common_fields`], last, which
//! fields a union's members all have.

pub mod all_of;
pub mod common_fields;
pub mod conversions;
pub mod enums;
pub mod government;
pub mod media;
pub mod member_choice;
pub mod naming;
pub mod operations;
mod pagination;
pub mod path_template;
pub mod primitives;
pub mod reachability;
pub mod recursion;
pub mod schema;
pub mod secrets;
pub mod sharing;
pub mod structs;
pub mod tags;
pub mod tolerance;
pub mod unions;
pub mod view;
pub mod waiters;
pub mod writes;

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
    /// Component schemas that are only a `$ref` to another: the component they end at.
    pub(crate) aliases: HashMap<&'a str, &'a str>,
    /// How deep `convert_schema` is nested (a bound instead of a stack overflow).
    pub(crate) depth: usize,
}

/// The deepest schema nesting translated; deeper documents are an error.
pub(crate) const MAX_DEPTH: usize = 200;

/// Run every normalization rule over the document.
pub fn normalize(
    spec: &OpenAPI,
    names: &[(String, String)],
) -> Result<(Api, Diagnostics), Vec<Error>> {
    let mut n = Normalizer::new(spec);
    n.resolve_aliases();
    n.report_renamed_components();
    let tags = n.tags();
    let operations = n.operations(&tags);
    if !n.errors.is_empty() {
        return Err(n.errors);
    }
    let mut api = Api {
        types: std::mem::take(&mut n.types),
        operations,
        tags,
        writes: IndexMap::new(),
        package_version: None,
    };
    waiters::attach(spec, &mut api, &mut n.diags);
    recursion::box_cycles(&mut api);
    writes::derive_writes(&mut api);
    tolerance::relax_required_in_responses(&mut api);
    recursion::decide_defaults(&mut api);
    member_choice::find_implicit_tags(&mut api);
    member_choice::mark_ranked(&mut api);
    reachability::assign_features(&mut api);
    sharing::curate(&mut api, names);
    for name in sharing::share_enums(&mut api) {
        n.diags.warn(
            "#/components/schemas",
            format!(
                "shared enum `{name}`: no name its members have in common is free; \
                 name it in spec/names.yaml"
            ),
        );
    }
    common_fields::find_common_fields(&mut api);
    conversions::mark_conversions(&mut api);
    api.types.sort_keys();
    api.writes.sort_keys();
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
            aliases: HashMap::new(),
            depth: 0,
        }
    }

    /// Follow every alias component (`A: {$ref: B}`) to the schema it ends at, without
    /// recursion and once per chain; a cycle, a dangling target or a chain longer than
    /// [`MAX_DEPTH`] is one error at the alias where the walk started.
    fn resolve_aliases(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        let mut failed: HashSet<&'a str> = HashSet::new();
        for (name, schema) in &components.schemas {
            let ReferenceOr::Reference { reference } = schema else {
                continue;
            };
            if self.aliases.contains_key(name.as_str()) || failed.contains(name.as_str()) {
                continue;
            }
            let mut chain: Vec<&'a str> = vec![name.as_str()];
            let mut on_chain: HashSet<&'a str> = HashSet::from([name.as_str()]);
            let mut next = reference.as_str();
            let end = loop {
                let Some(target) = component_name(next) else {
                    break Err(format!("$ref `{next}` is not a component schema"));
                };
                let Some((key, found)) = components.schemas.get_key_value(target) else {
                    break Err(format!("unresolved $ref `{next}`"));
                };
                let key = key.as_str();
                if let Some(known) = self.aliases.get(key) {
                    break Ok(*known);
                }
                if failed.contains(key) {
                    break Err(format!(
                        "$ref chain reaches `{key}`, which does not resolve"
                    ));
                }
                if !on_chain.insert(key) {
                    chain.push(key);
                    break Err(format!("$ref alias cycle: {}", chain.join(" -> ")));
                }
                match found {
                    ReferenceOr::Item(_) => break Ok(key),
                    ReferenceOr::Reference { reference } => {
                        chain.push(key);
                        next = reference;
                    }
                }
            };
            // The whole chain is walked (iteratively) so a long one is one error.
            let end = end.and_then(|target| {
                if chain.len() > MAX_DEPTH {
                    Err(format!(
                        "$ref chain of {} aliases; the limit is {MAX_DEPTH}",
                        chain.len()
                    ))
                } else {
                    Ok(target)
                }
            });
            match end {
                Ok(target) => self.aliases.extend(chain.into_iter().map(|a| (a, target))),
                Err(message) => {
                    self.error(child("#/components/schemas", name), message);
                    failed.extend(chain);
                }
            }
        }
    }

    /// Component schemas whose Rust names collided and got a numeric suffix.
    fn report_renamed_components(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for name in components.schemas.keys() {
            let wanted = type_name(name);
            let given = self.rust_name_of(name);
            if naming::loses_characters(name) {
                let message =
                    format!("schema name has characters a Rust identifier cannot hold; its type is `{given}`");
                self.warn(child("#/components/schemas", name), message);
            }
            if given != wanted {
                let message = format!(
                    "Rust name `{wanted}` is taken by another schema; this one is `{given}`"
                );
                self.warn(child("#/components/schemas", name), message);
            }
        }
    }

    /// The schema a `#/components/schemas/..` reference names (through aliases), with its
    /// pointer; `None` when it does not resolve (reported once by `resolve_aliases`).
    pub(crate) fn component(&self, reference: &str) -> Option<(&'a str, &'a Schema, String)> {
        let name = component_name(reference)?;
        let components = self.spec.components.as_ref()?;
        let name = self.aliases.get(name).copied().unwrap_or(name);
        match components.schemas.get_key_value(name)? {
            (key, ReferenceOr::Item(schema)) => {
                Some((key.as_str(), schema, child("#/components/schemas", key)))
            }
            (_, ReferenceOr::Reference { .. }) => None,
        }
    }

    /// The Rust type name reserved for a component schema (every component has one).
    pub(crate) fn rust_name_of(&self, component: &str) -> String {
        self.component_names
            .get(component)
            .cloned()
            .unwrap_or_else(|| type_name(component))
    }

    pub(crate) fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Error::spec(pointer, message));
    }

    pub(crate) fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diags.warn(pointer, message);
    }
}

#[cfg(test)]
mod tests;
