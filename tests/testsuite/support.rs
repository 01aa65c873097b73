//! Test harness: run the `folio` binary and normalise its output for snapshots.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Path of a fixture site under `tests/testsuite/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testsuite/fixtures")
        .join(name)
}

/// A copy of the shared portfolio fixture (`../shared/fixtures/portfolio`), made once per test
/// run: a build writes its image cache into the site (`.folio/cache`), and `../shared` is not
/// the tests' to write into.
pub fn portfolio() -> PathBuf {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/portfolio");
        let copy =
            std::env::temp_dir().join(format!("folio-testsuite-portfolio-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&copy);
        copy_dir(&original, &copy);
        copy
    })
    .clone()
}

/// The bundled example site.
pub fn devrel() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/devrel")
}

/// Copy a folder recursively (a fixture into a temporary folder that a test may change).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from)
        .expect("list")
        .filter_map(Result::ok)
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Write `text` to `root/rel`, creating its folders (a file of a small site made in a test).
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The result of one run of `folio`.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `folio` with `args`, without colour.
pub fn folio(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("folio runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Run `folio` with `args` like [`folio`], but kill it and fail the test if it has not ended
/// within `seconds` (a hang is the defect under test, and must not hang the suite).
pub fn folio_within(seconds: u64, args: &[&str]) -> Run {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("folio runs");
    // Read both pipes on threads, so that a chatty run cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`folio {}` did not end within {seconds} s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    }
}

/// `folio build SITE -o TARGET`.
pub fn build_into(site: &Path, target: &Path) -> Run {
    let path = |p: &Path| p.to_str().expect("utf-8 path").to_string();
    folio(&["build", &path(site), "-o", &path(target)])
}

/// `folio check SITE` with the timing replaced by `<ms>` so that snapshots are stable.
pub fn check_human(site: &Path) -> Run {
    let mut run = folio(&["check", site.to_str().expect("utf-8 path")]);
    run.stdout = redact_ms(&run.stdout);
    run
}

/// `folio check --format json SITE`, parsed, with `milliseconds` removed.
pub fn check_json(site: &Path) -> (i32, serde_json::Value) {
    let run = folio(&[
        "check",
        "--format",
        "json",
        site.to_str().expect("utf-8 path"),
    ]);
    let mut value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    if let Some(summary) = value.get_mut("summary").and_then(|s| s.as_object_mut()) {
        summary.remove("milliseconds");
    }
    (run.code, value)
}

fn redact_ms(text: &str) -> String {
    text.lines()
        .map(|line| match line.rfind(" in ") {
            Some(at) if line.starts_with("checked ") && line.ends_with(" ms") => {
                format!("{} in <ms>", &line[..at])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `text` without the hashes folio puts in the names of the files it writes
/// (`site.0123456789ab.css` → `site.css`), so that a test names files without knowing hashes.
pub fn untagged(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < bytes.len() {
        let tag = bytes.get(at..at + 14).is_some_and(|t| {
            t[0] == b'.' && t[13] == b'.' && t[1..13].iter().all(u8::is_ascii_hexdigit)
        });
        if tag {
            at += 13;
            continue;
        }
        let c = text[at..].chars().next().expect("char");
        out.push(c);
        at += c.len_utf8();
    }
    out
}

/// The file under `out` whose path, without its hash, is `rel` (`assets/site.css`).
pub fn tagged_path(out: &Path, rel: &str) -> PathBuf {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let dir = out.join(folder);
    let found = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|file| untagged(file) == name);
    dir.join(found.unwrap_or_else(|| panic!("no `{rel}` in {}", out.display())))
}

/// The URL in `text` that is `url` once its hash is taken out (`/images/_v/a-800.jpg`).
pub fn tagged_url(text: &str, url: &str) -> String {
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | ','))
        .find(|token| untagged(token) == url)
        .unwrap_or_else(|| panic!("no `{url}` in {text}"))
        .to_string()
}
