//! The template engine: minijinja with the built-in theme embedded in the binary, a site's own
//! `templates/` files taking precedence, and the helpers every template uses. `component(obj)`
//! renders any object with the template named after its `type`.

use crate::annotate;
use crate::background::{responsive_background, Fit};
use crate::cards::{feed_card, feed_cards, CardCache, CardContext};
use crate::splice::Splices;

/// The page of a site file, recorded as read (`None`: not a page); see [`CardContext`].
type ItemDeps = dyn Fn(&str) -> Option<Value> + Send + Sync;
use crate::deps::{in_frame, isolated_frame, replay, taint, Versions};
use crate::icons::icon_svg;
use crate::markdown::{render_markdown_inline, render_markdown_with};
use crate::memo::{ComponentMemo, Memoized, ROUTE_NAMES};
use crate::profile::timed;
use crate::responsive::{img_attributes, webp_source, ImageSets};
use crate::styles::map_styles;
use crate::values::SiteValues;
use crate::video::{video_source, VideoSource};
use crate::{escape_html, internal_href};
use include_dir::{include_dir, Dir};
use minijinja::value::{Kwargs, Serde};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The built-in theme's templates.
pub static BUILTIN_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme/templates");

/// The source of a built-in template, by name (`HeroSection.html`).
pub fn builtin_template(name: &str) -> Option<&'static str> {
    BUILTIN_TEMPLATES
        .get_file(name)
        .and_then(|f| f.contents_utf8())
}

/// Build the environment for one site: its own templates first, then the built-in ones.
pub(crate) fn build_environment(
    site_templates: BTreeMap<String, String>,
    values: Arc<SiteValues>,
    images: Arc<ImageSets>,
    memo: Arc<ComponentMemo>,
    cards: Arc<CardCache>,
    versions: Arc<Versions>,
    splices: Arc<Splices>,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    // minijinja's default escaper also escapes `/`; URLs read better without that.
    env.set_formatter(|out, state, value| {
        if value.is_safe() || value.is_none() || value.is_undefined() {
            if !value.is_none() && !value.is_undefined() {
                write!(out, "{value}")
                    .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()))?;
            }
            return Ok(());
        }
        let text = value.to_string();
        let escaped = escape_html(&text);
        if let Some((file, path)) = editing_field(state, value) {
            let mut marked = String::new();
            annotate::mark(&mut marked, file.as_deref(), &path, &escaped, false);
            return out
                .write_str(&marked)
                .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()));
        }
        out.write_str(&escaped)
            .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()))
    });
    let site_icons: BTreeMap<String, String> = site_templates
        .iter()
        .filter(|(name, _)| name.starts_with("icons/") && name.ends_with(".svg"))
        .map(|(name, svg)| (name.clone(), svg.clone()))
        .collect();
    let own_types: std::collections::BTreeSet<String> = site_templates
        .keys()
        .filter_map(|name| name.strip_suffix(".html"))
        .map(str::to_string)
        .collect();
    env.set_loader(move |name| {
        Ok(site_templates
            .get(name)
            .cloned()
            .or_else(|| builtin_template(name).map(str::to_string)))
    });
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }

    env.add_filter("styles", |part: Value| {
        map_styles(&serde_json::to_value(&part).unwrap_or_default())
    });
    let (v, sets) = (Arc::clone(&values), Arc::clone(&images));
    env.add_filter("markdown", move |state: &State, text: Option<String>| {
        // Images in Markdown are below the fold, in a column at most 768px wide.
        let attrs = |url: &str| {
            let set = sets.get(url);
            let size = v.image_size_of(url);
            let sizes = Some(MARKDOWN_SIZES);
            (
                img_attributes(size, set, url, false, sizes),
                webp_source(set, size, sizes),
            )
        };
        let html = text
            .as_deref()
            .map(|t| render_markdown_with(t, &attrs))
            .unwrap_or_default();
        let field = text.and_then(|t| editing_field(state, &Value::from(t)));
        Value::from_safe_string(match field {
            Some((file, path)) => {
                let mut marked = String::new();
                annotate::mark(&mut marked, file.as_deref(), &path, &html, true);
                marked
            }
            None => html,
        })
    });
    env.add_filter("markdown_inline", |text: Option<String>| {
        Value::from_safe_string(text.map(|t| render_markdown_inline(&t)).unwrap_or_default())
    });
    env.add_filter("href", |url: Option<String>| {
        internal_href(url.as_deref().unwrap_or_default())
    });
    env.add_filter("kebab", |name: Option<String>| {
        kebab(name.as_deref().unwrap_or_default())
    });
    env.add_function(
        "icon",
        move |name: Option<String>, kwargs: Kwargs| -> Result<Value, Error> {
            let class: Option<String> = kwargs.get("class")?;
            kwargs.assert_all_used()?;
            Ok(Value::from_safe_string(
                name.and_then(|n| icon_svg(&n, class.as_deref().unwrap_or("h-5 w-5"), &site_icons))
                    .unwrap_or_default(),
            ))
        },
    );
    env.add_function("video", |url: Option<String>| {
        let (kind, id) = match video_source(url.as_deref().unwrap_or_default()) {
            VideoSource::YouTube(id) => ("youtube", id),
            VideoSource::Vimeo(id) => ("vimeo", id),
            VideoSource::File(url) => ("file", url),
            VideoSource::Unsupported => ("unsupported", String::new()),
        };
        Value::from(Serde(serde_json::json!({"kind": kind, "id": id})))
    });
    crate::generic::add_functions(&mut env, Arc::clone(&values), own_types);
    env.add_function(
        "component",
        move |state: &State, obj: Value, kwargs: Kwargs| component(state, obj, kwargs, &memo),
    );

    // `feed_card` (one card) and `feed_cards` (a list) share the card cache (cards.rs).
    let v = Arc::clone(&values);
    let item_deps: Arc<ItemDeps> = Arc::new(move |path: &str| v.page_at(path));
    let context = move |state: &State, run: &dyn Fn(&CardContext<'_>) -> Result<Value, Error>| {
        run(&CardContext {
            cache: &cards,
            versions: &versions,
            item_deps: &*item_deps,
            splices: &splices,
            editing: editing(state),
        })
    };
    let one = Arc::new(context);
    let many = Arc::clone(&one);
    env.add_function(
        "feed_card",
        move |state: &State, template: String, section: Value, item: Value| {
            let config = state.lookup("config");
            one(state, &|c| {
                feed_card(
                    state.env(),
                    c,
                    config.clone(),
                    &template,
                    section.clone(),
                    item.clone(),
                )
            })
        },
    );
    env.add_function(
        "feed_cards",
        move |state: &State, template: String, section: Value, items: Value| {
            let config = state.lookup("config");
            many(state, &|c| {
                feed_cards(
                    state.env(),
                    c,
                    config.clone(),
                    &template,
                    section.clone(),
                    items.clone(),
                )
            })
        },
    );
    let v = Arc::clone(&values);
    env.add_function("resolve", move |path: Option<String>| {
        v.object(path.as_deref().unwrap_or_default())
    });
    let v = Arc::clone(&values);
    env.add_function("size_attrs", move |url: Option<String>| {
        let size = v.image_size(url.as_deref().unwrap_or_default());
        let attr = |k: &str| {
            size.get_attr(k)
                .ok()
                .filter(|x| !x.is_undefined() && !x.is_none())
        };
        Value::from_safe_string(match (attr("width"), attr("height")) {
            (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
            _ => String::new(),
        })
    });
    let (v, sets) = (Arc::clone(&values), Arc::clone(&images));
    env.add_function(
        "img_attrs",
        move |url: Option<String>, kwargs: Kwargs| -> Result<Value, Error> {
            let eager: Option<bool> = kwargs.get("eager")?;
            let sizes: Option<String> = kwargs.get("sizes")?;
            kwargs.assert_all_used()?;
            let url = url.unwrap_or_default();
            Ok(Value::from_safe_string(img_attributes(
                v.image_size_of(&url),
                sets.get(&url),
                &url,
                eager.unwrap_or(false),
                sizes.as_deref(),
            )))
        },
    );
    let (v, sets) = (Arc::clone(&values), Arc::clone(&images));
    env.add_function(
        "webp_source",
        move |url: Option<String>, kwargs: Kwargs| -> Result<Value, Error> {
            let sizes: Option<String> = kwargs.get("sizes")?;
            kwargs.assert_all_used()?;
            let url = url.unwrap_or_default();
            Ok(Value::from_safe_string(webp_source(
                sets.get(&url),
                v.image_size_of(&url),
                sizes.as_deref(),
            )))
        },
    );
    let (v, sets) = (Arc::clone(&values), Arc::clone(&images));
    env.add_function(
        "page_background",
        move |url: Option<String>, kwargs: Kwargs| -> Result<Value, Error> {
            let size: Option<String> = kwargs.get("size")?;
            kwargs.assert_all_used()?;
            let url = url.unwrap_or_default();
            let fit = Fit::from_size(size.as_deref().unwrap_or("cover"));
            let background = fit.and_then(|fit| {
                responsive_background(&url, v.image_size_of(&url), sets.get(&url), fit)
            });
            Ok(match background {
                Some(b) => Value::from(BTreeMap::from([
                    ("class", Value::from(b.class)),
                    ("style", Value::from_safe_string(b.style)),
                ])),
                None => Value::from(()),
            })
        },
    );
    let v = Arc::clone(&values);
    env.add_function("image_size", move |url: Option<String>| {
        v.image_size(url.as_deref().unwrap_or_default())
    });
    let v = Arc::clone(&values);
    env.add_function("page_at", move |path: Option<String>| {
        v.page_by_path(path.as_deref().unwrap_or_default())
    });
    let v = Arc::clone(&values);
    env.add_function("section_posts", move |section: Value| {
        v.section_items(&section, false)
    });
    let v = Arc::clone(&values);
    env.add_function("section_projects", move |section: Value| {
        v.section_items(&section, true)
    });
    let v = Arc::clone(&values);
    env.add_function("feed_items", move |state: &State| {
        let (page, number) = current_route(state);
        v.feed_items(page, number)
    });
    let v = Arc::clone(&values);
    env.add_function("feed_pagination", move |state: &State| {
        let (page, number) = current_route(state);
        v.feed_pagination(page, number)
    });
    let v = Arc::clone(&values);
    env.add_function("neighbours", move |state: &State| {
        v.neighbours(current_route(state).0)
    });
    env
}

/// Whether this is an edit-mode render (`folio serve --edit`).
fn editing(state: &State) -> bool {
    state.lookup("editing").is_some_and(|e| e.is_true())
}

/// In an edit-mode render, where the string `value` being printed comes from: a field of the
/// object being rendered (`obj`) or of the card's item (`item`). See [`annotate`].
fn editing_field(state: &State, value: &Value) -> Option<(Option<String>, String)> {
    let text = value.as_str()?;
    if text.trim().is_empty() || !editing(state) {
        return None;
    }
    let obj = state.lookup("obj");
    if let Some(found) = obj.as_ref().and_then(|o| annotate::find_field(o, text)) {
        return Some(found);
    }
    let item = state.lookup("item")?;
    let (file, _) = annotate::object_of(&item)?;
    let (other, path) = annotate::find_field(&item, text)?;
    Some((Some(other.unwrap_or(file)), path))
}

/// `sizes` of the images in Markdown bodies (the `sb-markdown` column is at most 768px wide).
const MARKDOWN_SIZES: &str = "(min-width: 768px) 768px, 100vw";

/// The page index and feed page number being rendered.
fn current_route(state: &State) -> (usize, usize) {
    let get = |key: &str| state.lookup(key).and_then(|v| v.as_usize());
    (
        get("route_page").unwrap_or(0),
        get("route_number").unwrap_or(1),
    )
}

/// `RecentPostsSection` → `recent-posts-section`.
pub fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The template of objects whose model has none (`generic.rs` gives it their parts).
const GENERIC_TEMPLATE: &str = "_generic.html";

/// `component(obj, **extra)`: render `obj` with the template named after its `type`, passing
/// the caller's page context along; an object whose type has no template is drawn by
/// [`GENERIC_TEMPLATE`] (the validator warned about it), one without `type` not at all. Output that cannot differ between pages is rendered once per
/// build ([`crate::memo`]).
fn component(
    state: &State,
    obj: Value,
    kwargs: Kwargs,
    memo: &ComponentMemo,
) -> Result<Value, Error> {
    let kind = obj
        .get_attr("type")
        .ok()
        .filter(|t| !t.is_undefined() && !t.is_none());
    // `generic=true` (the generic template's own items): an object without `type` (of an
    // inline model) is drawn generically too.
    let generic = kwargs.get::<Option<bool>>("generic")?.unwrap_or(false);
    let Some(kind) = kind.or_else(|| {
        (generic && obj.kind() == minijinja::value::ValueKind::Map).then(|| Value::from(""))
    }) else {
        return Ok(Value::from(""));
    };
    let mut name = format!("{kind}.html");
    let template = match state.env().get_template(&name) {
        Ok(t) => t,
        // No template for this model: drawn from its fields (generic.rs), never left out.
        Err(e) if e.kind() == ErrorKind::TemplateNotFound => {
            name = GENERIC_TEMPLATE.to_string();
            state.env().get_template(GENERIC_TEMPLATE)?
        }
        Err(e) => return Err(e),
    };
    let mut args = Vec::new();
    for key in kwargs.args() {
        args.push((key.to_string(), kwargs.get::<Value>(key)?));
    }
    // Hashing and comparing memo keys reads the page values inside them (this component's
    // and, when the table grows, every other's): not what this component shows.
    let looked_up = isolated_frame(|| memo.lookup(state.env(), &name, &obj, args.clone())).0;
    let ticket = match looked_up {
        Some(Ok(hit)) => {
            return Ok(timed(&name, || {
                replay(&hit.deps);
                hit.html
            }))
        }
        Some(Err(ticket)) => Some(ticket),
        None => {
            // What the caller renders now differs from page to page.
            taint();
            None
        }
    };
    let mut ctx: BTreeMap<String, Value> = BTreeMap::new();
    for &key in ["config", "editing"].iter().chain(ROUTE_NAMES) {
        if let Some(v) = state.lookup(key) {
            ctx.insert(key.to_string(), v);
        }
    }
    ctx.extend(args);
    let obj_for_annotation = obj.clone();
    ctx.insert("obj".into(), obj);
    let (html, recorded) = in_frame(|| timed(&name, || template.render(Value::from(ctx))));
    let mut html = html?;
    if editing(state) {
        if let Some((file, field)) = annotate::object_of(&obj_for_annotation) {
            html = annotate::annotate_root(&html, &file, &field);
        }
    }
    let html = Value::from_safe_string(html);
    if let Some(ticket) = ticket {
        if !recorded.route_specific {
            let deps = recorded.deps.into();
            let memoized = Memoized {
                html: html.clone(),
                deps,
            };
            isolated_frame(|| memo.store(ticket, memoized));
        }
    }
    Ok(html)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_model_lists_every_template_of_the_theme() {
        let mut types: Vec<String> = super::BUILTIN_TEMPLATES
            .files()
            .filter_map(|f| f.path().to_str())
            .filter(|name| !name.starts_with('_') && !["base.html", "404.html"].contains(name))
            .filter_map(|name| name.strip_suffix(".html").map(str::to_string))
            .collect();
        types.sort();
        assert_eq!(types, folio_model::THEME_TEMPLATES);
    }

    use super::kebab;

    #[test]
    fn kebab_cases_type_names() {
        assert_eq!(kebab("RecentPostsSection"), "recent-posts-section");
        assert_eq!(kebab("PagedPostsSection"), "paged-posts-section");
    }
}
