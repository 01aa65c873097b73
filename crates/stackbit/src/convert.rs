//! A Stackbit model definition (as read from YAML, JSON or TypeScript) turned into folio's
//! registry shape: kinds, field types, enum options with their labels, thumbnails and palette
//! colours, model lists and groups, inline objects, lists, styles, limits and the editor's
//! metadata. What cannot be read (a computed value) is a note at its place; the field or model
//! then keeps folio's built-in definition, which the merge supplies.

use crate::located::{Located, Lv};
use folio_diag::Diagnostic;
use folio_model::{EnumChoice, Field, FieldGroup, FieldType, ListItems, Model, ModelKind};
use serde_json::{json, Map, Value as Json};

/// A converted model and the models it extends (the `extends:` of older YAML models, applied
/// once every model is read).
#[derive(Debug, Clone)]
pub struct Converted {
    /// The model.
    pub model: Model,
    /// Names of the models whose fields it inherits.
    pub extends: Vec<String>,
    /// Whether the definition says its model type (`type: page|data|object|config`); an
    /// older YAML model may leave it to `contentModels` or to what the model is.
    pub typed: bool,
    /// Fields written without a `type`: overrides of a field the model inherits through
    /// `extends` (`- name: title` / `default: Featured`), applied with it.
    pub overrides: Vec<Located>,
}

/// Converts model definitions, collecting problems and the inline object models it creates.
pub struct Converter<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
    /// Object types declared inline in fields (`type: object` with `fields`).
    pub inline: Vec<Model>,
}

/// The Stackbit field types folio reads, and what each becomes.
fn field_type(name: &str) -> Option<FieldType> {
    Some(match name {
        "string" | "url" | "slug" | "file" => FieldType::String,
        "text" => FieldType::Text,
        "markdown" | "html" | "richText" => FieldType::Markdown,
        "number" => FieldType::Number,
        "boolean" => FieldType::Boolean,
        "date" | "datetime" => FieldType::Date,
        "color" => FieldType::Color,
        "enum" => FieldType::Enum,
        "image" => FieldType::Image,
        "reference" | "cross-reference" => FieldType::Reference,
        "model" | "object" => FieldType::Model,
        "list" => FieldType::List,
        "style" => FieldType::Style,
        "json" => FieldType::Json,
        _ => return None,
    })
}

const FIELD_TYPES: &str = "`string`, `url`, `slug`, `text`, `markdown`, `html`, `richText`, `number`, `boolean`, `date`, `datetime`, `color`, `enum`, `image`, `file`, `reference`, `cross-reference`, `model`, `object`, `list`, `style` or `json`";

impl<'d> Converter<'d> {
    /// A converter reporting into `diagnostics`.
    pub fn new(diagnostics: &'d mut Vec<Diagnostic>) -> Self {
        Converter {
            diagnostics,
            inline: Vec::new(),
        }
    }

    fn warn(&mut self, at: &Located, code: &'static str, message: String, help: &str) {
        self.diagnostics.push(
            Diagnostic::warning(code, message)
                .in_file(at.file.to_string())
                .at(at.span)
                .with_label("folio cannot use this")
                .with_help(help.to_string()),
        );
    }

    /// A note that `value` is computed, unless it is readable; `true` when it was computed.
    fn computed(&mut self, value: &Located, instead: &str) -> bool {
        match *value.value {
            Lv::Dynamic(_) | Lv::External { .. } => {
                self.diagnostics.push(value.dynamic_note(instead));
                true
            }
            _ => false,
        }
    }

    /// The model `value` defines; `name` when the definition itself has none (the key of a
    /// `models:` map, a YAML file's name).
    pub fn model(&mut self, value: &Located, name: Option<&str>) -> Option<Converted> {
        if self.computed(value, "folio uses its built-in definition of this model") {
            return None;
        }
        let Some(name) = value.get("name").and_then(Located::as_str).or(name) else {
            self.warn(
                value,
                "stackbit/invalid-model",
                "this model has no `name`".into(),
                "give it `name: <Type>`, the `type` its content objects have",
            );
            return None;
        };
        let declared = value.get("type");
        let kind = match declared.and_then(Located::as_str) {
            Some("page") => Some(ModelKind::Page),
            Some("data") | Some("config") => Some(ModelKind::Data),
            Some("object") => Some(ModelKind::Object),
            None if value.get("layout").is_some() || value.get("urlPath").is_some() => {
                Some(ModelKind::Page)
            }
            None => None,
            Some(other) => {
                let at = declared.unwrap_or(value);
                self.warn(
                    at,
                    "stackbit/invalid-model",
                    format!("`{other}` is not a model type (model `{name}`)"),
                    "write `type: page`, `data`, `object` or `config`",
                );
                None
            }
        };
        let typed = kind.is_some();
        let kind = kind.unwrap_or(ModelKind::Object);
        let mut model = Model::new(name, kind, Vec::new());
        let extends = strings(value.get("extends"));
        let mut overrides = Vec::new();
        model.label = text(value, "label");
        model.description = text(value, "description");
        model.thumbnail = text(value, "thumbnail");
        model.label_field = text(value, "labelField");
        model.url_path = text(value, "urlPath");
        model.file_path = text(value, "filePath");
        if let Some(file) = text(value, "file") {
            model.file_path = Some(file);
            model.single_file = true;
        }
        model.single_instance = flag(value, "singleInstance");
        model.has_markdown_body = kind == ModelKind::Page && !flag(value, "hideContent");
        model.groups = strings(value.get("groups"));
        model.field_groups = value
            .get("fieldGroups")
            .map(|groups| {
                groups
                    .items()
                    .iter()
                    .filter_map(|g| {
                        Some(FieldGroup {
                            name: text(g, "name")?,
                            label: text(g, "label"),
                            icon: text(g, "icon"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        model.source = Some(value.file.to_string());
        if let Some(fields) = value.get("fields") {
            if !self.computed(fields, "folio uses its built-in definition of these fields") {
                for hole in fields.holes() {
                    self.diagnostics.push(hole.dynamic_note(
                        "folio keeps the fields it can read and takes the others from its built-in model",
                    ));
                }
                for field in fields.items() {
                    let is_override = !extends.is_empty()
                        && field.get("type").is_none()
                        && field.get("name").and_then(Located::as_str).is_some();
                    if is_override {
                        overrides.push(field.clone());
                    } else if let Some(field) = self.field(field, name) {
                        model.fields.push(field);
                    }
                }
            }
        }
        Some(Converted {
            model,
            extends,
            typed,
            overrides,
        })
    }

    /// One field of model `owner`; `None` when it cannot be read (reported).
    pub fn field(&mut self, value: &Located, owner: &str) -> Option<Field> {
        if self.computed(value, "folio uses its built-in definition of this field") {
            return None;
        }
        let Some(name) = value.get("name").and_then(Located::as_str) else {
            self.warn(
                value,
                "stackbit/invalid-field",
                format!("a field of `{owner}` has no `name`"),
                "give every field `name:` and `type:`",
            );
            return None;
        };
        let type_value = value.get("type");
        let Some(type_name) = type_value.and_then(Located::as_str) else {
            let at = type_value.unwrap_or(value);
            if !self.computed(at, "folio uses its built-in definition of this field") {
                self.warn(
                    at,
                    "stackbit/invalid-field",
                    format!("field `{name}` of `{owner}` has no `type`"),
                    &format!("write one of {FIELD_TYPES}"),
                );
            }
            return None;
        };
        let Some(kind) = field_type(type_name) else {
            let at = type_value.unwrap_or(value);
            self.warn(
                at,
                "stackbit/unknown-field-type",
                format!("`{type_name}` is not a field type (`{owner}.{name}`)"),
                &format!("write one of {FIELD_TYPES}; folio uses its built-in definition of the field meanwhile"),
            );
            return None;
        };
        let mut field = Field::new(name, kind);
        overlay(&mut field, value);
        let path = format!("{owner}.{name}");
        match type_name {
            "enum" => self.options(value, &mut field),
            "model" | "reference" | "cross-reference" => {
                field.models = model_names(value.get("models"));
                field.groups = strings(value.get("groups"));
            }
            "object" => {
                field.models = vec![self.inline_model(value, &path)];
            }
            "list" => field.items = self.items(value.get("items"), &path),
            "style" => field.styles = value.get("styles").map(styles),
            _ => {}
        }
        Some(field)
    }

    /// What a list holds: `items: {type, models, options, fields…}` (a list of strings when
    /// absent, as in Stackbit).
    fn items(&mut self, items: Option<&Located>, path: &str) -> Option<ListItems> {
        let Some(items) = items else {
            return Some(ListItems {
                kind: FieldType::String,
                models: Vec::new(),
                groups: Vec::new(),
                options: Vec::new(),
            });
        };
        if self.computed(items, "folio uses its built-in definition of this list") {
            return None;
        }
        let type_name = text(items, "type").unwrap_or_else(|| "string".into());
        let Some(kind) = field_type(&type_name) else {
            self.warn(
                items.get("type").unwrap_or(items),
                "stackbit/unknown-field-type",
                format!("`{type_name}` is not a field type (items of `{path}`)"),
                &format!("write one of {FIELD_TYPES}"),
            );
            return None;
        };
        let mut list = ListItems {
            kind,
            models: model_names(items.get("models")),
            groups: strings(items.get("groups")),
            options: Vec::new(),
        };
        match type_name.as_str() {
            "object" => list.models = vec![self.inline_model(items, &format!("{path}.items"))],
            "enum" => {
                let mut probe = Field::new("items", FieldType::Enum);
                self.options(items, &mut probe);
                list.options = probe.options;
            }
            _ => {}
        }
        Some(list)
    }

    /// The inline object model of a `type: object` field (or list items), named by its path.
    fn inline_model(&mut self, value: &Located, path: &str) -> String {
        let mut model = Model::new(path, ModelKind::Object, Vec::new());
        model.inline = true;
        model.label_field = text(value, "labelField");
        model.source = Some(value.file.to_string());
        if let Some(fields) = value.get("fields") {
            if !self.computed(fields, "folio reads this object's fields as written") {
                model.fields = fields
                    .items()
                    .iter()
                    .filter_map(|f| self.field(f, path))
                    .collect();
            }
        }
        self.inline.push(model);
        path.to_string()
    }

    /// An enum's options: plain values, or `{label, value, thumbnail}` objects, with palette
    /// colours (`textColor`, `backgroundColor`, `borderColor`) for colour schemes.
    fn options(&mut self, value: &Located, field: &mut Field) {
        let Some(options) = value.get("options") else {
            return;
        };
        if self.computed(options, "folio accepts any value for this field") {
            return;
        }
        let mut palette = Map::new();
        for option in options.items() {
            let (value_text, label, thumbnail) = match &*option.value {
                Lv::Map(..) => (
                    option.get("value").and_then(Located::scalar_text),
                    text(option, "label"),
                    text(option, "thumbnail"),
                ),
                _ => (option.scalar_text(), None, None),
            };
            let Some(value_text) = value_text else {
                continue;
            };
            let colours: Map<String, Json> = [
                ("textColor", "text"),
                ("backgroundColor", "background"),
                ("borderColor", "border"),
            ]
            .iter()
            .filter_map(|(from, to)| Some((to.to_string(), json!(text(option, from)?))))
            .collect();
            if !colours.is_empty() {
                palette.insert(value_text.clone(), Json::Object(colours));
            }
            if label.is_some() || thumbnail.is_some() {
                field.choices.push(EnumChoice {
                    value: value_text.clone(),
                    label,
                    thumbnail,
                });
            }
            field.options.push(value_text);
        }
        if !palette.is_empty() {
            field.palette = Some(Json::Object(palette));
        }
    }
}

/// Set the properties every field type has, where `value` writes them (a field, or the
/// override of an inherited one).
pub fn overlay(field: &mut Field, value: &Located) {
    let set_text = |slot: &mut Option<String>, key: &str| {
        if let Some(t) = text(value, key) {
            *slot = Some(t);
        }
    };
    set_text(&mut field.label, "label");
    set_text(&mut field.description, "description");
    set_text(&mut field.group, "group");
    set_text(&mut field.control_type, "controlType");
    set_text(&mut field.unit, "unit");
    let set_flag = |slot: &mut bool, key: &str| {
        if let Some(b) = value.get(key).and_then(Located::as_bool) {
            *slot = b;
        }
    };
    set_flag(&mut field.required, "required");
    set_flag(&mut field.hidden, "hidden");
    set_flag(&mut field.read_only, "readOnly");
    let set_json = |slot: &mut Option<Json>, key: &str| {
        if let Some(v) = value.get(key) {
            *slot = readable_json(v);
        }
    };
    set_json(&mut field.default, "default");
    set_json(&mut field.constant, "const");
    set_json(&mut field.validations, "validations");
    for (slot, key) in [
        (&mut field.min, "min"),
        (&mut field.max, "max"),
        (&mut field.step, "step"),
    ] {
        if let Some(n) = value.get(key).and_then(Located::as_f64) {
            *slot = Some(n);
        }
    }
    if text(value, "subtype").as_deref() == Some("int") && field.step.is_none() {
        field.step = Some(1.0);
    }
}

/// A `styles` definition in folio's shape: part → property → `"*"` or a list of values
/// (`{value, label, color}` options reduced to their values).
fn styles(value: &Located) -> Map<String, Json> {
    let mut parts = Map::new();
    for (part, properties) in value.entries() {
        let mut out = Map::new();
        for (property, domain) in properties.entries() {
            let domain = match &*domain.value {
                Lv::List(items, _) => Json::Array(
                    items
                        .iter()
                        .filter_map(|item| match &*item.value {
                            Lv::Map(..) => item.get("value").map(Located::to_json),
                            _ => Some(item.to_json()),
                        })
                        .collect(),
                ),
                _ => domain.to_json(),
            };
            out.insert(property.clone(), domain);
        }
        parts.insert(part.clone(), Json::Object(out));
    }
    parts
}

fn text(value: &Located, key: &str) -> Option<String> {
    value.get(key).and_then(Located::as_str).map(str::to_string)
}

fn flag(value: &Located, key: &str) -> bool {
    value.get(key).and_then(Located::as_bool).unwrap_or(false)
}

/// A list of strings, or one string.
fn strings(value: Option<&Located>) -> Vec<String> {
    match value {
        Some(v) if v.as_str().is_some() => v.as_str().map(str::to_string).into_iter().collect(),
        Some(v) => v
            .items()
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        None => Vec::new(),
    }
}

/// Model names of `models:`: strings, or `{modelName}` objects (cross-references).
fn model_names(value: Option<&Located>) -> Vec<String> {
    value
        .map(|v| {
            v.items()
                .iter()
                .filter_map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .or_else(|| text(i, "modelName"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The value as JSON when all of it could be read.
fn readable_json(value: &Located) -> Option<Json> {
    if value.first_dynamic().is_some() || value.is_null() {
        return None;
    }
    Some(value.to_json())
}

/// Apply `extends:`: each model gets the fields of the models it extends that it lacks, in
/// front of its own (as Stackbit's model extender does), and their field groups.
pub fn apply_extends(models: &mut [Converted], diagnostics: &mut Vec<Diagnostic>) {
    let snapshot: Vec<Converted> = models.to_vec();
    for converted in models.iter_mut() {
        let mut seen = vec![converted.model.name.clone()];
        let mut inherited: Vec<Field> = Vec::new();
        let mut groups = Vec::new();
        collect_inherited(
            &snapshot,
            &converted.extends,
            &mut seen,
            &mut inherited,
            &mut groups,
        );
        let own = std::mem::take(&mut converted.model.fields);
        let mut fields: Vec<Field> = inherited
            .into_iter()
            .filter(|f| !own.iter().any(|o| o.name == f.name))
            .map(|mut f| {
                let name = f.name.clone();
                let written = converted
                    .overrides
                    .iter()
                    .filter(|o| o.get("name").and_then(Located::as_str) == Some(name.as_str()));
                for value in written {
                    overlay(&mut f, value);
                }
                f
            })
            .collect();
        fields.extend(own);
        for value in &converted.overrides {
            let name = value
                .get("name")
                .and_then(Located::as_str)
                .unwrap_or_default();
            if !fields.iter().any(|f| f.name == name) {
                diagnostics.push(
                    Diagnostic::warning(
                        "stackbit/invalid-field",
                        format!("field `{name}` of `{}` has no `type`", converted.model.name),
                    )
                    .in_file(value.file.to_string())
                    .at(value.span)
                    .with_label("no model it extends has this field")
                    .with_help(format!("write one of {FIELD_TYPES}")),
                );
            }
        }
        converted.model.fields = fields;
        for group in groups {
            if !converted
                .model
                .field_groups
                .iter()
                .any(|g| g.name == group.name)
            {
                converted.model.field_groups.push(group);
            }
        }
    }
}

fn collect_inherited(
    models: &[Converted],
    extends: &[String],
    seen: &mut Vec<String>,
    fields: &mut Vec<Field>,
    groups: &mut Vec<FieldGroup>,
) {
    for name in extends {
        if seen.contains(name) {
            continue;
        }
        seen.push(name.clone());
        let Some(parent) = models.iter().find(|m| &m.model.name == name) else {
            continue;
        };
        collect_inherited(models, &parent.extends, seen, fields, groups);
        for field in &parent.model.fields {
            if !fields.iter().any(|f| f.name == field.name) {
                fields.push(field.clone());
            }
        }
        groups.extend(parent.model.field_groups.iter().cloned());
    }
}
