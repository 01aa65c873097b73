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
use folio_render::css::{collect_classes, font_files, site_stylesheet};
use folio_render::{RenderOptions, Renderer};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub site: PathBuf,
    /// The output folder (replaced as a whole on success).
    pub output_dir: PathBuf,
    /// The site's public URL, for canonical and absolute URLs.
    pub base_url: Option<String>,
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

/// Where the generated stylesheet is written and linked from.
pub const STYLESHEET_PATH: &str = "assets/site.css";

/// Where the theme's "page not found" document is written (hosts such as Netlify serve it for
/// unknown URLs; `folio serve` does too, with status 404).
pub const NOT_FOUND_PATH: &str = "404.html";

/// Every file a render produces: pages (`blog/a/index.html`), the stylesheet and fonts.
#[derive(Debug, Default)]
pub struct RenderedSite {
    /// Output path → contents.
    pub files: Vec<(String, Vec<u8>)>,
    /// Number of HTML pages among them.
    pub pages: usize,
    /// Template problems (errors stop the build).
    pub diagnostics: Vec<Diagnostic>,
}

/// Render every route of a loaded site, then the stylesheet for the classes they use.
pub fn render_site(loaded: &LoadedSite, base_url: Option<&str>) -> RenderedSite {
    let site = &loaded.site;
    let options = RenderOptions {
        base_url: base_url.map(str::to_string),
        stylesheet: format!("/{STYLESHEET_PATH}"),
    };
    let (renderer, mut diagnostics) = Renderer::new(Arc::clone(site), options);
    let results: Vec<(String, Result<String, Diagnostic>)> = site
        .routes()
        .par_iter()
        .map(|route| {
            (
                output_path_for_url(&route.url),
                renderer.render_route(route),
            )
        })
        .collect();
    let mut classes = BTreeSet::new();
    let mut files = Vec::with_capacity(results.len() + 8);
    for (path, result) in results {
        match result {
            Ok(html) => {
                collect_classes(&html, &mut classes);
                files.push((path, html.into_bytes()));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let pages = files.len();
    match renderer.render_not_found() {
        Ok(html) => {
            collect_classes(&html, &mut classes);
            files.push((NOT_FOUND_PATH.to_string(), html.into_bytes()));
        }
        Err(d) => diagnostics.push(d),
    }
    let style = site.theme_style.as_deref();
    files.push((
        STYLESHEET_PATH.to_string(),
        site_stylesheet(style, &classes).into_bytes(),
    ));
    for (name, bytes) in font_files(style) {
        files.push((format!("assets/fonts/{name}"), bytes.to_vec()));
    }
    RenderedSite {
        files,
        pages,
        diagnostics,
    }
}

/// A site loaded and rendered into memory: what `folio serve` serves (with `public/` read from
/// disk) and what `folio build` writes out.
#[derive(Debug)]
pub struct MemoryBuild {
    /// The loaded site; its diagnostics include the render's.
    pub loaded: LoadedSite,
    /// Output path (`blog/a/index.html`, `assets/site.css`) → contents; empty when the build
    /// failed. `public/` files are not included.
    pub files: HashMap<String, Vec<u8>>,
    /// Number of HTML pages rendered from routes (0 when the build failed).
    pub pages: usize,
    /// Wall time of loading and rendering.
    pub elapsed: Duration,
}

impl MemoryBuild {
    /// Whether the build produced its files (no error among the diagnostics).
    pub fn succeeded(&self) -> bool {
        !self.loaded.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Load, validate, resolve and render the site at `site` into memory. Errors in the content are
/// returned in [`MemoryBuild::loaded`]'s diagnostics (with no files); `Err` only when `site` is
/// not a site.
pub fn build_in_memory(site: &Path, base_url: Option<&str>) -> Result<MemoryBuild, Diagnostic> {
    let started = Instant::now();
    let mut loaded = load_site(site)?;
    let build = |loaded: LoadedSite, files: Vec<(String, Vec<u8>)>, pages: usize| MemoryBuild {
        loaded,
        files: files.into_iter().collect(),
        pages,
        elapsed: started.elapsed(),
    };
    if loaded.diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(build(loaded, Vec::new(), 0));
    }
    let rendered = render_site(&loaded, base_url);
    let render_failed = rendered.diagnostics.iter().any(Diagnostic::is_error);
    loaded.diagnostics.extend(rendered.diagnostics);
    if render_failed {
        return Ok(build(loaded, Vec::new(), 0));
    }
    Ok(build(loaded, rendered.files, rendered.pages))
}

/// Build the site into `options.output_dir`. Errors in the content leave the previous output
/// untouched and are returned in the report; `Err` is for failures to write.
pub fn build_site(options: &BuildOptions) -> Result<BuildReport, Diagnostic> {
    let started = Instant::now();
    let memory = build_in_memory(&options.site, options.base_url.as_deref())?;
    if !memory.succeeded() {
        return Ok(BuildReport {
            loaded: memory.loaded,
            pages_written: 0,
            files_copied: 0,
            elapsed: started.elapsed(),
        });
    }
    let MemoryBuild {
        loaded,
        files,
        pages,
        ..
    } = memory;
    let mut rendered_files: Vec<_> = files.into_iter().collect();
    rendered_files.sort_by(|a, b| a.0.cmp(&b.0));
    let rendered = RenderedSite {
        files: rendered_files,
        pages,
        diagnostics: Vec::new(),
    };
    let mut output = DiskOutput::begin(&options.output_dir, loaded.site.root.path())?;
    for (path, bytes) in &rendered.files {
        output.write(path, bytes)?;
    }
    let files_copied = copy_public(&loaded, &mut output)?;
    output.commit()?;
    Ok(BuildReport {
        pages_written: rendered.pages,
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
