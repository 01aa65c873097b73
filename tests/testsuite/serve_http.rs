//! The dev server's HTTP, over real sockets to the real binary: slow clients cannot starve it,
//! and it speaks HTTP/1.1 as browsers and tools expect (Host, 405 with Allow, validators and
//! 304, ranges, compression).

use crate::serve::{small_site, start_with_descriptors, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Send `request` as it is and read the whole response (the request should close).
fn exchange(server: &Server, request: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    (head, response[split + 4..].to_vec())
}

fn get(server: &Server, path: &str, headers: &str) -> (String, Vec<u8>) {
    let host = &server.address;
    exchange(
        server,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n"),
    )
}

/// A header's value in a response head (names compared without case).
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// Whether a response head has status `code`, as `HTTP/1.x CODE`.
fn status(head: &str) -> &str {
    head.split(' ').nth(1).unwrap_or_default()
}

#[test]
fn the_dev_server_speaks_http_1_1() {
    let (_dir, site) = small_site();
    let notes: String = "Notes for the talk. ".repeat(500);
    std::fs::write(site.join("public/notes.txt"), &notes).expect("write");
    let server = start_with_descriptors(&site, None);

    let (head, _) = exchange(&server, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status(&head), "400", "no Host: {head}");
    let doubled = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n";
    let (head, _) = exchange(&server, doubled);
    assert_eq!(status(&head), "400", "two Hosts: {head}");
    let (head, _) = exchange(&server, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status(&head), "200", "HTTP/1.0 needs no Host: {head}");

    let host = &server.address;
    let post = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let (head, _) = exchange(&server, &post);
    assert_eq!(status(&head), "405", "{head}");
    assert_eq!(header(&head, "allow"), Some("GET, HEAD"), "{head}");

    let (head, _) = get(&server, "/", "");
    assert_eq!(status(&head), "200", "{head}");
    assert_eq!(header(&head, "cache-control"), Some("no-cache"), "{head}");
    let tag = header(&head, "etag").expect("an ETag").to_string();
    let (head, body) = get(&server, "/", &format!("If-None-Match: {tag}\r\n"));
    assert_eq!(status(&head), "304", "{head}");
    assert!(body.is_empty());

    let (head, robots) = get(&server, "/robots.txt", "");
    let modified = header(&head, "last-modified")
        .expect("a public file's date")
        .to_string();
    let (head, _) = get(
        &server,
        "/robots.txt",
        &format!("If-Modified-Since: {modified}\r\n"),
    );
    assert_eq!(status(&head), "304", "{head}");

    let (head, part) = get(&server, "/robots.txt", "Range: bytes=5-9\r\n");
    assert_eq!(status(&head), "206", "{head}");
    assert_eq!(part, &robots[5..10]);
    let content_range = format!("bytes 5-9/{}", robots.len());
    assert_eq!(header(&head, "content-range"), Some(&content_range[..]));
    let (head, _) = get(&server, "/robots.txt", "Range: bytes=9999-\r\n");
    assert_eq!(status(&head), "416", "{head}");

    for (accept, coding) in [("br", "br"), ("gzip", "gzip"), ("gzip, br", "br")] {
        let accept = format!("Accept-Encoding: {accept}\r\n");
        let (head, body) = get(&server, "/notes.txt", &accept);
        assert_eq!(header(&head, "content-encoding"), Some(coding), "{head}");
        assert!(body.len() < notes.len() / 10, "{} bytes", body.len());
    }
}

/// A client that sent part of a request's headers and stopped.
fn half_sent(address: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .expect("write");
    stream
}

#[cfg(target_os = "linux")]
#[test]
fn slow_clients_cannot_starve_the_server_and_are_dropped_after_the_header_timeout() {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    const SLOW: usize = 1_100;
    // This test needs more descriptors than the server starts with.
    let limit = getrlimit(Resource::Nofile);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    if hard < 4 * SLOW as u64 {
        eprintln!("skipped: a hard limit of {hard} open files is too low for {SLOW} clients");
        return;
    }
    let ours = Rlimit {
        current: Some(hard.min(1 << 20)),
        maximum: limit.maximum,
    };
    setrlimit(Resource::Nofile, ours).expect("raise this test's limit");

    let (_dir, site) = small_site();
    // As started from a shell with the usual soft limit of 1,024 descriptors.
    let server = start_with_descriptors(&site, Some(1024));
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.child.id()))
        .expect("the server's limits");
    let open_files = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .expect("a limit");
    let soft: Vec<&str> = open_files.split_whitespace().skip(3).take(2).collect();
    assert_eq!(soft[0], soft[1], "raised to the hard limit: {open_files}");

    let slow: Vec<TcpStream> = (0..SLOW).map(|_| half_sent(&server.address)).collect();
    let started = Instant::now();
    let (head, _) = get(&server, "/", "");
    assert_eq!(status(&head), "200", "{head}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered in {:?} beside {SLOW} slow clients",
        started.elapsed()
    );

    // The server closes a connection whose headers never end.
    let mut stalled = slow.into_iter().next().expect("one");
    stalled
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut rest = Vec::new();
    let waited = Instant::now();
    let _ = stalled.read_to_end(&mut rest);
    assert!(
        waited.elapsed() < Duration::from_secs(20),
        "still open after {:?}",
        waited.elapsed()
    );
}

/// `folio serve` starts without encoding any image: each copy a page lists is made on its first
/// request, then kept in the disk cache.
#[test]
fn image_copies_are_made_on_their_first_request() {
    let site = crate::images::site_with_large_images();
    let server = start_with_descriptors(site.path(), None);
    let cache = site.path().join(".folio/cache/images");
    let cached = || std::fs::read_dir(&cache).map_or(0, |entries| entries.count());
    let (_, home) = get(&server, "/", "");
    let home = String::from_utf8_lossy(&home);
    let webp = crate::support::tagged_url(&home, "/images/_v/photo-800.jpg.webp");
    assert!(home.contains(&format!("{webp} 800w")), "{home}");
    assert_eq!(cached(), 0, "nothing encoded before it is asked for");

    let (head, body) = get(&server, &webp, "");
    assert_eq!(status(&head), "200", "{head}");
    assert_eq!(header(&head, "content-type"), Some("image/webp"));
    let copy = image::load_from_memory(&body).expect("a WebP image");
    assert_eq!((copy.width(), copy.height()), (800, 480));
    assert_eq!(cached(), 1, "the copy is cached once made");
    let (_, again) = get(&server, &webp, "");
    assert_eq!(again, body);
}
