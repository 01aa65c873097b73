//! `folio new template TYPE`: the start of a site's own template for a model, wired to every
//! field of it (the site's own model merged over folio's, else the fields the content gives
//! objects of that type), in the frame the generic rendering uses (a page layout, a section,
//! or a block). It is the migration path for a custom React component: what the generic
//! rendering shows, as markup the owner edits.

use crate::generic::{has_image_extension, kind_of_type};
use folio_model::{Field, FieldType, Registry};
use serde_json::{Map, Value as Json};
use std::fmt::Write;

/// The text of `templates/<name>.html` for `name`; `examples` are objects of that type found
/// in the content, read for their fields when no model defines it.
pub fn template_skeleton(
    registry: &Registry,
    name: &str,
    examples: &[&Map<String, Json>],
) -> String {
    let fields: Vec<Field> = match registry.get(name) {
        Some(model) => model.fields.clone(),
        None => fields_of_examples(examples),
    };
    let kind = kind_of_type(registry, name, false);
    let mut body = String::new();
    for field in fields.iter().filter(|f| !is_frame(&f.name)) {
        field_markup(&mut body, field, kind);
    }
    let header = format!(
        "{{#- {name}: started by `folio new template {name}`, with every field of its model.\n    \
         Edit the markup to draw it as the original did; the template API is in folio's\n    \
         crates/render/theme/README.md (`folio eject-theme` shows the built-in templates). -#}}\n"
    );
    match kind {
        "page" => format!(
            "{header}<main id=\"main\" class=\"sb-layout sb-layout-{kebab}\">\n<article class=\"px-4 py-14 lg:py-20\">\n<div class=\"max-w-5xl mx-auto\">\n{body}{{% if obj.markdownContent %}}\n<div class=\"sb-markdown\">{{{{ obj.markdownContent | markdown }}}}</div>\n{{% endif %}}\n</div>\n</article>\n{sections}</main>\n",
            kebab = crate::engine::kebab(name),
            sections = if fields.iter().any(|f| f.name == "sections") {
                "{% for section in obj.sections %}\n{{ component(section) }}\n{% endfor %}\n"
            } else {
                ""
            },
        ),
        "section" => format!(
            "{header}{{%- import \"_section.html\" as s -%}}\n{{%- call s.section(obj) %}}\n{body}{{%- endcall %}}\n"
        ),
        _ => format!(
            "{header}<div{{% if obj.elementId %}} id=\"{{{{ obj.elementId }}}}\"{{% endif %}} class=\"sb-component sb-component-block sb-component-{kebab}{{% if class %}} {{{{ class }}}}{{% endif %}}\">\n{body}</div>\n",
            kebab = crate::engine::kebab(name),
        ),
    }
}

/// Fields the frame handles (the section wrapper, the page's head).
fn is_frame(name: &str) -> bool {
    [
        "type",
        "elementId",
        "colors",
        "styles",
        "backgroundSize",
        "markdownContent",
        "seo",
        "slug",
        "sections",
        "metaTitle",
        "metaDescription",
        "socialImage",
        "metaTags",
        "addTitleSuffix",
    ]
    .contains(&name)
}

fn field_markup(out: &mut String, field: &Field, kind: &str) {
    let name = &field.name;
    let heading = if kind == "page" {
        "h1"
    } else if kind == "section" {
        "h2"
    } else {
        "h3"
    };
    let _ = match field.kind {
        FieldType::String | FieldType::Text if name == "title" => writeln!(
            out,
            "{{% if obj.title %}}<{heading}>{{{{ obj.title }}}}</{heading}>{{% endif %}}"
        ),
        FieldType::String | FieldType::Text => writeln!(
            out,
            "{{% if obj.{name} %}}<p class=\"{name}\">{{{{ obj.{name} }}}}</p>{{% endif %}}"
        ),
        FieldType::Markdown => writeln!(
            out,
            "{{% if obj.{name} %}}<div class=\"sb-markdown\">{{{{ obj.{name} | markdown }}}}</div>{{% endif %}}"
        ),
        FieldType::Image => writeln!(
            out,
            "{{% if obj.{name} %}}<img src=\"{{{{ obj.{name} }}}}\"{{{{ img_attrs(obj.{name}) }}}} alt=\"\">{{% endif %}}"
        ),
        FieldType::Date => writeln!(
            out,
            "{{% if obj.{name} %}}<time datetime=\"{{{{ obj.{name} }}}}\">{{{{ obj.{name} }}}}</time>{{% endif %}}"
        ),
        FieldType::Model | FieldType::Reference => {
            writeln!(out, "{{% if obj.{name} %}}{{{{ component(obj.{name}) }}}}{{% endif %}}")
        }
        FieldType::List => {
            let objects = field.items.as_ref().is_some_and(|i| {
                matches!(i.kind, FieldType::Model | FieldType::Reference)
            });
            if objects {
                writeln!(
                    out,
                    "{{% if obj.{name} %}}\n<div class=\"{name}\">\n{{% for item in obj.{name} %}}{{{{ component(item) }}}}{{% endfor %}}\n</div>\n{{% endif %}}"
                )
            } else {
                writeln!(
                    out,
                    "{{% if obj.{name} %}}<ul class=\"{name}\">{{% for item in obj.{name} %}}<li>{{{{ item }}}}</li>{{% endfor %}}</ul>{{% endif %}}"
                )
            }
        }
        // Settings: how the object is drawn.
        _ => {
            let values = if field.options.is_empty() {
                String::new()
            } else {
                format!(": {}", field.options.join(", "))
            };
            writeln!(out, "{{#- obj.{name}: a setting ({kind}{values}) -#}}", kind = kind_name(field.kind))
        }
    };
}

fn kind_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Enum => "enum",
        FieldType::Boolean => "true or false",
        FieldType::Number => "number",
        FieldType::Color => "colour",
        FieldType::Style => "styles",
        _ => "value",
    }
}

/// Fields from the objects' own keys and value shapes, in the order first seen.
fn fields_of_examples(examples: &[&Map<String, Json>]) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    for example in examples {
        for (key, value) in example.iter() {
            if key.starts_with("__") || fields.iter().any(|f| &f.name == key) {
                continue;
            }
            let kind = match value {
                Json::String(s) if s.contains('\n') => FieldType::Markdown,
                Json::String(s) if has_image_extension(s) => FieldType::Image,
                Json::String(_) => FieldType::String,
                Json::Bool(_) => FieldType::Boolean,
                Json::Number(_) => FieldType::Number,
                Json::Object(_) => FieldType::Model,
                Json::Array(items) => {
                    let mut field = Field::new(key.clone(), FieldType::List);
                    let item_kind = if items.iter().all(Json::is_object) {
                        FieldType::Model
                    } else {
                        FieldType::String
                    };
                    field.items = Some(folio_model::ListItems {
                        kind: item_kind,
                        models: Vec::new(),
                        groups: Vec::new(),
                        options: Vec::new(),
                    });
                    fields.push(field);
                    continue;
                }
                Json::Null => continue,
            };
            fields.push(Field::new(key.clone(), kind));
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_skeleton_has_every_field_in_the_section_frame() {
        let registry = Registry::builtin();
        let text = template_skeleton(&registry, "HeroSection", &[]);
        assert!(text.contains("{%- call s.section(obj) %}"), "{text}");
        assert!(text.contains("<h2>{{ obj.title }}</h2>"), "{text}");
        assert!(
            text.contains("{% for item in obj.actions %}{{ component(item) }}"),
            "{text}"
        );
        assert!(text.contains("{{ obj.text | markdown }}"), "{text}");
        assert!(!text.contains("obj.colors"), "the frame handles colours");
    }

    #[test]
    fn a_type_without_model_takes_its_fields_from_the_content() {
        let registry = Registry::builtin();
        let example: Map<String, Json> = serde_json::from_str(
            r#"{"type": "PanoramaSection", "title": "Bay", "image": "/images/bay.jpg", "fieldOfView": 120, "notes": "a\nb"}"#,
        )
        .expect("json");
        let text = template_skeleton(&registry, "PanoramaSection", &[&example]);
        assert!(text.contains("<img src=\"{{ obj.image }}\""), "{text}");
        assert!(
            text.contains("obj.fieldOfView: a setting (number)"),
            "{text}"
        );
        assert!(text.contains("{{ obj.notes | markdown }}"), "{text}");
        let page = template_skeleton(&registry, "ProductLayout", &[]);
        assert!(page.contains("<main id=\"main\""), "{page}");
    }
}
