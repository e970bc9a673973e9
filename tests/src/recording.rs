//! Recorded HTTP responses (`.snaphost`): status line, headers, blank line, body.

use std::path::{Path, PathBuf};

/// One recorded response.
#[derive(Debug, Clone)]
pub struct Recording {
    pub file: PathBuf,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recording {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// The API version the server answered with, from `Content-Type`.
    pub fn api_version(&self) -> Option<String> {
        let media = self.content_type()?.split(';').next()?.trim();
        let rest = media.strip_prefix("application/vnd.atlas.")?;
        Some(rest.split('+').next()?.to_owned())
    }

    /// Whether the body is JSON (by media type, or by looking when none is given).
    pub fn is_json(&self) -> bool {
        match self.content_type() {
            Some(ct) => {
                let media = ct.split(';').next().unwrap_or_default().trim();
                media == "application/json" || media.ends_with("+json")
            }
            None => matches!(
                self.body.iter().find(|b| !b.is_ascii_whitespace()),
                Some(b'{' | b'[')
            ),
        }
    }
}

/// Whether a recording's file name is a `GET /groups/{id}/<resource>[/...]` with
/// `segments` name segments after `groups_` (`[id, resource, name]` is 3).
pub fn is_get_in_group(file: &Path, resource: &str, segments: usize) -> bool {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let Some(rest) = name.strip_prefix("GET_api_atlas_v2_groups_") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('_').collect();
    parts.len() == segments && parts.get(1) == Some(&resource)
}

/// Parse a recording; the error names the file and what is wrong.
pub fn parse(file: &Path, bytes: &[u8]) -> Result<Recording, String> {
    let fail = |what: &str| format!("{}: {what}", file.display());
    let (head, body) =
        split_head(bytes).ok_or_else(|| fail("no blank line between headers and body"))?;
    let head = std::str::from_utf8(head).map_err(|_| fail("headers are not UTF-8"))?;
    let mut lines = head.lines();
    let status_line = lines.next().ok_or_else(|| fail("empty file"))?;
    let mut parts = status_line.split_whitespace();
    let protocol = parts.next().unwrap_or_default();
    if !protocol.starts_with("HTTP/") {
        return Err(fail(&format!(
            "first line is not an HTTP status line: `{status_line}`"
        )));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| fail(&format!("no status code in `{status_line}`")))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| fail(&format!("malformed header line `{line}`")))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(Recording {
        file: file.to_path_buf(),
        status,
        headers,
        body: body.to_vec(),
    })
}

/// Split at the first empty line (`\n\n` or `\r\n\r\n`).
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let lf = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2));
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    let (end, start) = match (lf, crlf) {
        (Some(a), Some(b)) => {
            if a.0 < b.0 {
                a
            } else {
                b
            }
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => {
            // Headers only (no body, no trailing blank line).
            return Some((bytes, &[]));
        }
    };
    Some((&bytes[..end], &bytes[start..]))
}

/// Every `.snaphost` file under `dir`, sorted.
pub fn find(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "snaphost") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_headers_and_body() {
        let r = parse(Path::new("x.snaphost"), b"HTTP/2.0 201 Created\nContent-Type: application/vnd.atlas.2023-02-01+json;charset=utf-8\n\n{\"a\":1}").unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(r.api_version().as_deref(), Some("2023-02-01"));
        assert!(r.is_json());
        assert_eq!(r.body, b"{\"a\":1}");
    }

    #[test]
    fn errors_name_the_file() {
        let err = parse(Path::new("dir/bad.snaphost"), b"garbage\n\n").unwrap_err();
        assert!(err.starts_with("dir/bad.snaphost: "), "{err}");
    }
}
