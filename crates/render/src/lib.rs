//! Rendering the site graph to HTML in the starter's look.
//!
//! One minijinja template per model (embedded, overridable by a site's `templates/`),
//! dispatched by `type` through `component(obj)`; CSS generated from what the pages use
//! ([`css`]); Markdown with build-time highlighting; head and SEO tags.
#![warn(missing_docs)]

mod annotate;
pub mod asset_names;
pub mod background;
mod cards;
pub mod css;
pub mod deps;
pub mod engine;
mod generic;
pub mod head;
mod icons;
mod json_view;
mod markdown;
mod markdown_html;
mod markdown_jsx;
mod memo;
pub mod profile;
pub mod responsive;
mod skeleton;
mod splice;
mod theme_css;
pub mod values;

pub mod styles;
pub mod video;

pub use cards::CardCache;
use cards::CardContext;
pub use deps::{Dep, Versions};
pub use markdown::{plain_summary, render_markdown, render_markdown_inline, render_markdown_with};
pub use profile::{TemplateProfile, TemplateTime};
pub use skeleton::template_skeleton;

use folio_content::{ContentObject, Route, Site};
use folio_diag::{Diagnostic, Span};
use minijinja::value::Serde;
use minijinja::{Environment, Value};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::sync::Arc;
use values::SiteValues;

/// Escape text for HTML content and attribute values (the same escaping as the diagnostics overlay).
pub use folio_diag::escape_html;

/// The page's `<title>`: `metaTitle` or `title`, plus the site's `titleSuffix` unless the page
/// sets `addTitleSuffix: false`.
pub fn page_title(site: &Site, object: &ContentObject) -> String {
    let base = object
        .str("metaTitle")
        .filter(|t| !t.is_empty())
        .or_else(|| object.str("title"))
        .unwrap_or_default();
    let suffix = site
        .config
        .as_ref()
        .and_then(|c| c.str("titleSuffix"))
        .filter(|s| !s.is_empty());
    let add = object.data.get("addTitleSuffix").and_then(Json::as_bool) != Some(false);
    match suffix {
        Some(suffix) if add && !base.is_empty() => format!("{base} - {suffix}"),
        Some(suffix) if add => suffix.to_string(),
        _ => base.to_string(),
    }
}

/// An internal link (one starting with a single `/`) with the trailing slash the site's URLs
/// use: `/info` → `/info/`, `/info#x` → `/info/#x`; files (`/a.pdf`) and everything else as is.
pub fn internal_href(url: &str) -> String {
    if !url.starts_with('/') || url.starts_with("//") {
        return url.to_string();
    }
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(split);
    let last = path.rsplit('/').next().unwrap_or_default();
    if path.ends_with('/') || last.contains('.') {
        return url.to_string();
    }
    format!("{path}/{rest}")
}

/// The header's search script, as the theme has it: it loads folio's search client
/// (`/folio-search/search.js`, a name the build replaces with the client's hashed one) on first
/// use.
pub const SEARCH_SCRIPT: &str = include_str!("../theme/js/search.js");

/// Knobs of a render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// The site's public URL (`https://example.org`), for canonical and absolute URLs.
    pub base_url: Option<String>,
    /// Where the stylesheet is served (`/assets/site.css`, or its hashed name).
    pub stylesheet: String,
    /// Where the header's search script is served (`/assets/search.<hash>.js`).
    pub search_script: String,
    /// Edit mode (`folio serve --edit`): annotate every object and field with
    /// `data-sb-object-id` / `data-sb-field-path` (see `theme/README.md`).
    pub editing: bool,
    /// Whether the site has feeds (`/feed.xml`, `/atom.xml`) to link from every page's head.
    pub feeds: bool,
    /// Whether the site has a search index (`folio-search/`) for the header's search box.
    pub search: bool,
    /// The resized copies of the site's large images, for `srcset`.
    pub images: Arc<responsive::ImageSets>,
}

/// Renders the routes of one site. Built once per build; shared by all render threads.
pub struct Renderer {
    site: Arc<Site>,
    values: Arc<SiteValues>,
    env: Environment<'static>,
    options: RenderOptions,
    config: Value,
    /// `config.<locale>.json` of translated sites, by URL prefix (`/es/`): the config of the
    /// pages under it.
    locale_configs: Vec<(String, Value)>,
    profile: TemplateProfile,
    versions: Arc<Versions>,
    fingerprint: u64,
    /// Large fragments of this build's pages, put in place when each page is done.
    splices: Arc<splice::Splices>,
}

/// One rendered route and what its render read.
#[derive(Debug)]
pub struct RenderedPage {
    /// The HTML document.
    pub html: String,
    /// The content it depends on, sorted (besides what every page depends on).
    pub deps: Vec<Dep>,
}

impl Renderer {
    /// Prepare the templates of `site` (its own `templates/` first, then the built-in theme).
    pub fn new(site: Arc<Site>, options: RenderOptions) -> (Renderer, Vec<Diagnostic>) {
        Renderer::with_cards(site, options, Arc::new(CardCache::default()))
    }

    /// A renderer that reuses the feed cards of earlier builds kept in `cards` (see
    /// [`CardCache`]); call [`CardCache::end_build`] when the build is done.
    pub fn with_cards(
        site: Arc<Site>,
        options: RenderOptions,
        cards: Arc<CardCache>,
    ) -> (Renderer, Vec<Diagnostic>) {
        Renderer::with_memo(site, options, memo::ComponentMemo::default(), cards)
    }

    /// A renderer that renders every component and card anew on every page: slower, and the
    /// reference that proves reusing them changes nothing.
    pub fn without_reuse(site: Arc<Site>, options: RenderOptions) -> (Renderer, Vec<Diagnostic>) {
        let cards = Arc::new(CardCache::disabled());
        Renderer::with_memo(site, options, memo::ComponentMemo::disabled(), cards)
    }

    fn with_memo(
        site: Arc<Site>,
        options: RenderOptions,
        memo: memo::ComponentMemo,
        cards: Arc<CardCache>,
    ) -> (Renderer, Vec<Diagnostic>) {
        let site_templates = read_site_templates(&site);
        let diagnostics = Vec::new();
        let site_versions: Vec<_> = [&site.config, &site.theme_style]
            .into_iter()
            .map(|o| o.as_ref().map(|o| (o.path.clone(), site.version(&o.path))))
            .collect();
        let values = Arc::new(SiteValues::new(Arc::clone(&site), options.editing));
        let versions = Arc::new(Versions::of(Arc::clone(&site)).with_cards(Arc::clone(&cards)));
        let fingerprint = folio_content::fingerprint(&(
            env!("CARGO_PKG_VERSION"),
            site_versions,
            &site_templates,
            values.image_sizes(),
            (
                &options.base_url,
                &options.stylesheet,
                options.editing,
                options.feeds,
                options.search,
                &*options.images,
            ),
        ));
        // Markers of held fragments carry a nonce no content can predict (see splice.rs).
        let nonce = std::hash::BuildHasher::hash_one(&std::hash::RandomState::new(), fingerprint);
        let splices = Arc::new(splice::Splices::new(nonce));
        let mut env = engine::build_environment(
            site_templates,
            Arc::clone(&values),
            Arc::clone(&options.images),
            Arc::new(memo),
            Arc::clone(&cards),
            Arc::clone(&versions),
            Arc::clone(&splices),
        );
        env.add_global("search_enabled", options.search);
        let config_value = |c: &folio_content::ContentObject| {
            if options.editing {
                let mut data = c.data.clone();
                annotate::annotate_json(&mut data, &c.path);
                Value::from(Serde(data))
            } else {
                Value::from(Serde(&c.data))
            }
        };
        let config = site.config.as_deref().map(config_value).unwrap_or_default();
        let mut locale_configs: Vec<(String, Value)> = site
            .objects
            .values()
            .filter(|o| o.path.starts_with("content/data/config."))
            .filter_map(|o| {
                let locale = folio_content::url::locale_of_data_file(&o.path)?;
                Some((format!("/{locale}/"), config_value(o)))
            })
            .collect();
        locale_configs.sort_by(|a, b| a.0.cmp(&b.0));
        let renderer = Renderer {
            site,
            values,
            env,
            options,
            config,
            locale_configs,
            profile: TemplateProfile::default(),
            versions,
            fingerprint,
            splices,
        };
        cards.begin_build(renderer.fingerprint());
        let item = |path: &str| renderer.values.page_at(path);
        let context = CardContext {
            cache: &cards,
            versions: &renderer.versions,
            item_deps: &item,
            splices: &renderer.splices,
            editing: renderer.options.editing,
        };
        cards.refresh(&renderer.env, &context, &renderer.config);
        (renderer, diagnostics)
    }

    /// The versions of this site's inputs, to check recorded renders against.
    pub fn versions(&self) -> &Versions {
        &self.versions
    }

    /// A fingerprint of everything every page depends on besides the content recorded per page
    /// ([`RenderedPage::deps`]): the site's configuration and theme style, its own templates, the
    /// sizes of its images, the render options and folio's own version (its built-in theme).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Time spent per template so far.
    pub fn profile(&self) -> &TemplateProfile {
        &self.profile
    }

    /// Render one route as a complete HTML document.
    pub fn render_route(&self, route: &Route) -> Result<String, Diagnostic> {
        self.render_page(route).map(|page| page.html)
    }

    /// Render one route, recording what it read.
    pub fn render_page(&self, route: &Route) -> Result<RenderedPage, Diagnostic> {
        let page = &self.site.pages[route.page];
        // The root of what the route read: a page drawn by this thread while it waits for
        // another page's cards (rayon runs other work meanwhile) must not add to that page.
        let (result, recorded) = deps::isolated_frame(|| {
            profile::timed("base.html", || {
                let base_url = self.options.base_url.as_deref();
                let mut head = head::page_head(&self.site, &page.object, &route.url, base_url);
                self.add_links(&mut head);
                if let Some(pagination) = page.pagination {
                    (head.prev, head.next) =
                        head::pagination_links(&page.url, route.number, pagination.pages, base_url);
                }
                let ctx = minijinja::context! {
                    page => self.values.page(route.page),
                    config => self.config_for(&route.url),
                    head => Value::from(Serde(&head)),
                    route_page => route.page,
                    route_number => route.number,
                    route_url => route.url.clone(),
                    stylesheet => self.options.stylesheet.clone(),
                    search_script => self.options.search_script.clone(),
                    editing => self.options.editing,
                };
                self.env
                    .get_template("base.html")
                    .and_then(|t| t.render(ctx))
            })
        });
        self.profile.flush_thread();
        let html = result.map_err(|e| template_error(&self.site, &e, &page.object.path))?;
        // Held fragments first: the annotation pass must see the whole page.
        let mut html = responsive::prioritise_first_image(self.splices.expand(html));
        if self.options.editing {
            html = annotate::finish(&html);
        }
        Ok(RenderedPage {
            html,
            deps: recorded.deps,
        })
    }
}

impl Renderer {
    /// The config of the page at `url`: its locale's (`/es/…` → `config.es.json`) when the
    /// site has one, else the site's.
    fn config_for(&self, url: &str) -> Value {
        self.locale_configs
            .iter()
            .find(|(prefix, _)| url.starts_with(prefix.as_str()))
            .map_or_else(|| self.config.clone(), |(_, config)| config.clone())
    }

    /// The links every page's head carries: the feeds, when the site has them.
    fn add_links(&self, head: &mut head::Head) {
        if self.options.feeds {
            head.alternates = head::feed_alternates(&self.site, self.options.base_url.as_deref());
        }
    }

    /// Render the site's "page not found" document (`404.html` inside `base.html`, so in the
    /// site's look, with its header and footer).
    pub fn render_not_found(&self) -> Result<String, Diagnostic> {
        let config = self.site.config.as_deref();
        let title = match config
            .and_then(|c| c.str("titleSuffix"))
            .filter(|s| !s.is_empty())
        {
            Some(suffix) => format!("Page not found - {suffix}"),
            None => "Page not found".to_string(),
        };
        let mut head = head::Head {
            title,
            description: None,
            meta: Vec::new(),
            favicon: config.and_then(|c| c.str("favicon")).map(str::to_string),
            canonical: None,
            alternates: Vec::new(),
            prev: None,
            next: None,
        };
        self.add_links(&mut head);
        let ctx = minijinja::context! {
            config => self.config.clone(),
            head => Value::from(Serde(&head)),
            route_url => "/404.html",
            stylesheet => self.options.stylesheet.clone(),
            search_script => self.options.search_script.clone(),
            editing => self.options.editing,
            not_found => true,
        };
        let html = self
            .env
            .get_template("base.html")
            .and_then(|t| t.render(ctx))
            .map(|html| self.splices.expand(html))
            .map_err(|e| template_error(&self.site, &e, "404.html"))?;
        // In edit mode the header and footer carry marks like every page's (config fields).
        Ok(match self.options.editing {
            true => annotate::finish(&html),
            false => html,
        })
    }
}

/// A template that failed while rendering `content_file`. When the template is one of the
/// site's own, the diagnostic points at its line there (the fault is in it, not in the
/// page); a built-in template's error is reported at the page that set it off.
fn template_error(site: &Site, error: &minijinja::Error, content_file: &str) -> Diagnostic {
    let template = error.name().unwrap_or("a template");
    let line = error.line().map(|l| format!(":{l}")).unwrap_or_default();
    let detail = error.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let own = format!("templates/{template}");
    let kind = error.kind();
    if let Some(text) = site.sources.get(&own) {
        // The page goes in the label, under the template's line, where the build's merge of
        // repeats (`once_per_fault`) can count the other pages that met the same fault.
        let span = error.line().and_then(|l| line_span(text, l));
        let diagnostic =
            Diagnostic::error("render/template", format!("`{own}` failed: {kind}{detail}"))
                .in_file(own.clone())
                .with_label(format!("while rendering `{content_file}`"))
                .with_help("fix the template, then build again");
        return match span {
            Some(span) => diagnostic.at(span),
            None => diagnostic,
        };
    }
    Diagnostic::error(
        "render/template",
        format!("`{template}{line}` failed while rendering `{content_file}`: {kind}{detail}"),
    )
    .in_file(content_file)
        .with_help("a built-in template failed on this page's content: check the page's values, and report it if they look right")
}

/// The bytes of line `line` (from 1) of `text`, without its indentation and line end.
fn line_span(text: &str, line: usize) -> Option<Span> {
    let mut start = 0;
    for (index, body) in text.split('\n').enumerate() {
        if index + 1 == line {
            let body = body.trim_end_matches('\r');
            let indent = body.len() - body.trim_start().len();
            return Some(Span::new(start + indent, start + body.len()));
        }
        start += body.len() + 1;
    }
    None
}

/// The site's own templates, `templates/**/*.html` by name relative to that folder, and its
/// own icons, `templates/icons/*.svg` (`icons/<name>.svg`), as the loader read them.
fn read_site_templates(site: &Site) -> BTreeMap<String, String> {
    site.sources
        .under("templates/")
        .map(|(path, text)| (path["templates/".len()..].to_string(), text.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{internal_href, line_span};
    use folio_diag::Span;

    #[test]
    fn a_template_line_is_found_without_its_indentation() {
        let text = "<main>\r\n  {{ x.y() }}\r\n</main>";
        assert_eq!(line_span(text, 2), Some(Span::new(10, 21)));
        assert_eq!(&text[10..21], "{{ x.y() }}");
        assert_eq!(line_span(text, 1), Some(Span::new(0, 6)));
        assert_eq!(line_span(text, 4), None);
        assert_eq!(line_span(text, 0), None);
    }

    #[test]
    fn internal_links_get_a_trailing_slash() {
        assert_eq!(internal_href("/info"), "/info/");
        assert_eq!(internal_href("/"), "/");
        assert_eq!(internal_href("/info#contact"), "/info/#contact");
        assert_eq!(internal_href("/files/a.pdf"), "/files/a.pdf");
        assert_eq!(internal_href("https://x.org/a"), "https://x.org/a");
        assert_eq!(internal_href("//cdn.x/a"), "//cdn.x/a");
        assert_eq!(internal_href("#top"), "#top");
    }
}
