//! `cargo xtask bench [--sizes 1000,10000,100000] [--runs 3] [--search]`: how fast folio builds
//! and rebuilds synthetic sites of N posts in the seed post's shape (see `bench_site.rs`).
//!
//! The builds are `--no-search` unless `--search` is given: the site itself, the work Hugo and
//! Zola do. Pagefind's index is a stage of its own that costs more than the rest of the build
//! together (about 25 s and 2.5 GB at 10,000 posts, more than this machine has at 100,000);
//! `--search` measures it (`search ms`).
//!
//! First the portfolio fixture (`../shared/fixtures/portfolio`) is built once to fill its image
//! cache (under `target/bench/cache`), then `--runs` times cold with that cache.
//!
//! For each size the site is generated once (and reused from `target/bench/site-N` later), then:
//! - built cold `--runs` times by `target/release/folio build --timings SITE -o OUT`, each time
//!   into a fresh folder under `target/bench/out/`; the wall time is measured around the child
//!   process, the stage times and the peak RSS come from folio's own `--timings` report;
//! - served by `folio serve`: one post in the middle gets a new title `--runs` times, and the time
//!   from the write to the `reload` event and the rebuild time the server prints are recorded.
//!
//! Prints medians with min and max in plain tables. A benchmark, not a test: figures are printed,
//! never asserted.

use crate::bench_serve::{build_folio, measure_serve, ms_after_in, workspace, ServeRun};
use crate::bench_site::{ensure_site, post_path, GeneratedSite};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask bench [--sizes 1000,10000,100000] [--runs 3] [--search]";

#[derive(Debug, PartialEq)]
struct Options {
    sizes: Vec<usize>,
    runs: usize,
    /// Build the search index too.
    search: bool,
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
        search: false,
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
        if arg == "--search" {
            options.search = true;
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
struct SizeResult {
    posts: usize,
    site: GeneratedSite,
    builds: Vec<BuildRun>,
    serve: ServeRun,
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
    let mut results = Vec::new();
    let mode = if options.search {
        "with the search index"
    } else {
        "--no-search"
    };
    eprintln!("==> builds: {mode}");
    let fixture = root.join("../shared/fixtures/portfolio");
    if fixture.is_dir() {
        eprintln!("==> portfolio fixture");
        // Its image cache goes under target/, never into ../shared.
        let cache = root.join("target/bench/cache/portfolio");
        let build = |name: String| {
            let dir = out.join(name);
            build_once(
                &binary,
                &fixture,
                &dir,
                with_timings,
                options.search,
                Some(&cache),
            )
        };
        let first = build("portfolio-first".into())?;
        let builds = (1..=options.runs)
            .map(|run| build(format!("portfolio-run-{run}")))
            .collect::<Result<Vec<_>, _>>()?;
        print!("{}", portfolio_report(&first, &builds));
    } else {
        eprintln!(
            "note: no {} here: the portfolio is not measured",
            fixture.display()
        );
    }
    for &posts in &options.sizes {
        eprintln!("==> site-{posts}: generating (or reusing) {posts} posts");
        let site = ensure_site(&root, posts, &trash)?;
        let mut builds = Vec::new();
        for run in 1..=options.runs {
            let dir = out.join(format!("site-{posts}-run-{run}"));
            let build = build_once(&binary, &site.dir, &dir, with_timings, options.search, None)?;
            eprintln!("    build {run}/{}: {:.0} ms", options.runs, build.wall_ms);
            builds.push(build);
        }
        eprintln!("    serve: {} edits", options.runs);
        let post = post_path(&site.dir, posts / 2);
        let serve = measure_serve(&binary, &site.dir, &post, options.runs)?;
        let result = SizeResult {
            posts,
            site,
            builds,
            serve,
        };
        print!("{}", size_report(&result));
        results.push(result);
    }
    print!("{}", summary(&results));
    trash.empty()
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

/// Median (the mean of the middle two for an even count), minimum and maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

fn spread(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
    let mut values: Vec<f64> = values.into_iter().collect();
    values.sort_by(f64::total_cmp);
    let (&min, &max) = (values.first()?, values.last()?);
    // The two middle values are one and the same for an odd count.
    let n = values.len();
    let median = (values[(n - 1) / 2] + values[n / 2]) / 2.0;
    Some(Spread { median, min, max })
}

/// One size's table: a row per figure, with its median, min and max.
fn size_report(result: &SizeResult) -> String {
    let SizeResult {
        posts,
        site,
        builds,
        serve,
    } = result;
    let mut rows = build_rows(builds);
    let mut row = |label: String, values: Vec<f64>, decimals: usize| {
        rows.push(spread_row(label, values, decimals));
    };
    let first = ms_after_in(&format!(" {}", serve.first_build));
    row(
        "serve: first build ms".into(),
        first.into_iter().collect(),
        1,
    );
    let rebuilds = serve.edits.iter().filter_map(|e| e.rebuild_ms);
    row("serve: rebuild ms".into(), rebuilds.collect(), 1);
    let reloads = serve.edits.iter().map(|e| e.reload.as_secs_f64() * 1000.0);
    row("serve: write → reload ms".into(), reloads.collect(), 1);
    let pages = builds.iter().find_map(|b| b.pages);
    format!(
        "\n{posts} posts: {} files, {:.1} MB ({}); {} pages; {}, {}\n{}",
        site.files,
        site.bytes as f64 / 1e6,
        if site.reused { "reused" } else { "generated" },
        pages.map_or("?".into(), |p| p.to_string()),
        plural(builds.len(), "cold build"),
        plural(serve.edits.len(), "edit"),
        table(&["", "median", "min", "max"], &rows)
    )
}

/// The portfolio fixture's builds: the first (which fills the image cache) apart.
fn portfolio_report(first: &BuildRun, builds: &[BuildRun]) -> String {
    format!(
        "\nportfolio fixture: {} pages; first build {:.1} ms (it fills the image cache when that \
         is empty); then {} with the cache\n{}",
        first.pages.map_or("?".into(), |p| p.to_string()),
        first.wall_ms,
        plural(builds.len(), "cold build"),
        table(&["", "median", "min", "max"], &build_rows(builds))
    )
}

/// A row of a label and the median, min and max of `values`.
fn spread_row(label: String, values: Vec<f64>, decimals: usize) -> Vec<String> {
    let cells = match spread(values) {
        Some(s) => [s.median, s.min, s.max].map(|v| format!("{v:.decimals$}")),
        None => ["-", "-", "-"].map(String::from),
    };
    [vec![label], cells.to_vec()].concat()
}

/// Wall time, pages per second, peak RSS and every stage of some builds.
fn build_rows(builds: &[BuildRun]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = |label: String, values: Vec<f64>, decimals: usize| {
        rows.push(spread_row(label, values, decimals));
    };
    row(
        "wall ms".into(),
        builds.iter().map(|b| b.wall_ms).collect(),
        1,
    );
    row(
        "pages/s".into(),
        builds.iter().filter_map(pages_per_s).collect(),
        0,
    );
    let rss = builds.iter().filter_map(|b| b.timings.peak_rss_mb);
    row("peak RSS MB".into(), rss.collect(), 1);
    for name in stage_names(builds) {
        let times = builds.iter().filter_map(|b| {
            let stages = &b.timings.stages;
            stages.iter().find(|(n, _)| *n == name).map(|s| s.1)
        });
        row(format!("{name} ms"), times.collect(), 1);
    }
    rows
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn pages_per_s(build: &BuildRun) -> Option<f64> {
    Some(build.pages? as f64 / (build.wall_ms / 1000.0))
}

/// Every stage name of the runs, in the order first seen.
fn stage_names(builds: &[BuildRun]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (name, _) in builds.iter().flat_map(|b| &b.timings.stages) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// The medians of every size side by side.
fn summary(results: &[SizeResult]) -> String {
    let median = |values: Vec<f64>, decimals: usize| {
        spread(values).map_or("-".into(), |s| format!("{:.decimals$}", s.median))
    };
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.posts.to_string(),
                r.site.files.to_string(),
                median(r.builds.iter().map(|b| b.wall_ms).collect(), 0),
                median(r.builds.iter().filter_map(pages_per_s).collect(), 0),
                median(
                    r.builds
                        .iter()
                        .filter_map(|b| b.timings.peak_rss_mb)
                        .collect(),
                    0,
                ),
                median(
                    r.serve.edits.iter().filter_map(|e| e.rebuild_ms).collect(),
                    0,
                ),
                median(
                    (r.serve.edits.iter())
                        .map(|e| e.reload.as_secs_f64() * 1000.0)
                        .collect(),
                    0,
                ),
            ]
        })
        .collect();
    let header = [
        "posts",
        "files",
        "wall ms",
        "pages/s",
        "peak RSS MB",
        "rebuild ms",
        "write → reload ms",
    ];
    format!("\nsummary (medians)\n{}", table(&header, &rows))
}

/// Plain aligned text: the first column left-aligned, the others right-aligned.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::from("  ");
        for (k, (cell, &width)) in row.iter().zip(&widths).enumerate() {
            if k == 0 {
                line.push_str(&format!("{cell:<width$}"));
            } else {
                line.push_str(&format!("  {cell:>width$}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
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
    fn spreads_have_a_median_a_min_and_a_max() {
        let odd = spread([3.0, 1.0, 2.0]);
        assert_eq!(odd.map(|s| (s.median, s.min, s.max)), Some((2.0, 1.0, 3.0)));
        let even = spread([4.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            even.map(|s| (s.median, s.min, s.max)),
            Some((2.5, 1.0, 4.0))
        );
        assert_eq!(spread([]), None);
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
                search: false,
            })
        );
        let with_search = parse_args(&args("--search --runs 1"));
        assert_eq!(with_search.map(|o| (o.search, o.runs)), Ok((true, 1)));
        assert!(parse_args(&args("--runs 0")).is_err());
        assert!(parse_args(&args("--sizes 10,x")).is_err());
        assert!(parse_args(&args("--posts 3")).is_err());
        assert!(parse_args(&args("--runs")).is_err());
    }

    #[test]
    fn tables_are_aligned() {
        let rows = vec![
            vec!["wall ms".to_string(), "812.3".to_string()],
            vec!["pages/s".to_string(), "12345".to_string()],
        ];
        assert_eq!(
            table(&["", "median"], &rows),
            "           median\n  wall ms   812.3\n  pages/s   12345\n"
        );
    }
}
