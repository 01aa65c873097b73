//! The connection layer under the routes: accepting connections with a cap, HTTP/1.1 with a
//! header-read timeout, the `Host` rule of RFC 9112, and the process's descriptor limit.
//!
//! A slow or stalled client holds a connection and a descriptor. Without a timeout, a
//! thousand half-sent requests would use every descriptor and starve the browser; so a
//! request's headers must arrive within [`Limits::header_timeout`], at most
//! [`Limits::max_connections`] connections are served at once (further ones wait in the
//! kernel's queue for a free slot), and the descriptor limit is raised to the hard limit first.

use axum::body::Body;
use axum::http::{header, Request, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a client may take to send a request's headers, and to start the next request on
/// a kept-alive connection, before the connection is closed. A browser on the same machine
/// needs milliseconds.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Descriptors kept for everything but connections: reading the site, the watcher, logs.
const RESERVED_DESCRIPTORS: u64 = 256;

/// The most connections served at once, whatever the descriptor limit.
const MAX_CONNECTIONS: u64 = 16_384;

/// What the connection layer allows.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`HEADER_TIMEOUT`].
    pub header_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

impl Limits {
    /// The limits for a process allowed `descriptors` open files.
    pub fn for_descriptors(descriptors: u64) -> Limits {
        let usable = descriptors.saturating_sub(RESERVED_DESCRIPTORS).max(16);
        Limits {
            header_timeout: HEADER_TIMEOUT,
            max_connections: usable.min(MAX_CONNECTIONS) as usize,
        }
    }
}

/// Raise this process's limit of open descriptors to its hard limit, as servers do (the soft
/// default, often 1,024, is for interactive shells); returns the limit now in force.
pub fn raise_descriptor_limit() -> u64 {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    // An unlimited hard limit is not a number setrlimit takes for files everywhere: ask for
    // a large finite one.
    let wanted = limit.maximum.unwrap_or(1 << 20);
    let current = limit.current.unwrap_or(u64::MAX);
    if current >= wanted {
        return current;
    }
    let raised = Rlimit {
        current: Some(wanted),
        maximum: limit.maximum,
    };
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => wanted,
        Err(_) => current,
    }
}

/// Serve `router` on `listener` within `limits` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let accepting = async {
        loop {
            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                return;
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors, or a connection reset before it was accepted: wait
                    // a moment rather than spin, and go on.
                    if !is_per_connection(&e) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let router = router.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    let router = router.clone();
                    async move { Ok::<_, Infallible>(route(router, request).await) }
                });
                let connection = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.header_timeout)
                    .serve_connection(TokioIo::new(stream), service);
                // A client that goes away mid-request is not the server's error.
                let _ = connection.await;
                drop(slot);
            });
        }
    };
    tokio::select! {
        () = accepting => {}
        () = shutdown => {}
    }
}

/// Errors of one connection, after which accepting the next works at once.
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

async fn route(router: Router, request: Request<Incoming>) -> Response {
    if let Some(refusal) = host_problem(&request) {
        return refusal;
    }
    let request = request.map(Body::new);
    match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// RFC 9112 §3.2: an HTTP/1.1 request without a `Host`, and any request with more than one,
/// gets 400. (HTTP/1.0 requests may lack one.)
fn host_problem<B>(request: &Request<B>) -> Option<Response> {
    let hosts = request.headers().get_all(header::HOST).iter().count();
    let problem = match hosts {
        0 if request.version() >= Version::HTTP_11 => "a request needs a Host header",
        0 | 1 => return None,
        _ => "a request may have only one Host header",
    };
    Some((StatusCode::BAD_REQUEST, problem).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(version: Version, hosts: &[&str]) -> Request<()> {
        let mut builder = Request::builder().uri("/").version(version);
        for host in hosts {
            builder = builder.header(header::HOST, *host);
        }
        builder.body(()).expect("request")
    }

    #[test]
    fn host_is_required_once_in_http_1_1() {
        assert!(host_problem(&request(Version::HTTP_11, &["a"])).is_none());
        assert!(host_problem(&request(Version::HTTP_10, &[])).is_none());
        for hosts in [&[][..], &["a", "b"][..]] {
            let refusal = host_problem(&request(Version::HTTP_11, hosts)).expect("refused");
            assert_eq!(refusal.status(), StatusCode::BAD_REQUEST);
        }
        assert!(host_problem(&request(Version::HTTP_10, &["a", "a"])).is_some());
    }

    #[test]
    fn limits_leave_descriptors_for_the_site() {
        assert_eq!(Limits::for_descriptors(1024).max_connections, 768);
        assert_eq!(Limits::for_descriptors(1 << 20).max_connections, 16_384);
        assert_eq!(Limits::for_descriptors(100).max_connections, 16);
    }

    #[test]
    fn the_descriptor_limit_is_raised_to_the_hard_limit() {
        let raised = raise_descriptor_limit();
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        assert_eq!(limit.current, Some(raised));
        assert_eq!(limit.current, limit.maximum.or(Some(1 << 20)));
    }
}
