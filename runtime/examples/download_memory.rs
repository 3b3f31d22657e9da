//! How much memory a download takes: a local server sends 100 MB, and the client streams it with
//! `Client::download` (or, with `whole`, reads it whole with `send` for comparison). Prints the
//! process's peak resident set before and after, from /proc/self/status (Linux).
//!
//! `cargo run --release -p docbind-runtime --example download_memory [whole]`

use docbind_runtime::{Client, Method, PathPart, Request};
use futures_util::TryStreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SIZE: usize = 100 * 1000 * 1000;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or("VmHWM: 0 kB");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Answers every request with SIZE bytes, written from one 64 KiB buffer.
async fn serve(listener: tokio::net::TcpListener) {
    while let Ok((mut stream, _)) = listener.accept().await {
        tokio::spawn(async move {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if stream.read_exact(&mut byte).await.is_err() {
                    return;
                }
                head.push(byte[0]);
            }
            let header =
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {SIZE}\r\n\r\n");
            stream.write_all(header.as_bytes()).await.ok();
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = SIZE;
            while left > 0 {
                let n = left.min(chunk.len());
                if stream.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                left -= n;
            }
        });
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let whole = std::env::args().any(|a| a == "whole");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener));
    let client = Client::with_base_url(&base);
    let request = || Request::content(Method::Get, "v1.0", &[PathPart::Literal("/me/drive/items/1/content")]);
    let before = peak_rss_kib();
    let received = if whole {
        client.send(request()).await.unwrap().0.len()
    } else {
        let mut download = client.download(request()).await.unwrap();
        let mut received = 0;
        while let Some(chunk) = download.try_next().await.unwrap() {
            received += chunk.len();
        }
        received
    };
    let after = peak_rss_kib();
    assert_eq!(received, SIZE);
    println!(
        "{}: {} MB received; peak RSS {} KiB before, {} KiB after: grew {} KiB",
        if whole { "send (whole)" } else { "download (streamed)" },
        received / 1_000_000,
        before,
        after,
        after - before
    );
}
