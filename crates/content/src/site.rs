//! The site graph: every object, every page with its URL, and the derived lists (posts and
//! projects by date, prev/next, pagination). Built once by the resolver, then read-only and
//! shared by all render tasks.

use crate::config::SiteConfig;
use crate::date::ContentDate;
use crate::site_fs::SiteRoot;
use crate::source::SourceMap;
use crate::FastMap;
use folio_diag::Span;
use folio_model::Registry;
use serde_json::{Map, Value as Json};
use std::sync::Arc;

/// Whether an object lives in a page or a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `content/pages/**/*.md`.
    Page,
    /// `content/data/**/*.{json,yaml,yml}`.
    Data,
}

impl FileKind {
    /// The kind of the site-relative file `rel`, if it is a content file.
    pub fn of(rel: &str) -> Option<FileKind> {
        if rel.starts_with("content/pages/") && rel.ends_with(".md") {
            Some(FileKind::Page)
        } else if rel.starts_with("content/data/")
            && [".json", ".yaml", ".yml"].iter().any(|e| rel.ends_with(e))
        {
            Some(FileKind::Data)
        } else {
            None
        }
    }
}

/// One content file's object after validation.
#[derive(Debug, Clone)]
pub struct ContentObject {
    /// Site-relative path, which is also the object's id (`content/pages/blog/a.md`).
    pub path: String,
    /// Page or data file.
    pub file_kind: FileKind,
    /// Model name, or `None` for an untyped data file.
    pub model: Option<String>,
    /// The normalised fields (always with `type` when the model is known).
    pub data: Map<String, Json>,
    /// The Markdown body, for models that render one.
    pub body: Option<Arc<str>>,
    /// Where the model is named (`type:` value), for diagnostics about the whole file.
    pub type_span: Span,
    /// The file uses the older `layout:` key.
    pub legacy: bool,
    /// `date`, parsed.
    pub date: Option<ContentDate>,
    /// The URL the file has if it is a page ([`crate::url::url_for_page`]), computed once with
    /// the object rather than on every rebuild.
    pub page_url: String,
}

impl ContentObject {
    /// A string field.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.data.get(key).and_then(Json::as_str)
    }

    /// A person's `firstName lastName` (the parts that are there), or `None` when neither is.
    pub fn person_name(&self) -> Option<String> {
        let name = [self.str("firstName"), self.str("lastName")]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!name.is_empty()).then_some(name)
    }

    /// Whether the object has model `name`.
    pub fn is(&self, name: &str) -> bool {
        self.model.as_deref() == Some(name)
    }
}

/// Legacy feed pagination (MODEL.md §5): how many pages a feed has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// Items per page (never 0).
    pub per_page: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
}

/// A page of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its object.
    pub object: Arc<ContentObject>,
    /// URL with trailing slash.
    pub url: String,
    /// Older neighbour (projects only): shown as "Previous project".
    pub prev_project: Option<usize>,
    /// Newer neighbour (projects only): shown as "Next project".
    pub next_project: Option<usize>,
    /// Feed pagination, when the feed is split.
    pub pagination: Option<Pagination>,
}

/// One output page: a page, and which page of its feed (1 unless paginated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Index into [`Site::pages`].
    pub page: usize,
    /// 1-based page number of a paginated feed.
    pub number: usize,
    /// URL (`/blog/`, `/blog/page/2/`).
    pub url: String,
}

/// The resolved site.
#[derive(Debug)]
pub struct Site {
    /// The site folder.
    pub root: SiteRoot,
    /// Built-in and site models.
    pub registry: Registry,
    /// Every file's text.
    pub sources: SourceMap,
    /// Every valid object by path.
    pub objects: FastMap<String, Arc<ContentObject>>,
    /// Every page, sorted by URL.
    pub pages: Vec<Page>,
    /// Indexes of posts (PostLayout pages), newest first, ties by path.
    pub posts: Vec<usize>,
    /// Indexes of projects, newest first, ties by path.
    pub projects: Vec<usize>,
    /// The posts of each category page (`PostFeedCategoryLayout`), newest first, by the
    /// category page's index: the posts whose `category` names that page's file.
    pub category_posts: FastMap<usize, Vec<usize>>,
    /// The site configuration object (first `Config`).
    pub config: Option<Arc<ContentObject>>,
    /// The theme style (`content/data/style.json`).
    pub theme_style: Option<Arc<ContentObject>>,
    /// Every content file's version (a hash of its bytes), by path.
    pub versions: FastMap<String, u64>,
    /// Index into [`Site::pages`] by file path.
    /// (Shared: a rebuild that patches the graph keeps the same pages at the same places.)
    pub page_index: Arc<FastMap<String, usize>>,
    /// `folio.toml` (defaults without one).
    pub site_config: SiteConfig,
    /// The URLs that may point inside the site, by file (files that have some), in path order:
    /// what [`crate::links`] checks.
    pub urls: Vec<(String, Arc<[crate::validate::UrlUse]>)>,
    /// Pages that exist as files but were left out (no front matter, a syntax error…), by the
    /// URL they would have: `(file, why)`, so that a link to one says so.
    pub skipped: Arc<FastMap<String, (String, String)>>,
    /// What the site's own Stackbit files define (models, presets, settings), as read.
    pub stackbit: Arc<folio_stackbit::StackbitSite>,
}

/// How many items a Recent* section shows: `recentCount`, or 3 when missing or 0.
pub fn recent_count(section: &Map<String, Json>) -> usize {
    match section.get("recentCount").and_then(Json::as_f64) {
        Some(n) if n >= 1.0 => n as usize,
        _ => 3,
    }
}

impl Site {
    /// The object with id `path`.
    pub fn object(&self, path: &str) -> Option<&Arc<ContentObject>> {
        self.objects.get(path)
    }

    /// The version of the content file `path` (a hash of its bytes), if it exists.
    pub fn version(&self, path: &str) -> Option<u64> {
        self.versions.get(path).copied()
    }

    /// The page whose file is `path`.
    pub fn page_by_path(&self, path: &str) -> Option<usize> {
        self.page_index.get(path).copied()
    }

    /// The first `count` posts (the current post is not excluded, as in the original).
    pub fn recent_posts(&self, count: usize) -> &[usize] {
        &self.posts[..count.min(self.posts.len())]
    }

    /// The first `count` projects.
    pub fn recent_projects(&self, count: usize) -> &[usize] {
        &self.projects[..count.min(self.projects.len())]
    }

    /// Every output page: each page once, plus pages 2…N of paginated feeds.
    pub fn routes(&self) -> Vec<Route> {
        let mut routes = Vec::with_capacity(self.pages.len());
        for (i, page) in self.pages.iter().enumerate() {
            routes.push(Route {
                page: i,
                number: 1,
                url: page.url.clone(),
            });
            if let Some(p) = page.pagination {
                for number in 2..=p.pages {
                    routes.push(Route {
                        page: i,
                        number,
                        url: format!("{}page/{number}/", page.url),
                    });
                }
            }
        }
        routes
    }

    /// The items of a feed page: all posts (or projects) for an unpaginated feed, else the
    /// slice for page `number`.
    pub fn feed_items(&self, page: usize, number: usize) -> &[usize] {
        let Some(p) = self.pages.get(page) else {
            return &[];
        };
        let all = if p.object.is("ProjectFeedLayout") {
            &self.projects
        } else if let Some(category) = self.category_posts.get(&page) {
            category
        } else {
            &self.posts
        };
        match p.pagination {
            None => all,
            Some(pg) => {
                let start = ((number.max(1) - 1) * pg.per_page).min(all.len());
                &all[start..(start + pg.per_page).min(all.len())]
            }
        }
    }
}
