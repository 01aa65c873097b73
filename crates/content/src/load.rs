//! The load stage: find the site's files, read and process them in parallel, read the site's
//! own models and template names, then hand everything to the resolver.

use crate::config::{load_site_config, CONFIG_FILE};
use crate::document::{parse_file, validate_file, FileResult};
use crate::fingerprint;
use crate::patch::{patch_site, Resolved};
use crate::resolve::{resolve_site_with_graph_diagnostics, ResolveContext};
use crate::site::{FileKind, Site};
use crate::site_fs::{FileStamp, FoundFile, SiteRoot};
use crate::source::decode_text;
use crate::timings::StageTimes;
use crate::validate::ReferenceUse;
use crate::validate::ValidationContext;
use crate::values::to_json;
use crate::yaml::parse_yaml;
use folio_diag::{sort_diagnostics, Diagnostic, Severity};
use folio_model::{Model, Registry};
use folio_stackbit::config::CONFIG_FILES;
use folio_stackbit::{load_stackbit, StackbitSite};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// The result of loading a site: the graph and every diagnostic found on the way.
#[derive(Debug)]
pub struct LoadedSite {
    /// The resolved site (complete even when some files had errors: those are left out),
    /// shared read-only by every render task.
    pub site: Arc<Site>,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of content files read.
    pub files: usize,
    /// Wall time of the stages: read, parse, validate, resolve.
    pub timings: StageTimes,
    /// A fingerprint of what validation depended on besides the content files (the site's own
    /// models and template names): when it changes, equal files may give different objects.
    pub context: u64,
    /// The last modification time of every content file, by path (for sitemaps and feeds of
    /// pages without a date).
    pub modified: HashMap<String, SystemTime>,
    /// Whether the graph is the previous build's with the changed objects put in (a rebuild
    /// that left the site's shape as it was) rather than resolved from every file.
    pub patched: bool,
}

/// Content files processed by an earlier load, reused while their size and modification time
/// stay the same. `folio serve` keeps one between rebuilds, so that a one-file edit re-reads
/// one file, and, when the edit leaves the site's shape as it was, patches the last graph
/// rather than resolving every file again (see [`crate::patch`]).
#[derive(Debug, Default)]
pub struct FileCache {
    /// What validation depended on besides the file: the site's models and template names.
    context: u64,
    files: HashMap<String, (FileStamp, FileResult)>,
    /// The files under `content/` as last listed.
    listing: Option<Listing>,
    /// The URL checks of the files as last made.
    urls: crate::links::UrlCheckCache,
    /// The graph last resolved, which a rebuild that changes only what objects say patches.
    resolved: Option<Resolved>,
    /// The site's Stackbit files as last read, reused while none of them is named changed.
    stackbit: Option<Arc<StackbitSite>>,
}

/// The files under `content/` by path, with the listing's own problems (links out of the site).
#[derive(Debug)]
struct Listing {
    files: BTreeMap<String, FoundFile>,
    diagnostics: Vec<Diagnostic>,
}

impl Listing {
    fn walk(root: &SiteRoot) -> Listing {
        let (files, diagnostics) = root.walk("content");
        Listing {
            files: files.into_iter().map(|f| (f.rel.clone(), f)).collect(),
            diagnostics,
        }
    }

    /// The previous listing brought up to date: from the changed paths when they are known and
    /// simple (files added, edited or removed), else by a walk.
    fn updated(previous: Option<Listing>, root: &SiteRoot, changed: Changed<'_>) -> Listing {
        if let (Some(mut listing), Changed::Paths(paths)) = (previous, changed) {
            if listing.apply(root, paths) {
                return listing;
            }
        }
        Listing::walk(root)
    }

    /// Apply changed paths; `false` when one of them needs a walk (a folder, a link, a removed
    /// folder), and then the listing is to be replaced by one.
    fn apply(&mut self, root: &SiteRoot, paths: &HashSet<String>) -> bool {
        for path in paths.iter().filter(|p| p.starts_with("content/")) {
            match root.list_one(path) {
                Some(Some(file)) => {
                    self.forget_problems_of(path);
                    self.files.insert(path.clone(), file);
                }
                Some(None) => {
                    // What was there (a broken link) is gone, and so are its problems.
                    self.forget_problems_of(path);
                    let below = format!("{path}/");
                    if self
                        .files
                        .range(below.clone()..)
                        .next()
                        .is_some_and(|(k, _)| k.starts_with(&below))
                    {
                        return false;
                    }
                    self.files.remove(path);
                }
                None => return false,
            }
        }
        true
    }

    /// Drop the listing's problems about `path` or anything below it.
    fn forget_problems_of(&mut self, path: &str) {
        let below = format!("{path}/");
        self.diagnostics.retain(|d| {
            d.file
                .as_deref()
                .is_none_or(|f| f != path && !f.starts_with(&below))
        });
    }
}

/// What changed since the previous load, as far as the caller knows.
#[derive(Debug, Clone, Copy)]
pub enum Changed<'a> {
    /// Unknown: every file is listed again and compared by size and modification time.
    Unknown,
    /// Exactly these site-relative paths were written, created or removed (a watcher's report);
    /// other files are taken as they were, without looking at them.
    Paths(&'a HashSet<String>),
}

/// Load, validate and resolve the site at `path`. Fails only when `path` is not a site at all.
pub fn load_site(path: &Path) -> Result<LoadedSite, Diagnostic> {
    load_site_cached(path, &mut FileCache::default(), Changed::Unknown)
}

/// [`load_site`], reusing the files of `cache` that did not change (see [`Changed`]), then
/// refreshing the cache.
pub fn load_site_cached(
    path: &Path,
    cache: &mut FileCache,
    changed: Changed<'_>,
) -> Result<LoadedSite, Diagnostic> {
    let mut timings = StageTimes::default();
    let root = SiteRoot::open(path)?;
    let mut diagnostics = Vec::new();
    let mut registry = Registry::builtin();
    let previous = cache.listing.take();
    let (listing, site_templates, context, site_config, model_texts) = timings.time("read", || {
        let site_config = load_site_config(&root);
        let stackbit = read_stackbit(&root, cache.stackbit.take(), changed);
        registry.merge_site_models(stackbit.models.clone());
        diagnostics.extend(stackbit.diagnostics.iter().cloned());
        cache.stackbit = Some(Arc::clone(&stackbit));
        let model_texts = load_site_models(&root, &mut registry, &mut diagnostics);
        let models = (&model_texts, stackbit_fingerprint(&stackbit));
        let site_templates = read_site_templates(&root, &mut diagnostics);
        let listing = Listing::updated(previous, &root, changed);
        diagnostics.extend(root.public_problems());
        let context = fingerprint(&(models, site_templates.names()));
        (listing, site_templates, context, site_config, model_texts)
    });
    diagnostics.extend(site_config.diagnostics.iter().cloned());
    diagnostics.extend(listing.diagnostics.iter().cloned());
    if cache.context != context {
        cache.files.clear();
        cache.resolved = None;
        cache.context = context;
    }

    let mut work = Vec::new();
    let mut reused = Vec::new();
    for file in listing.files.values() {
        let Some(kind) = FileKind::of(&file.rel) else {
            diagnostics.push(
                Diagnostic::note("content/ignored-file", format!("`{}` is not a page or data file and is ignored", file.rel))
                    .in_file(file.rel.clone())
                    .with_help("pages are `content/pages/**/*.md`; data files are `content/data/**/*.json` (or `.yaml`)"),
            );
            continue;
        };
        let named = match changed {
            Changed::Unknown => false,
            Changed::Paths(paths) => paths.contains(&file.rel),
        };
        match (cache.files.get(&file.rel), file.stamp) {
            (Some((stamp, _)), Some(now)) if *stamp == now && !named => {
                reused.push(file.rel.as_str());
            }
            _ => work.push((file.clone(), kind)),
        }
    }
    let ctx = ValidationContext {
        registry: &registry,
        site_templates: &site_templates.types,
        site_icons: &site_templates.icons,
    };
    let processed = process_files(&root, &ctx, work, &mut timings);
    let files = reused.len() + processed.len();
    // What the files read again said before, for an incremental resolve.
    let references_before: Vec<Option<Arc<[ReferenceUse]>>> = processed
        .iter()
        .map(|(file, _)| {
            let (_, before) = cache.files.get(&file.rel)?;
            file.stamp.map(|_| Arc::clone(&before.references))
        })
        .collect();
    let mut results: Vec<FileResult> = Vec::new();
    let mut changed = Vec::with_capacity(processed.len());
    for (file, result) in processed {
        if let Some(stamp) = file.stamp {
            cache
                .files
                .insert(file.rel.clone(), (stamp, result.clone()));
        }
        changed.push(file.rel);
        results.push(result);
    }
    let reused: Vec<String> = reused.into_iter().map(str::to_string).collect();
    cache
        .files
        .retain(|path, _| listing.files.contains_key(path));
    let modified = listing
        .files
        .iter()
        .filter_map(|(path, file)| Some((path.clone(), file.stamp?.modified)))
        .collect();
    cache.listing = Some(listing);
    let mut patched_graph = false;
    let site = timings.time("resolve", || {
        let patched = cache.resolved.as_ref().and_then(|previous| {
            let changed: Option<Vec<_>> = results
                .iter()
                .zip(&references_before)
                .map(|(result, before)| Some((result, before.clone()?)))
                .collect();
            patch_site(
                previous,
                &changed?,
                registry.clone(),
                &site_config.config,
                files,
            )
        });
        patched_graph = patched.is_some();
        let (mut site, graph_diagnostics) = match patched {
            Some((site, graph)) => {
                // Each file's own problems, in the full resolve collected from every result.
                for path in reused.iter().chain(&changed) {
                    if let Some((_, result)) = cache.files.get(path) {
                        diagnostics.extend(result.diagnostics.iter().cloned());
                    }
                }
                diagnostics.extend(graph.iter().cloned());
                (site, graph)
            }
            None => {
                // Every file, in path order, whether it came from the cache or not.
                results.extend(
                    reused
                        .iter()
                        .filter_map(|path| cache.files.get(path).map(|(_, r)| r.clone())),
                );
                results.sort_by(|a, b| a.path.cmp(&b.path));
                let context = ResolveContext {
                    root,
                    registry,
                    results,
                    config: site_config.config.clone(),
                };
                resolve_site_with_graph_diagnostics(context, &mut diagnostics)
            }
        };
        if let Some(text) = site_config.text {
            site.sources.insert(CONFIG_FILE.to_string(), text.into());
        }
        // So that a diagnostic in a model file or a template shows its line; the renderer
        // reads the site's templates from here.
        for (path, text) in model_texts.iter().chain(&site_templates.texts) {
            site.sources.insert(path.clone(), text.as_str().into());
        }
        if let Some(stackbit) = &cache.stackbit {
            for (path, text) in &stackbit.sources {
                site.sources.insert(path.clone(), Arc::clone(text));
            }
            site.stackbit = Arc::clone(stackbit);
        }
        let site = Arc::new(site);
        cache.resolved = Some(Resolved {
            site: Arc::clone(&site),
            graph_diagnostics,
        });
        diagnostics.extend(crate::links::check_urls_cached(&site, &mut cache.urls));
        // A site of plain Markdown pages may go without a header on purpose; one with data
        // files or Stackbit models is a Stackbit site, whose config is missing by mistake.
        let stackbit_shaped = !site.stackbit.models.is_empty()
            || site
                .objects
                .keys()
                .any(|path| path.starts_with("content/data/"));
        // A config file that could not be read has its own error: no second warning.
        let config_unreadable = diagnostics
            .iter()
            .any(|d| d.is_error() && d.file.as_deref() == Some("content/data/config.json"));
        if site.config.is_none() && stackbit_shaped && !config_unreadable {
            diagnostics.push(no_config());
        }
        sort_diagnostics(&mut diagnostics);
        site
    });
    Ok(LoadedSite {
        site,
        diagnostics,
        files,
        timings,
        context,
        modified,
        patched: patched_graph,
    })
}

/// The warning for a Stackbit site without its `Config` data file (deleted, or never
/// written): every page loses its header, footer and favicon, and the original theme's build
/// fails.
fn no_config() -> Diagnostic {
    Diagnostic::warning(
        "content/no-config",
        "the site has no `content/data/config.json` (a `Config` object): pages have no header, footer or favicon",
    )
    .with_help("write `content/data/config.json` with `\"type\": \"Config\"` and a `header` and `footer`, or restore it from git; the original theme's build fails without it")
}

/// The site's Stackbit files: those of the previous load while none of them is named changed,
/// else read again.
fn read_stackbit(
    root: &SiteRoot,
    previous: Option<Arc<StackbitSite>>,
    changed: Changed<'_>,
) -> Arc<StackbitSite> {
    let unchanged = match changed {
        Changed::Paths(paths) => !paths.iter().any(|p| {
            p == ".stackbit" || p.starts_with(".stackbit/") || CONFIG_FILES.contains(&p.as_str())
        }),
        Changed::Unknown => false,
    };
    match previous {
        Some(previous) if unchanged => previous,
        _ => Arc::new(load_stackbit(root)),
    }
}

/// What validation depends on of the Stackbit files: their paths and texts.
fn stackbit_fingerprint(stackbit: &StackbitSite) -> u64 {
    let texts: Vec<(&str, &str)> = stackbit
        .sources
        .iter()
        .map(|(p, t)| (p.as_str(), &**t))
        .collect();
    fingerprint(&texts)
}

/// Read, parse and validate `work`, each file in one go on whichever core takes it: its bytes
/// are turned into its text while the next file is read, so a large site never holds every
/// file twice (which, at 100,000 files, is half a gigabyte of fresh pages to fault in). The
/// wall time is recorded as the stages `read`, `parse` and `validate`, split in proportion to
/// the time each took summed over the cores.
fn process_files(
    root: &SiteRoot,
    ctx: &ValidationContext<'_>,
    work: Vec<(FoundFile, FileKind)>,
    timings: &mut StageTimes,
) -> Vec<(FoundFile, FileResult)> {
    let started = Instant::now();
    let spent: [AtomicU64; 3] = Default::default();
    let processed: Vec<_> = work
        .into_par_iter()
        .map(|(file, kind)| {
            let t0 = Instant::now();
            let bytes = root.read(&file);
            let t1 = Instant::now();
            let parsed = bytes
                .map_err(|d| failed_read(&file, d))
                .and_then(|bytes| parse_file(&file.rel, kind, bytes));
            let t2 = Instant::now();
            let result = match parsed {
                Ok(parsed) => validate_file(ctx, parsed),
                Err(failed) => failed,
            };
            let t3 = Instant::now();
            for (total, (from, to)) in spent.iter().zip([(t0, t1), (t1, t2), (t2, t3)]) {
                let nanos = u64::try_from((to - from).as_nanos()).unwrap_or(u64::MAX);
                total.fetch_add(nanos, Ordering::Relaxed);
            }
            (file, result)
        })
        .collect();
    let wall = started.elapsed();
    let spent = spent.map(|s| s.into_inner() as f64);
    let sum: f64 = spent.iter().sum();
    for (name, part) in ["read", "parse", "validate"].into_iter().zip(spent) {
        let share = if sum > 0.0 { part / sum } else { 0.0 };
        timings.record(name, wall.mul_f64(share));
    }
    processed
}

fn failed_read(file: &FoundFile, d: Diagnostic) -> FileResult {
    FileResult {
        path: file.rel.clone(),
        text: "".into(),
        object: None,
        diagnostics: vec![d],
        references: Arc::from([]),
        urls: Arc::from([]),
        version: 0,
    }
}

/// What the site's own templates folder provides: its templates and icons by name, and their
/// text (kept with the site's sources, so that the renderer reads them from there and a
/// template error shows the template's line).
#[derive(Debug, Default)]
struct SiteTemplates {
    /// Templates of types (`templates/<Type>.html` → `Type`).
    types: HashSet<String>,
    /// Icons (`templates/icons/<name>.svg` → `name`).
    icons: HashSet<String>,
    /// Site-relative path and text of each template and icon.
    texts: Vec<(String, String)>,
}

impl SiteTemplates {
    /// Every name, sorted (what validation depends on).
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .types
            .iter()
            .cloned()
            .chain(self.icons.iter().map(|i| format!("icons/{i}.svg")))
            .collect();
        names.sort();
        names
    }
}

/// Read `templates/**/*.html` and `templates/icons/*.svg`.
fn read_site_templates(root: &SiteRoot, diagnostics: &mut Vec<Diagnostic>) -> SiteTemplates {
    let (files, walk_diagnostics) = root.walk("templates");
    diagnostics.extend(walk_diagnostics);
    let mut found = SiteTemplates::default();
    for file in &files {
        let Some(rel) = file.rel.strip_prefix("templates/") else {
            continue;
        };
        let icon = rel
            .strip_prefix("icons/")
            .and_then(|r| r.strip_suffix(".svg"));
        let template = rel.strip_suffix(".html");
        if icon.is_none() && template.is_none() {
            continue;
        }
        match root.read(file) {
            Ok(bytes) => {
                let code = "render/template-not-utf8";
                let (text, problem) = decode_text(&file.rel, bytes, Severity::Error, code);
                diagnostics.extend(problem);
                found.texts.push((file.rel.clone(), text));
            }
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        }
        match (icon, template) {
            (Some(icon), _) => found.icons.insert(icon.to_string()),
            (None, Some(name)) => found.types.insert(name.to_string()),
            (None, None) => false,
        };
    }
    found
}

/// Read `models/*.{yaml,yml,json}`: a site's own models, in the registry's shape.
/// Returns what was read (path and text of each model file), which validation depends on.
fn load_site_models(
    root: &SiteRoot,
    registry: &mut Registry,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut read = Vec::new();
    let (files, walk_diagnostics) = root.walk("models");
    diagnostics.extend(walk_diagnostics);
    for file in files {
        let is_json = file.rel.ends_with(".json");
        if !is_json && !file.rel.ends_with(".yaml") && !file.rel.ends_with(".yml") {
            continue;
        }
        let text = match root.read(&file) {
            Ok(bytes) => match decode_text(&file.rel, bytes, Severity::Error, "model/invalid-utf8")
            {
                (text, None) => text,
                (text, Some(d)) => {
                    diagnostics.push(d);
                    read.push((file.rel.clone(), text));
                    continue;
                }
            },
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        read.push((file.rel.clone(), text.clone()));
        let parsed = if is_json {
            crate::json::parse_json(&text)
        } else {
            parse_yaml(&text, 0)
        };
        let node = match parsed {
            Ok(node) => node,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(e.code, e.message)
                        .in_file(file.rel.clone())
                        .at(e.span),
                );
                continue;
            }
        };
        match Model::from_value(to_json(&node)) {
            Ok(model) => registry.insert_site_model(model),
            Err(e) => diagnostics.push(
                Diagnostic::error("model/invalid-model", format!("`{}` is not a valid model: {}", file.rel, e.message))
                    .in_file(file.rel.clone())
                    .at(node.span_at(&e.path))
                    .with_help("a model file has `name`, `kind` (page, data or object) and `fields` (each with `name` and `type`), like folio's built-in models (`folio schema` shows them)"),
            ),
        }
    }
    read
}
