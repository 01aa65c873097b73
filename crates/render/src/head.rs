//! What goes in `<head>` (MODEL.md §7, plus what the original lacks: a description fallback,
//! a canonical URL when the base URL is known).

use crate::page_title;
use folio_content::{ContentObject, Site};
use serde::Serialize;
use serde_json::Value as Json;

/// The head of one page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Head {
    /// `<title>`.
    pub title: String,
    /// `<meta name="description">`, when there is one.
    pub description: Option<String>,
    /// `(attribute, key, content)`: `property` for `og:*`, `name` otherwise.
    pub meta: Vec<(String, String, String)>,
    /// `<link rel="icon">`.
    pub favicon: Option<String>,
    /// `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// `<link rel="alternate">`: the site's feeds, for autodiscovery.
    pub alternates: Vec<Alternate>,
    /// `<link rel="prev">` on pages 2… of a paginated feed.
    pub prev: Option<String>,
    /// `<link rel="next">` on all but the last page of a paginated feed.
    pub next: Option<String>,
}

/// One `<link rel="alternate">`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alternate {
    /// MIME type (`application/rss+xml`).
    pub kind: String,
    /// Its title (the site's name and the format).
    pub title: String,
    /// Where it is.
    pub href: String,
}

/// Where the RSS 2.0 feed of the posts is written.
pub const RSS_PATH: &str = "feed.xml";
/// Where the Atom 1.0 feed of the posts is written.
pub const ATOM_PATH: &str = "atom.xml";

/// The autodiscovery links of the site's feeds (RSS, then Atom).
pub fn feed_alternates(site: &Site, base_url: Option<&str>) -> Vec<Alternate> {
    let name = site_name(site);
    [
        ("application/rss+xml", "RSS", RSS_PATH),
        ("application/atom+xml", "Atom", ATOM_PATH),
    ]
    .into_iter()
    .map(|(kind, format, path)| Alternate {
        kind: kind.to_string(),
        title: format!("{name} ({format})"),
        href: absolute(base_url, &format!("/{path}")),
    })
    .collect()
}

/// The `rel=prev` / `rel=next` URLs of page `number` of a feed at `url` split into `pages`
/// pages (page 1 is `url`, page N is `urlpage/N/`).
pub fn pagination_links(
    url: &str,
    number: usize,
    pages: usize,
    base_url: Option<&str>,
) -> (Option<String>, Option<String>) {
    let page_url = |n: usize| {
        let path = if n == 1 {
            url.to_string()
        } else {
            format!("{url}page/{n}/")
        };
        absolute(base_url, &path)
    };
    let prev = (number > 1).then(|| page_url(number - 1));
    let next = (number < pages).then(|| page_url(number + 1));
    (prev, next)
}

/// `url` made absolute with `base_url` when it is site-relative (`/a/` → `https://x.org/a/`).
pub fn absolute(base_url: Option<&str>, url: &str) -> String {
    match base_url {
        Some(base) if url.starts_with('/') && !url.starts_with("//") => {
            format!("{}{url}", base.trim_end_matches('/'))
        }
        _ => url.to_string(),
    }
}

/// Compute the head of a page at `url`.
pub fn page_head(site: &Site, object: &ContentObject, url: &str, base_url: Option<&str>) -> Head {
    let config = site.config.as_deref();
    let title = page_title(site, object);
    let non_empty = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_string);
    let description = non_empty(object.str("metaDescription"))
        .or_else(|| non_empty(object.str("excerpt")))
        .or_else(|| non_empty(object.str("description")))
        .or_else(|| content_summary(object));

    let mut tags: Vec<(String, String)> = Vec::new();
    fn set(tags: &mut Vec<(String, String)>, key: &str, content: String) {
        match tags.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = content,
            None => tags.push((key.to_string(), content)),
        }
    }
    fn set_default(tags: &mut Vec<(String, String)>, key: &str, content: String) {
        if !tags.iter().any(|(k, _)| k == key) {
            tags.push((key.to_string(), content));
        }
    }
    let meta_list = |o: Option<&ContentObject>, key: &str| -> Vec<(String, String)> {
        o.and_then(|o| o.data.get(key))
            .and_then(Json::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|t| {
                        Some((
                            t.get("property")?.as_str()?.to_string(),
                            t.get("content")?.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    for (k, v) in meta_list(config, "defaultMetaTags") {
        set(&mut tags, &k, v);
    }
    set(&mut tags, "og:title", title.clone());
    // What link previews need and the original lacks; a site's own tags (below) win.
    let defaults = [
        (
            "og:type",
            Some(
                if object.is("PostLayout") {
                    "article"
                } else {
                    "website"
                }
                .to_string(),
            ),
        ),
        ("og:site_name", own_site_name(site)),
    ];
    for (key, value) in defaults {
        if let Some(value) = value {
            set_default(&mut tags, key, value);
        }
    }
    let mut image = config
        .and_then(|c| c.str("defaultSocialImage"))
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if object.is("PostLayout") {
        if let Some(featured) = object
            .data
            .get("featuredImage")
            .and_then(|f| f.get("url"))
            .and_then(Json::as_str)
        {
            image = Some(featured.to_string());
        }
    }
    if let Some(social) = object.str("socialImage").filter(|s| !s.is_empty()) {
        image = Some(social.to_string());
    }
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    if let Some(image) = image {
        set(&mut tags, "og:image", absolute(base_url, &image));
    }
    set_default(&mut tags, "twitter:card", card.into());
    if let Some(d) = &description {
        set(&mut tags, "og:description", d.clone());
    }
    if base_url.is_some() {
        set(&mut tags, "og:url", absolute(base_url, url));
    }
    for (k, v) in meta_list(Some(object), "metaTags") {
        set(&mut tags, &k, v);
    }
    let meta = tags
        .into_iter()
        .map(|(k, v)| {
            let attr = if k.starts_with("og") {
                "property"
            } else {
                "name"
            };
            (attr.to_string(), k, v)
        })
        .collect();
    Head {
        title,
        description,
        meta,
        favicon: config.and_then(|c| c.str("favicon")).map(str::to_string),
        canonical: base_url.map(|b| absolute(Some(b), url)),
        alternates: Vec::new(),
        prev: None,
        next: None,
    }
}

/// A description from the page's own words: its body's opening, else the first section's
/// subtitle or text (a sentence, at most about 160 characters).
fn content_summary(object: &ContentObject) -> Option<String> {
    const MAX: usize = 160;
    if let Some(summary) = object
        .body
        .as_deref()
        .and_then(|b| crate::plain_summary(b, MAX))
    {
        return Some(summary);
    }
    let sections = object.data.get("sections").and_then(Json::as_array)?;
    sections.iter().find_map(|section| {
        ["subtitle", "text"].iter().find_map(|key| {
            section
                .get(key)
                .and_then(Json::as_str)
                .and_then(|text| crate::plain_summary(text, MAX))
        })
    })
}

/// The site's own name, when it has one: the header title, else the title suffix.
fn own_site_name(site: &Site) -> Option<String> {
    let config = site.config.as_deref()?;
    config
        .data
        .get("header")
        .and_then(|h| h.get("title"))
        .and_then(Json::as_str)
        .or_else(|| config.str("titleSuffix"))
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// The site's name: the header title, else the title suffix, else "folio site".
pub fn site_name(site: &Site) -> String {
    let config = site.config.as_deref();
    config
        .and_then(|c| c.data.get("header"))
        .and_then(|h| h.get("title"))
        .and_then(Json::as_str)
        .or_else(|| config.and_then(|c| c.str("titleSuffix")))
        .unwrap_or("folio site")
        .to_string()
}
