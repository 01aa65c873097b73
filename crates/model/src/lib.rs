//! The content model as data: every model of the Stackbit / Netlify Create portfolio starter
//! (MODEL.md), with its fields, types, enums, defaults and allowed nested models.
//!
//! The registry drives validation, the JSON Schema export and (later) the editor's forms.
//! Built-in models live as JSON files under `crates/model/registry/`, one per model, embedded
//! in the binary; a site adds its own with files of the same shape under `models/`.
#![warn(missing_docs)]

mod builtin_list;
pub mod families;
mod merge;
mod schema;
pub mod style;

pub use schema::{json_schema, SchemaSet};

use folio_syntax::PathStep;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_path_to_error::Segment;
use std::collections::HashMap;

/// The models folio's theme has a template for (`<Type>.html`); any other is drawn by the
/// generic template. The render crate's tests keep this list equal to its templates.
pub const THEME_TEMPLATES: [&str; 41] = [
    "Badge",
    "Button",
    "CheckboxFormControl",
    "ContactSection",
    "CtaSection",
    "DividerSection",
    "EmailFormControl",
    "FeaturedItem",
    "FeaturedItemsSection",
    "FeaturedPostsSection",
    "FeaturedProjectsSection",
    "Footer",
    "FormBlock",
    "Header",
    "HeroSection",
    "ImageBlock",
    "LabelsSection",
    "Link",
    "MediaGallerySection",
    "PageLayout",
    "PagedPostsSection",
    "PagedProjectsSection",
    "PostFeedCategoryLayout",
    "PostFeedItem",
    "PostFeedLayout",
    "PostFeedSection",
    "PostLayout",
    "ProjectFeedItem",
    "ProjectFeedLayout",
    "ProjectFeedSection",
    "ProjectLayout",
    "QuoteSection",
    "RecentPostsSection",
    "RecentProjectsSection",
    "SelectFormControl",
    "Social",
    "TestimonialsSection",
    "TextFormControl",
    "TextSection",
    "TextareaFormControl",
    "VideoBlock",
];

/// The icons folio's theme draws (`icon:` of buttons, links and social links); a site adds
/// its own as `templates/icons/<name>.svg`.
pub const ICONS: [&str; 34] = [
    "apple",
    "arrowLeft",
    "arrowLeftCircle",
    "arrowRight",
    "arrowRightCircle",
    "arrowUpLeft",
    "arrowUpRight",
    "bluesky",
    "cart",
    "chevronLeft",
    "chevronRight",
    "devTo",
    "discord",
    "facebook",
    "github",
    "googlePlay",
    "instagram",
    "linkedin",
    "mail",
    "mastodon",
    "medium",
    "play",
    "playCircle",
    "reddit",
    "send",
    "spotify",
    "strava",
    "threads",
    "tiktok",
    "twitch",
    "twitter",
    "vimeo",
    "x",
    "youtube",
];

/// Where objects of a model live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// A page: a Markdown file under `content/pages` that gets a URL.
    Page,
    /// A data file under `content/data` (Config, Person, ThemeStyle).
    Data,
    /// An object nested inside a page or data file.
    Object,
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// A single-line string.
    String,
    /// Multi-line plain text (Stackbit's `text`): validated as a string, edited in a text box.
    Text,
    /// Markdown source.
    Markdown,
    /// A number (integer or decimal).
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of `options`.
    Enum,
    /// A calendar date (`YYYY-MM-DD`) or timestamp.
    Date,
    /// A public URL path (`/images/a.jpg`) or absolute URL.
    Image,
    /// A hex colour.
    Color,
    /// The repo-relative path of a file whose model is one of `models`.
    Reference,
    /// An inline object whose model is one of `models`.
    Model,
    /// A list of `items`.
    List,
    /// A `styles` object: part → property → value.
    Style,
    /// Any JSON value (Stackbit's `json`), kept as written.
    Json,
}

impl FieldType {
    /// The name used in model files and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Markdown => "markdown",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Enum => "enum",
            FieldType::Date => "date",
            FieldType::Image => "image",
            FieldType::Color => "color",
            FieldType::Reference => "reference",
            FieldType::Model => "model",
            FieldType::List => "list",
            FieldType::Style => "style",
            FieldType::Json => "json",
        }
    }
}

/// What a list field holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItems {
    /// The item type (`model`, `reference`, `string`, …).
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Allowed models for `model` and `reference` items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    /// Model groups the item models were expanded from (informational).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Allowed values for `enum` items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// One field of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Field {
    /// The key in content files.
    pub name: String,
    /// The value type.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Whether the editor requires it (the renderer copes without).
    #[serde(default)]
    pub required: bool,
    /// What the editor writes into new objects. Never applied at render time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// Allowed values of an `enum` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Allowed models of a `model` or `reference` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    /// Model groups whose members a `model` or `reference` field also allows (expanded into
    /// `models` when the registry is merged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// What a `list` field holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<ListItems>,
    /// Smallest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Number step (1 means integers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// Unit shown by the editor (`px`, `%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// For `style` fields: part → property → allowed values (`"*"`, a list, `tw0:96`, `0:8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub styles: Option<serde_json::Map<String, Value>>,
    /// For colour-scheme enums: what each option looks like (editor swatches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub palette: Option<Value>,
    /// The editor shows the field but does not let users change it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The editor does not show the field.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// A fixed value.
    #[serde(default, rename = "const", skip_serializing_if = "Option::is_none")]
    pub constant: Option<Value>,
    /// Only older sites (the `layout:` generation) use this field.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy: bool,
    /// A note for people reading the registry (shown by the editor under the field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The name the editor shows (`Background size`); the field name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The model's field group (`styles`, `seo`) the editor shows the field in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// How the editor presents the value (Stackbit's `controlType`: `dropdown`,
    /// `button-group`, `thumbnails`, `palette`, `slider`, `checkbox`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_type: Option<String>,
    /// What the editor shows for each enum option: its label and thumbnail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<EnumChoice>,
    /// The model's own validation rules (Stackbit's `validations`: `min`, `max`, `regexp`…),
    /// as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validations: Option<Value>,
    /// Which definition the field comes from: folio's built-in theme, the site's own model,
    /// or both (merged).
    #[serde(default, skip_serializing_if = "FieldOrigin::is_builtin")]
    pub origin: FieldOrigin,
}

/// Where a field of the merged registry is defined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldOrigin {
    /// Only in folio's built-in registry (the theme renders it; the site's model lacks it).
    #[default]
    Builtin,
    /// Only in the site's own model.
    Site,
    /// In both: the site's definition, merged over the built-in one.
    Both,
}

impl FieldOrigin {
    fn is_builtin(&self) -> bool {
        *self == FieldOrigin::Builtin
    }
}

/// One enum option as the editor shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumChoice {
    /// The value written into content.
    pub value: String,
    /// What the editor shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A picture of the option (a URL or a path in the site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
}

/// A named group of fields in the editor's form (Stackbit's `fieldGroups`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldGroup {
    /// The name fields refer to with `group`.
    pub name: String,
    /// What the editor shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The icon's name, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
}

impl Field {
    /// A field of `kind` named `name`, with nothing else set.
    pub fn new(name: impl Into<String>, kind: FieldType) -> Field {
        Field {
            name: name.into(),
            kind,
            required: false,
            default: None,
            options: Vec::new(),
            models: Vec::new(),
            groups: Vec::new(),
            items: None,
            min: None,
            max: None,
            step: None,
            unit: None,
            styles: None,
            palette: None,
            read_only: false,
            hidden: false,
            constant: None,
            legacy: false,
            description: None,
            label: None,
            group: None,
            control_type: None,
            choices: Vec::new(),
            validations: None,
            origin: FieldOrigin::Builtin,
        }
    }

    /// The models an object in this field (or in this list field's items) may have.
    pub fn object_models(&self) -> &[String] {
        match (&self.kind, &self.items) {
            (FieldType::List, Some(items)) => &items.models,
            _ => &self.models,
        }
    }
}

/// One model: a page layout, a data file, or a nested object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Model {
    /// The `type` value that selects this model.
    pub name: String,
    /// Page, data or object.
    pub kind: ModelKind,
    /// Only older sites use this model.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy: bool,
    /// Groups the model belongs to (`SectionModels`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// The field the editor uses as the object's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_field: Option<String>,
    /// Where the editor puts new pages' URLs (`/blog/{slug}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_path: Option<String>,
    /// Where the editor creates new files (`content/pages/blog/{slug}.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
    /// There is exactly one file of this model, at `file_path`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub single_file: bool,
    /// At most one object of this model exists.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub single_instance: bool,
    /// The Markdown body after the front matter is rendered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub has_markdown_body: bool,
    /// The fields, in editor order.
    pub fields: Vec<Field>,
    /// The name the editor shows (`Hero`); the model name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What the model is for (shown by the editor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A picture of the model (a URL or a path in the site), for the editor's pickers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// The groups the editor's form arranges fields in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_groups: Vec<FieldGroup>,
    /// An object type declared inline in one field (Stackbit's `type: object` with `fields`):
    /// its objects carry no `type` of their own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inline: bool,
    /// The site file that declares the model (`.stackbit/models/Hero.ts`), for a site's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Model {
    /// A model named `name` of `kind` with these fields and nothing else set.
    pub fn new(name: impl Into<String>, kind: ModelKind, fields: Vec<Field>) -> Model {
        Model {
            name: name.into(),
            kind,
            legacy: false,
            groups: Vec::new(),
            label_field: None,
            url_path: None,
            file_path: None,
            single_file: false,
            single_instance: false,
            has_markdown_body: false,
            fields,
            label: None,
            description: None,
            thumbnail: None,
            field_groups: Vec::new(),
            inline: false,
            source: None,
        }
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Parse a model from its JSON value (the shape of the registry files). An error says
    /// where in the value it is, so that it can be shown at its line.
    pub fn from_value(value: Value) -> Result<Model, ModelError> {
        serde_path_to_error::deserialize(value).map_err(|e| ModelError {
            path: e
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    Segment::Seq { index } => Some(PathStep::Index(*index)),
                    Segment::Map { key } => Some(PathStep::Key(key.clone())),
                    Segment::Enum { .. } | Segment::Unknown => None,
                })
                .collect(),
            message: e.into_inner().to_string(),
        })
    }
}

/// Why a value is not a model: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// The path from the document's root to the value at fault (empty: the whole document).
    pub path: Vec<PathStep>,
    /// What is wrong with it.
    pub message: String,
}

/// All models folio knows: the built-in ones plus a site's own.
#[derive(Debug, Clone)]
pub struct Registry {
    models: Vec<Model>,
    by_name: HashMap<String, usize, rustc_hash::FxBuildHasher>,
    from_site: Vec<String>,
}

impl Registry {
    /// The built-in registry (MODEL.md's 46 models and the two legacy feed sections).
    pub fn builtin() -> Registry {
        // Parsed once per process (48 JSON files, about a millisecond), then copied: every
        // build and rebuild starts from it. Immutable once made.
        static BUILTIN: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(Registry::parse_builtin).clone()
    }

    fn parse_builtin() -> Registry {
        let mut registry = Registry {
            models: Vec::with_capacity(builtin_list::BUILTIN_MODELS.len()),
            by_name: HashMap::default(),
            from_site: Vec::new(),
        };
        for text in builtin_list::BUILTIN_MODELS {
            // The registry files are part of folio's source and covered by tests: a broken
            // one is a bug in folio, not in the user's site.
            #[allow(clippy::expect_used)]
            let model: Model = serde_json::from_str(text).expect("built-in registry file is valid");
            registry.insert(model);
        }
        registry
    }

    /// Add or replace a model (a site's own model overrides a built-in one of the same name).
    pub fn insert(&mut self, model: Model) {
        match self.by_name.get(&model.name) {
            Some(&i) => self.models[i] = model,
            None => {
                self.by_name.insert(model.name.clone(), self.models.len());
                self.models.push(model);
            }
        }
    }

    /// Add a site's own model (from `models/<Type>.yaml`).
    pub fn insert_site_model(&mut self, model: Model) {
        self.from_site.push(model.name.clone());
        self.insert(model);
    }

    /// Whether `name` was added by the site rather than built in.
    pub fn is_from_site(&self, name: &str) -> bool {
        self.from_site.iter().any(|n| n == name)
    }

    /// The model called `name`.
    pub fn get(&self, name: &str) -> Option<&Model> {
        self.by_name.get(name).map(|&i| &self.models[i])
    }

    /// Every model, built-in ones first, in registry order.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.models.iter()
    }

    /// Whether `name` is a page model.
    pub fn is_page_model(&self, name: &str) -> bool {
        self.get(name).is_some_and(|m| m.kind == ModelKind::Page)
    }

    /// The known name closest to `name` among `candidates`, for "did you mean" hints.
    pub fn closest<'a>(
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        closest_match(name, candidates)
    }
}

/// The candidate closest to `input` by edit distance (case-insensitive), if close enough to be
/// a plausible typo: similarity ≥ 0.7, or `input` is a case variant of it; and never a value
/// with another meaning (see [`is_plausible_typo`]).
pub fn closest_match<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let cl = c.to_lowercase();
            let score = if cl == lower {
                2.0
            } else {
                strsim::normalized_damerau_levenshtein(&lower, &cl)
            };
            (c, score)
        })
        .filter(|&(c, score)| score >= 0.7 && is_plausible_typo(input, c))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// Whether `candidate` is what `input` could be a mistyping of, word by word: the words
/// (split at `-`, `_`, `:`, `.`, spaces, case changes and digits) that differ must each be
/// within one edit of each other and at least three letters long. So `PostLayot` →
/// `PostLayout` and `titel` → `title` are typos, while `colors-h` → `colors-f` (a series),
/// `og:image:width` → `og:image:alt` and `ProductLayout` → `ProjectLayout` (other words) are not.
pub fn is_plausible_typo(input: &str, candidate: &str) -> bool {
    if input.eq_ignore_ascii_case(candidate) {
        return true;
    }
    let (a, b) = (words(input), words(candidate));
    if a.len() != b.len() {
        // Words joined or split (`primarylinks`, `hero-section`): compare the letters alone.
        let join = |w: &[String]| w.concat();
        return strsim::damerau_levenshtein(&join(&a), &join(&b)) <= 1
            && join(&a).len().min(join(&b).len()) >= 4;
    }
    a.iter().zip(&b).all(|(x, y)| {
        let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
        // A word cut short (`base_ur`) is a typo; two short words (`h`, `f`) are a series.
        let truncated = long.starts_with(short.as_str()) && long.chars().count() >= 3;
        x == y
            || (strsim::damerau_levenshtein(x, y) <= 1 && (short.chars().count() >= 3 || truncated))
    })
}

/// The lowercase words of an identifier: split at separators, lower-to-upper case changes and
/// letter-digit boundaries.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        let boundary = match previous {
            _ if !c.is_alphanumeric() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                previous = None;
                continue;
            }
            Some(p) => {
                (p.is_lowercase() && c.is_uppercase()) || (p.is_ascii_digit() != c.is_ascii_digit())
            }
            None => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_registry_has_all_models_of_the_model_reference() {
        let registry = Registry::builtin();
        let current = registry.models().filter(|m| !m.legacy).count();
        assert_eq!(current, 46);
        assert!(registry.get("PagedPostsSection").is_some_and(|m| m.legacy));
        let pages: Vec<_> = registry
            .models()
            .filter(|m| m.kind == ModelKind::Page)
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(
            pages,
            [
                "PageLayout",
                "PostFeedLayout",
                "PostFeedCategoryLayout",
                "PostLayout",
                "ProjectFeedLayout",
                "ProjectLayout"
            ]
        );
    }

    #[test]
    fn every_model_named_by_a_field_exists() {
        let registry = Registry::builtin();
        for model in registry.models() {
            for field in &model.fields {
                for target in field.object_models() {
                    assert!(
                        registry.get(target).is_some(),
                        "{}.{} names {target}",
                        model.name,
                        field.name
                    );
                }
            }
        }
    }

    #[test]
    fn legacy_fields_are_in_the_registry() {
        let registry = Registry::builtin();
        let feed = registry.get("PostFeedLayout").expect("exists");
        assert!(feed.field("numOfPostsPerPage").is_some_and(|f| f.legacy));
        assert!(registry
            .get("PostLayout")
            .and_then(|m| m.field("markdown_content"))
            .is_some());
    }

    #[test]
    fn closest_match_suggests_typos_and_case_variants_only() {
        let names = ["PostLayout", "PageLayout", "HeroSection", "ProjectLayout"];
        assert_eq!(closest_match("PostLayot", names), Some("PostLayout"));
        assert_eq!(closest_match("herosection", names), Some("HeroSection"));
        assert_eq!(closest_match("hero-section", names), Some("HeroSection"));
        assert_eq!(closest_match("HeroSecton", names), Some("HeroSection"));
        assert_eq!(closest_match("Completely", names), None);
        assert_eq!(closest_match("titel", ["title", "subtitle"]), Some("title"));
        assert_eq!(
            closest_match("primaryLink", ["primaryLinks"]),
            Some("primaryLinks")
        );
    }

    #[test]
    fn closest_match_never_proposes_a_value_with_another_meaning() {
        let colours = ["colors-a", "colors-b", "colors-e", "colors-f"];
        assert_eq!(closest_match("colors-h", colours), None);
        assert_eq!(closest_match("colors-z", colours), None);
        assert_eq!(
            closest_match("og:image:width", ["og:image:alt", "og:image"]),
            None
        );
        assert_eq!(
            closest_match("ProductLayout", ["ProjectLayout", "PostLayout"]),
            None
        );
        assert_eq!(closest_match("variant-e", ["variant-a", "variant-d"]), None);
        assert_eq!(closest_match("h7", ["h1", "h6"]), None);
        assert_eq!(closest_match("base_ur", ["base_url"]), Some("base_url"));
        assert_eq!(closest_match("colrs-a", colours), Some("colors-a"));
    }
}
