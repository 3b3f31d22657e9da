//! The one place where doc names become Rust identifiers.
//!
//! Every emitted identifier goes through here, so keywords, `@odata.*` names, leading digits and
//! punctuation are handled the same way everywhere. A name that had to change is recased or escaped
//! deterministically; callers compare the result with the doc name to decide on `serde(rename)`.

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

/// The words of a doc name. Only ASCII letters and digits belong to words; everything else breaks
/// them (`@odata.type` → `odata`, `type`). Within a run of letters and digits, a word ends where
/// camel case starts a new one: `createdDateTime` → `created`, `Date`, `Time`; `HTTPRequest` →
/// `HTTP`, `Request`; a digit stays with the word it follows (`version2Name` → `version2`, `Name`).
/// These are heck's word boundaries, which docbind used before, so names did not change.
///
/// Not every Unicode letter or digit may start an identifier (a combining mark such as U+0616, `½`),
/// and rustc's `uncommon_codepoints` and `confusable_idents` lints would fail `#![deny(warnings)]`
/// on many that may. Graph's names are ASCII; a name with none left falls back to a fixed word.
fn words(name: &str) -> Vec<&str> {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        None,
        Lower,
        Upper,
    }
    let mut words = Vec::new();
    for run in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|run| !run.is_empty()) {
        let bytes = run.as_bytes();
        let mut start = 0;
        // The case of the last letter since the word started; digits do not change it.
        let mut case = Case::None;
        for (i, pair) in bytes.windows(2).enumerate() {
            let (this, next) = (pair[0], pair[1]);
            let this_case = match this {
                b'a'..=b'z' => Case::Lower,
                b'A'..=b'Z' => Case::Upper,
                _ => case,
            };
            if this_case == Case::Lower && next.is_ascii_uppercase() {
                // `dD` in `createdDate`: the new word starts at `D`.
                words.push(&run[start..=i]);
                start = i + 1;
                case = Case::None;
            } else if case == Case::Upper && this.is_ascii_uppercase() && next.is_ascii_lowercase() {
                // `PR` in `HTTPRequest`: the new word starts at `R`.
                words.push(&run[start..i]);
                start = i;
                case = Case::None;
            } else {
                case = this_case;
            }
        }
        words.push(&run[start..]);
    }
    words
}

/// `created_date_time`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for word in words(name) {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// `CreatedDateTime`.
fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in words(name) {
        let mut chars = word.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.extend(chars.map(|c| c.to_ascii_lowercase()));
    }
    out
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
    finish(pascal_case(simple), "Type")
}

/// A name's words in Pascal case, for putting together with others (`mail_folders` → `MailFolders`):
/// no keyword or leading-digit escapes, which only the whole name needs.
pub fn pascal_words(name: &str) -> String {
    pascal_case(name)
}

/// Whether a name is a Rust keyword (it then needs an escape as a whole name).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `createdDateTime` → `created_date_time`; `@odata.type` → `odata_type`; `self` → `self_`.
pub fn field_name(doc_name: &str) -> String {
    finish(snake_case(doc_name), "field")
}

/// `siteCollection` → `SiteCollection`.
pub fn variant_name(doc_name: &str) -> String {
    finish(pascal_case(doc_name), "Value")
}

/// `Update relations` → `update_relations`.
pub fn function_name(title: &str) -> String {
    finish(snake_case(title), "operation")
}

/// Every capital letter starting a word of its own (`printerID` → `printer_i_d`): the fallback of a
/// field whose usual name another field of its type took (`printerId`).
pub fn field_name_exact(doc_name: &str) -> String {
    finish(exact_words(doc_name).join("_"), "field")
}

/// The Pascal-case fallback of a type name (`callRecordID` → `CallRecordID`).
pub fn type_name_exact(doc_name: &str) -> String {
    let simple = doc_name.rsplit('.').next().unwrap_or(doc_name);
    finish(exact_words(simple).iter().map(|w| capitalized(w)).collect(), "Type")
}

/// The Pascal-case fallback of a variant name (`remote_Control_Software` → `Remote_Control_Software`
/// without the underscores, each capital its own word: `RemoteControlSoftware` is the usual one).
pub fn variant_name_exact(doc_name: &str) -> String {
    finish(exact_words(doc_name).iter().map(|w| capitalized(w)).collect(), "Value")
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars).collect()
}

/// Words split at every capital letter and every character that is not an ASCII letter or digit,
/// lowercased; a leading underscore or `$` is a word of its own (`_summary` → `u`, `summary`).
fn exact_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 0 && (c == '_' || c == '$') {
            words.push(if c == '_' { "u".into() } else { "d".into() });
        } else if c.is_ascii_uppercase() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `microsoft.graph` → `graph`; `microsoft.graph.termStore` → `term_store`.
pub fn module_name(namespace: &str) -> String {
    let rest = namespace.strip_prefix("microsoft.graph.").unwrap_or(namespace);
    let rest = if rest == "microsoft.graph" { "graph" } else { rest };
    finish(snake_case(rest), "namespace")
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

/// The names taken in one scope (a module, a struct's fields, a step's methods). Public names are
/// claimed only after [`Scope::is_taken`] said they are free, with a fallback that says more when
/// not: numbers are kept for private items ([`Scope::claim_numbered`], the example tests).
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name` when it is free (and not empty); otherwise gives it back, for the caller to
    /// make its other spellings and try them ([`Scope::claim_first`]). Nearly every name is free,
    /// so callers make those spellings only on this path.
    pub fn claim_free(&mut self, name: String) -> Result<String, String> {
        if name.is_empty() || self.is_taken(&name) {
            Err(name)
        } else {
            Ok(self.claim(name))
        }
    }

    /// Takes a name that the caller made sure is free.
    pub fn claim(&mut self, name: String) -> String {
        let fresh = self.taken.insert(name.clone());
        debug_assert!(fresh, "`{name}` was claimed twice in one scope");
        name
    }

    /// Takes the first free name of `wanted` (best first); when none is free, the last one with
    /// `_as_written` (`AsWritten` for types and variants), then `_again`, until it is. Says whether
    /// the best one was free, so that callers can report the rest (DB012).
    pub fn claim_first(&mut self, wanted: &[String]) -> (String, bool) {
        let free = wanted.iter().position(|name| !name.is_empty() && !self.is_taken(name));
        let name = match free {
            Some(i) => wanted[i].clone(),
            None => {
                let pascal = wanted[0].starts_with(|c: char| c.is_ascii_uppercase());
                let (first, again) = if pascal { ("AsWritten", "Again") } else { ("_as_written", "_again") };
                let mut name = format!("{}{first}", wanted.last().cloned().unwrap_or_default());
                while self.is_taken(&name) {
                    name.push_str(again);
                }
                name
            }
        };
        (self.claim(name), free == Some(0))
    }

    /// A unique name by appending `_2`, `_3`, ... (`Name2` for types and variants): only for items
    /// users never name, such as generated tests.
    pub fn claim_numbered(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
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
    fn exact_names_tell_spellings_apart() {
        assert_eq!(field_name("printerID"), field_name("printerId"));
        assert_eq!(field_name_exact("printerID"), "printer_i_d");
        assert_eq!(field_name_exact("_summary"), "u_summary");
        assert_eq!(variant_name_exact("remote_Control_Software"), "RemoteControlSoftware");
        assert_eq!(type_name_exact("microsoft.graph.callRecordID"), "CallRecordID");
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

    /// The words are heck's (which docbind used until its per-character formatting showed in
    /// profiles): every string of up to six characters from a telling alphabet, and real names,
    /// recase as heck recases them once non-ASCII has become word breaks.
    #[test]
    fn recasing_agrees_with_heck() {
        use heck::{ToPascalCase, ToSnakeCase};
        let ascii_only =
            |name: &str| -> String { name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect() };
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '.'];
        let mut names = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..6 {
            names = names.iter().flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}"))).collect();
            all.extend(names.iter().cloned());
        }
        all.extend(
            ["createdDateTime", "HTTPRequest", "@odata.type", "version2Name", "iOSApp", "ABCd", "a1B2c3", "x_Y.z"]
                .map(String::from),
        );
        for name in &all {
            assert_eq!(snake_case(name), ascii_only(name).to_snake_case(), "snake case of {name:?}");
            assert_eq!(pascal_case(name), ascii_only(name).to_pascal_case(), "pascal case of {name:?}");
        }
    }

    #[test]
    fn private_names_are_numbered_deterministically() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim_numbered("get".into()), "get");
        assert_eq!(scope.claim_numbered("get".into()), "get_2");
        assert_eq!(scope.claim_numbered("get".into()), "get_3");
        assert_eq!(scope.claim_numbered("Status".into()), "Status");
        assert_eq!(scope.claim_numbered("Status".into()), "Status2");
        assert!(scope.is_taken("get_2") && !scope.is_taken("get_4"));
    }
}
