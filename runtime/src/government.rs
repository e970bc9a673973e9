//! What Atlas for Government does not offer, checked before anything is sent.
//!
//! The generator turns `spec/government.yaml` into each operation's
//! [`Operation::GOVERNMENT_LIMITS`](super::Operation::GOVERNMENT_LIMITS); a client built
//! for Atlas for Government ([`ClientBuilder::government`](super::ClientBuilder::government),
//! or a base URL on `cloud.mongodbgov.com`) refuses a call those limits rule out with
//! [`Error::NotInGovernment`]. A commercial client checks nothing.

use serde_json::Value;

use super::{Error, HttpRequest};

/// One limit of an operation in Atlas for Government.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GovernmentLimit {
    /// No call of the operation can work there.
    Unavailable { limit: &'static str },
    /// A request body member, path parameter or query parameter named one of `fields`
    /// may not be one of `refused` (compared ignoring ASCII case).
    Values {
        limit: &'static str,
        fields: &'static [&'static str],
        refused: &'static [&'static str],
    },
}

/// `Err` when `limits` make the operation unavailable: checked before the request is
/// built, so a call that cannot work there says so before anything else.
pub(crate) fn available(operation: &'static str, limits: &[GovernmentLimit]) -> Result<(), Error> {
    match limits.iter().find_map(|l| match l {
        GovernmentLimit::Unavailable { limit } => Some(*limit),
        GovernmentLimit::Values { .. } => None,
    }) {
        Some(limit) => Err(Error::NotInGovernment {
            operation,
            limit,
            field: None,
        }),
        None => Ok(()),
    }
}

/// `Err` when `limits` rule out `request` (built from `path_template`).
pub(crate) fn admit(
    operation: &'static str,
    path_template: &str,
    limits: &[GovernmentLimit],
    request: &HttpRequest,
) -> Result<(), Error> {
    let mut body: Option<Option<Value>> = None;
    for limit in limits {
        let refuse = |limit: &'static str, field: Option<String>| Error::NotInGovernment {
            operation,
            limit,
            field,
        };
        match *limit {
            GovernmentLimit::Unavailable { limit } => return Err(refuse(limit, None)),
            GovernmentLimit::Values {
                limit,
                fields,
                refused,
            } => {
                let is_refused = |v: &str| refused.iter().any(|r| r.eq_ignore_ascii_case(v));
                let found = in_path(path_template, &request.path, fields, &is_refused)
                    .or_else(|| in_query(&request.query, fields, &is_refused))
                    .or_else(|| {
                        let body = body.get_or_insert_with(|| json_body(request));
                        body.as_ref()
                            .and_then(|b| in_body(b, &mut String::new(), fields, &is_refused))
                    });
                if let Some(field) = found {
                    return Err(refuse(limit, Some(field)));
                }
            }
        }
    }
    Ok(())
}

fn json_body(request: &HttpRequest) -> Option<Value> {
    serde_json::from_slice(&request.body.as_ref()?.bytes).ok()
}

/// A path segment whose template segment is `{field}` and whose value is refused.
fn in_path(
    template: &str,
    path: &str,
    fields: &[&str],
    is_refused: &dyn Fn(&str) -> bool,
) -> Option<String> {
    template
        .split('/')
        .zip(path.split('/'))
        .find_map(|(t, value)| {
            let name = t.strip_prefix('{')?.strip_suffix('}')?;
            let value = percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .ok()?;
            (fields.contains(&name) && is_refused(&value))
                .then(|| format!("path parameter {name} is \"{value}\""))
        })
}

fn in_query(
    query: &[(String, String)],
    fields: &[&str],
    is_refused: &dyn Fn(&str) -> bool,
) -> Option<String> {
    query
        .iter()
        .find(|(name, value)| fields.contains(&name.as_str()) && is_refused(value))
        .map(|(name, value)| format!("query parameter {name} is \"{value}\""))
}

/// The JSON pointer of the first member named one of `fields` with a refused string.
fn in_body(
    value: &Value,
    pointer: &mut String,
    fields: &[&str],
    is_refused: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let visit = |key: &str, child: &Value, pointer: &mut String| {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        let found = match child {
            Value::String(s) if fields.contains(&key) && is_refused(s) => {
                Some(format!("body {pointer} is \"{s}\""))
            }
            _ => in_body(child, pointer, fields, is_refused),
        };
        pointer.truncate(len);
        found
    };
    match value {
        Value::Object(members) => members
            .iter()
            .find_map(|(key, child)| visit(key, child, pointer)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, child)| visit(&i.to_string(), child, pointer)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Body;

    const PROVIDERS: GovernmentLimit = GovernmentLimit::Values {
        limit: "AWS only",
        fields: &["providerName", "cloudProvider"],
        refused: &["AZURE", "GCP"],
    };

    fn request(path: &str, body: &str) -> HttpRequest {
        HttpRequest {
            method: http::Method::POST,
            path: path.into(),
            query: vec![],
            headers: vec![],
            accept: "application/vnd.atlas.2024-08-05+json",
            body: Some(Body {
                content_type: "application/json",
                bytes: body.as_bytes().to_vec(),
            }),
        }
    }

    fn refusal(template: &str, request: &HttpRequest) -> Option<String> {
        admit("op", template, &[PROVIDERS], request)
            .err()
            .map(|e| e.to_string())
    }

    #[test]
    fn a_refused_value_is_found_wherever_it_is_and_named_by_pointer() {
        let body = r#"{"name":"c","replicationSpecs":[{"regionConfigs":[{"providerName":"AWS"},{"providerName":"GCP"}]}]}"#;
        let error = refusal("/g/{groupId}/clusters", &request("/g/1/clusters", body));
        assert_eq!(
            error.as_deref(),
            Some("op: not available in Atlas for Government: AWS only (body /replicationSpecs/0/regionConfigs/1/providerName is \"GCP\"); nothing was sent")
        );
        let path = refusal(
            "/g/{groupId}/pe/{cloudProvider}",
            &request("/g/1/pe/AZURE", "{}"),
        );
        assert!(path
            .unwrap()
            .contains("path parameter cloudProvider is \"AZURE\""));
        let mut query = request("/g/1/x", "{}");
        query.query.push(("providerName".into(), "gcp".into()));
        assert!(refusal("/g/{groupId}/x", &query)
            .unwrap()
            .contains("query parameter"));
    }

    #[test]
    fn allowed_values_and_other_fields_pass() {
        let body =
            r#"{"providerName":"AWS","name":"GCP","tags":[{"key":"providerName","value":"GCP"}]}"#;
        assert_eq!(refusal("/g/{groupId}", &request("/g/GCP", body)), None);
    }
}
