//! Stage 1: page bytes → front matter + a flat list of located markdown blocks.
//!
//! Takes the text of one page; gives its YAML front matter (as a raw mapping) and the blocks docbind
//! cares about — headings, paragraphs, tables, fenced code and HTML comments — each with the byte
//! offset it starts at. Nothing here knows what a Graph page means; that is the next stage's job.
//!
//! Text borrows from the page wherever the markdown source holds it as is (most cells, code blocks
//! and comments); only text that markup splits or unescapes is copied.

use std::borrow::Cow;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Source;

/// Turns byte offsets into 1-based line and column numbers.
///
/// Text pulled in by an include directive is given offsets after the page's own text (see
/// [`LineIndex::include`]); every offset inside it is located at the directive's line, since the
/// page is what the reader has open.
#[derive(Debug, Clone)]
pub struct LineIndex {
    file: std::sync::Arc<str>,
    line_starts: Vec<usize>,
    /// Where the next included text starts: past the page's text and every span given out.
    next_span: usize,
    /// Included spans, in order: (start, end, where the directive is).
    included: Vec<(usize, usize, Source)>,
}

impl LineIndex {
    pub fn new(file: &str, text: &str) -> Self {
        // Room for a line per 32 bytes (corpus lines average 39), so that a long page's list is not
        // regrown line by line, without a first pass to count them.
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { file: file.into(), line_starts, next_span: text.len() + 1, included: Vec::new() }
    }

    pub fn source(&self, offset: usize) -> Source {
        if offset >= self.included.first().map_or(usize::MAX, |span| span.0) {
            let at = self.included.partition_point(|span| span.0 <= offset);
            if let Some((_, end, source)) = at.checked_sub(1).map(|i| &self.included[i]) {
                if offset < *end {
                    return source.clone();
                }
            }
        }
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let column = offset - self.line_starts[line - 1] + 1;
        Source { file: self.file.clone(), line: line as u32, column: column as u32 }
    }

    /// Gives a text of `len` bytes included at `directive` (an offset of the page, or of text
    /// included before) its own span of offsets, and returns where the span starts: add it to the
    /// included text's own offsets.
    pub fn include(&mut self, directive: usize, len: usize) -> usize {
        let at = self.source(directive);
        let start = self.next_span;
        self.next_span = start + len + 1;
        self.included.push((start, start + len + 1, at));
        start
    }
}

/// A hyperlink inside a paragraph or cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Link<'a> {
    pub text: Cow<'a, str>,
    pub target: Cow<'a, str>,
    pub offset: usize,
}

impl Link<'_> {
    /// The page this link points to, relative to the docs root, for a relative `.md` link found on
    /// page `from` (itself relative to the root). `None` for other links.
    pub fn page(&self, from: &str) -> Option<String> {
        let target = &self.target[..memchr::memchr(b'#', self.target.as_bytes()).unwrap_or(self.target.len())];
        // A web address has `://`, so a target without `:` needs no substring search.
        let web = memchr::memchr(b':', target.as_bytes()).is_some() && target.contains("://");
        if !target.ends_with(".md") || web || target.starts_with('/') {
            return None;
        }
        // The folder of `from`, then each part of the target, `..` going up a folder.
        let mut page = String::with_capacity(from.len() + target.len());
        let push = |page: &mut String, part: &str| {
            if !page.is_empty() {
                page.push('/');
            }
            page.push_str(part);
        };
        let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
        for part in folder.split('/').filter(|part| !part.is_empty()) {
            push(&mut page, part);
        }
        for part in target.split('/') {
            match part {
                "" | "." => {}
                ".." => page.truncate(page.rfind('/').unwrap_or(0)),
                part => push(&mut page, part),
            }
        }
        Some(page)
    }
}

/// Inline content flattened to plain text, with the links it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline<'a> {
    pub text: Cow<'a, str>,
    pub links: Vec<Link<'a>>,
    pub offset: usize,
}

/// Empty text that borrows: [`append`] keeps text borrowed only while it is, and a derived
/// `Default` (an empty owned string) would make every heading, paragraph and cell a copy.
impl Default for Inline<'_> {
    fn default() -> Self {
        Inline { text: Cow::Borrowed(""), links: Vec::new(), offset: 0 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block<'a> {
    Heading { level: u8, content: Inline<'a>, is_tab_marker: bool },
    Paragraph(Inline<'a>),
    Table { header: Vec<Inline<'a>>, rows: Vec<Vec<Inline<'a>>>, offset: usize },
    Code { info: Cow<'a, str>, text: Cow<'a, str>, offset: usize, content_offset: usize },
    Comment { text: Cow<'a, str>, offset: usize },
}

impl Inline<'_> {
    fn shift(&mut self, by: usize) {
        self.offset += by;
        for link in &mut self.links {
            link.offset += by;
        }
    }
}

impl Block<'_> {
    /// Moves every offset in the block by `by`: blocks of included text get the span
    /// [`LineIndex::include`] gave it.
    pub fn shift(&mut self, by: usize) {
        match self {
            Block::Heading { content, .. } | Block::Paragraph(content) => content.shift(by),
            Block::Table { header, rows, offset } => {
                *offset += by;
                header.iter_mut().chain(rows.iter_mut().flatten()).for_each(|cell| cell.shift(by));
            }
            Block::Code { offset, content_offset, .. } => {
                *offset += by;
                *content_offset += by;
            }
            Block::Comment { offset, .. } => *offset += by,
        }
    }
}

/// A page split into front matter and blocks.
#[derive(Debug, Clone)]
pub struct Markdown<'a> {
    /// The raw YAML between the `---` lines, and the offset where it starts.
    pub front_matter: Option<(&'a str, usize)>,
    pub blocks: Vec<Block<'a>>,
}

/// Finds the front matter: a first line `---` (trailing spaces allowed, as ten corpus pages have)
/// up to the next line that is `---` or `...`.
fn split_front_matter(text: &str) -> (Option<(&str, usize)>, usize) {
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
            return (Some((&text[yaml_start..offset], yaml_start)), offset + line.len());
        }
        offset += line.len();
    }
    (None, 0)
}

/// What is being collected while walking the events.
enum Open<'a> {
    None,
    Heading {
        level: u8,
        content: Inline<'a>,
    },
    Paragraph(Inline<'a>),
    Table {
        header: Vec<Inline<'a>>,
        rows: Vec<Vec<Inline<'a>>>,
        offset: usize,
        in_head: bool,
        cell: Option<Inline<'a>>,
    },
    Code {
        info: Cow<'a, str>,
        text: Cow<'a, str>,
        offset: usize,
        content_offset: Option<usize>,
    },
    Html {
        text: Cow<'a, str>,
        offset: usize,
    },
}

/// Appends `piece` to `text`. While both are slices of `body` that touch, the result is still a
/// slice of `body`; anything else becomes an owned string, of `room` bytes at first: the length of
/// the block's source, which its flattened text seldom exceeds (a paragraph's soft breaks, a
/// cell's `<br>` and escapes take as many bytes or fewer), so that it is not grown piece by piece.
fn append<'a>(body: &'a str, text: &mut Cow<'a, str>, piece: CowStr<'a>, room: usize) {
    if let (Cow::Borrowed(so_far), CowStr::Borrowed(piece)) = (&*text, &piece) {
        let slice = if so_far.is_empty() { Some(*piece) } else { joined(body, so_far, piece) };
        if let Some(slice) = slice {
            *text = Cow::Borrowed(slice);
            return;
        }
    }
    match text {
        Cow::Borrowed(so_far) => {
            let mut owned = String::with_capacity(room.max(so_far.len() + piece.len()));
            owned.push_str(so_far);
            owned.push_str(&piece);
            *text = Cow::Owned(owned);
        }
        Cow::Owned(owned) => owned.push_str(&piece),
    }
}

/// `first` and `second` as one slice of `body`, if they are slices of it with nothing between.
fn joined<'a>(body: &'a str, first: &str, second: &str) -> Option<&'a str> {
    let base = body.as_ptr() as usize;
    let start = (first.as_ptr() as usize).checked_sub(base)?;
    let end = (second.as_ptr() as usize).checked_sub(base)?.checked_add(second.len())?;
    let touching = start + first.len() == second.as_ptr() as usize - base;
    (touching && end <= body.len()).then(|| body.get(start..end)).flatten()
}

fn owned<'a>(piece: CowStr<'a>) -> Cow<'a, str> {
    match piece {
        CowStr::Borrowed(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.into_string()),
    }
}

pub fn parse(text: &str) -> Markdown<'_> {
    let (front_matter, body_start) = split_front_matter(text);
    let body = &text[body_start..];
    // Corpus pages hold a block per 212 bytes on average; reserving for somewhat more blocks than
    // that saves most of the regrowing of the list.
    let mut blocks = Vec::with_capacity(body.len() / 160 + 4);
    let mut open = Open::None;
    let mut link_stack: Vec<(CowStr<'_>, usize, usize)> = Vec::new();
    // The source length of the heading, paragraph, cell, code or HTML block being read.
    let mut room = 0;

    let parser = Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        let start = range.start + body_start;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                room = range.len();
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
                    room = range.len();
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
                if let Open::Table { header, rows, .. } = &mut open {
                    // A row has the header's cells (pulldown-cmark pads or cuts it to that).
                    rows.push(Vec::with_capacity(header.len()));
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Open::Table { cell, .. } = &mut open {
                    room = range.len();
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
                room = range.len();
                let info = match kind {
                    CodeBlockKind::Fenced(CowStr::Borrowed(info)) => Cow::Borrowed(info.trim()),
                    CodeBlockKind::Fenced(info) => Cow::Owned(info.trim().to_string()),
                    CodeBlockKind::Indented => Cow::Borrowed(""),
                };
                open = Open::Code { info, text: Cow::Borrowed(""), offset: start, content_offset: None };
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Open::Code { info, text, offset, content_offset } = std::mem::replace(&mut open, Open::None) {
                    let content_offset = content_offset.unwrap_or(offset);
                    blocks.push(Block::Code { info, text, offset, content_offset });
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                room = range.len();
                open = Open::Html { text: Cow::Borrowed(""), offset: start };
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Open::Html { text, offset } = std::mem::replace(&mut open, Open::None) {
                    push_comments(&mut blocks, text, offset);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let at = current_inline(&mut open).map_or(0, |i| i.text.len());
                link_stack.push((dest_url, at, start));
            }
            Event::End(TagEnd::Link) => {
                if let Some((target, from, offset)) = link_stack.pop() {
                    if let Some(inline) = current_inline(&mut open) {
                        let text = match &inline.text {
                            Cow::Borrowed(all) => Cow::Borrowed(all.get(from..).unwrap_or_default()),
                            Cow::Owned(all) => Cow::Owned(all.get(from..).unwrap_or_default().to_string()),
                        };
                        inline.links.push(Link { text, target: owned(target), offset });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => match &mut open {
                Open::Code { text, content_offset, .. } => {
                    content_offset.get_or_insert(start);
                    append(body, text, t, room);
                }
                Open::Html { text, .. } => append(body, text, t, room),
                _ => {
                    if let Some(inline) = current_inline(&mut open) {
                        append(body, &mut inline.text, t, room);
                    }
                }
            },
            Event::Html(t) => {
                if let Open::Html { text, .. } = &mut open {
                    append(body, text, t, room);
                }
            }
            Event::InlineHtml(t) => {
                // `<br>` inside a cell separates lines of one description.
                if let Some(inline) = current_inline(&mut open) {
                    if t.trim_start().get(..3).is_some_and(|tag| tag.eq_ignore_ascii_case("<br")) {
                        append(body, &mut inline.text, CowStr::Borrowed(" "), room);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(inline) = current_inline(&mut open) {
                    append(body, &mut inline.text, CowStr::Borrowed(" "), room);
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

fn current_inline<'o, 'a>(open: &'o mut Open<'a>) -> Option<&'o mut Inline<'a>> {
    match open {
        Open::Heading { content, .. } | Open::Paragraph(content) => Some(content),
        Open::Table { cell, .. } => cell.as_mut(),
        _ => None,
    }
}

/// Trims in place: most texts need nothing, and the rest need no new allocation.
fn trim_inline(mut inline: Inline<'_>) -> Inline<'_> {
    match &mut inline.text {
        Cow::Borrowed(text) => *text = text.trim(),
        Cow::Owned(text) => {
            let end = text.trim_end().len();
            text.truncate(end);
            let lead = text.len() - text.trim_start().len();
            if lead > 0 {
                text.drain(..lead);
            }
        }
    }
    inline
}

/// An HTML block may hold several comments (or none); each `<!-- ... -->` becomes a block.
fn push_comments<'a>(blocks: &mut Vec<Block<'a>>, html: Cow<'a, str>, offset: usize) {
    let slice = |part: &str| match &html {
        Cow::Borrowed(all) => {
            let start = part.as_ptr() as usize - all.as_ptr() as usize;
            Cow::Borrowed(&all[start..start + part.len()])
        }
        Cow::Owned(_) => Cow::Owned(part.to_string()),
    };
    let mut rest: &str = &html;
    let mut consumed = 0;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let (body, used) = match after.find("-->") {
            Some(end) => (&after[..end], start + 4 + end + 3),
            None => (after, rest.len()),
        };
        blocks.push(Block::Comment { text: slice(body), offset: offset + consumed + start });
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
    fn relative_links_resolve_against_the_page_folder() {
        let link = |target: &'static str| Link { text: Cow::Borrowed("x"), target: Cow::Borrowed(target), offset: 0 };
        let from = "v1.0/api/user-get.md";
        assert_eq!(link("../resources/user.md#props").page(from).as_deref(), Some("v1.0/resources/user.md"));
        assert_eq!(link("./group.md").page(from).as_deref(), Some("v1.0/api/group.md"));
        assert_eq!(link("../../../../top.md").page(from).as_deref(), Some("top.md"));
        assert_eq!(link("user.md").page("single.md").as_deref(), Some("user.md"));
        for other in ["https://example.com/a.md", "/abs.md", "image.png", "#anchor"] {
            assert_eq!(link(other).page(from), None, "{other}");
        }
    }

    #[test]
    fn text_held_as_is_in_the_source_is_borrowed() {
        let page = parse("# Title\n\nOne line.\n\n|A|B|\n|-|-|\n|x|y z|\n\nTwo\nlines.\n");
        let borrowed = |inline: &Inline| matches!(inline.text, Cow::Borrowed(_));
        let Block::Heading { content, .. } = &page.blocks[0] else { panic!("no heading") };
        assert!(borrowed(content));
        let Block::Paragraph(paragraph) = &page.blocks[1] else { panic!("no paragraph") };
        assert!(borrowed(paragraph));
        let Block::Table { header, rows, .. } = &page.blocks[2] else { panic!("no table") };
        assert!(header.iter().chain(&rows[0]).all(borrowed));
        // A soft break becomes a space, which the source does not hold: that text is a copy.
        let Block::Paragraph(two) = &page.blocks[3] else { panic!("no second paragraph") };
        assert_eq!((two.text.as_ref(), borrowed(two)), ("Two lines.", false));
    }

    #[test]
    fn comments_in_one_html_block_are_split() {
        let page = parse("<!-- { \"a\": 1 } -->\n<!-- uuid: x -->\n");
        assert_eq!(page.blocks.len(), 2);
    }
}
