//! `folio build`: the static site into a folder, swapped in only on success.

use super::{fail, plural, print_human, EXIT_ERRORS, EXIT_FAILURE};
use folio_build::{build_site, BuildOptions, BuildReport};
use folio_content::{resolve_base_url, BaseUrlSource, SiteConfig};
use folio_diag::{Severity, Tally};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// The command line of `folio build`.
pub struct Flags {
    /// `-o`: the output folder.
    pub output: Option<PathBuf>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--timings`: print the stages.
    pub timings: bool,
    /// Build the search index unless `folio.toml` turns search off (`--no-search`: false).
    pub search: bool,
    /// `--keep-going`: write every page that renders, even with errors.
    pub keep_going: bool,
    /// `--strict`: warnings count as errors.
    pub strict: bool,
    /// `--quiet`: no progress bar.
    pub quiet: bool,
}

/// Run the command.
pub fn run(site: &Path, flags: Flags) -> ExitCode {
    let Flags {
        output,
        base_url,
        timings,
        search,
        keep_going,
        strict,
        quiet,
    } = flags;
    let environment = std::env::var("URL").ok().filter(|u| !u.is_empty());
    let given = match (&base_url, &environment) {
        (Some(flag), _) => Some((flag.as_str(), BaseUrlSource::Flag)),
        (None, Some(env)) => Some((env.as_str(), BaseUrlSource::Environment)),
        (None, None) => None,
    };
    // `folio.toml`'s own base URL is checked when the site is loaded.
    let base_url = match resolve_base_url(given, &SiteConfig::default()) {
        Ok(url) => url,
        Err(d) => return fail(d),
    };
    let options = BuildOptions {
        site: site.to_path_buf(),
        output_dir: output,
        base_url,
        search,
        keep_going,
        strict,
        progress: if quiet {
            folio_build::ProgressSink::default()
        } else {
            super::progress::on_terminal()
        },
    };
    // Interrupted, the build removes its temporary folders and ends as a failed build does;
    // the previous output stays as it was. (Only the first handler of a process is set.)
    let _ = ctrlc::set_handler(|| {
        folio_build::remove_unfinished();
        eprintln!("build failed: interrupted; the previous output was left as it was");
        std::process::exit(130);
    });
    let report = build_site(&options);
    // The bar goes before anything else is printed: warnings and the summary stand alone.
    super::progress::clear();
    let report = match report {
        Ok(report) => report,
        Err(d) => {
            let code = fail(d);
            eprintln!("build failed: 1 error; the previous output was left as it was");
            return code;
        }
    };
    let shown: Vec<_> = report
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .cloned()
        .collect();
    print_human(&shown, &report.loaded.site.sources, false);
    let output_dir = &report.output_dir;
    let tally = Tally::of(&report.loaded.diagnostics);
    if !report.succeeded() && report.written {
        let left_out = report.files_with_errors();
        eprintln!(
            "built {} into `{}` with {}; left out (fix them and build again): {}",
            plural(report.pages_written, "page"),
            output_dir.display(),
            plural(tally.errors, "error"),
            left_out
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return ExitCode::from(EXIT_ERRORS);
    }
    if !report.succeeded() {
        eprintln!(
            "build failed: {}, {}; `{}` was left as it was (`--keep-going` builds the rest)",
            plural(tally.errors, "error"),
            plural(tally.warnings, "warning"),
            output_dir.display()
        );
        // A refused output folder is a wrong setting, as a missing site is, not a content error.
        let code = if report.output_refused {
            EXIT_FAILURE
        } else {
            EXIT_ERRORS
        };
        return ExitCode::from(code);
    }
    println!(
        "built {} and copied {} into `{}` in {} ms ({}; {} unchanged)",
        plural(report.pages_written, "page"),
        plural(report.files_copied, "static file"),
        output_dir.display(),
        report.elapsed.as_millis(),
        plural(tally.warnings, "warning"),
        plural(report.files_unchanged, "file")
    );
    if timings {
        print!("{}", timings_table(&report));
    }
    ExitCode::SUCCESS
}

/// The `--timings` report: wall time per stage, peak memory, the ten slowest templates.
fn timings_table(report: &BuildReport) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut out = String::from("timings\n");
    for (stage, elapsed) in report.timings.iter() {
        out += &format!("  {stage:<12}{:>10.1} ms\n", ms(elapsed));
    }
    out += &format!("  {:<12}{:>10.1} ms\n", "total", ms(report.elapsed));
    if let Some(kb) = peak_rss_kb() {
        out += &format!("  {:<12}{:>10.1} MB\n", "peak RSS", kb as f64 / 1024.0);
    }
    out += "slowest templates (self time, summed over threads)\n";
    for (name, time) in report.templates.iter().take(10) {
        out += &format!(
            "  {name:<28}{:>8} calls{:>10.1} ms\n",
            time.calls,
            ms(time.self_time)
        );
    }
    out
}

/// This process's peak resident memory, from `/proc` (Linux only).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
