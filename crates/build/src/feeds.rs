//! The posts as feeds: RSS 2.0 (`/feed.xml`) and Atom 1.0 (`/atom.xml`) at the site root, where
//! readers and hosts look first, whatever the URL of the site's blog page (a site may have none,
//! or several); every page's head links to both (autodiscovery).
//!
//! They list the newest [`FEED_MAX_ITEMS`] posts, newest first (every post of most sites), each
//! with its title, absolute link, date (a post without `date` takes its file's modification
//! time), author (the referenced person's name), excerpt as summary, and its full Markdown body
//! as HTML with site-relative links made absolute. Feeds need absolute URLs, so they are written
//! only when a base URL is known (see [`crate::SiteBuilder`]). Post bodies are rendered once per
//! file version and kept between builds ([`FeedCache`]).

use crate::xml::{escape, make_links_absolute};
use folio_content::{ContentDate, ContentObject, Site};
use folio_render::head::{site_name, ATOM_PATH, RSS_PATH};
use folio_render::render_markdown;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;
use std::time::SystemTime;

/// How many posts the feeds list at most (the newest): feed readers poll often, and a feed of
/// every post of a large site would weigh megabytes.
pub const FEED_MAX_ITEMS: usize = 50;

/// Post bodies rendered as HTML for the feeds, by file, with the version they were rendered
/// from; kept between builds so that a rebuild renders only the posts that changed.
#[derive(Debug, Default)]
pub struct FeedCache {
    bodies: HashMap<String, (Option<u64>, Arc<str>)>,
}

impl FeedCache {
    fn body(&mut self, site: &Site, post: &ContentObject) -> Arc<str> {
        let version = site.version(&post.path);
        if let Some((v, html)) = self.bodies.get(&post.path) {
            if *v == version {
                return Arc::clone(html);
            }
        }
        let html: Arc<str> = render_markdown(post.body.as_deref().unwrap_or_default()).into();
        self.bodies
            .insert(post.path.clone(), (version, Arc::clone(&html)));
        html
    }
}

/// What the feeds are made from.
#[derive(Debug)]
pub struct FeedContext<'a> {
    /// The site.
    pub site: &'a Site,
    /// Modification time of each content file, for posts without a date.
    pub modified: &'a HashMap<String, SystemTime>,
    /// The absolute base URL, without a trailing slash.
    pub base_url: &'a str,
}

/// One post, ready to be written in either format.
struct Item {
    title: String,
    link: String,
    date: Option<ContentDate>,
    author: Option<String>,
    summary: Option<String>,
    content: String,
}

/// The RSS and Atom feeds of the site's posts: `[(feed.xml, rss), (atom.xml, atom)]`, or nothing
/// when the site has no posts.
pub fn render_feeds(context: &FeedContext<'_>, cache: &mut FeedCache) -> Vec<(String, String)> {
    let site = context.site;
    let items: Vec<Item> = site
        .posts
        .iter()
        .take(FEED_MAX_ITEMS)
        .map(|&i| {
            let page = &site.pages[i];
            let post = &page.object;
            let body = cache.body(site, post);
            Item {
                title: post.str("title").unwrap_or_default().to_string(),
                link: format!("{}{}", context.base_url, page.url),
                date: post.date.or_else(|| {
                    context
                        .modified
                        .get(&post.path)
                        .and_then(|t| ContentDate::from_system_time(*t))
                }),
                author: author_name(site, post),
                summary: post
                    .str("excerpt")
                    .filter(|e| !e.trim().is_empty())
                    .map(str::to_string),
                content: make_links_absolute(&body, context.base_url),
            }
        })
        .collect();
    let keep: std::collections::HashSet<&str> = site
        .posts
        .iter()
        .map(|&i| site.pages[i].object.path.as_str())
        .collect();
    cache.bodies.retain(|path, _| keep.contains(path.as_str()));
    if items.is_empty() {
        return Vec::new();
    }
    let name = site_name(site);
    vec![
        (RSS_PATH.to_string(), rss(&name, context.base_url, &items)),
        (ATOM_PATH.to_string(), atom(&name, context.base_url, &items)),
    ]
}

/// The referenced person's `firstName lastName`.
fn author_name(site: &Site, post: &ContentObject) -> Option<String> {
    site.object(post.str("author")?)?.person_name()
}

/// The newest date among the items (they are newest first, but undated posts come last).
fn newest(items: &[Item]) -> Option<ContentDate> {
    items.iter().filter_map(|i| i.date).max()
}

fn rss(name: &str, base: &str, items: &[Item]) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    let _ = writeln!(out, "<title>{}</title>", escape(name));
    let _ = writeln!(out, "<link>{}/</link>", escape(base));
    let _ = writeln!(
        out,
        "<description>{}</description>",
        escape(&format!("The latest posts of {name}"))
    );
    let _ = writeln!(
        out,
        "<atom:link href=\"{}/{RSS_PATH}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape(base)
    );
    if let Some(date) = newest(items) {
        let _ = writeln!(out, "<lastBuildDate>{}</lastBuildDate>", date.rfc2822());
    }
    out.push_str("<generator>folio</generator>\n");
    for item in items {
        out.push_str("<item>\n");
        let _ = writeln!(out, "<title>{}</title>", escape(&item.title));
        let _ = writeln!(out, "<link>{}</link>", escape(&item.link));
        let _ = writeln!(
            out,
            "<guid isPermaLink=\"true\">{}</guid>",
            escape(&item.link)
        );
        if let Some(date) = item.date {
            let _ = writeln!(out, "<pubDate>{}</pubDate>", date.rfc2822());
        }
        if let Some(author) = &item.author {
            let _ = writeln!(out, "<dc:creator>{}</dc:creator>", escape(author));
        }
        if let Some(summary) = &item.summary {
            let _ = writeln!(out, "<description>{}</description>", escape(summary));
        }
        let _ = writeln!(
            out,
            "<content:encoded>{}</content:encoded>",
            escape(&item.content)
        );
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn atom(name: &str, base: &str, items: &[Item]) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(name));
    let _ = writeln!(out, "<id>{}/</id>", escape(base));
    let _ = writeln!(
        out,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>",
        escape(base)
    );
    let _ = writeln!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}/{ATOM_PATH}\"/>",
        escape(base)
    );
    // `updated` is required; a feed whose posts have no date at all says the Unix epoch.
    let updated = newest(items)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let _ = writeln!(out, "<updated>{updated}</updated>");
    let _ = writeln!(out, "<author><name>{}</name></author>", escape(name));
    out.push_str("<generator>folio</generator>\n");
    for item in items {
        out.push_str("<entry>\n");
        let _ = writeln!(out, "<title>{}</title>", escape(&item.title));
        let _ = writeln!(out, "<id>{}</id>", escape(&item.link));
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&item.link)
        );
        let date = item.date.map(|d| d.rfc3339()).unwrap_or(updated.clone());
        let _ = writeln!(out, "<published>{date}</published>");
        let _ = writeln!(out, "<updated>{date}</updated>");
        if let Some(author) = &item.author {
            let _ = writeln!(out, "<author><name>{}</name></author>", escape(author));
        }
        if let Some(summary) = &item.summary {
            let _ = writeln!(out, "<summary>{}</summary>", escape(summary));
        }
        let _ = writeln!(
            out,
            "<content type=\"html\">{}</content>",
            escape(&item.content)
        );
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
