//! Admin routes: `DELETE /cache/KEY` and `DELETE /cache` purge charts from
//! this replica's memory, from Redis, and (through Redis pub/sub) from the
//! memory of every other replica.
//!
//! They answer only with `Authorization: Bearer <admin.token>`; with no token
//! configured they do not exist (404), so a default deployment exposes no
//! way to empty its cache.

use super::auth::bearer_matches;
use super::error::ApiError;
use super::{App, Body};
use crate::chart::ChartKey;
use hyper::{Method, Request, Response, StatusCode};

pub(super) async fn purge<B>(app: &App, req: &Request<B>) -> Result<Response<Body>, ApiError> {
    let path = req.uri().path();
    let token = app.config.admin.token.as_deref();
    if token.is_none() {
        return Err(ApiError::not_found(format!("no route {path}")));
    }
    if !bearer_matches(req.headers(), token) {
        return Err(ApiError::unauthorized());
    }
    if req.method() != Method::DELETE {
        return Err(ApiError::method_not_allowed("DELETE"));
    }
    let shared = match path.strip_prefix("/cache/") {
        Some(hex) => {
            let key = ChartKey::from_hex(hex).ok_or_else(|| {
                ApiError::bad_request("KEY is the chart's ETag: 64 hex digits, without quotes")
            })?;
            app.cache.purge(&key).await.is_ok()
        }
        None => app.cache.purge_all().await.is_ok(),
    };
    if !shared {
        return Err(ApiError::redis_unavailable());
    }
    let mut resp = Response::new(Body::default());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    Ok(resp)
}
