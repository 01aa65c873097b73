//! `cargo xtask visual [--release]`: how close folio's rendering of the shared portfolio fixture
//! looks to the original Next.js site.
//!
//! 1. `cargo build --bin folio` (debug, or release with `--release`) and
//!    `folio build ../shared/fixtures/portfolio -o target/visual/site`;
//! 2. serve `target/visual/site` on 127.0.0.1 (`static_server`);
//! 3. `node ../shared/reference/shoot.js target/visual/screens` with `BASE`, `PAGES_DIR` and
//!    `BLOCK_FONTS=1`: every page full-length at 1280x800 and 390x844 in Debian's chromium
//!    (playwright-core, installed on first use into `$TMPDIR/folio-visual`, outside the
//!    repository; `FOLIO_VISUAL_NODE_PREFIX` picks another folder), plus `target/visual/shots.json`;
//! 4. `python3 ../shared/reference/visual_score.py ../shared/reference/screens target/visual/screens`:
//!    the per-page SSIM and height ratio, and the mean (also saved to `target/visual/score.txt`).
//!
//! A developer tool, never used at build or run time and not run by CI: it fails with a clear
//! message when node, python3 (with Pillow and NumPy) or `/usr/bin/chromium` is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::static_server;

/// `shoot.js` launches this binary (its `executablePath`).
const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run(args: &[String]) -> ExitCode {
    let release = match args {
        [] => false,
        [flag] if flag == "--release" => true,
        _ => {
            eprintln!("usage: cargo xtask visual [--release]");
            return ExitCode::from(2);
        }
    };
    match visual(release) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask visual: {message}");
            ExitCode::FAILURE
        }
    }
}

fn visual(release: bool) -> Result<(), String> {
    let root = workspace_root();
    let shared = root.join("../shared");
    let fixture = shared.join("fixtures/portfolio");
    let reference = shared.join("reference");
    for needed in [
        &fixture,
        &reference.join("screens"),
        &reference.join("shoot.js"),
    ] {
        if !needed.exists() {
            return Err(format!(
                "{} is missing (the shared folder must sit beside this repository)",
                needed.display()
            ));
        }
    }

    // Tools first, so that a missing one fails before anything is built.
    let node = require_tool(
        "node",
        "install Node.js (Debian: apt-get install -y nodejs npm)",
    )?;
    let python = require_tool("python3", "install Python 3")?;
    if !Path::new(CHROMIUM).is_file() {
        return Err(format!(
            "{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)"
        ));
    }
    let python_ok = Command::new(&python)
        .args(["-c", "import PIL, numpy"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !python_ok {
        return Err(format!(
            "python3 lacks Pillow or NumPy: run `{python} -m pip install pillow numpy`"
        ));
    }
    let node_path = playwright_core(&node)?;

    // Build folio, then the site.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let profile = if release { "release" } else { "debug" };
    let mut build = vec!["build", "--quiet", "--bin", "folio"];
    if release {
        build.push("--release");
    }
    if !crate::cargo(&build) {
        return Err("`cargo build --bin folio` failed".into());
    }
    let folio = target.join(profile).join("folio");
    let out = target.join("visual");
    let site = out.join("site");
    let screens = out.join("screens");
    for old in [&site, &screens] {
        if old.exists() {
            std::fs::remove_dir_all(old)
                .map_err(|e| format!("cannot clear {}: {e}", old.display()))?;
        }
    }
    std::fs::create_dir_all(&screens)
        .map_err(|e| format!("cannot create {}: {e}", screens.display()))?;
    eprintln!(
        "==> folio build {} -o {}",
        fixture.display(),
        site.display()
    );
    // The image cache goes under target/, not into the shared fixture.
    let built = Command::new(&folio)
        .arg("build")
        .arg(&fixture)
        .arg("-o")
        .arg(&site)
        .env("FOLIO_CACHE_DIR", root.join("target/visual/cache"))
        .status()
        .map_err(|e| format!("cannot run {}: {e}", folio.display()))?;
    if !built.success() {
        return Err("folio build of the portfolio fixture failed".into());
    }

    // Serve and shoot.
    let base = static_server::serve(&site).map_err(|e| format!("cannot serve the site: {e}"))?;
    eprintln!("==> serving {} on {base}", site.display());
    eprintln!("==> node shoot.js (desktop 1280x800, mobile 390x844; fonts blocked)");
    let shot = Command::new(&node)
        .arg(reference.join("shoot.js"))
        .arg(&screens)
        .env("BASE", &base)
        .env("PAGES_DIR", fixture.join("content/pages"))
        .env("BLOCK_FONTS", "1")
        .env("NODE_PATH", &node_path)
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !shot.success() {
        return Err("shoot.js failed (see its output above)".into());
    }

    // Score.
    eprintln!(
        "==> visual_score.py (reference: {})",
        reference.join("screens").display()
    );
    let score = Command::new(&python)
        .arg(reference.join("visual_score.py"))
        .arg(reference.join("screens"))
        .arg(&screens)
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let table = String::from_utf8_lossy(&score.stdout);
    print!("{table}");
    if !score.status.success() {
        return Err(format!(
            "visual_score.py failed:\n{}",
            String::from_utf8_lossy(&score.stderr)
        ));
    }
    let saved = out.join("score.txt");
    std::fs::write(&saved, table.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", saved.display()))?;
    eprintln!(
        "xtask visual: screenshots in {}, table in {}",
        screens.display(),
        saved.display()
    );
    Ok(())
}

/// The workspace root (this crate is `crates/xtask`).
fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// `name` if `name --version` runs, else an error saying how to get it.
fn require_tool(name: &str, how: &str) -> Result<String, String> {
    let runs = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if runs {
        Ok(name.to_string())
    } else {
        Err(format!("`{name}` not found: {how}"))
    }
}

/// The `NODE_PATH` under which `require('playwright-core')` resolves, installing it with npm into
/// a folder outside the repository on first use.
fn playwright_core(node: &str) -> Result<PathBuf, String> {
    let prefix = std::env::var_os("FOLIO_VISUAL_NODE_PREFIX")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("folio-visual"));
    let node_path = prefix.join("node_modules");
    let resolves = |path: &Path| {
        Command::new(node)
            .args(["-e", "require.resolve('playwright-core')"])
            .env("NODE_PATH", path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if resolves(&node_path) {
        return Ok(node_path);
    }
    require_tool("npm", "install npm (Debian: apt-get install -y npm)")?;
    eprintln!(
        "==> npm install --prefix {} playwright-core",
        prefix.display()
    );
    let installed = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(&prefix)
        .args(["--no-audit", "--no-fund", "--no-save", "playwright-core"])
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !installed.success() || !resolves(&node_path) {
        return Err(format!(
            "could not install playwright-core into {}",
            prefix.display()
        ));
    }
    Ok(node_path)
}
