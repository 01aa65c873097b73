//! A field's own validation rules, as a site's Stackbit model writes them
//! (`validations: {min, max, regexp, errors: {…}}`): the length of a text and the pattern it
//! must match. The original's build ignores them (only its editor enforced them), so a value
//! that breaks one is a warning and is rendered as written; the editor refuses to write one.
//! `unique` needs the other files and is checked where they are known
//! ([`crate::edit_check`]).

use super::Validator;
use crate::tree::Node;
use folio_diag::Diagnostic;
use folio_model::Field;
use regex::Regex;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Patterns compiled once per run (`None`: the model's pattern is not a valid regex).
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let mut cache = match cache.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    cache
        .entry(pattern.to_string())
        .or_insert_with(|| Regex::new(pattern).ok())
        .clone()
}

/// The model's own message for a broken rule (`errors: {regexp: "…"}`), if it has one.
fn own_message<'a>(rules: &'a Json, rule: &str) -> Option<&'a str> {
    rules.get("errors")?.get(rule)?.as_str()
}

impl Validator<'_> {
    /// Check `text`, the value of `field` at `path`, against the field's `validations`.
    pub(super) fn rules(&mut self, node: &Node, field: &Field, text: &str, path: &str) {
        let Some(rules) = field.validations.as_ref().filter(|r| r.is_object()) else {
            return;
        };
        let length = text.chars().count();
        let limit = |name: &str| rules.get(name).and_then(Json::as_f64);
        let broken = |rule: &str, message: String, help: String| {
            let message =
                own_message(rules, rule).map_or(message, |own| format!("`{path}`: {own}"));
            Diagnostic::warning("content/validation", message)
                .at(node.span)
                .with_label(format!("breaks the model's `{rule}` rule"))
                .with_help(help)
        };
        if let Some(min) = limit("min").filter(|min| (length as f64) < *min) {
            let d = broken(
                "min",
                format!("`{path}` has {length} characters; the model asks for at least {min}"),
                "folio renders it as written, as the original does; the editor refuses it".into(),
            );
            self.report(d);
        }
        if let Some(max) = limit("max").filter(|max| (length as f64) > *max) {
            let d = broken(
                "max",
                format!("`{path}` has {length} characters; the model allows at most {max}"),
                "folio renders it as written, as the original does; the editor refuses it".into(),
            );
            self.report(d);
        }
        if let Some(pattern) = rules.get("regexp").and_then(Json::as_str) {
            match compiled(pattern) {
                Some(regex) if !regex.is_match(text) => {
                    let d = broken(
                        "regexp",
                        format!("`{path}` does not match the model's pattern `{pattern}`"),
                        "folio renders it as written, as the original does; the editor refuses it"
                            .into(),
                    );
                    self.report(d);
                }
                Some(_) => {}
                None => self.report(
                    Diagnostic::note(
                        "model/invalid-pattern",
                        format!("the pattern `{pattern}` of `{path}` is not a regular expression folio can read, so it is not checked"),
                    )
                    .at(node.span),
                ),
            }
        }
    }
}
