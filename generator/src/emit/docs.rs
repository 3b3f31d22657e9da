//! Doc comments, carried past syn and prettyplease as placeholders.
//!
//! Docs are most of a generated crate's text. Written into the tokens as they are, every character
//! of them was escaped by `quote`, unescaped again when syn parsed the tokens, and copied by
//! prettyplease: a sixth of `generate`'s instructions on the Graph corpus, for text that none of
//! them changes. So a doc enters the tokens as `#[doc = "\u{1}N"]`, `N` a number into this
//! thread's table of texts; prettyplease writes it as the comment `///\u{1}N` on a line of its own
//! (a doc comment always ends its line), and [`fill`] puts the text's lines there. The output is
//! the same as with the text in the tokens: `///` and the line, at the placeholder's indentation.
//!
//! Tokens cannot leave the thread that made them (they are not `Send`), so neither can a
//! placeholder: the table is per thread. Control characters never reach a doc line (see
//! [`lines`]), so no line of the docs themselves can look like a placeholder.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;

const MARK: char = '\u{1}';

#[derive(Default)]
struct Table {
    next: u64,
    texts: HashMap<u64, String>,
}

thread_local! {
    /// The texts of the placeholders made on this thread and not yet filled in.
    static TABLE: RefCell<Table> = RefCell::default();
}

/// A placeholder for `text`, kept until the formatted output is filled in; none for a text
/// without a line.
fn placeholder(text: String) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    TABLE.with_borrow_mut(|table| {
        let n = table.next;
        table.next += 1;
        table.texts.insert(n, text);
        Some(format!("{MARK}{n}"))
    })
}

/// Outer doc comments (`///`) of `text`, one line per line.
pub(super) fn outer(text: String) -> TokenStream {
    let placeholder = placeholder(text).into_iter();
    quote! { #(#[doc = #placeholder])* }
}

/// Inner doc comments (`//!`) of `text`, one line per line.
pub(super) fn inner(text: String) -> TokenStream {
    let placeholder = placeholder(text).into_iter();
    quote! { #(#![doc = #placeholder])* }
}

/// The lines of the doc a `#[doc = …]` value stands for: the placeholder's text (not taken from
/// the table: the output is still to be filled in), or the value itself.
pub(crate) fn lines_of(value: &str) -> Vec<String> {
    match number(value) {
        Some(n) => TABLE.with_borrow(|table| table.texts.get(&n).map(|text| lines(text)).unwrap_or_default()),
        None => vec![value.to_string()],
    }
}

fn number(value: &str) -> Option<u64> {
    value.strip_prefix(MARK)?.trim_end().parse().ok()
}

/// Formatted text with every placeholder comment replaced by its doc's lines, each indented as
/// the placeholder was. The texts are taken from the table.
pub(super) fn fill(text: String) -> String {
    if !text.contains(MARK) {
        return text;
    }
    // Sized exactly: every unit's text is held until its file is put together.
    let mut size = 0;
    walk(&text, false, |piece| size += piece.len());
    let mut out = String::with_capacity(size);
    walk(&text, true, |piece| out.push_str(piece));
    out
}

/// Gives the pieces of `text` with its placeholders filled in, in order; `take` takes their
/// texts from the table.
fn walk(text: &str, take: bool, mut piece: impl FnMut(&str)) {
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let start = rest[..at].rfind('\n').map_or(0, |n| n + 1);
        let end = rest[at..].find('\n').map_or(rest.len(), |n| at + n + 1);
        piece(&rest[..start]);
        let line = &rest[start..end];
        let body = line.trim_start_matches(' ');
        let indent = &line[..line.len() - body.len()];
        let comment =
            ["///", "//!"].into_iter().find_map(|comment| Some((comment, number(body.strip_prefix(comment)?)?)));
        let filled = comment.is_some_and(|(comment, n)| {
            TABLE.with_borrow_mut(|table| {
                let Some(text) = table.texts.get(&n) else { return false };
                each_line(text, |doc_line| {
                    piece(indent);
                    piece(comment);
                    piece(doc_line);
                    piece("\n");
                });
                if take {
                    table.texts.remove(&n);
                }
                true
            })
        });
        if !filled {
            piece(line);
        }
        rest = &rest[end..];
    }
    piece(rest);
}

/// The doc comment lines of `text` at `indent`, as [`fill`] writes a placeholder's.
pub(super) fn write_comment(out: &mut String, indent: &str, text: &str) {
    // Room for every line of the text and what each adds, so that the file grows once.
    out.reserve(text.len() + (indent.len() + 5) * (memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1));
    each_trimmed_line(text, |line| {
        out.push_str(indent);
        out.push_str("///");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    });
}

/// Doc text as comment lines, each but the empty ones starting with a space. Doc comments are
/// written out verbatim, and Rust refuses a bare carriage return in one, so every control character
/// but tab becomes a line break or a space.
fn lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    each_line(text, |line| lines.push(line.to_string()));
    lines
}

/// Calls `line` with each comment line of `text` (see [`lines`]), without making them one by one.
pub(super) fn each_line(text: &str, mut line: impl FnMut(&str)) {
    let mut spaced = String::new();
    each_trimmed_line(text, |text| {
        if text.is_empty() {
            line("");
        } else {
            spaced.clear();
            spaced.push(' ');
            spaced.push_str(text);
            line(&spaced);
        }
    });
}

/// Calls `line` with each line of `text`, cleaned and trimmed, before a comment line's leading
/// space is added.
fn each_trimmed_line(text: &str, mut line: impl FnMut(&str)) {
    let is_stray = |c: char| c.is_control() && c != '\n' && c != '\t';
    // Only these bytes can start a control character other than tab and newline (the C1 controls
    // are 0xC2 0x80–0x9F): text without any, nearly all of it, is not read a character at a time.
    let may_be_stray = |b: &u8| (*b < 0x20 && *b != b'\n' && *b != b'\t') || *b == 0x7f || *b == 0xc2;
    let cleaned = if text.as_bytes().iter().any(may_be_stray) && text.chars().any(is_stray) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if c == '\r' {
                        '\n'
                    } else if is_stray(c) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    };
    for text in cleaned.trim().lines().map(str::trim_end) {
        line(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(tokens: TokenStream) -> String {
        fill(prettyplease::unparse(&syn::parse2(tokens).unwrap()))
    }

    #[test]
    fn placeholders_become_the_lines_of_their_docs_at_their_indentation() {
        let struct_doc = outer("A step.\n\nIts methods: `a\\b` and \"c\"\r\nend\u{7}.".to_string());
        let field_doc = outer("The path.".to_string());
        let module_doc = inner("A module.".to_string());
        let text = format(quote! {
            #module_doc
            #struct_doc
            pub struct Step { #field_doc pub path: u8 }
        });
        assert_eq!(
            text,
            "//! A module.\n/// A step.\n///\n/// Its methods: `a\\b` and \"c\"\n///\n/// end .\npub struct Step {\n    /// The \
             path.\n    pub path: u8,\n}\n"
        );
        assert!(TABLE.with_borrow(|table| table.texts.is_empty()), "every text is taken once filled in");
    }

    #[test]
    fn control_characters_beyond_ascii_become_spaces_too() {
        // U+0085 and U+009F are C1 controls (two bytes each in UTF-8); `é` and `ł` start alike.
        // A carriage return is a line break of its own, as the first test shows.
        assert_eq!(lines("é\u{85}ł\u{9f}x\u{7f}\r\ny"), [" é ł x", "", " y"]);
        let mut out = String::new();
        // Only the whole text is trimmed at its start: the control's space stays on its line.
        write_comment(&mut out, "  ", "a\n\n\u{85}b ");
        assert_eq!(out, "  /// a\n  ///\n  ///  b\n");
    }

    #[test]
    fn a_doc_without_lines_leaves_no_comment() {
        let doc = outer(" \n\r ".to_string());
        assert_eq!(format(quote! { #doc pub struct S; }), "pub struct S;\n");
    }

    #[test]
    fn lines_of_reads_a_placeholder_without_taking_it() {
        let doc = outer("`GET /me` (v1.0)\n\nMore.".to_string());
        let attr: syn::Attribute = syn::parse_quote! { #doc };
        let syn::Meta::NameValue(meta) = &attr.meta else { panic!("a doc attribute is name = value") };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(value), .. }) = &meta.value else { panic!() };
        assert_eq!(lines_of(&value.value()), [" `GET /me` (v1.0)", "", " More."]);
        assert_eq!(lines_of(" plain"), [" plain"]);
        assert_eq!(fill(format!("///{}\n", value.value())), "/// `GET /me` (v1.0)\n///\n/// More.\n");
    }
}
