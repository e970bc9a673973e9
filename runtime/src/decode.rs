//! Decoding success bodies. The operation's documented success schema decodes any 2xx
//! (Atlas answers 201 or 202 where the spec documents 200).

use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::{Error, RawResponse};

/// A decoder's message without the values it quotes (`invalid type: string "…"`,
/// ``unknown variant `…` ``): a value may be a secret, and the field path already says
/// where it was. What serde says it expected (after the last `, expected `) is the
/// model's own text and stays, and so do the field paths of union members
/// (`` at `results[1].name`: ``).
///
/// serde quotes a string with Rust's escapes (`"a\"b"`), so a double-quoted value ends at
/// the first unescaped quote; a backticked one is not escaped, so everything from the
/// first backtick to the last one goes.
fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    // Union members: `at `<path>`: <message>`, possibly nested.
    while let Some(after) = rest.strip_prefix("at `") {
        let Some(end) = after.find("`: ") else {
            break;
        };
        out.push_str(&rest[..4 + end + 3]);
        rest = &after[end + 3..];
    }
    let (head, expected) = match rest.rfind(", expected ") {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    out.push_str(&without_backticked(&without_double_quoted(head)));
    out.push_str(expected);
    out
}

/// Every `"…"` value (Rust-escaped) replaced by `"…"`; an unclosed one runs to the end.
fn without_double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '"' {
            continue;
        }
        out.push('…');
        let mut escaped = false;
        for q in chars.by_ref() {
            match q {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    out.push('"');
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

/// Everything from the first backtick to the last one replaced by `` `…` ``.
fn without_backticked(text: &str) -> String {
    match (text.find('`'), text.rfind('`')) {
        (Some(first), Some(last)) if first < last => {
            format!("{}`…`{}", &text[..first], &text[last + 1..])
        }
        (Some(first), _) => format!("{}`…", &text[..first]),
        _ => text.to_owned(),
    }
}

/// Decode a JSON body; a failure names the JSON field path, never the body or a value.
pub fn json<T: DeserializeOwned>(
    operation: &'static str,
    response: RawResponse,
) -> Result<T, Error> {
    let fail = |path: String, message: String| Error::Decode {
        operation,
        status: response.status,
        path,
        message: without_values(&message),
    };
    // Both paths decode within the response's budget (`runtime::budget`).
    let limit = response.decoded_limit;
    let too_large = || Error::ResponseTooLarge { operation, limit };
    // The fast path tracks no field path; only a failure pays for decoding again with
    // `serde_path_to_error` to name where it failed. It checks UTF-8 once, for the whole
    // body, so that the parser need not check each string and each union member again.
    let (fast, exceeded) = super::budget::within(limit, || {
        let text = std::str::from_utf8(&response.body).ok()?;
        serde_json::from_str::<T>(text).ok()
    });
    if let Some(value) = fast {
        return Ok(value);
    }
    if exceeded {
        return Err(too_large());
    }
    let (tracked, exceeded) = super::budget::within(limit, || {
        let mut de = serde_json::Deserializer::from_slice(&response.body);
        let value: Result<T, _> = serde_path_to_error::deserialize(&mut de);
        value.map(|value| (value, de.end()))
    });
    if exceeded {
        return Err(too_large());
    }
    let (value, end) = tracked.map_err(|e| fail(e.path().to_string(), e.inner().to_string()))?;
    end.map_err(|e| fail(".".to_owned(), e.to_string()))?;
    Ok(value)
}

/// An operation documented without a body: whatever Atlas sends is ignored.
pub fn empty(_response: RawResponse) -> Result<(), Error> {
    Ok(())
}

/// Non-JSON media (`+gzip`, `+csv`): the bytes as received.
pub fn bytes(response: RawResponse) -> Result<Vec<u8>, Error> {
    Ok(response.body)
}

/// A string response: a JSON string, or the body itself when it is not one (Atlas sends
/// PEM certificates and XML metadata as plain text under a `+json` media type).
pub fn text(operation: &'static str, response: RawResponse) -> Result<String, Error> {
    if let Ok(value) = serde_json::from_slice::<String>(&response.body) {
        return Ok(value);
    }
    String::from_utf8(response.body).map_err(|e| Error::Decode {
        operation,
        status: response.status,
        path: ".".to_owned(),
        message: format!("neither a JSON string nor UTF-8 text: {e}"),
    })
}

/// A JSON body that Atlas may also omit (another documented 2xx has none).
pub fn json_or_empty<T: DeserializeOwned>(
    operation: &'static str,
    response: RawResponse,
) -> Result<Option<T>, Error> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    json(operation, response).map(Some)
}

/// How a success response becomes an operation's output: the `Decoder` of
/// [`super::Operation`].
pub trait Decode {
    type Output;
    fn decode(operation: &'static str, response: RawResponse) -> Result<Self::Output, Error>;
}

/// A JSON body decoded into `T`.
pub struct Json<T>(PhantomData<fn() -> T>);

/// A JSON body decoded into `T`, or `None` when Atlas sends none.
pub struct JsonOrEmpty<T>(PhantomData<fn() -> T>);

/// Non-JSON media: the bytes.
pub struct Bytes;

/// No documented body.
pub struct Empty;

/// A JSON string or plain text.
pub struct Text;

impl Decode for Text {
    type Output = String;
    fn decode(operation: &'static str, response: RawResponse) -> Result<String, Error> {
        text(operation, response)
    }
}

impl<T: DeserializeOwned> Decode for Json<T> {
    type Output = T;
    fn decode(operation: &'static str, response: RawResponse) -> Result<T, Error> {
        json(operation, response)
    }
}

impl<T: DeserializeOwned> Decode for JsonOrEmpty<T> {
    type Output = Option<T>;
    fn decode(operation: &'static str, response: RawResponse) -> Result<Option<T>, Error> {
        json_or_empty(operation, response)
    }
}

impl Decode for Bytes {
    type Output = Vec<u8>;
    fn decode(_: &'static str, response: RawResponse) -> Result<Vec<u8>, Error> {
        bytes(response)
    }
}

impl Decode for Empty {
    type Output = ();
    fn decode(_: &'static str, response: RawResponse) -> Result<(), Error> {
        empty(response)
    }
}

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn quoted_values_are_dropped() {
        assert_eq!(
            without_values(r#"invalid type: string "mongodb+srv://u:pw@h", expected i32"#),
            r#"invalid type: string "…", expected i32"#
        );
        assert_eq!(
            without_values("unknown variant `s3cr3t`"),
            "unknown variant `…`"
        );
        assert_eq!(without_values("unterminated \"abc"), "unterminated \"…");
    }

    #[test]
    fn quotes_backticks_and_escapes_inside_values_are_dropped_too() {
        for (message, kept) in [
            (
                r#"invalid type: string "a\"s3cret", expected i64 at line 1 column 9"#,
                r#"invalid type: string "…", expected i64 at line 1 column 9"#,
            ),
            (
                r#"invalid type: string "a\\\"s3cret`\"", expected i64"#,
                r#"invalid type: string "…", expected i64"#,
            ),
            (
                r#"invalid type: string "x\", expected s3cret", expected i64"#,
                r#"invalid type: string "…", expected i64"#,
            ),
            (
                "unknown variant `a`s3cret`, expected one of `A`, `B`",
                "unknown variant `…`, expected one of `A`, `B`",
            ),
            (
                "invalid id `ab`s3cret`: expected 24 hexadecimal digits",
                "invalid id `…`: expected 24 hexadecimal digits",
            ),
            (
                "at `results[0].id`: invalid value: string \"s3\\\"cret\", expected an id",
                "at `results[0].id`: invalid value: string \"…\", expected an id",
            ),
        ] {
            let shown = without_values(message);
            assert_eq!(shown, kept, "{message}");
            assert!(
                !shown.contains("s3cret") && !shown.contains("cret"),
                "{shown}"
            );
        }
    }
}
