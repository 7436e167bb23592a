//! A server on 127.0.0.1 that misbehaves the same way on every connection: raw bytes on
//! a `tokio::net::TcpListener`, so it can send what no well-behaved HTTP library would
//! (overflowing headers, unknown statuses, a status line and then silence, a reset).
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// No connection is served longer than this, whatever the client does.
const HOLD: Duration = Duration::from_secs(30);

/// A request head larger than this is not HipChat's client: the connection is dropped.
const MAX_HEAD: usize = 64 * 1024;

/// What the server does once it has read a request.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Writes these bytes and closes the connection.
    Answer(Vec<u8>),
    /// Answers `status` with a `Content-Length` of `len` bytes and writes them as fast as
    /// the client reads, stopping when the client goes away.
    HugeBody { status: u16, len: u64 },
    /// Writes `prefix` (a partial answer, or nothing), then sends nothing more until the
    /// client goes away.
    Stall { prefix: Vec<u8> },
    /// Answers `status` with the request head as its body, `Authorization` included:
    /// a debugging proxy, or a server that quotes what it could not handle.
    Echo { status: u16 },
    /// Resets the connection (TCP RST) without answering.
    Reset,
    /// Closes the connection (TCP FIN) without answering.
    Close,
}

impl Behaviour {
    /// A complete answer: `status` with `headers` and `body`, then the connection closes.
    pub fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Behaviour::Answer(response(status, headers, body.as_bytes()))
    }

    /// A status line and `headers`, then silence: a stall in the middle of the headers.
    pub fn stall_in_headers(status: u16, headers: &[(&str, &str)]) -> Self {
        Behaviour::Stall {
            prefix: status_and_headers(status, headers).into_bytes(),
        }
    }

    /// The headers of a `content_length`-byte body and its first bytes, then silence.
    pub fn stall_in_body(status: u16, content_length: u64, first_bytes: &str) -> Self {
        let mut prefix = head(status, &[], content_length);
        prefix.extend_from_slice(first_bytes.as_bytes());
        Behaviour::Stall { prefix }
    }
}

/// A full HTTP/1.1 answer that closes the connection.
fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut bytes = head(status, headers, body.len() as u64);
    bytes.extend_from_slice(body);
    bytes
}

/// The status line and headers of an answer with a `content_length`-byte body.
fn head(status: u16, headers: &[(&str, &str)], content_length: u64) -> Vec<u8> {
    let mut head = status_and_headers(status, headers);
    head.push_str(&format!(
        "Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
    ));
    head.into_bytes()
}

/// The status line and `headers`, without the blank line that ends them.
fn status_and_headers(status: u16, headers: &[(&str, &str)]) -> String {
    // The reason phrase is free text: clients must go by the number.
    let mut text = format!("HTTP/1.1 {status} Hostile\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text
}

#[derive(Debug, Default)]
struct Tally {
    requests: AtomicUsize,
    body_bytes: AtomicU64,
}

/// The hostile server; stops (with every connection it holds) when dropped.
pub struct HostileServer {
    url: String,
    tally: Arc<Tally>,
    finished: watch::Receiver<usize>,
    task: JoinHandle<()>,
}

impl HostileServer {
    /// Listens on a free loopback port and answers every connection with `behaviour`.
    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let tally = Arc::new(Tally::default());
        let (finished_tx, finished) = watch::channel(0);
        let task = tokio::spawn(accept(listener, behaviour, tally.clone(), finished_tx));
        HostileServer {
            url,
            tally,
            finished,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests read in full so far.
    pub fn requests(&self) -> usize {
        self.tally.requests.load(Ordering::SeqCst)
    }

    /// Bytes of [`Behaviour::HugeBody`] bodies written so far, over all connections.
    pub fn body_bytes_written(&self) -> u64 {
        self.tally.body_bytes.load(Ordering::SeqCst)
    }

    /// Waits (at most `within`) until `count` connections are done with; false if they
    /// are not by then.
    pub async fn connections_finished(&self, count: usize, within: Duration) -> bool {
        let mut finished = self.finished.clone();
        tokio::time::timeout(within, finished.wait_for(|done| *done >= count))
            .await
            .is_ok_and(|seen| seen.is_ok())
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        // Dropping the accept task's JoinSet aborts every connection task.
        self.task.abort();
    }
}

async fn accept(
    listener: TcpListener,
    behaviour: Behaviour,
    tally: Arc<Tally>,
    finished: watch::Sender<usize>,
) {
    let finished = Arc::new(finished);
    let mut connections = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        let (behaviour, tally, finished) = (behaviour.clone(), tally.clone(), finished.clone());
        connections.spawn(async move {
            let _ = tokio::time::timeout(HOLD, serve(stream, &behaviour, &tally)).await;
            finished.send_modify(|done| *done += 1);
        });
        // Reap the finished ones, so a long test does not collect them.
        while connections.try_join_next().is_some() {}
    }
}

async fn serve(mut stream: TcpStream, behaviour: &Behaviour, tally: &Tally) {
    // Answering before the request is read would make the close a reset, losing the
    // answer: every behaviour first reads the whole request.
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    tally.requests.fetch_add(1, Ordering::SeqCst);
    match behaviour {
        Behaviour::Answer(bytes) => {
            let _ = stream.write_all(bytes).await;
            let _ = stream.shutdown().await;
        }
        Behaviour::HugeBody { status, len } => {
            let headers = [("Content-Type", "text/html")];
            if stream
                .write_all(&head(*status, &headers, *len))
                .await
                .is_err()
            {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = *len;
            while left > 0 {
                let size = left.min(chunk.len() as u64);
                if stream.write_all(&chunk[..size as usize]).await.is_err() {
                    return;
                }
                tally.body_bytes.fetch_add(size, Ordering::SeqCst);
                left -= size;
            }
        }
        Behaviour::Stall { prefix } => {
            if stream.write_all(prefix).await.is_ok() {
                until_client_leaves(&mut stream).await;
            }
        }
        Behaviour::Echo { status } => {
            let answer = response(*status, &[("Content-Type", "text/plain")], &request);
            let _ = stream.write_all(&answer).await;
            let _ = stream.shutdown().await;
        }
        Behaviour::Reset => {
            // SO_LINGER 0: the close sends RST instead of FIN.
            let _ = stream.set_zero_linger();
        }
        Behaviour::Close => {
            let _ = stream.shutdown().await;
        }
    }
}

/// Reads one request (head and `Content-Length` body); its head, or `None` when the
/// client went away first or sent something too large.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8 * 1024];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = buffer[..head_end].to_vec();
    let body_length = content_length(&head);
    let mut body_read = (buffer.len() - head_end) as u64;
    while body_read < body_length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => body_read += n as u64,
        }
    }
    Some(head)
}

fn content_length(head: &[u8]) -> u64 {
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

/// Reads and discards until the client closes the connection.
async fn until_client_leaves(stream: &mut TcpStream) {
    let mut sink = [0u8; 1024];
    while let Ok(1..) = stream.read(&mut sink).await {}
}
