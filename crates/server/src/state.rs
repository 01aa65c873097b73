//! The server's one piece of state: the last good build (served), the last build's problems
//! (shown in the overlay), and the channel that pushes live-reload messages to browsers.
//! Builds run without any lock held; only the swap of the snapshot takes the write lock.

use crate::editor::Editor;
use crate::http::CompressionCache;
use crate::live::overlay_html;
use crate::public_files::PublicFiles;
use folio_build::images::ImageCopies;
use folio_build::{Changed, FileBytes, MemoryBuild, SearchIndexer, SiteBuilder};
use folio_content::site_fs::SiteRoot;
use folio_content::{Site, StageTimes};
use folio_diag::{render_html, render_json, Diagnostic, JsonDiagnostic, Severity, SourceLookup};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// A message for the browsers, sent over Server-Sent Events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveMessage {
    /// The SSE event name: `reload`, `css`, `errors`, `ok` or `built`.
    pub event: &'static str,
    /// Its JSON data.
    pub data: String,
}

impl LiveMessage {
    fn new(event: &'static str, data: serde_json::Value) -> Self {
        LiveMessage {
            event,
            data: data.to_string(),
        }
    }
}

/// What is being served: the files of the last good build and the site root (for `public/`).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Output path → contents, as rendered into memory.
    pub files: Arc<HashMap<String, FileBytes>>,
    /// The image copies the pages list, made on their first request (see
    /// [`folio_build::images::ImageCopy`]).
    pub images: Arc<ImageCopies>,
    /// The site root, once a build has loaded it.
    pub root: Option<SiteRoot>,
    /// The overlay's HTML when the latest build failed (the files are then the last good ones).
    pub overlay: Option<String>,
    /// The latest build's errors and warnings, with lines and columns (the editor lists them).
    pub problems: Arc<Vec<JsonDiagnostic>>,
    /// How many builds ran before this snapshot's (1 for the first): the editor waits for a
    /// newer one after writing a file, to show what the build then found.
    pub generation: u64,
    /// The site graph of the files (the editor's page list and models, the search index).
    pub site: Option<Arc<Site>>,
    /// The search index of these files (`folio-search/…` → contents), built on its first
    /// request ([`Snapshot::search_file`]) and dropped with the snapshot at the next rebuild.
    pub search: OnceLock<HashMap<String, FileBytes>>,
    /// What builds the index, shared by the snapshots of one server: it keeps each page's
    /// entry, so that the index after an edit reads only the pages the edit changed.
    pub indexer: Arc<SearchIndexer>,
    /// What this snapshot has read of `public/` (read once, then from memory).
    pub public: PublicFiles,
}

impl Snapshot {
    /// The file `rel` (`folio-search/index.json`) of the search index, building the index first if
    /// this snapshot has none yet. Blocking: call it off the async threads.
    pub fn search_file(&self, rel: &str) -> Option<FileBytes> {
        let index = self.search.get_or_init(|| match &self.site {
            Some(site) if site.site_config.search_enabled() => {
                self.indexer.index(site, &self.files).into_iter().collect()
            }
            _ => HashMap::new(),
        });
        index.get(rel).cloned()
    }
}

/// What one build or rebuild did, for the terminal.
#[derive(Debug)]
pub struct RebuildReport {
    /// Whether it produced a new site (no errors).
    pub succeeded: bool,
    /// Pages in the site.
    pub pages: usize,
    /// Pages rendered anew (the others were unchanged and reused).
    pub rendered: usize,
    /// URLs of the pages whose HTML changed (added, edited or removed).
    pub changed_pages: Vec<String>,
    /// Whether only stylesheets changed (the browsers swap them without a reload).
    pub css_only: bool,
    /// Errors and warnings of the build, rendered for a terminal.
    pub terminal: String,
    /// Load and render time.
    pub elapsed: Duration,
    /// Wall time per build stage (empty when the folder could not be read as a site).
    pub timings: StageTimes,
}

/// Everything the server shares between requests and the rebuild thread.
#[derive(Debug)]
pub struct ServerState {
    site: PathBuf,
    color: bool,
    /// The incremental builder (one rebuild at a time).
    builder: Mutex<SiteBuilder>,
    current: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<LiveMessage>,
    /// The editor (`folio serve --edit`), when enabled.
    editor: Option<Editor>,
    /// Bodies already compressed, by content.
    compression: CompressionCache,
}

impl ServerState {
    /// A state for the site at `site` with nothing built yet (see [`ServerState::rebuild`]).
    /// `color` colours the terminal rendering of diagnostics.
    pub fn new(site: &Path, base_url: Option<String>, color: bool) -> Arc<ServerState> {
        let builder = SiteBuilder::new(site, base_url).with_images_on_request();
        ServerState::with_builder(site, builder, color)
    }

    /// [`ServerState::new`] with a builder set up by the caller.
    pub fn with_builder(site: &Path, builder: SiteBuilder, color: bool) -> Arc<ServerState> {
        ServerState::create(site, builder, color, None)
    }

    /// [`ServerState::with_builder`] with the editor on (`folio serve --edit`): pages are
    /// rendered with annotations and carry `editor`'s token, and the editor's API is served.
    pub fn with_editor(
        site: &Path,
        builder: SiteBuilder,
        color: bool,
        editor: Editor,
    ) -> Arc<ServerState> {
        ServerState::create(site, builder, color, Some(editor))
    }

    fn create(
        site: &Path,
        builder: SiteBuilder,
        color: bool,
        editor: Option<Editor>,
    ) -> Arc<ServerState> {
        let (events, _) = broadcast::channel(64);
        // Every page that renders is served, whatever errors other files have.
        let builder = builder.editing(editor.is_some()).keep_going(true);
        Arc::new(ServerState {
            site: site.to_path_buf(),
            color,
            builder: Mutex::new(builder),
            current: RwLock::new(Arc::new(Snapshot::default())),
            events,
            editor,
            compression: CompressionCache::default(),
        })
    }

    /// The editor, when `folio serve --edit` runs.
    pub fn editor(&self) -> Option<&Editor> {
        self.editor.as_ref()
    }

    /// The cache of compressed bodies.
    pub fn compression(&self) -> &CompressionCache {
        &self.compression
    }

    /// The site folder as given.
    pub fn site(&self) -> &Path {
        &self.site
    }

    /// What is served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn replace(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.current.write() {
            Ok(mut guard) => *guard = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }

    /// A receiver of every live-reload message sent from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveMessage> {
        self.events.subscribe()
    }

    fn send(&self, message: LiveMessage) {
        // No browser listening is fine.
        let _ = self.events.send(message);
    }

    /// Build the site into memory (blocking; call from a thread of its own). On success, serve
    /// the new files and tell the browsers which pages changed; on failure, keep serving the
    /// last good files and show the diagnostics in the overlay.
    pub fn rebuild(&self) -> RebuildReport {
        self.rebuild_changed(Changed::Unknown)
    }

    /// [`ServerState::rebuild`], knowing what changed since the last build (the watcher's
    /// report; [`Changed::Unknown`] after lost events).
    pub fn rebuild_changed(&self, changed: Changed<'_>) -> RebuildReport {
        let started = Instant::now();
        let previous = self.snapshot();
        let built = match self.builder.lock() {
            Ok(mut builder) => builder.build(changed),
            Err(poisoned) => poisoned.into_inner().build(changed),
        };
        let build = match built {
            Ok(build) => build,
            Err(d) => {
                let failure = Failure {
                    diagnostics: &[d],
                    sources: &NoSources,
                    site: None,
                };
                return self.fail(&previous, failure, started, StageTimes::default());
            }
        };
        if !build.succeeded() && build.files.is_empty() {
            let failure = Failure {
                diagnostics: &shown(&build.loaded.diagnostics),
                sources: &build.loaded.site.sources,
                site: Some(&build.loaded.site),
            };
            return self.fail(&previous, failure, started, build.timings);
        }
        self.succeed(&previous, build, started)
    }

    /// Keep serving the previous files, with `diagnostics` in the overlay. `site` is what
    /// loaded, if anything did: the editor lists its pages and objects even when none rendered.
    fn fail(
        &self,
        previous: &Snapshot,
        failure: Failure<'_>,
        started: Instant,
        timings: StageTimes,
    ) -> RebuildReport {
        let Failure {
            diagnostics,
            sources,
            site,
        } = failure;
        let overlay = overlay_html(&render_html(diagnostics, sources));
        self.replace(Snapshot {
            files: Arc::clone(&previous.files),
            images: Arc::clone(&previous.images),
            root: site
                .map(|site| site.root.clone())
                .or_else(|| previous.root.clone()),
            overlay: Some(overlay.clone()),
            problems: Arc::new(render_json(diagnostics, sources)),
            generation: previous.generation + 1,
            site: site.cloned().or_else(|| previous.site.clone()),
            // The files are the same: so is their index (built again only if asked for).
            search: previous
                .search
                .get()
                .cloned()
                .map(OnceLock::from)
                .unwrap_or_default(),
            indexer: Arc::clone(&previous.indexer),
            // A change under `public/` may be what failed: read it again.
            public: PublicFiles::default(),
        });
        self.send(LiveMessage::new(
            "errors",
            serde_json::json!({ "html": overlay }),
        ));
        self.send_built();
        RebuildReport {
            succeeded: false,
            pages: 0,
            rendered: 0,
            changed_pages: Vec::new(),
            css_only: false,
            terminal: folio_diag::render_terminal(diagnostics, sources, self.color),
            elapsed: started.elapsed(),
            timings,
        }
    }

    /// Serve what `build` rendered. With errors among its diagnostics, the overlay shows them
    /// and a page the build left out (its file has an error) keeps its last good version.
    fn succeed(&self, previous: &Snapshot, build: MemoryBuild, started: Instant) -> RebuildReport {
        let succeeded = build.succeeded();
        let mut build = build;
        let overlay = (!succeeded).then(|| {
            let shown = shown(&build.loaded.diagnostics);
            overlay_html(&render_html(&shown, &build.loaded.site.sources))
        });
        if !succeeded {
            for (path, bytes) in previous.files.iter() {
                if path.ends_with(".html") && !build.files.contains_key(path) {
                    build.files.insert(path.clone(), Arc::clone(bytes));
                }
            }
            // The pages kept may show images the build left out.
            for (path, copy) in previous.images.iter() {
                if !build.images.contains_key(path) {
                    build.images.insert(path.clone(), Arc::clone(copy));
                }
            }
        }
        let diff_started = Instant::now();
        let change = diff(&previous.files, &build.files);
        let mut timings = build.timings;
        timings.record("diff", diff_started.elapsed());
        let shown = shown(&build.loaded.diagnostics);
        let sources = &build.loaded.site.sources;
        let terminal = folio_diag::render_terminal(&shown, sources, self.color);
        let problems = Arc::new(render_json(&shown, sources));
        let had_errors = previous.overlay.is_some();
        let pages = build.pages;
        let rendered = build.rendered;
        self.replace(Snapshot {
            files: Arc::new(build.files),
            images: Arc::new(build.images),
            root: Some(build.loaded.site.root.clone()),
            overlay: overlay.clone(),
            problems,
            generation: previous.generation + 1,
            site: Some(Arc::clone(&build.loaded.site)),
            search: OnceLock::new(),
            indexer: Arc::clone(&previous.indexer),
            public: PublicFiles::default(),
        });
        match &overlay {
            Some(html) => self.send(LiveMessage::new(
                "errors",
                serde_json::json!({ "html": html }),
            )),
            None if had_errors => self.send(LiveMessage::new("ok", serde_json::json!({}))),
            None => {}
        }
        if change.css {
            self.send(LiveMessage::new("css", serde_json::json!({})));
        }
        if !change.pages.is_empty() {
            self.send(LiveMessage::new(
                "reload",
                serde_json::json!({ "pages": change.pages }),
            ));
        }
        self.send_built();
        RebuildReport {
            succeeded,
            pages,
            rendered,
            css_only: change.css && change.pages.is_empty(),
            changed_pages: change.pages,
            terminal,
            elapsed: started.elapsed(),
            timings,
        }
    }

    /// Tell the browsers a build ended: its generation and how many errors and warnings it
    /// found (the editor's problem list follows it).
    fn send_built(&self) {
        let snapshot = self.snapshot();
        let count = |severity| {
            snapshot
                .problems
                .iter()
                .filter(|p| p.severity == severity)
                .count()
        };
        self.send(LiveMessage::new(
            "built",
            serde_json::json!({
                "generation": snapshot.generation,
                "errors": count(Severity::Error),
                "warnings": count(Severity::Warning),
            }),
        ));
    }

    /// Tell the browsers that files under `public/` changed: a stylesheet swap when they are
    /// all stylesheets, else a reload of every page.
    pub fn public_changed(&self, paths: &[String]) {
        if paths.is_empty() {
            return;
        }
        if paths.iter().all(|p| p.ends_with(".css")) {
            self.send(LiveMessage::new("css", serde_json::json!({})));
        } else {
            self.send(LiveMessage::new(
                "reload",
                serde_json::json!({ "pages": ["*"] }),
            ));
        }
    }
}

/// Errors and warnings: what the terminal and the overlay show.
fn shown(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .cloned()
        .collect()
}

/// What a failed build found: its diagnostics, the sources they point into, and the site as
/// far as it loaded.
struct Failure<'a> {
    diagnostics: &'a [Diagnostic],
    sources: &'a dyn SourceLookup,
    site: Option<&'a Arc<Site>>,
}

struct NoSources;

impl SourceLookup for NoSources {
    fn source(&self, _: &str) -> Option<&str> {
        None
    }
}

/// What differs between two builds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// URLs of HTML pages added, changed or removed, sorted.
    pub pages: Vec<String>,
    /// Whether a stylesheet changed.
    pub css: bool,
}

/// Compare two builds' files byte for byte (files reused from the previous build are the same
/// allocation, which is compared first).
pub fn diff(old: &HashMap<String, FileBytes>, new: &HashMap<String, FileBytes>) -> Change {
    let mut change = Change::default();
    let mut note = |path: &str| {
        if path.ends_with(".html") {
            change.pages.push(page_url(path));
        } else if path.ends_with(".css") {
            change.css = true;
        }
    };
    for (path, bytes) in new {
        let same = old
            .get(path)
            .is_some_and(|o| Arc::ptr_eq(o, bytes) || o == bytes);
        if !same {
            note(path);
        }
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        note(path);
    }
    change.pages.sort();
    change
}

/// The URL a browser shows for an output file: `blog/a/index.html` → `/blog/a/`.
pub fn page_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> HashMap<String, FileBytes> {
        list.iter()
            .map(|(p, c)| (p.to_string(), Arc::from(c.as_bytes())))
            .collect()
    }

    #[test]
    fn diff_lists_only_pages_whose_html_changed() {
        let old = files(&[
            ("index.html", "a"),
            ("blog/x/index.html", "x"),
            ("blog/y/index.html", "y"),
            ("assets/site.css", "c"),
        ]);
        let new = files(&[
            ("index.html", "a"),
            ("blog/x/index.html", "x2"),
            ("blog/z/index.html", "z"),
            ("assets/site.css", "c"),
        ]);
        let change = diff(&old, &new);
        assert_eq!(change.pages, ["/blog/x/", "/blog/y/", "/blog/z/"]);
        assert!(!change.css);
    }

    #[test]
    fn diff_of_a_stylesheet_only_change_is_css() {
        let old = files(&[("index.html", "a"), ("assets/site.css", "c")]);
        let new = files(&[("index.html", "a"), ("assets/site.css", "d")]);
        assert_eq!(
            diff(&old, &new),
            Change {
                pages: Vec::new(),
                css: true
            }
        );
    }

    #[test]
    fn page_urls_end_with_a_slash() {
        assert_eq!(page_url("index.html"), "/");
        assert_eq!(page_url("blog/a/index.html"), "/blog/a/");
        assert_eq!(page_url("404.html"), "/404.html");
        assert_eq!(page_url("notindex.html"), "/notindex.html");
    }
}
