//! `folio serve`: the real binary on a free port and a temporary site; a client subscribes to
//! the live-reload events, files change on disk, and the right events arrive.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `folio serve`, killed on drop.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    std::fs::write(path, text).expect("write");
}

/// Write like an editor: a temporary file beside the target, then a rename over it.
fn save_like_an_editor(path: &Path, text: &str) {
    let temp = path.with_extension("md.tmp~");
    std::fs::write(&temp, text).expect("write");
    std::fs::rename(&temp, path).expect("rename");
}

fn post(title: &str) -> String {
    format!("---\ntype: PostLayout\ntitle: {title}\ndate: '2024-01-02'\n---\nText.\n")
}

pub(crate) fn small_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    write(
        &site,
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );
    write(&site, "content/pages/blog/first.md", &post("First post"));
    write(&site, "content/pages/blog/second.md", &post("Second post"));
    write(&site, "public/robots.txt", "User-agent: *\n");
    (dir, site)
}

fn start(site: &Path) -> Server {
    start_with_descriptors(site, None)
}

/// [`start`], with the soft limit of open files set to `soft_limit` first when given (as a
/// login shell's default of 1,024 would).
pub(crate) fn start_with_descriptors(site: &Path, soft_limit: Option<u32>) -> Server {
    let folio = env!("CARGO_BIN_EXE_folio");
    let mut command = match soft_limit {
        Some(limit) => {
            let mut sh = Command::new("sh");
            sh.args([
                "-c",
                &format!("ulimit -Sn {limit} && exec \"$0\" \"$@\""),
                folio,
            ]);
            sh
        }
        None => Command::new(folio),
    };
    let mut child = command
        .args(["serve", "--port", "0"])
        .arg(site)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("folio serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (found, address) = mpsc::channel();
    let seen = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let url = line[at + 7..].split('/').next().unwrap_or_default();
                let _ = found.send(url.to_string());
            }
            seen.lock().expect("lines").push(line);
        }
    });
    let address = address
        .recv_timeout(Duration::from_secs(30))
        .expect("folio serve printed its URL");
    Server {
        child,
        address,
        lines,
    }
}

/// A subscriber to `/__folio/events`, connected once it has the `hello` event.
struct Events {
    stream: TcpStream,
    buffer: String,
}

impl Events {
    fn connect(address: &str) -> Events {
        let mut stream = TcpStream::connect(address).expect("connect");
        write!(
            stream,
            "GET /__folio/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("request");
        let mut events = Events {
            stream,
            buffer: String::new(),
        };
        events.wait_for("event: hello", Duration::from_secs(10));
        events
    }

    /// Read until an event containing `needle` is complete (panics after `limit`); returns
    /// everything read so far.
    fn wait_for(&mut self, needle: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        let mut chunk = [0u8; 4096];
        let complete = |buffer: &str| {
            buffer
                .find(needle)
                .is_some_and(|at| buffer[at..].contains("\n\n"))
        };
        while !complete(&self.buffer) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no {needle:?} within {limit:?}; got:\n{}",
                self.buffer
            );
            self.stream
                .set_read_timeout(Some(left))
                .expect("read timeout");
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("the server closed the event stream:\n{}", self.buffer),
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(_) => {}
            }
        }
        std::mem::take(&mut self.buffer)
    }
}

fn http_get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    response
}

#[test]
fn editing_a_post_sends_a_reload_for_that_page_only() {
    let (_dir, site) = small_site();
    let server = start(&site);
    let mut events = Events::connect(&server.address);
    save_like_an_editor(&site.join("content/pages/blog/first.md"), &post("Edited"));
    let got = events.wait_for("event: reload", Duration::from_secs(10));
    assert!(got.contains("/blog/first/"), "{got}");
    assert!(!got.contains("/blog/second/"), "{got}");
    let page = http_get(&server.address, "/blog/first/");
    assert!(page.contains("Edited"), "{page}");
    assert!(page.contains("/__folio/live.js"), "{page}");
}

#[test]
fn invalid_content_sends_the_overlay_and_a_fix_clears_it() {
    let (_dir, site) = small_site();
    let server = start(&site);
    let mut events = Events::connect(&server.address);
    let file = site.join("content/pages/blog/first.md");
    std::fs::write(&file, "---\ntype: PostLayout\ntitle: [unclosed\n---\n").expect("write");
    let got = events.wait_for("event: errors", Duration::from_secs(10));
    assert!(got.contains("content/pages/blog/first.md:3"), "{got}");
    let page = http_get(&server.address, "/blog/first/");
    assert!(page.contains("First post"), "the last good page: {page}");
    std::fs::write(&file, post("Fixed")).expect("write");
    events.wait_for("event: ok", Duration::from_secs(10));
}

#[test]
fn a_checkout_of_a_thousand_files_is_not_a_rebuild_per_file() {
    let (dir, site) = small_site();
    // The checkout's files are written beside the site first and moved in as git does, one
    // rename each: the burst is the checkout, not the time a loaded machine takes to write
    // 1,000 files (which can pause longer than the watcher's quiet period).
    let staged = dir.path().join("staged");
    for i in 0..1000 {
        write(
            &staged,
            &format!("post-{i:04}.md"),
            &post(&format!("Post {i}")),
        );
    }
    let server = start(&site);
    let mut events = Events::connect(&server.address);
    let rebuilds = || {
        server
            .lines
            .lock()
            .expect("lines")
            .iter()
            .filter(|l| l.starts_with("rebuilt in "))
            .count()
    };
    let before = rebuilds();
    let many = site.join("content/pages/blog/many");
    std::fs::create_dir_all(&many).expect("folder");
    for i in 0..1000 {
        let name = format!("post-{i:04}.md");
        std::fs::rename(staged.join(&name), many.join(&name)).expect("move into place");
    }
    std::fs::remove_file(site.join("content/pages/blog/second.md")).expect("delete");
    // Every page of the checkout reloads, the deleted one too, in as few rebuilds as the
    // machine allows: one, unless it stalled the mover for longer than the watcher's quiet
    // period (seen with two test suites at once); never one per file.
    let mut got = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !(got.contains("/blog/many/post-0999/") && got.contains("/blog/second/")) {
        let left = deadline.saturating_duration_since(Instant::now());
        got.push_str(&events.wait_for("event: reload", left.max(Duration::from_millis(1))));
    }
    // Give a stray later rebuild the time to show up before counting.
    std::thread::sleep(Duration::from_millis(500));
    let count = rebuilds() - before;
    assert!(
        (1..=3).contains(&count),
        "{count} rebuilds for one checkout: {:?}",
        server.lines.lock().expect("lines")
    );
}

#[test]
fn resized_image_copies_are_served_from_memory() {
    let dir = crate::images::site_with_large_images();
    let server = start(dir.path());
    let page = http_get(&server.address, "/");
    let copy = crate::support::tagged_url(&page, "/images/_v/photo-800.jpg");
    assert!(page.contains(&format!("{copy} 800w")), "{page}");
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    write!(
        stream,
        "GET {copy} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    let head = String::from_utf8_lossy(&response[..response.len().min(300)]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: image/jpeg"), "{head}");
    let body = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| &response[at + 4..])
        .expect("a body");
    let decoded = image::load_from_memory(body).expect("a JPEG");
    assert_eq!(decoded.width(), 800);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_appearing_in_content_never_blocks_the_rebuilds() {
    let (_dir, site) = small_site();
    let server = start(&site);
    let mut events = Events::connect(&server.address);
    let pipe = site.join("content/pages/blog/pipe.md");
    let status = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
    assert!(status.success());
    save_like_an_editor(
        &site.join("content/pages/blog/first.md"),
        &post("After the pipe"),
    );
    events.wait_for("event: reload", Duration::from_secs(10));
    let page = http_get(&server.address, "/blog/first/");
    assert!(page.contains("After the pipe"), "{page}");
    std::fs::remove_file(&pipe).expect("remove the pipe");
    save_like_an_editor(
        &site.join("content/pages/blog/second.md"),
        &post("And after"),
    );
    events.wait_for("event: reload", Duration::from_secs(10));
    assert!(http_get(&server.address, "/blog/second/").contains("And after"));
}

#[cfg(unix)]
#[test]
fn a_broken_link_once_deleted_is_no_longer_reported() {
    let (_dir, site) = small_site();
    let server = start(&site);
    let mut events = Events::connect(&server.address);
    let link = site.join("content/pages/blog/broken.md");
    std::os::unix::fs::symlink("nowhere.md", &link).expect("link");
    let got = events.wait_for("event: errors", Duration::from_secs(10));
    assert!(got.contains("broken.md"), "{got}");
    std::fs::remove_file(&link).expect("remove the link");
    events.wait_for("event: ok", Duration::from_secs(10));
    save_like_an_editor(
        &site.join("content/pages/blog/first.md"),
        &post("Edited after"),
    );
    events.wait_for("event: reload", Duration::from_secs(10));
    assert!(http_get(&server.address, "/blog/first/").contains("Edited after"));
    // A looping link, the same way.
    std::os::unix::fs::symlink("loop.md", site.join("content/pages/blog/loop.md")).expect("link");
    events.wait_for("event: errors", Duration::from_secs(10));
    std::fs::remove_file(site.join("content/pages/blog/loop.md")).expect("remove");
    events.wait_for("event: ok", Duration::from_secs(10));
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_once_removed_is_no_longer_reported() {
    let (_dir, site) = small_site();
    let outside = tempfile::tempdir().expect("a folder outside the site");
    std::fs::write(outside.path().join("leak.md"), post("Leaked")).expect("outside file");
    let file_link = site.join("content/pages/blog/leak.md");
    let folder_link = site.join("content/pages/elsewhere");
    std::os::unix::fs::symlink(outside.path().join("leak.md"), &file_link).expect("link");
    std::os::unix::fs::symlink(outside.path(), &folder_link).expect("link");
    // Started with the links in place: the first build reports them.
    let server = start(&site);
    let mut events = Events::connect(&server.address);
    std::fs::remove_file(&file_link).expect("remove the file link");
    let got = events.wait_for("event: errors", Duration::from_secs(10));
    assert!(got.contains("elsewhere"), "{got}");
    assert!(
        !got.contains("leak.md"),
        "the removed link is still reported: {got}"
    );
    std::fs::remove_file(&folder_link).expect("remove the folder link");
    events.wait_for("event: ok", Duration::from_secs(10));
    // Saves show again.
    save_like_an_editor(
        &site.join("content/pages/blog/first.md"),
        &post("Shown after"),
    );
    events.wait_for("event: reload", Duration::from_secs(10));
    assert!(http_get(&server.address, "/blog/first/").contains("Shown after"));
}
