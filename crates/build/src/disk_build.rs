//! A build written to disk ([`build_site`]): the site rendered by a [`SiteBuilder`] whose pages
//! go to a [`DiskOutput`] as they render (with the search index reading each as it passes),
//! then the other files, `public/`, the index, `_headers` and the precompressed copies, and the
//! swap that replaces the previous output only when everything was written.

use crate::output::{self, DiskOutput, OutputSetting};
use crate::precompress::precompress;
use crate::stylesheet_name::StylesheetName;
use crate::{cache_headers, images, MemoryBuild, ProgressSink, SearchCollector, SiteBuilder};
use crate::{Changed, HEADERS_PATH};
use folio_content::{load_site_cached, FileCache, LoadedSite, StageTimes};
use folio_diag::Diagnostic;
use folio_render::TemplateTime;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub site: PathBuf,
    /// The output folder (replaced as a whole on success); `None`: `output_dir` of
    /// `folio.toml`, else `SITE/out`.
    pub output_dir: Option<PathBuf>,
    /// The site's public URL from `--base-url` or `URL`, already checked and normalised
    /// ([`folio_content::resolve_base_url`]); it wins over `folio.toml`'s.
    pub base_url: Option<String>,
    /// Whether to build the search index (and offer the search box) where `folio.toml` does not
    /// turn search off (`folio build --no-search`: false).
    pub search: bool,
    /// Write every page that renders even when some files have errors (`--keep-going`): the
    /// output is replaced, the files with errors are left out, and the report still fails.
    pub keep_going: bool,
    /// Count warnings as errors (`--strict`; also `strict = true` in `folio.toml`).
    pub strict: bool,
    /// Where the build reports its progress (the CLI's bar on a terminal).
    pub progress: ProgressSink,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// The loaded site and its diagnostics.
    pub loaded: LoadedSite,
    /// Where the site was (or would have been) written.
    pub output_dir: PathBuf,
    /// Pages written (0 when the build failed).
    pub pages_written: usize,
    /// Static files copied from `public/`.
    pub files_copied: usize,
    /// Output files whose bytes equal the previous build's, kept as they were (not rewritten).
    pub files_unchanged: usize,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Wall time per stage (read, parse, validate, resolve, render, stylesheet, write). Files
    /// are read, parsed and validated together, so those three split that time by the share
    /// each took; pages are written as they are rendered, so `render` includes writing them
    /// and `write` is the rest (stylesheet, feeds, `public/`).
    pub timings: StageTimes,
    /// Self time per template, slowest first.
    pub templates: Vec<(String, TemplateTime)>,
    /// Whether the output was replaced (a build without errors, or one with `keep_going`).
    pub written: bool,
    /// Whether the output folder was refused (`build/unsafe-output`): a wrong setting, not
    /// an error of the content.
    pub output_refused: bool,
}

impl BuildReport {
    /// Whether the build had no errors (with `keep_going`, it may have written its output
    /// all the same: see [`BuildReport::written`]).
    pub fn succeeded(&self) -> bool {
        !self.loaded.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The content files with errors: what a `keep_going` build left out.
    pub fn files_with_errors(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.file.as_deref())
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }
}

/// Build the site into `options.output_dir`. Errors in the content leave the previous output
/// untouched and are returned in the report; `Err` is for failures to write.
pub fn build_site(options: &BuildOptions) -> Result<BuildReport, Diagnostic> {
    let started = Instant::now();
    let mut builder = SiteBuilder::new(&options.site, options.base_url.clone())
        .keep_going(options.keep_going)
        .with_progress(options.progress.clone());
    if !options.search {
        builder = builder.without_search();
    }
    options.progress.start();
    options.progress.begin("loading", 0);
    let mut loaded = load_site_cached(&builder.site, &mut builder.files, Changed::Unknown)?;
    let strict = options.strict || loaded.site.site_config.strict == Some(true);
    if strict {
        promote_warnings(&mut loaded.diagnostics);
    }
    let stops = |loaded: &LoadedSite| {
        !options.keep_going && loaded.diagnostics.iter().any(Diagnostic::is_error)
    };
    // Nothing is read again in a one-off build: what the file cache keeps for a next build, and
    // the text of files with nothing to report, are freed before rendering (at 100,000 posts,
    // half a gigabyte). Later diagnostics (templates, images) name files without quoting them.
    builder.files = FileCache::default();
    let (output_dir, setting) = match (&options.output_dir, &loaded.site.site_config.output_dir) {
        (Some(dir), _) => (dir.clone(), OutputSetting::Flag),
        (None, Some(dir)) => (options.site.join(dir), OutputSetting::Config),
        (None, None) => (default_output_dir(&options.site), OutputSetting::Default),
    };
    let refused = output::check_target(&output_dir, loaded.site.root.path(), setting.name()).err();
    if let Some(refused) = refused {
        let refused = setting.locate(refused, &loaded.site.sources);
        loaded.diagnostics.push(refused);
    }
    keep_reported_sources(&mut loaded);
    let failed = |loaded: LoadedSite, timings, templates| BuildReport {
        loaded,
        output_dir: output_dir.clone(),
        pages_written: 0,
        files_copied: 0,
        files_unchanged: 0,
        elapsed: started.elapsed(),
        timings,
        templates,
        written: false,
        output_refused: false,
    };
    let refused = loaded
        .diagnostics
        .iter()
        .any(|d| d.code == output::UNSAFE_OUTPUT);
    if stops(&loaded) || refused {
        let timings = loaded.timings.clone();
        return Ok(BuildReport {
            output_refused: refused,
            ..failed(loaded, timings, Vec::new())
        });
    }
    // Pages are written by the threads that render them; the other files after.
    let output = DiskOutput::begin(&output_dir, loaded.site.root.path(), setting.name())?;
    let write_error = Mutex::new(None);
    // The search index reads each page as it is written, on the thread that rendered it.
    let collector = (options.search && loaded.site.site_config.search_enabled())
        .then(|| SearchCollector::new(&loaded.site));
    let stylesheet = StylesheetName::guess(output.previous());
    builder.stylesheet_href = Some(stylesheet.href().to_string());
    let sink = |path: &str, bytes: &[u8]| {
        if let Some(collector) = &collector {
            collector.page(path, bytes);
        }
        stylesheet.page_written(path, bytes);
        if let Err(e) = output.write_file(path, bytes) {
            let mut first = write_error.lock().unwrap_or_else(|p| p.into_inner());
            first.get_or_insert(e);
        }
    };
    let memory = builder.render(loaded, started, Some(&sink));
    if let Some(e) = write_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    let MemoryBuild {
        mut loaded,
        mut files,
        images,
        pages,
        mut timings,
        templates,
        search,
        ..
    } = memory;
    if strict {
        promote_warnings(&mut loaded.diagnostics);
    }
    if stops(&loaded) {
        // The pages written so far go with the temporary folder.
        return Ok(failed(loaded, timings, templates));
    }
    let write_started = Instant::now();
    options.progress.begin("writing", 0);
    stylesheet.settle(&mut files, &output)?;
    output.write_all(files.iter().map(|(path, bytes)| (path.as_str(), &**bytes)))?;
    images::write_copies(&output, &images)?;
    let files_copied = copy_public(&loaded, &output)?;
    timings.record("write", write_started.elapsed());
    if let Some(collector) = collector.filter(|_| search) {
        // The pages were read as they were rendered: what is left is the index's own files.
        let search_started = Instant::now();
        options.progress.begin("indexing for search", 0);
        let index = collector.files();
        output.write_all(index.iter().map(|(path, bytes)| (path.as_str(), &**bytes)))?;
        timings.record("search", search_started.elapsed());
    }
    // The owner's own `public/_headers`, copied above, is kept.
    if !loaded
        .site
        .root
        .path()
        .join("public")
        .join(HEADERS_PATH)
        .exists()
    {
        let rules = cache_headers(
            files.keys().map(String::as_str),
            images.keys().map(String::as_str),
            search,
        );
        output.write_file(HEADERS_PATH, rules.as_bytes())?;
    }
    if loaded.site.site_config.precompress == Some(true) {
        let started = Instant::now();
        options.progress.begin("precompressing", 0);
        precompress(&output)?;
        timings.record("precompress", started.elapsed());
    }
    let files_unchanged = output.kept();
    output.commit()?;
    Ok(BuildReport {
        output_dir,
        pages_written: pages,
        files_copied,
        files_unchanged,
        loaded,
        elapsed: started.elapsed(),
        timings,
        templates,
        written: true,
        output_refused: false,
    })
}

/// `--strict`: every warning becomes an error (notes stay notes).
pub fn promote_warnings(diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        if d.severity == folio_diag::Severity::Warning {
            d.severity = folio_diag::Severity::Error;
        }
    }
}

/// Drop from `loaded`'s site the text of every file that no diagnostic is about, except the
/// site's own templates, which the renderer reads from there.
fn keep_reported_sources(loaded: &mut LoadedSite) {
    let reported: HashSet<&str> = loaded
        .diagnostics
        .iter()
        .filter_map(|d| d.file.as_deref())
        .collect();
    // Shared only with the file cache, just emptied; when not, the texts are kept.
    if let Some(site) = Arc::get_mut(&mut loaded.site) {
        site.sources
            .retain(|path| reported.contains(path) || path.starts_with("templates/"));
    }
}

/// Copy `public/` into the output, as the original does, verbatim.
fn copy_public(loaded: &LoadedSite, output: &DiskOutput) -> Result<usize, Diagnostic> {
    let root = &loaded.site.root;
    // The walk's problems (links out of the site, special files) are the loader's to report
    // (`SiteRoot::public_problems`), as `folio check` reports them; what they name is skipped.
    let (files, _) = root.walk("public");
    // Copied by the file system, never read into memory, whatever their size (the original
    // copies a 100 MB video as it is); read and written only when that fails, for the
    // diagnostic of what went wrong.
    files.par_iter().try_for_each(|file| {
        let rel = file.rel.strip_prefix("public/").unwrap_or(&file.rel);
        if output.copy_in(rel, &file.abs) {
            return Ok(());
        }
        let bytes = root.read(file)?;
        output.write_file(rel, &bytes)
    })?;
    Ok(files.len())
}

/// The default output folder of a site: `SITE/out`.
pub fn default_output_dir(site: &Path) -> PathBuf {
    site.join("out")
}
