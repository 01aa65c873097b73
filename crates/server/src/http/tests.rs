//! The HTTP semantics, on bodies made here: validators, ranges and codings.

use super::*;
use axum::body::to_bytes;
use std::io::Read;
use std::time::Duration;

fn page(len: usize) -> Entity {
    let text: String = "folio serves pages. ".chars().cycle().take(len).collect();
    Entity {
        body: Bytes::from(text),
        kind: "text/html; charset=utf-8",
        status: StatusCode::OK,
        modified: Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
    }
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            header::HeaderName::from_bytes(name.as_bytes()).expect("name"),
            HeaderValue::from_str(value).expect("value"),
        );
    }
    map
}

async fn send(entity: Entity, pairs: &[(&str, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = deliver(&headers(pairs), entity, &CompressionCache::default()).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, headers, body.to_vec())
}

fn get<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_plain_get_has_validators_and_revalidates() {
    let (status, headers, body) = send(page(5000), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.len(), 5000);
    assert!(get(&headers, "etag").starts_with('"'), "{headers:?}");
    assert_eq!(
        get(&headers, "last-modified"),
        "Tue, 14 Nov 2023 22:13:20 GMT"
    );
    assert_eq!(get(&headers, "cache-control"), "no-cache");
    assert_eq!(get(&headers, "accept-ranges"), "bytes");
    assert_eq!(get(&headers, "vary"), "accept-encoding");
    assert_eq!(get(&headers, "content-encoding"), "");
}

#[tokio::test]
async fn a_matching_etag_or_date_gets_304_and_a_changed_body_does_not() {
    let (_, first, _) = send(page(5000), &[]).await;
    let tag = get(&first, "etag").to_string();
    let (status, headers, body) = send(page(5000), &[("if-none-match", &tag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(get(&headers, "etag"), tag);
    let weak = format!("\"other\", W/{tag}");
    let (status, _, _) = send(page(5000), &[("if-none-match", &weak)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED, "a weak match in a list");
    let (status, _, body) = send(page(5001), &[("if-none-match", &tag)]).await;
    assert_eq!(
        (status, body.len()),
        (StatusCode::OK, 5001),
        "changed content"
    );

    let date = get(&first, "last-modified").to_string();
    let (status, _, _) = send(page(5000), &[("if-modified-since", &date)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let earlier = "Mon, 13 Nov 2023 00:00:00 GMT";
    let (status, _, _) = send(page(5000), &[("if-modified-since", earlier)]).await;
    assert_eq!(status, StatusCode::OK);
    // If-None-Match wins over If-Modified-Since.
    let both = [
        ("if-none-match", "\"other\""),
        ("if-modified-since", &date[..]),
    ];
    let (status, _, _) = send(page(5000), &both).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_compressed_copy_is_revalidated_by_its_own_tag() {
    let (_, first, _) = send(page(5000), &[("accept-encoding", "br")]).await;
    let tag = get(&first, "etag").to_string();
    assert!(tag.ends_with("-br\""), "{tag}");
    let pairs = [("accept-encoding", "br"), ("if-none-match", &tag[..])];
    let (status, headers, _) = send(page(5000), &pairs).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(get(&headers, "etag"), tag);
}

#[tokio::test]
async fn ranges_give_206_the_bytes_asked_for_or_416() {
    let full = page(5000).body;
    let cases: [(&str, std::ops::Range<usize>); 4] = [
        ("bytes=0-99", 0..100),
        ("bytes=4990-", 4990..5000),
        ("bytes=-10", 4990..5000),
        ("bytes=4000-99999", 4000..5000),
    ];
    for (range, expected) in cases {
        let pairs = [("range", range), ("accept-encoding", "gzip, br")];
        let (status, headers, body) = send(page(5000), &pairs).await;
        assert_eq!(status, StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(body, &full[expected.clone()], "{range}");
        let content_range = format!("bytes {}-{}/5000", expected.start, expected.end - 1);
        assert_eq!(get(&headers, "content-range"), content_range, "{range}");
        assert_eq!(
            get(&headers, "content-encoding"),
            "",
            "ranges are of the identity body"
        );
    }
    for range in ["bytes=5000-", "bytes=-0"] {
        let (status, headers, body) = send(page(5000), &[("range", range)]).await;
        assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
        assert_eq!(get(&headers, "content-range"), "bytes */5000");
        assert!(body.is_empty());
    }
    for ignored in ["bytes=0-1,5-9", "items=0-1", "bytes=9-2", "bytes=a-b"] {
        let (status, _, body) = send(page(5000), &[("range", ignored)]).await;
        assert_eq!((status, body.len()), (StatusCode::OK, 5000), "{ignored}");
    }
}

#[tokio::test]
async fn if_range_applies_the_range_only_to_the_same_content() {
    let (_, first, _) = send(page(5000), &[]).await;
    let tag = get(&first, "etag").to_string();
    let date = get(&first, "last-modified").to_string();
    for validator in [&tag[..], &date[..]] {
        let pairs = [("range", "bytes=0-9"), ("if-range", validator)];
        let (status, _, body) = send(page(5000), &pairs).await;
        assert_eq!((status, body.len()), (StatusCode::PARTIAL_CONTENT, 10));
    }
    let pairs = [("range", "bytes=0-9"), ("if-range", "\"0000000000000000\"")];
    let (status, _, body) = send(page(5000), &pairs).await;
    assert_eq!((status, body.len()), (StatusCode::OK, 5000));
}

#[tokio::test]
async fn text_is_sent_as_br_or_gzip_as_the_client_prefers() {
    let original = page(20_000).body;
    let (_, headers, body) = send(page(20_000), &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(get(&headers, "content-encoding"), "br");
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut decoded)
        .expect("valid br");
    assert_eq!(decoded, original);
    assert!(body.len() < original.len() / 10, "{} bytes", body.len());

    let (_, headers, body) = send(page(20_000), &[("accept-encoding", "gzip")]).await;
    assert_eq!(get(&headers, "content-encoding"), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut decoded)
        .expect("valid gzip");
    assert_eq!(decoded, original);

    let (_, headers, body) = send(page(20_000), &[("accept-encoding", "br;q=0, gzip;q=0")]).await;
    assert_eq!(
        (get(&headers, "content-encoding"), body.len()),
        ("", 20_000)
    );
    let (_, headers, _) = send(page(500), &[("accept-encoding", "br")]).await;
    assert_eq!(get(&headers, "content-encoding"), "", "too small to gain");
    let image = Entity {
        kind: "image/png",
        ..page(20_000)
    };
    let (_, headers, _) = send(image, &[("accept-encoding", "br")]).await;
    assert_eq!(get(&headers, "content-encoding"), "", "already compressed");
    assert_eq!(get(&headers, "vary"), "");
}

#[tokio::test]
async fn a_large_body_is_compressed_off_the_async_threads_and_cached() {
    let cache = CompressionCache::default();
    let request = headers(&[("accept-encoding", "gzip")]);
    let first = deliver(&request, page(300_000), &cache).await;
    let first = to_bytes(first.into_body(), usize::MAX).await.expect("body");
    assert_eq!(cache.inner.lock().expect("lock").entries.len(), 1);
    let second = deliver(&request, page(300_000), &cache).await;
    let second = to_bytes(second.into_body(), usize::MAX)
        .await
        .expect("body");
    assert_eq!(first, second);
    assert_eq!(cache.inner.lock().expect("lock").entries.len(), 1);
}

#[tokio::test]
async fn a_not_found_page_has_no_validators_or_ranges() {
    let missing = Entity {
        status: StatusCode::NOT_FOUND,
        ..page(5000)
    };
    let (status, headers, body) = send(missing, &[("range", "bytes=0-9")]).await;
    assert_eq!((status, body.len()), (StatusCode::NOT_FOUND, 5000));
    assert_eq!(get(&headers, "etag"), "");
    assert_eq!(get(&headers, "accept-ranges"), "");
}

#[test]
fn accept_encoding_is_read_with_its_weights() {
    assert_eq!(preferred_coding(""), None);
    assert_eq!(preferred_coding("identity"), None);
    assert_eq!(preferred_coding("gzip"), Some(Coding::Gzip));
    assert_eq!(preferred_coding("br"), Some(Coding::Brotli));
    assert_eq!(preferred_coding("gzip;q=1, br;q=0.5"), Some(Coding::Gzip));
    assert_eq!(preferred_coding("*"), Some(Coding::Brotli));
    assert_eq!(preferred_coding("*;q=0.1, br;q=0"), Some(Coding::Gzip));
    assert_eq!(preferred_coding("GZIP ; q=0.8"), Some(Coding::Gzip));
}
