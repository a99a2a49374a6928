//! The accept loop: HTTP/1.1 with keep-alive, a header read timeout (which
//! also cuts off clients that connect and send nothing), a cap on the
//! request head's size, a cap on open connections, and graceful shutdown.
//! Each socket is wrapped in `ProtocolErrors`, so the errors hyper answers
//! itself get the contract's JSON shape too.
//!
//! `run` takes a bound listener and a shutdown future, so tests bind port 0
//! and stop the server cleanly; `main` passes SIGTERM/SIGINT.

use crate::app::App;
use crate::http::handle;
use crate::http::protocol_error::ProtocolErrors;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Serves `app` on `listener` until `shutdown` completes; then stops
/// accepting (new connections are refused), lets in-flight requests finish
/// for up to `server.shutdown_grace_ms`, and returns.
pub async fn run(listener: TcpListener, app: Arc<App>, shutdown: impl Future<Output = ()>) {
    let cfg = app.config.server.clone();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(cfg.header_timeout_ms))
        // The whole head, request line included, is held to
        // `server.max_header_bytes` (exactly: hyper checks a complete head's
        // length). What hyper refuses is answered in the contract's shape by
        // `ProtocolErrors`, as 414 when the URL is what made it too long.
        .max_header_size(cfg.max_header_bytes)
        // The read buffer: above the head limit, so that limit is what trips.
        .max_buf_size(cfg.max_header_bytes + 8192)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(cfg.max_connections));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&slots).acquire_owned() => permit.expect("semaphore never closes"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: back off, don't spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = Arc::clone(&app);
        let io = ProtocolErrors::new(
            stream,
            app.config.limits.max_url_bytes,
            cfg.max_header_bytes,
            Arc::clone(&app.metrics),
        );
        let svc = service_fn(move |req| handle(Arc::clone(&app), req));
        let conn = graceful.watch(http.serve_connection(TokioIo::new(io), svc));
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!("shutting down: no new connections, finishing in-flight requests");
    let grace = Duration::from_millis(cfg.shutdown_grace_ms);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            grace_ms = cfg.shutdown_grace_ms,
            "in-flight requests outlived the grace period"
        );
    }
}

/// Completes on SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
