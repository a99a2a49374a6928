//! The contract's error shape for errors found while reading the HTTP
//! request itself, before any route sees it: a head over
//! `server.max_header_bytes` or with too many header fields (431
//! `header_too_large`), a request target over `limits.max_url_bytes` that
//! does not even fit in the head limit (414 `uri_too_long`), and malformed
//! request lines, headers, framing (`Content-Length`, `Transfer-Encoding`) or
//! versions (400 `bad_request`).
//!
//! hyper 1 answers these itself, with a bare status line and an empty body,
//! and offers no hook to change that (hyperium/hyper#3911, an open pull
//! request, would add one). So the socket is wrapped:
//! [`ProtocolErrors`] passes every byte through, except that when hyper
//! starts writing one of its own error heads (status 400, 414 or 431, no
//! `Content-Type`, `Content-Length: 0`; every response of ours carries a
//! `Content-Type`) it swallows that head and writes the JSON error instead,
//! built by `ApiError` like every other error, with `X-Quickchart-Error` and
//! `Connection: close` (hyper closes the connection after these).
//!
//! Why this and not pre-parsing each head with `httparse` before hyper: that
//! parses every request twice and needs a second read buffer per connection,
//! on the hit path too; the wrapper costs a well-formed request a prefix
//! compare per write and, per head, a `memchr` over its request line, with no
//! allocation and no extra syscall.
//!
//! hyper says 431 both for a head over the limit and for a long URL that made
//! the head too large; to answer the contract's 414 for the latter, the read
//! side measures the request line of the head being read (it starts at the
//! connection's first byte and at the first byte read after a response
//! starts; with pipelining this can pick the wrong line, and then the answer
//! is the other of the two JSON errors). The bytes read since then also tell
//! "too many header fields" (hyper's limit hit before the byte limit) from
//! "too large".
//!
//! Closing a socket whose client is still sending makes the kernel answer
//! with a reset that can destroy the response before the client reads it, so
//! after an error the write side is shut down first and what the client still
//! sends is read and dropped, until it closes, or for at most [`LINGER`] and
//! [`LINGER_MAX_BYTES`] (what nginx calls lingering close).

use super::error::ApiError;
use crate::labels::Route;
use crate::metrics::Metrics;
use hyper::header::HeaderMap;
use std::future::Future;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// hyper's limit on header fields per request (its default, left as is:
/// setting it moves hyper's header array from the stack to the heap).
pub(crate) const MAX_HEADER_FIELDS: usize = 100;

/// How long, at most, a connection closed for a protocol error keeps reading
/// (and dropping) what its client still sends.
pub(crate) const LINGER: Duration = Duration::from_secs(2);

/// How much, at most, it reads and drops in that time.
pub(crate) const LINGER_MAX_BYTES: usize = 1 << 20;

/// `" HTTP/1.1\r"`: what follows the request target on a request line.
const AFTER_TARGET: usize = 10;

/// The socket of one connection, as hyper sees it (see the module doc).
pub(crate) struct ProtocolErrors<S> {
    io: S,
    max_url_bytes: usize,
    max_header_bytes: usize,
    metrics: Arc<Metrics>,
    /// `LINGER`, but for tests.
    linger: Duration,
    head: HeadSeen,
    /// Our answer in place of hyper's, once hyper wrote an error head.
    /// Boxed: only a failing connection pays for it.
    reply: Option<Box<Reply>>,
}

impl<S> ProtocolErrors<S> {
    pub(crate) fn new(
        io: S,
        max_url_bytes: usize,
        max_header_bytes: usize,
        metrics: Arc<Metrics>,
    ) -> ProtocolErrors<S> {
        ProtocolErrors {
            io,
            max_url_bytes,
            max_header_bytes,
            metrics,
            linger: LINGER,
            head: HeadSeen::start(),
            reply: None,
        }
    }

    /// Called with the first buffer of every write: if it is the start of a
    /// response, the next bytes read begin the next request head; if it is
    /// hyper's own error head, our reply replaces it, and the length of the
    /// head is returned as written.
    fn on_write(&mut self, buf: &[u8]) -> Option<usize> {
        if !(buf.starts_with(b"HTTP/1.1 ") || buf.starts_with(b"HTTP/1.0 ")) {
            return None;
        }
        let status = buf.get(9..12)?;
        if status[0] == b'1' {
            // 100 Continue: what follows is this request's body.
            return None;
        }
        let Some(head_len) = hyper_error_head(buf) else {
            self.head = HeadSeen::start();
            return None;
        };
        let error = match status {
            b"414" => ApiError::uri_too_long(self.max_url_bytes),
            b"431" if self.head.target_at_least() > self.max_url_bytes => {
                ApiError::uri_too_long(self.max_url_bytes)
            }
            b"431" => ApiError::header_too_large(
                self.max_header_bytes,
                MAX_HEADER_FIELDS,
                self.head.bytes < self.max_header_bytes,
            ),
            _ => ApiError::bad_request(
                "the request is not valid HTTP/1.1: a malformed request line or header, \
                 conflicting Content-Length, an unsupported Transfer-Encoding or HTTP version",
            ),
        };
        let status = error.status.as_u16();
        tracing::debug!(status, code = error.code, "protocol error");
        self.metrics.http_request(Route::Other, status);
        let head = &buf[..head_len];
        self.reply = Some(Box::new(Reply {
            bytes: serialize(error, &head[..8], header_value(head, b"date")),
            sent: 0,
            shut_down: false,
            discarded: 0,
            linger: None,
        }));
        Some(head_len)
    }
}

impl<S: AsyncWrite + Unpin> ProtocolErrors<S> {
    /// Writes what is left of our reply, if there is one.
    fn poll_reply(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(reply) = self.reply.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        while reply.sent < reply.bytes.len() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &reply.bytes[reply.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            reply.sent += n;
        }
        Poll::Ready(Ok(()))
    }
}

/// What has been read of the request head now arriving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeadSeen {
    /// Bytes read since it began.
    bytes: usize,
    /// Bytes of its request line so far, without empty lines before it and
    /// without the final LF.
    line: usize,
    /// Bytes before the first space of the request line (the method), once seen.
    method: Option<usize>,
    /// Still inside the request line.
    in_line: bool,
}

impl HeadSeen {
    fn start() -> HeadSeen {
        HeadSeen {
            bytes: 0,
            line: 0,
            method: None,
            in_line: true,
        }
    }

    fn saw(&mut self, mut bytes: &[u8]) {
        self.bytes = self.bytes.saturating_add(bytes.len());
        if !self.in_line {
            return;
        }
        if self.line == 0 {
            // Empty lines may precede a request line (RFC 9112 2.2); hyper
            // skips them too.
            let empty = bytes
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            bytes = &bytes[empty..];
        }
        let end = memchr::memchr(b'\n', bytes);
        let part = &bytes[..end.unwrap_or(bytes.len())];
        if self.method.is_none() {
            self.method = memchr::memchr(b' ', part).map(|sp| self.line + sp);
        }
        self.line += part.len();
        if end.is_some() {
            self.in_line = false;
        }
    }

    /// The least the request target can be: the request line without its
    /// method and what follows the target (exact for a complete line ending
    /// in CRLF).
    fn target_at_least(&self) -> usize {
        let method = self.method.unwrap_or(self.line);
        self.line.saturating_sub(method + 1 + AFTER_TARGET)
    }
}

struct Reply {
    bytes: Vec<u8>,
    sent: usize,
    shut_down: bool,
    discarded: usize,
    linger: Option<Pin<Box<Sleep>>>,
}

/// The length of hyper's own error head at the start of `buf`, if that is
/// what it is: status 400, 414 or 431, `Content-Length: 0`, no
/// `Content-Type`. Every error of ours has a `Content-Type` and a JSON body.
fn hyper_error_head(buf: &[u8]) -> Option<usize> {
    if !matches!(buf.get(9..12)?, b"400" | b"414" | b"431") {
        return None;
    }
    let len = memchr::memmem::find(buf, b"\r\n\r\n")? + 4;
    let head = &buf[..len];
    let empty = header_value(head, b"content-length").is_some_and(|v| v == b"0");
    (empty && header_value(head, b"content-type").is_none()).then_some(len)
}

/// The value of the header `name` (lower case) in a response head.
fn header_value<'a>(head: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    head.split(|&b| b == b'\n').skip(1).find_map(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (n, v) = line.split_at(memchr::memchr(b':', line)?);
        n.eq_ignore_ascii_case(name).then(|| v[1..].trim_ascii())
    })
}

/// Our response, as bytes on the wire: `version` is hyper's (`HTTP/1.1`),
/// `date` the `Date` hyper wrote.
fn serialize(error: ApiError, version: &[u8], date: Option<&[u8]>) -> Vec<u8> {
    let (status, headers, body) = error.into_parts();
    let mut out = Vec::with_capacity(256 + body.len());
    out.extend_from_slice(version);
    out.push(b' ');
    out.extend_from_slice(status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(status.canonical_reason().unwrap_or("").as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in &headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
    out.extend_from_slice(b"connection: close\r\n");
    if let Some(date) = date {
        out.extend_from_slice(b"date: ");
        out.extend_from_slice(date);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body);
    out
}

/// A request body with a transfer coding other than one `chunked` (hyper
/// refuses codings that do not end in `chunked`; `gzip, chunked` it decodes
/// as chunked and would hand over gzip bytes as the body). RFC 9112 6.1
/// suggests 501, but bad input is never a 5xx here.
pub(crate) fn refused_transfer_coding(headers: &HeaderMap) -> Option<ApiError> {
    if !headers.contains_key(hyper::header::TRANSFER_ENCODING) {
        return None;
    }
    let mut codings = headers
        .get_all(hyper::header::TRANSFER_ENCODING)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .filter(|c| !c.is_empty());
    let plain = matches!(
        (codings.next(), codings.next()),
        (Some(c), None) if c.eq_ignore_ascii_case(b"chunked")
    );
    (!plain).then(|| {
        ApiError::bad_request(
            "the only Transfer-Encoding accepted is chunked alone; \
             send the body uncompressed, with Content-Length or chunked",
        )
    })
}

impl<S: AsyncRead + Unpin> AsyncRead for ProtocolErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.io).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            this.head.saw(&buf.filled()[before..]);
        }
        polled
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for ProtocolErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.reply.is_some() {
            // hyper writes nothing after its error head; anything would
            // corrupt our reply.
            return Poll::Ready(Ok(buf.len()));
        }
        if let Some(n) = this.on_write(buf) {
            return Poll::Ready(Ok(n));
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.reply.is_some() {
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        if let Some(first) = bufs.iter().find(|b| !b.is_empty()) {
            if let Some(n) = this.on_write(first) {
                return Poll::Ready(Ok(n));
            }
        }
        Pin::new(&mut this.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.poll_reply(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.poll_reply(cx))?;
        let Some(reply) = this.reply.as_mut() else {
            return Pin::new(&mut this.io).poll_shutdown(cx);
        };
        if !reply.shut_down {
            ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
            reply.shut_down = true;
        }
        ready!(linger(&mut this.io, reply, this.linger, cx));
        Poll::Ready(Ok(()))
    }
}

/// Reads and drops what the client still sends after our reply, until it
/// closes, or for at most `time` and `LINGER_MAX_BYTES`.
fn linger<S: AsyncRead + Unpin>(
    io: &mut S,
    reply: &mut Reply,
    time: Duration,
    cx: &mut Context<'_>,
) -> Poll<()> {
    let deadline = reply
        .linger
        .get_or_insert_with(|| Box::pin(tokio::time::sleep(time)));
    let mut scratch = [0u8; 4096];
    while reply.discarded < LINGER_MAX_BYTES {
        let mut buf = ReadBuf::new(&mut scratch);
        match Pin::new(&mut *io).poll_read(cx, &mut buf) {
            Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(()),
            Poll::Ready(Ok(())) => reply.discarded += buf.filled().len(),
            Poll::Ready(Err(_)) => return Poll::Ready(()),
            Poll::Pending => return deadline.as_mut().poll(cx),
        }
    }
    Poll::Ready(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(chunks: &[&[u8]]) -> HeadSeen {
        let mut h = HeadSeen::start();
        for c in chunks {
            h.saw(c);
        }
        h
    }

    #[test]
    fn the_request_line_is_measured_across_reads() {
        let h = seen(&[b"GET /chart?c=", b"xxxx HTTP/1.1\r\nhost: a\r\n"]);
        assert_eq!(h.line, "GET /chart?c=xxxx HTTP/1.1\r".len());
        assert_eq!(h.target_at_least(), "/chart?c=xxxx".len());
        assert!(!h.in_line);
        // Bytes after the request line change nothing but the count.
        let mut later = h;
        let field = b"x-long: aaaaaaaaaaaaaaaaaaaaaaaa\r\n";
        later.saw(field);
        assert_eq!((later.line, later.method), (h.line, h.method));
        assert_eq!(later.bytes, h.bytes + field.len());
    }

    #[test]
    fn empty_lines_before_the_request_line_are_skipped() {
        let h = seen(&[b"\r\n", b"\r\nPOST /c HTTP/1.1\r\n"]);
        assert_eq!(h.method, Some(4));
        assert_eq!(h.target_at_least(), 2);
    }

    #[test]
    fn an_unfinished_request_line_gives_a_lower_bound() {
        let h = seen(&[b"GET /", &[b'x'; 100]]);
        assert!(h.in_line);
        assert_eq!(h.target_at_least(), 101 - AFTER_TARGET);
        assert_eq!(seen(&[b"GETGETGET"]).target_at_least(), 0);
    }

    #[test]
    fn only_hyper_s_bare_error_heads_are_replaced() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n\
                      content-length: 0\r\ndate: Wed, 02 Dec 2026 05:54:34 GMT\r\n\r\n";
        assert_eq!(hyper_error_head(hyper), Some(hyper.len()));
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\
                     content-length: 0\r\n\r\n";
        assert_eq!(hyper_error_head(ours), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(hyper_error_head(ok), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n";
        assert_eq!(hyper_error_head(with_body), None);
        assert_eq!(
            header_value(hyper, b"date"),
            Some(&b"Wed, 02 Dec 2026 05:54:34 GMT"[..])
        );
    }

    #[test]
    fn the_reply_is_one_complete_json_response() {
        let bytes = serialize(
            ApiError::header_too_large(65_536, MAX_HEADER_FIELDS, false),
            b"HTTP/1.1",
            Some(b"Wed, 02 Dec 2026 05:54:34 GMT"),
        );
        let text = String::from_utf8(bytes).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(head.contains("\r\ncontent-type: application/json\r\n"));
        assert!(head.contains("\r\nconnection: close\r\n"));
        assert!(head.contains(&format!("\r\ncontent-length: {}\r\n", body.len())));
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"], "header_too_large");
        let message = json["message"].as_str().unwrap();
        assert!(head.contains(&format!("\r\nx-quickchart-error: {message}\r\n")));
    }

    const HYPER_431: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\n\
        connection: close\r\ncontent-length: 0\r\ndate: Wed, 02 Dec 2026 05:54:34 GMT\r\n\r\n";

    fn wrapped(io: tokio::io::DuplexStream) -> ProtocolErrors<tokio::io::DuplexStream> {
        ProtocolErrors::new(io, 16_384, 65_536, Arc::new(Metrics::default()))
    }

    /// What hyper does after a parse error (write its head, flush, shut
    /// down), through the wrapper: the client reads our JSON, then EOF, and
    /// can still send what it had left (the wrapper reads it, 64 times the
    /// pipe's capacity, instead of closing on it) until it closes.
    #[tokio::test]
    async fn hyper_s_error_becomes_json_and_the_connection_lingers() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (ours, mut client) = tokio::io::duplex(4096);
        let mut io = wrapped(ours);
        // Long enough that only the client's close ends it here.
        io.linger = Duration::from_secs(3600);
        client
            .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n")
            .await
            .unwrap();
        let mut scratch = [0u8; 64];
        let n = io.read(&mut scratch).await.unwrap();
        assert_eq!(io.head.bytes, n);
        let hyper = tokio::spawn(async move {
            io.write_all(HYPER_431).await.unwrap();
            io.flush().await.unwrap();
            io.shutdown().await.unwrap();
        });
        let mut reply = Vec::new();
        client.read_to_end(&mut reply).await.unwrap();
        let text = String::from_utf8(reply).unwrap();
        assert!(text.starts_with("HTTP/1.1 431 "), "{text}");
        assert!(text.contains("\r\ndate: Wed, 02 Dec 2026 05:54:34 GMT\r\n"));
        assert!(text.ends_with("\"error\":\"header_too_large\",\"message\":\"the request has more than 100 header fields\"}"), "{text}");
        client.write_all(&[b'x'; 64 * 4096]).await.unwrap();
        assert!(
            !hyper.is_finished(),
            "still reading until the client closes"
        );
        drop(client);
        hyper.await.unwrap();
    }

    /// A client that neither closes nor stops sending cannot hold the
    /// connection: lingering ends after its time, or after its bytes.
    #[tokio::test]
    async fn lingering_is_bounded_in_time_and_bytes() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        async fn answered(io: &mut ProtocolErrors<tokio::io::DuplexStream>) {
            io.write_all(HYPER_431).await.unwrap();
            io.shutdown().await.unwrap();
        }
        // Silent, connection held open: the time bound ends it.
        let (ours, mut silent) = tokio::io::duplex(4096);
        let mut io = wrapped(ours);
        io.linger = Duration::from_millis(10);
        answered(&mut io).await;
        let mut reply = Vec::new();
        silent.read_to_end(&mut reply).await.unwrap();
        assert!(reply.starts_with(b"HTTP/1.1 431 "));
        assert_eq!(io.reply.as_ref().unwrap().discarded, 0);

        // Sending without end: the byte bound ends it, then the pipe breaks.
        let (ours, mut flood) = tokio::io::duplex(4096);
        let mut io = wrapped(ours);
        io.linger = Duration::from_secs(3600);
        let sender = tokio::spawn(async move {
            let chunk = [b'x'; 4096];
            loop {
                if flood.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        });
        answered(&mut io).await;
        let discarded = io.reply.as_ref().unwrap().discarded;
        assert!((LINGER_MAX_BYTES..LINGER_MAX_BYTES + 4096).contains(&discarded));
        drop(io);
        sender.await.unwrap();
    }

    /// Everything else passes through as it is, written or vectored.
    #[tokio::test]
    async fn other_writes_pass_through() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (ours, mut client) = tokio::io::duplex(1 << 16);
        let mut io = wrapped(ours);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
        let json_400 = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\
                         content-length: 2\r\n\r\n{}";
        io.write_all(ok).await.unwrap();
        let slices = [IoSlice::new(&json_400[..40]), IoSlice::new(&json_400[40..])];
        let mut sent = 0;
        while sent < json_400.len() {
            // Enough for a duplex pipe: it takes a whole small write.
            sent += io.write_vectored(&slices).await.unwrap();
            assert_eq!(sent, json_400.len());
        }
        io.shutdown().await.unwrap();
        let mut got = Vec::new();
        client.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, [&ok[..], &json_400[..]].concat());
        assert!(io.reply.is_none());
    }

    #[test]
    fn transfer_codings_other_than_chunked_alone_are_refused() {
        let refused = |values: &[&str]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(hyper::header::TRANSFER_ENCODING, v.parse().unwrap());
            }
            refused_transfer_coding(&h).is_some()
        };
        assert!(!refused(&[]));
        assert!(!refused(&["chunked"]));
        assert!(!refused(&["Chunked "]));
        assert!(refused(&["gzip, chunked"]));
        assert!(refused(&["gzip", "chunked"]));
        assert!(refused(&["chunked, chunked"]));
        assert!(refused(&["bogus"]));
    }
}
