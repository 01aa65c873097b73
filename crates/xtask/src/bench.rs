//! `cargo xtask bench [--sizes 1000,10000,100000] [--runs 3] [--photos DIR] [--against BINARY]
//! [--no-photos]`: what users run, measured side by side in one run.
//!
//! 1. The portfolio fixture (`../shared/fixtures/portfolio`): built once to fill its image cache
//!    (under `target/bench/cache`), then `--runs` times with that cache.
//! 2. The photo site (`bench_photos.rs`: about 50 MB of photos in real-world sizes, or the site
//!    `--photos` names): a cold build, a warm build and a first `folio serve` page per run, with
//!    peak RSS; with `--against`, an older folio binary interleaved on the same runs, and the
//!    ratios.
//! 3. For each size, a synthetic site of N posts in the seed post's shape (`bench_site.rs`,
//!    generated once and reused from `target/bench/site-N`), built cold `--runs` times each way,
//!    interleaved: with folio's defaults (search on), with `--no-search`, and by Hugo on the same
//!    posts when it is installed (`bench_hugo.rs`); then served by `folio serve`, where one post
//!    in the middle gets a new title `--runs` times and the write → `reload` time is recorded.
//!    Each build goes into a fresh folder under `target/bench/out/`; the wall time is measured
//!    around the child process, stage times and peak RSS come from folio's `--timings` report.
//!
//! Prints medians with min and max in plain tables, and the ratios to Hugo. A benchmark, not a
//! test: figures are printed, never asserted.

use crate::bench_hugo::{hugo_build, hugo_site, hugo_version};
use crate::bench_photos::{measure_run, photo_site, PhotoRuns};
use crate::bench_report::{photo_report, portfolio_report, size_report, summary};
use crate::bench_serve::{build_folio, measure_serve, workspace, ServeRun};
use crate::bench_site::{ensure_site, post_path, GeneratedSite};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask bench [--sizes 1000,10000,100000] [--runs 3] \
                     [--photos DIR] [--against BINARY] [--no-photos]";

#[derive(Debug, PartialEq)]
struct Options {
    sizes: Vec<usize>,
    runs: usize,
    /// A real site to measure as the photo site, instead of the generated one.
    photos: Option<PathBuf>,
    /// Another folio binary to measure on the photo site beside this one.
    against: Option<PathBuf>,
    /// Leave the photo site out.
    no_photos: bool,
}

/// Run the benchmark.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("bench: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match bench(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        sizes: vec![1_000, 10_000, 100_000],
        runs: 3,
        photos: None,
        against: None,
        no_photos: false,
    };
    let positive = |s: &str| {
        s.trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|&n: &usize| n > 0)
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--no-photos" {
            options.no_photos = true;
            continue;
        }
        let value = args
            .next()
            .ok_or_else(|| format!("`{arg}` needs a value"))?;
        match arg.as_str() {
            "--sizes" => {
                options.sizes.clear();
                for size in value.split(',') {
                    let size = positive(size).ok_or_else(|| format!("bad size `{size}`"))?;
                    // A size measured twice would build into the same output folders.
                    if !options.sizes.contains(&size) {
                        options.sizes.push(size);
                    }
                }
            }
            "--runs" => options.runs = positive(value).ok_or("`--runs` needs a number above 0")?,
            "--photos" => options.photos = Some(PathBuf::from(value)),
            "--against" => options.against = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(options)
}

/// A folder that trees are moved into, to be deleted once all measurements are over: deleting a
/// big tree slows file creation on ext4 for minutes, which would distort the builds that follow.
pub(crate) struct Trash(pub PathBuf);

impl Trash {
    /// Move `path` (if it exists) into the trash under a name of its own.
    pub(crate) fn move_in(&self, path: &Path) -> Result<(), String> {
        if !path.exists() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.0).map_err(|e| format!("{}: {e}", self.0.display()))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let mut n = 0;
        let mut to = self.0.join(format!("{name}-{n}"));
        while to.exists() {
            n += 1;
            to = self.0.join(format!("{name}-{n}"));
        }
        std::fs::rename(path, &to).map_err(|e| format!("moving {} aside: {e}", path.display()))
    }

    /// Delete everything moved in (including the leftovers of an interrupted run).
    pub(crate) fn empty(&self) -> Result<(), String> {
        match std::fs::remove_dir_all(&self.0) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(format!("{}: {e}", self.0.display()))
            }
            _ => Ok(()),
        }
    }
}

/// Everything measured for one size.
pub(crate) struct SizeResult {
    pub posts: usize,
    pub site: GeneratedSite,
    /// With folio's defaults (search on).
    pub builds: Vec<BuildRun>,
    /// With `--no-search`.
    pub no_search: Vec<BuildRun>,
    /// Hugo's wall ms on the same posts (empty without Hugo).
    pub hugo: Vec<f64>,
    pub serve: ServeRun,
}

/// One cold `folio build`.
pub(crate) struct BuildRun {
    pub wall_ms: f64,
    /// From the `built N pages …` line.
    pub pages: Option<usize>,
    pub timings: Timings,
}

fn bench(options: &Options) -> Result<(), String> {
    let root = workspace();
    let binary = build_folio(&root)?;
    let with_timings = supports_timings(&binary);
    if !with_timings {
        eprintln!("note: this `folio build` has no `--timings` yet: no stage times or peak RSS");
    }
    let trash = Trash(root.join("target/bench/trash"));
    let out = root.join("target/bench/out");
    trash.move_in(&out)?;
    bench_portfolio(&root, &binary, &out, with_timings, options.runs)?;
    if !options.no_photos {
        bench_photos(&root, &binary, &out, &trash, options)?;
    }
    let hugo = hugo_version();
    match &hugo {
        Some(version) => eprintln!("==> Hugo: {version}"),
        None => eprintln!("note: no `hugo` here (apt-get install hugo): not compared"),
    }
    let mut results = Vec::new();
    for &posts in &options.sizes {
        eprintln!("==> site-{posts}: generating (or reusing) {posts} posts");
        let site = ensure_site(&root, posts, &trash)?;
        let hugo_dir = match hugo {
            Some(_) => Some(hugo_site(&root, &site.dir, posts)?),
            None => None,
        };
        let (mut builds, mut no_search, mut hugo_ms) = (Vec::new(), Vec::new(), Vec::new());
        for run in 1..=options.runs {
            let dir = |name: &str| out.join(format!("site-{posts}-{name}-{run}"));
            let build = build_once(
                &binary,
                &site.dir,
                &dir("default"),
                with_timings,
                true,
                None,
            )?;
            let bare = build_once(
                &binary,
                &site.dir,
                &dir("no-search"),
                with_timings,
                false,
                None,
            )?;
            eprint!(
                "    run {run}/{}: default {:.0} ms, --no-search {:.0} ms",
                options.runs, build.wall_ms, bare.wall_ms
            );
            if let Some(hugo_dir) = &hugo_dir {
                let ms = hugo_build(hugo_dir, &dir("hugo"))?;
                eprint!(", Hugo {ms:.0} ms");
                hugo_ms.push(ms);
            }
            eprintln!();
            builds.push(build);
            no_search.push(bare);
        }
        eprintln!("    serve: {} edits", options.runs);
        let post = post_path(&site.dir, posts / 2);
        let serve = measure_serve(&binary, &site.dir, &post, options.runs)?;
        let result = SizeResult {
            posts,
            site,
            builds,
            no_search,
            hugo: hugo_ms,
            serve,
        };
        print!("{}", size_report(&result));
        results.push(result);
    }
    print!("{}", summary(&results));
    trash.empty()
}

/// The portfolio fixture, when `../shared` is beside the workspace.
fn bench_portfolio(
    root: &Path,
    binary: &Path,
    out: &Path,
    with_timings: bool,
    runs: usize,
) -> Result<(), String> {
    let fixture = root.join("../shared/fixtures/portfolio");
    if !fixture.is_dir() {
        eprintln!(
            "note: no {} here: the portfolio is not measured",
            fixture.display()
        );
        return Ok(());
    }
    eprintln!("==> portfolio fixture");
    // Its image cache goes under target/, never into ../shared.
    let cache = root.join("target/bench/cache/portfolio");
    let build = |name: String| {
        let dir = out.join(name);
        build_once(binary, &fixture, &dir, with_timings, true, Some(&cache))
    };
    let first = build("portfolio-first".into())?;
    let builds = (1..=runs)
        .map(|run| build(format!("portfolio-run-{run}")))
        .collect::<Result<Vec<_>, _>>()?;
    print!("{}", portfolio_report(&first, &builds));
    Ok(())
}

/// The photo site, with `--against`'s binary interleaved when given.
fn bench_photos(
    root: &Path,
    binary: &Path,
    out: &Path,
    trash: &Trash,
    options: &Options,
) -> Result<(), String> {
    let site = photo_site(root, options.photos.as_deref(), trash)?;
    eprintln!(
        "==> photo site: {} images, {:.1} MB",
        site.images,
        site.bytes as f64 / 1e6
    );
    let binaries: Vec<&Path> = std::iter::once(binary)
        .chain(options.against.as_deref())
        .collect();
    let mut runs: Vec<PhotoRuns> = binaries.iter().map(|_| PhotoRuns::default()).collect();
    for run in 1..=options.runs {
        for (k, binary) in binaries.iter().enumerate() {
            let scratch = out.join(format!("photos-{k}-run-{run}"));
            measure_run(binary, &site.dir, &scratch, &mut runs[k])?;
        }
    }
    print!("{}", photo_report(&site, &binaries, &runs));
    Ok(())
}

/// Whether `folio build` knows `--timings` (it did not before its stage timer landed).
fn supports_timings(binary: &Path) -> bool {
    Command::new(binary)
        .args(["build", "--help"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("--timings"))
}

pub(crate) fn build_once(
    binary: &Path,
    site: &Path,
    out: &Path,
    timings: bool,
    search: bool,
    image_cache: Option<&Path>,
) -> Result<BuildRun, String> {
    if out.exists() {
        return Err(format!(
            "`{}` exists: a cold build needs a new folder",
            out.display()
        ));
    }
    let mut command = Command::new(binary);
    command.arg("build");
    if timings {
        command.arg("--timings");
    }
    if !search {
        command.arg("--no-search");
    }
    if let Some(cache) = image_cache {
        command.env("FOLIO_CACHE_DIR", cache);
    }
    command
        .arg(site)
        .arg("-o")
        .arg(out)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    if !output.status.success() {
        return Err(format!(
            "`folio build {}` failed ({}):\n{}",
            site.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(BuildRun {
        wall_ms,
        pages: parse_pages(&stdout),
        timings: parse_timings(&stdout),
    })
}

/// The page count of folio's `built N pages …` line.
fn parse_pages(stdout: &str) -> Option<usize> {
    stdout.lines().find_map(|line| {
        let count = line.strip_prefix("built ")?.split_whitespace().next()?;
        count.replace(',', "").parse().ok()
    })
}

/// Stage times and peak memory from `folio build --timings`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Timings {
    /// Stage names and milliseconds, in the order printed.
    pub stages: Vec<(String, f64)>,
    pub peak_rss_mb: Option<f64>,
}

/// Read the indented `name value unit` lines under a `timings` line, leniently: the stage names
/// are whatever folio prints, units may be `ms`, `s` or `µs` (times), `KB`, `MB` or `GB`
/// (memory, the peak RSS being the line whose name contains `RSS`), anything else is skipped.
fn parse_timings(stdout: &str) -> Timings {
    let mut timings = Timings::default();
    let mut inside = false;
    for line in stdout.lines() {
        if !line.starts_with([' ', '\t']) {
            inside = line.trim().eq_ignore_ascii_case("timings");
            continue;
        }
        let Some((name, value, unit)) = inside.then(|| parse_measure(line)).flatten() else {
            continue;
        };
        let ms = match unit {
            "ms" => Some(value),
            "s" => Some(value * 1000.0),
            "µs" | "us" => Some(value / 1000.0),
            _ => None,
        };
        let mb = match unit {
            "KB" | "kB" | "KiB" => Some(value / 1024.0),
            "MB" | "MiB" => Some(value),
            "GB" | "GiB" => Some(value * 1024.0),
            _ => None,
        };
        if let Some(ms) = ms {
            timings.stages.push((name, ms));
        } else if let Some(mb) = mb.filter(|_| name.contains("RSS")) {
            timings.peak_rss_mb = Some(mb);
        }
    }
    timings
}

/// `  peak RSS     250.1 MB` → (`peak RSS`, 250.1, `MB`); the unit may be glued to the number.
fn parse_measure(line: &str) -> Option<(String, f64, &str)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (at, value, glued) = words.iter().enumerate().skip(1).find_map(|(at, word)| {
        let digits = word
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(word.len());
        let value = word[..digits].replace(',', "").parse().ok()?;
        Some((at, value, &word[digits..]))
    })?;
    let unit = if glued.is_empty() {
        words.get(at + 1).copied()?
    } else {
        glued
    };
    Some((words[..at].join(" "), value, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The format the lead specified for `folio build --timings`.
    const SAMPLE: &str =
        "built 10014 pages and copied 31 static files into `out` in 812 ms (0 warnings)
timings
  read          12.3 ms
  parse         45.6 ms
  validate      30.1 ms
  resolve        5.2 ms
  render       400.0 ms
  stylesheet    10.0 ms
  write        300.0 ms
  total        800.0 ms
  peak RSS     250.1 MB
slowest templates (self time, summed over threads)
  PostLayout.html        10014 calls    300.1 ms
  RecentPostsSection.html  10014 calls    120.5 ms
";

    #[test]
    fn reads_the_stages_in_order_and_the_peak_rss() {
        let timings = parse_timings(SAMPLE);
        let names: Vec<&str> = timings.stages.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "read",
                "parse",
                "validate",
                "resolve",
                "render",
                "stylesheet",
                "write",
                "total"
            ]
        );
        assert_eq!(timings.stages[0].1, 12.3);
        assert_eq!(timings.stages[7].1, 800.0);
        assert_eq!(timings.peak_rss_mb, Some(250.1));
        assert_eq!(parse_pages(SAMPLE), Some(10014));
    }

    #[test]
    fn reads_other_stage_names_and_units_leniently() {
        let text = "timings\n  load+parse  1.5 s\n  highlight\t250µs\n  odd line\n  \
                    peak RSS  1.5 GB\n  total 1,234.5 ms\nafter\n  late 9 ms\n";
        let timings = parse_timings(text);
        assert_eq!(
            timings.stages,
            [
                ("load+parse".to_string(), 1500.0),
                ("highlight".to_string(), 0.25),
                ("total".to_string(), 1234.5)
            ]
        );
        assert_eq!(timings.peak_rss_mb, Some(1536.0));
    }

    #[test]
    fn output_without_timings_has_no_stages() {
        let text = "built 14 pages and copied 31 static files into `out` in 20 ms (0 warnings)\n";
        assert_eq!(parse_timings(text), Timings::default());
        assert_eq!(parse_pages(text), Some(14));
        assert_eq!(parse_pages("build failed"), None);
    }

    #[test]
    fn parses_sizes_and_runs() {
        let args = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let options = parse_args(&args("--sizes 1_000,10000,1000 --runs 2"));
        assert_eq!(
            options,
            Ok(Options {
                sizes: vec![1000, 10_000],
                runs: 2,
                photos: None,
                against: None,
                no_photos: false,
            })
        );
        let photos = parse_args(&args("--no-photos --runs 1 --against /tmp/folio-old"));
        assert_eq!(
            photos.map(|o| (o.no_photos, o.runs, o.against)),
            Ok((true, 1, Some(PathBuf::from("/tmp/folio-old"))))
        );
        assert!(parse_args(&args("--runs 0")).is_err());
        assert!(parse_args(&args("--sizes 10,x")).is_err());
        assert!(parse_args(&args("--posts 3")).is_err());
        assert!(parse_args(&args("--runs")).is_err());
    }
}
