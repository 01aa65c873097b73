//! The build pipeline: load → validate → resolve → render → write.
//!
//! Output goes through the [`Output`] trait: [`MemoryOutput`] (the dev server) or a
//! [`DiskOutput`], which writes into a temporary folder beside the target and swaps it in only
//! when the whole build succeeded, so a failed build never leaves a half-written site.
#![warn(missing_docs)]

mod output;

pub use output::{DiskOutput, MemoryOutput, Output, OUTPUT_MARKER};

use folio_content::{load_site, url::output_path_for_url, LoadedSite};
use folio_diag::Diagnostic;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub site: PathBuf,
    /// The output folder (replaced as a whole on success).
    pub output_dir: PathBuf,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// The loaded site and its diagnostics.
    pub loaded: LoadedSite,
    /// Pages written (0 when the build failed).
    pub pages_written: usize,
    /// Static files copied from `public/`.
    pub files_copied: usize,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

impl BuildReport {
    /// Whether the build wrote its output.
    pub fn succeeded(&self) -> bool {
        !self.loaded.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Render every route of a loaded site: `(output path, HTML)` in route order.
pub fn render_site(loaded: &LoadedSite) -> Vec<(String, String)> {
    let site = &loaded.site;
    site.routes()
        .par_iter()
        .map(|route| {
            (
                output_path_for_url(&route.url),
                folio_render::render_route(site, route),
            )
        })
        .collect()
}

/// Build the site into `options.output_dir`. Errors in the content leave the previous output
/// untouched and are returned in the report; `Err` is for failures to write.
pub fn build_site(options: &BuildOptions) -> Result<BuildReport, Diagnostic> {
    let started = Instant::now();
    let loaded = load_site(&options.site)?;
    if loaded.diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(BuildReport {
            loaded,
            pages_written: 0,
            files_copied: 0,
            elapsed: started.elapsed(),
        });
    }
    let rendered = render_site(&loaded);
    let mut output = DiskOutput::begin(&options.output_dir, loaded.site.root.path())?;
    for (path, html) in &rendered {
        output.write(path, html.as_bytes())?;
    }
    let files_copied = copy_public(&loaded, &mut output)?;
    output.commit()?;
    Ok(BuildReport {
        pages_written: rendered.len(),
        files_copied,
        loaded,
        elapsed: started.elapsed(),
    })
}

/// Copy `public/` into the output, as the original does, verbatim.
fn copy_public(loaded: &LoadedSite, output: &mut dyn Output) -> Result<usize, Diagnostic> {
    let root = &loaded.site.root;
    let (files, problems) = root.walk("public");
    if let Some(first) = problems.into_iter().next() {
        return Err(first);
    }
    for file in &files {
        let bytes = root.read(file)?;
        let rel = file.rel.strip_prefix("public/").unwrap_or(&file.rel);
        output.write(rel, &bytes)?;
    }
    Ok(files.len())
}

/// The default output folder of a site: `SITE/out`.
pub fn default_output_dir(site: &Path) -> PathBuf {
    site.join("out")
}
