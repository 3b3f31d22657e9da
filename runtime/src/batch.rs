//! JSON batching (`POST /$batch`): several request values sent as one HTTP request, and the
//! responses split back into typed results through the handles `Batch::add` returned.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde_json::{json, Value};

use crate::{decode, graph_error, Client, Error, Method, Request};

/// Graph accepts at most this many requests in one batch.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Requests to send together, all for one API version.
#[derive(Debug)]
pub struct Batch {
    api_version: &'static str,
    requests: Vec<Value>,
    invalid: Option<Error>,
}

/// Where one request's result will be in the batch's responses; `T` is its response type.
#[derive(Debug)]
pub struct BatchHandle<T> {
    id: String,
    response: PhantomData<fn() -> T>,
}

/// The responses of a batch, by request id.
#[derive(Debug, Default)]
pub struct BatchResponses {
    by_id: BTreeMap<String, (u16, Value)>,
}

impl Batch {
    pub fn new(api_version: &'static str) -> Self {
        Batch { api_version, requests: Vec::new(), invalid: None }
    }

    /// Adds a request; its result is read back with the returned handle. A request that cannot be
    /// built, is for another API version, or is one too many makes the whole batch invalid.
    pub fn add<T>(&mut self, request: Request<T>) -> BatchHandle<T> {
        let id = (self.requests.len() + 1).to_string();
        let problem = if request.api_version != self.api_version {
            Some(format!("a {} request in a {} batch", request.api_version, self.api_version))
        } else if self.requests.len() == MAX_BATCH_REQUESTS {
            Some(format!("more than {MAX_BATCH_REQUESTS} requests in one batch"))
        } else {
            None
        };
        if let Some(problem) = problem {
            self.invalid.get_or_insert(Error::InvalidRequest(problem));
        }
        match request.path_and_query() {
            Ok(url) => {
                let mut entry = json!({ "id": id, "method": request.method.as_str(), "url": url });
                if !request.headers.is_empty() {
                    entry["headers"] =
                        request.headers.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect();
                }
                match &request.body {
                    Some(Ok(body)) => {
                        entry["body"] = body.clone();
                        entry["headers"]["Content-Type"] = json!("application/json");
                    }
                    Some(Err(error)) => {
                        self.invalid.get_or_insert(Error::InvalidRequest(error.to_string()));
                    }
                    None => {}
                }
                self.requests.push(entry);
            }
            Err(error) => {
                self.invalid.get_or_insert(Error::InvalidRequest(error.to_string()));
            }
        }
        BatchHandle { id, response: PhantomData }
    }

    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }
}

impl BatchResponses {
    /// The typed result of one request of the batch: its value, or Graph's error for it.
    pub fn get<T: serde::de::DeserializeOwned + 'static>(&self, handle: &BatchHandle<T>) -> Result<T, Error> {
        let (status, body) = self.by_id.get(&handle.id).ok_or_else(|| {
            Error::InvalidRequest(format!("the batch response has no entry for request {}", handle.id))
        })?;
        let bytes = if body.is_null() { Vec::new() } else { serde_json::to_vec(body).unwrap_or_default() };
        if *status >= 400 {
            return Err(graph_error(*status, &bytes));
        }
        decode(&bytes)
    }
}

impl Client {
    /// Sends the batch as one `POST /{version}/$batch` and returns the responses by request.
    pub async fn send_batch(&self, batch: Batch) -> Result<BatchResponses, Error> {
        if let Some(error) = batch.invalid {
            return Err(error);
        }
        let url = format!("{}/{}/$batch", self.base_url, batch.api_version);
        let body = json!({ "requests": batch.requests });
        let bytes = self.execute(Method::Post, &url, &[], Some(&body)).await?;
        // `{"responses": [{"id", "status", "body"?}, ...]}`
        let mut envelope: Value = decode(&bytes)?;
        let malformed = |what: &str| Error::Decode {
            type_name: "a batch response",
            path: what.to_string(),
            error: <serde_json::Error as serde::de::Error>::custom("missing or not of the documented type"),
        };
        // Taken out of the envelope, so that each body moves into the result instead of being copied.
        let Some(Value::Array(entries)) = envelope.get_mut("responses").map(Value::take) else {
            return Err(malformed("responses"));
        };
        let mut by_id = BTreeMap::new();
        for (i, mut entry) in entries.into_iter().enumerate() {
            let id = entry.get("id").and_then(Value::as_str).ok_or_else(|| malformed(&format!("responses[{i}].id")))?;
            let status = entry
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .ok_or_else(|| malformed(&format!("responses[{i}].status")))?;
            let id = id.to_string();
            by_id.insert(id, (status, entry.get_mut("body").map(Value::take).unwrap_or(Value::Null)));
        }
        Ok(BatchResponses { by_id })
    }
}
