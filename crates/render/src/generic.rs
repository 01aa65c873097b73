//! The generic rendering of an object whose model has no template: its visible fields, read
//! from its model (the site's own, merged over folio's) in model order, then the fields the
//! file has that the model does not declare, each classified by what it shows: a heading, a
//! subtitle, text, Markdown, an image, a date, actions, a list of items, a nested object or a
//! list of words. `_generic.html` (sections and blocks) and `_generic_page.html` (pages) lay
//! them out in the theme's frame, so that nothing an owner wrote vanishes for want of a
//! template. Settings (enums, booleans, numbers, colours, styles) are not shown: they are how
//! the original draws a thing, not what it says.

use crate::values::SiteValues;
use folio_model::{Field, FieldOrigin, FieldType, Registry};
use minijinja::{Environment, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// `generic_parts(obj)`, `extra_parts(obj)`, `generic_kind(obj, page_root)`, `generic_feed(obj)`
/// and `plain_summary(text)` for the
/// generic templates; `site_templates` are the types the site has its own template for.
pub(crate) fn add_functions(
    env: &mut Environment<'static>,
    values: Arc<SiteValues>,
    site_templates: std::collections::BTreeSet<String>,
) {
    let v = Arc::clone(&values);
    env.add_function("generic_parts", move |obj: Value| {
        generic_parts(v.registry(), &obj)
    });
    let v = Arc::clone(&values);
    env.add_function("extra_parts", move |obj: Value| {
        // A site's own template draws what it wants; folio's draw the fields folio knows.
        if site_templates.contains(&type_name(&obj)) {
            return Value::from(Vec::<Value>::new());
        }
        extra_parts(v.registry(), &obj)
    });
    let v = Arc::clone(&values);
    env.add_function("generic_feed", move |obj: Value| {
        // A feed page of the site's own model lists the pages of its item model, as the
        // site's code did: `TestimonialFeedLayout` lists the `TestimonialLayout` pages.
        let kind = type_name(&obj);
        match kind.strip_suffix("FeedLayout") {
            Some(item) if !item.is_empty() => v.pages_of_model(&format!("{item}Layout")),
            _ => Value::from(Vec::<Value>::new()),
        }
    });
    env.add_function("plain_summary", |text: Option<String>| {
        text.and_then(|t| crate::plain_summary(&t, 200))
    });
    env.add_function(
        "generic_kind",
        move |obj: Value, page_root: Option<bool>| {
            generic_kind(values.registry(), &obj, page_root.unwrap_or(false))
        },
    );
}

/// Keys that frame an object (the section wrapper reads them) or that folio adds.
const FRAME_KEYS: &[&str] = &[
    "type",
    "layout",
    "elementId",
    "colors",
    "styles",
    "backgroundSize",
    "backgroundImage",
    "variant",
    "slug",
    "seo",
    "markdownContent",
    "markdown_content",
    "metaTitle",
    "metaDescription",
    "socialImage",
    "metaTags",
    "addTitleSuffix",
    "url",
    "altText",
];

/// What a field shows, for the generic templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Title,
    Subtitle,
    Text,
    Markdown,
    Image,
    Date,
    Actions,
    Items,
    Images,
    Object,
    Reference,
    References,
    Words,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Subtitle => "subtitle",
            Part::Text => "text",
            Part::Markdown => "markdown",
            Part::Image => "image",
            Part::Date => "date",
            Part::Actions => "actions",
            Part::Items => "items",
            Part::Images => "images",
            Part::Object => "object",
            Part::Reference => "reference",
            Part::References => "references",
            Part::Words => "words",
        }
    }
}

/// `"page"`, `"section"` or `"block"`: which part of the generic template draws `obj`. A page
/// model (or the page itself, `page_root`) is a page; a model named `…Section` or in a section group is
/// a section; anything else is a block inside one.
pub(crate) fn generic_kind(registry: &Registry, obj: &Value, page_root: bool) -> &'static str {
    kind_of_type(registry, &type_name(obj), page_root)
}

/// [`generic_kind`] by the type's name: a model without definition named `…Layout` is a page.
pub(crate) fn kind_of_type(registry: &Registry, name: &str, page_root: bool) -> &'static str {
    let model = registry.get(name);
    let page = match model {
        Some(m) => m.kind == folio_model::ModelKind::Page,
        None => name.ends_with("Layout"),
    };
    if page_root || page {
        "page"
    } else if name.ends_with("Section")
        || model.is_some_and(|m| {
            m.groups
                .iter()
                .any(|g| g.to_lowercase().contains("section"))
        })
    {
        "section"
    } else {
        "block"
    }
}

/// The parts of `obj` to show, in order: `[{kind, name, label, value}]`, `value` being the
/// object's own value (so that edit-mode annotations find it).
pub(crate) fn generic_parts(registry: &Registry, obj: &Value) -> Value {
    parts_of(registry, obj, false)
}

/// The parts of the fields of `obj` that only the site's own model declares: a template of
/// folio's theme, written for folio's model, does not draw them.
pub(crate) fn extra_parts(registry: &Registry, obj: &Value) -> Value {
    parts_of(registry, obj, true)
}

fn parts_of(registry: &Registry, obj: &Value, site_only: bool) -> Value {
    let model = registry.get(&type_name(obj));
    if site_only && model.is_none_or(|m| m.fields.iter().all(|f| f.origin != FieldOrigin::Site)) {
        return Value::from(Vec::<Value>::new());
    }
    let mut names: Vec<String> = model
        .map(|m| m.fields.iter().map(|f| f.name.clone()).collect())
        .unwrap_or_default();
    if let Ok(keys) = obj.try_iter() {
        for key in keys {
            if let Some(key) = key.as_str() {
                if !names.iter().any(|n| n == key) {
                    names.push(key.to_string());
                }
            }
        }
    }
    let mut parts = Vec::new();
    let mut has_title = false;
    // A person: one heading of first and last name (Person's fields).
    let first = obj
        .get_attr("firstName")
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    let last = obj
        .get_attr("lastName")
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    if !site_only && (first.is_some() || last.is_some()) {
        let name = [first, last]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let mut entry = BTreeMap::new();
        entry.insert("kind", Value::from(Part::Title.name()));
        entry.insert("name", Value::from("name"));
        entry.insert("label", Value::from("Name"));
        entry.insert("value", Value::from(name));
        parts.push(Value::from(entry));
        has_title = true;
    }
    for name in names {
        let person_name = has_title && (name == "firstName" || name == "lastName");
        if name.starts_with("__") || FRAME_KEYS.contains(&name.as_str()) || person_name {
            continue;
        }
        let value = obj.get_attr(&name).unwrap_or(Value::UNDEFINED);
        if is_empty(&value) {
            continue;
        }
        let field = model.and_then(|m| m.field(&name));
        if site_only && field.is_none_or(|f| f.origin != FieldOrigin::Site) {
            continue;
        }
        let Some(mut part) = classify(field, &name, &value) else {
            continue;
        };
        // One heading: a second title-like field is text.
        if part == Part::Title {
            if has_title {
                part = Part::Text;
            }
            has_title = true;
        }
        let label = field
            .and_then(|f| f.label.clone())
            .unwrap_or_else(|| humanise(&name));
        let mut entry = BTreeMap::new();
        entry.insert("kind", Value::from(part.name()));
        entry.insert("name", Value::from(name));
        entry.insert("label", Value::from(label));
        entry.insert("value", value);
        parts.push(Value::from(entry));
    }
    // Without a title, the first line of text heads the object (a FAQ item's question).
    if !has_title && !site_only {
        if let Some(first) = parts.iter_mut().find(|p| {
            p.get_attr("kind").ok().as_ref().and_then(Value::as_str) == Some(Part::Text.name())
        }) {
            let mut entry: BTreeMap<&str, Value> = BTreeMap::new();
            for key in ["name", "label", "value"] {
                entry.insert(key, first.get_attr(key).unwrap_or_default());
            }
            entry.insert("kind", Value::from(Part::Title.name()));
            *first = Value::from(entry);
        }
    }
    Value::from(parts)
}

fn type_name(obj: &Value) -> String {
    obj.get_attr("type")
        .ok()
        .and_then(|t| t.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn is_empty(value: &Value) -> bool {
    value.is_undefined()
        || value.is_none()
        || value.as_str().is_some_and(|s| s.trim().is_empty())
        || (value.kind() == minijinja::value::ValueKind::Seq && value.len() == Some(0))
}

/// What field `name` with `value` shows, from its model field when it has one, else from the
/// value's shape.
fn classify(field: Option<&Field>, name: &str, value: &Value) -> Option<Part> {
    let by_name = match name {
        "title" | "name" | "label" | "heading" => Some(Part::Title),
        "subtitle" | "tagline" | "subheading" => Some(Part::Subtitle),
        _ => None,
    };
    if let Some(field) = field {
        return match field.kind {
            FieldType::String | FieldType::Text => by_name.or(Some(if is_url(value) {
                Part::Words
            } else {
                Part::Text
            })),
            FieldType::Markdown => Some(Part::Markdown),
            FieldType::Image => Some(Part::Image),
            FieldType::Date => Some(Part::Date),
            FieldType::Model => Some(Part::Object).filter(|_| is_map(value)),
            // A file path: the template resolves it (a person of a team list).
            FieldType::Reference if value.as_str().is_some() => Some(Part::Reference),
            FieldType::Reference => Some(Part::Object).filter(|_| is_map(value)),
            FieldType::List => Some(list_part(field.items.as_ref(), value)),
            // An enum that says what something is (an exec's `role`), not how it looks.
            FieldType::Enum if !is_setting(field) => Some(Part::Text),
            // Settings: how the original draws the object, not what it says.
            FieldType::Enum
            | FieldType::Boolean
            | FieldType::Number
            | FieldType::Color
            | FieldType::Style
            | FieldType::Json => None,
        };
    }
    // A field no model declares: by the shape of its value.
    if let Some(text) = value.as_str() {
        return Some(if let Some(part) = by_name {
            part
        } else if looks_like_image(text) {
            Part::Image
        } else if text.contains('\n') {
            Part::Markdown
        } else {
            Part::Text
        });
    }
    if is_map(value) {
        return Some(Part::Object);
    }
    if value.kind() == minijinja::value::ValueKind::Seq {
        return Some(list_part(None, value));
    }
    None
}

fn list_part(items: Option<&folio_model::ListItems>, value: &Value) -> Part {
    let types: Vec<String> = value
        .try_iter()
        .map(|it| it.map(|v| type_name(&v)).collect())
        .unwrap_or_default();
    let is_action = |t: &String| t == "Button" || t == "Link";
    if !types.is_empty() && types.iter().all(is_action) {
        Part::Actions
    } else if items.is_some_and(|i| i.kind == FieldType::Reference)
        && value
            .try_iter()
            .is_ok_and(|mut it| it.all(|v| v.as_str().is_some()))
    {
        // File paths (the people of a team section): the template resolves each.
        Part::References
    } else if value.try_iter().is_ok_and(|mut it| it.all(|v| is_map(&v))) {
        Part::Items
    } else if items.is_some_and(|i| i.kind == FieldType::Image)
        || value
            .try_iter()
            .is_ok_and(|mut it| it.all(|v| v.as_str().is_some_and(looks_like_image)))
    {
        Part::Images
    } else {
        Part::Words
    }
}

/// Whether an enum field is a setting (how the object looks): in a styles or settings group,
/// or named as the theme's settings are.
fn is_setting(field: &Field) -> bool {
    const WORDS: &[&str] = &[
        "color",
        "colour",
        "variant",
        "style",
        "size",
        "position",
        "align",
        "width",
        "height",
        "layout",
        "font",
        "weight",
        "theme",
        "icon",
        "direction",
        "justify",
        "background",
        "mode",
        "case",
        "target",
        "rel",
        "type",
        "scheme",
        "spacing",
        "padding",
        "margin",
        "border",
    ];
    let group = field.group.as_deref().unwrap_or_default().to_lowercase();
    let name = field.name.to_lowercase();
    ["style", "design", "setting", "layout", "appearance"]
        .iter()
        .any(|g| group.contains(g))
        || WORDS.iter().any(|w| name.contains(w))
        || name.starts_with("show")
        || name.starts_with("is")
        || name.starts_with("has")
}

fn is_map(value: &Value) -> bool {
    value.kind() == minijinja::value::ValueKind::Map
}

fn is_url(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"))
}

/// A single word ending in an image extension: a path, not a sentence about a `.png`.
fn looks_like_image(text: &str) -> bool {
    !text.contains(char::is_whitespace) && has_image_extension(text)
}

/// Whether `text` ends in the extension of an image format browsers draw.
pub(crate) fn has_image_extension(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// `featuredPeople` → `Featured people`.
fn humanise(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c == '_' || c == '-' {
            out.push(' ');
        } else if c.is_uppercase() && i > 0 {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(obj: serde_json::Value) -> Vec<(String, String)> {
        let registry = Registry::builtin();
        let value = generic_parts(&registry, &Value::from(minijinja::value::Serde(&obj)));
        value
            .try_iter()
            .expect("a list")
            .map(|p| {
                let get = |k: &str| {
                    p.get_attr(k)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                };
                (
                    get("kind").unwrap_or_default(),
                    get("name").unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn a_model_without_template_shows_its_content_not_its_settings() {
        let found = parts(serde_json::json!({
            "type": "FaqSection",
            "title": "Questions",
            "subtitle": "and answers",
            "colors": "colors-a",
            "showDivider": true,
            "items": [{"type": "FaqItem", "question": "Why?", "answer": "Because.\n\nReally."}],
            "actions": [{"type": "Button", "label": "Ask", "url": "/ask"}],
            "cover": "/images/cover.jpg",
            "tags": ["a", "b"],
        }));
        assert_eq!(
            found,
            [
                ("title", "title"),
                ("subtitle", "subtitle"),
                ("items", "items"),
                ("actions", "actions"),
                ("image", "cover"),
                ("words", "tags"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let answer = parts(
            serde_json::json!({"type": "FaqItem", "question": "Why?", "answer": "Because.\n\nReally."}),
        );
        assert_eq!(
            answer,
            [("title", "question"), ("markdown", "answer")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn kinds_follow_the_model_or_the_name() {
        let registry = Registry::builtin();
        let of = |v: serde_json::Value, root| {
            generic_kind(&registry, &Value::from(minijinja::value::Serde(&v)), root)
        };
        assert_eq!(
            of(serde_json::json!({"type": "ProductLayout"}), true),
            "page"
        );
        assert_eq!(
            of(serde_json::json!({"type": "PanoramaSection"}), false),
            "section"
        );
        assert_eq!(of(serde_json::json!({"type": "Badge"}), false), "block");
        assert_eq!(humanise("featuredPeople"), "Featured people");
    }
}
