//! Stage 3: the sections of one page → that page's part of the model (IR).
//!
//! Takes [`PageSections`]; gives a [`Model`] holding the types, enums and operations the page
//! describes, with type references still written as doc names (resolution across pages is the next
//! stage). Page kind is decided by content — what sections and annotations a page has — not by its
//! folder or `doc_type`, which disagree on dozens of real pages.

use std::cell::Cell;
use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostics, Source};
use crate::ir::*;
use crate::json;
use crate::markdown::Inline;
use crate::sections::{CodeItem, Item, PageSections, Section, Table};

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
    let cx = Page { page, namespace, json_bodies: Cell::new(0), json_bodies_parsed: Cell::new(0) };
    let mut model = Model { namespaces: vec![cx.namespace.clone()], ..Model::default() };
    cx.enums(&mut model);
    cx.types(&mut model, diagnostics);
    cx.operations(&mut model, diagnostics);
    for code in cx.codes().filter(|c| c.block_type() == Some("example")) {
        cx.read_json(code, diagnostics);
    }
    let http_request_section = page.sections.iter().any(|s| s.title.starts_with("http request"));
    let api_page = http_request_section
        || cx.codes().any(|c| c.block_type() == Some("request"))
        || page.front_matter.doc_type.as_deref() == Some("apiPageType") && page.title.is_some();
    let stats = PageStats {
        api_page,
        http_request_section,
        json_bodies: cx.json_bodies.get(),
        json_bodies_parsed: cx.json_bodies_parsed.get(),
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

struct Page<'a> {
    page: &'a PageSections<'a>,
    namespace: String,
    json_bodies: Cell<u32>,
    json_bodies_parsed: Cell<u32>,
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

    // ---- enums -------------------------------------------------------------------------------

    fn enums(&self, model: &mut Model) {
        for section in &self.page.sections {
            let (name, origin) = if section.title == "members" {
                let Some(title) = &self.page.title else { continue };
                let name = title.text.split_whitespace().next().unwrap_or_default().to_string();
                (name, EnumOrigin::EnumPage)
            } else if section.title.ends_with(" values") {
                let name = section.heading.split_whitespace().next().unwrap_or_default().trim_matches(['`', '*']);
                (name.to_string(), EnumOrigin::ValuesTable)
            } else {
                continue;
            };
            let Some(table) = tables(section).next() else { continue };
            let Some(member_col) = table.column(&["member", "value", "name"]) else { continue };
            let value_col = table.column(&["value", "int value"]).filter(|&c| c != member_col);
            let description_col = table.column(&["description"]);
            let members: Vec<EnumMember> = table
                .rows
                .iter()
                .filter_map(|row| {
                    let name = clean_name(&row.get(member_col)?.text);
                    is_identifier(&name).then(|| EnumMember {
                        name,
                        value: value_col.and_then(|c| row.get(c)?.text.trim().parse().ok()),
                        description: description_col
                            .and_then(|c| row.get(c))
                            .map(|c| c.text.to_string())
                            .unwrap_or_default(),
                    })
                })
                .collect();
            if name.is_empty() || members.is_empty() {
                continue;
            }
            let flags = members.len() > 2
                && members.iter().filter_map(|m| m.value).filter(|v| *v > 2).all(|v| v.count_ones() == 1)
                && members.iter().filter_map(|m| m.value).any(|v| v > 2);
            let description = section.items.iter().find_map(|i| match i {
                Item::Paragraph(p) => Some(p.text.to_string()),
                _ => None,
            });
            model.enums.push(EnumDef {
                name: self.qualify(&name),
                namespace: self.namespace.clone(),
                area: self.area(),
                description: description.unwrap_or_default(),
                members,
                flags,
                origin,
                source: self.at(section.offset),
            });
        }
    }

    // ---- types -------------------------------------------------------------------------------

    fn types(&self, model: &mut Model, diagnostics: &mut Diagnostics) {
        let resources: Vec<&CodeItem> = self.codes().filter(|c| c.block_type() == Some("resource")).collect();
        let mut properties = Vec::new();
        for section in self.page.under(&["properties", "instance attributes"]) {
            for table in tables(section) {
                properties.extend(self.property_rows(table, false, model));
            }
        }
        for section in self.page.under(&["relationships"]) {
            for table in tables(section) {
                properties.extend(self.property_rows(table, true, model));
            }
        }
        let h1 = self.page.title.as_ref().map(|t| t.text.to_string()).unwrap_or_default();
        let inherits = self.inherits_from();

        if resources.is_empty() {
            // A resource page without an annotation: "x resource type" plus a Properties table.
            let Some(name) = h1.strip_suffix(" resource type").or_else(|| h1.strip_suffix(" complex type")) else {
                return;
            };
            if properties.is_empty() {
                return;
            }
            let name = name.trim().rsplit(' ').next().unwrap_or_default();
            model.types.push(TypeDef {
                name: self.qualify(name),
                namespace: self.namespace.clone(),
                area: self.area(),
                description: self.description(),
                base: inherits.map(|b| self.qualify(&b)),
                key: properties.iter().any(|p| p.name == "id").then(|| "id".to_string()),
                open: false,
                abstract_: false,
                properties,
                inherited: Vec::new(),
                from_request_body: false,
                source: self.at(self.page.title.as_ref().map_or(0, |t| t.offset)),
            });
            return;
        }

        for (index, code) in resources.iter().enumerate() {
            let annotation = code.annotation.as_ref().expect("resource blocks have annotations");
            let type_name = annotation.get("@odata.type").or_else(|| annotation.get("@type")).and_then(|v| v.as_str());
            let Some(type_name) = type_name.map(|t| t.trim().trim_start_matches('#')).filter(|t| !t.is_empty()) else {
                continue;
            };
            let base = match annotation.get("baseType").and_then(|v| v.as_str()) {
                Some(base) if !base.is_empty() => Some(self.qualify(base)),
                _ => inherits.as_ref().map(|b| self.qualify(b)),
            };
            let json_body = self.read_json(code, diagnostics);
            // Tables describe the page's first resource; further blocks only add what their JSON shows.
            let mut own = if index == 0 { properties.clone() } else { Vec::new() };
            if let Some(serde_json::Value::Object(object)) = json_body {
                let mut known: std::collections::BTreeSet<String> = own.iter().map(|p| p.name.clone()).collect();
                for (key, value) in object {
                    // `@odata.type` and friends describe the JSON, not the type; instance annotations
                    // such as `@microsoft.graph.conflictBehavior` are real properties.
                    if key.starts_with("@odata.") || !known.insert(key.clone()) {
                        continue;
                    }
                    own.push(Property {
                        name: key.clone(),
                        type_ref: type_from_json_placeholder(&value),
                        description: String::new(),
                        navigation: false,
                        from_example: true,
                        source: self.at(code.content_offset),
                    });
                }
            }
            model.types.push(TypeDef {
                name: self.qualify(type_name),
                namespace: namespace_of(&self.qualify(type_name)),
                area: self.area(),
                description: self.description(),
                base,
                key: annotation
                    .get("keyProperty")
                    .and_then(|v| v.as_str())
                    .filter(|k| !k.is_empty())
                    .map(str::to_string),
                open: flag(annotation.get("openType")),
                abstract_: flag(annotation.get("abstract")),
                properties: own,
                inherited: Vec::new(),
                from_request_body: false,
                source: self.at(code.offset),
            });
        }
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

    /// The base type the page intro names: `Inherits from [entity](entity.md).` opening a paragraph,
    /// or mid-sentence, "**mailSearchFolder** inherits from [mailFolder](mailfolder.md)" and
    /// "(is) derived from [baseItem]", "a subclass of [educationResource]", where the phrase must be
    /// followed by a link; or a paragraph opening "An [educationOutcome](…) that gives a grade".
    fn inherits_from(&self) -> Option<String> {
        const PHRASES: [&str; 4] = ["inherits from", "derives from", "derived from", "subclass of"];
        self.page.intro.iter().find_map(|item| {
            let Item::Paragraph(p) = item else { return None };
            let lower = p.text.to_ascii_lowercase();
            // "An [educationOutcome](educationoutcome.md) that gives a numerical grade."
            let article = ["a ", "an "].iter().find(|a| lower.starts_with(*a)).map(|a| a.len());
            if let (Some(skip), Some(link)) = (article, p.links.first()) {
                let rest = p.text[skip..].trim_start_matches('*');
                let subject = link.text.trim().trim_matches('*');
                let after = rest.strip_prefix(subject).map(|r| r.trim_start_matches('*'));
                if !subject.is_empty() && after.is_some_and(|a| a.starts_with(" that ") || a.starts_with(" which ")) {
                    return Some(subject.to_string());
                }
            }
            if lower.starts_with("inherits from") {
                return p.links.first().map(|l| l.text.trim().to_string()).or_else(|| {
                    p.text["inherits from".len()..]
                        .trim()
                        .trim_end_matches('.')
                        .split_whitespace()
                        .next()
                        .map(str::to_string)
                });
            }
            PHRASES.iter().find_map(|phrase| {
                lower.match_indices(phrase).find_map(|(at, _)| {
                    let rest = p.text[at + phrase.len()..].trim_start().trim_start_matches('*');
                    p.links
                        .iter()
                        .map(|l| l.text.trim().trim_matches('*'))
                        .find(|text| !text.is_empty() && rest.starts_with(text))
                        .map(str::to_string)
                })
            })
        })
    }

    /// Rows of a Properties, Relationships or Request body table. Rows whose description lists
    /// "Possible values" for a non-primitive type also declare that enum.
    fn property_rows(&self, table: &Table, navigation: bool, model: &mut Model) -> Vec<Property> {
        let Some(name_col) = table.column(&[
            "property",
            "property name",
            "name",
            "relationship",
            "relationship name",
            "parameter",
            "parameter name",
        ]) else {
            return Vec::new();
        };
        let Some(type_col) = table.column(&["type"]) else { return Vec::new() };
        let description_col = table.column(&["description"]);
        let mut out = Vec::new();
        for row in &table.rows {
            let Some(name_cell) = row.get(name_col) else { continue };
            let name = clean_name(&name_cell.text);
            // Bold group rows (`| **Calendar** | | |`) have an empty type cell.
            let Some(type_cell) = row.get(type_col).filter(|c| !c.text.trim().is_empty()) else { continue };
            // `odata.type` without its `@` (newer resource pages) documents the annotation that
            // names a value's type, which the model handles as such: not a property `odata.type`.
            // Rows that spell `@odata.type` stay fields (change notifications carry it as data).
            if name.is_empty() || name.contains(' ') || name.eq_ignore_ascii_case("odata.type") {
                continue;
            }
            let description = description_col.and_then(|c| row.get(c)).map(|c| c.text.to_string()).unwrap_or_default();
            let type_ref = parse_type_cell(type_cell, &self.page.file);
            if let TypeTarget::Named(type_name) = &type_ref.target {
                let members = possible_values(&description);
                if !members.is_empty() {
                    model.enums.push(EnumDef {
                        name: self.qualify(type_name),
                        namespace: namespace_of(&self.qualify(type_name)),
                        area: self.area(),
                        description: String::new(),
                        members: members
                            .into_iter()
                            .map(|name| EnumMember { name, value: None, description: String::new() })
                            .collect(),
                        flags: false,
                        origin: EnumOrigin::PossibleValues,
                        source: self.at(type_cell.offset),
                    });
                }
            }
            out.push(Property {
                name,
                type_ref,
                description,
                navigation,
                from_example: false,
                source: self.at(name_cell.offset),
            });
        }
        out
    }

    // ---- operations --------------------------------------------------------------------------

    fn operations(&self, model: &mut Model, diagnostics: &mut Diagnostics) {
        // `## HTTP request`, also `## HTTP request (to upload a new file)` and `### HTTP request`.
        let http: Vec<&Section> = self.page.sections.iter().filter(|s| s.title.starts_with("http request")).collect();
        let Some(first) = http.first() else { return };
        // Every section under `## HTTP request` counts (some pages split lines under `####` headings).
        let template_codes: Vec<&CodeItem> = self
            .page
            .sections
            .iter()
            .filter(|s| s.h2.starts_with("http request") || s.title.starts_with("http request"))
            .flat_map(codes_of)
            .collect();
        let mut lines = Vec::new();
        for code in &template_codes {
            let mut offset = code.content_offset;
            for line in code.text.split_inclusive('\n') {
                if let Some((method, path)) = request_line(line) {
                    lines.push((method, path, offset));
                }
                offset += line.len();
            }
        }
        let Some((last, rest)) = lines.split_last() else {
            diagnostics.push(
                Code::NoOperation,
                &self.at(first.offset),
                "the HTTP request section holds no request line (`METHOD /path`)",
            );
            return;
        };

        let examples = self.examples(diagnostics);
        // The last request line's operation holds what every line of the page shares (body,
        // response, headers, ...); the other lines copy it and put in their own method and path.
        let (path_template, path_parameters) = parse_path(&last.1);
        let response = self.response(&examples);
        let body = self.request_body(last.0, &path_template.raw, &response, model);
        let shared = Operation {
            name: self.page.title_text(),
            namespace: self.namespace.clone(),
            area: self.area(),
            description: self.description(),
            api_version: self.api_version(&examples),
            method: last.0,
            path: path_template.raw.clone(),
            path_template,
            path_parameters,
            query_options: self.query_options(),
            headers: self.headers(),
            body,
            response,
            permissions: self.permissions(diagnostics),
            examples: Vec::new(),
            source: self.at(last.2),
        };
        let first = model.operations.len();
        for (method, path, offset) in rest {
            let (path_template, path_parameters) = parse_path(path);
            model.operations.push(Operation {
                method: *method,
                path: path_template.raw.clone(),
                path_template,
                path_parameters,
                source: self.at(*offset),
                ..shared.clone()
            });
        }
        model.operations.push(shared);
        // Each example goes to the request line its URL matches (the first line when none does), so
        // that a page with 80 lines does not repeat its examples 80 times.
        let family = &mut model.operations[first..];
        for example in examples {
            let url = example.request.as_ref().map(|r| r.url.as_str()).unwrap_or_default();
            let target =
                family.iter().position(|o| o.method_matches(&example) && o.path_template.matches(url)).unwrap_or(0);
            family[target].examples.push(example);
        }
    }

    fn api_version(&self, examples: &[Example]) -> String {
        let from_url = examples.iter().filter_map(|e| e.request.as_ref()).find_map(|r| {
            let rest = r.url.strip_prefix("https://graph.microsoft.com/")?;
            let version = rest.split('/').next()?.to_lowercase();
            matches!(version.as_str(), "v1.0" | "beta").then_some(version)
        });
        from_url.unwrap_or_else(|| {
            if self.page.file.split('/').any(|part| part == "beta") {
                "beta".to_string()
            } else {
                "v1.0".to_string()
            }
        })
    }

    /// The request body of the page's last request line (`method`, `path`), whose success
    /// response is `response`: as the Request body section documents it, else as Graph's
    /// conventions give it when the docs leave it unsaid.
    fn request_body(&self, method: Method, path: &str, response: &ResponseSpec, model: &mut Model) -> Option<BodySpec> {
        let section = self.page.sections.iter().find(|s| s.title == "request body");
        match section {
            Some(section) => self.documented_body(section, model),
            None => None,
        }
        .or_else(|| self.conventional_body(method, path, response, section))
    }

    /// A body the docs leave unsaid or give in prose, by Graph's conventions: a `$ref` POST or PUT
    /// sends a reference (`{"@odata.id": ...}`); a create (`POST`) whose page has no Request body
    /// section, or an update (`PATCH`) that says to "supply the values" to change, sends the type it
    /// returns (an update that returns nothing: the type its title names, `Update printer`).
    fn conventional_body(
        &self,
        method: Method,
        path: &str,
        response: &ResponseSpec,
        section: Option<&Section>,
    ) -> Option<BodySpec> {
        if path.ends_with("/$ref") && matches!(method, Method::Post | Method::Put) {
            let reference = Property {
                name: "@odata.id".to_string(),
                type_ref: parse_type_text("String"),
                description:
                    "The URL of the object to refer to, e.g. `https://graph.microsoft.com/v1.0/directoryObjects/{id}`."
                        .to_string(),
                navigation: false,
                from_example: false,
                source: self.at(section.map_or(0, |s| s.offset)),
            };
            return Some(BodySpec::Parameters { parameters: vec![reference] });
        }
        let lead = section
            .and_then(|s| {
                s.items.iter().find_map(|i| if let Item::Paragraph(p) = i { Some(p.text.to_lowercase()) } else { None })
            })
            .unwrap_or_default();
        let returned = response.type_ref.as_ref().filter(|t| !t.collection && response.body_type().is_some());
        match method {
            Method::Post if section.is_none() && self.page.title_text().starts_with("Create") => {
                returned.map(|type_ref| BodySpec::Type { type_ref: type_ref.clone() })
            }
            Method::Patch if section.is_none() || (lead.contains("supply") && lead.contains("value")) => {
                let titled = || {
                    let title = self.page.title_text();
                    let name = title.strip_prefix("Update ")?.trim();
                    let plain = !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric())
                        && !name.starts_with(char::is_uppercase);
                    plain.then(|| parse_type_text(name))
                };
                returned.cloned().or_else(titled).map(|type_ref| BodySpec::Type { type_ref })
            }
            _ => None,
        }
    }

    fn documented_body(&self, section: &Section, model: &mut Model) -> Option<BodySpec> {
        let lead = section.items.iter().find_map(|i| match i {
            Item::Paragraph(p) => Some(p),
            _ => None,
        });
        // The table may sit under a sub-heading of the section (`### Delegated permissions and
        // JSON payload`); some name the type column `Value` (`| Name | Value | Description |`).
        let table = tables(section).next().or_else(|| self.page.under(&["request body"]).flat_map(tables).next()).map(
            |table| {
                let mut table = table.clone();
                if table.column(&["type"]).is_none() {
                    if let Some(value) = table.column(&["value"]) {
                        table.columns[value] = "type".to_string();
                    }
                }
                table
            },
        );
        let table = table.as_ref();
        let lead_text = lead.map(|p| p.text.to_lowercase()).unwrap_or_default();
        if lead_text.starts_with("do not supply")
            || lead_text.starts_with("don't supply")
            || lead_text.contains("no request body")
        {
            return None;
        }
        // "supply a JSON representation of [group]", "the properties of the [group] resource to
        // specify", "Provide the new [x] object": the body is that type; its table lists what to set.
        const NAMES_BODY_TYPE: [&str; 6] = [
            "representation",
            "properties of the",
            "required to create the",
            "provide the new",
            "provide the modified",
            "json body of",
        ];
        let represented = lead
            .filter(|_| NAMES_BODY_TYPE.iter().any(|phrase| lead_text.contains(phrase)))
            .and_then(|p| p.links.first())
            .filter(|link| lead_text.contains("representation") || link.target.contains("resources/"));
        let properties = table.map(|t| self.property_rows(t, false, model)).unwrap_or_default();
        // Intune pages name the type without a link: "supply a JSON representation for the
        // iosStoreApp object".
        let named = represented.map(|link| (link.text.trim().to_string(), link.page(&self.page.file))).or_else(|| {
            let text = &lead?.text;
            let at = ["representation for the ", "representation of the "]
                .iter()
                .find_map(|p| text.find(p).map(|i| i + p.len()))?;
            let rest = &text[at..];
            let (name, after) = rest.split_once(' ')?;
            let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
            (plain && after.starts_with("object")).then(|| (name.to_string(), None))
        });
        match named {
            Some((name, link)) => {
                if !properties.is_empty() {
                    // What the body table says about the type, used when no resource page defines it.
                    model.types.push(TypeDef {
                        name: self.qualify(&name),
                        namespace: namespace_of(&self.qualify(&name)),
                        area: self.area(),
                        description: String::new(),
                        base: None,
                        key: None,
                        open: false,
                        abstract_: false,
                        properties,
                        inherited: Vec::new(),
                        from_request_body: true,
                        source: self.at(section.offset),
                    });
                }
                Some(BodySpec::Type {
                    type_ref: TypeRef {
                        written: name.clone(),
                        collection: false,
                        target: TypeTarget::Named(name),
                        link,
                    },
                })
            }
            None if !properties.is_empty() => Some(BodySpec::Parameters { parameters: properties }),
            None => None,
        }
    }

    /// The documented success status and type: the response prose combined with the first example
    /// response and its annotation.
    fn response(&self, examples: &[Example]) -> ResponseSpec {
        // The Response section and its sub-sections (`#### Response code`, `#### Response body`).
        let sections: Vec<&Section> = self
            .page
            .sections
            .iter()
            .filter(|s| s.h2 == "response" || (s.title == "response" && !s.h2.starts_with("example")))
            .collect();
        let offset = sections.first().map_or(0, |s| s.offset);
        let mut spec = ResponseSpec { status: None, type_ref: None, empty: false, source: self.at(offset) };
        let paragraphs = sections.iter().flat_map(|s| s.items.iter()).filter_map(|i| match i {
            Item::Paragraph(p) => Some(p),
            _ => None,
        });
        for p in paragraphs {
            if spec.status.is_none() {
                spec.status = status_in(&p.text);
                if spec.status.is_some() {
                    spec.source = self.at(p.offset);
                }
            }
            if spec.status.is_some() && spec.type_ref.is_none() {
                spec.type_ref = type_in_prose(p, &self.page.file);
            }
            spec.empty |= says_no_body(&p.text);
        }
        let annotated = self.codes().find(|c| c.block_type() == Some("response"));
        let annotated_type = |code: &CodeItem| {
            let annotation = code.annotation.as_ref()?;
            let written = annotation.get("@odata.type").or_else(|| annotation.get("@type"))?.as_str()?;
            Some(written.trim().to_string()).filter(|w| !w.is_empty())
        };
        // Examples that show different derived types (mailAssessmentRequest, urlAssessmentRequest)
        // each name their own: the type is then the one the prose names (threatAssessmentRequest).
        // Without one, resolve widens the first to a base all examples fit.
        let shown: BTreeSet<String> =
            self.codes().filter(|c| c.block_type() == Some("response")).filter_map(annotated_type).collect();
        let varies = shown.len() > 1 && spec.type_ref.is_some();
        if let Some(annotation) = annotated.and_then(|c| c.annotation.as_ref()) {
            let written = annotation.get("@odata.type").or_else(|| annotation.get("@type")).and_then(|v| v.as_str());
            // `microsoft.graph.None` (older pages) says the response has no body.
            let none =
                written.is_some_and(|w| w.trim().rsplit('.').next().is_some_and(|t| t.eq_ignore_ascii_case("none")));
            if none {
                spec.empty |= spec.type_ref.is_none();
            } else if let Some(written) = written.filter(|w| !w.trim().is_empty() && !varies) {
                let mut type_ref = parse_type_text(written);
                type_ref.collection |= flag(annotation.get("isCollection"));
                if let Some(prose) = &spec.type_ref {
                    type_ref.collection |= prose.collection;
                }
                spec.type_ref = Some(type_ref);
            } else if let Some(prose) = spec.type_ref.as_mut() {
                prose.collection |= flag(annotation.get("isCollection"));
            }
        }
        let first_response = examples.iter().find_map(|e| e.response.as_ref());
        if spec.status.is_none() {
            spec.status = first_response.map(|r| r.status);
        }
        // No type named anywhere and the documented response has no body: the response is empty.
        if spec.type_ref.is_none()
            && first_response.is_some_and(|r| r.body.is_none() && r.status == spec.status.unwrap_or(0))
        {
            spec.empty |= first_response.is_some_and(|r| {
                !r.headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("json"))
            });
        }
        if spec.type_ref.is_some() {
            spec.empty = false;
        }
        // A 202 whose example has no body names its result in the Location header ("the URL of the
        // teamsAsyncOperation"), not in a body.
        let bodiless_example = first_response.is_some_and(|r| r.status == 202 && r.body.is_none());
        if spec.status == Some(202) && bodiless_example {
            spec.type_ref = None;
            spec.empty = true;
        }
        spec
    }

    fn headers(&self) -> Vec<HeaderSpec> {
        let mut out = Vec::new();
        for section in self.page.sections.iter().filter(|s| s.title.contains("request headers")) {
            for table in tables(section) {
                let name_col = table.column(&["header", "name"]).unwrap_or(0);
                for row in &table.rows {
                    let Some(name) = row.get(name_col).map(|c| clean_name(&c.text)).filter(|n| !n.is_empty()) else {
                        continue;
                    };
                    let description =
                        row.iter().skip(name_col + 1).map(|c| c.text.as_ref()).collect::<Vec<_>>().join(" ");
                    out.push(HeaderSpec { required: description.contains("Required"), name, description });
                }
            }
        }
        out
    }

    /// The permission tables of the page, in their three forms: `Permission type | Permissions`
    /// (older pages), `Permission type | Least privileged | Higher privileged` (today's, often from
    /// an include file), and a row per resource: `Supported resource | Delegated (...) | ... |
    /// Application`.
    fn permissions(&self, diagnostics: &mut Diagnostics) -> Vec<Permission> {
        let mut out = Vec::new();
        for section in self.page.under(&["permissions", "prerequisites"]) {
            for table in tables(section) {
                let first = table.first_header();
                if first.starts_with("permission type") {
                    let higher = table.column(&["higher privileged permissions", "higher privileged permission"]);
                    for row in &table.rows {
                        let (Some(kind), Some(scopes)) = (row.first(), row.get(1)) else { continue };
                        out.push(Permission {
                            kind: kind.text.to_string(),
                            scopes: scopes_in(&scopes.text),
                            higher: higher
                                .and_then(|h| row.get(h))
                                .map(|cell| scopes_in(&cell.text))
                                .unwrap_or_default(),
                            resource: None,
                        });
                    }
                } else if table.columns.iter().skip(1).any(|c| c.starts_with("delegated") || c == "application") {
                    // A row per resource (`Supported resource`, `Calendar`, ...), a column per kind.
                    for row in &table.rows {
                        let Some(resource) = row.first().map(|c| c.text.trim()).filter(|r| !r.is_empty()) else {
                            continue;
                        };
                        for (kind, cell) in table.header.iter().zip(row).skip(1) {
                            out.push(Permission {
                                kind: kind.text.to_string(),
                                scopes: scopes_in(&cell.text),
                                higher: Vec::new(),
                                resource: Some(resource.to_string()),
                            });
                        }
                    }
                }
            }
        }
        // A Permissions section that yields nothing docbind reads: the operation would have no
        // permissions and nobody would know why.
        if let Some(section) = self.page.under(&["permissions"]).next().filter(|_| out.is_empty()) {
            diagnostics.push(
                Code::PermissionsUnread,
                &self.at(section.offset),
                "the Permissions section holds no permission table docbind reads: the operation's permissions are unknown",
            );
        }
        out
    }

    fn query_options(&self) -> Vec<String> {
        const OPTIONS: [&str; 8] = ["$count", "$expand", "$filter", "$orderby", "$search", "$select", "$skip", "$top"];
        let mut found = Vec::new();
        for section in self.page.sections.iter().filter(|s| s.title.contains("query parameters")) {
            let text: String = section
                .items
                .iter()
                .map(|i| match i {
                    Item::Paragraph(p) => p.text.to_string(),
                    Item::Table(t) => t.rows.iter().flatten().map(|c| c.text.as_ref()).collect::<Vec<_>>().join(" "),
                    Item::Code(_) => String::new(),
                })
                .collect();
            for option in OPTIONS {
                if text.contains(option) && !found.iter().any(|f: &String| f == option) {
                    found.push(option.to_string());
                }
            }
        }
        found.sort();
        found
    }

    // ---- examples ----------------------------------------------------------------------------

    /// Request/response pairs: by annotation (`request`, then `response`, paired by `name` or by
    /// position), or, without annotations, by the `Request`/`Response` headings above the fences.
    fn examples(&self, diagnostics: &mut Diagnostics) -> Vec<Example> {
        let mut examples: Vec<Example> = Vec::new();
        for section in &self.page.sections {
            // Annotated examples count wherever they are; unannotated fences only under an Example
            // heading, by their Request/Response sub-heading (the Intune pages have no annotations).
            let in_examples = section.h2.starts_with("example");
            for code in codes_of(section) {
                let kind = match code.block_type() {
                    Some(kind) => kind.to_string(),
                    None if in_examples && code.annotation.is_none() && is_http(&code.info) => {
                        match section.title.as_str() {
                            t if t.contains("request") => "request".to_string(),
                            t if t.contains("response") => "response".to_string(),
                            _ => continue,
                        }
                    }
                    None => continue,
                };
                match kind.as_str() {
                    "request" => {
                        let name = code
                            .annotation
                            .as_ref()
                            .and_then(|a| a.get("name"))
                            .and_then(|n| n.as_str())
                            .map(str::to_string);
                        let request = self.example_request(code, diagnostics);
                        let name = name.unwrap_or_else(|| format!("example_{}", examples.len() + 1));
                        examples.push(Example {
                            name,
                            request,
                            response: None,
                            contradictions: Vec::new(),
                            untestable: None,
                        });
                    }
                    "response" => {
                        let response = self.example_response(code, diagnostics);
                        let name = code.annotation.as_ref().and_then(|a| a.get("name"));
                        // One response may answer several requests: `"name": ["get_a", "get_b"]`.
                        if let Some(names) = name.and_then(|n| n.as_array()) {
                            let mut answered = false;
                            for name in names.iter().filter_map(|n| n.as_str()) {
                                if let Some(example) =
                                    examples.iter_mut().find(|e| e.name == name && e.response.is_none())
                                {
                                    example.response = response.clone();
                                    answered = true;
                                }
                            }
                            if answered {
                                continue;
                            }
                        }
                        let slot = match name.and_then(|n| n.as_str()) {
                            Some(name) => examples.iter_mut().find(|e| e.name == name && e.response.is_none()),
                            None => examples.iter_mut().rev().find(|e| e.response.is_none()),
                        };
                        match slot {
                            Some(example) => example.response = response,
                            None => examples.push(Example {
                                name: format!("example_{}", examples.len() + 1),
                                request: None,
                                response,
                                contradictions: Vec::new(),
                                untestable: None,
                            }),
                        }
                    }
                    _ => {}
                }
            }
        }
        examples
    }

    fn example_request(&self, code: &CodeItem, diagnostics: &mut Diagnostics) -> Option<ExampleRequest> {
        let message = split_http_message(&code.text);
        let Some((method, url)) = message.start.and_then(request_line) else {
            diagnostics.push(
                Code::ExampleInvalid,
                &self.at(code.content_offset),
                "example request does not start with `METHOD url`",
            );
            return None;
        };
        let body = self.example_body(code, &message, diagnostics);
        // A body that is not JSON is content as sent (a file's text for `PUT …/content`).
        let trimmed = message.body.trim();
        let content =
            (body.is_none() && !trimmed.is_empty() && !trimmed.starts_with(['{', '['])).then(|| trimmed.to_string());
        let source = self.at(code.content_offset);
        let opaque_url =
            code.annotation.as_ref().and_then(|a| a.get("opaqueUrl")).is_some_and(|v| v.as_bool() == Some(true));
        Some(ExampleRequest { method, url, headers: message.headers, body, content, opaque_url, source })
    }

    fn example_response(&self, code: &CodeItem, diagnostics: &mut Diagnostics) -> Option<ExampleResponse> {
        let message = split_http_message(&code.text);
        let status = message.start.and_then(|line| {
            let mut words = line.split_whitespace();
            words.next().filter(|w| w.to_uppercase().starts_with("HTTP"))?;
            words.next()?.parse::<u16>().ok()
        });
        let Some(status) = status else {
            diagnostics.push(
                Code::ExampleInvalid,
                &self.at(code.content_offset),
                "example response does not start with `HTTP/1.1 <status>`",
            );
            return None;
        };
        let body = self.example_body(code, &message, diagnostics);
        let truncated = code.annotation.as_ref().is_some_and(|a| flag(a.get("truncated")));
        Some(ExampleResponse {
            status,
            headers: message.headers,
            body,
            truncated,
            source: self.at(code.content_offset),
        })
    }

    fn example_body(
        &self,
        code: &CodeItem,
        message: &HttpMessage<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Option<serde_json::Value> {
        let body = message.body.trim();
        let json_typed = message
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .is_none_or(|(_, v)| v.to_lowercase().contains("json"));
        if body.is_empty() || !json_typed || !(body.starts_with('{') || body.starts_with('[')) {
            return None;
        }
        let at = self.at(code.content_offset + message.body_offset);
        self.json_bodies.set(self.json_bodies.get() + 1);
        match json::read(body) {
            Ok(read) => {
                self.json_bodies_parsed.set(self.json_bodies_parsed.get() + 1);
                if let Some(repair) = read.repaired {
                    diagnostics.push(Code::JsonLenient, &at, format!("JSON body read leniently: {repair}"));
                }
                Some(read.value)
            }
            Err(error) => {
                diagnostics.push(Code::JsonInvalid, &at, format!("JSON body is not readable: {error}"));
                None
            }
        }
    }

    fn read_json(&self, code: &CodeItem, diagnostics: &mut Diagnostics) -> Option<serde_json::Value> {
        let message = HttpMessage { start: None, headers: Vec::new(), body: &code.text, body_offset: 0 };
        self.example_body(code, &message, diagnostics)
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

/// The scopes a cell names (`A.Read.All, B.ReadWrite.All`, `A.Read and B.Read`, `**A.Read**`).
fn scopes_in(text: &str) -> Vec<String> {
    text.split([',', ' ']).map(|s| s.trim().trim_matches('*')).filter(|s| is_scope(s)).map(str::to_string).collect()
}

/// A permission scope looks like `TermStore.ReadWrite.All`: dotted words, starting with a capital.
fn is_scope(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
        && text.split('.').count() >= 2
        && text.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// `METHOD path` (HTTP/1.1 suffix allowed), as in template blocks and example requests.
pub fn request_line(line: &str) -> Option<(Method, String)> {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace)?;
    let method = Method::parse(word)?;
    let mut url = rest.trim();
    if let Some(stripped) = url.strip_suffix("HTTP/1.1") {
        url = stripped.trim_end();
    }
    (!url.is_empty()).then(|| (method, url.to_string()))
}

struct HttpMessage<'a> {
    start: Option<&'a str>,
    headers: Vec<(String, String)>,
    body: &'a str,
    body_offset: usize,
}

/// Start line, headers, body. A JSON body may follow the headers without a blank line (as on the
/// seed page), so a line starting with `{` or `[` also ends the headers. Intune pages put a blank
/// line between the start line and the headers; blank lines before the first header are skipped.
fn split_http_message(text: &str) -> HttpMessage<'_> {
    let mut offset = 0;
    let mut start = None;
    let mut headers = Vec::new();
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if start.is_none() {
            if !trimmed.is_empty() {
                start = Some(trimmed);
            }
            offset += line.len();
            continue;
        }
        if trimmed.is_empty() {
            offset += line.len();
            if headers.is_empty() {
                continue;
            }
            break;
        }
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            break;
        }
        match trimmed.split_once(':') {
            Some((name, value)) if !name.contains(' ') => {
                headers.push((name.trim().to_string(), value.trim().to_string()))
            }
            _ => break,
        }
        offset += line.len();
    }
    HttpMessage { start, headers, body: &text[offset.min(text.len())..], body_offset: offset.min(text.len()) }
}

/// Request lines that show values where placeholders belong, read as placeholders: a literal id
/// (`/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments`) and function parameters written
/// without braces (`rowsAbove(count=n)`, `filterByCurrentUser(on='parameterValue')`,
/// `reminderView(startDateTime=startDateTime-value)`). Otherwise every call would send the example's
/// value.
fn written_values_as_placeholders(path: &str) -> String {
    // Only a GUID (with `-`) or a function call (with `(`) is rewritten; most paths hold neither.
    if !path.contains(['-', '(']) {
        return path.to_string();
    }
    let mut out = Vec::new();
    let mut previous = "";
    for segment in path.split('/') {
        let fixed = if is_guid(segment) {
            format!("{{{previous}-id}}")
        } else if let Some((name, arguments)) = segment.strip_suffix(')').and_then(|s| s.split_once('(')) {
            let arguments: Vec<String> = arguments
                .split(',')
                .map(|argument| match argument.split_once('=') {
                    Some((key, value)) if !value.contains('{') && !key.trim().is_empty() => {
                        let key = key.trim();
                        let quoted = value.trim().starts_with('\'');
                        if quoted {
                            format!("{key}='{{{key}}}'")
                        } else {
                            format!("{key}={{{key}}}")
                        }
                    }
                    _ => argument.to_string(),
                })
                .collect();
            format!("{name}({})", arguments.join(","))
        } else {
            segment.to_string()
        };
        out.push(fixed);
        previous = segment;
    }
    out.join("/")
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Splits a template path into literals and `{placeholders}`.
pub fn parse_path(written: &str) -> (PathTemplate, Vec<PathParameter>) {
    let mut path = written.trim();
    for prefix in ["https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/beta"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            path = rest;
        }
    }
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (path, None),
    };
    let raw = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    let raw = written_values_as_placeholders(&raw);
    let mut segments = Vec::new();
    let mut parameters: Vec<PathParameter> = Vec::new();
    for piece in template_pieces(&raw) {
        match piece {
            TemplatePiece::Text(text) => segments.push(PathPiece::Literal(text.to_string())),
            TemplatePiece::Placeholder(inner) => {
                let mut names = inner.split('|').map(str::trim).filter(|n| !n.is_empty());
                let name = names.next().unwrap_or("id").to_string();
                parameters.push(PathParameter {
                    name,
                    alternatives: names.map(str::to_string).collect(),
                    placeholder: format!("{{{inner}}}"),
                });
                segments.push(PathPiece::Parameter(parameters.len() - 1));
            }
        }
    }
    (PathTemplate { raw: raw.clone(), segments, query }, parameters)
}

/// `at`, or the nearest char boundary before it, capped at the end of `text`.
fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first status code in a Response paragraph: `` `200 OK` `` or `201 Created`.
fn status_in(text: &str) -> Option<u16> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` are valid in `text`.
    let lower = text.to_ascii_lowercase();
    let anchor = lower.find("response code").or_else(|| lower.find("returns"))?;
    let window = &text[..char_boundary(text, anchor + 20)];
    window
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse::<u16>().ok())
        .find(|code| (100..600).contains(code))
}

/// "... and a [relation](...) object", "a collection of [term](...) objects", "a [x] collection",
/// "a String collection", "a **report** object", "binary data".
fn type_in_prose(p: &Inline, from: &str) -> Option<TypeRef> {
    let lower = p.text.to_ascii_lowercase();
    let anchor = lower.find("response code").or_else(|| lower.find("returns"))?;
    let rest = &lower[anchor..];
    // A link whose text is a name ("[relation](...)"), not a phrase ("[get the status](...)").
    let link = p.links.iter().find(|l| {
        l.page(from).is_some() && is_identifier(l.text.trim()) && rest.contains(&l.text.to_ascii_lowercase())
    });
    if let Some(link) = link {
        let link_at = rest.find(&link.text.to_ascii_lowercase())?;
        let before = &rest[..link_at];
        let after = &rest[link_at + link.text.len()..];
        let collection = before.contains("collection of") || after.trim_start().starts_with("collection");
        return Some(TypeRef {
            written: link.text.to_string(),
            collection,
            target: named_or_primitive(link.text.trim()),
            link: link.page(from),
        });
    }
    if rest.contains("binary data") || rest.contains("stream") {
        return Some(TypeRef {
            written: "binary data".into(),
            collection: false,
            target: TypeTarget::Primitive(Primitive::Stream),
            link: None,
        });
    }
    // "... response code and a String collection" / "and a Boolean value" / "and a **x** object".
    let after_and = rest.find(" and ").map(|i| &p.text[anchor + i + 5..])?;
    let mut words = after_and.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'));
    let mut word = words.next()?;
    if matches!(word.to_lowercase().as_str(), "a" | "an" | "the" | "new") {
        word = words.next()?;
    }
    let next = words.next().unwrap_or_default().to_lowercase();
    let collection = next.starts_with("collection");
    if let Some(primitive) = primitive(word) {
        return Some(TypeRef {
            written: word.to_string(),
            collection,
            target: TypeTarget::Primitive(primitive),
            link: None,
        });
    }
    let names_type = collection || next.starts_with("object") || next == "resource" || next == "entity";
    (names_type && is_identifier(word) && word != "response").then(|| TypeRef {
        written: word.to_string(),
        collection,
        target: TypeTarget::Named(word.to_string()),
        link: None,
    })
}

/// Prose that says the response has no body.
fn says_no_body(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "not return anything",
        "n't return anything",
        "no response body",
        "empty response body",
        "nothing in the response body",
        "without a response body",
        "not return a response body",
        "response body is empty",
        "no content in the response body",
        "does not return any",
    ]
    .iter()
    .any(|phrase| lower.contains(phrase))
}

/// A Type cell: `String`, `relationType`, `[term](term.md) collection`, `Collection(x)`.
pub fn parse_type_cell(cell: &Inline, from: &str) -> TypeRef {
    let mut type_ref = parse_type_text(&cell.text);
    // "[a](a.md) or [b](b.md)": a union, which no single type describes.
    if cell.text.contains(" or ") {
        type_ref.target = TypeTarget::Unknown(cell.text.trim().to_string());
        return type_ref;
    }
    if let Some(link) = cell.links.first() {
        if let TypeTarget::Named(_) | TypeTarget::Unknown(_) = type_ref.target {
            type_ref.target = named_or_primitive(link.text.trim());
            type_ref.link = link.page(from);
        }
    }
    type_ref
}

pub fn parse_type_text(text: &str) -> TypeRef {
    let written = text.trim().to_string();
    let mut name = written.as_str();
    let mut collection = false;
    if let Some(inner) = name.strip_prefix("Collection(").or_else(|| name.strip_prefix("collection(")) {
        name = inner.trim_end_matches(')');
        collection = true;
    }
    if let Some(inner) = name.strip_prefix("collection of ") {
        name = inner;
        collection = true;
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(" collection") {
        name = name[..name.len() - " collection".len()].trim_end();
        collection = true;
    }
    let target = match named_or_primitive(name.trim()) {
        TypeTarget::Unknown(text) => {
            qualified_primitive(&text).map_or(TypeTarget::Unknown(text), TypeTarget::Primitive)
        }
        target => target,
    };
    TypeRef { written, collection, target, link: None }
}

/// A primitive with a note after it, as older pages write some: `string (url)`, `String
/// (optional)`, `string, maximum size 20`; and `JSON object`.
fn qualified_primitive(text: &str) -> Option<Primitive> {
    let lower = text.trim().to_ascii_lowercase();
    if matches!(lower.as_str(), "json object" | "untyped json object") {
        return Some(Primitive::Json);
    }
    let head = lower.split([',', '(']).next()?.trim();
    (head.len() < lower.len()).then(|| primitive(head)).flatten()
}

fn named_or_primitive(name: &str) -> TypeTarget {
    let name = name.trim().trim_start_matches('#');
    let bare = name.strip_prefix("Edm.").or_else(|| name.strip_prefix("edm.")).unwrap_or(name);
    if let Some(primitive) = primitive(bare) {
        return TypeTarget::Primitive(primitive);
    }
    let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_');
    if valid {
        TypeTarget::Named(name.to_string())
    } else {
        TypeTarget::Unknown(name.to_string())
    }
}

fn primitive(name: &str) -> Option<Primitive> {
    // The longest primitive name is `datetimeoffset`; longer names are types, and need no lowercase copy.
    let mut buffer = [0u8; 14];
    let lower = buffer.get_mut(..name.len()).filter(|_| name.is_ascii())?;
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    Some(match std::str::from_utf8(lower).ok()? {
        "string" | "url" | "etag" | "range" => Primitive::String,
        "boolean" | "bool" => Primitive::Boolean,
        "int16" => Primitive::Int16,
        "int32" | "int" | "integer" | "number" => Primitive::Int32,
        "int64" | "long" => Primitive::Int64,
        "byte" | "sbyte" => Primitive::Byte,
        "double" | "single" | "float" => Primitive::Double,
        "decimal" => Primitive::Decimal,
        "datetimeoffset" | "datetime" | "timestamp" => Primitive::DateTimeOffset,
        "date" => Primitive::Date,
        "timeofday" => Primitive::TimeOfDay,
        "duration" => Primitive::Duration,
        "guid" => Primitive::Guid,
        "binary" => Primitive::Binary,
        "stream" => Primitive::Stream,
        "json" | "object" => Primitive::Json,
        _ => return None,
    })
}

/// The type a resource JSON placeholder stands for (`"String (timestamp)"`, `{"@odata.type": ...}`).
fn type_from_json_placeholder(value: &serde_json::Value) -> TypeRef {
    use serde_json::Value;
    let (target, collection) = match value {
        Value::Array(items) => (type_from_json_placeholder(items.first().unwrap_or(&Value::Null)).target, true),
        Value::Bool(_) => (TypeTarget::Primitive(Primitive::Boolean), false),
        Value::Number(n) if n.is_i64() => (TypeTarget::Primitive(Primitive::Int32), false),
        Value::Number(_) => (TypeTarget::Primitive(Primitive::Double), false),
        Value::Object(o) => match o.get("@odata.type").and_then(|t| t.as_str()) {
            Some(t) => (named_or_primitive(t), false),
            None => (TypeTarget::Primitive(Primitive::Json), false),
        },
        Value::String(s) => {
            let lower = s.to_lowercase();
            let target = if lower.contains("timestamp") {
                TypeTarget::Primitive(Primitive::DateTimeOffset)
            } else {
                primitive(s.split_whitespace().next().unwrap_or_default())
                    .map_or(TypeTarget::Primitive(Primitive::String), TypeTarget::Primitive)
            };
            (target, false)
        }
        Value::Null => (TypeTarget::Primitive(Primitive::Json), false),
    };
    let written = match &target {
        TypeTarget::Named(name) => name.clone(),
        _ => value.to_string(),
    };
    TypeRef { written, collection, target, link: None }
}

/// The members of "Possible values are: `a`, `b`, `c`." in a description.
pub fn possible_values(description: &str) -> Vec<String> {
    let lower = description.to_ascii_lowercase();
    let Some(at) = lower.find("possible values are") else { return Vec::new() };
    let rest = &description[at + "possible values are".len()..];
    let rest = rest.trim_start_matches([':', ' ']);
    // The list ends with its sentence.
    let rest = rest.find(". ").map_or(rest, |end| &rest[..=end]);
    let rest = rest.replace(" and ", ", ").replace(" or ", ", ");
    let mut members = Vec::new();
    for token in rest.split(',') {
        let token = token.trim();
        let token = token.strip_prefix("and ").or_else(|| token.strip_prefix("or ")).unwrap_or(token);
        let ends_sentence = token.ends_with('.');
        let word = token.trim_end_matches('.').trim_matches(['`', '\'', '"', '*', ' ']);
        if !is_identifier(word) {
            break;
        }
        members.push(word.to_string());
        if ends_sentence {
            break;
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possible_values_stop_at_the_end_of_the_list() {
        assert_eq!(possible_values("Kind. Possible values are: pin, reuse. More text, here."), ["pin", "reuse"]);
        assert_eq!(
            possible_values("Possible values are global, system and siteCollection"),
            ["global", "system", "siteCollection"]
        );
    }

    #[test]
    fn paths_keep_placeholders_and_alternatives() {
        let (template, params) = parse_path("/users/{id | userPrincipalName}/events/{event-id}?$top=1");
        assert_eq!(params[0].name, "id");
        assert_eq!(params[0].alternatives, ["userPrincipalName"]);
        assert_eq!(params[1].name, "event-id");
        assert_eq!(template.query.as_deref(), Some("$top=1"));
        assert_eq!(template.segments.len(), 4);
    }

    #[test]
    fn values_written_into_request_lines_become_placeholders() {
        let (template, params) = parse_path("/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments");
        assert_eq!(template.raw, "/education/classes/{classes-id}/assignments");
        assert_eq!(params[0].name, "classes-id");
        let (template, _) = parse_path("/range/rowsAbove(count=n)");
        assert_eq!(template.raw, "/range/rowsAbove(count={count})");
        let (template, _) = parse_path("/x/filterByCurrentUser(on='parameterValue')");
        assert_eq!(template.raw, "/x/filterByCurrentUser(on='{on}')");
        let (template, _) = parse_path("/reports/getX(period='{period_value}')");
        assert_eq!(template.raw, "/reports/getX(period='{period_value}')", "placeholders stay");
    }

    #[test]
    fn type_texts() {
        let t = parse_type_text("String collection");
        assert_eq!((t.target, t.collection), (TypeTarget::Primitive(Primitive::String), true));
        let t = parse_type_text("Collection(microsoft.graph.termStore.term)");
        assert_eq!(t.target, TypeTarget::Named("microsoft.graph.termStore.term".into()));
        assert!(t.collection);
        assert_eq!(parse_type_text("Edm.String").target, TypeTarget::Primitive(Primitive::String));
        // A primitive with a note (older pages) is that primitive; a union is no one type.
        for noted in ["string, maximum size 20", "string (url)", "String (optional)"] {
            assert_eq!(parse_type_text(noted).target, TypeTarget::Primitive(Primitive::String), "{noted}");
        }
        assert_eq!(parse_type_text("Untyped JSON object").target, TypeTarget::Primitive(Primitive::Json));
        assert!(matches!(parse_type_text("string/number").target, TypeTarget::Unknown(_)));
        assert!(matches!(parse_type_text("(boolean or string) collection").target, TypeTarget::Unknown(_)));
    }

    #[test]
    fn status_from_prose() {
        assert_eq!(status_in("If successful, this method returns a `204 No Content` response code."), Some(204));
    }
}
