//! `sitemap.xml` (every page of the site, paginated feed pages included, the 404 page not,
//! with absolute URLs and `<lastmod>` from the page's `date`, else the last commit of its file
//! when the site is a git checkout, else none: a file's modification time changes with every
//! checkout) and `robots.txt` (everything allowed, with a `Sitemap:` line when there is a sitemap).
//! A site's own `public/robots.txt` replaces the generated one, as every `public/` file does.

use crate::xml::escape;
use folio_content::{ContentDate, Site};
use std::collections::HashMap;
use std::fmt::Write;

/// Where the sitemap is written.
pub const SITEMAP_PATH: &str = "sitemap.xml";
/// Where the robots file is written.
pub const ROBOTS_PATH: &str = "robots.txt";

/// The sitemap of every route of `site`, under `base_url` (absolute, no trailing slash).
pub fn render_sitemap(
    site: &Site,
    commit_dates: &HashMap<String, ContentDate>,
    base_url: &str,
) -> String {
    let routes = site.routes();
    let mut out = String::with_capacity(128 + routes.len() * 96);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for route in routes.iter().filter(|r| r.url != crate::SITE_NOT_FOUND_URL) {
        let object = &site.pages[route.page].object;
        let lastmod = object
            .date
            .or_else(|| commit_dates.get(&object.path).copied());
        let _ = write!(
            out,
            "<url><loc>{}</loc>",
            escape(&format!("{base_url}{}", route.url))
        );
        if let Some(date) = lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", date.iso_date());
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: every crawler allowed everywhere, and where the sitemap is (when there is one).
pub fn render_robots(sitemap_base_url: Option<&str>) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = sitemap_base_url {
        let _ = writeln!(out, "\nSitemap: {base}/{SITEMAP_PATH}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_names_the_sitemap_only_when_there_is_one() {
        assert_eq!(render_robots(None), "User-agent: *\nAllow: /\n");
        assert_eq!(
            render_robots(Some("https://example.org")),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
        );
    }
}
