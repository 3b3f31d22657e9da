//! Large-file uploads over an upload session (`createUploadSession` gives its `uploadUrl`): the
//! file goes up in slices, each a `PUT` with its `Content-Range`, resumed from the session's
//! `nextExpectedRanges` when a slice fails. The upload URL is pre-authorized, so it never gets the
//! client's token.

use std::fmt;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncSeek};

use crate::client::{Client, Outgoing, Payload};
use crate::error::Error;
use crate::request::decode_json;
use crate::request::Method;

/// Slices must be a multiple of this size (320 KiB), except the last.
pub const UPLOAD_SLICE_UNIT: u64 = 320 * 1024;

/// The largest slice an upload session takes (60 MiB).
const MAX_SLICE: u64 = 192 * UPLOAD_SLICE_UNIT;

type Progress = Box<dyn FnMut(u64, u64) + Send>;

/// A file to send to an upload session: `source` is read slice by slice (a `tokio::fs::File`, or a
/// `std::io::Cursor` over bytes), so memory holds one slice at a time.
pub struct LargeFileUpload<R> {
    upload_url: String,
    source: R,
    length: u64,
    slice_size: u64,
    max_slice_retries: u32,
    retry_wait: Duration,
    progress: Option<Progress>,
}

impl<R> fmt::Debug for LargeFileUpload<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The upload URL is a credential: it is left out.
        f.debug_struct("LargeFileUpload")
            .field("length", &self.length)
            .field("slice_size", &self.slice_size)
            .field("max_slice_retries", &self.max_slice_retries)
            .finish_non_exhaustive()
    }
}

/// What an upload session says it still needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadStatus {
    /// The first byte the session expects next, from `nextExpectedRanges`.
    pub next_offset: Option<u64>,
    /// `expirationDateTime`, as sent.
    pub expiration: Option<String>,
}

impl UploadStatus {
    fn from_json(body: &serde_json::Value) -> UploadStatus {
        let next_offset = body["nextExpectedRanges"]
            .as_array()
            .and_then(|ranges| ranges.iter().filter_map(|r| r.as_str()?.split('-').next()?.trim().parse().ok()).min());
        UploadStatus { next_offset, expiration: body["expirationDateTime"].as_str().map(str::to_string) }
    }
}

impl<R: AsyncRead + AsyncSeek + Unpin + Send> LargeFileUpload<R> {
    /// An upload of `length` bytes from `source` to the session at `upload_url`, in slices of
    /// 10 × 320 KiB.
    pub fn new(upload_url: &str, source: R, length: u64) -> Self {
        LargeFileUpload {
            upload_url: upload_url.to_string(),
            source,
            length,
            slice_size: 10 * UPLOAD_SLICE_UNIT,
            max_slice_retries: 3,
            retry_wait: Duration::from_secs(1),
            progress: None,
        }
    }

    /// The slice size, rounded down to a multiple of 320 KiB (at least one, at most 60 MiB).
    pub fn slice_size(mut self, bytes: u64) -> Self {
        self.slice_size = (bytes / UPLOAD_SLICE_UNIT).clamp(1, MAX_SLICE / UPLOAD_SLICE_UNIT) * UPLOAD_SLICE_UNIT;
        self
    }

    /// How many times in a row a slice may fail (connection lost, 5xx) before the upload gives up;
    /// after each failure the upload asks the session where to go on.
    pub fn max_slice_retries(mut self, retries: u32) -> Self {
        self.max_slice_retries = retries;
        self
    }

    /// The pause before a failed slice is tried again (default one second).
    pub fn retry_wait(mut self, wait: Duration) -> Self {
        self.retry_wait = wait;
        self
    }

    /// Called with (bytes the session has, total) after each slice it accepts.
    pub fn on_progress(mut self, progress: impl FnMut(u64, u64) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    async fn read_slice(&mut self, offset: u64, end: u64) -> Result<Vec<u8>, Error> {
        let io = |e: std::io::Error| Error::InvalidRequest(format!("reading the file to upload failed: {e}"));
        crate::io::seek_to(&mut self.source, offset).await.map_err(io)?;
        let mut slice = vec![0; (end - offset) as usize];
        crate::io::read_exact(&mut self.source, &mut slice).await.map_err(io)?;
        Ok(slice)
    }
}

impl Client {
    /// Sends a file to its upload session and returns what the session answers at the end (the
    /// `driveItem`, or an attachment), decoded as `T`.
    pub async fn upload<T, R>(&self, mut upload: LargeFileUpload<R>) -> Result<T, Error>
    where
        T: serde::de::DeserializeOwned + 'static,
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let total = upload.length;
        let mut offset = 0;
        let mut failures = 0;
        loop {
            if offset >= total && total > 0 {
                return Err(Error::Protocol(format!("the upload session took all {total} bytes and did not finish")));
            }
            let end = (offset + upload.slice_size).min(total);
            let slice = upload.read_slice(offset, end).await?;
            let range = format!("bytes {offset}-{}/{total}", end.saturating_sub(1));
            let headers = [("Content-Range".to_string(), range)];
            let outgoing = Outgoing {
                method: Method::Put,
                url: upload.upload_url.clone(),
                template: "{upload-url}",
                headers: &headers,
                body: Payload::Replayable { content_type: "application/octet-stream".into(), bytes: slice.into() },
                authorize: false,
            };
            match self.exchange(outgoing).await {
                Ok((202, body)) => {
                    let status = UploadStatus::from_json(&serde_json::from_slice(&body).unwrap_or_default());
                    let next = status.next_offset.unwrap_or(end);
                    if next <= offset {
                        failures += 1;
                        if failures > upload.max_slice_retries {
                            return Err(Error::Protocol(format!("the upload session does not advance past {offset}")));
                        }
                    } else {
                        failures = 0;
                    }
                    offset = next;
                    if let Some(progress) = upload.progress.as_mut() {
                        progress(offset.min(total), total);
                    }
                }
                Ok((_, body)) => {
                    if let Some(progress) = upload.progress.as_mut() {
                        progress(total, total);
                    }
                    return decode_json(body);
                }
                Err(error) if is_transient(&error) && failures < upload.max_slice_retries => {
                    failures += 1;
                    tokio::time::sleep(upload.retry_wait).await;
                    // The session may have kept part of the slice, or all of it: it says where to go on.
                    if let Ok(UploadStatus { next_offset: Some(next), .. }) =
                        self.upload_status(&upload.upload_url).await
                    {
                        offset = next;
                    }
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Where an upload session stands (`GET` on its URL, without the token).
    pub async fn upload_status(&self, upload_url: &str) -> Result<UploadStatus, Error> {
        let body = self.upload_session_call(Method::Get, upload_url).await?;
        Ok(UploadStatus::from_json(&serde_json::from_slice(&body).unwrap_or_default()))
    }

    /// Cancels an upload session (`DELETE` on its URL, without the token); the service drops what
    /// it has received.
    pub async fn cancel_upload(&self, upload_url: &str) -> Result<(), Error> {
        self.upload_session_call(Method::Delete, upload_url).await.map(drop)
    }

    async fn upload_session_call(&self, method: Method, upload_url: &str) -> Result<Vec<u8>, Error> {
        let outgoing = Outgoing {
            method,
            url: upload_url.to_string(),
            template: "{upload-url}",
            headers: &[],
            body: Payload::Empty,
            authorize: false,
        };
        self.exchange(outgoing).await.map(|(_, body)| body)
    }
}

/// A failure worth trying the slice again for: the connection, or the service's own trouble.
fn is_transient(error: &Error) -> bool {
    match error {
        Error::Transport(_) => true,
        Error::Graph { status, .. } => *status >= 500 || *status == 429,
        _ => false,
    }
}
