//! The plan of the emitted files and their formatting.
//!
//! Each file is its module docs plus a sorted list of [`Unit`]s, each one item or a few that belong
//! together (a path step's struct and its impl). Units are made into tokens, parsed and formatted
//! one at a time on rayon's pool: tokens cannot cross threads, but the formatted text can, and no
//! file's tokens are ever held whole (`graph.rs` of v1.0 is 5 MB of source). The public API lines
//! of a unit are read from the same parsed items, so the listing costs no second parse. Records,
//! path steps and enums are written as text in prettyplease's layout instead, with their API
//! lines, and fall back to tokens where the text cannot follow it.

use proc_macro2::TokenStream;
use rayon::prelude::*;

use super::function::Step;
use super::model_impl::ModelImpl;
use super::record::Record;
use super::string_enum::StringEnum;
use super::Context;
use crate::areas::Gate;
use crate::ir::{CallId, EnumDef, TypeDef};

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
    /// The parameter struct of an action, from the request line that documents it first, with the
    /// gate of every request method that takes it.
    Body(CallId, Option<Gate>, Part),
    /// The first steps and the requests to the root, as functions.
    Roots,
}

/// A unit made ready to format: tokens for syn and prettyplease, or text already laid out in
/// their layout, with its API lines.
enum Rendered {
    Tokens(TokenStream),
    Text(Formatted),
}

impl Rendered {
    fn text(text: String) -> Self {
        Rendered::Text(Formatted { text, api: Vec::new() })
    }

    /// A `Model` impl as text, or as tokens where the text cannot follow prettyplease; nothing
    /// for a body that has no struct. It has no API (a trait impl).
    fn model_impl(model: Option<ModelImpl<'_>>) -> Self {
        let Some(model) = model else { return Rendered::text(String::new()) };
        match model.text() {
            Some(text) => Rendered::text(text),
            None => Rendered::Tokens(model.tokens()),
        }
    }

    /// A record's definition as text; nothing for a body that has no struct.
    fn record(record: Option<Record<'_>>, api_module: Option<&str>) -> Self {
        let Some(record) = record else { return Rendered::text(String::new()) };
        let (text, api) = record.text(api_module);
        Rendered::Text(Formatted { text, api })
    }
}

impl Rendered {
    /// An enum and its conversions as text, or as tokens where the text cannot follow
    /// prettyplease.
    fn string_enum(def: StringEnum<'_>, api_module: Option<&str>) -> Self {
        match def.text(api_module) {
            Some((text, api)) => Rendered::Text(Formatted { text, api }),
            None => Rendered::Tokens(def.tokens()),
        }
    }

    /// A path step as text, or as tokens where the text cannot follow prettyplease.
    fn step(step: Step<'_>, api_module: Option<&str>) -> Self {
        match step.text(api_module) {
            Some((text, api)) => Rendered::Text(Formatted { text, api }),
            None => Rendered::Tokens(step.tokens()),
        }
    }
}

impl Context<'_> {
    /// A unit's tokens or text; `api_module` is the module its API lines are listed under, when
    /// they are asked for.
    fn render(&self, unit: &Unit<'_>, api_module: Option<&str>) -> Rendered {
        match unit {
            Unit::Struct(def, Part::Definition) => Rendered::record(Some(self.struct_record(def)), api_module),
            Unit::Struct(def, Part::Plumbing) => Rendered::model_impl(Some(self.struct_model_impl(def))),
            Unit::Enum(def) => Rendered::string_enum(self.string_enum(def), api_module),
            Unit::Polymorphic(base) => {
                let (text, api) = self.polymorphic_enum(base).text(api_module);
                Rendered::Text(Formatted { text, api })
            }
            Unit::Step(node) => Rendered::step(self.step(*node), api_module),
            Unit::Body(call, gate, Part::Definition) => {
                Rendered::record(self.body_record(*call, gate.as_ref()), api_module)
            }
            Unit::Body(call, gate, Part::Plumbing) => Rendered::model_impl(self.body_model_impl(*call, gate.as_ref())),
            Unit::Roots => Rendered::Tokens(self.root_functions()),
        }
    }
}

/// A file to emit: its module docs and its units in order (definitions, then plumbing).
pub(super) struct FilePlan<'a> {
    pub name: String,
    pub docs: String,
    pub units: Vec<Unit<'a>>,
}

/// A formatted unit: its text and, when asked for, its API lines.
struct Formatted {
    text: String,
    api: Vec<String>,
}

/// Formats every unit of every file, in parallel; gives each file's text, and the API lines of all
/// files when `api` is set.
pub(super) fn write(cx: &Context<'_>, files: Vec<FilePlan<'_>>, api: bool) -> (Vec<(String, String)>, Vec<String>) {
    let jobs: Vec<(Option<&str>, &Unit<'_>)> = files
        .iter()
        .flat_map(|file| {
            let module = crate::api::listed_as(&file.name).filter(|_| api);
            file.units.iter().map(move |unit| (module, unit))
        })
        .collect();
    let formatted: Vec<Formatted> = jobs
        .par_iter()
        .map(|&(module, unit)| match cx.render(unit, module) {
            Rendered::Tokens(tokens) => format_unit(tokens, module),
            Rendered::Text(formatted) => formatted,
        })
        .collect();
    // Each unit's text is dropped once copied: the output is held about once, not twice, at the peak.
    let mut formatted = formatted.into_iter();
    let mut lines = Vec::new();
    let mut parts = Vec::with_capacity(files.len());
    for file in files {
        let mut texts = Vec::with_capacity(file.units.len());
        for unit in formatted.by_ref().take(file.units.len()) {
            texts.push(unit.text);
            lines.extend(unit.api);
        }
        if api {
            lines.extend(crate::api::listed_as(&file.name).and_then(crate::api::module_line));
        }
        parts.push((file.name, file.docs, texts));
    }
    let out = parts.into_par_iter().map(|(name, docs, texts)| (name, file_text(docs, texts))).collect();
    (out, lines)
}

/// A file: its module docs, then its items' texts with a blank line between them (an empty one,
/// such as a body no method takes, leaves no gap). Sized once.
pub(super) fn file_text(docs: String, items: Vec<String>) -> String {
    let docs = format_items(super::inner_doc_attrs(docs));
    let items: Vec<String> = items.into_iter().filter(|text| !text.is_empty()).collect();
    let mut text = String::with_capacity(docs.len() + items.iter().map(|t| t.len() + 1).sum::<usize>());
    text.push_str(&docs);
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            text.push('\n');
        }
        text.push_str(item);
    }
    text
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
    Formatted { text: super::docs::fill(text), api }
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
    super::docs::fill(text)
}
