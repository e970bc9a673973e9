//! Inline enums that mean the same thing are one Rust type, named for what they mean.
//!
//! The document declares most enums inline, one per property or parameter, and repeats
//! the same list hundreds of times (every metric threshold's `mode` and `operator`). Each
//! would be an enum with a dozen impls. Enums share when they have the same values **and**
//! are the type of a property or parameter of the same name (their *role*): equal values
//! alone can mean different things (a model API's `cloud` and `geography` both allow only
//! `ANY`). Each group becomes one enum with a name of its own, and every member a
//! `pub type` alias of it, so every name of the document still exists.
//!
//! The shared enum's name is what its members have in common ([`derived_name`]): the words
//! every member name has, in order, before the role, without the document's filler words,
//! then the role, singular for array items (`MetricThresholdOperator`, `ClusterDiskWarmingMode`,
//! `OrgRole`). Where two groups would get one name, the larger group keeps it and the other
//! takes fewer of those words, down to the role alone; when none is free, a group of at most
//! three values is named by them (`AwsCloudProvider`), else by its first name's own words,
//! else numbered (and reported: `spec/names.yaml` names it).
//!
//! Only enums the document does not name (no `#/components/schemas/<Name>` of their own)
//! share, and never a union member (a union's `From` impls need distinct member types).
//! Deprecation does not split a group: each alias keeps its own `#[deprecated]`, and the
//! shared enum is deprecated only when every name is. What the release had stays (set by
//! `carry::merge` from `spec/api.lock`): a carried enum shares only if the release had it
//! share (`TypeDef::released_shared`), an enum the release emitted as an enum of its own
//! stays one (`TypeDef::own_enum`), and a shared enum keeps the name the release gave it
//! (`TypeDef::shared_name`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::naming::{snake_ident, type_name, Namer};
use crate::ir::{Api, Docs, TypeDef, TypeKind, TypeRef};

/// Words of the document's schema names that say nothing about what a value means.
const FILLER_WORDS: &[&str] = &["Api", "View", "Request", "Response", "Item"];

/// Groups with at most this many values are told apart by their values.
const VALUES_IN_NAME: usize = 3;

/// Group the shareable enums of `api`, add one enum per group and make each member an
/// alias of it. Idempotent: the shared enums of an earlier run are replaced, so
/// `carry::merge` runs it again once carried items are back.
/// Returns the shared enums named by the last resort, a number after a taken name.
pub fn share_enums(api: &mut Api) -> Vec<String> {
    api.types.retain(|_, def| def.aliases.is_empty());
    for def in api.types.values_mut() {
        def.alias_of = None;
    }
    assign_roles(api);
    let groups = groups(api);
    let (names, numbered) = name_groups(api, &groups);
    let mut modules = Namer::with_reserved(&["mod"]);
    for def in api.types.values() {
        modules.allocate(&def.module);
    }
    for (group, name) in groups.iter().zip(names) {
        let Some(shared) = shared_def(api, group, name, &mut modules) else {
            continue;
        };
        for member in &group.members {
            if let Some(def) = api.types.get_mut(member) {
                def.alias_of = Some(shared.name.clone());
            }
        }
        api.types.insert(shared.name.clone(), shared);
    }
    api.types.sort_keys();
    numbered
}

/// Give the members `names` lists the name of their shared enum. An entry for an enum the
/// document lacks does nothing: the file serves every document (the next one too), and
/// `tests/tests/shared_names.rs` checks that each entry names the pinned document's enums.
pub fn curate(api: &mut Api, names: &[(String, String)]) {
    for (member, name) in names {
        if let Some(def) = api.types.get_mut(member) {
            if matches!(def.kind, TypeKind::Enum(_)) {
                def.curated_name = Some(name.clone());
            }
        }
    }
}

/// `spec/names.yaml`: names the project gives shared enums (`normalize::sharing`), by one
/// of their names in the document.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NameFile {
    #[serde(default)]
    shared_enums: std::collections::BTreeMap<String, String>,
}

/// Parse the names file: `(member, name)` pairs, each name a Rust type name.
pub fn parse_names(path: &str, text: &str) -> Result<Vec<(String, String)>, crate::diag::Error> {
    let file: NameFile = serde_yaml::from_str(text).map_err(|source| crate::diag::Error::Yaml {
        path: path.to_owned(),
        source,
    })?;
    for (member, name) in &file.shared_enums {
        if type_name(name) != *name {
            return Err(crate::diag::Error::Names {
                path: path.to_owned(),
                message: format!("at `shared_enums.{member}`: `{name}` is not a Rust type name in UpperCamelCase"),
            });
        }
    }
    Ok(file.shared_enums.into_iter().collect())
}

/// The enums of one role and one value list.
#[derive(Debug)]
struct Group {
    role: String,
    /// Sorted.
    members: Vec<String>,
    values: Vec<String>,
}

/// Record on each enum the property or parameter it is the type of; an enum used under
/// two names has no role (and does not share).
fn assign_roles(api: &mut Api) {
    let mut uses: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut note = |ty: &TypeRef, role: &str| {
        if let Some(name) = ty.named() {
            uses.entry(name.to_owned())
                .or_default()
                .insert(role.to_owned());
        }
    };
    for def in api.types.values().chain(api.writes.values()) {
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                note(&field.ty, &field.wire_name);
            }
        }
    }
    for param in api.operations.iter().flat_map(|op| &op.params) {
        note(&param.ty, &param.wire_name);
    }
    for def in api.types.values_mut() {
        if !matches!(def.kind, TypeKind::Enum(_)) {
            continue;
        }
        match uses.get(&def.name) {
            Some(roles) if roles.len() == 1 => def.role = roles.iter().next().cloned(),
            Some(_) => def.role = None,
            // No field or parameter uses it (a carried enum): the role it had.
            None => {}
        }
    }
}

/// The groups of two or more shareable enums, in name order of their first member.
fn groups(api: &Api) -> Vec<Group> {
    let members = union_members(api);
    let mut by_key: BTreeMap<(String, String), Vec<&TypeDef>> = BTreeMap::new();
    for def in api.types.values() {
        if let Some(key) = share_key(def, &members) {
            by_key.entry(key).or_default().push(def);
        }
    }
    let mut out: Vec<Group> = by_key
        .into_iter()
        .filter_map(|((role, _), defs)| {
            let TypeKind::Enum(e) = &defs.first()?.kind else {
                return None;
            };
            let mut members: Vec<String> = defs
                .iter()
                .filter(|d| !d.own_enum)
                .map(|d| d.name.clone())
                .collect();
            members.sort_unstable();
            let values = e.variants.iter().map(|v| v.name.clone()).collect();
            (members.len() >= 2).then_some(Group {
                role,
                members,
                values,
            })
        })
        .collect();
    out.sort_by(|a, b| a.members.cmp(&b.members));
    out
}

/// The identity of a shareable enum: its role, and its variants (names, values, removed
/// values) and flags; `None` for a type that keeps its own enum.
fn share_key(def: &TypeDef, union_members: &HashSet<&str>) -> Option<(String, String)> {
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
    Some((def.role.clone()?, serde_json::to_string(e).ok()?))
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

/// One name per group, in the groups' order: the release's name where the lock pins one,
/// else the derived name; the larger group keeps a name two would get.
fn name_groups(api: &Api, groups: &[Group]) -> (Vec<String>, Vec<String>) {
    let mut taken = Namer::for_types();
    for name in api.types.keys().chain(api.writes.keys()) {
        taken.allocate(name);
    }
    let mut names: Vec<Option<String>> = vec![None; groups.len()];
    for (slot, group) in names.iter_mut().zip(groups) {
        let defs = || group.members.iter().filter_map(|m| api.types.get(m));
        let pinned = (defs().find_map(|d| d.shared_name.clone()))
            .or_else(|| defs().find_map(|d| d.curated_name.clone()));
        if let Some(pin) = pinned.filter(|p| !taken.contains(p)) {
            *slot = Some(taken.allocate(&pin));
        }
    }
    let mut numbered = Vec::new();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&i| groups.get(i).map(|g| std::cmp::Reverse(g.members.len())));
    for i in order {
        let (Some(slot), Some(group)) = (names.get_mut(i), groups.get(i)) else {
            continue;
        };
        if slot.is_some() {
            continue;
        }
        let candidates = candidate_names(&group.role, &group.members);
        let free = candidates.iter().find(|c| !taken.contains(c)).cloned();
        // Then the values (`AwsCloudProvider`), then the first name's own words.
        let fallback = || {
            let most_specific = candidates.first().cloned().unwrap_or_default();
            let by_values = format!("{}{most_specific}", group.values.concat());
            let first = group
                .members
                .first()
                .map(|m| derived_name(&group.role, std::slice::from_ref(m)));
            match first {
                _ if group.values.len() <= VALUES_IN_NAME && !taken.contains(&by_values) => {
                    by_values
                }
                Some(own) if !taken.contains(&own) => own,
                _ => most_specific,
            }
        };
        let name = free.unwrap_or_else(fallback);
        let name = taken.allocate(&name);
        if !candidates.contains(&name) && name.ends_with(|c: char| c.is_ascii_digit()) {
            numbered.push(name.clone());
        }
        *slot = Some(name);
    }
    (names.into_iter().flatten().collect(), numbered)
}

/// The names members of one role share, most specific first: the words every member has
/// before the role, in order, without filler words and dates, then the role (singular when
/// the members are array items); then with fewer of those words, down to the role alone.
pub fn candidate_names(role: &str, members: &[String]) -> Vec<String> {
    let role_words = words(&type_name(role));
    let items = members.iter().all(|m| m.ends_with("Item"));
    let contexts: Vec<Vec<String>> = members
        .iter()
        .map(|m| {
            let mut w = words(m);
            if items {
                w.pop();
            }
            if w.ends_with(&role_words) {
                w.truncate(w.len() - role_words.len());
            }
            w
        })
        .collect();
    let mut context: Vec<String> = common_words(&contexts)
        .into_iter()
        .map(|w| strip_date(&w))
        .filter(|w| !w.is_empty() && !FILLER_WORDS.contains(&w.as_str()))
        .collect();
    let mut role_words = role_words;
    if items {
        if let Some(last) = role_words.last_mut() {
            *last = singular(last);
        }
    }
    // `Cluster` + `ClusterType` is `ClusterType`.
    let overlap = (1..=context.len().min(role_words.len()))
        .rev()
        .find(|&n| {
            role_words
                .get(..n)
                .is_some_and(|start| context.ends_with(start))
        })
        .unwrap_or(0);
    context.truncate(context.len() - overlap);
    let role = role_words.concat();
    (0..=context.len())
        .filter_map(|skip| Some(context.get(skip..)?.concat() + &role))
        .collect()
}

/// The most specific of [`candidate_names`].
pub fn derived_name(role: &str, members: &[String]) -> String {
    candidate_names(role, members)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The words of the first sequence that every other has too, in the same order (greedy:
/// each word matched at its earliest place).
fn common_words(sequences: &[Vec<String>]) -> Vec<String> {
    let Some((first, others)) = sequences.split_first() else {
        return Vec::new();
    };
    let mut cursors = vec![0usize; others.len()];
    let mut out = Vec::new();
    for word in first {
        let found: Option<Vec<usize>> = others
            .iter()
            .zip(&cursors)
            .map(|(seq, &at)| Some(at + seq.get(at..)?.iter().position(|w| w == word)? + 1))
            .collect();
        if let Some(next) = found {
            cursors = next;
            out.push(word.clone());
        }
    }
    out
}

/// `ClusterDescription20240805` -> `Cluster`, `Description20240805`.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A word without a trailing API date (`Description20240805` -> `Description`).
fn strip_date(word: &str) -> String {
    let digits = word.chars().rev().take_while(char::is_ascii_digit).count();
    if digits >= 8 {
        word.chars().take(word.chars().count() - digits).collect()
    } else {
        word.to_owned()
    }
}

/// `Roles` -> `Role`, `Statuses` -> `Status`, `Frequencies` -> `Frequency`.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = word.strip_suffix("ses") {
        format!("{stem}s")
    } else if word.ends_with("ss") {
        word.to_owned()
    } else {
        word.strip_suffix('s').unwrap_or(word).to_owned()
    }
}

/// The shared enum of a group: the members' values, reached wherever one of them is,
/// deprecated only when all are.
fn shared_def(api: &Api, group: &Group, name: String, modules: &mut Namer) -> Option<TypeDef> {
    let defs: Vec<&TypeDef> = group
        .members
        .iter()
        .filter_map(|m| api.types.get(m))
        .collect();
    let first = *defs.first()?;
    let deprecated = if defs.iter().all(|d| d.deprecated.is_some()) {
        first.deprecated.clone()
    } else {
        None
    };
    let description = format!(
        "A value of `{role}`: one type for the document's `{role}` properties and parameters \
         that have these values.",
        role = group.role
    );
    let docs = Docs {
        title: None,
        description: Some(description),
    };
    let module = modules.allocate(&snake_ident(&name));
    Some(TypeDef {
        deprecated,
        reached_by: defs
            .iter()
            .flat_map(|d| d.reached_by.iter().cloned())
            .collect(),
        aliases: group.members.clone(),
        role: Some(group.role.clone()),
        ..TypeDef::new(
            name,
            module,
            first.pointer.clone(),
            docs,
            first.kind.clone(),
        )
    })
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

    fn alias_of<'a>(api: &'a Api, name: &str) -> Option<&'a str> {
        api.types[name].alias_of.as_deref()
    }

    #[test]
    fn enums_of_one_property_name_and_value_list_alias_one_enum_named_for_them() {
        let api = fixture();
        for alias in [
            "ArchivedThresholdMode",
            "CpuThresholdMode",
            "DiskThresholdMode",
            "GetDiskThresholdMode",
        ] {
            assert_eq!(alias_of(&api, alias), Some("ThresholdMode"), "{alias}");
        }
        let shared = &api.types["ThresholdMode"];
        assert_eq!(shared.aliases.len(), 4);
        assert_eq!(shared.role.as_deref(), Some("mode"));
        assert_eq!(shared.alias_of, None);
    }

    #[test]
    fn the_same_values_for_another_property_named_and_reordered_enums_keep_their_own_type() {
        let api = fixture();
        for own in [
            "CpuThresholdAggregation",
            "Mode",
            "DiskThresholdOperator",
            "CpuThresholdOperator",
        ] {
            assert!(api.types.contains_key(own), "{own} is in the fixture");
            assert_eq!(alias_of(&api, own), None, "{own}");
            assert!(api.types[own].aliases.is_empty(), "{own}");
        }
    }

    #[test]
    fn deprecated_names_are_deprecated_aliases_and_the_shared_enum_is_not() {
        let api = fixture();
        let archived = &api.types["ArchivedThresholdMode"];
        assert!(
            archived.deprecated.is_some(),
            "first by name, and deprecated"
        );
        assert_eq!(archived.alias_of.as_deref(), Some("ThresholdMode"));
        assert!(
            api.types["ThresholdMode"].deprecated.is_none(),
            "other names are live"
        );
    }

    #[test]
    fn a_shared_enum_is_reached_by_every_feature_of_its_aliases() {
        let api = fixture();
        assert_eq!(api.types["CpuThresholdMode"].reached_by.len(), 1);
        let tags: Vec<&str> = api.types["ThresholdMode"]
            .reached_by
            .iter()
            .map(|c| c.tag_module.as_str())
            .collect();
        assert_eq!(tags, ["alerts", "metrics"]);
    }

    #[test]
    fn sharing_again_gives_the_same_result() {
        let mut api = fixture();
        let before = serde_json::to_string(&api).unwrap();
        assert!(share_enums(&mut api).is_empty());
        assert_eq!(serde_json::to_string(&api).unwrap(), before);
    }

    #[test]
    fn a_curated_name_wins_and_the_lock_wins_over_it() {
        let mut api = fixture();
        let names = [("CpuThresholdMode".to_owned(), "ValueMode".to_owned())];
        curate(&mut api, &names);
        share_enums(&mut api);
        assert_eq!(alias_of(&api, "DiskThresholdMode"), Some("ValueMode"));
        if let Some(def) = api.types.get_mut("GetDiskThresholdMode") {
            def.shared_name = Some("ReleasedMode".to_owned());
        }
        share_enums(&mut api);
        assert_eq!(alias_of(&api, "DiskThresholdMode"), Some("ReleasedMode"));
        assert!(!api.types.contains_key("ValueMode"));
    }

    #[test]
    fn a_group_whose_every_name_is_taken_is_told_apart_by_its_values() {
        let mut api = fixture();
        // `Mode` is the fixture's named enum; make `ThresholdMode` another type too.
        let mut other = api.types["CpuThresholdAggregation"].clone();
        other.name = "ThresholdMode".to_owned();
        other.role = None;
        api.types.insert("ThresholdMode".to_owned(), other);
        assert!(share_enums(&mut api).is_empty());
        assert_eq!(
            alias_of(&api, "CpuThresholdMode"),
            Some("AverageThresholdMode")
        );
        assert!(api.types["ThresholdMode"].aliases.is_empty());
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_name_is_the_words_members_share_then_the_role() {
        let members = names(&[
            "AssertMsgRawMetricThresholdViewOperator",
            "CacheUsageDirtyDataMetricThresholdViewOperator",
            "FlexAvgWriteExecutionTimeMetricThresholdViewOperator",
        ]);
        assert_eq!(
            derived_name("operator", &members),
            "MetricThresholdOperator"
        );
    }

    #[test]
    fn dates_filler_words_and_a_repeated_role_word_are_dropped() {
        let members = names(&[
            "AdvancedClusterDescriptionClusterType",
            "ClusterDescription20240805ClusterType",
            "LegacyAtlasClusterClusterType",
        ]);
        assert_eq!(derived_name("clusterType", &members), "ClusterType");
        let members = names(&[
            "ApiAtlasCollectionRestoreJobRequestIndexStrategy",
            "ApiAtlasCollectionRestoreJobResponseIndexStrategy",
        ]);
        assert_eq!(
            derived_name("indexStrategy", &members),
            "AtlasCollectionRestoreJobIndexStrategy"
        );
    }

    #[test]
    fn array_items_get_the_singular_role() {
        let members = names(&[
            "CreateOrgMcpConfigRequestRolesItem",
            "OrgMcpConfigResponseRolesItem",
        ]);
        assert_eq!(derived_name("roles", &members), "OrgMcpConfigRole");
        assert_eq!(singular("Statuses"), "Status");
        assert_eq!(singular("Frequencies"), "Frequency");
        assert_eq!(singular("Access"), "Access");
    }

    #[test]
    fn members_with_nothing_in_common_are_named_by_their_role() {
        let members = names(&["SearchDeploymentCloudProvider", "InvoiceCloudProvider"]);
        assert_eq!(derived_name("cloudProvider", &members), "CloudProvider");
    }
}
