//! An example against its request line: the values its request gives the line, or why it
//! cannot be a test of it. Resolution records the verdict of each pair; the emitter writes a test of
//! each pair that has values.

use crate::ir::*;
use crate::template::{decoded_query, fill, template_pieces, TemplatePiece};

impl Call<'_> {
    /// Whether an example's request uses this line's method (examples without a request match).
    pub fn method_matches(&self, example: &Example) -> bool {
        example.request.as_ref().is_none_or(|r| r.method == self.line.method)
    }

    /// What an example request gives this line's request function (path values, values of
    /// the placeholders in the request line's query, further query pairs), or why the example
    /// cannot be a test of it.
    pub fn example_values(&self, example: &Example) -> Result<ExampleValues, Untestable> {
        let Some(request) = &example.request else { return Err(Untestable::UrlMatchesNoRequestLine) };
        if request.opaque_url {
            return Err(Untestable::OpaqueUrl);
        }
        if example.contradictions.iter().any(|c| c.kind == ContradictionKind::WrongType) {
            return Err(Untestable::WrongType);
        }
        if request.method != self.line.method {
            return Err(Untestable::MethodDiffers);
        }
        let (path, aliases) = match self.line.path_template.capture(&request.url) {
            Some(path) => (path, Vec::new()),
            None => UrlAlias::plain_forms(&request.url)
                .into_iter()
                .find_map(|(url, aliases)| Some((self.line.path_template.capture(&url)?, aliases)))
                .ok_or(Untestable::UrlMatchesNoRequestLine)?,
        };
        if path.len() != self.line.path_parameters.len() {
            return Err(Untestable::UrlMatchesNoRequestLine);
        }
        let mut given = request.url.split_once('?').map(|(_, q)| decoded_query(q)).unwrap_or_default();
        let mut query = Vec::new();
        for (name, template) in self.line.path_template.query_pairs().into_iter().filter(|(name, _)| !name.is_empty()) {
            let pieces = template_pieces(&template);
            let position = given.iter().position(|(n, _)| n.eq_ignore_ascii_case(&name));
            if pieces.iter().any(|p| matches!(p, TemplatePiece::Placeholder(_))) {
                // The request line asks for a value here: the example must give it.
                let (_, value) = position.map(|at| given.remove(at)).ok_or(Untestable::UrlMatchesNoRequestLine)?;
                query.extend(fill(&pieces, &value, false).ok_or(Untestable::UrlMatchesNoRequestLine)?);
            } else if let Some(at) = position.filter(|&at| given[at].1 == template) {
                given.remove(at);
            }
        }
        let values = ExampleValues { path, query, extra_query: given, aliases };
        if self.operation.body.is_some() && request.body.is_none() {
            return Err(Untestable::NoRequestBody);
        }
        let sends_json =
            request.body.as_ref().is_some_and(|b| !(b.is_null() || b.as_object().is_some_and(|o| o.is_empty())));
        if self.operation.body.is_none() && !self.raw_request() && (sends_json || request.content.is_some()) {
            return Err(Untestable::RequestBodyNotRead);
        }
        let shows_fields =
            |body: &serde_json::Value| !(body.is_null() || body.as_object().is_some_and(|o| o.is_empty()));
        let shown = example.response.as_ref().and_then(|r| r.body.as_ref()).is_some_and(shows_fields);
        let success = example.response.as_ref().is_some_and(|r| r.status < 400);
        if success && shown && self.line.response.body_type().is_none() {
            let says_none = self.line.response.empty || self.line.response.status == Some(204);
            return Err(if says_none { Untestable::ResponseBodyUndocumented } else { Untestable::ResponseTypeUnknown });
        }
        if let Some(response) = example.response.as_ref().filter(|_| success && self.raw_response()) {
            // The content as documented, or a redirect to a download, is what the test serves.
            return match response.raw_answer() {
                Some(_) => Ok(values),
                None => Err(Untestable::ResponseNotJson),
            };
        }
        if let Some(response) = example.response.as_ref().filter(|r| success && r.body.is_none()) {
            if self.line.response.body_type().is_some() {
                let empty = response.header("content-length") == Some("0");
                let not_json =
                    response.header("content-type").is_some_and(|t| !t.to_ascii_lowercase().contains("json"));
                let redirect = (300..400).contains(&response.status);
                return Err(if redirect || (not_json && !empty) {
                    Untestable::ResponseNotJson
                } else {
                    Untestable::ResponseBodyMissing
                });
            }
        }
        Ok(values)
    }
}
