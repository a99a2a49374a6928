//! The response body: one buffer for everything chartgate answers from its
//! tiers or builds itself, or a stream relayed as it arrives from an origin
//! (an answer too large to buffer). Both are `Unpin`, so the enum needs no
//! pin projection; a hit builds `Full` exactly as before.

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::Full;
use hyper::body::{Frame, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};

pub use crate::origin::StreamError;

pub enum Body {
    Full(Full<Bytes>),
    Stream(BoxBody<Bytes, StreamError>),
}

impl Body {
    /// A body of one buffer.
    pub fn new(bytes: Bytes) -> Body {
        Body::Full(Full::new(bytes))
    }

    /// A body relayed as it streams in.
    pub fn stream(body: BoxBody<Bytes, StreamError>) -> Body {
        Body::Stream(body)
    }
}

impl Default for Body {
    fn default() -> Body {
        Body::Full(Full::default())
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = StreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, StreamError>>> {
        match self.get_mut() {
            Body::Full(full) => Pin::new(full).poll_frame(cx).map_err(|e| match e {}),
            Body::Stream(stream) => Pin::new(stream).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Full(full) => full.is_end_stream(),
            Body::Stream(stream) => stream.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(full) => full.size_hint(),
            Body::Stream(stream) => stream.size_hint(),
        }
    }
}
