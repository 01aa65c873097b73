//! `folio check`: every diagnostic of a site, for people or as JSON.

use super::{fail, plural, print_human, EXIT_ERRORS};
use crate::Format;
use folio_build::{
    check_anchors, not_shown_warnings, promote_warnings, Changed, MemoryBuild, SiteBuilder,
    NO_BASE_URL,
};
use folio_content::LoadedSite;
use folio_diag::{render_json, sort_diagnostics, Tally};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Run the command. The site is rendered in memory as the editor renders it (every page, even
/// beside files with errors; images are not resized), so that `check` reports what a build
/// would (template errors, empty pages) and every object of the content that no page shows.
/// With `links`, the `#anchors` of its links are also checked against the ids of the pages.
/// `strict` (or `strict = true` in `folio.toml`) counts warnings as errors.
pub fn run(site: &Path, format: Format, links: bool, strict: bool) -> ExitCode {
    let started = Instant::now();
    let mut builder = SiteBuilder::new(site, None)
        .editing(true)
        .keep_going(true)
        .without_images();
    let loaded = match builder.build(Changed::Unknown) {
        Ok(build) => with_render_findings(build, links),
        Err(d) => return fail(d),
    };
    let mut loaded = loaded;
    if strict || loaded.site.site_config.strict == Some(true) {
        promote_warnings(&mut loaded.diagnostics);
    }
    let elapsed = started.elapsed();
    let tally = Tally::of(&loaded.diagnostics);
    let pages = loaded.site.routes().len();
    let stackbit = &loaded.site.stackbit;
    match format {
        Format::Json => {
            let mut json = serde_json::json!({
                "diagnostics": render_json(&loaded.diagnostics, &loaded.site.sources),
                "summary": {
                    "files": loaded.files,
                    "pages": pages,
                    "errors": tally.errors,
                    "warnings": tally.warnings,
                    "notes": tally.notes,
                    "milliseconds": elapsed.as_millis(),
                }
            });
            if !stackbit.model_sources.is_empty() {
                json["summary"]["models"] = serde_json::json!({
                    "sources": stackbit.model_sources,
                    "count": stackbit.models.len(),
                });
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        Format::Human => {
            print_human(&loaded.diagnostics, &loaded.site.sources, true);
            if !stackbit.model_sources.is_empty() {
                println!(
                    "read {} of the site's own from {}, merged over folio's built-in theme",
                    plural(stackbit.models.len(), "model"),
                    stackbit
                        .model_sources
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                );
            }
            println!(
                "checked {} ({}): {}, {} in {} ms",
                plural(loaded.files, "file"),
                plural(pages, "page"),
                plural(tally.errors, "error"),
                plural(tally.warnings, "warning"),
                elapsed.as_millis()
            );
        }
    }
    if tally.errors > 0 {
        ExitCode::from(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The loaded site of a build in memory, with what the render found: the objects no page
/// shows and, with `links`, the anchors that name no element. The build's note that it wrote
/// no feeds without a base URL is about the output, which `check` does not write.
fn with_render_findings(build: MemoryBuild, links: bool) -> LoadedSite {
    let mut found = not_shown_warnings(&build);
    if links {
        found.extend(check_anchors(&build));
    }
    let mut loaded = build.loaded;
    loaded.diagnostics.retain(|d| d.code != NO_BASE_URL);
    loaded.diagnostics.extend(found);
    sort_diagnostics(&mut loaded.diagnostics);
    loaded
}
