//! JSON batching (`POST /$batch`): request values sent together, and the responses split back into
//! typed results through the handles `Batch::add` returned. Graph takes 20 requests in one batch;
//! a longer batch goes as several, in order. Requests can wait for others (`dependsOn`), and the
//! ones Graph answers 429 are sent again after their `Retry-After`, within the client's retry policy.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Value};

use crate::client::{Client, Outgoing, Payload};
use crate::error::{Error, Headers};
use crate::request::{decode_json, Decoder};
use crate::request::{Content, Method, Request};

/// Graph accepts at most this many requests in one `$batch`; more are split into several.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Requests to send together, all for one API version.
#[derive(Debug)]
pub struct Batch {
    api_version: &'static str,
    entries: Vec<Entry>,
    invalid: Option<Error>,
}

#[derive(Debug)]
struct Entry {
    id: String,
    /// The request's JSON form, without `dependsOn`.
    json: Value,
    depends_on: Vec<String>,
}

/// Where one request's result will be in the batch's responses; `T` is its response type.
#[derive(Debug)]
pub struct BatchHandle<T> {
    id: String,
    /// The request's own decoder: an item answers what the request alone would.
    decode: Decoder<T>,
}

impl<T> BatchHandle<T> {
    /// The request's id in the batch (`"1"`, `"2"`...).
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// One response of a batch.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    headers: Headers,
    body: Value,
}

/// The responses of a batch, by request id.
#[derive(Debug, Default)]
pub struct BatchResponses {
    by_id: BTreeMap<String, Answer>,
}

impl Batch {
    pub fn new(api_version: &'static str) -> Self {
        Batch { api_version, entries: Vec::new(), invalid: None }
    }

    /// Adds a request; its result is read back with the returned handle. A request that cannot be
    /// built, has a raw or streamed body, or is for another API version makes the whole batch invalid.
    pub fn add<T>(&mut self, request: Request<T>) -> BatchHandle<T> {
        let id = (self.entries.len() + 1).to_string();
        if request.api_version != self.api_version {
            let problem = format!("a {} request in a {} batch", request.api_version, self.api_version);
            self.invalid.get_or_insert(Error::InvalidRequest(problem));
        }
        match request.path_and_query() {
            Ok(url) => {
                let mut json = json!({ "id": id, "method": request.method.as_str(), "url": url });
                if !request.headers.is_empty() {
                    json["headers"] =
                        request.headers.iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect();
                }
                match &request.body {
                    Some(Ok(Content::Json(body))) => {
                        json["body"] = body.clone();
                        json["headers"]["Content-Type"] = json!("application/json");
                    }
                    Some(Ok(_)) => {
                        let problem = "a batch carries JSON bodies only".to_string();
                        self.invalid.get_or_insert(Error::InvalidRequest(problem));
                    }
                    Some(Err(error)) => {
                        self.invalid.get_or_insert(Error::InvalidRequest(error.to_string()));
                    }
                    None => {}
                }
                self.entries.push(Entry { id: id.clone(), json, depends_on: Vec::new() });
            }
            Err(error) => {
                self.invalid.get_or_insert(Error::InvalidRequest(error.to_string()));
            }
        }
        BatchHandle { id, decode: request.decode }
    }

    /// `request` runs only after `first` has succeeded (`dependsOn`); if `first` fails, `request`
    /// is not run and its result is a 424 (Failed Dependency).
    pub fn depends_on<T, U>(&mut self, request: &BatchHandle<T>, first: &BatchHandle<U>) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.id == request.id) {
            entry.depends_on.push(first.id.clone());
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl BatchResponses {
    /// The typed result of one request of the batch: its value, or Graph's error for it.
    pub fn get<T>(&self, handle: &BatchHandle<T>) -> Result<T, Error> {
        let answer = self.by_id.get(&handle.id).ok_or_else(|| {
            Error::InvalidRequest(format!("the batch response has no entry for request {}", handle.id))
        })?;
        let bytes =
            if answer.body.is_null() { Vec::new() } else { serde_json::to_vec(&answer.body).unwrap_or_default() };
        if answer.status >= 400 {
            return Err(Error::graph(answer.status, answer.headers.clone(), &bytes));
        }
        (handle.decode)(bytes)
    }

    /// The status Graph answered request `handle` with.
    pub fn status<T>(&self, handle: &BatchHandle<T>) -> Option<u16> {
        self.by_id.get(&handle.id).map(|a| a.status)
    }
}

impl Client {
    /// Sends the batch as `POST /{version}/$batch`, 20 requests at a time in the order they were
    /// added, and returns the responses by request.
    pub async fn send_batch(&self, batch: Batch) -> Result<BatchResponses, Error> {
        if let Some(error) = batch.invalid {
            return Err(error);
        }
        let url = format!("{}/{}/$batch", self.base_url, batch.api_version);
        let mut answers = BatchResponses::default();
        for chunk in batch.entries.chunks(MAX_BATCH_REQUESTS) {
            self.send_chunk(&url, chunk, &mut answers).await?;
        }
        Ok(answers)
    }

    /// One `$batch` of at most 20 requests, with the ones answered 429 sent again.
    async fn send_chunk(&self, url: &str, chunk: &[Entry], answers: &mut BatchResponses) -> Result<(), Error> {
        let in_chunk: BTreeSet<&str> = chunk.iter().map(|e| e.id.as_str()).collect();
        // A dependency in an earlier batch has already run: when it failed, so does its dependent.
        let mut to_send: Vec<&Entry> = Vec::new();
        for entry in chunk {
            let failed_earlier = entry
                .depends_on
                .iter()
                .any(|d| !in_chunk.contains(d.as_str()) && answers.by_id.get(d).is_none_or(|a| a.status >= 400));
            if failed_earlier {
                answers.by_id.insert(entry.id.clone(), failed_dependency());
            } else {
                to_send.push(entry);
            }
        }
        let (mut waited, mut backoff) = (Duration::ZERO, self.retry.initial_backoff);
        let mut attempt = 0;
        while !to_send.is_empty() {
            let sending: BTreeSet<&str> = to_send.iter().map(|e| e.id.as_str()).collect();
            let requests: Vec<Value> = to_send
                .iter()
                .map(|entry| {
                    let mut json = entry.json.clone();
                    let depends: Vec<&String> =
                        entry.depends_on.iter().filter(|d| sending.contains(d.as_str())).collect();
                    if !depends.is_empty() {
                        json["dependsOn"] = json!(depends);
                    }
                    json
                })
                .collect();
            let got = self.post_batch(url, requests).await?;
            // Throttled requests go again, with those that failed only because one of them did.
            let throttled: BTreeSet<&str> =
                got.iter().filter(|(_, a)| a.status == 429).map(|(id, _)| id.as_str()).collect();
            let wait = got
                .values()
                .filter(|a| a.status == 429)
                .filter_map(|a| a.headers.retry_after())
                .max()
                .unwrap_or(backoff);
            let again: Vec<&Entry> = to_send
                .iter()
                .copied()
                .filter(|e| {
                    throttled.contains(e.id.as_str())
                        || (got.get(&e.id).is_some_and(|a| a.status == 424)
                            && e.depends_on.iter().any(|d| throttled.contains(d.as_str())))
                })
                .collect();
            let may_retry =
                !throttled.is_empty() && attempt < self.retry.max_retries && waited + wait <= self.retry.max_total_wait;
            for (id, answer) in got {
                answers.by_id.insert(id, answer);
            }
            if !may_retry {
                break;
            }
            tokio::time::sleep(wait).await;
            waited += wait;
            backoff *= 2;
            attempt += 1;
            to_send = again;
        }
        Ok(())
    }

    async fn post_batch(&self, url: &str, requests: Vec<Value>) -> Result<BTreeMap<String, Answer>, Error> {
        let body =
            serde_json::to_vec(&json!({ "requests": requests })).map_err(|e| Error::InvalidRequest(e.to_string()))?;
        let outgoing = Outgoing {
            method: Method::Post,
            url: url.to_string(),
            template: "/$batch",
            headers: &[],
            body: Payload::Replayable { content_type: "application/json".into(), bytes: body.into() },
            authorize: true,
        };
        let (_, bytes) = self.exchange(outgoing).await?;
        // `{"responses": [{"id", "status", "headers"?, "body"?}, ...]}`
        let mut envelope: Value = decode_json(bytes)?;
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
            // Header values are strings; a number (`"Retry-After": 3`) is read as its text.
            let headers = entry.get("headers").and_then(Value::as_object).map_or_else(Vec::new, |map| {
                map.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect()
            });
            let headers = Headers::from_pairs(headers);
            let body = entry.get_mut("body").map(Value::take).unwrap_or(Value::Null);
            by_id.insert(id, Answer { status, headers, body });
        }
        Ok(by_id)
    }
}

/// The answer for a request whose dependency failed in an earlier batch, as Graph gives it.
fn failed_dependency() -> Answer {
    Answer {
        status: 424,
        headers: Headers::default(),
        body: json!({ "error": { "code": "FailedDependency", "message": "a request this one depends on failed" } }),
    }
}
