//! Browser-test harness: build a site with the real `folio` binary, serve the output on
//! 127.0.0.1, start chromedriver on a free loopback port and drive headless Chromium (Debian's
//! `chromium` + `chromium-driver`) through fantoccini.
//!
//! Without `/usr/bin/chromium` or `/usr/bin/chromedriver` the tests print a loud SKIPPED line
//! and pass, unless `FOLIO_REQUIRE_BROWSER=1` (set by CI), in which case they fail.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// The static file server, shared with `cargo xtask visual`.
#[path = "../../crates/xtask/src/static_server.rs"]
mod static_server;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Chromium's flags: those of the machine notes (no background networking: the network here is
/// closed) plus a window of the reference's desktop size. A fresh `--user-data-dir` is added.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
];

/// A copy of the shared portfolio fixture (`../shared/fixtures/portfolio`), made once per test
/// run: a build writes its image cache into the site (`.folio/cache`), and `../shared` is not
/// the tests' to write into.
pub fn portfolio() -> PathBuf {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/portfolio");
        let copy =
            std::env::temp_dir().join(format!("folio-browser-portfolio-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&copy);
        for entry in walkdir::WalkDir::new(&original)
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = entry
                .path()
                .strip_prefix(&original)
                .expect("inside the fixture");
            if rel.starts_with(".folio") {
                continue;
            }
            let to = copy.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
        copy
    })
    .clone()
}

/// Every word of the Markdown under `site`'s `content/pages/`, lowercased, once each, with
/// inflections made from them (`-s`, `-ing`, `-ed`, `-ly`, `-ness`, `-ation`): the words a
/// stemmer meets there.
pub fn site_words(site: &Path) -> Vec<String> {
    let mut words = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(site.join("content/pages"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for word in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.len() > 1)
        {
            let word = word.to_lowercase();
            for suffix in ["", "s", "ing", "ed", "ly", "ness", "ation"] {
                words.insert(format!("{word}{suffix}"));
            }
        }
    }
    words.into_iter().collect()
}

/// The bundled example site.
pub fn devrel() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/devrel")
}

/// `true` when the browser is installed. When it is not: a loud SKIPPED line (written to the
/// real stderr, past the test harness's capture) and `false`, or a failure under
/// `FOLIO_REQUIRE_BROWSER=1`.
pub fn browser_available() -> bool {
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        return true;
    }
    if std::env::var("FOLIO_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "FOLIO_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing \
             (apt-get install -y chromium chromium-driver)"
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "\n********************************************************************\n\
         SKIPPED: chromium/chromedriver not found ({CHROMIUM}, {CHROMEDRIVER});\n\
         browser tests did not run. Install: apt-get install -y chromium chromium-driver\n\
         ********************************************************************"
    );
    false
}

/// A built site: the output folder (removed on drop).
pub struct Built {
    _dir: tempfile::TempDir,
    pub out: PathBuf,
}

/// `folio build SITE -o TMP/site` with the real binary; panics if the build fails.
pub fn build(site: &Path) -> Built {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("folio runs");
    assert!(
        output.status.success(),
        "folio build {} failed:\n{}{}",
        site.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Built { _dir: dir, out }
}

/// Serve `root` on 127.0.0.1; the base URL, without a trailing slash.
pub fn serve(root: &Path) -> String {
    static_server::serve(root).expect("static server starts")
}

/// The URL path of every `index.html` under `root` (`/`, `/blog/`, …), sorted.
pub fn page_paths(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("output folder readable")
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &format!("{rel}{name}/"), out);
            } else if name == "index.html" {
                out.push(rel.to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, "/", &mut out);
    out
}

/// A running chromedriver, killed on drop.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_chromedriver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}/"),
    };
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on port {port} within 15 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

/// chromedriver's `POST /session/{id}/se/log {"type": "browser"}`: the browser's console
/// entries since the last call (`[{level, message, source, timestamp}]`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// Run in the page after it loaded: forces lazy images to load and waits for them and the
/// fonts, then reports the navigation status, local requests that failed, local images that did
/// not decode and local images without `width`/`height` attributes.
const PAGE_SCRIPT: &str = r#"
return (async () => {
  const local = (u) => { try { return new URL(u, location.href).origin === location.origin; } catch (e) { return false; } };
  const imgs = [...document.images].filter((i) => { const s = i.currentSrc || i.src; return s && local(s); });
  await Promise.all(imgs.map((i) => {
    if (i.complete) return null;
    i.loading = 'eager';
    return new Promise((done) => {
      i.addEventListener('load', done, { once: true });
      i.addEventListener('error', done, { once: true });
      setTimeout(done, 5000);
    });
  }));
  await document.fonts.ready;
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    status: nav ? nav.responseStatus : null,
    failed: performance.getEntriesByType('resource')
      .filter((e) => local(e.name) && e.responseStatus >= 400)
      .map((e) => `${e.responseStatus} ${e.name}`),
    broken: imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.currentSrc || i.src),
    unsized: imgs.filter((i) => !(i.hasAttribute('width') && i.hasAttribute('height'))).map((i) => i.getAttribute('src')),
  };
})();
"#;

/// What the pages of one site got wrong.
#[derive(Default)]
pub struct Report {
    /// Failed requests, console errors, broken images: always a failure.
    pub errors: Vec<String>,
    /// Local images without `width`/`height`: a failure.
    pub unsized_images: Vec<String>,
    /// Console errors that only say a remote resource did not load: the test machine has no
    /// network (`examples/devrel` links a picsum.photos image on purpose). Printed, not failed.
    pub remote_failures: Vec<String>,
    pub pages: usize,
}

/// Build `site`, serve it, open every page in headless Chromium and check it.
pub fn check_site(site: &Path) -> Report {
    let built = build(site);
    check_output(&built.out)
}

/// Serve the built site `out`, open every page in headless Chromium and check it.
pub fn check_output(out: &Path) -> Report {
    let base = serve(out);
    let pages = page_paths(out);
    assert!(!pages.is_empty(), "no index.html in {}", out.display());
    let driver = start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let report = runtime.block_on(async {
        let client = connect(&driver.url, profile.path()).await;
        let mut report = Report {
            pages: pages.len(),
            ..Report::default()
        };
        let result = check_pages(&client, &base, &pages, &mut report).await;
        // Quit Chromium before chromedriver is killed, whatever happened.
        let _ = client.close().await;
        if let Err(error) = result {
            panic!("WebDriver command failed: {error}");
        }
        report
    });
    drop(driver);
    report
}

pub async fn connect(driver_url: &str, profile: &Path) -> Client {
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        "goog:loggingPrefs": {"browser": "ALL"},
        "timeouts": {"pageLoad": 30000, "script": 20000},
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(driver_url)
        .await
        .unwrap_or_else(|e| panic!("no WebDriver session from chromedriver: {e}"))
}

async fn check_pages(
    client: &Client,
    base: &str,
    pages: &[String],
    report: &mut Report,
) -> Result<(), fantoccini::error::CmdError> {
    for page in pages {
        client.goto(&format!("{base}{page}")).await?;
        let found = client.execute(PAGE_SCRIPT, Vec::new()).await?;
        let list = |key: &str| -> Vec<String> {
            found[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| v.as_str().unwrap_or("?").to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        match found["status"].as_u64() {
            Some(200) => {}
            status => report
                .errors
                .push(format!("{page}: the page itself answered {status:?}")),
        }
        for failed in list("failed") {
            report
                .errors
                .push(format!("{page}: failed local request: {failed}"));
        }
        for broken in list("broken") {
            report
                .errors
                .push(format!("{page}: local image did not load: {broken}"));
        }
        for src in list("unsized") {
            report
                .unsized_images
                .push(format!("{page}: <img src=\"{src}\"> has no width/height"));
        }
        // The log is drained on every call, so these are this page's entries.
        let log = client.issue_cmd(BrowserLog).await?;
        for entry in log.as_array().into_iter().flatten() {
            if entry["level"].as_str() != Some("SEVERE") {
                continue;
            }
            let message = entry["message"].as_str().unwrap_or("?");
            if is_remote_load_failure(message, base) {
                report.remote_failures.push(format!("{page}: {message}"));
            } else {
                report
                    .errors
                    .push(format!("{page}: console error: {message}"));
            }
        }
    }
    Ok(())
}

/// A console entry of the form `URL - Failed to load resource: …` for a URL not on `base`.
fn is_remote_load_failure(message: &str, base: &str) -> bool {
    match message.split_once(" - Failed to load resource: ") {
        Some((url, _)) => {
            !(url.starts_with(&format!("{base}/")) || url == base)
                && (url.starts_with("http://") || url.starts_with("https://"))
        }
        None => false,
    }
}

/// Fail on `report`'s errors and on local images without `width`/`height`.
pub fn assert_clean(site: &str, report: &Report) {
    let mut problems = report.errors.clone();
    problems.extend(report.unsized_images.iter().cloned());
    if !report.remote_failures.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "note ({site}): remote resources did not load (no network here; not a failure):\n  {}",
            report.remote_failures.join("\n  ")
        );
    }
    assert!(
        problems.is_empty(),
        "{site}: {} problem(s) in {} page(s):\n  {}",
        problems.len(),
        report.pages,
        problems.join("\n  ")
    );
}

/// A running `folio serve`, killed on drop.
pub struct DevServer {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `folio serve SITE --port 0` with the real binary, once it prints its URL.
pub fn dev_server(site: &Path) -> DevServer {
    dev_server_with(site, &[])
}

/// [`dev_server`] with more arguments (`--edit`).
pub fn dev_server_with(site: &Path, args: &[&str]) -> DevServer {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["serve", "--port", "0"])
        .args(args)
        .arg(site)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("folio serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let (found, url) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(at) = line.find("http://") {
                let _ = found.send(
                    line[at..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string(),
                );
            }
        }
    });
    let url = url
        .recv_timeout(Duration::from_secs(60))
        .expect("folio serve printed its URL");
    DevServer {
        child,
        base: url.trim_end_matches('/').to_string(),
    }
}
