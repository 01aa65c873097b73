//! What of the content the pages show: every typed object (a section, a block, a link, a page)
//! is looked for in the pages of an edit-mode build, where every object a template draws
//! carries its file and field path (`data-sb-object-id`, `data-sb-field-path`). Each object is
//! drawn by a template, drawn by the generic template (`sb-generic`), shown in the head or as a
//! style (SEO, meta tags, background images, an og:image), or not shown at all, which
//! `folio check` reports at the object's line (`render/not-shown`) and `cargo xtask coverage`
//! counts.

use crate::MemoryBuild;
use folio_content::document::field_span;
use folio_diag::Diagnostic;
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};

/// Models shown in the head or as a style rather than as an element of the page.
const NOT_ELEMENTS: &[&str] = &["Seo", "MetaTag", "BackgroundImage", "ThemeStyle"];

/// How the objects of a site's content are shown.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Typed objects in the content (pages included; data files no page uses left out).
    pub objects: usize,
    /// Drawn by a template of the theme or the site.
    pub template: usize,
    /// Drawn by the generic template.
    pub generic: usize,
    /// Shown in the head or as a style.
    pub not_elements: usize,
    /// Not drawn because they hold nothing the original would draw (an image without a
    /// `url`): `folio check` says which field to set.
    pub empty: Vec<NotShown>,
    /// Shown nowhere, although they hold something to show.
    pub lost: Vec<NotShown>,
}

/// The fields one of which an object of these models needs for the original to draw anything
/// of it (its `ImageBlock` returns nothing without `url`, its `Contacts` only draws the phone,
/// the e-mail and the address).
const DRAWN_ONLY_WITH: &[(&str, &[&str])] = &[
    ("ImageBlock", &["url"]),
    ("VideoBlock", &["url"]),
    ("BackgroundImage", &["url"]),
    ("ContactBlock", &["phoneNumber", "email", "address"]),
];

/// The fields one of which an object of `model` needs to be drawn at all, if its model has
/// such a rule.
fn drawn_only_with(model: &str) -> Option<&'static [&'static str]> {
    DRAWN_ONLY_WITH
        .iter()
        .find(|(m, _)| *m == model)
        .map(|(_, fields)| *fields)
}

/// Whether `object` of `model` lacks every field it needs to be drawn at all.
fn has_nothing_to_draw(model: &str, object: Option<&Json>) -> bool {
    let set = |field: &&str| {
        object
            .and_then(|o| o.get(*field))
            .is_some_and(|v| !(v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty())))
    };
    drawn_only_with(model).is_some_and(|fields| !fields.iter().any(set))
}

/// An object no page shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotShown {
    /// Its file.
    pub file: String,
    /// Its field path in the file (`sections.2.items.0`; empty for a page itself).
    pub path: String,
    /// Its model.
    pub model: String,
    /// The model of the object that holds it (its file's model for a field at the root).
    pub parent: String,
}

/// How the objects of `build`'s site are shown in its pages; `build` must have been made in
/// edit mode (`SiteBuilder::editing`), whose annotations say what each element draws.
pub fn coverage(build: &MemoryBuild) -> Coverage {
    // (file, path) of every object drawn, and whether the generic template drew it.
    let mut drawn: BTreeMap<(String, String), bool> = BTreeMap::new();
    // (file, path) of every field shown, an object's root or not.
    let mut shown: BTreeSet<(String, String)> = BTreeSet::new();
    // Image URLs shown: cards draw other pages' images without annotating them.
    let mut sources: BTreeSet<String> = BTreeSet::new();
    // Images shown as a page's og:image (a post's featuredImage when its feed shows none).
    let mut meta_images: BTreeSet<String> = BTreeSet::new();
    for (name, bytes) in &build.files {
        if name.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            read_annotations(&html, &mut drawn, &mut shown);
            for part in html.split(" src=\"").skip(1) {
                sources.insert(part[..part.find('"').unwrap_or(0)].to_string());
            }
            // A section's background layer (`_section.html`).
            for part in html.split("background-image: url('").skip(1) {
                sources.insert(part[..part.find('\'').unwrap_or(0)].to_string());
            }
            for part in html.split("<meta property=\"og:image\" content=\"").skip(1) {
                meta_images.insert(part[..part.find('"').unwrap_or(0)].to_string());
            }
        }
    }
    // An object drawn inline by its parent's template (a label of a LabelsSection): a field
    // of it is shown.
    let shows_a_field = |file: &str, path: &str| {
        let prefix = format!("{path}.");
        shown
            .range((file.to_string(), prefix.clone())..)
            .next()
            .is_some_and(|(f, p)| f == file && p.starts_with(&prefix))
    };
    let site = &build.loaded.site;
    let mut report = Coverage::default();
    let pages: BTreeSet<&str> = site.pages.iter().map(|p| p.object.path.as_str()).collect();
    // A data file no page refers to (a person of no team) is not shown by the original either.
    let mentioned: BTreeSet<String> = site
        .objects
        .values()
        .flat_map(|o| strings_in(&o.data))
        .filter(|s| s.starts_with("content/data/"))
        .collect();
    for object in site.objects.values() {
        let is_shared_data = object.path.starts_with("content/data/")
            && !object.path.starts_with("content/data/config")
            && !object.path.starts_with("content/data/style");
        if is_shared_data && !mentioned.contains(&object.path) {
            continue;
        }
        let mut found = Vec::new();
        // A page is an object itself; a data file's root (config, a person) is drawn through
        // the pages that use it, so only the objects inside it count.
        if pages.contains(object.path.as_str()) {
            let model = object.model.clone().unwrap_or_default();
            found.push((String::new(), model));
        }
        typed_objects(&object.data, "", &mut found);
        for (path, model) in found {
            let image_url = (model == "ImageBlock")
                .then(|| value_at(&object.data, &path))
                .flatten()
                .and_then(|image| image.get("url"))
                .and_then(Json::as_str);
            let image_shown = image_url.is_some_and(|url| sources.contains(url));
            let image_in_head = image_url.is_some_and(|url| meta_images.contains(url));
            report.objects += 1;
            match drawn.get(&(object.path.clone(), path.clone())) {
                Some(true) => report.generic += 1,
                Some(false) => report.template += 1,
                None if image_shown || shows_a_field(&object.path, &path) => report.template += 1,
                None if image_in_head
                    || NOT_ELEMENTS.contains(&model.as_str())
                    || model.starts_with("ThemeStyle") =>
                {
                    report.not_elements += 1
                }
                None => {
                    let empty = has_nothing_to_draw(&model, value_at(&object.data, &path));
                    let not_shown = NotShown {
                        file: object.path.clone(),
                        parent: holder_model(object.model.as_deref(), &object.data, &path),
                        path,
                        model,
                    };
                    if empty {
                        report.empty.push(not_shown);
                    } else {
                        report.lost.push(not_shown);
                    }
                }
            }
        }
    }
    report.empty.sort();
    report.lost.sort();
    report
}

/// A warning for each object of `build`'s site that no page shows, at its line: what
/// `folio check` adds to the content's own problems.
pub fn not_shown_warnings(build: &MemoryBuild) -> Vec<Diagnostic> {
    let site = &build.loaded.site;
    let report = coverage(build);
    let empty = report.empty.into_iter().map(|empty| {
        let needs = drawn_only_with(&empty.model).unwrap_or_default();
        let fields = needs
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let (one, label) = match needs {
            [_] => (fields.clone(), format!("no {fields}")),
            _ => (format!("one of {fields}"), format!("none of {fields}")),
        };
        let message = format!(
            "`{}` ({}) has {label}, so it shows nothing (the original draws nothing either)",
            empty.path, empty.model
        );
        (
            empty,
            message,
            format!("set {one}, or remove the object"),
            "nothing to draw",
        )
    });
    let lost = report.lost.into_iter().map(|lost| {
        let field = lost.path.rsplit('.').find(|p| p.parse::<usize>().is_err());
        let NotShown {
            file,
            path,
            model,
            parent,
        } = &lost;
        let (message, help) = match field {
            None => (
                format!("the page `{file}` is in the content, but no page shows it"),
                format!("write `templates/{model}.html` (`folio new template {model}`)"),
            ),
            Some(field) => (
                format!("`{path}` ({model}) is in the content, but no page shows it"),
                format!(
                    "no template draws the `{field}` of a `{parent}`; to show it, draw it in \
                     the site's own `templates/{parent}.html` (`folio eject-theme` copies \
                     the theme's templates to start from)"
                ),
            ),
        };
        (lost, message, help, "not drawn by any template")
    });
    empty
        .chain(lost)
        .map(|(object, message, help, label)| {
            let mut d = Diagnostic::warning("render/not-shown", message)
                .in_file(object.file.clone())
                .with_label(label)
                .with_help(help);
            let span = site
                .sources
                .get(&object.file)
                .and_then(|text| field_span(&object.file, text, &object.path));
            if let Some(span) = span {
                d = d.at(span);
            }
            d
        })
        .collect()
}

/// The model of the object holding the object at `path` of a file: the nearest typed object
/// above it, else the file's own model.
fn holder_model(file_model: Option<&str>, data: &Map<String, Json>, path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    (1..parts.len())
        .rev()
        .find_map(|len| {
            let holder = value_at(data, &parts[..len].join("."))?;
            holder.get("type")?.as_str().map(str::to_string)
        })
        .or_else(|| file_model.map(str::to_string))
        .unwrap_or_default()
}

/// Every string value inside `data`, however deep.
fn strings_in(data: &Map<String, Json>) -> Vec<String> {
    fn walk(value: &Json, out: &mut Vec<String>) {
        match value {
            Json::String(s) => out.push(s.clone()),
            Json::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Json::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    data.values().for_each(|v| walk(v, &mut out));
    out
}

/// The value at the dotted `path` of `data`.
fn value_at<'a>(data: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    let mut parts = path.split('.');
    let mut value = data.get(parts.next()?)?;
    for part in parts {
        value = match value {
            Json::Object(map) => map.get(part)?,
            Json::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Every object with a `type` inside `data` (not `data` itself), by field path.
fn typed_objects(data: &Map<String, Json>, prefix: &str, out: &mut Vec<(String, String)>) {
    for (key, value) in data {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Json::Object(map) => {
                if let Some(model) = map.get("type").and_then(Json::as_str) {
                    out.push((path.clone(), model.to_string()));
                }
                typed_objects(map, &path, out);
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Json::Object(map) = item {
                        let path = format!("{path}.{i}");
                        if let Some(model) = map.get("type").and_then(Json::as_str) {
                            out.push((path.clone(), model.to_string()));
                        }
                        typed_objects(map, &path, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The annotations of `html`: object roots (`data-sb-object-id` with `data-sb-field-path`, a
/// page's root with only the first) into `drawn`, each with whether its `class` has
/// `sb-generic`; every field path into `shown`, a field without its own file taking that of
/// the object root before it.
fn read_annotations(
    html: &str,
    drawn: &mut BTreeMap<(String, String), bool>,
    shown: &mut BTreeSet<(String, String)>,
) {
    let mut rest = html;
    let mut file_before = String::new();
    while let Some(at) = rest.find("data-sb-") {
        let tag_start = rest[..at].rfind('<').unwrap_or(0);
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[tag_start..tag_end];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|s| {
                let value = &tag[s + key.len()..];
                unescape(&value[..value.find('"').unwrap_or(value.len())])
            })
        };
        let path = attr("data-sb-field-path").unwrap_or_default();
        if let Some(file) = attr("data-sb-object-id") {
            let generic = attr("class").is_some_and(|c| c.split(' ').any(|c| c == "sb-generic"));
            let entry = drawn.entry((file.clone(), path.clone())).or_insert(generic);
            *entry |= generic;
            shown.insert((file.clone(), path));
            file_before = file;
        } else if !path.is_empty() {
            shown.insert((file_before.clone(), path));
        }
        rest = &rest[tag_end.max(at + 1)..];
    }
}

/// An attribute value as written, without its character references (`it&#x27;s` → `it's`).
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
