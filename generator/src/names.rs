//! The one place where doc names become Rust identifiers.
//!
//! Every emitted identifier goes through here, so keywords, `@odata.*` names, leading digits and
//! punctuation are handled the same way everywhere. A name that had to change is recased or escaped
//! deterministically; callers compare the result with the doc name to decide on `serde(rename)`.

use heck::{ToPascalCase, ToSnakeCase};
use std::collections::BTreeSet;

/// Strict, reserved and edition keywords; a name equal to one of these gets a trailing `_`
/// (raw identifiers cannot express `self`, `super`, `crate` or `Self`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The variant every emitted enum has for values its docs do not list. Not `Unknown`: 56 Graph enums
/// have a member named `unknown`.
pub const UNDOCUMENTED_VARIANT: &str = "Undocumented";

/// ASCII letters and digits only, everything else a word break; `@odata.type` → `odata type`.
///
/// Not every Unicode letter or digit may start an identifier (a combining mark such as U+0616, `½`),
/// and rustc's `uncommon_codepoints` and `confusable_idents` lints would fail `#![deny(warnings)]`
/// on many that may. Graph's names are ASCII; a name with none left falls back to a fixed word.
fn words(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect::<String>()
}

fn finish(mut ident: String, fallback: &str) -> String {
    if ident.is_empty() {
        ident = fallback.to_string();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, if fallback.starts_with(char::is_uppercase) { "N" } else { "n" });
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// `relationType` → `RelationType`; `microsoft.graph.termStore.term` → `Term`.
pub fn type_name(doc_name: &str) -> String {
    let simple = doc_name.rsplit('.').next().unwrap_or(doc_name);
    finish(words(simple).to_pascal_case(), "Type")
}

/// `createdDateTime` → `created_date_time`; `@odata.type` → `odata_type`; `self` → `self_`.
pub fn field_name(doc_name: &str) -> String {
    finish(words(doc_name).to_snake_case(), "field")
}

/// `siteCollection` → `SiteCollection`.
pub fn variant_name(doc_name: &str) -> String {
    finish(words(doc_name).to_pascal_case(), "Value")
}

/// `Update relations` → `update_relations`.
pub fn function_name(title: &str) -> String {
    finish(words(title).to_snake_case(), "operation")
}

/// `microsoft.graph` → `graph`; `microsoft.graph.termStore` → `term_store`.
pub fn module_name(namespace: &str) -> String {
    let rest = namespace.strip_prefix("microsoft.graph.").unwrap_or(namespace);
    let rest = if rest == "microsoft.graph" { "graph" } else { rest };
    finish(words(rest).to_snake_case(), "namespace")
}

/// The Cargo feature of a product area: `identity-and-sign-in`, `SharePoint` → `sharepoint`,
/// an unsaid area → `general`.
pub fn feature_name(area: &str) -> String {
    let mut out = String::new();
    for c in area.trim().trim_matches(['\'', '"']).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() || out == "default" {
        "general".to_string()
    } else {
        out.to_string()
    }
}

/// Hands out names that are unique within one scope by appending `_2`, `_3`, ...
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        // `name_2` for snake_case names, `Name2` for types and variants (which must stay CamelCase).
        let sep = if wanted.ends_with('_') || wanted.starts_with(char::is_uppercase) { "" } else { "_" };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|c| self.taken.insert(c.clone()))
            .expect("an unused suffix exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_names_become_valid_identifiers() {
        assert_eq!(field_name("createdDateTime"), "created_date_time");
        assert_eq!(field_name("@odata.type"), "odata_type");
        assert_eq!(field_name("site@odata.bind"), "site_odata_bind");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("3dModel"), "n3d_model");
        assert_eq!(type_name("microsoft.graph.termStore.relationType"), "RelationType");
        assert_eq!(variant_name("siteCollection"), "SiteCollection");
        assert_eq!(module_name("microsoft.graph.termStore"), "term_store");
        assert_eq!(module_name("microsoft.graph"), "graph");
        assert_eq!(function_name("Update relations"), "update_relations");
    }

    #[test]
    fn names_outside_ascii_become_ascii_identifiers() {
        assert_eq!(type_name("microsoft.graph.termStore.\u{616}n"), "N");
        assert_eq!(type_name("microsoft.graph.\u{616}"), "Type");
        assert_eq!(field_name("\u{bd}size"), "size");
        assert_eq!(field_name("\u{e9}t\u{e9}"), "t");
        assert_eq!(variant_name("\u{3a9}"), "Value");
        for name in ["\u{616}n", "\u{bd}", "\u{2162}x", "a\u{301}b"] {
            for ident in [type_name(name), field_name(name), variant_name(name), function_name(name)] {
                assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{name:?} gave {ident:?}");
            }
        }
    }

    #[test]
    fn scopes_disambiguate_deterministically() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("get".into()), "get");
        assert_eq!(scope.claim("get".into()), "get_2");
        assert_eq!(scope.claim("get".into()), "get_3");
        assert_eq!(scope.claim("Status".into()), "Status");
        assert_eq!(scope.claim("Status".into()), "Status2");
    }
}
