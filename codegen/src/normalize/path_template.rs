//! Path templates (`/api/atlas/v2/groups/{groupId}/clusters/{clusterName}`): parsed once,
//! so emit renders parts instead of slicing strings, and a malformed template is an error
//! with its pointer rather than generated code that does not compile.

use crate::ir::{PathPart, PathTemplate};

/// Parse a template: it starts with `/`, every `{` closes with a non-empty name before
/// the next `/`, no stray `}`, no parameter twice, no `.` or `..` segment.
pub fn parse(path: &str) -> Result<PathTemplate, String> {
    if !path.starts_with('/') {
        return Err(format!("path template `{path}` must start with `/`"));
    }
    let mut parts = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let Some(open) = rest.find('{') else {
            push_literal(&mut parts, rest, path)?;
            break;
        };
        push_literal(&mut parts, &rest[..open], path)?;
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .filter(|close| !after[..*close].contains(['{', '/']))
            .ok_or_else(|| format!("path template `{path}` has an unclosed `{{`"))?;
        let name = &after[..close];
        if name.is_empty() {
            return Err(format!(
                "path template `{path}` has an empty parameter `{{}}`"
            ));
        }
        if parts.contains(&PathPart::Param(name.to_owned())) {
            return Err(format!("path template `{path}` names `{{{name}}}` twice"));
        }
        parts.push(PathPart::Param(name.to_owned()));
        rest = &after[close + 1..];
    }
    let template = PathTemplate { parts };
    check_segments(&template, path)?;
    Ok(template)
}

fn push_literal(parts: &mut Vec<PathPart>, text: &str, path: &str) -> Result<(), String> {
    if text.contains('}') {
        return Err(format!("path template `{path}` has a `}}` without `{{`"));
    }
    if text.contains(['?', '#', '\\']) || text.chars().any(char::is_control) {
        return Err(format!(
            "path template `{path}` contains `?`, `#`, `\\` or a control character"
        ));
    }
    if !text.is_empty() {
        parts.push(PathPart::Literal(text.to_owned()));
    }
    Ok(())
}

/// Literal segments may not be `.`, `..` or empty (`//`).
fn check_segments(template: &PathTemplate, path: &str) -> Result<(), String> {
    let shape: String = template
        .parts
        .iter()
        .map(|p| match p {
            PathPart::Literal(text) => text.as_str(),
            PathPart::Param(_) => "{}",
        })
        .collect();
    let segments: Vec<&str> = shape.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        if matches!(*segment, "." | "..") || (segment.is_empty() && i != last) {
            return Err(format!(
                "path template `{path}` has an empty, `.` or `..` segment"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_and_params() {
        let t = parse("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}:restart").unwrap();
        assert_eq!(
            t.parts,
            [
                PathPart::Literal("/api/atlas/v2/groups/".into()),
                PathPart::Param("groupId".into()),
                PathPart::Literal("/clusters/".into()),
                PathPart::Param("clusterName".into()),
                PathPart::Literal(":restart".into()),
            ]
        );
        assert_eq!(t.params().collect::<Vec<_>>(), ["groupId", "clusterName"]);
    }

    #[test]
    fn malformed_templates_are_errors() {
        for bad in [
            "api/x",
            "/api/{groupId",
            "/api/{}/x",
            "/api/x}",
            "/api/{a/b}",
            "/api/{a}/{a}",
            "/api/../x",
            "/api//x",
            "/api/x?y",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
