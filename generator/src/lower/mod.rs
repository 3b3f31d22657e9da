//! Stage 3: the sections of one page → that page's part of the model (IR).
//!
//! Takes [`PageSections`]; gives a [`Model`] holding the types, enums and operations the page
//! describes, with type references still written as doc names (resolution across pages is the next
//! stage). Page kind is decided by content — what sections and annotations a page has — not by its
//! folder or `doc_type`, which disagree on dozens of real pages.

use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostics, Source};
use crate::ir::*;
use crate::json;
use crate::markdown::Inline;
use crate::sections::{CodeItem, Item, PageSections, Section, Table};

mod enums;
mod examples;
mod operations;
mod permissions;
mod types;

use crate::template::{parse_path, request_line};
pub use enums::possible_values;
use examples::*;
pub use types::parse_type_text;
use types::*;

const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// Facts about a page that are not part of the model, for the corpus report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PageStats {
    /// Documents an API call: has an HTTP request section or example requests, or says `apiPageType`.
    pub api_page: bool,
    /// Has an `HTTP request` section.
    pub http_request_section: bool,
    /// JSON bodies (request, response, resource, example) that were looked at, and how many parsed.
    pub json_bodies: u32,
    pub json_bodies_parsed: u32,
}

pub fn lower(page: &PageSections, diagnostics: &mut Diagnostics) -> (Model, PageStats) {
    let namespace = page.namespace.clone().filter(|ns| !ns.is_empty()).unwrap_or_else(|| implied_namespace(&page.file));
    let cx = Page { page, namespace };
    let mut findings = Findings { diagnostics, json_bodies: 0, json_bodies_parsed: 0 };
    // Each extractor returns what it found; tables imply types and enums on the way (a body
    // table's type, a row's "Possible values"), kept in the order the page is read.
    let enums = cx.enums();
    let types = cx.types(&mut findings);
    let operations = cx.operations(&mut findings);
    let mut model = Model { namespaces: vec![cx.namespace.clone()], enums, ..Model::default() };
    for found in [types, operations] {
        model.types.extend(found.types);
        model.enums.extend(found.enums);
        model.operations.extend(found.operations);
    }
    for code in cx.codes().filter(|c| c.block_type() == Some("example")) {
        cx.read_json(code, &mut findings);
    }
    let http_request_section = page.sections.iter().any(|s| s.title.starts_with("http request"));
    let api_page = http_request_section
        || cx.codes().any(|c| c.block_type() == Some("request"))
        || page.front_matter.doc_type.as_deref() == Some("apiPageType") && page.title.is_some();
    let stats = PageStats {
        api_page,
        http_request_section,
        json_bodies: findings.json_bodies,
        json_bodies_parsed: findings.json_bodies_parsed,
    };
    (model, stats)
}

/// Pages without a `Namespace:` line are in `microsoft.graph`, except enum pages named after their
/// namespace (`enums-managedtenants.md`); resolve settles the casing against other pages.
fn implied_namespace(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file).trim_end_matches(".md");
    match name.strip_prefix("enums-") {
        Some(suffix) if is_identifier(suffix) => format!("{DEFAULT_NAMESPACE}.{suffix}"),
        _ => DEFAULT_NAMESPACE.to_string(),
    }
}

/// What an extractor found on a page: its own items, and the types and enums its tables imply.
#[derive(Default)]
struct Found {
    types: Vec<TypeDef>,
    enums: Vec<EnumDef>,
    operations: Vec<Operation>,
}

struct Page<'a> {
    page: &'a PageSections<'a>,
    namespace: String,
}

/// What reading a page finds besides its model: diagnostics, and how many JSON bodies it looked at
/// and could read (for the corpus report).
struct Findings<'d> {
    diagnostics: &'d mut Diagnostics,
    json_bodies: u32,
    json_bodies_parsed: u32,
}

impl Page<'_> {
    fn at(&self, offset: usize) -> Source {
        self.page.lines.source(offset)
    }

    fn qualify(&self, name: &str) -> String {
        if name.contains('.') {
            name.trim_start_matches('#').to_string()
        } else {
            format!("{}.{}", self.namespace, name)
        }
    }

    /// The first paragraph that says what the page is about.
    fn description(&self) -> String {
        self.page
            .intro
            .iter()
            .find_map(|item| match item {
                // Not DocFX includes, nor the notes and warnings that often come first.
                Item::Paragraph(p) if !p.text.is_empty() && !is_aside(&p.text) => Some(p.text.to_string()),
                _ => None,
            })
            .or_else(|| self.page.front_matter.description.clone())
            .unwrap_or_default()
    }

    /// The product area the page belongs to (`ms.prod` of its front matter: `outlook`, `intune`; or
    /// `ms.subservice` on current pages, which have no `ms.prod`).
    /// A placeholder (`**TODO: Add ms prod. See [...](...)**` on the seed page) is no area; Intune
    /// pages are split by the part their file name gives.
    fn area(&self) -> String {
        // Pages edited since 2023 name their area in `ms.subservice` and no longer have `ms.prod`.
        let fields = &self.page.front_matter.fields;
        let area = fields.get("ms.prod").or_else(|| fields.get("ms.subservice"));
        let area = area.map(|a| a.trim().to_lowercase()).unwrap_or_default();
        let plain = area.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '\'' | '"'));
        if !plain {
            return String::new();
        }
        // Intune is a third of Graph; its pages name their part (`intune-apps-…`, `intune-mam-…`),
        // which makes areas of a size one would compile alone.
        let file = self.page.file.rsplit('/').next().unwrap_or_default();
        match file.strip_prefix("intune-").and_then(|rest| rest.split_once('-')) {
            Some((part, _)) if area.trim_matches(['\'', '"']) == "intune" => format!("intune-{part}"),
            _ => area,
        }
    }

    fn read_json(&self, code: &CodeItem, findings: &mut Findings) -> Option<serde_json::Value> {
        let message = HttpMessage { start: None, headers: Vec::new(), body: &code.text, body_offset: 0 };
        self.example_body(code, &message, findings)
    }

    fn codes(&self) -> impl Iterator<Item = &CodeItem<'_>> {
        self.page.intro.iter().chain(self.page.sections.iter().flat_map(|s| s.items.iter())).filter_map(|i| match i {
            Item::Code(c) => Some(c),
            _ => None,
        })
    }
}

fn tables<'s, 'a>(section: &'s Section<'a>) -> impl Iterator<Item = &'s Table<'a>> {
    section.items.iter().filter_map(|i| match i {
        Item::Table(t) => Some(t),
        _ => None,
    })
}

fn codes_of<'s, 'a>(section: &'s Section<'a>) -> impl Iterator<Item = &'s CodeItem<'a>> {
    section.items.iter().filter_map(|i| match i {
        Item::Code(c) => Some(c),
        _ => None,
    })
}

fn is_http(info: &str) -> bool {
    let info = info.to_lowercase();
    info.is_empty() || info == "http" || info == "msgraph-interactive"
}

fn flag(value: Option<&serde_json::Value>) -> bool {
    match value {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn namespace_of(qualified: &str) -> String {
    qualified.rsplit_once('.').map_or_else(|| DEFAULT_NAMESPACE.to_string(), |(ns, _)| ns.to_string())
}

/// A name cell without markup: `**id**`, `` `id` ``.
fn clean_name(text: &str) -> String {
    text.trim().trim_matches(['*', '`', ' ']).to_string()
}

/// A paragraph that is an aside rather than a description: `[!INCLUDE ...]`, `[!NOTE]`, "Note: ...".
fn is_aside(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    ["[!", "note:", "important:", "caution:", "warning:", "tip:"].iter().any(|prefix| lower.starts_with(prefix))
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}
