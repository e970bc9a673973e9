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
    let paragraphs: Vec<&str> = paragraphs
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut text = paragraphs
        .iter()
        .map(|p| sanitize(p))
        .collect::<Vec<_>>()
        .join("\n\n");
    if has_doctest(&text) {
        text = inert_block(&paragraphs.join("\n\n"));
    }
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

/// Spec text for a place that holds one line (a name in a sentence, a code span): line
/// breaks and other control characters become spaces, backticks quotes, so it can
/// neither start a block nor end the span.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Whether rustdoc would compile a block of this Markdown as a doctest. rustdoc parses
/// docs with pulldown-cmark, so the same parser decides: any indented block, and any
/// fenced block not marked `text`.
pub fn has_doctest(markdown: &str) -> bool {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(markdown, options).any(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => true,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => info.trim() != "text",
        _ => false,
    })
}

/// Text no sanitizing rule could make safe, shown verbatim in one `text` block: every
/// line is indented four spaces, which nothing inside a fenced block can close.
fn inert_block(text: &str) -> String {
    let mut out = String::from("```text");
    for line in text.lines() {
        out.push_str("\n    ");
        out.push_str(&one_line(line));
    }
    out.push_str("\n```");
    out
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

/// An open fenced block: its marker character and run length (CommonMark closes it only
/// with a run of the same character at least as long).
struct Fence {
    marker: char,
    len: usize,
}

/// A fence line's marker and run length (three or more backticks or tildes).
fn fence_of(trimmed: &str) -> Option<Fence> {
    let marker = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = trimmed.chars().take_while(|c| *c == marker).count();
    (len >= 3).then_some(Fence { marker, len })
}

/// Rewrite Markdown so rustdoc renders it as written. No spec text becomes a doctest:
/// every fenced block (``` or ~~~) is re-fenced as `text`, and a line that would open an
/// indented code block (which rustdoc also compiles) loses the extra indentation.
/// The page the spec's relative anchors (`#tag/Projects/operation/listProjects`) are on:
/// the one its `x-xgen-docs-url` values point at.
pub const API_REFERENCE: &str = "https://mongodb.com/docs/atlas/reference/api-resources-spec/v2/";

pub fn sanitize(text: &str) -> String {
    // Markdown ends a line at a lone CR too; rustc rejects a bare CR in doc comments.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let out = sanitize_lines(&text);
    // The rules above cover the Markdown upstream writes; the parser rustdoc uses checks
    // the result, and anything it would still compile is shown as plain text.
    if has_doctest(&out) {
        return inert_block(&text);
    }
    out
}

fn sanitize_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut fence: Option<Fence> = None;
    let mut indent = IndentGuard::default();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if fence.is_some() {
            out.push_str(&fenced_line(line, &mut fence));
            if fence.is_none() {
                indent.block_ended();
            }
            continue;
        }
        let line = indent.admit(line);
        let trimmed = line.trim_start();
        if let Some(open) = fence_of(trimmed) {
            // Upstream examples are curl/JSON/shell: never doctests.
            out.push_str("```text");
            fence = Some(open);
        } else {
            out.push_str(&sanitize_line(line.trim_end()));
        }
    }
    if fence.is_some() {
        out.push_str("\n```");
    }
    out
}

/// A line inside a fenced block: the closing fence becomes "```"; any other fence-like
/// line is indented four spaces so it cannot close the `text` fence early.
fn fenced_line(line: &str, fence: &mut Option<Fence>) -> String {
    let trimmed = line.trim_start();
    let Some(found) = fence_of(trimmed) else {
        return line.to_owned();
    };
    let closes = fence.as_ref().is_some_and(|open| {
        found.marker == open.marker
            && found.len >= open.len
            && trimmed.chars().skip(found.len).all(char::is_whitespace)
    });
    if closes {
        *fence = None;
        "```".to_owned()
    } else {
        format!("    {line}")
    }
}

/// Tracks where an indented code block could start (at a block boundary, deeper than
/// the current list item's content plus three) and outdents such lines.
#[derive(Default)]
struct IndentGuard {
    /// Not at a block boundary: the previous line continues a paragraph.
    in_paragraph: bool,
    /// Content column of the innermost list item seen, if a list is open.
    list_content: Option<usize>,
}

impl IndentGuard {
    fn block_ended(&mut self) {
        self.in_paragraph = false;
    }

    fn admit<'l>(&mut self, line: &'l str) -> std::borrow::Cow<'l, str> {
        let rest = line.trim_start_matches([' ', '\t']);
        if rest.is_empty() {
            self.in_paragraph = false;
            return line.into();
        }
        let indent = &line[..line.len() - rest.len()];
        let width: usize = indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
        let limit = self.list_content.map_or(3, |c| c + 3);
        let width = if self.in_paragraph {
            width
        } else {
            width.min(limit)
        };
        if let Some(marker) = list_marker_len(rest) {
            self.list_content = Some(width + marker);
        } else if !self.in_paragraph {
            // A paragraph at a block boundary belongs to the item whose content column it
            // starts at (or ends the list at column 0).
            self.list_content = self.list_content.map(|c| c.min(width)).filter(|c| *c > 0);
        }
        self.in_paragraph = !rest.starts_with('#');
        if width == indent.len() && !indent.contains('\t') {
            line.into()
        } else {
            format!("{}{rest}", " ".repeat(width)).into()
        }
    }
}

/// Width of a list marker and its space (`- `, `* `, `+ `, `12. `, `3) `).
fn list_marker_len(rest: &str) -> Option<usize> {
    if rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ ") {
        return Some(2);
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let after = &rest[digits..];
    (digits > 0 && (after.starts_with(". ") || after.starts_with(") "))).then_some(digits + 2)
}

fn sanitize_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_code = false;
    while i < line.len() {
        let rest = &line[i..];
        let Some(c) = rest.chars().next() else {
            break;
        };
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
                        // The spec links its own operations by page anchor.
                        if url.starts_with('#') {
                            out.push_str(API_REFERENCE);
                        }
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
            && !matches!(
                i.checked_sub(1).and_then(|j| bytes.get(j)),
                Some(b'(' | b'<')
            )
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
    fn relative_anchors_become_links_to_the_api_reference() {
        assert_eq!(
            sanitize("Use the [/groups](#tag/Projects/operation/listProjects) endpoint."),
            "Use the [/groups](https://mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/Projects/operation/listProjects) endpoint."
        );
    }

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

    #[test]
    fn what_the_rules_miss_the_parser_catches() {
        for hostile in [
            "> ```\n> fn main() {}\n> ```",
            "-     fn main() {}",
            "text\n\n---\n    fn main() {}",
            "Title\n=====\n    fn main() {}",
            "CR:\r\r    fn main() {}\r",
            ">     fn main() {}",
        ] {
            let out = sanitize(hostile);
            assert!(!has_doctest(&out), "{hostile:?} -> {out:?}");
            assert!(!out.contains('\r'), "{out:?}");
        }
        assert!(has_doctest("    code"));
        assert!(has_doctest("```\ncode\n```"));
        assert!(!has_doctest("```text\ncode\n```"));
        assert_eq!(one_line("a\n\n    `b`"), "a      'b'");
    }

    #[test]
    fn no_block_of_spec_text_is_a_doctest() {
        assert_eq!(
            sanitize("~~~\nfn main() {}\n~~~"),
            "```text\nfn main() {}\n```"
        );
        assert_eq!(
            sanitize("text\n\n    std::process::exit(1);\n\tx();"),
            "text\n\n   std::process::exit(1);\n    x();"
        );
        // Nested list items and paragraph continuations keep their indentation.
        let list = "- a:\n    - b\n\n  more of a\n\n      code in a\n\nplain\n\n    code";
        assert_eq!(
            sanitize(list),
            "- a:\n    - b\n\n  more of a\n\n     code in a\n\nplain\n\n   code"
        );
        // A ``` line inside a ~~~ block must not close the `text` fence early.
        assert_eq!(
            sanitize("~~~~\n```\nexit(1)\n```\n~~~~\nafter"),
            "```text\n    ```\nexit(1)\n    ```\n```\nafter"
        );
        assert_eq!(sanitize("```rust\nx\n"), "```text\nx\n```");
    }
}
