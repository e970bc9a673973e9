//! Transport-neutral requests and responses. Operations build an [`HttpRequest`] (path
//! already encoded, query pairs, headers, the exact versioned `Accept`), which can be
//! inspected and unit-tested without a network.

use http::HeaderMap;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

use super::{Error, Method, ResponseMetadata};

/// Characters kept as-is in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request body with its versioned media type.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// One API request, ready to send to any base URL.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    /// The path with every parameter percent-encoded, e.g. `/api/atlas/v2/groups/5e..`.
    pub path: String,
    /// Query parameters in order; array values repeat the name.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// The exact versioned media type the operation was generated for.
    pub accept: &'static str,
    pub body: Option<Body>,
}

/// Scalars as the strings that go on the wire; arrays expand; `null` is nothing.
fn wire_strings(name: &str, value: Value) -> Result<Vec<String>, Error> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s]),
        Value::Bool(b) => Ok(vec![b.to_string()]),
        Value::Number(n) => Ok(vec![n.to_string()]),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.extend(wire_strings(name, item)?);
            }
            Ok(out)
        }
        Value::Object(_) => Err(Error::InvalidInput(format!(
            "parameter `{name}` cannot be an object"
        ))),
    }
}

fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::InvalidInput(format!("parameter `{name}`: {e}")))
}

/// A parameter as exactly one wire string (a waiter passes it to another operation).
pub(crate) fn wire_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    match <[String; 1]>::try_from(wire_strings(name, to_value(name, value)?)?) {
        Ok([one]) => Ok(one),
        Err(_) => Err(Error::InvalidInput(format!(
            "parameter `{name}` must be one value"
        ))),
    }
}

/// Whether a path segment could address a parent once decoded, however many times it
/// was percent-encoded: some layer of decoding (`%2e%2e`, `%252E.`, `..%2Fadmin`, IIS's
/// `%u002e`) yields a `.` or `..` piece between `/`, `\` or `;` (Tomcat and Jetty read
/// `..;x` as `..`), counting the compatibility forms of the full stop (`．`, `․`, `‥`)
/// as the dots they normalize to, or bytes that are not UTF-8 (overlong dots such as
/// `%c0%ae`, which lenient servers read as `.`).
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let mut current = segment.to_owned();
    // Each round removes one layer of encoding and shortens the text, so this ends.
    loop {
        if has_dot_piece(&current) {
            return true;
        }
        let unicode_escapes = replace_ascii_case_insensitive(&current, "%u002e", ".");
        let Ok(decoded) = percent_decode_str(&unicode_escapes).decode_utf8() else {
            return true;
        };
        if decoded == current.as_str() {
            return false;
        }
        current = decoded.into_owned();
    }
}

/// Whether a `.` or `..` stands between separators, with look-alike dots as dots.
fn has_dot_piece(text: &str) -> bool {
    let mut dots = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{ff0e}' | '\u{2024}' | '\u{fe52}' => dots.push('.'),
            '\u{2025}' => dots.push_str(".."),
            c => dots.push(c),
        }
    }
    dots.split(['/', '\\', ';'])
        .any(|piece| piece == "." || piece == "..")
}

/// `text` with every ASCII-case-insensitive match of `pattern` (ASCII) replaced.
fn replace_ascii_case_insensitive(text: &str, pattern: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.char_indices().map(|(i, _)| i).find(|&i| {
        rest.get(i..i + pattern.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(pattern))
    }) {
        out.push_str(&rest[..at]);
        out.push_str(with);
        rest = &rest[at + pattern.len()..];
    }
    out.push_str(rest);
    out
}

/// Encode one path parameter as a single, non-empty path segment. `.` and `..` (in any
/// spelling a server may read as one: `..;`, `%u002e`, full-width dots) are refused: they would address a parent resource,
/// e.g. the project instead of one of its clusters. A `/` in the value stays in the
/// segment, sent as `%2F`.
pub fn path_segment<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    let strings = wire_strings(name, to_value(name, value)?)?;
    match strings.as_slice() {
        [one] if is_dot_segment(one) => Err(Error::InvalidInput(format!(
            "path parameter `{name}` must not be or hold a `.` or `..` segment (in any encoding), got `{one}`"
        ))),
        [one] if !one.is_empty() => Ok(utf8_percent_encode(one, SEGMENT).to_string()),
        _ => Err(Error::InvalidInput(format!(
            "path parameter `{name}` must be one non-empty value"
        ))),
    }
}

/// Query pairs encoded for the wire, e.g. `pageNum=2&itemsPerPage=100`.
pub(crate) fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, SEGMENT),
                utf8_percent_encode(v, SEGMENT)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl HttpRequest {
    pub fn new(method: Method, path: String, accept: &'static str) -> Self {
        HttpRequest {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            accept,
            body: None,
        }
    }

    /// Add a query parameter; `None` adds nothing, a list repeats the name.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        for s in wire_strings(name, to_value(name, value)?)? {
            self.query.push((name.to_owned(), s));
        }
        Ok(())
    }

    /// Add a header parameter; `None` adds nothing.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let strings = wire_strings(name, to_value(name, value)?)?;
        if !strings.is_empty() {
            self.headers.push((name.to_owned(), strings.join(",")));
        }
        Ok(())
    }

    /// Set a JSON body with its versioned media type; `None` sends no body.
    pub fn json_body<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let value = to_value("body", value)?;
        if value.is_null() {
            return Ok(());
        }
        let bytes =
            serde_json::to_vec(&value).map_err(|e| Error::InvalidInput(format!("body: {e}")))?;
        self.body = Some(Body {
            content_type,
            bytes,
        });
        Ok(())
    }

    /// Path and encoded query, e.g. `/api/atlas/v2/groups?pageNum=2`.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        format!("{}?{}", self.path, query_string(&self.query))
    }
}

/// A received response, before decoding.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawResponse {
    pub status: u16,
    /// The `Content-Type` header, e.g. `application/vnd.atlas.2023-02-01+json;charset=utf-8`.
    pub content_type: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// How many times the client retried before this response (429, 5xx, connection).
    pub retries: u32,
    /// The most memory decoding its body may take (see `runtime::budget`).
    pub(crate) decoded_limit: u64,
}

impl RawResponse {
    /// A response as received (`Content-Type` is read from `headers`), with no retries.
    pub fn new(status: u16, headers: HeaderMap, body: Vec<u8>) -> Self {
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        RawResponse {
            status,
            content_type,
            headers,
            body,
            retries: 0,
            decoded_limit: super::budget::decoded_limit(super::DEFAULT_MAX_RESPONSE_BYTES),
        }
    }

    /// What the response said besides its body.
    pub fn metadata(&self) -> ResponseMetadata {
        ResponseMetadata {
            status: self.status,
            headers: self.headers.clone(),
            retries: self.retries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_path_query_headers_and_body() {
        let mut r = HttpRequest::new(
            Method::GET,
            format!("/a/{}", path_segment("name", "x y/z").unwrap()),
            "application/vnd.atlas.2024-08-05+json",
        );
        r.query("flag", &Some(true)).unwrap();
        r.query("none", &Option::<i32>::None).unwrap();
        r.query("list", &["a", "b&c"]).unwrap();
        r.header("Use-Effective-Instance-Fields", &Some(false))
            .unwrap();
        r.json_body(
            "application/vnd.atlas.2024-08-05+json",
            &serde_json::json!({"k": 1}),
        )
        .unwrap();
        assert_eq!(
            r.path_and_query(),
            "/a/x%20y%2Fz?flag=true&list=a&list=b%26c"
        );
        assert_eq!(
            r.headers,
            vec![(
                "Use-Effective-Instance-Fields".to_owned(),
                "false".to_owned()
            )]
        );
        assert_eq!(r.body.unwrap().bytes, br#"{"k":1}"#);
    }

    #[test]
    fn empty_path_segments_are_rejected() {
        assert!(path_segment("clusterName", "").is_err());
        assert!(path_segment("clusterName", &serde_json::json!({"a": 1})).is_err());
    }

    #[test]
    fn dot_segments_in_any_encoding_are_rejected() {
        for dots in [
            ".",
            "..",
            "%2e",
            "%2E%2e",
            ".%2E",
            "%252e%252e",
            "%25252e.",
            "../admin",
            "..%2Fadmin",
            "%2e%2e%2fx",
            "a\\..",
            "%c0%ae%c0%ae",
        ] {
            assert!(is_dot_segment(dots), "{dots}");
            let err = path_segment("clusterName", dots).unwrap_err().to_string();
            assert!(
                err.contains("`clusterName` must not be or hold a `.` or `..` segment"),
                "{err}"
            );
        }
        for fine in [
            "...",
            "a.b",
            "%2e%2e%2e",
            "%",
            "%zz",
            ".a",
            "a/b",
            "x..y/z",
            "é",
        ] {
            assert!(!is_dot_segment(fine), "{fine}");
        }
    }
}
