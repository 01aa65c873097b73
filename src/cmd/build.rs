//! `folio build`: the static site into a folder, swapped in only on success.

use super::{fail, plural, print_human, EXIT_ERRORS};
use folio_build::{build_site, default_output_dir, BuildOptions};
use folio_diag::{Severity, Tally};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Run the command.
pub fn run(site: &Path, output: Option<PathBuf>, base_url: Option<String>) -> ExitCode {
    let output_dir = output.unwrap_or_else(|| default_output_dir(site));
    let options = BuildOptions {
        site: site.to_path_buf(),
        output_dir: output_dir.clone(),
        base_url: base_url.or_else(|| std::env::var("URL").ok().filter(|u| !u.is_empty())),
    };
    let report = match build_site(&options) {
        Ok(report) => report,
        Err(d) => return fail(d),
    };
    let shown: Vec<_> = report
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .cloned()
        .collect();
    print_human(&shown, &report.loaded.site.sources, false);
    let tally = Tally::of(&report.loaded.diagnostics);
    if !report.succeeded() {
        eprintln!(
            "build failed: {}, {}; `{}` was left as it was",
            plural(tally.errors, "error"),
            plural(tally.warnings, "warning"),
            output_dir.display()
        );
        return ExitCode::from(EXIT_ERRORS);
    }
    println!(
        "built {} and copied {} into `{}` in {} ms ({})",
        plural(report.pages_written, "page"),
        plural(report.files_copied, "static file"),
        output_dir.display(),
        report.elapsed.as_millis(),
        plural(tally.warnings, "warning")
    );
    ExitCode::SUCCESS
}
