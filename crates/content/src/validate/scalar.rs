//! Scalar fields: booleans, numbers, enums (values outside the model are kept, with a
//! warning, as the original renders them; icons are checked against the ones folio draws),
//! references, dates, colours, images and text. `''` clears any field but text.

use super::{
    describe_range, scalar_text, wrong_type_diagnostic, ReferenceUse, UrlKind, UrlUse, Validator,
};
use crate::date::ContentDate;
use crate::tree::{Node, Value};
use crate::values::{describe_list, repair_prefixed_url};
use folio_diag::{code, Diagnostic, Span};
use folio_model::{closest_match, Field, FieldType};
use serde_json::Value as Json;

impl Validator<'_> {
    pub(super) fn scalar(
        &mut self,
        node: &Node,
        kind: FieldType,
        field: &Field,
        options: &[String],
        models: &[String],
        path: &str,
    ) -> Option<Json> {
        // `''` is what the Stackbit editor writes when a field is cleared: unset, for anything
        // but text.
        if matches!(&node.value, Value::String(s) if s.is_empty())
            && !matches!(
                kind,
                FieldType::String | FieldType::Text | FieldType::Markdown
            )
        {
            return None;
        }
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
                if field.name == "icon" {
                    self.icon(node, &text, path);
                } else if !options.is_empty() && !options.contains(&text) {
                    self.outside_options(node, &text, options, path);
                }
                // Passed through as the original does: a class stays a class, a font stack
                // names its font.
                Some(Json::String(text))
            }
            // The option object `{label, value}` the Stackbit editor sometimes stored.
            (FieldType::Enum, Value::Map(_))
                if node
                    .get("value")
                    .is_some_and(|v| v.value.as_str().is_some()) =>
            {
                let value = node.get("value").and_then(|v| v.value.as_str())?;
                self.report(
                    Diagnostic::warning(
                        "content/wrong-type",
                        format!(
                            "`{path}` is an option object; its value {} is used",
                            code(value)
                        ),
                    )
                    .at(node.span)
                    .with_label("expected the option's value alone")
                    .with_help(format!("write `{}: {value}`", field.name)),
                );
                Some(Json::String(value.to_string()))
            }
            (FieldType::Enum, _) => {
                self.wrong_type(node, path, &format!("one of {}", describe_list(options)));
                None
            }
            (FieldType::Reference, Value::Map(_)) => {
                self.nested(node, models, path, Span::point(node.span.start))
            }
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
                if let Json::String(written) = &text {
                    self.record_url(node, kind, &field.name, written);
                    self.rules(node, field, written, path);
                }
                Some(text)
            }
        }
    }

    /// An enum value the model does not list: a warning, and the value is kept.
    fn outside_options(&mut self, node: &Node, text: &str, options: &[String], path: &str) {
        let mut d = Diagnostic::warning(
            "content/invalid-enum",
            format!("{} is not an allowed value of `{path}`", code(text)),
        )
        .at(node.span)
        .with_label(format!("expected one of {}", describe_list(options)));
        d = match closest_match(text, options.iter().map(String::as_str)) {
            Some(s) => d.with_help(format!(
                "did you mean `{s}`? folio renders `{text}` as written meanwhile"
            )),
            None => d.with_help(format!(
                "folio renders it as written, as the original does; to declare it, add `{text}` to the field's `options` in the site's model"
            )),
        };
        self.report(d);
    }

    /// An `icon:` value: one folio draws (its theme's, or the site's own under
    /// `templates/icons/`), or a warning that it is left out and how to add it.
    fn icon(&mut self, node: &Node, name: &str, path: &str) {
        if folio_model::ICONS.contains(&name) || self.ctx.site_icons.contains(name) {
            return;
        }
        let mut d = Diagnostic::warning(
            "content/unknown-icon",
            format!("folio has no icon `{name}`, so `{path}` is drawn without it"),
        )
        .at(node.span)
        .with_label("no SVG for this icon");
        let help = format!(
            "add the icon as `templates/icons/{name}.svg` (any SVG; folio sets its class), or use one of folio's: {}",
            describe_list(&folio_model::ICONS.map(String::from))
        );
        d = match closest_match(name, folio_model::ICONS) {
            Some(s) => d.with_help(format!("did you mean `{s}`? or {help}")),
            None => d.with_help(help),
        };
        self.report(d);
    }

    /// String-like fields: string, markdown, image, color, date.
    fn text(&mut self, node: &Node, kind: FieldType, text: String, path: &str) -> Option<Json> {
        match kind {
            FieldType::Date if ContentDate::parse(&text).is_none() => {
                // The original prints "Invalid Date"; folio leaves the date out and says so.
                self.report(
                        Diagnostic::warning("content/invalid-date", format!("{} is not a valid date, so `{path}` is left out", code(&text)))
                            .at(node.span)
                            .with_label("expected `YYYY-MM-DD`")
                            .with_help("write dates as `'2021-11-03'` or a full timestamp such as `2021-11-03T10:00:00Z`"),
                    );
                return None;
            }
            FieldType::Color => {
                let hex = text.strip_prefix('#').unwrap_or("");
                if !matches!(hex.len(), 3 | 6 | 8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    // Passed through into the stylesheet, as the original does.
                    self.report(
                        Diagnostic::warning(
                            "content/invalid-color",
                            format!("{} is not a hex colour", code(&text)),
                        )
                        .at(node.span)
                        .with_label("expected `#rrggbb`")
                        .with_help("folio writes it into the stylesheet as written, as the original does; browsers ignore a colour they cannot read"),
                    );
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

    pub(super) fn number(&mut self, node: &Node, field: &Field, path: &str) -> Option<Json> {
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
