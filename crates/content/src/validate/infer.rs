//! The model of an object written without `type`: the one model its field allows, else the
//! one allowed model whose fields it carries (`style` makes an action a `Button`), else, in a
//! file of the older `layout:` generation, the older of the models that fit (and the newer one
//! in a `type:` file). Still undecided, a section is an error (the original finds no component
//! for it and fails); anything else takes the first model that fits, with a warning. An object
//! of models no definition has is kept as written.

use super::{TypeCheck, Validator};
use crate::tree::Node;
use crate::values::describe_list;
use folio_diag::{Diagnostic, Span};
use folio_model::Model;

impl<'a> Validator<'a> {
    /// The model of `node` (at `path`, written under the key at `key`), which has no `type`,
    /// among `allowed`.
    pub(super) fn infer_type(
        &mut self,
        node: &Node,
        allowed: &[String],
        path: &str,
        key: Span,
    ) -> TypeCheck<'a> {
        let registry = self.ctx.registry;
        let models: Vec<&'a Model> = allowed.iter().filter_map(|m| registry.get(m)).collect();
        if let [only] = models[..] {
            return TypeCheck::Model(only);
        }
        if models.is_empty() && !allowed.is_empty() {
            // The site's model names models it never defines: kept as written.
            self.report(
                Diagnostic::warning(
                    "content/undefined-model",
                    format!(
                        "`{path}` is an object of {}, which no model defines",
                        describe_list(allowed)
                    ),
                )
                .at(key)
                .with_label("kept as written, not checked")
                .with_help("define the model in `.stackbit/models` (or `models/`), or fix the name in the field's `models`"),
            );
            return TypeCheck::Custom(allowed[0].clone());
        }
        let keys: Vec<&str> = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter(|e| !e.value.is_null())
            .map(|e| e.key.as_str())
            .collect();
        // The models that have the most of the object's fields (all of them, when one does).
        let score = |m: &Model| keys.iter().filter(|k| m.field(k).is_some()).count();
        let best = models.iter().map(|m| score(m)).max().unwrap_or(0);
        let mut fitting: Vec<&'a Model> = models
            .iter()
            .copied()
            .filter(|m| best > 0 && score(m) == best)
            .collect();
        if fitting.len() > 1 {
            let generation: Vec<&'a Model> = fitting
                .iter()
                .copied()
                .filter(|m| m.legacy == self.legacy)
                .collect();
            if generation.len() == 1 {
                fitting = generation;
            }
        }
        match fitting[..] {
            [one] => TypeCheck::Model(one),
            [first, ..] if !models.iter().all(|m| is_section(m)) => {
                let candidates: Vec<String> = fitting.iter().map(|m| m.name.clone()).collect();
                self.report(
                    Diagnostic::warning(
                        "content/missing-type",
                        format!("`{path}` has no `type`; folio takes it as `{}`", first.name),
                    )
                    .at(key)
                    .with_label(format!("its fields fit {}", describe_list(&candidates)))
                    .with_help(format!(
                        "add `type: {}` (or another of them) to say which",
                        first.name
                    )),
                );
                TypeCheck::Model(first)
            }
            _ => {
                self.report(
                    Diagnostic::error("content/missing-type", format!("`{path}` has no `type`"))
                        .at(key)
                        .with_label("cannot tell which model this object is")
                        .with_help(format!(
                            "add `type:` with one of {}",
                            describe_list(allowed)
                        )),
                );
                TypeCheck::Skip
            }
        }
    }
}

/// Whether a model is a page section (the original looks its component up by `type`).
fn is_section(model: &Model) -> bool {
    model
        .groups
        .iter()
        .any(|g| g == "SectionModels" || g == "sectionComponent")
}
