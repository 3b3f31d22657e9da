//! Operations: the request lines of the HTTP request section, with the body, response, headers,
//! query options and permissions the page documents, and the examples paired with them.
//!
//! Takes the page; gives its [`Operation`] with each of its request lines.

use super::*;

impl Page<'_> {
    pub(super) fn operations(&self, findings: &mut Findings) -> Found {
        // `## HTTP request`, also `## HTTP request (to upload a new file)` and `### HTTP request`.
        let http: Vec<&Section> = self.page.sections.iter().filter(|s| s.title.starts_with("http request")).collect();
        let Some(first) = http.first() else { return Found::default() };
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
        let lines = self.with_function_parameters(lines);
        let Some(last) = lines.last() else {
            findings.diagnostics.push(
                Code::NoOperation,
                &self.at(first.offset),
                "the HTTP request section holds no request line (`METHOD /path`)",
            );
            return Found::default();
        };

        let examples = self.examples(findings);
        let response = self.response(&examples);
        let request_lines: Vec<RequestLine> = lines
            .iter()
            .map(|(method, path, offset)| {
                let (path_template, path_parameters) = parse_path(path);
                RequestLine {
                    method: *method,
                    path: path_template.raw.clone(),
                    path_template,
                    path_parameters,
                    response: response.clone(),
                    examples: Vec::new(),
                    source: self.at(*offset),
                }
            })
            .collect();
        // The body is read for the last request line (the one nearest the request body section).
        let last_path = request_lines.last().map_or("", |line| line.path.as_str());
        let (body, mut found) = self.request_body(last.0, last_path, &response);
        let mut operation = Operation {
            name: self.page.title_text(),
            namespace: self.namespace.clone(),
            area: self.area(),
            description: self.description(),
            api_version: self.api_version(&examples),
            query_options: self.query_options(),
            headers: self.headers(),
            body,
            permissions: self.permissions(findings),
            request_lines,
        };
        // Each example goes to the request line its URL matches (the first line when none does), so
        // that a page with 80 lines does not repeat its examples 80 times; as written first, then
        // with Graph's aliases in their plain form (`/me/messages` for `/users/{id}/messages`).
        for example in examples {
            let url = example.request.as_ref().map(|r| r.url.as_str()).unwrap_or_default();
            let lines = &operation.request_lines;
            let matches = |line: &RequestLine, url: &str| {
                Call { operation: &operation, line }.method_matches(&example) && line.path_template.matches(url)
            };
            let target = lines
                .iter()
                .position(|line| matches(line, url))
                .or_else(|| {
                    let forms = UrlAlias::plain_forms(url);
                    lines.iter().position(|line| forms.iter().any(|(plain, _)| matches(line, plain)))
                })
                .unwrap_or(0);
            operation.request_lines[target].examples.push(example);
        }
        found.operations.push(operation);
        found
    }

    /// A function whose request line writes no parameters (`GET /me/drive/root/delta`,
    /// `…/range/cell`) while the page's parameter table lists some (`token`; `row`, `column`) is
    /// also the call with them: a line `…/delta(token='{token}')` beside the bare one, since
    /// Graph takes both and the examples write the call.
    fn with_function_parameters(&self, lines: Vec<(Method, String, usize)>) -> Vec<(Method, String, usize)> {
        // A name some request line writes is given there: as a path value (`/photos/{size}`) or as
        // the call's argument (`supportedTimeZones(TimeZoneStandard=...)`).
        let written = |name: &str| {
            lines.iter().any(|(_, path, _)| path.contains(&format!("{{{name}}}")) || path.contains(&format!("{name}=")))
        };
        let parameters: Vec<(String, bool)> = self
            .page
            .sections
            .iter()
            .filter(|s| s.level == 2 && (s.title == "function parameters" || s.title == "path parameters"))
            .flat_map(tables)
            .filter_map(|table| Some((table, table.column(&["parameter", "name"])?, table.column(&["type"])?)))
            .flat_map(|(table, name, kind)| {
                table.rows.iter().filter_map(move |row| {
                    let name = clean_name(&row.get(name)?.text);
                    let quoted = row.get(kind)?.text.trim().eq_ignore_ascii_case("string");
                    (is_identifier(&name) && !written(&name)).then_some((name, quoted))
                })
            })
            .collect();
        if parameters.is_empty() {
            return lines;
        }
        let mut out = Vec::with_capacity(lines.len() * 2);
        for (method, path, offset) in lines {
            let bare = path.split('?').next().unwrap_or_default();
            let last = bare.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            let function = method == Method::Get && !path.contains('?') && is_identifier(last);
            let call = function.then(|| {
                let args: Vec<String> = parameters
                    .iter()
                    .map(
                        |(name, quoted)| {
                            if *quoted {
                                format!("{name}='{{{name}}}'")
                            } else {
                                format!("{name}={{{name}}}")
                            }
                        },
                    )
                    .collect();
                format!("{}({})", bare.trim_end_matches('/'), args.join(","))
            });
            out.push((method, path, offset));
            if let Some(call) = call {
                out.push((method, call, offset));
            }
        }
        out
    }

    pub(super) fn api_version(&self, examples: &[Example]) -> String {
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
    /// Also gives the types and enums the body's table implies.
    pub(super) fn request_body(
        &self,
        method: Method,
        path: &str,
        response: &ResponseSpec,
    ) -> (Option<BodySpec>, Found) {
        let section = self.page.sections.iter().find(|s| s.title == "request body");
        let (documented, found) = match section {
            Some(section) => self.documented_body(section),
            None => (None, Found::default()),
        };
        (documented.or_else(|| self.conventional_body(method, path, response, section)), found)
    }

    /// A body the docs leave unsaid or give in prose, by Graph's conventions: a `$ref` POST or PUT
    /// sends a reference (`{"@odata.id": ...}`); a create (`POST`) whose page has no Request body
    /// section, or an update (`PATCH`) that says to "supply the values" to change, sends the type it
    /// returns (an update that returns nothing: the type its title names, `Update printer`).
    pub(super) fn conventional_body(
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

    pub(super) fn documented_body(&self, section: &Section) -> (Option<BodySpec>, Found) {
        let mut found = Found::default();
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
            return (None, found);
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
        let (properties, enums) = table.map(|t| self.property_rows(t, false)).unwrap_or_default();
        found.enums = enums;
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
                    found.types.push(TypeDef {
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
                let type_ref =
                    TypeRef { written: name.clone(), collection: false, target: TypeTarget::Named(name), link };
                (Some(BodySpec::Type { type_ref }), found)
            }
            None if !properties.is_empty() => (Some(BodySpec::Parameters { parameters: properties }), found),
            None => (None, found),
        }
    }

    /// The documented success status and type: the response prose combined with the first example
    /// response and its annotation.
    pub(super) fn response(&self, examples: &[Example]) -> ResponseSpec {
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

    pub(super) fn headers(&self) -> Vec<HeaderSpec> {
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

    pub(super) fn query_options(&self) -> Vec<String> {
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
}

/// `at`, or the nearest char boundary before it, capped at the end of `text`.
pub(super) fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first status code in a Response paragraph: `` `200 OK` `` or `201 Created`.
pub(super) fn status_in(text: &str) -> Option<u16> {
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
pub(super) fn type_in_prose(p: &Inline, from: &str) -> Option<TypeRef> {
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
pub(super) fn says_no_body(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_from_prose() {
        assert_eq!(status_in("If successful, this method returns a `204 No Content` response code."), Some(204));
    }
}
