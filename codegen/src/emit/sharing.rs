//! Anonymous enums with the same values are one Rust type.
//!
//! The document declares most enums inline, one per property or parameter, and repeats
//! the same list hundreds of times (every metric threshold's `mode`, `operator` and
//! `units`). Each would be an enum with a dozen impls, 45% of the crate's items. Here
//! the enums of one value list are computed once, before output: the first by name is
//! emitted, the others become `pub type` aliases of it, so every name of the document
//! still exists and its variants are reached through it (`Alias::Average`).
//!
//! Only enums the document does not name (no `#/components/schemas/<Name>` of their
//! own) are shared, and never a union member (a union's `From` impls need distinct
//! member types). Deprecation does not split a group, so an operation removed upstream
//! and carried deprecated (`crate::carry`) stays a minor change: each alias carries its
//! own `#[deprecated]`, and the shared enum carries one only when every name is
//! deprecated (rustc would otherwise warn through the other names). A carried enum
//! shares only if the release had it share (`TypeDef::released_shared`), and a name the
//! release emitted as an enum stays an enum (`TypeDef::keeps_enum`) when a new name with
//! its values sorts before it: turning it into an alias would break `use Name::*`. An
//! alias whose enum later gets other values is a type of its own again; the diff's
//! `shared-enum` rule reports it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::ir::{Api, FeatureContext, TypeDef, TypeKind, TypeRef};

/// Which emitted enums are aliases of which, and the features that reach each shared one.
#[derive(Debug, Default)]
pub struct Sharing {
    /// Alias name -> the name of the enum it stands for.
    canonical: HashMap<String, String>,
    /// Shared enum name -> every feature context that reaches it or one of its aliases.
    reach: HashMap<String, BTreeSet<FeatureContext>>,
    /// Shared enum name -> how many aliases it has.
    aliases: HashMap<String, usize>,
    /// Shared enums some of whose names are not deprecated: they are emitted without
    /// `#[deprecated]`.
    live: HashSet<String>,
}

impl Sharing {
    /// Group the shareable enums of `api` by their values.
    pub fn of(api: &Api) -> Self {
        let members = union_members(api);
        let mut groups: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
        for def in api.types.values() {
            if let Some(key) = share_key(def, &members) {
                groups.entry(key).or_default().push(def);
            }
        }
        let mut sharing = Sharing::default();
        for mut group in groups.into_values() {
            // The enums the release emitted stay enums: the first of them by name is the
            // shared one and the others keep their own type. Else the first by name.
            group.sort_by(|a, b| (!a.keeps_enum, &a.name).cmp(&(!b.keeps_enum, &b.name)));
            let Some((shared, rest)) = group.split_first() else {
                continue;
            };
            let aliases: Vec<&TypeDef> = rest.iter().copied().filter(|d| !d.keeps_enum).collect();
            if aliases.is_empty() {
                continue;
            }
            let names = || std::iter::once(*shared).chain(aliases.iter().copied());
            let reach = names().flat_map(|d| d.reached_by.iter().cloned());
            sharing.reach.insert(shared.name.clone(), reach.collect());
            sharing.aliases.insert(shared.name.clone(), aliases.len());
            if names().any(|d| d.deprecated.is_none()) {
                sharing.live.insert(shared.name.clone());
            }
            for alias in aliases {
                sharing
                    .canonical
                    .insert(alias.name.clone(), shared.name.clone());
            }
        }
        sharing
    }

    /// The enum `name` is an alias of, if it is one.
    pub fn alias_of(&self, name: &str) -> Option<&str> {
        self.canonical.get(name).map(String::as_str)
    }

    /// Whether `name` is one of a shared enum's names, the shared one or an alias.
    pub fn is_shared(&self, name: &str) -> bool {
        self.canonical.contains_key(name) || self.aliases.contains_key(name)
    }

    /// The enum that `name` is, under its own name or as an alias.
    pub fn same_type<'a>(&'a self, name: &'a str) -> &'a str {
        self.alias_of(name).unwrap_or(name)
    }

    /// How many aliases the enum `name` has (0 when it is not shared).
    pub fn alias_count(&self, name: &str) -> usize {
        self.aliases.get(name).copied().unwrap_or(0)
    }

    /// Whether `def` is emitted `#[deprecated]`: a shared enum only when all its names are.
    pub fn deprecated(&self, def: &TypeDef) -> bool {
        def.deprecated.is_some() && !self.live.contains(&def.name)
    }

    /// The feature contexts under which `def` is emitted: a shared enum is there whenever
    /// one of its aliases is.
    pub fn reach<'a>(&'a self, def: &'a TypeDef) -> &'a BTreeSet<FeatureContext> {
        self.reach.get(&def.name).unwrap_or(&def.reached_by)
    }
}

/// The identity of a shareable enum: its variants (names, values, removed values) and flags;
/// `None` for a type that keeps its own enum.
fn share_key(def: &TypeDef, union_members: &HashSet<&str>) -> Option<String> {
    let TypeKind::Enum(e) = &def.kind else {
        return None;
    };
    let distinct = def.reached_by.is_empty()
        || (def.removed.is_some() && !def.released_shared)
        || union_members.contains(def.name.as_str())
        || is_named_component(&def.pointer);
    if distinct {
        return None;
    }
    serde_json::to_string(e).ok()
}

/// `#/components/schemas/<Name>`: a schema the document names, whose name is its own.
fn is_named_component(pointer: &str) -> bool {
    pointer
        .strip_prefix("#/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

/// Names of the types that are a variant of some union, read or write.
fn union_members(api: &Api) -> HashSet<&str> {
    let mut out = HashSet::new();
    for def in api.types.values().chain(api.writes.values()) {
        let types: Vec<&TypeRef> = match &def.kind {
            TypeKind::Tagged(t) => t.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Untagged(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Struct(_) | TypeKind::Enum(_) => continue,
        };
        out.extend(types.into_iter().filter_map(TypeRef::named));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Api {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../spec/fixtures/shared_enums.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let (api, _, _) =
            crate::normalize_text(&path.display().to_string(), &text, Default::default()).unwrap();
        api
    }

    #[test]
    fn anonymous_enums_with_the_same_values_alias_the_first_by_name() {
        let api = fixture();
        let sharing = Sharing::of(&api);
        for alias in [
            "CpuThresholdMode",
            "DiskThresholdMode",
            "DiskThresholdLegacyMode",
            "GetDiskThresholdMode",
        ] {
            assert_eq!(
                sharing.alias_of(alias),
                Some("CpuThresholdArchivedMode"),
                "{alias}"
            );
        }
        assert_eq!(sharing.alias_of("CpuThresholdArchivedMode"), None);
        assert_eq!(sharing.alias_count("CpuThresholdArchivedMode"), 4);
    }

    #[test]
    fn named_and_reordered_enums_keep_their_own_type() {
        let api = fixture();
        let sharing = Sharing::of(&api);
        for own in ["Mode", "DiskThresholdOperator", "CpuThresholdOperator"] {
            assert!(api.types.contains_key(own), "{own} is in the fixture");
            assert_eq!(sharing.alias_of(own), None, "{own}");
        }
    }

    #[test]
    fn deprecated_names_are_deprecated_aliases_and_the_shared_enum_is_not() {
        let api = fixture();
        let sharing = Sharing::of(&api);
        let archived = &api.types["CpuThresholdArchivedMode"];
        assert!(
            archived.deprecated.is_some(),
            "first by name, and deprecated"
        );
        assert!(!sharing.deprecated(archived), "other names are live");
        let legacy = &api.types["DiskThresholdLegacyMode"];
        assert_eq!(sharing.alias_of(&legacy.name), Some(archived.name.as_str()));
        assert!(
            sharing.deprecated(legacy),
            "the alias keeps its deprecation"
        );
    }

    #[test]
    fn a_shared_enum_is_reached_by_every_feature_of_its_aliases() {
        let api = fixture();
        let sharing = Sharing::of(&api);
        let def = &api.types["CpuThresholdArchivedMode"];
        assert_eq!(def.reached_by.len(), 1, "alone, only `alerts` reaches it");
        let tags: Vec<&str> = sharing
            .reach(def)
            .iter()
            .map(|c| c.tag_module.as_str())
            .collect();
        assert_eq!(tags, ["alerts", "metrics"]);
    }
}
