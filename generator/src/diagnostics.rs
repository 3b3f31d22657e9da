//! Diagnostics: every problem found in the docs, with a stable code and a `file:line:col` location.
//!
//! Every stage pushes into a [`Diagnostics`] list instead of failing, so one bad page never stops a run.

use serde::{Deserialize, Serialize};

/// Where something came from: a page and a 1-based line and column in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Source {
    /// Shared by every location on one page: a page yields thousands of them.
    pub file: std::sync::Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// The stable codes. A code never changes meaning; new problems get new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Code {
    /// The YAML front matter is missing or does not parse.
    FrontMatter,
    /// An `<!-- { ... } -->` annotation could not be read even leniently.
    AnnotationInvalid,
    /// An annotation was read only after repairs (trailing comma, bare key, `"true"` string).
    AnnotationLenient,
    /// A JSON body could not be read even leniently.
    JsonInvalid,
    /// A JSON body was read only after repairs (trailing comma, comment, control character).
    JsonLenient,
    /// A type name that no page of the input defines.
    UnknownType,
    /// A relative link to a page that is not in the input.
    BrokenLink,
    /// An api page whose HTTP request section holds no request line docbind can read.
    NoOperation,
    /// An operation with no documented success status.
    MissingResponse,
    /// A `TODO` left in the page by the doc template.
    TodoPlaceholder,
    /// Two definitions of one type or enum disagree.
    ConflictingDefinition,
    /// Two doc names map to one Rust name; one was renamed.
    NameCollision,
    /// A base type chain that loops back on itself.
    InheritanceCycle,
    /// A table row with a different number of cells than its header.
    TableShape,
    /// An example request or response whose start line cannot be read.
    ExampleInvalid,
    /// An example has a property its documented type does not.
    ExampleExtraProperty,
    /// An example value does not fit the documented type of its property.
    ExampleTypeMismatch,
    /// A table longer than any real one; the rows beyond the limit were left out.
    TableTooLong,
    /// An include directive names a file that is not there (or is not a relative path).
    IncludeMissing,
    /// An include file includes itself, directly or through others (or nests too deep).
    IncludeLoop,
    /// A Permissions section that holds no permission table docbind reads (a permissions
    /// annotation with nothing after it, an include that is missing, scopes only in prose).
    PermissionsUnread,
    /// docbind itself failed on a page; the page was skipped.
    Internal,
}

impl Code {
    /// The code as printed and as matched by users, e.g. `DB006`.
    pub fn id(self) -> &'static str {
        match self {
            Code::FrontMatter => "DB001",
            Code::AnnotationInvalid => "DB002",
            Code::AnnotationLenient => "DB003",
            Code::JsonInvalid => "DB004",
            Code::JsonLenient => "DB005",
            Code::UnknownType => "DB006",
            Code::BrokenLink => "DB007",
            Code::NoOperation => "DB008",
            Code::MissingResponse => "DB009",
            Code::TodoPlaceholder => "DB010",
            Code::ConflictingDefinition => "DB011",
            Code::NameCollision => "DB012",
            Code::InheritanceCycle => "DB013",
            Code::TableShape => "DB014",
            Code::ExampleInvalid => "DB015",
            Code::ExampleExtraProperty => "DB016",
            Code::ExampleTypeMismatch => "DB017",
            Code::TableTooLong => "DB018",
            Code::IncludeMissing => "DB019",
            Code::IncludeLoop => "DB020",
            Code::PermissionsUnread => "DB021",
            Code::Internal => "DB999",
        }
    }

    /// A short kebab-case name, for humans.
    pub fn name(self) -> &'static str {
        match self {
            Code::FrontMatter => "front-matter",
            Code::AnnotationInvalid => "annotation-invalid",
            Code::AnnotationLenient => "annotation-lenient",
            Code::JsonInvalid => "json-invalid",
            Code::JsonLenient => "json-lenient",
            Code::UnknownType => "unknown-type",
            Code::BrokenLink => "broken-link",
            Code::NoOperation => "no-operation",
            Code::MissingResponse => "missing-response",
            Code::TodoPlaceholder => "todo-placeholder",
            Code::ConflictingDefinition => "conflicting-definition",
            Code::NameCollision => "name-collision",
            Code::InheritanceCycle => "inheritance-cycle",
            Code::TableShape => "table-shape",
            Code::ExampleInvalid => "example-invalid",
            Code::ExampleExtraProperty => "example-extra-property",
            Code::ExampleTypeMismatch => "example-type-mismatch",
            Code::TableTooLong => "table-too-long",
            Code::IncludeMissing => "include-missing",
            Code::IncludeLoop => "include-loop",
            Code::PermissionsUnread => "permissions-unread",
            Code::Internal => "internal",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::FrontMatter
            | Code::AnnotationInvalid
            | Code::JsonInvalid
            | Code::InheritanceCycle
            | Code::Internal => Severity::Error,
            Code::AnnotationLenient | Code::JsonLenient | Code::NameCollision => Severity::Note,
            _ => Severity::Warning,
        }
    }
}

/// One problem in the docs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The stable code, e.g. `DB006`.
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: Code, at: &Source, message: impl Into<String>) -> Self {
        Diagnostic {
            file: at.file.to_string(),
            line: at.line,
            column: at.column,
            code: code.id().to_string(),
            name: code.name().to_string(),
            severity: code.severity(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{}:{}:{}: {severity}[{}] {}", self.file, self.line, self.column, self.code, self.message)
    }
}

/// The list every stage appends to.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, code: Code, at: &Source, message: impl Into<String>) {
        self.0.push(Diagnostic::new(code, at, message));
    }
}

/// Renders a diagnostic like rustc does: the message, then the source line with a caret under the
/// column. `text` is the page the diagnostic points into; `shown_path` is how to name it.
pub fn render(diagnostic: &Diagnostic, text: &str, shown_path: &str, styled: bool) -> String {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

    let line_index = diagnostic.line.saturating_sub(1) as usize;
    let line = text.split('\n').nth(line_index).unwrap_or_default().trim_end_matches('\r');
    let start = (diagnostic.column.saturating_sub(1) as usize).min(line.len());
    let start = (0..=start).rev().find(|&i| line.is_char_boundary(i)).unwrap_or(0);
    // Underline the word at the column (at least one character).
    let word = line[start..].find(char::is_whitespace).unwrap_or(line.len() - start);
    let end = (start + word.max(1)).min(line.len());
    let end = (end..=line.len()).find(|&i| line.is_char_boundary(i)).unwrap_or(line.len());
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let snippet = Snippet::source(line)
        .line_start(diagnostic.line as usize)
        .path(shown_path)
        .annotation(AnnotationKind::Primary.span(start..end));
    let report = &[level.primary_title(diagnostic.message.as_str()).id(diagnostic.code.as_str()).element(snippet)];
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    renderer.render(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_shows_the_line_and_a_caret() {
        let at = Source { file: "p.md".into(), line: 2, column: 5 };
        let diagnostic = Diagnostic::new(Code::UnknownType, &at, "type `widget` is not defined");
        let text = render(&diagnostic, "first\n|a |widget|x|\n", "docs/p.md", false);
        assert!(text.contains("warning[DB006]: type `widget` is not defined"), "{text}");
        assert!(text.contains("docs/p.md:2:5"), "{text}");
        assert!(text.contains("|a |widget|x|"), "{text}");
        assert!(text.contains("^^^^^^^^^"), "{text}");
    }
}
