//! `cargo xtask bench-serve [--runs N] [--posts N]`: how long from saving a file to the browser
//! being told to reload, with the real `folio serve` (release build) as a child process.
//!
//! For `examples/devrel` and for a synthetic site of `examples/devrel` plus N posts in the seed
//! post's shape (default 10,000), it starts the server on a free port, subscribes to
//! `/__folio/events` like a browser, then several times rewrites one post's title and measures
//! the time from the write to the complete `reload` event naming that post. Prints the median,
//! the minimum and the maximum. A benchmark, not a test: figures are printed, never asserted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
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
            ("--runs", Some(n)) => options.runs = n,
            ("--posts", Some(n)) => options.posts = n,
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

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bench(options: &Options) -> Result<(), String> {
    let root = workspace();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("==> cargo build --release --bin folio");
    let built = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "folio"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !built.success() {
        return Err("the release build failed".into());
    }
    let binary = root.join("target/release/folio");
    let work = root.join("target/bench-serve");
    let _ = std::fs::remove_dir_all(&work);
    let devrel = work.join("devrel");
    copy_tree(&root.join("examples/devrel"), &devrel)?;
    let seed = std::fs::read_to_string(root.join("../shared/seed/devrel-speaking-balance.md"))
        .map_err(|e| format!("the seed post: {e}"))?;
    let synthetic = work.join(format!("synthetic-{}", options.posts));
    copy_tree(&root.join("examples/devrel"), &synthetic)?;
    for i in 0..options.posts {
        write(
            &synthetic.join(format!("content/pages/blog/gen/post-{i:05}.md")),
            &seed_post(&seed, i, 0),
        )?;
    }
    let devrel_post = devrel.join("content/pages/blog/docs-are-the-product.md");
    let original = std::fs::read_to_string(&devrel_post).map_err(|e| e.to_string())?;
    let edited = options.posts / 2;
    let cases: Vec<Case> = vec![
        (
            "examples/devrel".into(),
            devrel.clone(),
            devrel_post,
            Box::new(move |run| original.replacen("title: ", &format!("title: Run {run} "), 1)),
        ),
        (
            format!("synthetic, {} posts", options.posts),
            synthetic.clone(),
            synthetic.join(format!("content/pages/blog/gen/post-{edited:05}.md")),
            Box::new(move |run| seed_post(&seed, edited, run)),
        ),
    ];
    for (name, site, post, content) in cases {
        let mut server = Server::start(&binary, &site)?;
        let mut events = Events::connect(&server.address)?;
        let mut times = Vec::new();
        for run in 1..=options.runs {
            let text = content(run);
            let started = Instant::now();
            write(&post, &text)?;
            events.wait_for_reload(Duration::from_secs(60))?;
            times.push(started.elapsed());
            std::thread::sleep(Duration::from_millis(300));
        }
        server.stop();
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{name}: file write → reload event, median {:.1} ms (min {:.1}, max {:.1}, {} runs); first build {}",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1]),
            times.len(),
            server.first_build
        );
    }
    Ok(())
}

/// One site to measure: its name, folder, the post edited and its text for each run.
type Case = (String, PathBuf, PathBuf, Box<dyn Fn(usize) -> String>);

/// The seed post with its own title and date (`run` > 0 marks an edit).
fn seed_post(seed: &str, i: usize, run: usize) -> String {
    let mut out = String::with_capacity(seed.len() + 64);
    for line in seed.lines() {
        if line.starts_with("title: ") {
            out.push_str(&format!("title: Synthetic post {i} (edit {run})"));
        } else if line.starts_with("date: ") {
            out.push_str(&format!(
                "date: '{}-{:02}-{:02}'",
                2000 + i % 24,
                1 + i % 12,
                1 + i % 28
            ));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
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
struct Server {
    child: Child,
    address: String,
    first_build: String,
}

impl Server {
    fn start(binary: &Path, site: &Path) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .args(["serve", "--port", "0"])
            .arg(site)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut first_build = String::new();
        let address = loop {
            let line = lines
                .next()
                .and_then(Result::ok)
                .ok_or("folio serve stopped before printing its URL")?;
            if line.starts_with("built ") {
                first_build = line.trim_start_matches("built ").to_string();
            }
            if let Some(at) = line.find("http://") {
                break line[at + 7..]
                    .split('/')
                    .next()
                    .unwrap_or_default()
                    .to_string();
            }
        };
        // Keep draining stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Server {
            child,
            address,
            first_build,
        })
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
