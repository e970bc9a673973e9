//! Rustdoc from the spec's `summary`/`description`, made safe for rustdoc.
//!
//! Upstream descriptions are Markdown written for a web page: bare URLs, `[text]` that
//! rustdoc would read as intra-doc links, HTML-like `<placeholders>`, and code fences that
//! rustdoc would compile as doctests. Each is rewritten so `cargo doc` and `cargo test`
//! stay clean without allowing rustdoc lints.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = ".."]` attributes for a list of paragraphs (empty ones skipped).
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let text = paragraphs
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(sanitize)
        .collect::<Vec<_>>()
        .join("\n\n");
    if text.is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Title and description of a schema-derived item.
pub fn docs_tokens(docs: &Docs) -> TokenStream {
    doc_attrs(
        docs.title
            .iter()
            .chain(docs.description.iter())
            .map(String::as_str),
    )
}

/// Rewrite Markdown so rustdoc renders it as written.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push_str("```");
            } else {
                // Upstream examples are curl/JSON/shell: never doctests.
                out.push_str("```text");
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&sanitize_line(line.trim_end()));
        }
    }
    if in_fence {
        out.push_str("\n```");
    }
    out
}

fn sanitize_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_code = false;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().expect("i is a char boundary");
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        if c == '[' {
            // Keep real Markdown links `[text](url)`; escape every other bracket pair.
            if let Some(close) = rest.find(']') {
                if rest[close + 1..].starts_with('(') {
                    if let Some(end) = rest[close + 1..].find(')') {
                        let text = &rest[1..close];
                        let url = &rest[close + 2..close + 1 + end];
                        out.push('[');
                        out.push_str(&sanitize_line(text));
                        out.push_str("](");
                        out.push_str(url);
                        out.push(')');
                        i += close + 2 + end;
                        continue;
                    }
                }
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        if c == ']' {
            out.push_str("\\]");
            i += 1;
            continue;
        }
        if c == '<' {
            // Keep `<https://..>` autolinks; escape anything else that looks like HTML.
            if let Some(end) = rest.find('>') {
                let inner = &rest[1..end];
                if (inner.starts_with("http://") || inner.starts_with("https://"))
                    && !inner.contains(' ')
                {
                    out.push_str(&rest[..=end]);
                    i += end + 1;
                    continue;
                }
            }
            out.push_str("&lt;");
            i += 1;
            continue;
        }
        if c == '>' && i > 0 {
            out.push_str("&gt;");
            i += 1;
            continue;
        }
        if (rest.starts_with("https://") || rest.starts_with("http://"))
            && (i == 0 || !matches!(bytes[i - 1], b'(' | b'<'))
        {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || matches!(ch, ')' | '>' | '"' | '\''))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.len();
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    if in_code {
        // An unbalanced backtick would swallow the rest of the docs.
        out.push('`');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_rustdoc_would_misread() {
        assert_eq!(
            sanitize("see [docs](https://x.y/z) or [TAG]"),
            "see [docs](https://x.y/z) or \\[TAG\\]"
        );
        assert_eq!(
            sanitize("visit https://cloud.mongodb.com."),
            "visit <https://cloud.mongodb.com>."
        );
        assert_eq!(sanitize("a <groupId> b"), "a &lt;groupId&gt; b");
        assert_eq!(sanitize("keep `[x] <y>` as code"), "keep `[x] <y>` as code");
        assert_eq!(
            sanitize("```\ncurl -X GET\n```"),
            "```text\ncurl -X GET\n```"
        );
        assert_eq!(sanitize("> quote"), "> quote");
    }
}
