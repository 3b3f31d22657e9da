//! Stage 2: markdown blocks → the sections of a Graph page.
//!
//! Takes the blocks of one page; gives its front matter, title, namespace and its content grouped
//! under headings, with each `<!-- { ... } -->` annotation read (leniently) and attached to the code
//! fence that follows it, and the page's relative links to other pages, one per target. DocFX tab
//! markers (`# [C#](#tab/csharp)`) do not open sections. Problems with the page's own syntax (front
//! matter, annotations, TODOs) become diagnostics here. Text stays borrowed from the page.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostics};
use crate::includes::{self, Includes};
use crate::json;
use crate::markdown::{self, Block, Inline, LineIndex, Link};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub doc_type: Option<String>,
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub header: Vec<Inline<'a>>,
    /// Each header cell as [`normalize_heading`] makes it, for looking columns up by name.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Inline<'a>>>,
    pub offset: usize,
}

impl Table<'_> {
    /// The index of the first column whose header, lowercased and stripped of markup, is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.columns.iter().position(|column| names.contains(&column.as_str()))
    }

    pub fn first_header(&self) -> &str {
        self.columns.first().map_or("", String::as_str)
    }
}

/// A fenced code block and the annotation just before it, if any.
#[derive(Debug, Clone)]
pub struct CodeItem<'a> {
    pub info: Cow<'a, str>,
    pub text: Cow<'a, str>,
    pub offset: usize,
    pub content_offset: usize,
    pub annotation: Option<serde_json::Map<String, serde_json::Value>>,
}

impl CodeItem<'_> {
    pub fn block_type(&self) -> Option<&str> {
        self.annotation.as_ref()?.get("blockType")?.as_str()
    }
}

#[derive(Debug, Clone)]
pub enum Item<'a> {
    Paragraph(Inline<'a>),
    Table(Table<'a>),
    Code(CodeItem<'a>),
}

/// Content under one heading (level 2 or deeper), or before the first one.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    pub level: u8,
    /// The heading text, lowercased, markup removed.
    pub title: String,
    /// The heading text as written (for names such as `relationType values`).
    pub heading: String,
    /// The enclosing level-2 heading, normalized the same way (equal to `title` for a level-2 section).
    pub h2: String,
    pub offset: usize,
    pub items: Vec<Item<'a>>,
}

/// A relative link to another page of the docs, the first on this page with its target; resolve
/// checks that the page exists. Other links (web addresses, anchors, DocFX includes) are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    /// As written, for the message.
    pub target: String,
    /// The page it points to, relative to the docs root ([`Link::page`]).
    pub page: String,
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct PageSections<'a> {
    pub file: String,
    pub front_matter: FrontMatter,
    pub title: Option<Inline<'a>>,
    pub namespace: Option<String>,
    /// Content between the title and the first level-2 heading.
    pub intro: Vec<Item<'a>>,
    pub sections: Vec<Section<'a>>,
    pub links: Vec<PageLink>,
    pub lines: LineIndex,
}

impl<'p> PageSections<'p> {
    /// Sections whose enclosing level-2 heading is one of `names` (normalized).
    pub fn under<'a>(&'a self, names: &'a [&'a str]) -> impl Iterator<Item = &'a Section<'p>> + 'a {
        self.sections.iter().filter(move |s| names.iter().any(|n| s.h2 == *n))
    }

    pub fn title_text(&self) -> String {
        self.front_matter.title.clone().or_else(|| self.title.as_ref().map(|t| t.text.to_string())).unwrap_or_default()
    }
}

/// Lowercase, trimmed, without trailing colons, bold markers or `&nbsp;`.
pub fn normalize_heading(text: &str) -> String {
    // Headings are nearly always ASCII: no `&nbsp;` to replace, and lowercased without Unicode tables.
    if text.is_ascii() {
        let mut text = trim_heading(text).to_owned();
        text.make_ascii_lowercase();
        text
    } else {
        trim_heading(&text.replace('\u{a0}', " ")).to_lowercase()
    }
}

/// A heading's text without surrounding spaces, bold markers or trailing colons.
fn trim_heading(text: &str) -> &str {
    text.trim().trim_matches('*').trim_end_matches(':').trim()
}

/// Splits one page; `includes` holds the include files it may name (`[!INCLUDE]` directives).
pub fn split<'a>(file: &str, text: &'a str, includes: &'a Includes, diagnostics: &mut Diagnostics) -> PageSections<'a> {
    let lines = LineIndex::new(file, text);
    let markdown = markdown::parse(text);
    let front_matter = read_front_matter(&markdown, &lines, diagnostics);
    find_todos(text, &lines, diagnostics);

    let page = PageSections {
        file: file.to_string(),
        front_matter,
        title: None,
        namespace: None,
        intro: Vec::new(),
        sections: Vec::new(),
        links: Vec::new(),
        lines,
    };
    let mut splitter = Splitter {
        page,
        includes,
        diagnostics,
        pending_annotation: None,
        h2: String::new(),
        link_targets: BTreeSet::new(),
        open_includes: Vec::new(),
    };
    let file_key = file.to_string();
    for block in markdown.blocks {
        splitter.block(block, text, &file_key, 0);
    }
    splitter.page
}

/// The state of [`split`] while it walks the blocks of a page and of the files it includes.
struct Splitter<'a, 'd> {
    page: PageSections<'a>,
    includes: &'a Includes,
    diagnostics: &'d mut Diagnostics,
    /// An annotation waiting for the code fence it belongs to.
    pending_annotation: Option<serde_json::Map<String, serde_json::Value>>,
    h2: String,
    /// A page links to the same target many times; each target is looked at once.
    link_targets: BTreeSet<String>,
    /// The include files being read, outermost first, to catch a file that includes itself.
    open_includes: Vec<String>,
}

impl<'a> Splitter<'a, '_> {
    /// Takes one block of `text`, the text of the page or of an include file with key `from`, whose
    /// offsets are moved by `base` into the page's offsets (0 for the page's own blocks).
    fn block(&mut self, mut block: Block<'a>, text: &'a str, from: &str, base: usize) {
        if let Block::Paragraph(inline) = &block {
            if is_include_paragraph(inline) {
                // The directive stands in for what it includes: an annotation before it still
                // belongs to what comes next.
                let targets: Vec<String> = inline.links.iter().map(|link| link.target.to_string()).collect();
                for target in targets {
                    self.include(&target, from, inline.offset + base);
                }
                return;
            }
        }
        // An annotation belongs to the fence right after it; anything else in between drops it,
        // as ApiDoctor does.
        let annotation = match &block {
            Block::Code { .. } => self.pending_annotation.take(),
            Block::Comment { .. } => None,
            _ => {
                self.pending_annotation = None;
                None
            }
        };
        if let Block::Table { rows, .. } = &mut block {
            limit_rows(rows, text, base, &self.page.lines, self.diagnostics);
        }
        if let Block::Table { header, rows, .. } = &block {
            check_table_shape(header, rows, text, base, &self.page.lines, self.diagnostics);
        }
        block.shift(base);
        match block {
            Block::Heading { is_tab_marker: true, .. } => {}
            Block::Heading { level: 1, content, .. } => {
                self.note_links(from, &content.links);
                if self.page.title.is_none() {
                    self.page.title = Some(content);
                }
            }
            Block::Heading { level, content, .. } => {
                self.note_links(from, &content.links);
                let title = normalize_heading(&content.text);
                if level == 2 {
                    self.h2 = title.clone();
                }
                self.page.sections.push(Section {
                    level,
                    title,
                    heading: content.text.trim().to_string(),
                    h2: self.h2.clone(),
                    offset: content.offset,
                    items: Vec::new(),
                });
            }
            Block::Paragraph(mut inline) => {
                self.note_links(from, &inline.links);
                if includes::has_directive(&inline.text) {
                    self.include_inline(&mut inline, from);
                }
                if let Some(rest) = inline.text.strip_prefix("Namespace:") {
                    // The description often follows on the next line of the same paragraph.
                    let mut words = rest.split_whitespace();
                    let namespace = words.next().unwrap_or_default().trim_end_matches('.').to_string();
                    let description = words.collect::<Vec<_>>().join(" ");
                    if self.page.namespace.is_none() {
                        self.page.namespace = Some(namespace);
                    }
                    if !description.is_empty() {
                        self.push_item(Item::Paragraph(Inline { text: description.into(), ..inline }));
                    }
                    return;
                }
                self.push_item(Item::Paragraph(inline));
            }
            Block::Table { mut header, mut rows, offset } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    self.note_links(from, &cell.links);
                    if includes::has_directive(&cell.text) {
                        self.include_inline(cell, from);
                    }
                }
                let columns = header.iter().map(|cell| normalize_heading(&cell.text)).collect();
                self.push_item(Item::Table(Table { header, columns, rows, offset }));
            }
            Block::Code { info, text, offset, content_offset } => {
                self.push_item(Item::Code(CodeItem { info, text, offset, content_offset, annotation }));
            }
            Block::Comment { text, offset } => {
                self.pending_annotation = read_annotation(&text, offset, &self.page.lines, self.diagnostics);
            }
        }
    }

    /// Reads the blocks of the file `target` names (written in the file `from`) in place of the
    /// directive at page offset `directive`.
    fn include(&mut self, target: &str, from: &str, directive: usize) {
        let Some(key) = includes::resolve(from, target) else {
            return self.include_problem(
                Code::IncludeMissing,
                directive,
                format!("cannot read include `{target}`: not a relative path"),
            );
        };
        if includes::is_sdk_sample(&key) {
            return;
        }
        if self.open_includes.contains(&key) || self.open_includes.len() >= includes::MAX_DEPTH {
            let chain = self.open_includes.join(" → ");
            return self.include_problem(
                Code::IncludeLoop,
                directive,
                format!("include `{target}` loops: {chain} → {key}"),
            );
        }
        let includes: &'a Includes = self.includes;
        let Some(text) = includes.get(&key) else {
            return self.include_problem(
                Code::IncludeMissing,
                directive,
                format!("include `{target}` not found (looked for {key})"),
            );
        };
        let base = self.page.lines.include(directive, text.len());
        // An include file's own front matter says nothing about the page.
        let markdown = markdown::parse(text);
        self.open_includes.push(key.clone());
        for block in markdown.blocks {
            self.block(block, text, &key, base);
        }
        self.open_includes.pop();
    }

    /// An include inside a cell or a sentence (`Unique identifier. [!INCLUDE [x](x.md)]`) adds the
    /// included text to it.
    fn include_inline(&mut self, inline: &mut Inline<'a>, from: &str) {
        let mut text = inline.text.to_string();
        for link in &inline.links {
            let Some(written) = directive_in(&text, &link.text) else { continue };
            let Some(key) = includes::resolve(from, &link.target).filter(|key| !includes::is_sdk_sample(key)) else {
                continue;
            };
            let Some(included) = self.includes.get(&key) else {
                let message = format!("include `{}` not found (looked for {key})", link.target);
                self.include_problem(Code::IncludeMissing, link.offset, message);
                continue;
            };
            let plain: Vec<String> = markdown::parse(included)
                .blocks
                .into_iter()
                .filter_map(|block| match block {
                    Block::Paragraph(p) if !includes::has_directive(&p.text) => Some(p.text.into_owned()),
                    _ => None,
                })
                .collect();
            text.replace_range(written, &plain.join(" "));
        }
        inline.text = Cow::Owned(text.trim().to_string());
    }

    fn include_problem(&mut self, code: Code, directive: usize, message: String) {
        let at = self.page.lines.source(directive);
        self.diagnostics.push(code, &at, message);
    }

    fn note_links(&mut self, from: &str, found: &[Link<'a>]) {
        for link in found {
            if !self.link_targets.insert(link.target.to_string()) {
                continue;
            }
            let Some(page) = link.page(from) else { continue };
            // DocFX `[!INCLUDE [x](../includes/...)]` lines pull in snippets, which are not pages.
            if page.split('/').any(|part| part == "includes") {
                continue;
            }
            self.page.links.push(PageLink { target: link.target.to_string(), page, offset: link.offset });
        }
    }

    fn push_item(&mut self, item: Item<'a>) {
        match self.page.sections.last_mut() {
            Some(section) => section.items.push(item),
            None => self.page.intro.push(item),
        }
    }
}

/// A paragraph that is only include directives (one per line, as pages write them).
fn is_include_paragraph(inline: &Inline<'_>) -> bool {
    let text = inline.text.trim_start();
    if !text.starts_with(includes::DIRECTIVE) || inline.links.is_empty() {
        return false;
    }
    let mut rest = text.to_string();
    for link in &inline.links {
        if let Some(written) = directive_in(&rest, &link.text) {
            rest.replace_range(written, "");
        }
    }
    rest.trim().is_empty()
}

/// Where `text` (inline text as flattened: `[!INCLUDE [name](path)]` reads `[!INCLUDE name]`)
/// holds the directive of the link named `name`, with or without the space.
fn directive_in(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    // The first directive written with the space, else the first without; found among the
    // directive starts, with no pattern made per call (most paragraphs of a page with SDK tabs are
    // include directives).
    let mut without_space = None;
    for at in memchr::memmem::find_iter(text.as_bytes(), includes::DIRECTIVE.as_bytes()) {
        let rest = &text[at + includes::DIRECTIVE.len()..];
        let names = |rest: &str| rest.strip_prefix(name).is_some_and(|after| after.starts_with(']'));
        let end = at + includes::DIRECTIVE.len() + name.len() + 1;
        if rest.strip_prefix(' ').is_some_and(names) {
            return Some(at..end + 1);
        }
        if without_space.is_none() && names(rest) {
            without_space = Some(at..end);
        }
    }
    without_space
}

fn read_front_matter(
    markdown: &markdown::Markdown<'_>,
    lines: &LineIndex,
    diagnostics: &mut Diagnostics,
) -> FrontMatter {
    let Some((yaml, offset)) = &markdown.front_matter else {
        diagnostics.push(Code::FrontMatter, &lines.source(0), "the page has no YAML front matter");
        return FrontMatter::default();
    };
    let fields = match simple_front_matter(yaml) {
        Some(fields) => fields,
        None => match serde_yaml_ng::from_str::<Option<BTreeMap<String, serde_yaml_ng::Value>>>(yaml) {
            Ok(mapping) => mapping
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(key, value)| {
                    let text = match value {
                        serde_yaml_ng::Value::String(s) => s,
                        serde_yaml_ng::Value::Bool(b) => b.to_string(),
                        serde_yaml_ng::Value::Number(n) => n.to_string(),
                        _ => return None,
                    };
                    Some((key, text.trim().to_string()))
                })
                .collect(),
            Err(error) => {
                let at = error.location().map_or(*offset, |l| offset + l.index());
                diagnostics.push(
                    Code::FrontMatter,
                    &lines.source(at),
                    format!("front matter is not valid YAML: {error}"),
                );
                return FrontMatter::default();
            }
        },
    };
    FrontMatter {
        title: fields.get("title").cloned(),
        description: fields.get("description").cloned(),
        doc_type: fields.get("doc_type").cloned(),
        fields,
    }
}

/// Front matter in its everyday form — one `key: value` per line, the value plain or quoted without
/// escapes — read directly. Running the YAML parser on 11,000 such blocks cost half as much as parsing
/// the markdown itself. Anything else (escapes, `: ` inside a plain value, lists, comments, duplicate
/// keys) returns `None` and goes to the YAML parser, which stays the authority.
fn simple_front_matter(yaml: &str) -> Option<BTreeMap<String, String>> {
    let mut fields = BTreeMap::new();
    for line in yaml.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        let key_ok =
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !key_ok {
            return None;
        }
        let value = value.trim();
        if value.is_empty() {
            // A null in YAML: no value, as the YAML path treats it.
            continue;
        }
        let text = if let Some(inner) = value.strip_prefix('"') {
            let inner = inner.strip_suffix('"')?;
            if inner.contains(['"', '\\']) {
                return None;
            }
            inner
        } else if let Some(inner) = value.strip_prefix('\'') {
            let inner = inner.strip_suffix('\'')?;
            if inner.contains('\'') {
                return None;
            }
            inner
        } else {
            let special = value.starts_with(['[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '#', '-', '?', ',']);
            if special || value.contains(": ") || value.contains(" #") || value.ends_with(':') {
                return None;
            }
            value
        };
        if fields.insert(key.to_string(), text.trim().to_string()).is_some() {
            return None;
        }
    }
    Some(fields)
}

/// Reads an annotation comment. Comments that are not JSON objects (`uuid: ...`, commented-out
/// markdown) are not annotations and yield nothing.
fn read_annotation(
    text: &str,
    offset: usize,
    lines: &LineIndex,
    diagnostics: &mut Diagnostics,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let at = lines.source(offset);
    match json::read(text) {
        Ok(json::Read { value: serde_json::Value::Object(map), repaired }) => {
            if let Some(repair) = repaired {
                diagnostics.push(Code::AnnotationLenient, &at, format!("annotation read leniently: {repair}"));
            }
            Some(map)
        }
        Ok(_) => {
            diagnostics.push(Code::AnnotationInvalid, &at, "annotation is JSON but not an object");
            None
        }
        Err(error) => {
            diagnostics.push(Code::AnnotationInvalid, &at, format!("annotation is not readable JSON: {error}"));
            None
        }
    }
}

/// The most rows a table may have. The longest real table (an enum of 826 members) is far below it;
/// a longer one is a broken or hostile page, and would make a type too large to compile or review.
pub const MAX_TABLE_ROWS: usize = 5_000;

/// `text` holds the table at offsets moved by `base` into the page's (see [`LineIndex::include`]).
fn limit_rows(
    rows: &mut Vec<Vec<Inline<'_>>>,
    text: &str,
    base: usize,
    lines: &LineIndex,
    diagnostics: &mut Diagnostics,
) {
    if rows.len() <= MAX_TABLE_ROWS {
        return;
    }
    let first_dropped = rows[MAX_TABLE_ROWS].first().map_or(0, |cell| cell.offset);
    diagnostics.push(
        Code::TableTooLong,
        &lines.source(base + line_start(text, first_dropped)),
        format!("the table has {} rows; docbind reads the first {MAX_TABLE_ROWS}", rows.len()),
    );
    rows.truncate(MAX_TABLE_ROWS);
}

/// pulldown-cmark drops cells beyond the header's count (as GFM says), so extra cells — usually an
/// unescaped `|` inside a cell — are counted on the row's source line.
fn check_table_shape(
    header: &[Inline<'_>],
    rows: &[Vec<Inline<'_>>],
    text: &str,
    base: usize,
    lines: &LineIndex,
    diagnostics: &mut Diagnostics,
) {
    for row in rows {
        let Some(first) = row.first() else { continue };
        let line_start = line_start(text, first.offset);
        let line_end = text[first.offset..].find('\n').map_or(text.len(), |i| first.offset + i);
        let cells = count_cells(&text[line_start..line_end]);
        if cells > header.len() {
            diagnostics.push(
                Code::TableShape,
                &lines.source(base + line_start),
                format!("row has {cells} cells under a {}-column header (an unescaped `|`?)", header.len()),
            );
        }
    }
}

/// The offset of the start of the line that holds `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Cells of a table row as written: `|`s outside code spans and not escaped, minus the outer ones.
fn count_cells(line: &str) -> usize {
    let line = line.trim();
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').filter(|rest| !rest.ends_with('\\')).unwrap_or(inner);
    // Without code spans or escapes every `|` separates cells, which bytes can count.
    if memchr::memchr2(b'`', b'\\', inner.as_bytes()).is_none() {
        return memchr::memchr_iter(b'|', inner.as_bytes()).count() + 1;
    }
    let mut cells = 1;
    let mut in_code = false;
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => in_code = !in_code,
            '|' if !in_code => cells += 1,
            _ => {}
        }
    }
    cells
}

/// Every `TODO` the doc template left in the page, located.
fn find_todos(text: &str, lines: &LineIndex, diagnostics: &mut Diagnostics) {
    for at in memchr::memmem::find_iter(text.as_bytes(), b"TODO") {
        let line_end = text[at..].find('\n').map_or(text.len(), |e| at + e);
        let snippet: String = text[at..line_end].chars().take(60).collect();
        let snippet = snippet.trim_end_matches(['*', ' ', '"', '|']);
        diagnostics.push(
            Code::TodoPlaceholder,
            &lines.source(at),
            format!("template placeholder left in the page: `{snippet}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `directive_in` finds what searching for each spelling in turn found, on texts and names
    /// drawn from the pieces directives are made of (names with spaces and brackets included).
    #[test]
    fn directive_in_finds_the_spaced_directive_first_then_the_other() {
        let searched = |text: &str, name: &str| {
            [format!("{} {name}]", includes::DIRECTIVE), format!("{}{name}]", includes::DIRECTIVE)]
                .iter()
                .find_map(|directive| text.find(directive.as_str()).map(|at| at..at + directive.len()))
        };
        let pieces = ["[!INCLUDE", " ", "x", "y", "]", "[", "é", "!"];
        let mut rng = crate::emit::random::Lcg(7);
        let mut draw = |n: usize| rng.below(n);
        let mut found = 0;
        for _ in 0..20_000 {
            let name: String = (0..draw(4)).map(|_| pieces[1 + draw(pieces.len() - 1)]).collect();
            let mut text: String = (0..draw(12)).map(|_| pieces[draw(pieces.len())]).collect();
            // Often the directive itself, spaced or not, somewhere among the pieces.
            if draw(2) == 0 {
                let at = text.char_indices().map(|(i, _)| i).nth(draw(text.chars().count() + 1)).unwrap_or(text.len());
                let space = if draw(2) == 0 { " " } else { "" };
                text.insert_str(at, &format!("{}{space}{name}]", includes::DIRECTIVE));
            }
            let expected = searched(&text, &name);
            found += usize::from(expected.is_some());
            assert_eq!(directive_in(&text, &name), expected, "{text:?} {name:?}");
        }
        assert!(found > 8000, "only {found} texts held their directive");
    }

    /// The fast path and the YAML parser agree on every form the fast path accepts, and the fast path
    /// declines the forms it cannot read exactly.
    #[test]
    fn simple_front_matter_agrees_with_yaml() {
        let accepted = "title: \"user: findMeetingTimes\"\ndescription: Plain text, with commas.\nlocalization_priority: \"Normal \"\nms.prod: 'sharepoint'\nms.date: 09/10/2017\ndoc_type: apiPageType\nempty:\n";
        let fast = simple_front_matter(accepted).expect("the fast path reads it");
        let yaml: BTreeMap<String, Option<String>> = serde_yaml_ng::from_str(accepted).unwrap();
        let yaml: BTreeMap<String, String> =
            yaml.into_iter().filter_map(|(k, v)| Some((k, v?.trim().to_string()))).collect();
        assert_eq!(fast, yaml);
        for declined in [
            "title: driveItem: createUploadSession",
            "title: \"a \\\"b\\\"\"",
            "tags:\n  - a",
            "a: 1\na: 2",
            "title: x # note",
        ] {
            assert!(simple_front_matter(declined).is_none(), "{declined}");
        }
    }
}
