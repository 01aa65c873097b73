//! Where a site's internal URLs lead: missing local images (`content/missing-image`), links
//! that reach no page or file (`content/broken-link`), and, given the rendered pages' ids,
//! `#anchors` that reach no element (`content/broken-anchor`).
//!
//! The URLs come from the validator (image fields, `url` fields of buttons, links and social
//! links, navigation in the Config) and from Markdown (bodies and Markdown fields), each with
//! the span it is written at ([`UrlUse`]). A URL is local when it starts with a single `/`;
//! it is served from a page (`/about` and `/about/index.html` are `/about/`) or from a file
//! under `public/`. Remote URLs, `mailto:`, `tel:`, relative paths and `#x` alone are not
//! followed (the last is checked with the anchors). Every check is a hash-set lookup per URL.

use crate::site::Site;
use crate::validate::{UrlKind, UrlUse};
use crate::FastMap;
use folio_diag::{Diagnostic, Span};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use std::collections::{HashMap, HashSet};

/// The links and images of a Markdown text that starts at byte `offset` of its file. With
/// `fallback`, every URL is located there (the text is not verbatim in the file); otherwise at
/// its destination in the text, or at the whole link when the destination is not written in it
/// (reference links).
pub fn markdown_urls(source: &str, offset: usize, fallback: Option<Span>) -> Vec<UrlUse> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM;
    let mut urls = Vec::new();
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        let (url, kind) = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if link_type != LinkType::Email => (dest_url, UrlKind::Link),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, UrlKind::Image),
            // Raw HTML: `<img src>` and `<a href>` are checked like Markdown's images and links.
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, len, url, kind) in html_urls(&html) {
                    let start = range.start + at;
                    urls.push(UrlUse {
                        url,
                        span: fallback
                            .unwrap_or_else(|| Span::new(start, start + len).shifted(offset)),
                        kind,
                    });
                }
                continue;
            }
            _ => continue,
        };
        let span = fallback.unwrap_or_else(|| {
            let written = &source[range.clone()];
            match written.rfind(url.as_ref()).filter(|_| !url.is_empty()) {
                Some(at) => Span::new(range.start + at, range.start + at + url.len()),
                None => Span::new(range.start, range.end),
            }
            .shifted(offset)
        });
        urls.push(UrlUse {
            url: url.to_string(),
            span,
            kind,
        });
    }
    urls
}

/// The `src` of `<img>` and the `href` of `<a>` tags in `html`: (byte offset and length of
/// the value as written, the value unescaped, its kind).
fn html_urls(html: &str) -> Vec<(usize, usize, String, UrlKind)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(open) = lower[at..].find('<') {
        let start = at + open;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        let wanted = if tag.starts_with("<img") && tag[4..].starts_with(char::is_whitespace) {
            Some(("src", UrlKind::Image))
        } else if tag.starts_with("<a") && tag[2..].starts_with(char::is_whitespace) {
            Some(("href", UrlKind::Link))
        } else {
            None
        };
        if let Some((name, kind)) = wanted {
            if let Some((value_at, value)) = attribute(&html[start..end], tag, name) {
                found.push((
                    start + value_at,
                    value.len(),
                    unescape_attribute(value),
                    kind,
                ));
            }
        }
        at = end.max(start + 1);
    }
    found
}

/// The value of attribute `name` in `tag` (`lower` is it lower-cased), quoted or not, with
/// its offset in the tag.
fn attribute<'a>(tag: &'a str, lower: &str, name: &str) -> Option<(usize, &'a str)> {
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before = lower[..at].chars().last();
        let rest = lower[from..].trim_start();
        if !before.is_some_and(char::is_whitespace) || !rest.starts_with('=') {
            continue;
        }
        let value_start = lower.len() - rest[1..].trim_start().len();
        let value = &tag[value_start..];
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &value[1..];
                (
                    value_start + 1,
                    &inner[..inner.find(q).unwrap_or(inner.len())],
                )
            }
            _ => (
                value_start,
                &value[..value.find(char::is_whitespace).unwrap_or(value.len())],
            ),
        });
    }
    None
}

/// What local URLs can reach: page URLs (`/`, `/blog/page/2/`) and files under `public/`
/// (`/images/a.jpg`), as decoded paths.
#[derive(Debug, Default)]
pub struct LinkTargets {
    pages: HashSet<String>,
    files: HashSet<String>,
    /// Pages left out of the build, by URL: `(file, why)`.
    skipped: std::sync::Arc<crate::FastMap<String, (String, String)>>,
    /// How many more "did you mean" searches this check may make (see [`LinkTargets::nearest`]).
    suggestions_left: std::cell::Cell<usize>,
}

/// The "did you mean" searches one check makes at most. Each compares the URL with every
/// target, so a mass of broken links (a folder of pages deleted, a branch checked out) would
/// otherwise cost pages × links; past this many, the help is the general one.
const SUGGESTION_BUDGET: usize = 64;

impl LinkTargets {
    /// The targets of `site`: its routes and the files under its `public/` folder, plus the
    /// "page not found" document folio writes.
    pub fn of(site: &Site) -> LinkTargets {
        let (files, _) = site.root.walk("public");
        let mut files: HashSet<String> = files
            .into_iter()
            .filter_map(|f| f.rel.strip_prefix("public").map(str::to_string))
            .collect();
        files.insert("/404.html".into());
        let mut targets =
            LinkTargets::new(site.routes().into_iter().map(|r| r.url).collect(), files);
        targets.skipped = std::sync::Arc::clone(&site.skipped);
        targets
    }

    fn new(pages: HashSet<String>, files: HashSet<String>) -> LinkTargets {
        LinkTargets {
            pages,
            files,
            skipped: Default::default(),
            suggestions_left: SUGGESTION_BUDGET.into(),
        }
    }

    /// A fingerprint of the targets, the same whatever order the sets hold them in.
    fn fingerprint(&self) -> u64 {
        let sum = |set: &HashSet<String>| {
            set.iter()
                .fold(0u64, |acc, item| acc.wrapping_add(crate::fingerprint(item)))
        };
        let skipped: Vec<_> = {
            let mut all: Vec<_> = self.skipped.iter().collect();
            all.sort();
            all
        };
        crate::fingerprint(&(
            sum(&self.pages),
            self.pages.len(),
            sum(&self.files),
            skipped,
        ))
    }

    /// The page URL a local path is served as (`/about`, `/about/index.html` → `/about/`), if
    /// it is one of the site's pages.
    fn page(&self, path: &str) -> Option<String> {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let url = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        self.pages.contains(&url).then_some(url)
    }

    /// The file and reason of the skipped page a local path would be served as.
    fn skipped_page(&self, path: &str) -> Option<&(String, String)> {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let url = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        self.skipped.get(&url)
    }

    /// Whether a local path is a file under `public/` (or a folder with an `index.html`).
    fn file(&self, path: &str) -> bool {
        self.files.contains(path)
            || self
                .files
                .contains(&format!("{}/index.html", path.trim_end_matches('/')))
    }

    /// The existing page URL or file nearest to `path` by edit distance, if one is close.
    fn nearest(&self, path: &str, images: bool) -> Option<&str> {
        let left = self.suggestions_left.get();
        if left == 0 {
            return None;
        }
        self.suggestions_left.set(left - 1);
        let candidates = self.files.iter().filter(|f| !images || is_image(f));
        let pages = self.pages.iter().filter(|_| !images);
        let path = path.trim_end_matches('/');
        candidates
            .chain(pages)
            .map(|c| (distance(path, c.trim_end_matches('/')), c))
            .filter(|(d, c)| *d <= (c.len().max(path.len()) / 5).max(2))
            .min()
            .map(|(_, c)| c.as_str())
    }
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) from `a` to `b`.
fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(a, b)
}

fn is_image(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or_default();
    [
        "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "ico", "tif", "tiff",
    ]
    .iter()
    .any(|e| ext.eq_ignore_ascii_case(e))
}

/// A local URL's decoded path and fragment (`/a%20b/?x=1#top` → `/a b/`, `top`); `None` for
/// URLs that are not local (remote, `//host`, `mailto:`, relative, `#x` alone).
fn local(url: &str) -> Option<(String, Option<String>)> {
    if !url.starts_with('/') || url.starts_with("//") {
        return None;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(percent_decode(fragment))),
        None => (url, None),
    };
    let path = rest.split('?').next().unwrap_or(rest);
    Some((percent_decode(path), fragment))
}

/// `%20` → ` `; malformed escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Warnings for local images that are not under `public/` and local links that reach no page
/// or file, at the file and span where each is written.
pub fn check_urls(site: &Site) -> Vec<Diagnostic> {
    check_urls_cached(site, &mut UrlCheckCache::default())
}

/// [`check_urls`]' findings per file, kept between builds: a file's warnings change only when
/// the file does or when what links can reach does (pages added, moved or removed; files added
/// to or removed from `public/`), so a rebuild checks again only the files that changed.
#[derive(Debug, Default)]
pub struct UrlCheckCache {
    /// [`LinkTargets::fingerprint`] of the targets the findings were made against.
    targets: u64,
    /// File → (its version, its findings).
    files: FastMap<String, (u64, Vec<Diagnostic>)>,
}

/// [`check_urls`], reusing what `cache` found for files unchanged since (and updating it).
pub fn check_urls_cached(site: &Site, cache: &mut UrlCheckCache) -> Vec<Diagnostic> {
    if site.urls.is_empty() {
        cache.files.clear();
        return Vec::new();
    }
    let targets = LinkTargets::of(site);
    let key = targets.fingerprint();
    if cache.targets != key {
        cache.files.clear();
        cache.targets = key;
    }
    let mut files = FastMap::with_capacity_and_hasher(site.urls.len(), Default::default());
    let mut diagnostics = Vec::new();
    for (file, urls) in &site.urls {
        let version = site.versions.get(file).copied().unwrap_or_default();
        let found = match cache.files.remove(file) {
            Some((seen, found)) if seen == version => found,
            _ => check_file(file, urls, &targets),
        };
        diagnostics.extend(found.iter().cloned());
        files.insert(file.clone(), (version, found));
    }
    cache.files = files;
    diagnostics
}

/// The missing images and broken links among the `urls` of `file`: each missing URL once, at
/// its first use, with the number of uses.
fn check_file(file: &str, urls: &[UrlUse], targets: &LinkTargets) -> Vec<Diagnostic> {
    let mut missing_here: HashMap<(&str, UrlKind), (usize, &UrlUse, String)> = HashMap::new();
    for url in urls {
        if let Some(seen) = missing_here.get_mut(&(url.url.as_str(), url.kind)) {
            seen.0 += 1;
            continue;
        }
        let Some((path, _)) = local(&url.url) else {
            continue;
        };
        let found = match url.kind {
            UrlKind::Image => targets.file(&path) || targets.page(&path).is_some(),
            UrlKind::Link => targets.page(&path).is_some() || targets.file(&path),
        };
        if !found {
            missing_here.insert((url.url.as_str(), url.kind), (1, url, path));
        }
    }
    let mut found: Vec<_> = missing_here.into_values().collect();
    found.sort_by_key(|(_, url, _)| url.span.start);
    found
        .into_iter()
        .map(|(uses, url, path)| missing(file, url, &path, uses, targets))
        .collect()
}

fn missing(file: &str, url: &UrlUse, path: &str, uses: usize, targets: &LinkTargets) -> Diagnostic {
    let more = match uses {
        1 => String::new(),
        2 => " (and once more in this file)".to_string(),
        n => format!(" (and {} more times in this file)", n - 1),
    };
    let d = match url.kind {
        UrlKind::Image => Diagnostic::warning(
            "content/missing-image",
            format!("the image `{}` does not exist", url.url),
        )
        .with_label(format!("no file `public{path}`{more}")),
        UrlKind::Link => Diagnostic::warning(
            "content/broken-link",
            format!("the link `{}` reaches no page or file", url.url),
        )
        .with_label(format!(
            "no page has this URL and `public/` has no such file{more}"
        )),
    };
    if url.kind == UrlKind::Link {
        if let Some((page, why)) = targets.skipped_page(path) {
            return Diagnostic::warning(
                "content/broken-link",
                format!(
                    "the link `{}` leads to `{page}`, which is not built",
                    url.url
                ),
            )
            .with_label(format!("that page was left out{more}"))
            .with_help(format!("why: {why}; once it builds, the link reaches it"))
            .in_file(file)
            .at(url.span);
        }
    }
    let help = match targets.nearest(path, url.kind == UrlKind::Image) {
        Some(near) => format!("did you mean `{near}`?"),
        None if url.kind == UrlKind::Image => {
            format!("add the file as `public{path}`, or correct the address")
        }
        None => "link to an existing page (its URL comes from its path under `content/pages/`) or to a file under `public/`".to_string(),
    };
    d.in_file(file).at(url.span).with_help(help)
}

/// The `id` attribute values of an HTML document.
pub fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find(" id=") {
        rest = &rest[at + 4..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            ids.insert(unescape_attribute(&rest[1..1 + end]));
            rest = &rest[1 + end..];
        }
    }
    ids
}

fn unescape_attribute(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Warnings for `#anchors` of local links (`/about#team`, and `#team` alone in a page) that
/// name no element of the target page; `ids` holds the ids of every rendered page by URL.
/// `#` and `#top` are always fine (browsers scroll to the top).
pub fn check_anchors(site: &Site, ids: &HashMap<String, HashSet<String>>) -> Vec<Diagnostic> {
    let targets = LinkTargets::new(ids.keys().cloned().collect(), HashSet::new());
    let mut diagnostics = Vec::new();
    for (file, urls) in &site.urls {
        let own_page = site.page_by_path(file).map(|i| site.pages[i].url.as_str());
        for url in urls.iter().filter(|u| u.kind == UrlKind::Link) {
            let (page, fragment) = match url.url.strip_prefix('#') {
                Some(fragment) => match own_page {
                    Some(page) => (page.to_string(), percent_decode(fragment)),
                    None => continue, // on every page (navigation): no one page to check
                },
                None => match local(&url.url) {
                    Some((path, Some(fragment))) => match targets.page(&path) {
                        Some(page) => (page, fragment),
                        None => continue,
                    },
                    _ => continue,
                },
            };
            if fragment.is_empty() || fragment == "top" {
                continue;
            }
            let Some(page_ids) = ids.get(&page) else {
                continue;
            };
            if page_ids.contains(&fragment) {
                continue;
            }
            let nearest = page_ids
                .iter()
                .map(|id| (distance(&fragment, id), id))
                .filter(|(d, id)| *d <= (id.len().max(fragment.len()) / 4).max(1))
                .min();
            let help = match nearest {
                Some((_, id)) => format!("did you mean `#{id}`?"),
                None => "an anchor is the `id` of an element: headings get one from their text (`## The team` → `#the-team`), sections from their `elementId`".to_string(),
            };
            diagnostics.push(
                Diagnostic::warning(
                    "content/broken-anchor",
                    format!("`#{fragment}` is not an anchor of the page `{page}`"),
                )
                .in_file(file.as_str())
                .at(url.span)
                .with_label("no element has this id")
                .with_help(help),
            );
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markdown_links_and_images_at_their_destination() {
        let text = "intro\n\n[About](/about) and ![pic](/images/a.png \"t\")\n";
        let urls = markdown_urls(text, 100, None);
        assert_eq!(urls.len(), 2);
        assert_eq!(urls[0].url, "/about");
        assert_eq!(urls[0].kind, UrlKind::Link);
        assert_eq!(
            &text[urls[0].span.start - 100..urls[0].span.end - 100],
            "/about"
        );
        assert_eq!(urls[1].kind, UrlKind::Image);
        assert_eq!(
            &text[urls[1].span.start - 100..urls[1].span.end - 100],
            "/images/a.png"
        );
    }

    #[test]
    fn finds_the_urls_of_raw_html_images_and_links() {
        let text = "Intro\n\n<div><img alt=\"x\" src=\"/images/a b.png\"><A HREF='/about'>About</A></div>\n\n<p><a href=/blog>x</a> <area href=\"/no\"></p>\n";
        let urls: Vec<(String, UrlKind)> = markdown_urls(text, 0, None)
            .into_iter()
            .map(|u| (u.url, u.kind))
            .collect();
        assert_eq!(
            urls,
            [
                ("/images/a b.png".to_string(), UrlKind::Image),
                ("/about".to_string(), UrlKind::Link),
                ("/blog".to_string(), UrlKind::Link),
            ]
        );
        let first = &markdown_urls(text, 0, None)[0];
        assert_eq!(&text[first.span.start..first.span.end], "/images/a b.png");
    }

    #[test]
    fn only_single_slash_urls_are_local() {
        assert_eq!(
            local("/a%20b/?x=1#top"),
            Some(("/a b/".into(), Some("top".into())))
        );
        assert_eq!(local("//cdn.example.org/a.png"), None);
        assert_eq!(local("https://example.org/"), None);
        assert_eq!(local("mailto:a@b.c"), None);
        assert_eq!(local("#x"), None);
        assert_eq!(local("about"), None);
    }

    #[test]
    fn page_urls_ignore_trailing_slashes_and_index_html() {
        let targets = LinkTargets::new(
            ["/".to_string(), "/about/".to_string()].into(),
            ["/docs/index.html".to_string(), "/a.pdf".to_string()].into(),
        );
        for path in ["/", "/index.html", "/about", "/about/", "/about/index.html"] {
            assert!(targets.page(path).is_some(), "{path}");
        }
        assert!(targets.page("/abut").is_none());
        assert!(targets.file("/a.pdf") && targets.file("/docs/") && targets.file("/docs"));
        assert_eq!(targets.nearest("/abut", false), Some("/about/"));
    }

    #[test]
    fn reads_ids_from_html() {
        let ids =
            html_ids(r#"<h2 id="a-b">x</h2><div class="x" id='c&amp;d'></div><p data-id="no">"#);
        assert_eq!(ids, ["a-b".to_string(), "c&d".to_string()].into());
    }

    #[test]
    fn suggestions_stop_after_the_budget() {
        let targets = LinkTargets::new(["/about/".to_string()].into(), HashSet::new());
        for _ in 0..SUGGESTION_BUDGET {
            assert_eq!(targets.nearest("/abut/", false), Some("/about/"));
        }
        assert_eq!(targets.nearest("/abut/", false), None);
    }
}
