//! Checking an object tree against its model, collecting every problem, and producing the
//! normalised object the later stages use: nulls removed (a bare `key:` means absent), the
//! `type` of single-model fields filled in, numeric and boolean strings coerced, and repaired
//! image URLs; the URLs that may point inside the site are collected for [`crate::links`]. What
//! renders for an absent field is decided later, by the renderer's fallbacks. `styles` objects
//! are checked in `validate/style.rs`, scalars in `validate/scalar.rs` (with the model's own
//! `validations` in `validate/rules.rs`), and the model of an
//! object written without `type` is inferred in `validate/infer.rs`.
//!
//! What the original renders is a warning, not an error (a build fails only where the
//! original's fails): a value outside an enum, a model not listed for a field, a colour it
//! cannot read. Errors are left for what the original cannot build either: a value of the wrong
//! shape, a misspelt type, a section whose model cannot be told.

mod infer;
mod rules;
mod scalar;
mod style;

use crate::tree::{Node, Value};
use crate::values::{describe_list, to_json};
use folio_diag::{Diagnostic, Span};
use folio_model::{closest_match, Field, FieldType, Model, Registry};
use serde_json::{Map, Value as Json};
use std::collections::HashSet;

/// A reference found in an object: a field whose value names another file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceUse {
    /// Dotted field path from the file root (`bottomSections.0.posts.1`).
    pub field_path: String,
    /// The path as written (`content/data/team/jason-hand.json`).
    pub target: String,
    /// Where it is written.
    pub span: Span,
    /// Models the target may have.
    pub models: Vec<String>,
}

/// A URL written in a content file that may point inside the site: an image field, a `url`
/// field (buttons, links, social links) or a link or image in Markdown. Checked by
/// [`crate::links`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlUse {
    /// The URL as written.
    pub url: String,
    /// Where it is written.
    pub span: Span,
    /// Whether it is shown as an image or followed as a link.
    pub kind: UrlKind,
}

/// How a URL is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlKind {
    /// Loaded as an image (`image` fields, `![alt](url)`).
    Image,
    /// Followed as a link (`url` fields, `[text](url)`).
    Link,
}

/// What the validator knows beyond the registry.
pub struct ValidationContext<'a> {
    /// Built-in and site models.
    pub registry: &'a Registry,
    /// Types for which the site has a template of its own (`templates/<Type>.html`).
    pub site_templates: &'a HashSet<String>,
    /// Icons the site draws itself (`templates/icons/<name>.svg`).
    pub site_icons: &'a HashSet<String>,
}

/// Validates the objects of one file.
pub struct Validator<'a> {
    ctx: &'a ValidationContext<'a>,
    file: &'a str,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// References found so far.
    pub references: Vec<ReferenceUse>,
    /// URLs found so far (image and `url` fields).
    pub urls: Vec<UrlUse>,
    /// Markdown fields found so far (their text and where it is written), whose links the
    /// caller finds.
    pub markdown: Vec<(String, Span)>,
    /// The file names its model with the older `layout:` key: an object without `type` then
    /// prefers the older of two models that fit (`PagedPostsSection` over `PostFeedSection`).
    pub legacy: bool,
}

/// How a `type` value resolved.
pub enum TypeCheck<'a> {
    /// A model from the registry.
    Model(&'a Model),
    /// A type with a site template but no model: kept as written, not validated.
    Custom(String),
    /// Not renderable; already reported.
    Skip,
}

impl<'a> Validator<'a> {
    /// A validator for `file`.
    pub fn new(ctx: &'a ValidationContext<'a>, file: &'a str) -> Self {
        Validator {
            ctx,
            file,
            diagnostics: Vec::new(),
            references: Vec::new(),
            urls: Vec::new(),
            markdown: Vec::new(),
            legacy: false,
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic.in_file(self.file));
    }

    /// Resolve a `type` (or legacy `layout`) name written at `span` among `allowed` models.
    /// `what` names the place for messages (`page`, `sections.2`).
    pub fn check_type(
        &mut self,
        name: &str,
        span: Span,
        allowed: &[String],
        what: &str,
    ) -> TypeCheck<'a> {
        let registry = self.ctx.registry;
        if let Some(model) = registry.get(name) {
            let listed =
                allowed.iter().any(|m| m == name) || is_site_section(registry, model, allowed);
            if !listed {
                // The original renders whatever component the type names.
                self.report(
                    Diagnostic::warning(
                        "content/type-not-allowed",
                        format!("`{name}` is not one of the models {what} allows"),
                    )
                    .at(span)
                    .with_label("not listed for this field")
                    .with_help(format!(
                        "folio renders it, as the original does; the model lists {} (add `{name}` there to declare it)",
                        describe_list(allowed)
                    )),
                );
            }
            if registry.is_from_site(name)
                && model.kind != folio_model::ModelKind::Data
                && !model.inline
                && !self.ctx.site_templates.contains(name)
                && !folio_model::THEME_TEMPLATES.contains(&name)
            {
                self.report(
                    Diagnostic::warning(
                        "content/no-template",
                        format!("`{name}`, the site's own model, has no template, so {what} is rendered generically"),
                    )
                    .at(span)
                    .with_label("no template for this model")
                    .with_help(format!(
                        "its fields are shown in the theme's frame; to draw it as the original does, write `templates/{name}.html` (`folio new template {name}` starts one)"
                    )),
                );
            }
            return TypeCheck::Model(model);
        }
        if self.ctx.site_templates.contains(name) {
            return TypeCheck::Custom(name.to_string());
        }
        // A field that allows one model (a feed page's `postFeed`): the original's layout
        // renders that component whatever `type` says.
        if let [only] = allowed {
            if let Some(model) = registry.get(only) {
                self.report(
                    Diagnostic::warning(
                        "content/unknown-type",
                        format!("unknown type `{name}` in {what}, rendered as `{only}`, the one model it allows"),
                    )
                    .at(span)
                    .with_label("no model has this name")
                    .with_help(format!("write `type: {only}`")),
                );
                return TypeCheck::Model(model);
            }
        }
        let candidates: Vec<&str> = allowed.iter().map(String::as_str).collect();
        let suggestion = closest_match(name, candidates);
        // Within one edit of a model it is a typo; further off it may be a custom type.
        match suggestion.filter(|s| within_one_edit(name, s)) {
            Some(suggestion) => self.report(
                Diagnostic::error(
                    "content/unknown-type",
                    format!("unknown type `{name}` in {what}"),
                )
                .at(span)
                .with_label("no model has this name")
                .with_help(format!("did you mean `{suggestion}`?")),
            ),
            None => {
                self.report(
                    Diagnostic::warning("content/no-template", format!("`{name}` has no model and no template, so {what} is rendered generically"))
                        .at(span)
                        .with_label("not a built-in type")
                        .with_help(match suggestion {
                            Some(s) => format!(
                                "its fields are shown as they are; write `templates/{name}.html` (`folio new template {name}` starts one) and optionally its model, or did you mean `{s}`?"
                            ),
                            None => format!(
                                "its fields are shown as they are; write `templates/{name}.html` (`folio new template {name}` starts one) and optionally its model, or use one of {}",
                                describe_list(allowed)
                            ),
                        }),
                );
                // Kept as written: the generic template draws it.
                return TypeCheck::Custom(name.to_string());
            }
        }
        TypeCheck::Skip
    }

    /// Validate a mapping against `model`; `path` is its dotted field path (empty at the root)
    /// and `anchor` where to point for missing fields. `skip` lists keys handled by the caller.
    pub fn object(
        &mut self,
        node: &Node,
        model: &Model,
        path: &str,
        anchor: Span,
        skip: &[&str],
    ) -> Map<String, Json> {
        // Sized once: thousands of pages hold these maps until the build ends.
        let mut out = Map::with_capacity(node.as_map().map_or(0, |e| e.len()) + 1);
        out.insert("type".into(), Json::String(model.name.clone()));
        let Some(entries) = node.as_map() else {
            return out;
        };
        for entry in entries {
            if entry.key == "type" || skip.contains(&entry.key.as_str()) || entry.value.is_null() {
                continue;
            }
            let Some(field) = model.field(&entry.key) else {
                let d = unknown_field(model, &entry.key).at(entry.key_span);
                self.report(d);
                continue;
            };
            let field_path = join(path, &entry.key);
            if let Some(value) = self.field(&entry.value, field, &field_path, entry.key_span) {
                out.insert(entry.key.clone(), value);
            }
        }
        for field in model.fields.iter().filter(|f| f.required) {
            // A field written with an unusable value was reported already; only absent ones here.
            let written = node.get(&field.name).is_some_and(|e| !e.value.is_null());
            if !out.contains_key(&field.name) && !written {
                let at = if path.is_empty() {
                    String::new()
                } else {
                    format!(" in `{path}`")
                };
                self.report(
                    Diagnostic::warning(
                        "content/missing-field",
                        format!("`{}` is required by `{}`{at}", field.name, model.name),
                    )
                    .at(anchor)
                    .with_label(format!("this `{}` has no `{}`", model.name, field.name))
                    .with_help(format!(
                        "add `{}:` ({})",
                        field.name,
                        field.kind.as_str()
                    )),
                );
            }
        }
        out
    }

    fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        let d = wrong_type_diagnostic(node, path, expected);
        self.report(d);
    }

    /// Validate one field value written under the key at `key`; `None` when it is unusable
    /// (and reported).
    fn field(&mut self, node: &Node, field: &Field, path: &str, key: Span) -> Option<Json> {
        if let Value::String(text) = &node.value {
            if text.len() > MAX_REPEATED_BYTES && self.is_repeated(field.kind) {
                self.report(too_large(node, path, text.len()));
                return None;
            }
        }
        match field.kind {
            FieldType::List => self.list(node, field, path),
            FieldType::Style => {
                self.style(node, field, path);
                Some(to_json(node))
            }
            FieldType::Model => self.nested(node, &field.models, path, key),
            FieldType::Json => Some(to_json(node)),
            kind => self.scalar(node, kind, field, &field.options, &field.models, path),
        }
    }

    /// Whether a value of `kind` in this file is printed many times over: every value of the
    /// site's config and style (on every page), and a single-line value anywhere (a title,
    /// shown on its page, in cards, feeds and the head).
    fn is_repeated(&self, kind: FieldType) -> bool {
        let site_wide = ["content/data/config", "content/data/style"]
            .iter()
            .any(|prefix| self.file.starts_with(prefix));
        site_wide
            || !matches!(
                kind,
                FieldType::Text | FieldType::Markdown | FieldType::Json
            )
    }

    fn list(&mut self, node: &Node, field: &Field, path: &str) -> Option<Json> {
        let Value::List(items) = &node.value else {
            self.wrong_type(node, path, "a list");
            return None;
        };
        let Some(spec) = &field.items else {
            return Some(to_json(node));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                continue;
            }
            let item_path = format!("{path}.{i}");
            let value = match spec.kind {
                FieldType::Model => {
                    self.nested(item, &spec.models, &item_path, Span::point(item.span.start))
                }
                FieldType::Json => Some(to_json(item)),
                kind => self.scalar(item, kind, field, &spec.options, &spec.models, &item_path),
            };
            out.extend(value);
        }
        Some(Json::Array(out))
    }

    /// An inline object whose model is one of `allowed`, written under the key at `key` (or,
    /// in a list, at its item).
    fn nested(&mut self, node: &Node, allowed: &[String], path: &str, key: Span) -> Option<Json> {
        if node.as_map().is_none() {
            self.wrong_type(node, path, "an object");
            return None;
        }
        let check = match node.get("type") {
            Some(entry) => match entry.value.as_str() {
                Some(name) => {
                    self.check_type(name, entry.value.span, allowed, &format!("`{path}`"))
                }
                None => {
                    self.wrong_type(&entry.value, &join(path, "type"), "a model name");
                    TypeCheck::Skip
                }
            },
            None => self.infer_type(node, allowed, path, key),
        };
        match check {
            TypeCheck::Model(model) => {
                let anchor = node.get("type").map_or(node.span, |e| e.value.span);
                let anchor = Span::new(anchor.start, anchor.start.max(anchor.end));
                let mut object = self.object(node, model, path, anchor, &[]);
                if model.inline {
                    object.remove("type");
                }
                Some(Json::Object(object))
            }
            TypeCheck::Custom(_) => Some(to_json(node)),
            TypeCheck::Skip => None,
        }
    }
}

/// The largest value printed many times over (see [`Validator::is_repeated`]): a 50 MB title
/// in `config.json` would make every page 50 MB.
pub const MAX_REPEATED_BYTES: usize = 1024 * 1024;

fn too_large(node: &Node, path: &str, len: usize) -> Diagnostic {
    Diagnostic::error(
        "content/value-too-large",
        format!(
            "`{path}` is {:.1} MB, more than a value repeated on many pages may be ({} MB)",
            len as f64 / (1024.0 * 1024.0),
            MAX_REPEATED_BYTES >> 20
        ),
    )
    .at(Span::new(
        node.span.start,
        node.span.start.saturating_add(1),
    ))
    .with_label("this value")
    .with_help("shorten it; long text belongs in the page's Markdown body")
}

/// The warning for a key `key` that `model` has no field for: a likely typo, else which
/// version of the theme has the field and how to declare it.
fn unknown_field(model: &Model, key: &str) -> Diagnostic {
    let d = Diagnostic::warning(
        "content/unknown-field",
        format!("`{key}` is not a field of `{}`", model.name),
    )
    .with_label("unknown field, ignored");
    if let Some(suggestion) = closest_match(key, model.fields.iter().map(|f| f.name.as_str())) {
        return d.with_help(format!("did you mean `{suggestion}`?"));
    }
    let name = &model.name;
    let declare = match &model.source {
        Some(source) => format!("declare it in `{source}`"),
        None => format!(
            "declare it in the site's model (`.stackbit/models/{name}.ts` or `.yaml`, or folio's `models/{name}.yaml`)"
        ),
    };
    let families = folio_model::families::families_with_field(name, key);
    let who = match families.as_slice() {
        [] => "no version of the theme has this field".to_string(),
        some => format!("this field is from {}", some.join(" and ")),
    };
    d.with_help(format!(
        "{who}; to keep it, {declare}, and render it in `templates/{name}.html`"
    ))
}

/// "`path` must be X, not Y" (a warning: the value is left out), with a fix hint for the
/// common shapes.
fn wrong_type_diagnostic(node: &Node, path: &str, expected: &str) -> Diagnostic {
    // The original renders what it can of a value of the wrong shape (JavaScript does not
    // check); folio leaves the value out and says so.
    let d = Diagnostic::warning(
        "content/wrong-type",
        format!(
            "`{path}` must be {expected}, not {}, so it is left out",
            node.kind_name()
        ),
    )
    .at(node.span)
    .with_label(format!("expected {expected}"));
    match expected {
        "a list" => {
            d.with_help("write one `- item` per line below the key, or `[a, b]` on one line")
        }
        "text" => d.with_help(
            "write a single value; quote it (`'[a, b]'`) to keep brackets or `: ` as text",
        ),
        "an object" => d.with_help("write its fields on the lines below the key, indented"),
        _ => d,
    }
}

/// A site's own section models are accepted wherever built-in sections are.
fn is_site_section(registry: &Registry, model: &Model, allowed: &[String]) -> bool {
    registry.is_from_site(&model.name)
        && model.kind == folio_model::ModelKind::Object
        && allowed.iter().any(|a| {
            registry
                .get(a)
                .is_some_and(|m| m.groups.iter().any(|g| g == "SectionModels"))
        })
}

/// Whether `a` becomes `b` by at most one insertion, deletion, substitution or swap of
/// neighbours, ignoring case: close enough to call it a typo rather than a custom type.
fn within_one_edit(a: &str, b: &str) -> bool {
    strsim::damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase()) <= 1
}

/// `from 0 to 100`, `at least 1`, … for a number field with bounds.
fn describe_range(field: &Field) -> Option<String> {
    match (field.min, field.max) {
        (Some(min), Some(max)) => Some(format!("from {min} to {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.text.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
