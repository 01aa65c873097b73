//! The site graph as template values, each computed at most once per build (when first read):
//! a page's fields plus its URL, formatted date and resolved author, so that cards, feeds and
//! recent-post lists on thousands of pages share the same values instead of converting them
//! again, and a rebuild that renders three pages converts only what those pages read.

use crate::deps::{record, replay, taint, Dep};
use crate::json_view::{field_value, JsonView};
use folio_content::site_fs::{FileStamp, FoundFile};
use folio_content::{recent_count, ContentObject, Site};
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde};
use minijinja::Value;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::sync::{Arc, Mutex, OnceLock};

/// A page as a template value: its fields plus `__path`, `__url`, `__date`, `__datetime`,
/// `markdownContent`, the resolved `author` and `category` (its title and URL). Each field is read where it is when asked for
/// (see [`crate::json_view`]), so a card that shows five fields of a post converts five, and a
/// feed whose cards are all reused from the previous build converts none.
///
/// Each read of a field (not of `__path`) records the page's inputs in the render in progress:
/// a feed that only passes its posts on to cards depends on the cards, not on the posts (see
/// [`crate::cards`]).
#[derive(Debug)]
struct PageValue {
    site: Arc<Site>,
    /// Edit mode: nested objects carry their file and field path (see [`crate::annotate`]).
    editing: bool,
    index: usize,
    /// Its file, which identifies it without converting it.
    path: Arc<str>,
    /// What its fields are made of: its file, its author's and its category's.
    deps: Box<[Dep]>,
    /// Edit mode only: the page's fields with their annotations, made on first read.
    annotated: OnceLock<Map<String, Json>>,
}

/// The fields folio adds to a page's own, in the order they come after them.
const ADDED_FIELDS: [&str; 5] = ["__path", "__url", "__date", "__datetime", "markdownContent"];

impl PageValue {
    /// One field, or `None` when the page has none by that name.
    fn field(&self, key: &str) -> Option<Value> {
        let page = &self.site.pages[self.index];
        let object = &page.object;
        let added = match key {
            "__path" => Some(Value::from(object.path.as_str())),
            "__url" => Some(Value::from(page.url.as_str())),
            "__date" => object.date.map(|d| Value::from(d.display())),
            "__datetime" => object.date.map(|d| Value::from(d.machine())),
            "markdownContent" => object.body.as_ref().map(|b| Value::from(Arc::clone(b))),
            // The file it names; none when it names no file.
            "author" => {
                let author = object.str("author").and_then(|a| self.site.object(a))?;
                return Some(if self.editing {
                    Value::from(Serde(Json::Object(annotated_value(author, true))))
                } else {
                    JsonView::root(Arc::clone(author))
                });
            }
            // The category page it names (the starter's posts): its title and URL.
            "category" => {
                let category = object.str("category")?;
                let page = &self.site.pages[self.site.page_by_path(category)?];
                return Some(minijinja::context! {
                    title => page.object.str("title"),
                    __url => page.url.as_str(),
                    __path => page.object.path.as_str(),
                });
            }
            _ => None,
        };
        added.or_else(|| {
            if !self.editing {
                return field_value(object, key);
            }
            let annotated = self.annotated.get_or_init(|| annotated_value(object, true));
            annotated.get(key).map(|json| Value::from(Serde(json)))
        })
    }

    /// The page's field names, as a map built from its fields has them: the file's own, then
    /// those folio adds that it lacks; a field that reads as nothing (an `author` naming no
    /// file) is removed, the last name taking its place.
    fn keys(&self) -> Vec<Value> {
        let data = &self.site.pages[self.index].object.data;
        let mut keys: Vec<&str> = data.keys().map(String::as_str).collect();
        for key in ADDED_FIELDS {
            if !data.contains_key(key) && self.field(key).is_some() {
                keys.push(key);
            }
        }
        let mut i = 0;
        while i < keys.len() {
            if self.field(keys[i]).is_some() {
                i += 1;
            } else {
                keys.swap_remove(i);
            }
        }
        keys.into_iter().map(Value::from).collect()
    }
}

impl Object for PageValue {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        if key != "__path" {
            replay(&self.deps);
        }
        self.field(key)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        replay(&self.deps);
        Enumerator::Values(self.keys())
    }
}

/// A list of pages (a feed's items) whose values are made only when an item is read: a feed
/// that passes its items on to cards kept from earlier builds ([`crate::cards`]) never converts
/// them, which on a feed of thousands of posts is most of its cost.
pub(crate) struct PageList {
    values: Arc<SiteValues>,
    indexes: Vec<usize>,
}

impl std::fmt::Debug for PageList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PageList({} pages)", self.indexes.len())
    }
}

impl PageList {
    /// How many pages.
    pub(crate) fn len(&self) -> usize {
        self.indexes.len()
    }

    /// The file of page `i` of the list.
    pub(crate) fn path(&self, i: usize) -> Option<&str> {
        let &page = self.indexes.get(i)?;
        Some(self.values.site.pages[page].object.path.as_str())
    }

    /// The value of page `i` of the list (made on first use, as the template would).
    pub(crate) fn value(&self, i: usize) -> Value {
        self.indexes
            .get(i)
            .map(|&page| self.values.page(page))
            .unwrap_or_default()
    }
}

impl Object for PageList {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = key.as_usize()?;
        (i < self.len()).then(|| self.value(i))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.len())
    }
}

/// The file of a page value (without converting the page), or `None` for other values.
pub(crate) fn page_path(value: &Value) -> Option<Arc<str>> {
    let page = value.downcast_object_ref::<PageValue>()?;
    Some(Arc::clone(&page.path))
}

/// Template values for a whole site.
pub struct SiteValues {
    site: Arc<Site>,
    editing: bool,
    pages: Vec<OnceLock<Value>>,
    image_sizes: HashMap<String, (usize, usize)>,
}

/// [`object_value`], in edit mode with the file and field path of every nested typed object.
fn annotated_value(object: &ContentObject, editing: bool) -> Map<String, Json> {
    let mut data = object_value(object);
    if editing {
        crate::annotate::annotate_json(&mut data, &object.path);
    }
    data
}

/// An object's fields as a template value, with `__path` (its file) added for files.
pub fn object_value(object: &ContentObject) -> Map<String, Json> {
    let mut data = object.data.clone();
    data.insert("__path".into(), Json::String(object.path.clone()));
    data
}

impl SiteValues {
    /// Values for the pages of `site` (each converted when first read); `editing` adds what
    /// edit-mode annotations need.
    pub fn new(site: Arc<Site>, editing: bool) -> Self {
        let pages = site.pages.iter().map(|_| OnceLock::new()).collect();
        let image_sizes = read_image_sizes(&site);
        SiteValues {
            site,
            editing,
            pages,
            image_sizes,
        }
    }

    /// The site's model registry (its own models merged over folio's).
    pub(crate) fn registry(&self) -> &folio_model::Registry {
        &self.site.registry
    }

    /// The size of every local image, by URL, sorted (what every page may depend on).
    pub fn image_sizes(&self) -> Vec<(&str, (usize, usize))> {
        let mut list: Vec<_> = self
            .image_sizes
            .iter()
            .map(|(url, &size)| (url.as_str(), size))
            .collect();
        list.sort_unstable();
        list
    }

    /// The pixel size of a local image (`/images/a.jpg`), if known.
    pub fn image_size_of(&self, url: &str) -> Option<(usize, usize)> {
        self.image_sizes.get(url).copied()
    }

    /// `{width, height}` of a local image (`/images/a.jpg`), or none.
    pub fn image_size(&self, url: &str) -> Value {
        match self.image_sizes.get(url) {
            Some(&(width, height)) => minijinja::context! { width => width, height => height },
            None => Value::from(()),
        }
    }

    /// The value of page `index` (its fields record the page as read when they are read).
    pub fn page(&self, index: usize) -> Value {
        match self.pages.get(index) {
            Some(value) => value
                .get_or_init(|| {
                    let object = &self.site.pages[index].object;
                    let path: Arc<str> = object.path.as_str().into();
                    let mut deps = vec![Dep::Object(Arc::clone(&path))];
                    for reference in ["author", "category"] {
                        if let Some(file) = object.str(reference) {
                            deps.push(Dep::Object(file.into()));
                        }
                    }
                    Value::from_object(PageValue {
                        site: Arc::clone(&self.site),
                        editing: self.editing,
                        index,
                        path,
                        deps: deps.into(),
                        annotated: OnceLock::new(),
                    })
                })
                .clone(),
            None => Value::default(),
        }
    }

    /// The page whose file is `path`, or none.
    pub fn page_by_path(&self, path: &str) -> Value {
        record(Dep::Object(path.into()));
        self.site
            .page_by_path(path)
            .map(|i| self.page(i))
            .unwrap_or_default()
    }

    /// The page whose file is `path` (recorded as read), or `None` when it is no page.
    pub(crate) fn page_at(&self, path: &str) -> Option<Value> {
        let page = self.page_by_path(path);
        (!page.is_undefined() && !page.is_none()).then_some(page)
    }

    /// Any object (page or data file) by path, or none.
    pub fn object(&self, path: &str) -> Value {
        record(Dep::Object(path.into()));
        if let Some(i) = self.site.page_by_path(path) {
            return self.page(i);
        }
        let object = self.site.object(path);
        match object {
            Some(o) if self.editing => Value::from(Serde(Json::Object(annotated_value(o, true)))),
            Some(o) => JsonView::root(Arc::clone(o)),
            None => Value::default(),
        }
    }

    /// The posts or projects a Featured/Recent section shows: the referenced files in order
    /// (missing ones dropped), or the newest `recentCount` (3 when missing or 0).
    pub fn section_items(&self, section: &Value, projects: bool) -> Value {
        let json: Json = serde_json::to_value(section).unwrap_or_default();
        let kind = json.get("type").and_then(Json::as_str).unwrap_or_default();
        let key = if projects { "projects" } else { "posts" };
        if kind.starts_with("Featured") {
            // Referenced files in order (duplicates kept, missing ones dropped); inline
            // objects, which some sites write instead of paths, are taken as they are.
            let items: Vec<Value> = json
                .get(key)
                .and_then(Json::as_array)
                .map(|refs| {
                    refs.iter()
                        .filter_map(|r| match r {
                            Json::String(path) => {
                                // Which file the reference reaches: a post or project is in
                                // the posts' or projects' list (so its creation or removal
                                // changes that list); for anything else, the file itself.
                                let index = self.site.page_by_path(path);
                                match index.map(|i| &self.site.pages[i].object) {
                                    Some(o) if o.is("PostLayout") => record(Dep::Posts),
                                    Some(o) if o.is("ProjectLayout") => record(Dep::Projects),
                                    _ => record(Dep::Object(path.as_str().into())),
                                }
                                index.map(|i| self.page(i))
                            }
                            Json::Object(_) => Some(Value::from(Serde(r.clone()))),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            return Value::from(items);
        }
        let indexes: Vec<usize> = {
            let count = json.as_object().map_or(3, recent_count);
            if projects {
                record(Dep::Projects);
                self.site.recent_projects(count).to_vec()
            } else {
                record(Dep::Posts);
                self.site.recent_posts(count).to_vec()
            }
        };
        self.pages_value(&indexes)
    }

    /// Every page of model `model`, newest first (undated ones after, by path): what a feed
    /// page of the site's own model (`TestimonialFeedLayout` → `TestimonialLayout`) lists.
    pub fn pages_of_model(&self, model: &str) -> Value {
        record(Dep::Pages);
        let mut indexes: Vec<usize> = (0..self.site.pages.len())
            .filter(|&i| self.site.pages[i].object.is(model))
            .collect();
        indexes.sort_by(|&a, &b| {
            let (a, b) = (&self.site.pages[a].object, &self.site.pages[b].object);
            b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path))
        });
        self.pages_value(&indexes)
    }

    fn pages_value(&self, indexes: &[usize]) -> Value {
        Value::from(indexes.iter().map(|&i| self.page(i)).collect::<Vec<_>>())
    }

    /// Record that the render read the list of posts, or of projects when `page` is a project
    /// feed.
    fn record_list_of(&self, page: usize) {
        let projects = self
            .site
            .pages
            .get(page)
            .is_some_and(|p| p.object.is("ProjectFeedLayout"));
        record(if projects { Dep::Projects } else { Dep::Posts });
    }

    /// The items of feed page `number` of page `page` (specific to that route), as a list
    /// whose pages are converted when read.
    pub fn feed_items(self: &Arc<Self>, page: usize, number: usize) -> Value {
        taint();
        self.record_list_of(page);
        Value::from_object(PageList {
            values: Arc::clone(self),
            indexes: self.site.feed_items(page, number).to_vec(),
        })
    }

    /// `{number, pages, url}` of the current feed page: which page, how many, and the feed's URL.
    pub fn feed_pagination(&self, page: usize, number: usize) -> Value {
        taint();
        self.record_list_of(page);
        let p = self.site.pages.get(page);
        minijinja::context! {
            number => number,
            pages => p.and_then(|p| p.pagination).map_or(1, |pg| pg.pages),
            url => p.map(|p| p.url.clone()).unwrap_or_default(),
        }
    }

    /// `{prev, next}` projects of page `page`.
    pub fn neighbours(&self, page: usize) -> Value {
        taint();
        record(Dep::Projects);
        let p = self.site.pages.get(page);
        let get = |i: Option<usize>| i.map(|i| self.page(i)).unwrap_or_default();
        minijinja::context! {
            prev => get(p.and_then(|p| p.prev_project)),
            next => get(p.and_then(|p| p.next_project)),
        }
    }
}

/// Image sizes already read, by file, with the file's size and time then: every build makes
/// its own values, and a rebuild reads the headers of new and changed images only.
type SizeCache = HashMap<std::path::PathBuf, (FileStamp, (usize, usize))>;

fn size_cache() -> std::sync::MutexGuard<'static, SizeCache> {
    static CACHE: OnceLock<Mutex<SizeCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The pixel size of every raster or SVG image under `public/`, by URL, read from the first
/// bytes of each file only: nothing is decoded, and other files are not opened.
fn read_image_sizes(site: &Site) -> HashMap<String, (usize, usize)> {
    let (files, _) = site.root.walk("public");
    files
        .iter()
        .filter_map(|file| {
            let url = file.rel.strip_prefix("public")?.to_string();
            let known = file
                .stamp
                .and_then(|stamp| match size_cache().get(&file.abs) {
                    Some(&(seen, size)) if seen == stamp => Some(size),
                    _ => None,
                });
            if let Some(size) = known {
                return Some((url, size));
            }
            let size = read_image_size(site, file)?;
            if let Some(stamp) = file.stamp {
                size_cache().insert(file.abs.clone(), (stamp, size));
            }
            Some((url, size))
        })
        .collect()
}

/// The pixel size of one image file (`None`: not an image, or unreadable).
fn read_image_size(site: &Site, file: &FoundFile) -> Option<(usize, usize)> {
    let extension = file.rel.rsplit('.').next()?.to_ascii_lowercase();
    let is_raster = matches!(
        extension.as_str(),
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "avif" | "bmp" | "ico" | "tif" | "tiff"
    );
    if extension != "svg" && !is_raster {
        return None;
    }
    let reader = BufReader::new(site.root.open_file(file).ok()?);
    if is_raster {
        let size = imagesize::reader_size(reader).ok()?;
        return Some((size.width, size.height));
    }
    // The root element's attributes come first; a few KB hold them.
    let mut head = Vec::with_capacity(SVG_HEAD_BYTES);
    reader
        .take(SVG_HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    svg_size(&head)
}

/// How much of an SVG file is read to find its `<svg …>` tag.
const SVG_HEAD_BYTES: usize = 8 * 1024;

/// The intrinsic size of an SVG: its `width`/`height` attributes in pixels, else its `viewBox`.
fn svg_size(bytes: &[u8]) -> Option<(usize, usize)> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        // A read cut inside a multi-byte character: keep the valid part.
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
    };
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()
    };
    let px = |v: &str| {
        v.trim()
            .trim_end_matches("px")
            .parse::<f64>()
            .ok()
            .filter(|n| *n > 0.0)
    };
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w.round() as usize, h.round() as usize));
    }
    let view_box: Vec<f64> = attr("viewBox")?
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect();
    match view_box[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as usize, h.round() as usize)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::svg_size;

    #[test]
    fn reads_svg_sizes_from_attributes_or_view_box() {
        assert_eq!(
            svg_size(br#"<svg width="120px" height="40" xmlns="x">"#),
            Some((120, 40))
        );
        assert_eq!(
            svg_size(br#"<?xml?><svg viewBox="0 0 64 32">"#),
            Some((64, 32))
        );
        assert_eq!(svg_size(br#"<svg width="100%" height="100%">"#), None);
    }
}
