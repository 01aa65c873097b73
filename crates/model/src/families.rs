//! Which official template has a field or model folio's built-in registry lacks
//! (`registry/families.json`, generated from the official templates in `../shared/fixtures` by
//! `crates/stackbit/tests/official_templates.rs`), so that a warning about an unknown field can
//! say which theme version or family has it.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Default, Deserialize)]
struct Families {
    families: BTreeMap<String, String>,
    models: BTreeMap<String, Vec<String>>,
    fields: BTreeMap<String, Vec<String>>,
}

fn families() -> &'static Families {
    static FAMILIES: OnceLock<Families> = OnceLock::new();
    FAMILIES.get_or_init(|| {
        serde_json::from_str(include_str!("../registry/families.json")).unwrap_or_default()
    })
}

fn labels(ids: Option<&Vec<String>>) -> Vec<&'static str> {
    let all = families();
    ids.into_iter()
        .flatten()
        .filter_map(|id| all.families.get(id).map(String::as_str))
        .collect()
}

/// The official templates (described: "the starter / startup family (2021–22)") whose model
/// `model` has the field `field` that folio's built-in one lacks.
pub fn families_with_field(model: &str, field: &str) -> Vec<&'static str> {
    labels(families().fields.get(&format!("{model}.{field}")))
}

/// The official templates that have a model folio's built-in registry lacks.
pub fn families_with_model(model: &str) -> Vec<&'static str> {
    labels(families().models.get(model))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_family_of_a_field_and_a_model() {
        assert_eq!(
            families_with_field("Footer", "colors"),
            ["the starter / startup family (2021–22)"]
        );
        assert_eq!(
            families_with_field("ThemeStyle", "headingWeight"),
            ["the 2024–25 Netlify template (`personal-site` 0.2)"]
        );
        assert!(families_with_field("Footer", "nonsense").is_empty());
        assert_eq!(
            families_with_model("FaqSection"),
            ["the starter / startup family (2021–22)"]
        );
    }
}
