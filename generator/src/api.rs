//! The public API of emitted files as a sorted list, one line per item: modules, types, fields, enum
//! variants, path steps and request methods with their signatures. Lines start with the item's
//! path, so the lines of a type stay together; a request method's line ends with its HTTP line and
//! the features that bring it (`[outlook]`), when the files have area features.
//!
//! Takes parsed items: the emitter lists each item as it formats it ([`crate::emit::Emitted::api`]),
//! and [`listing`] lists files already written; both give the same text, which is committed as a
//! snapshot, so a docs or generator change reads as a short API diff.

use std::collections::BTreeMap;

use quote::ToTokens;

/// One line per public item of written files, sorted. Files that do not parse are listed as such.
pub fn listing(files: &BTreeMap<String, String>) -> String {
    let mut lines = Vec::new();
    for (file, text) in files {
        let Some(module) = listed_as(file) else { continue };
        match syn::parse_file(text) {
            Ok(parsed) => {
                lines.extend(module_line(module));
                for item in &parsed.items {
                    item_lines(module, item, &mut lines);
                }
            }
            Err(error) => lines.push(format!("{module} (mod) does not parse: {error}")),
        }
    }
    finish(lines)
}

/// The module a file's items are listed under: `crate` for the first steps, which are
/// re-exported at the crate root where users call them; none for `lib.rs` and the tests.
pub(crate) fn listed_as(file: &str) -> Option<&str> {
    match file.trim_end_matches(".rs") {
        "examples" | "lib" => None,
        module if module == crate::naming::ROOT_MODULE => Some("crate"),
        module => Some(module),
    }
}

/// The line of the module itself (none for the crate root).
pub(crate) fn module_line(module: &str) -> Option<String> {
    (module != "crate").then(|| format!("{module} (mod)"))
}

/// The lines as the listing's text: sorted, each once.
pub(crate) fn finish(mut lines: Vec<String>) -> String {
    use rayon::slice::ParallelSliceMut;
    lines.par_sort_unstable();
    lines.dedup();
    lines.into_iter().map(|line| line + "\n").collect()
}

/// The lines of one item of `module` (`crate` for the first steps, listed where users call them).
pub(crate) fn item_lines(module: &str, item: &syn::Item, lines: &mut Vec<String>) {
    match item {
        syn::Item::Struct(item) if is_public(&item.vis) => {
            let name = format!("{module}::{}", item.ident);
            for field in item.fields.iter().filter(|field| is_public(&field.vis)) {
                if let Some(ident) = &field.ident {
                    lines.push(format!("{name}.{ident}: {}", tokens(&field.ty)));
                }
            }
            lines.push(format!("{name} (struct)"));
        }
        syn::Item::Enum(item) if is_public(&item.vis) => {
            let variants: Vec<String> = item.variants.iter().map(|variant| variant.ident.to_string()).collect();
            enum_lines_of(&format!("{module}::{}", item.ident), variants.iter().map(String::as_str), lines);
        }
        syn::Item::Fn(item) if is_public(&item.vis) => {
            lines.push(function_line(module, &item.sig, &item.attrs, &[]));
        }
        syn::Item::Impl(item) if item.trait_.is_none() => {
            let syn::Type::Path(ty) = &*item.self_ty else { return };
            let Some(name) = ty.path.segments.last().map(|s| s.ident.to_string()) else { return };
            for inner in &item.items {
                if let syn::ImplItem::Fn(method) = inner {
                    if is_public(&method.vis) {
                        lines.push(function_line(
                            &format!("{module}::{name}"),
                            &method.sig,
                            &method.attrs,
                            &item.attrs,
                        ));
                    }
                }
            }
        }
        _ => {}
    }
}

/// The lines of the enum `owner` (`graph::Color`) and of its variants.
pub(crate) fn enum_lines_of<'a>(owner: &str, variants: impl Iterator<Item = &'a str>, lines: &mut Vec<String>) {
    for variant in variants {
        lines.push(format!("{owner}::{variant} (variant)"));
    }
    lines.push(format!("{owner} (enum)"));
}

/// `paths::MeMessages::list(&self) -> Request<Collection<graph::Message>>  GET /me/messages [outlook]`:
/// the HTTP line is the one the function's docs show, the features its gate's (or its impl's).
fn function_line(
    owner: &str,
    signature: &syn::Signature,
    attrs: &[syn::Attribute],
    outer: &[syn::Attribute],
) -> String {
    let inputs: Vec<String> = signature.inputs.iter().map(tokens).collect();
    let output = match &signature.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => Some(tokens(ty)),
    };
    let docs: Vec<String> = attrs.iter().flat_map(doc_lines).collect();
    let features = features(attrs).or_else(|| features(outer));
    function_line_of(owner, &signature.ident.to_string(), &inputs, output.as_deref(), &docs, features.as_deref())
}

/// A function's line from its parts as the listing writes them: the owner (`paths::MeMessages`),
/// name, inputs and output, the lines of its docs, and the features that bring it.
pub(crate) fn function_line_of(
    owner: &str,
    name: &str,
    inputs: &[String],
    output: Option<&str>,
    docs: &[String],
    features: Option<&str>,
) -> String {
    let mut line = format!("{owner}::{name}({})", inputs.join(", "));
    if let Some(output) = output {
        line.push_str(" -> ");
        line.push_str(output);
    }
    let http = docs.iter().find_map(|doc| {
        let doc = doc.trim().strip_prefix('`')?;
        let (request, _) = doc.split_once('`')?;
        let method = request.split(' ').next()?;
        matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE").then_some(request)
    });
    if let Some(http) = http {
        line.push_str("  ");
        line.push_str(http);
    }
    if let Some(features) = features {
        line.push_str(&format!(" [{features}]"));
    }
    line
}

/// The lines of a doc attribute (which the emitter writes as a placeholder, see [`crate::emit::docs`]).
fn doc_lines(attr: &syn::Attribute) -> Vec<String> {
    let syn::Meta::NameValue(meta) = &attr.meta else { return Vec::new() };
    if !meta.path.is_ident("doc") {
        return Vec::new();
    }
    match &meta.value {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => crate::emit::docs::lines_of(&text.value()),
        _ => Vec::new(),
    }
}

/// The features a `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]` names, as `a|b`.
fn features(attrs: &[syn::Attribute]) -> Option<String> {
    let cfg = attrs.iter().find(|a| a.path().is_ident("cfg"))?;
    let text = cfg.meta.to_token_stream().to_string();
    let names: Vec<&str> = text.split('"').skip(1).step_by(2).collect();
    (!names.is_empty()).then(|| names.join("|"))
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

/// A type (or a function's input) as the listing writes it.
pub(crate) fn type_text(ty: &proc_macro2::TokenStream) -> String {
    tokens(ty)
}

/// The same for a type already written as Rust (`::std::option::Option<crate::graph::Set>`, as
/// prettyplease writes it on one line), without making it into tokens and text again.
pub(crate) fn written_type_text(text: &str) -> String {
    compact(text)
}

/// Tokens as compact text, with the fully qualified prefixes of the emitted code left out.
fn tokens(node: &impl ToTokens) -> String {
    compact(&node.to_token_stream().to_string())
}

/// Rust text as the listing writes it: a space only between two words, a comma followed by
/// one, and the fully qualified prefixes of the emitted code left out.
fn compact(text: &str) -> String {
    // Text prettyplease wrote on one line has no space to drop; tokens' text has one around each.
    let spaced;
    let compact = if text.contains(' ') {
        spaced = drop_spaces(text);
        spaced.as_str()
    } else {
        text
    };
    // One pass over the compact text, which is most of listing a crate's API: the text is copied
    // in runs between the places where something is left out or written otherwise.
    let bytes = compact.as_bytes();
    let mut out = String::with_capacity(compact.len());
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        // Only at these ASCII bytes (each a character of its own) is the rest looked at.
        let replacement = match bytes[at] {
            b':' | b'c' | b'i' | b',' => {
                let rest = &compact[at..];
                match QUALIFIERS.iter().find(|prefix| rest.starts_with(**prefix)) {
                    Some(prefix) => Some(("", prefix.len())),
                    None => match rest.as_bytes() {
                        // prettyplease ends a wrapped list with a comma, which is layout, not API.
                        [b',', b'>' | b')', ..] => Some(("", 1)),
                        [b',', ..] => Some((", ", 1)),
                        [b':', b'&', ..] => Some((": ", 1)),
                        // `impl Trait` arguments: the word before a path keeps its space (the path's
                        // `::` is read on, as a qualifier it may start is left out).
                        _ if rest.starts_with(":impl::") => Some((": impl ", 5)),
                        _ if rest.starts_with("impl::") => Some(("impl ", 4)),
                        _ => None,
                    },
                }
            }
            _ => None,
        };
        match replacement {
            Some((written, taken)) => {
                out.push_str(&compact[copied..at]);
                out.push_str(written);
                at += taken;
                copied = at;
            }
            None => at += 1,
        }
    }
    out.push_str(&compact[copied..]);
    out
}

/// proc-macro2 puts a space around every token; only those between two words are kept.
fn drop_spaces(text: &str) -> String {
    let mut compact = String::with_capacity(text.len());
    let mut previous = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        let keep =
            c != ' ' || (previous.is_alphanumeric() || previous == '_') && (next.is_alphanumeric() || next == '_');
        if keep {
            compact.push(c);
        }
        if c != ' ' || keep {
            previous = c;
        }
    }
    compact
}

/// The fully qualified prefixes of the emitted code, which the listing leaves out.
const QUALIFIERS: [&str; 8] = [
    "::std::option::",
    "::std::result::",
    "::std::string::",
    "::std::vec::",
    "::std::boxed::",
    "::std::convert::",
    "::docbind_runtime::",
    "crate::",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_qualifier_starts_as_compact_looks_for_it() {
        assert!(QUALIFIERS.iter().all(|q| q.starts_with(':') || q.starts_with('c')), "{QUALIFIERS:?}");
    }

    /// The first way `compact` was written: a character at a time, every qualifier tried at each
    /// (the spaces dropped always, even from text without any).
    /// Rust text as the listing writes it: a space only between two words, a comma followed by
    /// one, and the fully qualified prefixes of the emitted code left out.
    fn compact_by_characters(text: &str) -> String {
        let compact = drop_spaces(text);
        let mut out = String::new();
        let mut rest = compact.as_str();
        while let Some(c) = rest.chars().next() {
            if let Some(after) = QUALIFIERS.iter().find_map(|prefix| rest.strip_prefix(prefix)) {
                rest = after;
                continue;
            }
            let (text, taken) = match rest.as_bytes() {
                [b',', b'>' | b')', ..] => ("", 1),
                [b',', ..] => (", ", 1),
                [b':', b'&', ..] => (": ", 1),
                _ if rest.starts_with(":impl::") => (": impl ", 5),
                _ if rest.starts_with("impl::") => ("impl ", 4),
                _ => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                    continue;
                }
            };
            out.push_str(text);
            rest = &rest[taken..];
        }
        out
    }

    /// `compact` writes what the character-at-a-time reading wrote, on texts drawn from the pieces
    /// it treats apart (qualifiers and their parts, `impl`, commas, spaces, a letter beyond ASCII).
    #[test]
    fn compact_agrees_with_reading_a_character_at_a_time() {
        let pieces: Vec<&str> = QUALIFIERS
            .iter()
            .copied()
            .chain([
                ":", "::", "c", "crate", "impl", "impl::", ":impl::", ",", ">", ")", "&", " ", "x", "_", "é", "std",
                "Option<",
            ])
            .collect();
        let mut rng = crate::emit::random::Lcg(11);
        let mut draw = |n: usize| rng.below(n);
        for _ in 0..30_000 {
            let text: String = (0..draw(14)).map(|_| pieces[draw(pieces.len())]).collect();
            assert_eq!(compact(&text), compact_by_characters(&text), "{text:?}");
        }
    }

    #[test]
    fn lists_public_items_with_compact_signatures() {
        let module = r#"
            pub struct Group {
                pub display_name: ::std::option::Option<::std::vec::Vec<crate::graph::Set,>>,
                hidden: u8,
            }
            pub enum Scope { Global, Undocumented(::std::string::String) }
            pub fn get_group(group_id: &str) -> ::docbind_runtime::Request<crate::graph::Group> { todo!() }
            fn private() {}
        "#;
        let files = BTreeMap::from([("graph.rs".to_string(), module.to_string())]);
        assert_eq!(
            listing(&files),
            "graph (mod)\n\
             graph::Group (struct)\n\
             graph::Group.display_name: Option<Vec<graph::Set>>\n\
             graph::Scope (enum)\n\
             graph::Scope::Global (variant)\n\
             graph::Scope::Undocumented (variant)\n\
             graph::get_group(group_id: &str) -> Request<graph::Group>\n"
        );
    }
}
