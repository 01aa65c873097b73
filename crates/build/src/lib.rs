//! The build pipeline: load → validate → resolve → render → write.
//!
//! [`SiteBuilder`] builds into memory, again and again for the dev server, redoing only what
//! changed; [`build_site`] then writes through a [`DiskOutput`], into a temporary folder beside
//! the target swapped in only when the whole build succeeded, so a failed build never leaves a
//! half-written site.
#![warn(missing_docs)]

mod empty_page;
mod feeds;
mod git_dates;
mod headers;
pub mod images;
mod leftovers;
mod output;
mod progress;
mod render;
mod search;
mod shown;
mod sitemap;
mod xml;

pub use feeds::{render_feeds, FeedCache, FeedContext, FEED_MAX_ITEMS};
pub use headers::{cache_headers, HEADERS_PATH};
pub use leftovers::remove_unfinished;
pub use output::{DiskOutput, OutputSetting, OUTPUT_MARKER};
pub use progress::{Progress, ProgressSink};
pub use render::{render_site, PageSink, RenderCache, RenderedSite};
pub use search::{build_search_index, SearchCollector, SearchIndexer, SEARCH_DIR};
pub use shown::{coverage, not_shown_warnings, Coverage, NotShown};
pub use sitemap::{render_robots, render_sitemap, ROBOTS_PATH, SITEMAP_PATH};

use folio_content::url::output_path_for_url;
pub use folio_content::Changed;
use folio_content::{links, load_site_cached, FileCache, LoadedSite, StageTimes};
use folio_diag::Diagnostic;
use folio_render::{RenderOptions, TemplateTime};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
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

/// Where the generated stylesheet is written and linked from.
pub const STYLESHEET_PATH: &str = "assets/site.css";

/// Where the theme's "page not found" document is written (hosts such as Netlify serve it for
/// unknown URLs; `folio serve` does too, with status 404).
pub const NOT_FOUND_PATH: &str = "404.html";

/// The URL of a site's own "page not found" (`content/pages/404.md`): written as
/// [`NOT_FOUND_PATH`] instead of the theme's, and left out of the sitemap.
pub const SITE_NOT_FOUND_URL: &str = "/404/";

/// The contents of a built file, shared between builds when unchanged.
pub type FileBytes = Arc<[u8]>;

/// A site loaded and rendered into memory: what `folio serve` serves (with `public/` read from
/// disk) and what `folio build` writes out.
#[derive(Debug)]
pub struct MemoryBuild {
    /// The loaded site; its diagnostics include the render's.
    pub loaded: LoadedSite,
    /// Output path (`blog/a/index.html`, `assets/site.css`) → contents; empty when the build
    /// failed. `public/` files are not included.
    pub files: HashMap<String, FileBytes>,
    /// The image copies (`images/_v/photo-800.jpg`) the pages' `srcset` lists, kept apart
    /// from [`MemoryBuild::files`] because their bytes are on disk or not made yet (see
    /// [`images::ImageCopy`]); empty when the build failed.
    pub images: images::ImageCopies,
    /// Number of HTML pages rendered from routes (0 when the build failed).
    pub pages: usize,
    /// How many pages were rendered anew (the others were reused from the previous build).
    pub rendered: usize,
    /// How many resized image copies were encoded (the others were kept from the previous
    /// build or read from the cache, see [`images`]).
    pub images_encoded: usize,
    /// Wall time of loading and rendering.
    pub elapsed: Duration,
    /// Wall time per stage.
    pub timings: StageTimes,
    /// Self time per template, slowest first.
    pub templates: Vec<(String, TemplateTime)>,
    /// Whether the site has search: its pages offer a search box, so the output needs the
    /// index ([`build_search_index`]).
    pub search: bool,
}

impl MemoryBuild {
    /// Whether the build produced its files (no error among the diagnostics).
    pub fn succeeded(&self) -> bool {
        !self.loaded.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds one site into memory again and again, redoing only what changed: files whose size
/// and modification time are unchanged are not read again, and pages whose inputs are
/// unchanged are not rendered again. The result is always what a build from scratch gives.
#[derive(Debug)]
pub struct SiteBuilder {
    site: PathBuf,
    base_url: Option<String>,
    editing: bool,
    search: bool,
    images: bool,
    keep_going: bool,
    fallback_base_url: Option<String>,
    files: FileCache,
    renders: RenderCache,
    feeds: FeedCache,
    /// When each page file was last committed (sitemap `lastmod`), read once per builder:
    /// `git log` on every rebuild while serving would cost more than the rebuild.
    commit_dates: Option<HashMap<String, folio_content::ContentDate>>,
    image_cache: images::ImageCache,
    progress: ProgressSink,
}

impl SiteBuilder {
    /// A builder for the site at `site`, with nothing built yet. `base_url` (from `--base-url`
    /// or `URL`, normalised) wins over `base_url` in `folio.toml`.
    pub fn new(site: &Path, base_url: Option<String>) -> SiteBuilder {
        SiteBuilder {
            site: site.to_path_buf(),
            base_url,
            editing: false,
            search: true,
            keep_going: false,
            fallback_base_url: None,
            files: FileCache::default(),
            renders: RenderCache::default(),
            feeds: FeedCache::default(),
            commit_dates: None,
            images: true,
            image_cache: images::ImageCache::default(),
            progress: ProgressSink::default(),
        }
    }

    /// Render the annotations of `folio serve --edit` (`data-sb-object-id`,
    /// `data-sb-field-path`) from now on.
    pub fn editing(mut self, editing: bool) -> SiteBuilder {
        self.editing = editing;
        self
    }

    /// Render every page that can be rendered even when some files have errors (those are
    /// left out): what `folio serve` and `folio build --keep-going` show.
    pub fn keep_going(mut self, keep_going: bool) -> SiteBuilder {
        self.keep_going = keep_going;
        self
    }

    /// Build without search (`folio build --no-search`) even where `folio.toml` asks for it:
    /// no search box in the pages, and [`MemoryBuild::search`] is false.
    pub fn without_search(mut self) -> SiteBuilder {
        self.search = false;
        self
    }

    /// Build without resized copies of the images (no `srcset`): `folio check` renders to see
    /// what the pages show, and encoding every image of a real site would take it seconds.
    pub fn without_images(mut self) -> SiteBuilder {
        self.images = false;
        self
    }

    /// Make the image copies that are not in the disk cache on their first request rather
    /// than while building (see [`images::ImageCache::on_request`]): `folio serve` starts at
    /// once however many photos the site has.
    pub fn with_images_on_request(mut self) -> SiteBuilder {
        self.image_cache = images::ImageCache::on_request();
        self
    }

    /// Report progress to `progress` (the stages and their counts: images, then pages).
    pub fn with_progress(mut self, progress: ProgressSink) -> SiteBuilder {
        self.progress = progress;
        self
    }

    /// The base URL of the feeds and the sitemap when the site has none (`folio serve` gives
    /// its own address, so that the feeds it serves are valid and their links work locally).
    /// Pages stay site-relative: it is not used for canonical or `og:` URLs.
    pub fn with_fallback_base_url(mut self, url: Option<String>) -> SiteBuilder {
        self.fallback_base_url = url;
        self
    }

    /// Load, validate, resolve and render the site, knowing what changed since the last build
    /// ([`Changed`]). Errors in the content are returned in [`MemoryBuild::loaded`]'s
    /// diagnostics (with no files); `Err` only when the folder is not a site.
    pub fn build(&mut self, changed: Changed<'_>) -> Result<MemoryBuild, Diagnostic> {
        let started = Instant::now();
        self.progress.start();
        self.progress.begin("loading", 0);
        let loaded = load_site_cached(&self.site, &mut self.files, changed);
        let built = loaded.map(|loaded| self.render(loaded, started, None));
        self.progress.finish();
        built
    }

    /// Render a loaded site (see [`SiteBuilder::build`]; `started` is when its loading
    /// began). With a `sink`, the pages go there as they are rendered, not into
    /// [`MemoryBuild::files`].
    fn render(
        &mut self,
        mut loaded: LoadedSite,
        started: Instant,
        sink: Option<PageSink<'_>>,
    ) -> MemoryBuild {
        let base_url = (self.base_url.clone()).or_else(|| loaded.site.site_config.base_url.clone());
        let outputs_base = base_url.clone().or_else(|| self.fallback_base_url.clone());
        let feeds = outputs_base.is_some() && !loaded.site.posts.is_empty();
        let search = self.search && loaded.site.site_config.search_enabled();
        let mut timings = loaded.timings.clone();
        let rendered = if !self.keep_going && loaded.diagnostics.iter().any(Diagnostic::is_error) {
            None
        } else {
            let images_started = Instant::now();
            let images = if self.images {
                self.image_cache.update(&loaded.site, &self.progress)
            } else {
                images::ImageOutput::default()
            };
            timings.record("images", images_started.elapsed());
            let options = RenderOptions {
                base_url: base_url.clone(),
                stylesheet: format!("/{STYLESHEET_PATH}"),
                editing: self.editing,
                feeds,
                search,
                images: images.sets,
            };
            // The feeds and the sitemap need the site, not its pages: they are made on the
            // core that rendering a long feed page (one page, one thread) leaves idle.
            let (mut rendered, (outputs, outputs_time)) = rayon::join(
                || render_site(&loaded, options, &mut self.renders, sink, &self.progress),
                || {
                    let started = Instant::now();
                    let commit_dates = outputs_base.is_some().then(|| {
                        &*self
                            .commit_dates
                            .get_or_insert_with(|| git_dates::last_commit_dates(&self.site))
                    });
                    let files = site_outputs(
                        &loaded,
                        outputs_base.as_deref(),
                        &mut self.feeds,
                        commit_dates,
                    );
                    (files, started.elapsed())
                },
            );
            rendered.diagnostics.extend(images.diagnostics);
            Some((
                rendered,
                outputs,
                outputs_time,
                images.files,
                images.encoded,
            ))
        };
        let Some((mut rendered, outputs, outputs_time, copies, images_encoded)) = rendered else {
            return MemoryBuild {
                loaded,
                files: HashMap::new(),
                images: HashMap::new(),
                pages: 0,
                rendered: 0,
                images_encoded: 0,
                elapsed: started.elapsed(),
                timings,
                templates: Vec::new(),
                search,
            };
        };
        timings.extend(&rendered.timings);
        timings.record("outputs", outputs_time);
        let failed = !self.keep_going && rendered.diagnostics.iter().any(Diagnostic::is_error);
        loaded.diagnostics.append(&mut rendered.diagnostics);
        let mut files: HashMap<String, FileBytes> = HashMap::new();
        if !failed {
            files = rendered.files.into_iter().collect();
            files.extend(outputs.into_iter().map(|(path, text)| {
                let bytes: FileBytes = Arc::from(text.into_bytes());
                (path, bytes)
            }));
            if outputs_base.is_none() {
                loaded.diagnostics.push(no_base_url());
            }
        }
        MemoryBuild {
            loaded,
            files,
            images: if failed { HashMap::new() } else { copies },
            pages: if failed { 0 } else { rendered.pages },
            rendered: rendered.rendered,
            images_encoded,
            elapsed: started.elapsed(),
            timings,
            templates: rendered.templates,
            search,
        }
    }
}

/// The files made from the whole site besides its pages: the feeds and the sitemap (with a
/// base URL only: they need absolute URLs) and `robots.txt`.
fn site_outputs(
    loaded: &LoadedSite,
    base_url: Option<&str>,
    feeds: &mut FeedCache,
    commit_dates: Option<&HashMap<String, folio_content::ContentDate>>,
) -> Vec<(String, String)> {
    let mut files = Vec::new();
    if let Some(base_url) = base_url {
        let context = FeedContext {
            site: &loaded.site,
            modified: &loaded.modified,
            base_url,
        };
        files.extend(render_feeds(&context, feeds));
        files.push((
            SITEMAP_PATH.to_string(),
            render_sitemap(
                &loaded.site,
                commit_dates.unwrap_or(&HashMap::new()),
                base_url,
            ),
        ));
    }
    files.push((ROBOTS_PATH.to_string(), render_robots(base_url)));
    files
}

/// The code of the warning of a build without a base URL.
pub const NO_BASE_URL: &str = "build/no-base-url";

/// The warning of a build without a base URL, once per build.
fn no_base_url() -> Diagnostic {
    Diagnostic::warning(
        NO_BASE_URL,
        "no base URL is set, so `feed.xml`, `atom.xml` and `sitemap.xml` were not written",
    )
    .with_help(
        "feeds and sitemaps need absolute URLs: set `base_url = \"https://…\"` in `folio.toml`, \
         pass `--base-url https://…`, or set the `URL` environment variable",
    )
}

/// Warnings for the `#anchors` of the site's local links that name no element of the page they
/// lead to, read from the rendered pages of `build` (nothing when the build failed). See
/// [`folio_content::links::check_anchors`].
pub fn check_anchors(build: &MemoryBuild) -> Vec<Diagnostic> {
    let site = &build.loaded.site;
    let ids: HashMap<String, HashSet<String>> = site
        .routes()
        .into_iter()
        .filter_map(|route| {
            let html = build.files.get(&output_path_for_url(&route.url))?;
            let ids = links::html_ids(&String::from_utf8_lossy(html));
            Some((route.url, ids))
        })
        .collect();
    links::check_anchors(site, &ids)
}

/// Load, validate, resolve and render the site at `site` into memory, from scratch (see
/// [`SiteBuilder::build`]).
pub fn build_in_memory(site: &Path, base_url: Option<&str>) -> Result<MemoryBuild, Diagnostic> {
    SiteBuilder::new(site, base_url.map(str::to_string)).build(Changed::Unknown)
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
    let sink = |path: &str, bytes: &[u8]| {
        if let Some(collector) = &collector {
            collector.page(path, bytes);
        }
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
        files,
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
        // The owner's own `public/_headers`, copied above, is kept.
        let owners = loaded.site.root.path().join("public").join(HEADERS_PATH);
        if let Some(rules) = cache_headers(true).filter(|_| !owners.exists()) {
            output.write_file(HEADERS_PATH, rules.as_bytes())?;
        }
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
