//! Merging a site's own model definitions (its `.stackbit` models, converted to the registry's
//! shape) over the built-in registry.
//!
//! The site's definition is authoritative: its fields, in its order, with its types, options,
//! labels, groups and defaults. What the built-in theme renders is kept underneath: a field the
//! theme knows but the site's model lacks is appended (it still renders), limits the site does not
//! set come from the built-in field, and a model keeps the built-in groups it belongs to, so that
//! the theme's templates find it where they look for it. Model lists written as groups
//! (`groups: [SectionModels]`) are expanded once every model is known.

use crate::{Field, FieldOrigin, Model, Registry};

impl Registry {
    /// Merge the site's own models over the registry: a model the registry has is merged
    /// field by field ([`merge_model`]); a new one is added as the site's. Then every field's
    /// model groups are expanded over the merged registry.
    pub fn merge_site_models(&mut self, models: Vec<Model>) {
        for site in models {
            match self.get(&site.name) {
                Some(builtin) if builtin.source.is_none() => {
                    let merged = merge_model(builtin, site);
                    self.insert(merged);
                }
                _ => self.insert_site_model(mark_site(site)),
            }
        }
        self.expand_groups();
    }

    /// Add the models of every group a field names to that field's models (built-in fields
    /// list theirs already; a site's section models join them here).
    fn expand_groups(&mut self) {
        let members: Vec<(String, Vec<String>)> = self
            .models
            .iter()
            .map(|m| (m.name.clone(), m.groups.clone()))
            .collect();
        let expand = |models: &mut Vec<String>, groups: &[String]| {
            for (name, of) in &members {
                if of.iter().any(|g| groups.contains(g)) && !models.contains(name) {
                    models.push(name.clone());
                }
            }
        };
        for model in &mut self.models {
            for field in &mut model.fields {
                if !field.groups.is_empty() {
                    expand(&mut field.models, &field.groups);
                }
                if let Some(items) = &mut field.items {
                    if !items.groups.is_empty() {
                        expand(&mut items.models, &items.groups);
                    }
                }
            }
        }
    }
}

/// Every field of a model only the site has is the site's.
fn mark_site(mut model: Model) -> Model {
    for field in &mut model.fields {
        field.origin = FieldOrigin::Site;
    }
    model
}

/// The site's model `site` over the built-in `builtin` of the same name.
pub fn merge_model(builtin: &Model, site: Model) -> Model {
    let mut fields: Vec<Field> = site
        .fields
        .into_iter()
        .map(|field| match builtin.field(&field.name) {
            Some(theirs) => merge_field(theirs, field),
            None => Field {
                origin: FieldOrigin::Site,
                ..field
            },
        })
        .collect();
    for theirs in &builtin.fields {
        if !fields.iter().any(|f| f.name == theirs.name) {
            fields.push(theirs.clone());
        }
    }
    let mut groups = site.groups;
    for group in &builtin.groups {
        if !groups.contains(group) {
            groups.push(group.clone());
        }
    }
    Model {
        name: site.name,
        kind: site.kind,
        legacy: builtin.legacy,
        groups,
        label_field: site.label_field.or_else(|| builtin.label_field.clone()),
        url_path: site.url_path.or_else(|| builtin.url_path.clone()),
        file_path: site.file_path.or_else(|| builtin.file_path.clone()),
        single_file: site.single_file || builtin.single_file,
        single_instance: site.single_instance || builtin.single_instance,
        // What the theme renders decides whether a body is rendered.
        has_markdown_body: builtin.has_markdown_body,
        fields,
        label: site.label.or_else(|| builtin.label.clone()),
        description: site.description.or_else(|| builtin.description.clone()),
        thumbnail: site.thumbnail.or_else(|| builtin.thumbnail.clone()),
        field_groups: if site.field_groups.is_empty() {
            builtin.field_groups.clone()
        } else {
            site.field_groups
        },
        inline: builtin.inline,
        source: site.source,
    }
}

/// The site's field `site` over the built-in `builtin` of the same name: the site's
/// definition, with the limits and swatches it does not set taken from the built-in one.
fn merge_field(builtin: &Field, site: Field) -> Field {
    let same_kind = site.kind == builtin.kind;
    let items = match (site.items, &builtin.items) {
        (Some(items), _) => Some(items),
        (None, Some(theirs)) if same_kind => Some(theirs.clone()),
        (None, _) => None,
    };
    Field {
        min: site.min.or(builtin.min),
        max: site.max.or(builtin.max),
        step: site.step.or(builtin.step),
        unit: site.unit.or_else(|| builtin.unit.clone()),
        palette: site
            .palette
            .or_else(|| builtin.palette.clone().filter(|_| same_kind)),
        styles: site
            .styles
            .or_else(|| builtin.styles.clone().filter(|_| same_kind)),
        legacy: builtin.legacy,
        items,
        origin: FieldOrigin::Both,
        ..site
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EnumChoice, FieldType, ListItems, ModelKind};

    fn site_footer() -> Model {
        let mut title = Field::new("title", FieldType::String);
        title.label = Some("Footer title".into());
        let links = Field {
            items: Some(ListItems {
                kind: FieldType::Model,
                models: vec!["Badge".into()],
                groups: Vec::new(),
                options: Vec::new(),
            }),
            ..Field::new("awards", FieldType::List)
        };
        let mut model = Model::new("Footer", ModelKind::Object, vec![title, links]);
        model.source = Some(".stackbit/models/Footer.yaml".into());
        model
    }

    #[test]
    fn the_site_model_comes_first_and_theme_fields_it_lacks_still_render() {
        let mut registry = Registry::builtin();
        let theme_fields: Vec<String> = registry
            .get("Footer")
            .map(|m| m.fields.iter().map(|f| f.name.clone()).collect())
            .unwrap_or_default();
        registry.merge_site_models(vec![site_footer()]);
        let footer = registry.get("Footer").expect("merged");
        let names: Vec<&str> = footer.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names[..2], ["title", "awards"]);
        for name in &theme_fields {
            assert!(footer.field(name).is_some(), "{name} kept");
        }
        assert_eq!(
            footer.field("awards").map(|f| f.origin),
            Some(FieldOrigin::Site)
        );
        assert_eq!(
            footer.field("title").and_then(|f| f.label.as_deref()),
            Some("Footer title")
        );
        let theme_only = theme_fields
            .iter()
            .find(|n| *n != "title")
            .expect("the theme's footer has more fields");
        assert_eq!(
            footer.field(theme_only).map(|f| f.origin),
            Some(FieldOrigin::Builtin)
        );
        assert!(!registry.is_from_site("Footer"));
    }

    #[test]
    fn site_enum_options_replace_the_theme_ones_and_keep_their_labels() {
        let mut registry = Registry::builtin();
        let mut font = Field::new("fontBody", FieldType::Enum);
        font.options = vec!["\"DM Mono\", monospace".into()];
        font.choices = vec![EnumChoice {
            value: "\"DM Mono\", monospace".into(),
            label: Some("DM Mono".into()),
            thumbnail: None,
        }];
        registry.merge_site_models(vec![Model::new("ThemeStyle", ModelKind::Data, vec![font])]);
        let field = registry
            .get("ThemeStyle")
            .and_then(|m| m.field("fontBody"))
            .expect("merged");
        assert_eq!(field.options, ["\"DM Mono\", monospace"]);
        assert_eq!(field.choices[0].label.as_deref(), Some("DM Mono"));
        assert_eq!(field.origin, FieldOrigin::Both);
    }

    #[test]
    fn a_new_section_model_joins_every_list_of_its_group() {
        let mut registry = Registry::builtin();
        let mut panorama = Model::new(
            "PanoramaSection",
            ModelKind::Object,
            vec![Field::new("title", FieldType::String)],
        );
        panorama.groups = vec!["SectionModels".into()];
        registry.merge_site_models(vec![panorama]);
        assert!(registry.is_from_site("PanoramaSection"));
        let sections = registry
            .get("PageLayout")
            .and_then(|m| m.field("sections"))
            .expect("PageLayout has sections");
        assert!(sections
            .object_models()
            .iter()
            .any(|m| m == "PanoramaSection"));
        assert_eq!(
            registry
                .get("PanoramaSection")
                .and_then(|m| m.field("title"))
                .map(|f| f.origin),
            Some(FieldOrigin::Site)
        );
    }
}
