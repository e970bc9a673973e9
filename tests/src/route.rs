//! Map a recording's file name to a spec operation.
//!
//! Names look like `GET_api_atlas_v2_groups_<id>_clusters_<name>_1.snaphost`: the method,
//! the path with `/` turned into `_`, and a sequence number. Ids and names may themselves
//! contain `_` or `.`, so each path template is matched against the whole name with
//! backtracking, ids must be 24 hex digits, and the most specific template wins (most
//! literal text, then fewest parameters) among operations that answer in the recording's
//! media format.

use atlas_admin_codegen::ir::{Api, Method, ParamLocation, PathPart, TypeRef};
use atlas_admin_codegen::normalize::media::parse_media;

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

/// A template as it appears in a file name: literal text with `/` turned into `_`, and
/// parameters (which may sit inside a segment, as in `{logName}.gz`).
enum Token {
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

fn tokens(api: &Api, op: usize) -> Vec<Token> {
    let op = &api.operations[op];
    let mut tokens = Vec::new();
    for part in &op.template.parts {
        match part {
            PathPart::Literal(text) => {
                let text = text.replace('/', "_");
                let text = if tokens.is_empty() {
                    text.trim_start_matches('_').to_owned()
                } else {
                    text
                };
                tokens.push(Token::Literal(text));
            }
            PathPart::Param(name) => tokens.push(Token::Param {
                object_id: op.params.iter().any(|p| {
                    p.location == ParamLocation::Path
                        && &p.wire_name == name
                        && p.ty == TypeRef::ObjectId
                }),
                name: name.clone(),
            }),
        }
    }
    tokens
}

fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where a parameter's value may end: before an occurrence of the literal that follows
/// it, or at the end of the name when it is last.
fn candidate_ends(input: &str, rest: &[Token]) -> Vec<usize> {
    match rest.first() {
        None => vec![input.len()],
        Some(Token::Literal(next)) => input.match_indices(next.as_str()).map(|(i, _)| i).collect(),
        Some(Token::Param { .. }) => (1..input.len())
            .filter(|i| input.is_char_boundary(*i))
            .collect(),
    }
}

/// Match `tokens` against the whole underscore path, backtracking over where each
/// parameter ends (values may contain `_` and `.`); parameter values on success.
fn matches(tokens: &[Token], input: &str, out: &mut Vec<(String, String)>) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return input.is_empty();
    };
    match first {
        Token::Literal(lit) => input
            .strip_prefix(lit.as_str())
            .is_some_and(|remaining| matches(rest, remaining, out)),
        Token::Param { name, object_id } => {
            for end in candidate_ends(input, rest) {
                let value = &input[..end];
                if value.is_empty() || (*object_id && !is_object_id(value)) {
                    continue;
                }
                out.push((name.clone(), value.to_owned()));
                if matches(rest, &input[end..], out) {
                    return true;
                }
                out.pop();
            }
            false
        }
    }
}

/// Whether an operation has a version in the recording's media format (`json`, `gzip`,
/// `csv`); any operation when the recording names none (plain `application/json`).
fn serves_format(api: &Api, op: usize, format: Option<&str>) -> bool {
    let Some(format) = format else {
        return true;
    };
    api.operations[op]
        .versions
        .iter()
        .any(|v| parse_media(&v.accept).is_some_and(|m| m.format == format))
}

/// Find the operation a recording file name refers to. `format` is the media format of
/// the recording's `Content-Type` (`gzip` in `application/vnd.atlas.2023-02-01+gzip`):
/// an operation that never answers in it is not a candidate.
pub fn route(api: &Api, file_name: &str, format: Option<&str>) -> Result<Route, Unmapped> {
    let (method, path) = split_name(file_name).ok_or(Unmapped::NoMethod)?;
    let mut best: Option<((usize, usize), Route)> = None;
    for (index, op) in api.operations.iter().enumerate() {
        if op.method != method || !serves_format(api, index, format) {
            continue;
        }
        let tokens = tokens(api, index);
        let mut params = Vec::new();
        if !matches(&tokens, path, &mut params) {
            continue;
        }
        // The most specific template wins: most literal text, then fewest parameters.
        let literal: usize = tokens
            .iter()
            .map(|t| match t {
                Token::Literal(l) => l.len(),
                Token::Param { .. } => 0,
            })
            .sum();
        let score = (literal, usize::MAX - params.len());
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
