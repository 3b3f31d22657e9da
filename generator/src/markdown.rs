//! Stage 1: page bytes → front matter + a flat list of located markdown blocks.
//!
//! Takes the text of one page; gives its YAML front matter (as a raw mapping) and the blocks docbind
//! cares about — headings, paragraphs, tables, fenced code and HTML comments — each with the byte
//! offset it starts at. Nothing here knows what a Graph page means; that is the next stage's job.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Source;

/// Turns byte offsets into 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    file: std::sync::Arc<str>,
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(file: &str, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { file: file.into(), line_starts }
    }

    pub fn source(&self, offset: usize) -> Source {
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let column = offset - self.line_starts[line - 1] + 1;
        Source { file: self.file.clone(), line: line as u32, column: column as u32 }
    }
}

/// A hyperlink inside a paragraph or cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub text: String,
    pub target: String,
    pub offset: usize,
}

impl Link {
    /// The page this link points to, relative to the docs root, for a relative `.md` link found on
    /// page `from` (itself relative to the root). `None` for other links.
    pub fn page(&self, from: &str) -> Option<String> {
        let target = self.target.split('#').next().unwrap_or_default();
        if !target.ends_with(".md") || target.contains("://") || target.starts_with('/') {
            return None;
        }
        let mut parts: Vec<&str> =
            from.rsplit_once('/').map_or("", |(dir, _)| dir).split('/').filter(|p| !p.is_empty()).collect();
        for part in target.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        Some(parts.join("/"))
    }
}

/// Inline content flattened to plain text, with the links it holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inline {
    pub text: String,
    pub links: Vec<Link>,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading { level: u8, content: Inline, is_tab_marker: bool },
    Paragraph(Inline),
    Table { header: Vec<Inline>, rows: Vec<Vec<Inline>>, offset: usize },
    Code { info: String, text: String, offset: usize, content_offset: usize },
    Comment { text: String, offset: usize },
}

/// A page split into front matter and blocks.
#[derive(Debug, Clone)]
pub struct Markdown {
    /// The raw YAML between the `---` lines, and the offset where it starts.
    pub front_matter: Option<(String, usize)>,
    pub blocks: Vec<Block>,
}

/// Finds the front matter: a first line `---` (trailing spaces allowed, as ten corpus pages have)
/// up to the next line that is `---` or `...`.
fn split_front_matter(text: &str) -> (Option<(String, usize)>, usize) {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else { return (None, 0) };
    if first.trim_end() != "---" {
        return (None, 0);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return (Some((text[yaml_start..offset].to_string(), yaml_start)), offset + line.len());
        }
        offset += line.len();
    }
    (None, 0)
}

/// What is being collected while walking the events.
enum Open {
    None,
    Heading { level: u8, content: Inline },
    Paragraph(Inline),
    Table { header: Vec<Inline>, rows: Vec<Vec<Inline>>, offset: usize, in_head: bool, cell: Option<Inline> },
    Code { info: String, text: String, offset: usize, content_offset: Option<usize> },
    Html { text: String, offset: usize },
}

pub fn parse(text: &str) -> Markdown {
    let (front_matter, body_start) = split_front_matter(text);
    let body = &text[body_start..];
    let mut blocks = Vec::new();
    let mut open = Open::None;
    let mut link_stack: Vec<(String, usize, usize)> = Vec::new();

    let parser = Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        let start = range.start + body_start;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Open::Heading {
                    level: heading_level(level),
                    content: Inline { offset: start, ..Inline::default() },
                };
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Open::Heading { level, content } = std::mem::replace(&mut open, Open::None) {
                    let is_tab_marker = level == 1 && content.links.iter().any(|l| l.target.starts_with("#tab/"));
                    blocks.push(Block::Heading { level, content: trim_inline(content), is_tab_marker });
                }
            }
            Event::Start(Tag::Paragraph) => {
                if matches!(open, Open::None) {
                    open = Open::Paragraph(Inline { offset: start, ..Inline::default() });
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if let Open::Paragraph(_) = open {
                    if let Open::Paragraph(content) = std::mem::replace(&mut open, Open::None) {
                        blocks.push(Block::Paragraph(trim_inline(content)));
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                open = Open::Table { header: Vec::new(), rows: Vec::new(), offset: start, in_head: false, cell: None };
            }
            Event::Start(Tag::TableHead) => {
                if let Open::Table { in_head, .. } = &mut open {
                    *in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Open::Table { in_head, .. } = &mut open {
                    *in_head = false;
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Open::Table { rows, .. } = &mut open {
                    rows.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Open::Table { cell, .. } = &mut open {
                    *cell = Some(Inline { offset: start, ..Inline::default() });
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Open::Table { header, rows, in_head, cell, .. } = &mut open {
                    let done = trim_inline(cell.take().unwrap_or_default());
                    if *in_head {
                        header.push(done);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(done);
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Open::Table { header, rows, offset, .. } = std::mem::replace(&mut open, Open::None) {
                    blocks.push(Block::Table { header, rows, offset });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                open = Open::Code { info, text: String::new(), offset: start, content_offset: None };
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Open::Code { info, text, offset, content_offset } = std::mem::replace(&mut open, Open::None) {
                    let content_offset = content_offset.unwrap_or(offset);
                    blocks.push(Block::Code { info, text, offset, content_offset });
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                open = Open::Html { text: String::new(), offset: start };
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Open::Html { text, offset } = std::mem::replace(&mut open, Open::None) {
                    push_comments(&mut blocks, &text, offset);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let at = current_inline(&mut open).map_or(0, |i| i.text.len());
                link_stack.push((dest_url.into_string(), at, start));
            }
            Event::End(TagEnd::Link) => {
                if let Some((target, from, offset)) = link_stack.pop() {
                    if let Some(inline) = current_inline(&mut open) {
                        let text = inline.text.get(from..).unwrap_or_default().to_string();
                        inline.links.push(Link { text, target, offset });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => match &mut open {
                Open::Code { text, content_offset, .. } => {
                    content_offset.get_or_insert(start);
                    text.push_str(&t);
                }
                Open::Html { text, .. } => text.push_str(&t),
                _ => {
                    if let Some(inline) = current_inline(&mut open) {
                        inline.text.push_str(&t);
                    }
                }
            },
            Event::Html(t) => {
                if let Open::Html { text, .. } = &mut open {
                    text.push_str(&t);
                }
            }
            Event::InlineHtml(t) => {
                // `<br>` inside a cell separates lines of one description.
                if let Some(inline) = current_inline(&mut open) {
                    if t.trim_start().to_ascii_lowercase().starts_with("<br") {
                        inline.text.push(' ');
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(inline) = current_inline(&mut open) {
                    inline.text.push(' ');
                }
            }
            _ => {}
        }
    }
    Markdown { front_matter, blocks }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn current_inline(open: &mut Open) -> Option<&mut Inline> {
    match open {
        Open::Heading { content, .. } | Open::Paragraph(content) => Some(content),
        Open::Table { cell, .. } => cell.as_mut(),
        _ => None,
    }
}

/// Trims in place: most texts need nothing, and the rest need no new allocation.
fn trim_inline(mut inline: Inline) -> Inline {
    let end = inline.text.trim_end().len();
    inline.text.truncate(end);
    let lead = inline.text.len() - inline.text.trim_start().len();
    if lead > 0 {
        inline.text.drain(..lead);
    }
    inline
}

/// An HTML block may hold several comments (or none); each `<!-- ... -->` becomes a block.
fn push_comments(blocks: &mut Vec<Block>, html: &str, offset: usize) {
    let mut rest = html;
    let mut consumed = 0;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let (body, used) = match after.find("-->") {
            Some(end) => (&after[..end], start + 4 + end + 3),
            None => (after, rest.len()),
        };
        blocks.push(Block::Comment { text: body.to_string(), offset: offset + consumed + start });
        consumed += used;
        rest = &rest[used..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_allows_trailing_space_on_the_opening_line() {
        let page = parse("--- \ntitle: \"a: b\"\n---\n# T\n");
        assert_eq!(page.front_matter.unwrap().0, "title: \"a: b\"\n");
        assert!(matches!(&page.blocks[0], Block::Heading { level: 1, content, .. } if content.text == "T"));
    }

    #[test]
    fn line_index_is_one_based() {
        let index = LineIndex::new("p.md", "ab\ncd\n");
        let at = index.source(4);
        assert_eq!((at.line, at.column), (2, 2));
    }

    #[test]
    fn tab_markers_are_flagged_and_cells_keep_links() {
        let page = parse("# [HTTP](#tab/http)\n\n|A|B|\n|-|-|\n|x|[t](t.md) collection|\n");
        assert!(matches!(&page.blocks[0], Block::Heading { is_tab_marker: true, .. }));
        let Block::Table { rows, .. } = &page.blocks[1] else { panic!("no table") };
        assert_eq!(rows[0][1].text, "t collection");
        assert_eq!(rows[0][1].links[0].target, "t.md");
    }

    #[test]
    fn comments_in_one_html_block_are_split() {
        let page = parse("<!-- { \"a\": 1 } -->\n<!-- uuid: x -->\n");
        assert_eq!(page.blocks.len(), 2);
    }
}
