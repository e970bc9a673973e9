//! Recursive schemas: a type that contains itself (directly or through other types, not
//! through a `Vec` or map) gets a `Box` on each edge inside the cycle. Also decides which
//! structs can derive `Default`.

use std::collections::HashMap;

use crate::ir::{Api, Presence, TypeKind, TypeRef};

/// Named types a type holds inline (not behind a `Vec`/map), with the edge's slot index.
fn direct(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n.as_str()),
        _ => None,
    }
}

fn direct_edges(kind: &TypeKind) -> Vec<(usize, &str)> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| direct(&f.ty).map(|n| (i, n)))
            .collect(),
        TypeKind::Tagged(t) => t
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| direct(&v.ty).map(|n| (i, n)))
            .collect(),
        TypeKind::Untagged(u) => u
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| direct(&v.ty).map(|n| (i, n)))
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// A visited node's number (every node is numbered before it is read).
fn at(map: &HashMap<&str, usize>, node: &str) -> usize {
    map.get(node).copied().unwrap_or_default()
}

/// Strongly connected components (Tarjan), as a component index per type name.
fn components(api: &Api) -> HashMap<&str, usize> {
    struct State<'a> {
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        on_stack: HashMap<&'a str, bool>,
        stack: Vec<&'a str>,
        next: usize,
        component: HashMap<&'a str, usize>,
        count: usize,
    }
    fn visit<'a>(api: &'a Api, v: &'a str, st: &mut State<'a>) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v, true);
        if let Some(def) = api.types.get(v) {
            for (_, w) in direct_edges(&def.kind) {
                let Some((w, _)) = api.types.get_key_value(w) else {
                    continue;
                };
                let w = w.as_str();
                if !st.index.contains_key(w) {
                    visit(api, w, st);
                    let low = at(&st.low, v).min(at(&st.low, w));
                    st.low.insert(v, low);
                } else if st.on_stack.get(w).copied().unwrap_or(false) {
                    let low = at(&st.low, v).min(at(&st.index, w));
                    st.low.insert(v, low);
                }
            }
        }
        if at(&st.low, v) == at(&st.index, v) {
            while let Some(w) = st.stack.pop() {
                st.on_stack.insert(w, false);
                st.component.insert(w, st.count);
                if w == v {
                    break;
                }
            }
            st.count += 1;
        }
    }
    let mut st = State {
        index: HashMap::new(),
        low: HashMap::new(),
        on_stack: HashMap::new(),
        stack: Vec::new(),
        next: 0,
        component: HashMap::new(),
        count: 0,
    };
    for name in api.types.keys() {
        if !st.index.contains_key(name.as_str()) {
            visit(api, name, &mut st);
        }
    }
    st.component
}

/// Box every inline edge whose ends share a strongly connected component.
pub fn box_cycles(api: &mut Api) {
    let to_box: Vec<(String, usize)> = {
        let comp = &components(api);
        api.types
            .iter()
            .flat_map(|(name, def)| {
                let own = comp.get(name.as_str()).copied();
                direct_edges(&def.kind)
                    .into_iter()
                    .filter(move |(_, target)| own.is_some() && comp.get(target).copied() == own)
                    .map(move |(slot, _)| (name.clone(), slot))
            })
            .collect()
    };
    for (name, slot) in to_box {
        let Some(def) = api.types.get_mut(&name) else {
            continue;
        };
        let boxed = match &mut def.kind {
            TypeKind::Struct(s) => s.fields.get_mut(slot).map(|f| &mut f.boxed),
            TypeKind::Tagged(t) => t.variants.get_mut(slot).map(|v| &mut v.boxed),
            TypeKind::Untagged(u) => u.variants.get_mut(slot).map(|v| &mut v.boxed),
            TypeKind::Enum(_) => None,
        };
        if let Some(boxed) = boxed {
            *boxed = true;
        }
    }
}

/// A struct derives `Default` when every field can be empty: optional fields, and
/// required fields whose type has an obvious empty value (not ids, timestamps, enums).
pub fn decide_defaults(api: &mut Api) {
    loop {
        let mut changed = Vec::new();
        for (name, def) in &api.types {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            if s.derive_default {
                continue;
            }
            let ok = s
                .fields
                .iter()
                .all(|f| f.presence != Presence::Required || api.has_default(&f.ty));
            if ok {
                changed.push(name.clone());
            }
        }
        if changed.is_empty() {
            break;
        }
        for name in changed {
            if let Some(TypeKind::Struct(s)) = api.types.get_mut(&name).map(|d| &mut d.kind) {
                s.derive_default = true;
            }
        }
    }
}
