//! The resolve stage: URLs, references, posts and projects by date, prev/next projects and
//! feed pagination (MODEL.md §1, §5). Produces the immutable [`Site`].

use crate::config::SiteConfig;
use crate::document::FileResult;
use crate::site::{ContentObject, FileKind, Page, Pagination, Site};
use crate::site_fs::{is_safe_relative, SiteRoot};
use crate::source::SourceMap;
use crate::validate::ReferenceUse;
use crate::FastMap;
use folio_diag::Diagnostic;
use folio_model::{closest_match, ModelKind, Registry};
use std::cmp::Ordering;
use std::sync::Arc;

/// What the resolve stage is handed: the site's folder, its models, its processed files (in
/// path order) and its `folio.toml`.
#[derive(Debug)]
pub struct ResolveContext {
    /// The site folder.
    pub root: SiteRoot,
    /// Built-in and site models.
    pub registry: Registry,
    /// Every content file, processed, in path order.
    pub results: Vec<FileResult>,
    /// `folio.toml` (defaults without one).
    pub config: SiteConfig,
}

/// Build the site graph from processed files, adding resolution problems to `diagnostics`.
pub fn resolve_site(context: ResolveContext, diagnostics: &mut Vec<Diagnostic>) -> Site {
    resolve_site_with_graph_diagnostics(context, diagnostics).0
}

/// [`resolve_site`], also returning the problems found by the resolver itself (references,
/// URLs shared by two pages), apart from each file's own: what an incremental resolve
/// ([`crate::patch`]) carries over.
pub(crate) fn resolve_site_with_graph_diagnostics(
    context: ResolveContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Site, Vec<Diagnostic>) {
    let ResolveContext {
        root,
        registry,
        results,
        config: site_config,
    } = context;
    let mut sources = SourceMap::default();
    let mut objects: FastMap<String, Arc<ContentObject>> =
        FastMap::with_capacity_and_hasher(results.len(), Default::default());
    let mut references = Vec::new();
    let mut urls = Vec::new();
    // Every file read (valid or not), with its version.
    let mut versions = FastMap::with_capacity_and_hasher(results.len(), Default::default());
    // Objects in path order (the order of `results`), for a deterministic choice of pages.
    let mut in_order = Vec::with_capacity(results.len());
    let mut skipped = FastMap::default();
    for result in results {
        versions.insert(result.path.clone(), result.version);
        if result.object.is_none() && result.path.starts_with("content/pages/") {
            let why = result
                .diagnostics
                .iter()
                .find(|d| d.severity >= folio_diag::Severity::Warning)
                .map_or_else(|| "it could not be read".to_string(), |d| d.message.clone());
            for legacy in [false, true] {
                let url = crate::url::url_for_page(&result.path, legacy);
                skipped.insert(url, (result.path.clone(), why.clone()));
            }
        }
        diagnostics.extend(result.diagnostics);
        sources.insert(result.path.clone(), result.text);
        if !result.references.is_empty() {
            references.push((result.path.clone(), result.references));
        }
        if !result.urls.is_empty() {
            urls.push((result.path.clone(), result.urls));
        }
        if let Some(object) = result.object {
            in_order.push(Arc::clone(&object));
            objects.insert(result.path, object);
        }
    }
    let graph_start = diagnostics.len();
    for (file, uses) in &references {
        for reference in uses.iter() {
            check_reference(&objects, &versions, file, reference, diagnostics);
        }
    }
    let pages = collect_pages(&registry, &in_order, diagnostics);
    let by_date = |model: &str| {
        let mut list: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].object.is(model))
            .collect();
        list.sort_by(|&a, &b| newest_first(&pages[a].object, &pages[b].object));
        list
    };
    let posts = by_date("PostLayout");
    let projects = by_date("ProjectLayout");
    let category_posts = posts_by_category(&pages, &posts);
    let mut pages = pages;
    link_projects(&mut pages, &projects);
    paginate_feeds(
        &mut pages,
        &site_config,
        |page| category_posts.get(&page).map_or(posts.len(), Vec::len),
        projects.len(),
    );
    let config = first_of_model(&objects, "Config", "content/data/config.json");
    let theme_style = objects.get("content/data/style.json").cloned();
    let page_index = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.object.path.clone(), i))
        .collect();
    let graph_diagnostics = diagnostics[graph_start..].to_vec();
    let site = Site {
        root,
        registry,
        sources,
        objects,
        pages,
        posts,
        projects,
        category_posts,
        config,
        theme_style,
        versions,
        page_index: Arc::new(page_index),
        site_config,
        urls,
        skipped: Arc::new(skipped),
        stackbit: Arc::default(),
    };
    (site, graph_diagnostics)
}

/// Newest first; undated last; ties by path.
fn newest_first(a: &ContentObject, b: &ContentObject) -> Ordering {
    match (a.date, b.date) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.path.cmp(&b.path))
}

/// The pages among `objects` (sorted by path, so that the first file keeps a contested URL).
fn collect_pages(
    registry: &Registry,
    objects: &[Arc<ContentObject>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut by_url: FastMap<String, &str> =
        FastMap::with_capacity_and_hasher(objects.len(), Default::default());
    let mut pages = Vec::with_capacity(objects.len());
    for object in objects {
        let path = &object.path;
        let is_page = object.file_kind == FileKind::Page
            && object.model.as_deref().is_some_and(|m| {
                registry
                    .get(m)
                    .is_none_or(|model| model.kind == ModelKind::Page)
            });
        if !is_page {
            continue;
        }
        let url = object.page_url.clone();
        if let Some(first) = by_url.get(&url) {
            diagnostics.push(
                Diagnostic::error(
                    "content/duplicate-url",
                    format!("`{path}` and `{first}` both map to the URL `{url}`"),
                )
                .in_file(path.clone())
                .at(object.type_span)
                .with_label("this page is not built")
                .with_help(
                    "rename or move one of the files (URLs come from the path up to its first `.`)",
                ),
            );
            continue;
        }
        by_url.insert(url.clone(), path);
        pages.push(Page {
            object: Arc::clone(object),
            url,
            prev_project: None,
            next_project: None,
            pagination: None,
        });
    }
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

/// With projects newest first, the "next" project is the newer neighbour and the "previous"
/// one the older neighbour; no wrap-around.
fn link_projects(pages: &mut [Page], projects: &[usize]) {
    for (i, &page) in projects.iter().enumerate() {
        pages[page].next_project = i.checked_sub(1).map(|j| projects[j]);
        pages[page].prev_project = projects.get(i + 1).copied();
    }
}

/// The posts of every category page (`PostFeedCategoryLayout`), newest first: those whose
/// `category` names the page's file, as the starter's `getAllCategoryPostsSorted` selects them.
/// A category no post names lists none.
fn posts_by_category(pages: &[Page], posts: &[usize]) -> FastMap<usize, Vec<usize>> {
    let mut by_category: FastMap<usize, Vec<usize>> = pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.object.is(CATEGORY_LAYOUT))
        .map(|(i, _)| (i, Vec::new()))
        .collect();
    if by_category.is_empty() {
        return by_category;
    }
    let by_path: FastMap<&str, usize> = by_category
        .keys()
        .map(|&i| (pages[i].object.path.as_str(), i))
        .collect();
    for &post in posts {
        let category = pages[post].object.str("category");
        if let Some(list) = category
            .and_then(|c| by_path.get(c))
            .and_then(|i| by_category.get_mut(i))
        {
            list.push(post);
        }
    }
    by_category
}

/// The page model of the starter's category pages: a post feed of one category.
pub const CATEGORY_LAYOUT: &str = "PostFeedCategoryLayout";

/// Feed pagination: `numOfPostsPerPage` / `numOfProjectsPerPage` above 0 split a feed; a feed
/// page without the field takes `[pagination]` of `folio.toml` (the page's own field wins, even
/// `0`, which means one page). `posts` is how many posts page `i` lists (a category page lists
/// its category's).
fn paginate_feeds(
    pages: &mut [Page],
    config: &SiteConfig,
    posts: impl Fn(usize) -> usize,
    projects: usize,
) {
    let defaults = &config.pagination;
    for (i, page) in pages.iter_mut().enumerate() {
        let (key, total, default) =
            if page.object.is("PostFeedLayout") || page.object.is(CATEGORY_LAYOUT) {
                ("numOfPostsPerPage", posts(i), defaults.posts_per_page)
            } else if page.object.is("ProjectFeedLayout") {
                ("numOfProjectsPerPage", projects, defaults.projects_per_page)
            } else {
                continue;
            };
        let per_page = match page.object.data.get(key).filter(|v| !v.is_null()) {
            Some(value) => value.as_f64().unwrap_or(0.0),
            None => f64::from(default.unwrap_or(0)),
        };
        if per_page >= 1.0 {
            let per_page = per_page as usize;
            page.pagination = Some(Pagination {
                per_page,
                pages: total.div_ceil(per_page).max(1),
            });
        }
    }
}

fn first_of_model(
    objects: &FastMap<String, Arc<ContentObject>>,
    model: &str,
    preferred: &str,
) -> Option<Arc<ContentObject>> {
    if let Some(o) = objects.get(preferred).filter(|o| o.is(model)) {
        return Some(Arc::clone(o));
    }
    let mut candidates: Vec<&Arc<ContentObject>> =
        objects.values().filter(|o| o.is(model)).collect();
    candidates.sort_by(|a, b| a.path.cmp(&b.path));
    candidates.first().map(|o| Arc::clone(o))
}

pub(crate) fn check_reference(
    objects: &FastMap<String, Arc<ContentObject>>,
    all_files: &FastMap<String, u64>,
    file: &str,
    reference: &ReferenceUse,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let target = reference.target.as_str();
    let base = || {
        Diagnostic::error("content/reference-outside-site", "")
            .in_file(file)
            .at(reference.span)
    };
    if !is_safe_relative(target) {
        let mut d = base();
        d.message = format!("`{}` points outside the site", reference.field_path);
        diagnostics.push(
            d.with_label("folio never reads outside the site")
                .with_help(
                    "references are site-relative paths such as `content/data/team/jane-doe.json`",
                ),
        );
        return;
    }
    if let Some(object) = objects.get(target) {
        let matches = match &object.model {
            None => true,
            Some(model) => reference.models.iter().any(|m| m == model),
        };
        if !matches {
            let model = object.model.as_deref().unwrap_or_default();
            // The original resolves a reference by its path, whatever the model says.
            diagnostics.push(
                Diagnostic::warning(
                    "content/reference-wrong-model",
                    format!(
                        "`{}` should reference a {}, but `{target}` is a `{model}`",
                        reference.field_path,
                        reference.models.join(" or ")
                    ),
                )
                .in_file(file)
                .at(reference.span)
                .with_label("another kind of file")
                .with_help(format!(
                    "folio uses it, as the original does; to declare it, add `{model}` to the field's `models`"
                )),
            );
        }
        return;
    }
    if all_files.contains_key(target) {
        return; // the target exists but has its own errors, reported there
    }
    let candidates: Vec<&str> = objects
        .values()
        .filter(|o| {
            o.model
                .as_ref()
                .is_none_or(|m| reference.models.contains(m))
        })
        .map(|o| o.path.as_str())
        .collect();
    let suggestion = closest_match(target, candidates.iter().copied()).or_else(|| {
        // Compare file names too: `team/luke.hook.json` vs `team/luke-hook.json`.
        let name = target.rsplit('/').next().unwrap_or(target);
        candidates
            .iter()
            .copied()
            .filter(|c| closest_match(name, [c.rsplit('/').next().unwrap_or(c)]).is_some())
            .min_by_key(|c| strsim::levenshtein(target, c))
    });
    let mut d = Diagnostic::warning(
        "content/broken-reference",
        format!(
            "`{}` references `{target}`, which does not exist",
            reference.field_path
        ),
    )
    .in_file(file)
    .at(reference.span)
    .with_label("no such file; the reference is left out");
    if let Some(s) = suggestion {
        d = d.with_help(format!("did you mean `{s}`?"));
    }
    diagnostics.push(d);
}
