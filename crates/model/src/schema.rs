//! JSON Schema (draft-07, what YAML language servers read) for every page and data model, so
//! that editors validate and complete front matter and data files as folio would.

use crate::style::{StyleDomain, SPACING_SCALE};
use crate::{Field, FieldType, Model, ModelKind, Registry};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// One schema file per page or data model: `(file name, schema)`.
pub type SchemaSet = Vec<(String, Value)>;

/// The schemas of every page and data model of `registry`, each self-contained (the object
/// models it can reach are inlined under `definitions`).
pub fn json_schema(registry: &Registry) -> SchemaSet {
    registry
        .models()
        .filter(|m| m.kind != ModelKind::Object)
        .map(|m| (format!("{}.schema.json", m.name), model_schema(registry, m)))
        .collect()
}

fn model_schema(registry: &Registry, root: &Model) -> Value {
    let mut reachable = BTreeSet::new();
    collect_reachable(registry, root, &mut reachable);
    let definitions: Map<String, Value> = reachable
        .iter()
        .filter_map(|name| registry.get(name))
        .map(|m| (m.name.clone(), object_schema(m, false)))
        .collect();
    let mut schema = object_schema(root, true);
    let obj = schema
        .as_object_mut()
        .expect("object_schema returns an object");
    obj.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    obj.insert(
        "$id".into(),
        json!(format!(
            "https://folio.invalid/schema/{}.schema.json",
            root.name
        )),
    );
    obj.insert("title".into(), json!(root.name));
    obj.insert("definitions".into(), Value::Object(definitions));
    schema
}

fn collect_reachable(registry: &Registry, model: &Model, seen: &mut BTreeSet<String>) {
    for field in &model.fields {
        let nested = matches!(field.kind, FieldType::Model)
            || field
                .items
                .as_ref()
                .is_some_and(|i| i.kind == FieldType::Model);
        if !nested {
            continue;
        }
        for name in field.object_models() {
            if seen.insert(name.clone()) {
                if let Some(m) = registry.get(name) {
                    collect_reachable(registry, m, seen);
                }
            }
        }
    }
}

fn object_schema(model: &Model, is_root: bool) -> Value {
    let mut properties = Map::new();
    let type_const = json!({"const": model.name, "description": "the model of this object"});
    properties.insert("type".into(), type_const.clone());
    if is_root && model.kind == ModelKind::Page {
        // Older sites name the page model with `layout:`.
        properties.insert("layout".into(), type_const);
    }
    let mut required: Vec<Value> = Vec::new();
    for field in &model.fields {
        properties.insert(field.name.clone(), field_schema(field));
        if field.required {
            required.push(json!(field.name));
        }
    }
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    schema
}

fn with_description(mut schema: Value, field: &Field) -> Value {
    if let Some(label) = &field.label {
        schema["title"] = json!(label);
    }
    // The site's own option labels, in the form VS Code's YAML extension shows beside each value.
    if field.choices.iter().any(|c| c.label.is_some()) && schema.get("enum").is_some() {
        let labels: Vec<Value> = field
            .options
            .iter()
            .map(|option| {
                let choice = field.choices.iter().find(|c| &c.value == option);
                json!(choice.and_then(|c| c.label.as_deref()).unwrap_or(option))
            })
            .collect();
        schema["enumDescriptions"] = Value::Array(labels);
    }
    if let Some(default) = &field.default {
        schema["default"] = default.clone();
    }
    if let Some(text) = &field.description {
        schema["description"] = json!(text);
    } else if field.legacy {
        schema["description"] = json!("used by older sites");
    }
    schema
}

fn models_schema(models: &[String]) -> Value {
    let refs: Vec<Value> = models
        .iter()
        .map(|m| json!({"$ref": format!("#/definitions/{m}")}))
        .collect();
    match refs.len() {
        1 => refs.into_iter().next().unwrap_or(Value::Null),
        _ => json!({"oneOf": refs}),
    }
}

fn scalar_schema(
    kind: FieldType,
    field: Option<&Field>,
    options: &[String],
    models: &[String],
) -> Value {
    match kind {
        FieldType::String | FieldType::Text | FieldType::Markdown => json!({"type": "string"}),
        FieldType::Image => json!({"type": "string", "format": "uri-reference"}),
        FieldType::Color => {
            json!({"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"})
        }
        FieldType::Boolean => json!({"type": "boolean"}),
        FieldType::Date => json!({
            "type": "string",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$"
        }),
        FieldType::Enum => json!({"enum": options}),
        FieldType::Reference => json!({
            "type": "string",
            "pattern": "^content/",
            "description": format!("path of a {} file, e.g. content/data/team/name.json", models.join(" or ")),
        }),
        FieldType::Model => models_schema(models),
        FieldType::Number => {
            let mut s = json!({"type": "number"});
            if let Some(f) = field {
                if f.step == Some(1.0) {
                    s["type"] = json!("integer");
                }
                if let Some(min) = f.min {
                    s["minimum"] = json!(min);
                }
                if let Some(max) = f.max {
                    s["maximum"] = json!(max);
                }
            }
            s
        }
        FieldType::List | FieldType::Style | FieldType::Json => json!({}),
    }
}

fn field_schema(field: &Field) -> Value {
    let schema = match field.kind {
        FieldType::List => {
            let items = field
                .items
                .as_ref()
                .map(|i| scalar_schema(i.kind, None, &i.options, &i.models))
                .unwrap_or_else(|| json!({}));
            json!({"type": "array", "items": items})
        }
        FieldType::Style => style_schema(field),
        kind => scalar_schema(kind, Some(field), &field.options, &field.models),
    };
    with_description(schema, field)
}

fn style_schema(field: &Field) -> Value {
    let mut parts = Map::new();
    for (part, props) in field.styles.iter().flatten() {
        let mut properties = Map::new();
        for prop in props.as_object().into_iter().flat_map(|p| p.keys()) {
            let Some(domain) = StyleDomain::of(field, part, prop) else {
                continue;
            };
            let schema = match domain {
                StyleDomain::Any => json!({}),
                StyleDomain::OneOf(values) => {
                    // Font weights are written as numbers or strings; accept both.
                    let mut all: Vec<Value> = values.iter().map(|v| json!(v)).collect();
                    all.extend(
                        values
                            .iter()
                            .filter_map(|v| v.parse::<i64>().ok())
                            .map(|n| json!(n)),
                    );
                    json!({"enum": all})
                }
                StyleDomain::Spacing { prefix, .. } => json!({
                    "type": "array",
                    "items": {"type": "string", "pattern": format!("^{prefix}[tblrxy]?-({})$", SPACING_SCALE.join("|").replace('.', "\\."))}
                }),
                StyleDomain::Pixels { min, max } => {
                    json!({"type": "integer", "minimum": min, "maximum": max})
                }
            };
            properties.insert(prop.clone(), schema);
        }
        parts.insert(
            part.clone(),
            json!({"type": "object", "properties": properties, "additionalProperties": false}),
        );
    }
    json!({"type": "object", "properties": parts, "additionalProperties": false})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_schema_per_page_and_data_model() {
        let set = json_schema(&Registry::builtin());
        let names: Vec<_> = set.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.len(), 9, "{names:?}");
        assert!(names.contains(&"PostLayout.schema.json"));
    }

    #[test]
    fn post_schema_constrains_type_enums_and_nested_models() {
        let set = json_schema(&Registry::builtin());
        let (_, post) = set
            .iter()
            .find(|(n, _)| n == "PostLayout.schema.json")
            .expect("exists");
        assert_eq!(post["properties"]["type"]["const"], "PostLayout");
        assert_eq!(post["properties"]["colors"]["enum"][4], "colors-e");
        assert_eq!(post["required"], json!(["title", "date"]));
        let section = &post["definitions"]["RecentPostsSection"];
        assert_eq!(section["properties"]["variant"]["enum"][3], "variant-d");
        let padding =
            &section["properties"]["styles"]["properties"]["self"]["properties"]["padding"];
        assert_eq!(padding["type"], "array");
        assert!(post["definitions"]["ImageBlock"].is_object());
    }

    #[test]
    fn a_site_models_labels_become_titles_and_enum_descriptions() {
        let mut colors = Field::new("colors", FieldType::Enum);
        colors.label = Some("Colour scheme".into());
        colors.options = vec!["colors-a".into(), "colors-h".into()];
        colors.choices = vec![crate::EnumChoice {
            value: "colors-h".into(),
            label: Some("Night".into()),
            thumbnail: None,
        }];
        let schema = field_schema(&colors);
        assert_eq!(schema["title"], "Colour scheme");
        assert_eq!(schema["enum"], json!(["colors-a", "colors-h"]));
        assert_eq!(schema["enumDescriptions"], json!(["colors-a", "Night"]));
    }
}
