//! Spacing of a formatted file: prettyplease prints items back to back, which makes a
//! generated file of a thousand items one wall of text. Here every item, and every method
//! of an `impl`, is printed with a blank line before the next one, as rustfmt keeps
//! hand-written code.

/// A parsed file as text: its inner attributes, then its items one blank line apart
/// (consecutive `use` declarations stay together).
pub fn unparse_spaced(mut file: syn::File) -> String {
    let items = std::mem::take(&mut file.items);
    let mut out = prettyplease::unparse(&file);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    // The same file, reused to print one item at a time.
    file.attrs.clear();
    file.shebang = None;
    let mut previous_was_use = false;
    for item in items {
        let is_use = matches!(item, syn::Item::Use(_));
        let is_impl = matches!(item, syn::Item::Impl(_));
        let joins_uses = is_use && previous_was_use;
        if !out.is_empty() && !joins_uses {
            out.push('\n');
        }
        file.items = vec![item];
        let text = prettyplease::unparse(&file);
        if is_impl {
            out.push_str(&space_members(&text));
        } else {
            out.push_str(&text);
        }
        previous_was_use = is_use;
    }
    out
}

/// Inside one printed `impl` block, a blank line after each member whose body closed (a
/// line that is exactly four spaces and `}`) when another member follows, and after a
/// one-line member (`type Output = ..;`) when a method follows; a run of one-line
/// members stays together. Member bodies are indented further, so no line of a body is
/// touched.
fn space_members(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.peek().and_then(|next| member_line(next)) else {
            continue;
        };
        let method_follows =
            next.starts_with("///") || next.starts_with("#[") || next.contains("fn ");
        let one_line_member = member_line(line).is_some_and(|l| l.ends_with(';'));
        if line == "    }" || (one_line_member && method_follows) {
            out.push('\n');
        }
    }
    out
}

/// A line at member level of an `impl` (indented exactly four spaces), without them.
fn member_line(line: &str) -> Option<&str> {
    line.strip_prefix("    ")
        .filter(|rest| !rest.starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spaced(source: &str) -> String {
        unparse_spaced(syn::parse_str(source).unwrap())
    }

    #[test]
    fn items_and_methods_are_one_blank_line_apart() {
        let text = spaced(
            "#![allow(deprecated)] use a::b; use c::d; /// A.\n pub struct A; \
             impl A { fn one(&self) -> u8 { 1 } const N: u8 = 2; fn two(&self) -> u8 { let x = 2; x } } \
             pub fn f() {}",
        );
        let expected = "#![allow(deprecated)]\n\nuse a::b;\nuse c::d;\n\n/// A.\npub struct A;\n\n\
             impl A {\n    fn one(&self) -> u8 {\n        1\n    }\n\n    const N: u8 = 2;\n\n    \
             fn two(&self) -> u8 {\n        let x = 2;\n        x\n    }\n}\n\npub fn f() {}\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn the_layout_only_adds_blank_lines() {
        let source = "impl A { fn one() { if x { y() } } fn two() {} } struct B { a: u8 }";
        let dense = prettyplease::unparse(&syn::parse_str(source).unwrap());
        let text = spaced(source);
        let non_blank = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(non_blank(&text), non_blank(&dense));
    }
}
