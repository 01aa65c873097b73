//! `cargo xtask bench-serve [--runs N] [--posts N]`: how long from saving a file to the browser
//! being told to reload, with the real `folio serve` (release build) as a child process.
//!
//! For `examples/devrel` and for the synthetic site of `cargo xtask bench` with N posts (default
//! 10,000, see `bench_site.rs`), it starts the server on a free port, subscribes to
//! `/__folio/events` like a browser, then several times rewrites one post's title and measures
//! the time from the write to the complete `reload` event. Prints the median, the minimum and
//! the maximum. A benchmark, not a test: figures are printed, never asserted.
//!
//! `cargo xtask bench` reuses [`measure_serve`] and the helpers here for its serve path.

use crate::bench::Trash;
use crate::bench_site::{ensure_site, post_path, retitle};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

struct Options {
    runs: usize,
    posts: usize,
}

/// Run the benchmark.
pub fn run(args: &[String]) -> ExitCode {
    let mut options = Options {
        runs: 9,
        posts: 10_000,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--runs", Some(n)) if n > 0 => options.runs = n,
            ("--posts", Some(n)) if n > 0 => options.posts = n,
            _ => {
                eprintln!("usage: cargo xtask bench-serve [--runs N] [--posts N]");
                return ExitCode::from(2);
            }
        }
    }
    match bench(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-serve: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `cargo build --release --bin folio`; the path of the binary.
pub(crate) fn build_folio(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("==> cargo build --release --bin folio");
    let built = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "folio"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !built.success() {
        return Err("the release build failed".into());
    }
    Ok(root.join("target/release/folio"))
}

fn bench(options: &Options) -> Result<(), String> {
    let root = workspace();
    let binary = build_folio(&root)?;
    let work = root.join("target/bench-serve");
    let _ = std::fs::remove_dir_all(&work);
    let devrel = work.join("devrel");
    copy_tree(&root.join("examples/devrel"), &devrel)?;
    // The synthetic site is `cargo xtask bench`'s, generated once and cached.
    let trash = Trash(root.join("target/bench/trash"));
    let synthetic = ensure_site(&root, options.posts, &trash)?;
    let cases = [
        (
            "examples/devrel".to_string(),
            devrel.clone(),
            devrel.join("content/pages/blog/docs-are-the-product.md"),
        ),
        (
            format!("synthetic, {} posts", options.posts),
            synthetic.dir.clone(),
            post_path(&synthetic.dir, options.posts / 2),
        ),
    ];
    for (name, site, post) in cases {
        let measured = measure_serve(&binary, &site, &post, options.runs)?;
        let mut times: Vec<Duration> = measured.edits.iter().map(|e| e.reload).collect();
        times.sort();
        let mut rebuilds: Vec<f64> = measured.edits.iter().filter_map(|e| e.rebuild_ms).collect();
        rebuilds.sort_by(f64::total_cmp);
        let rebuild = match rebuilds.get(rebuilds.len() / 2) {
            Some(ms) => format!("; rebuild median {ms:.0} ms"),
            None => String::new(),
        };
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{name}: file write → reload event, median {:.1} ms (min {:.1}, max {:.1}, {} runs){rebuild}; first build {}",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1]),
            times.len(),
            measured.first_build
        );
    }
    trash.empty()
}

/// What [`measure_serve`] saw.
pub(crate) struct ServeRun {
    /// The server's first (in-memory) build, as it printed it: `N pages in M ms`.
    pub first_build: String,
    /// One per edit, in order.
    pub edits: Vec<Edit>,
}

/// One edit of a post while `folio serve` runs.
pub(crate) struct Edit {
    /// From the file write to the complete `reload` event.
    pub reload: Duration,
    /// The rebuild time the server printed, if it printed one.
    pub rebuild_ms: Option<f64>,
}

/// Start `folio serve` on `site`, subscribe to its events like a browser, then `runs` times give
/// `post` a new title and time the write → `reload` event; the post is restored afterwards.
pub(crate) fn measure_serve(
    binary: &Path,
    site: &Path,
    post: &Path,
    runs: usize,
) -> Result<ServeRun, String> {
    let original = std::fs::read_to_string(post).map_err(|e| format!("{}: {e}", post.display()))?;
    let mut server = Server::start(binary, site)?;
    let measured = measure_edits(&server, post, runs, &original);
    // Stop first, so that restoring the post does not start one more rebuild.
    server.stop();
    let restored = write(post, &original);
    let edits = measured?;
    restored?;
    Ok(ServeRun {
        first_build: server.first_build.clone(),
        edits,
    })
}

fn measure_edits(
    server: &Server,
    post: &Path,
    runs: usize,
    original: &str,
) -> Result<Vec<Edit>, String> {
    let mut events = Events::connect(&server.address)?;
    let mut edits = Vec::with_capacity(runs);
    for run in 1..=runs {
        let text = retitle(original, &format!("Edited title, run {run}"));
        server.forget_output();
        let started = Instant::now();
        write(post, &text)?;
        events.wait_for_reload(Duration::from_secs(120))?;
        let reload = started.elapsed();
        let rebuild_ms = server.rebuild_ms(Duration::from_secs(10));
        edits.push(Edit { reload, rebuild_ms });
        // Let the watcher settle, so that one edit's events never fall into the next run.
        std::thread::sleep(Duration::from_millis(300));
    }
    Ok(edits)
}

/// The milliseconds of a rebuild line of `folio serve`: `rebuilt in {ms} ms: …`.
pub(crate) fn parse_rebuild_ms(line: &str) -> Option<f64> {
    if line.starts_with("rebuilt in ") {
        ms_after_in(line)
    } else {
        None
    }
}

/// The number in the first ` in {number} ms` of `text`.
pub(crate) fn ms_after_in(text: &str) -> Option<f64> {
    text.match_indices(" in ").find_map(|(at, _)| {
        let mut words = text[at + 4..].split_whitespace();
        let value = words.next()?.parse().ok()?;
        words.next()?.starts_with("ms").then_some(value)
    })
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Copy a site folder, leaving out its build output (`out`).
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let path = entry.path();
        if name == "out" {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(&name))?;
        } else {
            std::fs::copy(&path, to.join(&name)).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// `folio serve SITE --port 0`, stopped by [`Server::stop`] or on drop.
pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
    first_build: String,
    /// The server's stdout, line by line (a thread keeps reading it, so that the server never
    /// blocks on a full pipe).
    lines: Receiver<String>,
}

impl Server {
    pub(crate) fn start(binary: &Path, site: &Path) -> Result<Server, String> {
        Server::start_with_cache(binary, site, None)
    }

    /// [`Server::start`] with its image cache in `cache` (`FOLIO_CACHE_DIR`) when given.
    pub(crate) fn start_with_cache(
        binary: &Path,
        site: &Path,
        cache: Option<&Path>,
    ) -> Result<Server, String> {
        let mut command = Command::new(binary);
        if let Some(cache) = cache {
            command.env("FOLIO_CACHE_DIR", cache);
        }
        let mut child = command
            .args(["serve", "--port", "0"])
            .arg(site)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
            first_build: String::new(),
            lines,
        };
        // The first build of a big site takes a while; the URL is printed once it is done.
        let deadline = Instant::now() + Duration::from_secs(900);
        while server.address.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = server
                .lines
                .recv_timeout(left)
                .map_err(|_| "folio serve stopped or hung before printing its URL")?;
            if let Some(built) = line.strip_prefix("built ") {
                server.first_build = built.to_string();
            }
            if let Some(at) = line.find("http://") {
                server.address = line[at + 7..]
                    .split('/')
                    .next()
                    .unwrap_or_default()
                    .to_string();
            }
        }
        Ok(server)
    }

    /// Drop the output printed so far.
    fn forget_output(&self) {
        while self.lines.try_recv().is_ok() {}
    }

    /// The time of the next rebuild line the server prints, waiting at most `limit`.
    fn rebuild_ms(&self, limit: Duration) -> Option<f64> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(ms) = parse_rebuild_ms(&line) {
                        return Some(ms);
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A subscriber to `/__folio/events`.
struct Events {
    stream: TcpStream,
    buffer: String,
}

impl Events {
    fn connect(address: &str) -> Result<Events, String> {
        let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
        write!(
            stream,
            "GET /__folio/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        let mut events = Events {
            stream,
            buffer: String::new(),
        };
        events.wait_for("event: hello", Duration::from_secs(10))?;
        Ok(events)
    }

    fn wait_for_reload(&mut self, limit: Duration) -> Result<(), String> {
        self.wait_for("event: reload", limit)
    }

    /// Read until a complete event containing `needle`, then forget what was read.
    fn wait_for(&mut self, needle: &str, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        let mut chunk = [0u8; 65536];
        loop {
            if let Some(at) = self.buffer.find(needle) {
                if let Some(end) = self.buffer[at..].find("\n\n") {
                    self.buffer.drain(..at + end + 2);
                    return Ok(());
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!("no {needle:?} within {limit:?}"));
            }
            let _ = self.stream.set_read_timeout(Some(left));
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err("the server closed the event stream".into()),
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_rebuild_time_of_rebuild_lines() {
        let line = "rebuilt in 42 ms: 10,014 pages, 3 rendered, 1 changed";
        assert_eq!(parse_rebuild_ms(line), Some(42.0));
        assert_eq!(
            parse_rebuild_ms("rebuilt in 7.5 ms: stylesheet changed"),
            Some(7.5)
        );
        assert_eq!(parse_rebuild_ms("built 10014 pages in 900 ms"), None);
        assert_eq!(
            parse_rebuild_ms("serving `site` on http://127.0.0.1:1/"),
            None
        );
    }

    #[test]
    fn finds_the_first_time_after_in() {
        assert_eq!(ms_after_in(" 14 pages in 20 ms"), Some(20.0));
        assert_eq!(ms_after_in("copied into `a in b` in 3 ms"), Some(3.0));
        assert_eq!(ms_after_in("in 3 s"), None);
    }
}
