//! A loopback HTTP/1.1 server that misbehaves on purpose, byte by byte: lengths that lie, bodies
//! that never end or stall, any status line. Each connection serves one request and closes.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// What the server sends back.
pub enum Reply {
    /// These bytes, then close.
    Raw(Vec<u8>),
    /// A status line and headers, then `chunk` over and over until the client goes away.
    Endless { head: Vec<u8>, chunk: Vec<u8>, chunked: bool },
    /// Wait, then reply.
    After(Duration, Box<Reply>),
    /// These bytes, then nothing more while the connection stays open.
    Stall(Vec<u8>),
}

/// A status line, headers and a body with its true length.
pub fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut head = format!("HTTP/1.1 {status} Status\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    Reply::Raw([head.as_bytes(), body.as_bytes()].concat())
}

pub fn json(status: u16, body: &str) -> Reply {
    answer(status, &[("Content-Type", "application/json")], body)
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    written: Arc<AtomicU64>,
}

impl Server {
    /// Serves every request with `handler(request, how many requests came before it)`.
    pub async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let written = Arc::new(AtomicU64::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let count = Arc::new(AtomicUsize::new(0));
        let (seen_, written_) = (seen.clone(), written.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, seen, written, count) = (handler.clone(), seen_.clone(), written_.clone(), count.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &*handler, &seen, &written, &count).await;
                });
            }
        });
        Server { url, seen, written }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }

    /// Body bytes the server managed to write to clients.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    seen: &Mutex<Vec<Seen>>,
    written: &AtomicU64,
    count: &AtomicUsize,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else { return Ok(()) };
    let index = count.fetch_add(1, Ordering::SeqCst);
    seen.lock().unwrap().push(request.clone());
    let mut reply = handler(&request, index);
    while let Reply::After(delay, next) = reply {
        tokio::time::sleep(delay).await;
        reply = *next;
    }
    match reply {
        Reply::Raw(bytes) => stream.write_all(&bytes).await?,
        Reply::Endless { head, chunk, chunked } => {
            stream.write_all(&head).await?;
            let framed = if chunked {
                [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat()
            } else {
                chunk.clone()
            };
            loop {
                stream.write_all(&framed).await?;
                written.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        }
        Reply::Stall(bytes) => {
            stream.write_all(&bytes).await?;
            tokio::time::sleep(Duration::from_secs(120)).await;
        }
        Reply::After(..) => unreachable!("unwrapped above"),
    }
    stream.shutdown().await
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Seen>> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or_default().split(' ');
    let target = start.nth(1).unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    // The body is read, not kept: closing on unread bytes would reset the connection.
    let mut read = buffer.len() - head_end;
    while read < length {
        let mut chunk = [0; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        read += n;
    }
    Ok(Some(Seen { target, headers }))
}
