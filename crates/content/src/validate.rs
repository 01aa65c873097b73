//! Checking an object tree against its model, collecting every problem, and producing the
//! normalised object the later stages use: nulls removed (a bare `key:` means absent), the
//! `type` of single-model fields filled in, numeric and boolean strings coerced, and repaired
//! image URLs; the URLs that may point inside the site are collected for [`crate::links`]. What
//! renders for an absent field is decided later, by the renderer's fallbacks. `styles` objects
//! are checked in `validate/style.rs`.

mod style;

use crate::date::ContentDate;
use crate::tree::{Node, Value};
use crate::values::{describe_list, repair_prefixed_url, to_json};
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
        if allowed.iter().any(|m| m == name) {
            if let Some(model) = registry.get(name) {
                return TypeCheck::Model(model);
            }
        }
        if let Some(model) = registry.get(name) {
            if is_site_section(registry, model, allowed) {
                return TypeCheck::Model(model);
            }
            self.report(
                Diagnostic::error(
                    "content/type-not-allowed",
                    format!("`{name}` is not allowed in {what}"),
                )
                .at(span)
                .with_label("this model cannot be used here")
                .with_help(format!("use one of {}", describe_list(allowed))),
            );
            return TypeCheck::Skip;
        }
        if self.ctx.site_templates.contains(name) {
            return TypeCheck::Custom(name.to_string());
        }
        let candidates: Vec<&str> = allowed.iter().map(String::as_str).collect();
        let suggestion = closest_match(name, candidates);
        // Within one edit of a model it is a typo; further off it may be a custom type.
        match suggestion.filter(|s| within_one_edit(name, s)) {
            Some(suggestion) => self.report(
                Diagnostic::error("content/unknown-type", format!("unknown type `{name}` in {what}"))
                    .at(span)
                    .with_label("no model has this name")
                    .with_help(format!("did you mean `{suggestion}`?")),
            ),
            None => self.report(
                Diagnostic::warning("content/no-template", format!("`{name}` has no template, so {what} is skipped"))
                    .at(span)
                    .with_label("not a built-in type")
                    .with_help(match suggestion {
                        Some(s) => format!(
                            "add `templates/{name}.html` (and optionally `models/{name}.yaml`) to render it, or did you mean `{s}`?"
                        ),
                        None => format!(
                            "add `templates/{name}.html` (and optionally `models/{name}.yaml`) to render it, or use one of {}",
                            describe_list(allowed)
                        ),
                    }),
            ),
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
                let names = model.fields.iter().map(|f| f.name.as_str());
                let mut d = Diagnostic::warning(
                    "content/unknown-field",
                    format!("`{}` is not a field of `{}`", entry.key, model.name),
                )
                .at(entry.key_span)
                .with_label("unknown field, ignored");
                if let Some(suggestion) = closest_match(&entry.key, names) {
                    d = d.with_help(format!("did you mean `{suggestion}`?"));
                }
                self.report(d);
                continue;
            };
            let field_path = join(path, &entry.key);
            if let Some(value) = self.field(&entry.value, field, &field_path) {
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

    /// Validate one field value; `None` when it is unusable (and reported).
    fn field(&mut self, node: &Node, field: &Field, path: &str) -> Option<Json> {
        match field.kind {
            FieldType::List => self.list(node, field, path),
            FieldType::Style => {
                self.style(node, field, path);
                Some(to_json(node))
            }
            FieldType::Model => self.nested(node, &field.models, path),
            FieldType::Json => Some(to_json(node)),
            kind => self.scalar(node, kind, field, &field.options, &field.models, path),
        }
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
                FieldType::Model => self.nested(item, &spec.models, &item_path),
                FieldType::Json => Some(to_json(item)),
                kind => self.scalar(item, kind, field, &spec.options, &spec.models, &item_path),
            };
            out.extend(value);
        }
        Some(Json::Array(out))
    }

    /// An inline object whose model is one of `allowed`.
    fn nested(&mut self, node: &Node, allowed: &[String], path: &str) -> Option<Json> {
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
            None if allowed.len() == 1 => match self.ctx.registry.get(&allowed[0]) {
                Some(model) => TypeCheck::Model(model),
                None => TypeCheck::Skip,
            },
            None => {
                self.report(
                    Diagnostic::error("content/missing-type", format!("`{path}` has no `type`"))
                        .at(Span::new(node.span.start, node.span.start))
                        .with_label("cannot tell which model this object is")
                        .with_help(format!(
                            "add `type:` with one of {}",
                            describe_list(allowed)
                        )),
                );
                TypeCheck::Skip
            }
        };
        match check {
            TypeCheck::Model(model) => {
                let anchor = node.get("type").map_or(node.span, |e| e.value.span);
                let anchor = Span::new(anchor.start, anchor.start.max(anchor.end));
                Some(Json::Object(self.object(node, model, path, anchor, &[])))
            }
            TypeCheck::Custom(_) => Some(to_json(node)),
            TypeCheck::Skip => None,
        }
    }

    fn scalar(
        &mut self,
        node: &Node,
        kind: FieldType,
        field: &Field,
        options: &[String],
        models: &[String],
        path: &str,
    ) -> Option<Json> {
        match (kind, &node.value) {
            (FieldType::Boolean, Value::Bool(b)) => Some(Json::Bool(*b)),
            (FieldType::Boolean, Value::String(s)) if s == "true" || s == "false" => {
                Some(Json::Bool(s == "true"))
            }
            (FieldType::Boolean, _) => {
                self.wrong_type(node, path, "`true` or `false`");
                None
            }
            (FieldType::Number, _) => self.number(node, field, path),
            (FieldType::Enum, Value::String(_) | Value::Number(_)) => {
                let text = scalar_text(&node.value)?;
                if options.contains(&text) {
                    return Some(Json::String(text));
                }
                let mut d = Diagnostic::error(
                    "content/invalid-enum",
                    format!("`{text}` is not an allowed value of `{path}`"),
                )
                .at(node.span)
                .with_label(format!("expected one of {}", describe_list(options)));
                if let Some(s) = closest_match(&text, options.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.report(d);
                None
            }
            (FieldType::Enum, _) => {
                self.wrong_type(node, path, &format!("one of {}", describe_list(options)));
                None
            }
            (FieldType::Reference, Value::Map(_)) => self.nested(node, models, path),
            (FieldType::Reference, Value::String(target)) => {
                self.references.push(ReferenceUse {
                    field_path: path.to_string(),
                    target: target.clone(),
                    span: node.span,
                    models: models.to_vec(),
                });
                Some(Json::String(target.clone()))
            }
            (_, Value::Map(_) | Value::List(_)) | (FieldType::Reference, _) => {
                let expected = match kind {
                    FieldType::Reference => "a file path",
                    FieldType::Date => "a date",
                    _ => "text",
                };
                self.wrong_type(node, path, expected);
                None
            }
            (_, value) => {
                let text = scalar_text(value)?;
                let text = self.text(node, kind, text, path)?;
                if let Json::String(url) = &text {
                    self.record_url(node, kind, &field.name, url);
                }
                Some(text)
            }
        }
    }

    /// String-like fields: string, markdown, image, color, date.
    fn text(&mut self, node: &Node, kind: FieldType, text: String, path: &str) -> Option<Json> {
        match kind {
            FieldType::Date if ContentDate::parse(&text).is_none() => {
                self.report(
                        Diagnostic::error("content/invalid-date", format!("`{text}` is not a valid date"))
                            .at(node.span)
                            .with_label("expected `YYYY-MM-DD`")
                            .with_help("write dates as `'2021-11-03'` or a full timestamp such as `2021-11-03T10:00:00Z`"),
                    );
                return None;
            }
            FieldType::Color => {
                let hex = text.strip_prefix('#').unwrap_or("");
                if !matches!(hex.len(), 3 | 6 | 8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    self.report(
                        Diagnostic::error(
                            "content/invalid-color",
                            format!("`{text}` is not a hex colour"),
                        )
                        .at(node.span)
                        .with_label("expected `#rrggbb`"),
                    );
                    return None;
                }
            }
            FieldType::Image => {
                if let Some(repaired) = repair_prefixed_url(&text) {
                    self.report(
                        Diagnostic::warning(
                            "content/prefixed-absolute-url",
                            format!("`{path}` is an absolute URL behind an upload folder"),
                        )
                        .at(node.span)
                        .with_label("this address cannot load as written")
                        .with_help(format!("write `{repaired}`; folio renders that meanwhile")),
                    );
                    return Some(Json::String(repaired.to_string()));
                }
            }
            _ => {}
        }
        Some(Json::String(text))
    }

    /// Remember a URL (image fields and `url` fields) or Markdown text for the link checks.
    fn record_url(&mut self, node: &Node, kind: FieldType, name: &str, text: &str) {
        let kind = match kind {
            FieldType::Image => UrlKind::Image,
            FieldType::String if name == "url" => UrlKind::Link,
            FieldType::Markdown => {
                if text.contains("](") || text.contains("]:") {
                    self.markdown.push((text.to_string(), node.span));
                }
                return;
            }
            _ => return,
        };
        self.urls.push(UrlUse {
            url: text.to_string(),
            span: node.span,
            kind,
        });
    }

    fn number(&mut self, node: &Node, field: &Field, path: &str) -> Option<Json> {
        let number = match &node.value {
            Value::Number(n) => n.clone(),
            Value::String(s) => match s.trim().parse::<f64>() {
                Ok(value) if value.is_finite() => crate::tree::Number {
                    text: s.trim().to_string(),
                    value,
                },
                _ => {
                    let example = field
                        .default
                        .as_ref()
                        .and_then(Json::as_f64)
                        .or(field.min)
                        .unwrap_or(1.0);
                    let d = wrong_type_diagnostic(node, path, "a number")
                        .with_help(format!("write digits without quotes, such as `{example}`"));
                    self.report(d);
                    return None;
                }
            },
            _ => {
                self.wrong_type(node, path, "a number");
                return None;
            }
        };
        let integer = field.step == Some(1.0) || field.min.is_some_and(|m| m.fract() == 0.0);
        if !number.value.is_finite()
            || (integer && number.is_integer() && number.as_u64().is_none() && number.value > 0.0)
        {
            self.report(
                Diagnostic::error(
                    "content/number-out-of-range",
                    format!("`{}` is too large for `{path}`", number.text),
                )
                .at(node.span)
                .with_label("not a usable number")
                .with_help(format!(
                    "use a number {}",
                    describe_range(field).unwrap_or_else(|| "of a sensible size".into())
                )),
            );
            return None;
        }
        let below = field.min.is_some_and(|min| number.value < min);
        let above = field.max.is_some_and(|max| number.value > max);
        if below || above {
            let range = describe_range(field).unwrap_or_default();
            self.report(
                Diagnostic::warning(
                    "content/number-out-of-range",
                    format!("`{path}` is {}, outside its range", number.text),
                )
                .at(node.span)
                .with_label(format!("expected a number {range}")),
            );
        }
        serde_json::Number::from_f64(number.value).map(|n| {
            if number.is_integer() && number.value.abs() < 9.0e15 {
                Json::from(number.value as i64)
            } else {
                Json::Number(n)
            }
        })
    }
}

/// "`path` must be X, not Y", with a fix hint for the common shapes.
fn wrong_type_diagnostic(node: &Node, path: &str, expected: &str) -> Diagnostic {
    let d = Diagnostic::error(
        "content/wrong-type",
        format!("`{path}` must be {expected}, not {}", node.kind_name()),
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
