//! Path templates and URLs: a request line read into a [`PathTemplate`], a concrete URL matched
//! against one (the values it gives the placeholders), and the URLs Graph's aliases (`/me`,
//! `/drive`, a drive's `root`) stand for, and which request lines move raw content (`…/content`,
//! `…/$value`) instead of JSON.
//!
//! Takes the text of request lines and example URLs; gives templates (data of the IR) and the
//! values a URL fills in. Lowering, resolution, the path tree and the emitter all read paths
//! through this module.

use crate::ir::*;

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

impl PathTemplate {
    /// Whether a concrete URL (absolute or not, with or without a query) is this path with its
    /// placeholders filled in.
    pub fn matches(&self, url: &str) -> bool {
        self.capture(url).is_some()
    }

    /// The values a concrete URL gives this path's placeholders, in order, when the URL matches.
    /// Literal text must be equal ignoring ASCII case; a placeholder takes the shortest non-empty
    /// text up to the literal after it and never crosses a `/`, so function segments such as
    /// `range(address={address})` and `root:/{item-path}:` capture too. Values are percent-decoded,
    /// as the documented URL is written encoded.
    pub fn capture(&self, url: &str) -> Option<Vec<String>> {
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let path = match path.find("graph.microsoft.com/") {
            Some(at) => path[at + "graph.microsoft.com/".len()..].split_once('/').map_or("", |(_, rest)| rest),
            None => path,
        };
        let concrete = format!("/{}", path.trim_matches('/'));
        // A documented trailing `/` is not part of the resource's path.
        let last = self.segments.len().saturating_sub(1);
        let pieces: Vec<TemplatePiece> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, piece)| match piece {
                PathPiece::Literal(text) if i == last && text.len() > 1 => {
                    TemplatePiece::Text(text.trim_end_matches('/'))
                }
                PathPiece::Literal(text) => TemplatePiece::Text(text),
                PathPiece::Parameter(_) => TemplatePiece::Placeholder(""),
            })
            .collect();
        let values = fill(&pieces, &concrete, true)?;
        Some(values.iter().map(|v| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned()).collect())
    }

    /// The query written into the request line (`?startDateTime={start_datetime}&$expand=manager`)
    /// as percent-decoded name/value pairs. A value may hold placeholders.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(decoded_query).unwrap_or_default()
    }
}

/// `a=1&b=x%20y` as decoded pairs.
pub fn decoded_query(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Literal text and `{placeholders}` of a template text such as a query value.
pub fn template_pieces(text: &str) -> Vec<TemplatePiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        if open > 0 {
            pieces.push(TemplatePiece::Text(&rest[..open]));
        }
        pieces.push(TemplatePiece::Placeholder(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(TemplatePiece::Text(rest));
    }
    pieces
}

/// The values a concrete text gives a template's placeholders, when it matches. Literal text must be
/// equal ignoring ASCII case; a placeholder takes the shortest non-empty text up to the literal
/// after it (and, in a path, never crosses a `/`).
pub(crate) fn fill(pieces: &[TemplatePiece], concrete: &str, in_path: bool) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut rest = concrete;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            TemplatePiece::Text(text) => {
                let head = rest.get(..text.len()).filter(|head| head.eq_ignore_ascii_case(text))?;
                rest = &rest[head.len()..];
            }
            TemplatePiece::Placeholder(_) => {
                let limit = if in_path { rest.find('/').unwrap_or(rest.len()) } else { rest.len() };
                // Up to the literal after it; a path placeholder followed by `/` fills its segment.
                let end = match pieces.get(i + 1) {
                    Some(TemplatePiece::Text(next)) if !(next.is_empty() || in_path && next.starts_with('/')) => {
                        rest.to_ascii_lowercase().find(&next.to_ascii_lowercase())?
                    }
                    _ => limit,
                };
                if end == 0 || end > limit {
                    return None;
                }
                values.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(values)
}

/// Template text borrowed for matching: literal text, or a placeholder with its name.
pub enum TemplatePiece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

impl Call<'_> {
    /// Whether the response is the raw content of a file or value (a `Stream` response, or a GET of
    /// `…/$value`) rather than JSON: the client hands it out as bytes.
    pub fn raw_response(&self) -> bool {
        let stream =
            self.line.response.body_type().is_some_and(|t| t.target == TypeTarget::Primitive(Primitive::Stream));
        stream || (self.line.method == Method::Get && is_raw_content_path(&self.line.path))
    }

    /// The request body is raw content: `PUT …/content` (a file) or `PUT …/$value` (a photo) with
    /// no JSON body documented, or a documented `Stream`. The request function takes the content
    /// and its type.
    pub fn raw_request(&self) -> bool {
        match &self.operation.body {
            Some(BodySpec::Type { type_ref }) => type_ref.target == TypeTarget::Primitive(Primitive::Stream),
            Some(BodySpec::Parameters { .. }) => false,
            None => self.line.method == Method::Put && is_raw_content_path(&self.line.path),
        }
    }
}

/// A path whose resource is raw content rather than JSON: a file's `…/content`, a `…/$value`.
fn is_raw_content_path(path: &str) -> bool {
    path.ends_with("/content") || path.ends_with("/$value")
}

impl RequestLine {
    /// The parameters the request line's query asks values for, in order (`start_datetime` of
    /// `?startDateTime={start_datetime}`).
    pub fn query_parameters(&self) -> Vec<String> {
        let pairs = self.path_template.query_pairs();
        pairs
            .iter()
            .filter(|(name, _)| !name.is_empty())
            .flat_map(|(_, value)| template_pieces(value))
            .filter_map(|piece| match piece {
                TemplatePiece::Placeholder(name) => Some(name.trim().to_string()),
                TemplatePiece::Text(_) => None,
            })
            .collect()
    }
}

impl UrlAlias {
    /// The example's URL with each alias written in the plain form (keys `alias`), for each way of
    /// reading it: first `/me` or `/drive`, then a drive's `root` (by path or not), then both.
    pub fn plain_forms(url: &str) -> Vec<(String, Vec<UrlAlias>)> {
        let (origin, rest) = match url.find("graph.microsoft.com/") {
            Some(at) => {
                let after = at + "graph.microsoft.com/".len();
                let version_end = url[after..].find('/').map_or(url.len(), |i| after + i);
                url.split_at(version_end)
            }
            None => ("", url),
        };
        let me = |path: &str| {
            let is_me = path == "/me" || path.starts_with("/me/") || path.starts_with("/me?");
            is_me.then(|| format!("/users/alias{}", &path[3..]))
        };
        let root = |path: &str| -> Option<(String, UrlAlias)> {
            let (before_query, query) = path.split_at(path.find('?').unwrap_or(path.len()));
            // `/root` right after `/drive` or `/drives/{id}`, ending the segment or opening `:/…:`.
            let at = before_query.match_indices("/root").map(|(i, _)| i).find(|&i| {
                let before = &before_query[..i];
                let drive = before.ends_with("/drive")
                    || before.rsplit_once('/').is_some_and(|(head, _)| head.ends_with("/drives"));
                drive && matches!(before_query[i + "/root".len()..].chars().next(), None | Some('/') | Some(':'))
            })?;
            let after = &before_query[at + "/root".len()..];
            if let Some(colon) = after.strip_prefix(":/") {
                let end = colon.find(':').unwrap_or(colon.len());
                let item = percent_encoding::percent_decode_str(&colon[..end]).decode_utf8_lossy().into_owned();
                let rest = colon.get(end + 1..).unwrap_or_default();
                Some((format!("{}/items/alias{rest}{query}", &before_query[..at]), UrlAlias::DriveRootPath(item)))
            } else {
                Some((format!("{}/items/alias{after}{query}", &before_query[..at]), UrlAlias::DriveRoot))
            }
        };
        let mut forms = Vec::new();
        let drive = |path: &str| {
            let is_drive = path == "/drive" || path.starts_with("/drive/") || path.starts_with("/drive?");
            is_drive.then(|| format!("/users/alias{path}"))
        };
        if let Some(plain) = me(rest) {
            forms.push((format!("{origin}{plain}"), vec![UrlAlias::Me]));
        }
        if let Some(plain) = drive(rest) {
            forms.push((format!("{origin}/me{rest}"), vec![UrlAlias::Drive]));
            forms.push((format!("{origin}{plain}"), vec![UrlAlias::Drive]));
        }
        if let Some((plain, alias)) = root(rest) {
            forms.push((format!("{origin}{plain}"), vec![alias]));
        }
        if let Some((plain, alias)) = me(rest).as_deref().and_then(root) {
            forms.push((format!("{origin}{plain}"), vec![UrlAlias::Me, alias]));
        }
        if drive(rest).is_some() {
            for plain in [format!("/me{rest}"), format!("/users/alias{rest}")] {
                if let Some((plain, alias)) = root(&plain) {
                    forms.push((format!("{origin}{plain}"), vec![UrlAlias::Drive, alias]));
                }
            }
        }
        forms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
