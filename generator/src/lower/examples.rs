//! Examples: the documented request/response pairs of a page, read from their HTTP messages.
//!
//! Takes the page's code fences and their annotations; gives [`Example`]s, not yet checked against
//! the documented types (resolve does that).

use super::*;

impl Page<'_> {
    /// Request/response pairs: by annotation (`request`, then `response`, paired by `name` or by
    /// position), or, without annotations, by the `Request`/`Response` headings above the fences.
    pub(super) fn examples(&self, findings: &mut Findings) -> Vec<Example> {
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
                        let request = self.example_request(code, findings);
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
                        let response = self.example_response(code, findings);
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

    pub(super) fn example_request(&self, code: &CodeItem, findings: &mut Findings) -> Option<ExampleRequest> {
        let message = split_http_message(&code.text);
        let Some((method, url)) = message.start.and_then(request_line) else {
            findings.diagnostics.push(
                Code::ExampleInvalid,
                &self.at(code.content_offset),
                "example request does not start with `METHOD url`",
            );
            return None;
        };
        let body = self.example_body(code, &message, findings);
        // A body that is not JSON is content as sent (a file's text for `PUT …/content`).
        let content = raw_content(body.as_ref(), &message);
        let source = self.at(code.content_offset);
        let opaque_url =
            code.annotation.as_ref().and_then(|a| a.get("opaqueUrl")).is_some_and(|v| v.as_bool() == Some(true));
        Some(ExampleRequest { method, url, headers: message.headers, body, content, opaque_url, source })
    }

    pub(super) fn example_response(&self, code: &CodeItem, findings: &mut Findings) -> Option<ExampleResponse> {
        let message = split_http_message(&code.text);
        let status = message.start.and_then(|line| {
            let mut words = line.split_whitespace();
            words.next().filter(|w| w.to_uppercase().starts_with("HTTP"))?;
            words.next()?.parse::<u16>().ok()
        });
        let Some(status) = status else {
            findings.diagnostics.push(
                Code::ExampleInvalid,
                &self.at(code.content_offset),
                "example response does not start with `HTTP/1.1 <status>`",
            );
            return None;
        };
        let body = self.example_body(code, &message, findings);
        let truncated = code.annotation.as_ref().is_some_and(|a| flag(a.get("truncated")));
        // A body that is not JSON is content as served (`$value` of a message: its MIME text).
        let content = raw_content(body.as_ref(), &message);
        Some(ExampleResponse {
            status,
            headers: message.headers,
            body,
            content,
            truncated,
            source: self.at(code.content_offset),
        })
    }

    pub(super) fn example_body(
        &self,
        code: &CodeItem,
        message: &HttpMessage<'_>,
        findings: &mut Findings,
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
        findings.json_bodies += 1;
        match json::read(body) {
            Ok(read) => {
                findings.json_bodies_parsed += 1;
                if let Some(repair) = read.repaired {
                    findings.diagnostics.push(Code::JsonLenient, &at, format!("JSON body read leniently: {repair}"));
                }
                Some(read.value)
            }
            Err(error) => {
                findings.diagnostics.push(Code::JsonInvalid, &at, format!("JSON body is not readable: {error}"));
                None
            }
        }
    }
}

pub(super) struct HttpMessage<'a> {
    pub(super) start: Option<&'a str>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: &'a str,
    pub(super) body_offset: usize,
}

/// Start line, headers, body. A JSON body may follow the headers without a blank line (as on the
/// seed page), so a line starting with `{` or `[` also ends the headers. Intune pages put a blank
/// line between the start line and the headers; blank lines before the first header are skipped.
/// The body of a message that is not JSON, as written; `None` when there is none or it is JSON.
fn raw_content(json: Option<&serde_json::Value>, message: &HttpMessage<'_>) -> Option<String> {
    let trimmed = message.body.trim();
    (json.is_none() && !trimmed.is_empty() && !trimmed.starts_with(['{', '['])).then(|| trimmed.to_string())
}

pub(super) fn split_http_message(text: &str) -> HttpMessage<'_> {
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
