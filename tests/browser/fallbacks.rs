//! The field-absence suite: each optional field of the portfolio fixture removed in turn, and
//! folio's page for that content compared with the original's page for the same content.
//!
//! `tests/fallbacks/variants.json` lists 189 removals (one per model and field of the demo
//! content, the first place each occurs), each with the page it shows on. The original's
//! screenshots of every variant (the original `auto-annotated-portfolio`, built with its own
//! `next build`, captured as `../shared/reference/shoot.js` does, with web fonts blocked) are
//! in `tests/fallbacks/original/`, reduced to the 96×384 greyscale grid that
//! `../shared/reference/visual_score.py` scores on (its first step; the score is the same).
//! Their provenance and licence are in `tests/fallbacks/NOTICE.md`.
//!
//! For each variant, the field is removed from a copy of the fixture with the editor's writer
//! (only its lines change), the site is built with the real binary, and the page is captured
//! full-length at 1280 and 390 px in Chromium with web fonts blocked. A fallback that differs
//! from the original's shows as a score below the score of the same page without the
//! removal: every variant must stay within [`TOLERANCE`] of it.

use crate::support;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// How far below the page's own score (without the removal) a variant may score.
const TOLERANCE: f64 = 0.02;

/// Removals where folio deliberately does not do what the original does, and why. Each must
/// still differ (a difference that disappears is removed from the list).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "PostLayout.date",
        "the original prints the day of the build (dayjs(undefined)); folio prints no date, so \
         that a page does not change from one day to the next, and warns that the date is missing",
    ),
    ("ProjectLayout.date", "as PostLayout.date"),
];

/// The viewports of the reference capture: name, width, height.
const VIEWPORTS: [(&str, u32, u32); 2] = [("desktop", 1280, 800), ("mobile", 390, 844)];

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fallbacks")
}

fn scorer() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/visual_score.py")
}

/// Whether `python3` with Pillow and NumPy (what the scorer needs) is there; like the browser,
/// required under `FOLIO_REQUIRE_BROWSER=1`.
fn scorer_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import PIL, numpy"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("FOLIO_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "python3 with Pillow and NumPy is required for the field-absence suite"
        );
        eprintln!("SKIPPED: the field-absence suite needs python3 with Pillow and NumPy");
    }
    ok
}

/// chromedriver's `POST /session/{id}/goog/cdp/execute`: one DevTools command.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.0, "params": self.1});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// After loading: every image made eager and synchronously decoded, loaded and decoded
/// (`decode()`), then a scroll through the page (as `shoot.js` does), the same wait again (a
/// scroll or a layout can choose another `srcset` candidate), then the fonts.
///
/// `decoding = 'sync'` matters: a capture beyond the viewport re-rasterises the whole page, and
/// Chromium may paint a `decoding="async"` image only in a later frame; the project cards
/// (loaded, decoded, `complete`) came out as nothing in some runs until their decoding was sync.
const SETTLE_SCRIPT: &str = r#"
return (async () => {
  const decoded = () => Promise.all([...document.images].map((i) => {
    i.loading = 'eager';
    i.decoding = 'sync';
    return Promise.race([
      i.decode().catch(() => null),
      new Promise((done) => setTimeout(done, 5000)),
    ]);
  }));
  await decoded();
  const step = window.innerHeight;
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise((r) => setTimeout(r, 20));
  }
  window.scrollTo(0, 0);
  await decoded();
  await document.fonts.ready;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await new Promise((r) => setTimeout(r, 100));
  return true;
})();
"#;

/// Capture `url` full-length at `width` × `height` (web fonts blocked) into `png`.
async fn shoot(
    client: &Client,
    url: &str,
    (width, height): (u32, u32),
    png: &Path,
) -> Result<(), fantoccini::error::CmdError> {
    let metrics =
        json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false});
    client
        .issue_cmd(Cdp("Emulation.setDeviceMetricsOverride", metrics))
        .await?;
    client.goto(url).await?;
    client.execute(SETTLE_SCRIPT, Vec::new()).await?;
    // The content's size as DevTools lays it out (what a full-page capture in Playwright
    // takes), not `scrollHeight`, which counts the emulated viewport's own height.
    let metrics = client
        .issue_cmd(Cdp("Page.getLayoutMetrics", json!({})))
        .await?;
    let full = metrics["cssContentSize"]["height"]
        .as_f64()
        .unwrap_or(f64::from(height))
        .ceil();
    let shot = client
        .issue_cmd(Cdp(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {"x": 0, "y": 0, "width": width, "height": full, "scale": 1},
            }),
        ))
        .await?;
    let data = shot["data"].as_str().unwrap_or_default();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("DevTools sends base64");
    std::fs::write(png, bytes).expect("write the screenshot");
    Ok(())
}

/// `visual_score.py` of the references named in `pairs` against the captures beside them:
/// score by capture name.
fn score(pairs: &[(String, String)], captures: &Path) -> std::collections::HashMap<String, f64> {
    let refs = tempfile::tempdir().expect("temporary folder");
    for (reference, name) in pairs {
        std::fs::copy(
            suite_dir().join("original").join(reference),
            refs.path().join(name),
        )
        .expect("copy a reference");
    }
    let output = Command::new("python3")
        .arg(scorer())
        .arg(refs.path())
        .arg(captures)
        .arg("--json")
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("the scorer's JSON");
    report["pages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let name = p["page"].as_str().unwrap_or_default().to_string();
            (name, p["ssim"].as_f64().unwrap_or(0.0))
        })
        .collect()
}

/// Build `site` into `out` (replacing it) with the real binary.
fn build(site: &Path, out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--no-search"])
        .arg(site)
        .arg("-o")
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("folio runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn each_absent_field_renders_as_the_original_renders_it() {
    if !support::browser_available() || !scorer_available() {
        return;
    }
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(suite_dir().join("variants.json")).expect("the manifest"),
    )
    .expect("JSON");
    // `FOLIO_FALLBACKS_ONLY=PostLayout` runs the variants whose id starts so (while working on
    // one component).
    let only = std::env::var("FOLIO_FALLBACKS_ONLY").unwrap_or_default();
    let variants: Vec<&Value> = manifest["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .filter(|v| v["id"].as_str().is_some_and(|id| id.starts_with(&only)))
        .collect();
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    let out = dir.path().join("out");
    // `FOLIO_FALLBACKS_KEEP=DIR` keeps the captures there, to look at.
    let captures = std::env::var_os("FOLIO_FALLBACKS_KEEP")
        .map_or_else(|| dir.path().join("captures"), PathBuf::from);
    std::fs::create_dir_all(&captures).expect("mkdir");
    crate::copy_tree(&support::portfolio(), &site);
    build(&site, &out);
    let base = support::serve(&out);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    // (reference, capture name) of every capture, and each variant's page capture name.
    let mut pairs: Vec<(String, String)> = Vec::new();
    runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let fonts = json!({"urls": ["*.woff2", "*.woff", "*.ttf", "*.otf"]});
        let result = async {
            client.issue_cmd(Cdp("Network.enable", json!({}))).await?;
            client
                .issue_cmd(Cdp("Network.setBlockedURLs", fonts))
                .await?;
            // As `shoot.js` (`--hide-scrollbars`): a scrollbar would narrow the page at 390 px,
            // and the capture measures its height at that width.
            let hidden = json!({"hidden": true});
            client
                .issue_cmd(Cdp("Emulation.setScrollbarsHidden", hidden))
                .await?;
            // The pages without any removal.
            let pages = manifest["bases"].as_object().expect("bases");
            for (page, widths) in pages {
                let url = if page == "index" {
                    "/".to_string()
                } else {
                    format!("/{}/", page.replace("--", "/"))
                };
                for (name, w, h) in VIEWPORTS {
                    let capture = format!("base--{page}--{name}.png");
                    shoot(
                        &client,
                        &format!("{base}{url}"),
                        (w, h),
                        &captures.join(&capture),
                    )
                    .await?;
                    let reference = widths[name]["png"].as_str().expect("png").to_string();
                    pairs.push((reference, capture));
                }
            }
            for variant in &variants {
                let file = variant["file"].as_str().expect("file");
                let path = variant["path"].as_str().expect("path");
                let pristine = std::fs::read_to_string(support::portfolio().join(file))
                    .expect("the fixture's file");
                let edit = folio_edit::Edit::Unset {
                    path: path.parse().expect("a field path"),
                };
                let changed = folio_edit::apply_edit(file, &pristine, &edit)
                    .unwrap_or_else(|e| panic!("removing `{path}` from {file}: {e}"));
                std::fs::write(site.join(file), changed).expect("write the variant");
                build(&site, &out);
                std::fs::write(site.join(file), &pristine).expect("restore");
                let id = variant["id"].as_str().expect("id");
                let url = variant["url"].as_str().expect("url");
                for (name, w, h) in VIEWPORTS {
                    let capture = format!("{id}--{name}.png");
                    shoot(
                        &client,
                        &format!("{base}{url}"),
                        (w, h),
                        &captures.join(&capture),
                    )
                    .await?;
                    let reference = variant[name]["png"].as_str().expect("png").to_string();
                    pairs.push((reference, capture));
                }
            }
            Ok::<(), fantoccini::error::CmdError>(())
        }
        .await;
        let _ = client.close().await;
        if let Err(error) = result {
            panic!("WebDriver command failed: {error}");
        }
    });
    drop(driver);
    let scores = score(&pairs, &captures);
    let mut failures = Vec::new();
    let mut known = Vec::new();
    let mut table = String::from("variant\twidth\tpage score\tvariant score\n");
    for variant in &variants {
        let (id, page) = (variant["id"].as_str(), variant["page"].as_str());
        let why = KNOWN_DIFFERENCES
            .iter()
            .find(|(known, _)| Some(*known) == id)
            .map(|(_, why)| *why);
        let mut differs = false;
        for (name, _, _) in VIEWPORTS {
            let own = scores[&format!("base--{}--{name}.png", page.unwrap_or_default())];
            let got = scores[&format!("{}--{name}.png", id.unwrap_or_default())];
            table.push_str(&format!(
                "{}\t{name}\t{own:.4}\t{got:.4}\n",
                id.unwrap_or_default()
            ));
            if got < own - TOLERANCE {
                differs = true;
                let line = format!(
                    "{} at {name}: {got:.4}, the page scores {own:.4}",
                    id.unwrap_or_default()
                );
                match why {
                    Some(why) => known.push(format!("{line} (known: {why})")),
                    None => failures.push(line),
                }
            }
        }
        if why.is_some() && !differs {
            failures.push(format!(
                "{} now renders as the original: remove it from KNOWN_DIFFERENCES",
                id.unwrap_or_default()
            ));
        }
    }
    eprintln!("known differences:\n{}", known.join("\n"));
    let summary = std::env::temp_dir().join("folio-fallbacks.tsv");
    std::fs::write(&summary, &table).expect("write the table");
    eprintln!("field-absence scores: {}", summary.display());
    assert!(
        failures.is_empty(),
        "{} of {} captures fall more than {TOLERANCE} below their page:\n{}",
        failures.len(),
        variants.len() * 2,
        failures.join("\n")
    );
}
