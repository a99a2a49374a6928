//! API errors: one JSON shape for every failure, `{"error": code, "message": text}`,
//! with the message repeated in `X-Quickchart-Error` (QuickChart clients read it).

use super::Body;
use crate::chart::ChartError;
use crate::render::budget::OverBudget;
use crate::render::pool::RenderFailure;
use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderValue, ALLOW, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use hyper::{Response, StatusCode};

/// The longest message put into a header; the JSON body keeps all of it.
const MAX_HEADER_MESSAGE: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// `Allow` for 405.
    pub allow: Option<&'static str>,
    /// `Retry-After` seconds for `overloaded`.
    pub retry_after: Option<u32>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            allow: None,
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn method_not_allowed(allow: &'static str) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("this route answers {allow}"),
        );
        e.allow = Some(allow);
        e
    }

    pub fn payload_too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is over the {limit} byte limit"),
        )
    }

    pub fn uri_too_long(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the URL is over the {limit} byte limit; POST the chart to /chart instead"),
        )
    }

    /// The request head (request line and header fields) is over
    /// `server.max_header_bytes`, or has more header fields than hyper
    /// parses (`max_fields`): `too_many` says which was seen.
    pub(crate) fn header_too_large(limit: usize, max_fields: usize, too_many: bool) -> ApiError {
        let message = if too_many {
            format!("the request has more than {max_fields} header fields")
        } else {
            format!("the request headers are over the {limit} byte limit")
        };
        ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "header_too_large",
            message,
        )
    }

    /// A purge that reached this replica but not Redis (and so not the others).
    pub fn redis_unavailable() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "redis_unavailable",
            "removed from this replica's memory, but Redis is unreachable: \
             the shared tier and the other replicas still hold it; retry",
        )
    }

    /// The body did not arrive within `server.header_timeout_ms` (a client
    /// trickling or withholding its body would otherwise hold a connection
    /// slot and a body buffer for as long as it likes).
    pub fn request_timeout(ms: u64) -> ApiError {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!("the request body did not arrive within {ms} ms"),
        )
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this route needs Authorization: Bearer <admin.token>",
        )
    }
}

impl From<ChartError> for ApiError {
    fn from(e: ChartError) -> ApiError {
        match e {
            ChartError::BadRequest(m) | ChartError::Code(m) => ApiError::bad_request(m),
            ChartError::LimitExceeded(m) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "limit_exceeded", m)
            }
        }
    }
}

impl From<OverBudget> for ApiError {
    fn from(e: OverBudget) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit_exceeded",
            e.to_string(),
        )
    }
}

impl ApiError {
    /// 503 `overloaded` with `Retry-After: 1`.
    pub(crate) fn overloaded(message: &str) -> ApiError {
        let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", message);
        e.retry_after = Some(1);
        e
    }
}

impl From<crate::origin::Failure> for ApiError {
    /// An origin that fails is a gateway timeout whether it was refused or
    /// slow: the client can only retry later either way.
    fn from(e: crate::origin::Failure) -> ApiError {
        use crate::origin::{Failure, Refused};
        match e {
            Failure::Refused(Refused::Overloaded) => ApiError::overloaded(
                "too many calls to this origin are waiting (origin queue); retry shortly",
            ),
            Failure::Refused(Refused::TimedOut) | Failure::Timeout => ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "origin_timeout",
                "the origin did not answer within its timeout_ms",
            ),
            Failure::Unreachable(why) => ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "origin_unavailable",
                format!("the origin could not be reached: {why}"),
            ),
        }
    }
}

impl From<RenderFailure> for ApiError {
    fn from(e: RenderFailure) -> ApiError {
        match e {
            RenderFailure::Overloaded => {
                ApiError::overloaded("the render queue is full; retry shortly")
            }
            RenderFailure::Invalid(m) => ApiError::bad_request(m),
            RenderFailure::Limit(m) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "limit_exceeded", m)
            }
            RenderFailure::Timeout => ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "render_timeout",
                "the render ran past render.timeout_ms",
            ),
            RenderFailure::Panic => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "render_failed",
                "the renderer failed on this chart; nothing was cached, a retry renders afresh",
            ),
        }
    }
}

impl ApiError {
    pub fn into_response(self) -> Response<Body> {
        let (status, headers, body) = self.into_parts();
        let mut resp = Response::new(Body::new(body));
        *resp.status_mut() = status;
        *resp.headers_mut() = headers;
        resp
    }

    /// The status, headers and JSON body of the error: the one place the
    /// error shape is built, for responses from a route and for the ones
    /// written under hyper (`protocol_error`), which serializes them itself.
    pub(crate) fn into_parts(self) -> (StatusCode, HeaderMap, Bytes) {
        let body = serde_json::json!({"error": self.code, "message": self.message});
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        h.insert("x-quickchart-error", header_safe(&self.message));
        if let Some(allow) = self.allow {
            h.insert(ALLOW, HeaderValue::from_static(allow));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            h.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        (self.status, h, Bytes::from(body.to_string()))
    }
}

/// A header value built from a message that may quote client input: only
/// printable ASCII survives, and its length is capped, so no client can
/// inject a header or break the response.
pub fn header_safe(message: &str) -> HeaderValue {
    let clean: String = message
        .chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .take(MAX_HEADER_MESSAGE)
        .collect();
    HeaderValue::from_str(&clean).expect("printable ASCII is a valid header value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_never_carries_control_characters() {
        let v = header_safe("bad color \"red\r\nSet-Cookie: x\" é");
        assert_eq!(v.to_str().unwrap(), "bad color \"red??Set-Cookie: x\" ?");
        assert_eq!(header_safe(&"x".repeat(5000)).len(), MAX_HEADER_MESSAGE);
    }
}
