//! The call to the origin: hyper's pooled HTTP/1 client, the request as
//! keyed (normalized query, `key_headers`, canonical JSON body), and the
//! answer's body read up to `max_body_bytes`. Past that bound the answer is
//! relayed as it streams in (what was read, then the rest), never buffered
//! whole.

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use hyper::{Method, Request, Response};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};

/// What a relayed stream can fail with (the origin's connection, mostly).
pub type StreamError = Box<dyn std::error::Error + Send + Sync>;

/// One request to the origin.
pub(crate) struct Call {
    pub(crate) method: Method,
    /// `/path?normalized-query`, appended to the origin's URL.
    pub(crate) target: String,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The canonical JSON body of a POST.
    pub(crate) body: Option<Bytes>,
}

pub(crate) struct Upstream {
    client: Client<HttpConnector, Full<Bytes>>,
    /// The configured URL without a trailing slash.
    base: String,
}

impl Upstream {
    pub(crate) fn new(url: &str) -> Upstream {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Upstream {
            client: Client::builder(TokioExecutor::new()).build(connector),
            base: url.trim_end_matches('/').to_owned(),
        }
    }

    /// Sends `call`; the answer's head, its body still to read.
    pub(crate) async fn send(&self, call: &Call) -> Result<Response<Incoming>, String> {
        let uri = format!("{}{}", self.base, call.target);
        let mut req = Request::builder()
            .method(call.method.clone())
            .uri(&uri)
            .header(USER_AGENT, HeaderValue::from_static("chartgate"));
        for (name, value) in &call.headers {
            req = req.header(name, value);
        }
        if call.body.is_some() {
            req = req.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let req = req
            .body(Full::new(call.body.clone().unwrap_or_default()))
            .map_err(|e| format!("bad origin request {uri}: {e}"))?;
        self.client.request(req).await.map_err(|e| {
            // The source says why (refused, reset): the top level only
            // says "client error".
            let why = std::error::Error::source(&e).map_or(e.to_string(), |s| s.to_string());
            format!("{uri}: {why}")
        })
    }
}

/// An answer's body after a bounded read.
pub(crate) enum Read {
    /// All of it, within the bound.
    Whole(Bytes),
    /// Over the bound: what was read and the rest, to relay.
    Over(Relay),
}

/// Reads `body` whole if it is at most `max` bytes (by its declared
/// length first, so a large answer is not read at all before relaying).
pub(crate) async fn read_bounded(mut body: Incoming, max: usize) -> Result<Read, hyper::Error> {
    if body.size_hint().lower() > max as u64 {
        return Ok(Read::Over(Relay::new(VecDeque::new(), body)));
    }
    let mut chunks = VecDeque::new();
    let mut len = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue; // trailers: not kept
        };
        len += data.len();
        chunks.push_back(data);
        if len > max {
            return Ok(Read::Over(Relay::new(chunks, body)));
        }
    }
    let mut whole = Vec::with_capacity(len);
    chunks.iter().for_each(|c| whole.extend_from_slice(c));
    Ok(Read::Whole(Bytes::from(whole)))
}

/// An answer relayed as it streams: the chunks already read, then the rest
/// of the origin's body. Holds at most one chunk beyond what was read.
pub(crate) struct Relay {
    read: VecDeque<Bytes>,
    rest: Incoming,
    /// The gate's slot, held until the relay ends: a stream still coming
    /// from the origin is a call still running there.
    _permit: Option<OwnedSemaphorePermit>,
    /// The longest the origin may stay silent mid-stream (`timeout_ms`,
    /// as nginx's `proxy_read_timeout`): a stalled origin never holds a
    /// gate slot and a client connection for ever.
    idle: Option<(Duration, Pin<Box<Sleep>>)>,
}

/// What a relay ends with when the origin went silent.
#[derive(Debug)]
struct Stalled(Duration);

impl std::fmt::Display for Stalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the origin sent nothing for {:?} mid-answer", self.0)
    }
}

impl std::error::Error for Stalled {}

impl Relay {
    fn new(read: VecDeque<Bytes>, rest: Incoming) -> Relay {
        Relay {
            read,
            rest,
            _permit: None,
            idle: None,
        }
    }

    /// The same relay, keeping the gate's slot until it is dropped, and
    /// cut off when the origin sends nothing for `idle`.
    pub(crate) fn holding(mut self, permit: OwnedSemaphorePermit, idle: Duration) -> Relay {
        self._permit = Some(permit);
        self.idle = Some((idle, Box::pin(tokio::time::sleep(idle))));
        self
    }

    /// A relay of a whole unread body.
    pub(crate) fn of(body: Incoming) -> Relay {
        Relay::new(VecDeque::new(), body)
    }

    pub(crate) fn boxed(self) -> BoxBody<Bytes, StreamError> {
        BoxBody::new(self)
    }
}

impl Body for Relay {
    type Data = Bytes;
    type Error = StreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, StreamError>>> {
        let this = self.get_mut();
        if let Some(chunk) = this.read.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        match Pin::new(&mut this.rest).poll_frame(cx) {
            Poll::Pending => {
                let Some((idle, timer)) = &mut this.idle else {
                    return Poll::Pending;
                };
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(Stalled(*idle))))),
                    Poll::Pending => Poll::Pending,
                }
            }
            ready => {
                if let Some((idle, timer)) = &mut this.idle {
                    timer.as_mut().reset(Instant::now() + *idle);
                }
                ready.map_err(|e| Box::new(e) as StreamError)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.read.is_empty() && self.rest.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let read: u64 = self.read.iter().map(|c| c.len() as u64).sum();
        let rest = self.rest.size_hint();
        let mut hint = SizeHint::new();
        hint.set_lower(rest.lower() + read);
        if let Some(upper) = rest.upper() {
            hint.set_upper(upper + read);
        }
        hint
    }
}
