//! The HTTP semantics of what the dev server sends (RFC 9110): validators (a content-hash
//! `ETag`, `Last-Modified`) answered with 304, single byte ranges (206, or 416 past the end),
//! and `br` / `gzip` content coding with a cache of compressed bodies.
//!
//! Everything is revalidated (`Cache-Control: no-cache`), never stored blindly: a page changes
//! with every save, and a 304 costs the browser one round trip instead of the whole body.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// A body to send, with what the server knows of it.
#[derive(Debug)]
pub struct Entity {
    /// The bytes, as the client would see them uncompressed.
    pub body: Bytes,
    /// Its `Content-Type`.
    pub kind: &'static str,
    /// 200, or 404 for the not-found page (which gets no validators and no ranges).
    pub status: StatusCode,
    /// When the file last changed, for `Last-Modified` (`None`: only the `ETag` validates).
    pub modified: Option<SystemTime>,
}

/// A content coding folio can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    /// Brotli (`br`).
    Brotli,
    /// `gzip`.
    Gzip,
}

impl Coding {
    fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    /// What tells this representation's `ETag` from the identity one's.
    fn tag_suffix(self) -> &'static str {
        match self {
            Coding::Brotli => "-br",
            Coding::Gzip => "-gz",
        }
    }

    fn encode(self, body: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Coding::Brotli => {
                let mut out = Vec::with_capacity(body.len() / 4);
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &body[..], &mut out, &params)?;
                Ok(out)
            }
            Coding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(body.len() / 4),
                    flate2::Compression::new(6),
                );
                encoder.write_all(body)?;
                encoder.finish()
            }
        }
    }
}

/// Brotli's quality: 5 compresses text about as well as gzip -9 at gzip -6's speed, which
/// is what a server that compresses on the fly wants (11, the maximum, is 50× slower).
const BROTLI_QUALITY: i32 = 5;

/// Bodies smaller than this go uncompressed: the headers would eat the saving.
const MIN_COMPRESSED_BYTES: usize = 1024;

/// Above this, compressing moves off the async threads, which must keep answering.
const INLINE_COMPRESSION_BYTES: usize = 64 * 1024;

/// How many compressed bytes the cache keeps before it starts over.
const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Compressed bodies by content hash and coding, so a page asked for again (a reload, another
/// tab) is not compressed again. Keyed by content, it never serves a stale body.
#[derive(Debug, Default)]
pub struct CompressionCache {
    inner: Mutex<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    entries: HashMap<(u64, Coding), Bytes>,
    bytes: usize,
}

impl CompressionCache {
    fn get(&self, key: (u64, Coding)) -> Option<Bytes> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.entries.get(&key).cloned()
    }

    fn put(&self, key: (u64, Coding), body: Bytes) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.bytes + body.len() > CACHE_BYTES {
            inner.entries.clear();
            inner.bytes = 0;
        }
        inner.bytes += body.len();
        inner.entries.insert(key, body);
    }

    async fn compressed(&self, hash: u64, coding: Coding, body: &Bytes) -> Option<Bytes> {
        if let Some(hit) = self.get((hash, coding)) {
            return Some(hit);
        }
        let encoded = if body.len() <= INLINE_COMPRESSION_BYTES {
            coding.encode(body).ok()?
        } else {
            let body = body.clone();
            tokio::task::spawn_blocking(move || coding.encode(&body))
                .await
                .ok()?
                .ok()?
        };
        let encoded = Bytes::from(encoded);
        self.put((hash, coding), encoded.clone());
        Some(encoded)
    }
}

/// The response to a GET or HEAD for `entity`, given the request's headers.
pub async fn deliver(request: &HeaderMap, entity: Entity, cache: &CompressionCache) -> Response {
    let hash = xxhash_rust::xxh3::xxh3_64(&entity.body);
    let compressible = is_compressible(entity.kind);
    let coding = if compressible && entity.body.len() >= MIN_COMPRESSED_BYTES {
        preferred_coding(header_str(request, &header::ACCEPT_ENCODING))
    } else {
        None
    };
    let identity_tag = format!("\"{hash:016x}\"");
    let tag = match coding {
        Some(coding) => format!("\"{hash:016x}{}\"", coding.tag_suffix()),
        None => identity_tag.clone(),
    };
    let validated = entity.status == StatusCode::OK;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(entity.kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if compressible {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if validated {
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        if let Ok(value) = HeaderValue::from_str(&tag) {
            headers.insert(header::ETAG, value);
        }
        if let Some(modified) = entity.modified {
            if let Ok(value) = HeaderValue::from_str(&httpdate::fmt_http_date(modified)) {
                headers.insert(header::LAST_MODIFIED, value);
            }
        }
        if not_modified(request, hash, entity.modified) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let len = entity.body.len() as u64;
        if let Some(range) = requested_range(request, &identity_tag, entity.modified) {
            headers.remove(header::ETAG);
            if let Ok(value) = HeaderValue::from_str(&identity_tag) {
                headers.insert(header::ETAG, value);
            }
            return match byte_range(range, len) {
                Some((start, end)) => {
                    let content_range = format!("bytes {start}-{end}/{len}");
                    if let Ok(value) = HeaderValue::from_str(&content_range) {
                        headers.insert(header::CONTENT_RANGE, value);
                    }
                    let part = entity.body.slice(start as usize..end as usize + 1);
                    (StatusCode::PARTIAL_CONTENT, headers, Body::from(part)).into_response()
                }
                None => {
                    if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
                        headers.insert(header::CONTENT_RANGE, value);
                    }
                    (StatusCode::RANGE_NOT_SATISFIABLE, headers).into_response()
                }
            };
        }
    }
    let body = match coding {
        Some(coding) => match cache.compressed(hash, coding, &entity.body).await {
            Some(encoded) => {
                headers.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(coding.token()),
                );
                encoded
            }
            None => {
                // Could not compress (it cannot really fail): send it as it is, under the
                // identity representation's tag.
                if let (true, Ok(value)) = (validated, HeaderValue::from_str(&identity_tag)) {
                    headers.insert(header::ETAG, value);
                }
                entity.body
            }
        },
        None => entity.body,
    };
    (entity.status, headers, Body::from(body)).into_response()
}

fn header_str<'a>(headers: &'a HeaderMap, name: &header::HeaderName) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Text compresses; images, fonts, audio and video already are compressed.
fn is_compressible(kind: &str) -> bool {
    kind.starts_with("text/")
        || kind.starts_with("application/json")
        || kind.starts_with("application/xml")
        || kind.starts_with("application/manifest+json")
        || kind.starts_with("application/wasm")
        || kind.starts_with("image/svg+xml")
}

/// The coding to send for an `Accept-Encoding` value: `br` when the client takes it at least
/// as gladly as gzip, else gzip, else none. A `q=0` refuses a coding; `*` stands for the rest.
pub fn preferred_coding(accept: &str) -> Option<Coding> {
    let mut brotli = None;
    let mut gzip = None;
    let mut any = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match name.as_str() {
            "br" => brotli = Some(q),
            "gzip" | "x-gzip" => gzip = Some(q),
            "*" => any = Some(q),
            _ => {}
        }
    }
    let brotli = brotli.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    if brotli > 0.0 && brotli >= gzip {
        Some(Coding::Brotli)
    } else if gzip > 0.0 {
        Some(Coding::Gzip)
    } else {
        None
    }
}

/// Whether the client's copy is current: `If-None-Match` names this content (in any coding,
/// compared weakly, as RFC 9110 says for GET), or, without it, `If-Modified-Since` is no
/// earlier than the last change.
fn not_modified(request: &HeaderMap, hash: u64, modified: Option<SystemTime>) -> bool {
    if let Some(tags) = request.get(header::IF_NONE_MATCH) {
        let ours = format!("{hash:016x}");
        return tags.to_str().is_ok_and(|tags| {
            tags.split(',').any(|tag| {
                let tag = tag.trim();
                tag == "*" || opaque_tag(tag.strip_prefix("W/").unwrap_or(tag)) == Some(&ours)
            })
        });
    }
    match (modified, request.get(header::IF_MODIFIED_SINCE)) {
        (Some(modified), Some(since)) => since
            .to_str()
            .ok()
            .and_then(|since| httpdate::parse_http_date(since).ok())
            .is_some_and(|since| whole_seconds(modified) <= whole_seconds(since)),
        _ => false,
    }
}

/// The hash inside a tag folio made (`"…"`, `"…-br"`, `"…-gz"`).
fn opaque_tag(tag: &str) -> Option<&str> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    Some(
        inner
            .strip_suffix(Coding::Brotli.tag_suffix())
            .or_else(|| inner.strip_suffix(Coding::Gzip.tag_suffix()))
            .unwrap_or(inner),
    )
}

fn whole_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// One range of a `Range: bytes=…` header, before it meets the body's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAsk {
    /// `bytes=FIRST-` or `bytes=FIRST-LAST`.
    From(u64, Option<u64>),
    /// `bytes=-N`: the last N bytes.
    Last(u64),
}

/// The range the request asks for, when it asks for exactly one that folio honours: a
/// `bytes` range whose `If-Range` (if any) still matches. Several ranges, other units and
/// malformed values are ignored, which RFC 9110 allows: the whole body is sent.
fn requested_range(
    request: &HeaderMap,
    identity_tag: &str,
    modified: Option<SystemTime>,
) -> Option<RangeAsk> {
    let range = parse_range(request.get(header::RANGE)?.to_str().ok()?)?;
    match request.get(header::IF_RANGE).map(|v| v.to_str()) {
        None => Some(range),
        Some(Ok(tag)) if tag.starts_with('"') => (tag == identity_tag).then_some(range),
        Some(Ok(date)) => {
            let date = httpdate::parse_http_date(date).ok()?;
            (whole_seconds(modified?) == whole_seconds(date)).then_some(range)
        }
        Some(Err(_)) => None,
    }
}

/// A `Range` header's one byte range; `None` for anything else.
pub fn parse_range(value: &str) -> Option<RangeAsk> {
    let (unit, spec) = value.trim().split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return None;
    }
    let (first, last) = spec.trim().split_once('-')?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if first.trim().is_empty() {
        return number(last).map(RangeAsk::Last);
    }
    let first = number(first)?;
    if last.trim().is_empty() {
        return Some(RangeAsk::From(first, None));
    }
    let last = number(last)?;
    (first <= last).then_some(RangeAsk::From(first, Some(last)))
}

/// The inclusive byte positions `range` selects of a body of `len` bytes; `None` when it
/// selects nothing (416).
pub fn byte_range(range: RangeAsk, len: u64) -> Option<(u64, u64)> {
    if len == 0 {
        return None;
    }
    match range {
        RangeAsk::From(first, _) if first >= len => None,
        RangeAsk::From(first, last) => Some((first, last.map_or(len - 1, |l| l.min(len - 1)))),
        RangeAsk::Last(0) => None,
        RangeAsk::Last(n) => Some((len.saturating_sub(n), len - 1)),
    }
}

#[cfg(test)]
mod tests;
