//! Who may use the editor's API: requests to a loopback `Host` (no DNS rebinding), carrying the
//! run's random token (which only pages served by this server hold), and, for anything that
//! writes, an `Origin` equal to the server's own. Paths are checked by
//! [`folio_edit::resolve_writable`]; body sizes by the routes' limits ([`EDIT_LIMIT`],
//! [`UPLOAD_LIMIT`]).

use super::api::ApiError;
use axum::http::{HeaderMap, Method, StatusCode};
use std::hash::{BuildHasher, Hasher};
use std::io::Read;

/// The header that carries the token.
pub const TOKEN_HEADER: &str = "x-folio-token";

/// The largest edit, create, delete or preview request body.
pub const EDIT_LIMIT: usize = 1024 * 1024;

/// The largest image upload.
pub const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;

/// A new random token: 128 bits from the operating system, as hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !from_os {
        // Elsewhere: the standard library's per-process random SipHash keys.
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(i);
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `host` (a `Host` header value, with or without port) names this machine.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Compare without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Check a request to the API against `token`.
pub fn check_request(token: &str, method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let forbidden = |code: &'static str, message: &str| {
        ApiError::new(StatusCode::FORBIDDEN, code, message.to_string())
    };
    let host = header("host").unwrap_or_default();
    if !is_loopback_host(host) {
        return Err(forbidden(
            "edit/host",
            "the editor answers requests to this machine's loopback address only",
        ));
    }
    match header(TOKEN_HEADER) {
        Some(sent) if same(sent, token) => {}
        _ => {
            return Err(forbidden(
                "edit/token",
                "the editor token is missing or wrong; reload the page",
            ))
        }
    }
    let origin = header("origin");
    let own = format!("http://{host}");
    match origin {
        Some(origin) if origin == own => Ok(()),
        None if method == Method::GET || method == Method::HEAD => Ok(()),
        _ => Err(forbidden(
            "edit/origin",
            "the request does not come from the editor's own pages",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn loopback_hosts_only() {
        assert!(is_loopback_host("127.0.0.1:1313"));
        assert!(is_loopback_host("localhost:80"));
        assert!(is_loopback_host("[::1]:1313"));
        assert!(!is_loopback_host("evil.example:1313"));
        assert!(!is_loopback_host("192.168.1.2:1313"));
        assert!(!is_loopback_host(""));
    }
}
