//! Map a recording's file name to a spec operation.
//!
//! Names look like `GET_api_atlas_v2_groups_<id>_clusters_<name>_1.snaphost`: the method,
//! the path with `/` turned into `_`, and a sequence number. Ids and names may themselves
//! contain `_` or `.`, so each path template is matched against the whole name with
//! backtracking, ids must be 24 hex digits, and the most specific template wins (most
//! literal segments, then fewest parameters).

use atlas_admin_codegen::ir::{Api, Method, ParamLocation, TypeRef};

/// A matched route: the operation index and the path parameter values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub operation: usize,
    pub params: Vec<(String, String)>,
}

/// Why a file cannot be mapped to an operation (these are listed, not failures).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmapped {
    /// The name does not start with an HTTP method (e.g. a content hash).
    NoMethod,
    /// No spec operation has this method and path (e.g. `/api/private/...`).
    NotInSpec { method: String, path: String },
}

enum Segment {
    Literal(String),
    Param { name: String, object_id: bool },
}

/// Split `GET_api_..._3.snaphost` into the method and the underscore path.
pub fn split_name(file_name: &str) -> Option<(Method, &str)> {
    let stem = file_name.strip_suffix(".snaphost").unwrap_or(file_name);
    let (method, rest) = stem.split_once('_')?;
    let method = match method {
        "GET" => Method::Get,
        "PUT" => Method::Put,
        "POST" => Method::Post,
        "DELETE" => Method::Delete,
        "PATCH" => Method::Patch,
        _ => return None,
    };
    // Drop the trailing sequence number.
    let rest = match rest.rsplit_once('_') {
        Some((path, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => path,
        _ => rest,
    };
    Some((method, rest))
}

fn segments(api: &Api, op: usize) -> Vec<Segment> {
    let op = &api.operations[op];
    op.path
        .trim_start_matches('/')
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param {
                    object_id: op.params.iter().any(|p| {
                        p.location == ParamLocation::Path
                            && p.wire_name == name
                            && p.ty == TypeRef::ObjectId
                    }),
                    name: name.to_owned(),
                },
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect()
}

fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Match `segments` against the whole underscore path; values of parameters on success.
fn matches(segments: &[Segment], input: &str, out: &mut Vec<(String, String)>) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return input.is_empty();
    };
    // Each segment but the last is followed by `_`.
    let take = |value: &str| -> Option<&str> {
        if rest.is_empty() {
            (value.len() == input.len()).then_some("")
        } else {
            input.get(value.len()..)?.strip_prefix('_')
        }
    };
    match first {
        Segment::Literal(lit) => {
            input.starts_with(lit.as_str())
                && take(lit).is_some_and(|remaining| matches(rest, remaining, out))
        }
        Segment::Param { name, object_id } => {
            let ends: Vec<usize> = if rest.is_empty() {
                vec![input.len()]
            } else {
                input.match_indices('_').map(|(i, _)| i).collect()
            };
            for end in ends {
                let value = &input[..end];
                if value.is_empty() || (*object_id && !is_object_id(value)) {
                    continue;
                }
                let Some(remaining) = take(value) else {
                    continue;
                };
                out.push((name.clone(), value.to_owned()));
                if matches(rest, remaining, out) {
                    return true;
                }
                out.pop();
            }
            false
        }
    }
}

/// Find the operation a recording file name refers to.
pub fn route(api: &Api, file_name: &str) -> Result<Route, Unmapped> {
    let (method, path) = split_name(file_name).ok_or(Unmapped::NoMethod)?;
    let mut best: Option<((usize, usize), Route)> = None;
    for (index, op) in api.operations.iter().enumerate() {
        if op.method != method {
            continue;
        }
        let segs = segments(api, index);
        let mut params = Vec::new();
        if !matches(&segs, path, &mut params) {
            continue;
        }
        let literals = segs
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count();
        let score = (literals, usize::MAX - params.len());
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((
                score,
                Route {
                    operation: index,
                    params,
                },
            ));
        }
    }
    best.map(|(_, r)| r).ok_or_else(|| Unmapped::NotInSpec {
        method: method.as_str().to_owned(),
        path: format!("/{}", path.replace('_', "/")),
    })
}
