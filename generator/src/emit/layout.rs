//! The plan of the emitted files and their formatting.
//!
//! Each file is its module docs plus a sorted list of [`Unit`]s, each one item or a few that belong
//! together (a path step's struct and its impl). Units are made into tokens, parsed and formatted
//! one at a time on rayon's pool: tokens cannot cross threads, but the formatted text can, and no
//! file's tokens are ever held whole (`graph.rs` of v1.0 is 5 MB of source). The public API lines
//! of a unit are read from the same parsed items, so the listing costs no second parse.

use proc_macro2::TokenStream;
use rayon::prelude::*;

use super::Context;
use crate::areas::Gate;
use crate::ir::{EnumDef, TypeDef};

/// Which part of a struct a unit is: files put every definition first and the `Model` impls
/// (plumbing for the runtime, no API of their own) after, so that the source reads like an API.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Definition,
    Plumbing,
}

/// What one unit of a file is made from.
pub(super) enum Unit<'a> {
    Struct(&'a TypeDef, Part),
    Enum(&'a EnumDef),
    /// The `Any…` enum of a polymorphic base.
    Polymorphic(&'a str),
    /// The struct and impl of a node of the path tree.
    Step(usize),
    /// The parameter struct of an action, from the operation that documents it first, with the
    /// gate of every request method that takes it.
    Body(usize, Option<Gate>, Part),
    /// The first steps and the requests to the root, as functions.
    Roots,
}

impl Context<'_> {
    fn render(&self, unit: &Unit<'_>) -> TokenStream {
        match unit {
            Unit::Struct(def, part) => self.struct_item(def, *part),
            Unit::Enum(def) => self.enum_item(def),
            Unit::Polymorphic(base) => self.polymorphic_item(base),
            Unit::Step(node) => self.step_item(*node),
            Unit::Body(operation, gate, part) => self.body_item(*operation, gate.as_ref(), *part),
            Unit::Roots => self.root_functions(),
        }
    }
}

/// A file to emit: its module docs and its units in order (definitions, then plumbing).
pub(super) struct FilePlan<'a> {
    pub name: String,
    pub docs: String,
    pub units: Vec<Unit<'a>>,
    /// The module its items are listed under in the API listing (`None`: not listed).
    pub api_module: Option<String>,
}

/// A formatted unit: its text and, when asked for, its API lines.
struct Formatted {
    text: String,
    api: Vec<String>,
}

/// Formats every unit of every file, in parallel; gives each file's text, and the API lines of all
/// files when `api` is set.
pub(super) fn write(cx: &Context<'_>, files: Vec<FilePlan<'_>>, api: bool) -> (Vec<(String, String)>, Vec<String>) {
    let jobs: Vec<(usize, &Unit<'_>)> =
        files.iter().enumerate().flat_map(|(f, file)| file.units.iter().map(move |unit| (f, unit))).collect();
    let formatted: Vec<Formatted> = jobs
        .par_iter()
        .map(|&(f, unit)| {
            let module = if api { files[f].api_module.as_deref() } else { None };
            format_unit(cx.render(unit), module)
        })
        .collect();
    // Each unit's text is dropped once copied, and each file is sized once: the output is held
    // about once, not twice, at the peak.
    let mut formatted = formatted.into_iter();
    let mut out = Vec::with_capacity(files.len());
    let mut lines = Vec::new();
    for file in files {
        let units: Vec<Formatted> = formatted.by_ref().take(file.units.len()).collect();
        let docs = format_items(super::inner_doc_attrs(file.docs));
        let mut text = String::with_capacity(docs.len() + units.iter().map(|u| u.text.len() + 1).sum::<usize>());
        text.push_str(&docs);
        let mut first = true;
        for unit in units {
            if !unit.text.is_empty() {
                if !first {
                    text.push('\n');
                }
                first = false;
                text.push_str(&unit.text);
            }
            lines.extend(unit.api);
        }
        if api {
            if let Some(module) = file.api_module.as_deref().filter(|m| *m != "crate") {
                lines.push(format!("{module} (mod)"));
            }
        }
        out.push((file.name, text));
    }
    (out, lines)
}

/// The items of `tokens`, formatted, with a blank line between them.
pub(super) fn format_tokens(tokens: TokenStream) -> String {
    format_unit(tokens, None).text
}

fn format_unit(tokens: TokenStream, api_module: Option<&str>) -> Formatted {
    let file = match syn::parse2::<syn::File>(tokens) {
        Ok(file) => file,
        // A bug in the emitter, not in the docs: keep the error so the failure is visible in review.
        Err(error) => {
            return Formatted { text: format!("compile_error!({:?});\n", error.to_string()), api: Vec::new() };
        }
    };
    let mut api = Vec::new();
    let mut text = String::new();
    for (n, item) in file.items.into_iter().enumerate() {
        if let Some(module) = api_module {
            crate::api::item_lines(module, &item, &mut api);
        }
        if n > 0 {
            text.push('\n');
        }
        text.push_str(&prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] }));
    }
    Formatted { text, api }
}

/// Formats a whole file item by item, with a blank line between items (but not after the module
/// docs or between `mod` declarations) so that the output reads and diffs well.
pub(super) fn format_items(tokens: TokenStream) -> String {
    let file = match syn::parse2::<syn::File>(tokens) {
        Ok(file) => file,
        // A bug in the emitter, not in the docs: keep the raw tokens so the failure is visible in review.
        Err(error) => return format!("compile_error!({:?});\n", error.to_string()),
    };
    let unparse = |attrs, items| prettyplease::unparse(&syn::File { shebang: None, attrs, items });
    let mut text = unparse(file.attrs, Vec::new());
    let mut previous_is_mod = None;
    for item in file.items {
        let is_mod = matches!(item, syn::Item::Mod(_));
        if previous_is_mod.is_some_and(|previous| !(previous && is_mod)) {
            text.push('\n');
        }
        previous_is_mod = Some(is_mod);
        text.push_str(&unparse(Vec::new(), vec![item]));
    }
    text
}
