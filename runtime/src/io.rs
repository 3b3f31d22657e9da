//! The four I/O steps downloads and uploads take, over tokio's `AsyncRead`, `AsyncWrite` and
//! `AsyncSeek`. tokio's own helpers (`AsyncReadExt`...) come with its `io-util` feature, which adds a
//! quarter to tokio's check time in every generated crate; these four are what the runtime needs.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;

use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

pub(crate) async fn write_all<W: AsyncWrite + Unpin>(out: &mut W, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        let written = poll_fn(|cx| Pin::new(&mut *out).poll_write(cx, bytes)).await?;
        if written == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[written..];
    }
    Ok(())
}

pub(crate) async fn flush<W: AsyncWrite + Unpin>(out: &mut W) -> io::Result<()> {
    poll_fn(|cx| Pin::new(&mut *out).poll_flush(cx)).await
}

pub(crate) async fn seek_to<S: AsyncSeek + Unpin>(source: &mut S, offset: u64) -> io::Result<()> {
    Pin::new(&mut *source).start_seek(io::SeekFrom::Start(offset))?;
    poll_fn(|cx| Pin::new(&mut *source).poll_complete(cx)).await.map(drop)
}

pub(crate) async fn read_exact<R: AsyncRead + Unpin>(source: &mut R, into: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    while filled < into.len() {
        let mut buffer = ReadBuf::new(&mut into[filled..]);
        poll_fn(|cx| Pin::new(&mut *source).poll_read(cx, &mut buffer)).await?;
        let read = buffer.filled().len();
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        filled += read;
    }
    Ok(())
}
