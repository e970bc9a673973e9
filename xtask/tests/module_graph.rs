//! Data flows one way (ARCHITECTURE.md): no module of `codegen/` or `xtask/` is part of
//! an import cycle, and no stage before emit imports it. Module paths are read from the
//! sources (`crate::a::b`, `super::c`, `self::d`, comments left out), each resolved to the
//! longest module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every module file of a crate's `src/`, by module path (`mod.rs`, `lib.rs` and
/// `main.rs` name their folder); test-only modules are left out.
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Module = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            if module.last().map(String::as_str) == Some("tests") {
                continue;
            }
            out.insert(module, std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

/// The source without comments and without its `#[cfg(test)] mod tests` block.
fn code(source: &str) -> String {
    let source = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths `from` names.
fn imports(from: &Module, code: &str, known: &BTreeMap<Module, String>) -> BTreeSet<Module> {
    let mut out = BTreeSet::new();
    for (start, _) in code.match_indices(['c', 's']) {
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[start..];
        let base: Module = if rest.starts_with("crate::") {
            Vec::new()
        } else if rest.starts_with("super::") || rest.starts_with("self::") {
            from.clone()
        } else {
            continue;
        };
        paths(&base, rest, &mut |path| {
            let mut path = path;
            while !path.is_empty() && !known.contains_key(&path) {
                path.pop();
            }
            if !path.is_empty() && &path != from {
                out.insert(path);
            }
        });
    }
    out
}

/// Each path `text` starts with, from `base`, through `{a, b::c}` groups: `super` pops
/// a segment, `crate` and `self` start from `base` as given.
fn paths(base: &Module, text: &str, found: &mut dyn FnMut(Module)) {
    let mut path = base.clone();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        match &rest[..end] {
            "crate" | "self" | "" => {}
            "super" => {
                path.pop();
            }
            segment => path.push(segment.to_owned()),
        }
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix("::") {
            rest = after;
            if let Some(group) = rest.strip_prefix('{') {
                for item in top_level_items(group) {
                    paths(&path, item.trim(), found);
                }
                return;
            }
        } else {
            found(path);
            return;
        }
    }
}

/// The comma-separated items of a `{..}` group (up to its closing brace).
fn top_level_items(group: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0usize, 0, Vec::new());
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items
}

/// The modules on a cycle of `edges`, one cycle per group (Tarjan's components).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[w].min(s.low[v]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.index[w].min(s.low[v]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                s.out.push(group);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.out
}

fn graph(krate: &str) -> BTreeMap<Module, BTreeSet<Module>> {
    let known = modules(&root().join(krate).join("src"));
    known
        .iter()
        .map(|(module, source)| (module.clone(), imports(module, &code(source), &known)))
        .collect()
}

#[test]
fn no_module_of_the_generator_or_the_maintainer_commands_is_on_an_import_cycle() {
    for krate in ["codegen", "xtask"] {
        let found = cycles(&graph(krate));
        let shown: Vec<String> = found
            .iter()
            .map(|c| {
                let names: Vec<String> = c.iter().map(|m| m.join("::")).collect();
                names.join(" <-> ")
            })
            .collect();
        assert!(shown.is_empty(), "{krate}: import cycles: {shown:?}");
    }
}

#[test]
fn no_stage_before_emit_imports_it() {
    let edges = graph("codegen");
    let emit = vec!["emit".to_owned()];
    for (module, imported) in &edges {
        let before_emit = matches!(
            module.first().map(String::as_str),
            Some("load" | "normalize" | "ir" | "carry" | "diff")
        );
        if before_emit {
            let named: Vec<&Module> = imported.iter().filter(|m| m.starts_with(&emit)).collect();
            assert!(named.is_empty(), "{}: imports {named:?}", module.join("::"));
        }
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let a: Module = vec!["a".into()];
    let b: Module = vec!["b".into()];
    let edges = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b.clone(), BTreeSet::from([a.clone()])),
    ]);
    assert_eq!(cycles(&edges).len(), 1);
    let c: Module = vec!["a".into(), "c".into()];
    let known = BTreeMap::from([
        (a.clone(), String::new()),
        (b.clone(), String::new()),
        (c.clone(), String::new()),
    ]);
    // A group: each item resolves to the longest module it names; comments do not count.
    assert_eq!(
        imports(
            &a,
            &code("use crate::{b::thing, a::c::X}; // crate::z"),
            &known
        ),
        BTreeSet::from([b, c])
    );
}
