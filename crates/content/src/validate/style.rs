//! Validation of `styles` objects: parts and properties the model allows, values in their
//! domains. Problems are warnings: the renderer maps unknown values to nothing, as the original
//! does.

use super::{join, scalar_text, Validator};
use crate::tree::{Node, Value};
use folio_diag::{code, Diagnostic, Span};
use folio_model::style::StyleDomain;
use folio_model::{closest_match, Field};
use serde_json::Value as Json;

impl Validator<'_> {
    /// Check a `styles` object: parts and properties the model allows, values in their domains.
    /// Problems are warnings: the renderer maps unknown values to nothing, as the original does.
    pub(super) fn style(&mut self, node: &Node, field: &Field, path: &str) {
        let Some(parts) = node.as_map() else {
            self.wrong_type(node, path, "an object of style parts");
            return;
        };
        let allowed_parts: Vec<&str> = field
            .styles
            .iter()
            .flat_map(|s| s.keys().map(String::as_str))
            .collect();
        for part in parts {
            let Some(properties) = part.value.as_map() else {
                if !part.value.is_null() {
                    self.wrong_type(
                        &part.value,
                        &join(path, &part.key),
                        "an object of style properties",
                    );
                }
                continue;
            };
            if !allowed_parts.contains(&part.key.as_str()) {
                self.unknown_style(part.key_span, &part.key, path, &allowed_parts);
                continue;
            }
            let part_path = join(path, &part.key);
            for property in properties {
                let Some(domain) = StyleDomain::of(field, &part.key, &property.key) else {
                    let known: Vec<&str> = field
                        .styles
                        .as_ref()
                        .and_then(|s| s.get(&part.key))
                        .and_then(Json::as_object)
                        .map(|o| o.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    self.unknown_style(property.key_span, &property.key, &part_path, &known);
                    continue;
                };
                self.style_value(&property.value, &domain, &join(&part_path, &property.key));
            }
        }
    }

    fn unknown_style(&mut self, span: Span, key: &str, path: &str, known: &[&str]) {
        let mut d = Diagnostic::warning(
            "content/unknown-style",
            format!("`{key}` is not a style of `{path}`"),
        )
        .at(span)
        .with_label("ignored");
        if let Some(s) = closest_match(key, known.iter().copied()) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        self.report(d);
    }

    fn style_value(&mut self, node: &Node, domain: &StyleDomain, path: &str) {
        let bad: Vec<&Node> = match (&node.value, domain.is_list()) {
            (Value::Null, _) => return,
            (Value::List(items), true) => items
                .iter()
                .filter(|i| !scalar_text(&i.value).is_some_and(|t| domain.accepts(&t)))
                .collect(),
            (value, false) if scalar_text(value).is_some_and(|t| domain.accepts(&t)) => return,
            _ => vec![node],
        };
        for item in bad {
            let text = scalar_text(&item.value).unwrap_or_else(|| item.kind_name().to_string());
            let mut d = Diagnostic::warning(
                "content/invalid-style",
                format!("{} is not a valid value of `{path}`", code(&text)),
            )
            .at(item.span)
            .with_label(format!("expected {}", domain.describe()));
            d = match closest_match(&text, domain.values().iter().map(String::as_str)) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(
                    "the value is ignored, as in the original theme; use an expected one",
                ),
            };
            self.report(d);
        }
    }
}
