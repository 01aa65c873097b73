//! The build pipeline: load → validate → resolve → render → write.
//!
//! [`SiteBuilder`] builds into memory, again and again for the dev server, redoing only what
//! changed; [`build_site`] then writes through a [`DiskOutput`], into a temporary folder beside
//! the target swapped in only when the whole build succeeded, so a failed build never leaves a
//! half-written site.
#![warn(missing_docs)]

mod disk_build;
mod empty_page;
mod feeds;
mod git_dates;
mod headers;
pub mod images;
mod leftovers;
mod output;
mod precompress;
mod progress;
mod render;
mod search;
mod shown;
mod sitemap;
mod stylesheet_name;
mod xml;

pub use disk_build::{build_site, default_output_dir, promote_warnings, BuildOptions, BuildReport};
pub use feeds::{render_feeds, FeedCache, FeedContext, FEED_MAX_ITEMS};
pub use headers::{cache_headers, HEADERS_PATH};
pub use leftovers::remove_unfinished;
pub use output::{DiskOutput, OutputSetting, OUTPUT_MARKER};
pub use progress::{Progress, ProgressSink};
pub use render::{render_site, PageSink, RenderCache, RenderedSite};
pub use search::{
    build_search_index, search_scripts, SearchCollector, SearchIndexer, SearchScripts, SEARCH_DIR,
};
pub use shown::{coverage, not_shown_warnings, Coverage, NotShown};
pub use sitemap::{render_robots, render_sitemap, ROBOTS_PATH, SITEMAP_PATH};

use folio_content::url::output_path_for_url;
pub use folio_content::Changed;
use folio_content::{links, load_site_cached, FileCache, LoadedSite, StageTimes};
use folio_diag::Diagnostic;
use folio_render::{RenderOptions, TemplateTime};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// The stylesheet's URL when it is not `/assets/site.css` (a disk build's hashed name).
    stylesheet_href: Option<String>,
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
            stylesheet_href: None,
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
                stylesheet: (self.stylesheet_href.clone())
                    .unwrap_or_else(|| format!("/{STYLESHEET_PATH}")),
                search_script: search::search_scripts().loader_url(),
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
