//! The render stage, incremental: every route of the site is rendered, or taken from the
//! previous build when nothing it read has changed since.
//!
//! Each render records what it read ([`Dep`]: content files by version, the order of posts or
//! projects); what every page reads (config, theme style, templates, image sizes, options) is
//! one fingerprint ([`Renderer::fingerprint`]). A route is reused only when that fingerprint
//! and every recorded input are unchanged, so a reused page is byte for byte what rendering it
//! again would give (`tests/testsuite/incremental.rs` checks this against full builds).

use crate::{FileBytes, NOT_FOUND_PATH, STYLESHEET_PATH};
use folio_content::{
    fingerprint, url::output_path_for_url, ContentObject, FastMap, LoadedSite, Route, Site,
    StageTimes,
};
use folio_diag::Diagnostic;
use folio_render::css::{class_attributes, classes_of, site_stylesheet};
use folio_render::deps::Versions;
use folio_render::{CardCache, Dep, RenderOptions, Renderer, TemplateTime};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The distinct `class` attribute values of a page, shared between pages that have the same.
type ClassList = Arc<[Box<str>]>;

/// What one route rendered to, kept for the next build.
#[derive(Debug, Clone)]
struct CachedRoute {
    /// Which page it belongs to (its file), for the feed page number too.
    page_path: Arc<str>,
    number: usize,
    /// Where it is written (`blog/a/index.html`).
    output_path: Arc<str>,
    html: FileBytes,
    /// Every recorded input with its version at the time.
    deps: Arc<[(Dep, Option<u64>)]>,
    classes: ClassList,
    /// Its `<main>` shows nothing (see `empty_page.rs`).
    empty: bool,
}

/// Renders of the previous build, by URL. `folio serve` keeps one between rebuilds; a one-off
/// build starts from an empty one.
#[derive(Debug, Default)]
pub struct RenderCache {
    fingerprint: u64,
    routes: FastMap<String, CachedRoute>,
    /// The stylesheet, with a hash of the classes and theme it was generated for.
    stylesheet: Option<(u64, FileBytes)>,
    /// The class list of the "page not found" document when the stylesheet was made.
    not_found_classes: Option<ClassList>,
    /// Feed cards, reused between builds (a feed lists every post).
    cards: Arc<CardCache>,
}

/// Every file a render produces: pages (`blog/a/index.html`), the stylesheet and fonts.
#[derive(Debug, Default)]
pub struct RenderedSite {
    /// Output path → contents.
    pub files: Vec<(String, FileBytes)>,
    /// Number of HTML pages among them.
    pub pages: usize,
    /// How many of those were rendered (the others were reused from the previous build).
    pub rendered: usize,
    /// Template problems (errors stop the build).
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of rendering and of generating the stylesheet.
    pub timings: StageTimes,
    /// Self time per template, slowest first.
    pub templates: Vec<(String, TemplateTime)>,
}

/// A route's render, and whether it was rendered now (rather than reused).
type Outcome = Result<(CachedRoute, bool), Diagnostic>;

/// Where `folio build` puts each page as soon as it is rendered (output path, bytes): written
/// by the rendering thread, so that writing overlaps rendering and no page is held in memory
/// until the end.
pub type PageSink<'a> = &'a (dyn Fn(&str, &[u8]) + Sync);

/// Render every route of a loaded site with `options` (reusing what `cache` holds that is still
/// valid), then the stylesheet for the classes the pages use; `cache` is updated for the next
/// build.
///
/// With a `sink`, pages go there as they are rendered instead of into
/// [`RenderedSite::files`], and are not kept: the cache is then emptied, since it holds no
/// pages to reuse.
pub fn render_site(
    loaded: &LoadedSite,
    options: RenderOptions,
    cache: &mut RenderCache,
    sink: Option<PageSink<'_>>,
    progress: &crate::ProgressSink,
) -> RenderedSite {
    let site = &loaded.site;
    let mut timings = StageTimes::default();
    let started = Instant::now();
    let (renderer, mut diagnostics) =
        Renderer::with_cards(Arc::clone(site), options, Arc::clone(&cache.cards));
    let global = fingerprint(&(renderer.fingerprint(), loaded.context));
    if cache.fingerprint != global {
        cache.routes.clear();
        cache.fingerprint = global;
    }
    let versions = renderer.versions();
    let lists = Mutex::new(HashSet::<ClassList>::new());
    let routes = site.routes();
    let reusable: Vec<Option<&CachedRoute>> = routes
        .par_iter()
        .map(|route| {
            cache
                .routes
                .get(&route.url)
                .filter(|cached| still_valid(cached, route, site, versions))
        })
        .collect();
    timings.record("reuse check", started.elapsed());
    let started = Instant::now();
    progress.begin("pages", routes.len());
    let outcomes: Vec<(String, Outcome)> = routes
        .par_iter()
        .zip(reusable)
        .map(|(route, reused)| {
            let outcome = match reused {
                Some(cached) => {
                    let mut cached = cached.clone();
                    if let Some(sink) = sink {
                        sink(&cached.output_path, &cached.html);
                        cached.html = Arc::from(&[][..]);
                    }
                    Ok((cached, false))
                }
                None => {
                    render_route(&renderer, route, site, versions, &lists, sink).map(|r| (r, true))
                }
            };
            progress.advance(1);
            (route.url.clone(), outcome)
        })
        .collect();
    timings.record("render", started.elapsed());

    let started = Instant::now();
    let mut files = Vec::with_capacity(outcomes.len() + 8);
    let mut kept = FastMap::with_capacity_and_hasher(outcomes.len(), Default::default());
    let (mut rendered, mut pages) = (0, 0);
    // Whether the set of class lists may differ from the previous build's (then the classes
    // are gathered again): a route rendered with other classes than before, or one gone.
    let mut classes_may_differ = cache.stylesheet.is_none() || outcomes.len() != cache.routes.len();
    let mut failed = Vec::new();
    for (url, outcome) in outcomes {
        match outcome {
            Ok((route, fresh)) => {
                if route.empty {
                    if let Some(page) = site.page_by_path(&route.page_path) {
                        let object = &site.pages[page].object;
                        diagnostics.push(crate::empty_page::empty_page_warning(object, &url));
                    }
                }
                if fresh {
                    rendered += 1;
                    classes_may_differ |= cache
                        .routes
                        .get(&url)
                        .is_none_or(|before| before.classes != route.classes);
                }
                if sink.is_none() {
                    files.push((route.output_path.to_string(), Arc::clone(&route.html)));
                }
                pages += 1;
                kept.insert(url, route);
            }
            Err(d) => {
                classes_may_differ = true;
                failed.push(d);
            }
        }
    }
    diagnostics.extend(once_per_fault(failed));
    cache.routes = kept;
    let routes = &cache.routes;
    cache.cards.end_build(|| {
        routes
            .values()
            .flat_map(|r| r.deps.iter().map(|d| &d.0))
            .collect()
    });
    // The theme's "page not found", unless the site has its own (`content/pages/404.md`).
    let own_not_found = routes.values().any(|r| &*r.output_path == NOT_FOUND_PATH);
    let not_found = if own_not_found {
        None
    } else {
        match renderer.render_not_found() {
            Ok(html) => {
                let classes: ClassList = class_attributes(&html).into();
                files.push((NOT_FOUND_PATH.to_string(), Arc::from(html.into_bytes())));
                Some(classes)
            }
            Err(d) => {
                diagnostics.push(d);
                None
            }
        }
    };
    classes_may_differ |= cache.not_found_classes != not_found;
    cache.not_found_classes = not_found;
    let style = site.theme_style.as_deref();
    let css = match &cache.stylesheet {
        Some((_, css)) if !classes_may_differ => Arc::clone(css),
        _ => stylesheet(cache, global, style),
    };
    files.push((STYLESHEET_PATH.to_string(), css));
    let scripts = crate::search::search_scripts();
    files.push((scripts.loader_path.clone(), Arc::clone(&scripts.loader)));
    for font in folio_render::asset_names::fonts() {
        files.push((format!("assets/fonts/{}", font.file), Arc::from(font.bytes)));
    }
    timings.record("stylesheet", started.elapsed());
    if sink.is_some() {
        // Its routes hold no pages: nothing in it can be reused.
        *cache = RenderCache::default();
    }
    let templates = renderer.profile().slowest();
    // Dropping the renderer frees a value per page of the site: done off the rebuild's path.
    std::thread::spawn(move || drop(renderer));
    RenderedSite {
        files,
        pages,
        rendered,
        diagnostics,
        timings,
        templates,
    }
}

/// The render errors of the pages, one per fault: an error in one of the site's templates is
/// met by every page that uses it, and is reported once, at the template's line, saying how
/// many pages met it.
fn once_per_fault(failed: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut faults: Vec<(Diagnostic, usize)> = Vec::new();
    // A fault: a template file and the bytes of it that failed.
    type Fault = (Option<String>, Option<(usize, usize)>);
    let mut index: HashMap<Fault, usize> = HashMap::new();
    for d in failed {
        let in_template = d
            .file
            .as_deref()
            .is_some_and(|f| f.starts_with("templates/"));
        if !in_template {
            faults.push((d, 1));
            continue;
        }
        let key = (d.file.clone(), d.span.map(|s| (s.start, s.end)));
        match index.get(&key) {
            Some(&at) => faults[at].1 += 1,
            None => {
                index.insert(key, faults.len());
                faults.push((d, 1));
            }
        }
    }
    faults
        .into_iter()
        .map(|(mut d, pages)| {
            let more = match pages {
                1 => return d,
                2 => " and 1 more page".to_string(),
                n => format!(" and {} more pages", n - 1),
            };
            match &mut d.label {
                Some(label) => label.push_str(&more),
                None => d.message.push_str(&format!(" (on{more})")),
            }
            d
        })
        .collect()
}

/// The stylesheet for the classes of every page in `cache` (generated again only when that set
/// of classes or the site-wide inputs differ from the cached stylesheet's).
fn stylesheet(cache: &mut RenderCache, global: u64, style: Option<&ContentObject>) -> FileBytes {
    let mut seen = HashSet::new();
    let mut lists: Vec<&ClassList> = cache.not_found_classes.iter().collect();
    for route in cache.routes.values() {
        // Pages share lists; each distinct one is read once.
        if seen.insert(Arc::as_ptr(&route.classes) as *const u8 as usize) {
            lists.push(&route.classes);
        }
    }
    let classes = classes_of(lists.iter().flat_map(|l| l.iter().map(|c| &**c)));
    let key = fingerprint(&(&classes, global));
    if let Some((k, css)) = &cache.stylesheet {
        if *k == key {
            return Arc::clone(css);
        }
    }
    let css: FileBytes = Arc::from(site_stylesheet(style, &classes).into_bytes());
    cache.stylesheet = Some((key, Arc::clone(&css)));
    css
}

/// Whether a cached render of this URL is still what rendering `route` would give.
fn still_valid(cached: &CachedRoute, route: &Route, site: &Site, versions: &Versions) -> bool {
    *cached.page_path == *site.pages[route.page].object.path
        && cached.number == route.number
        && versions.unchanged(&cached.deps)
}

fn render_route(
    renderer: &Renderer,
    route: &Route,
    site: &Site,
    versions: &Versions,
    lists: &Mutex<HashSet<ClassList>>,
    sink: Option<PageSink<'_>>,
) -> Result<CachedRoute, Diagnostic> {
    let page = renderer.render_page(route)?;
    let empty = route.number == 1 && crate::empty_page::main_is_empty(&page.html);
    let deps = versions.stamp(page.deps);
    let classes: ClassList = class_attributes(&page.html).into();
    let classes = {
        let mut lists = match lists.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        match lists.get(&classes) {
            Some(shared) => Arc::clone(shared),
            None => {
                lists.insert(Arc::clone(&classes));
                classes
            }
        }
    };
    // The site's own 404 page replaces the theme's.
    let output_path: Arc<str> = if route.url == crate::SITE_NOT_FOUND_URL {
        crate::NOT_FOUND_PATH.into()
    } else {
        output_path_for_url(&route.url).into()
    };
    let html = match sink {
        Some(sink) => {
            sink(&output_path, page.html.as_bytes());
            Arc::from(&[][..])
        }
        None => Arc::from(page.html.into_bytes()),
    };
    Ok(CachedRoute {
        page_path: site.pages[route.page].object.path.as_str().into(),
        number: route.number,
        output_path,
        html,
        deps: deps.into(),
        classes,
        empty,
    })
}
