//! The four official templates in `../shared/fixtures` (MIT; see each NOTICE.md), read as they
//! are: every model of their `.stackbit` folders, and what the editor needs of them.

use folio_diag::Diagnostic;
use folio_model::{FieldType, ModelKind};
use folio_stackbit::{load_stackbit, FileText, SiteFiles, StackbitSite};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A site folder on disk (tests only: folio itself reads through `folio_content::site_fs`).
struct Folder(PathBuf);

impl SiteFiles for Folder {
    fn read(&self, path: &str) -> Option<Result<FileText, Diagnostic>> {
        let full = self.0.join(path);
        full.is_file().then(|| {
            std::fs::read_to_string(full)
                .map(FileText::from)
                .map_err(|e| Diagnostic::error("fs/read", e.to_string()))
        })
    }
    fn exists(&self, path: &str) -> bool {
        self.0.join(path).is_file()
    }
    fn list(&self, dir: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![self.0.join(dir)];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(&self.0) {
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        out.sort();
        out
    }
}

fn root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name)
}

fn fixture(name: &str) -> StackbitSite {
    load_stackbit(&Folder(root(name)))
}

fn field<'a>(site: &'a StackbitSite, model: &str, field: &str) -> &'a folio_model::Field {
    site.models
        .iter()
        .find(|m| m.name == model)
        .and_then(|m| m.field(field))
        .unwrap_or_else(|| panic!("{model}.{field} is read"))
}

#[test]
fn every_official_template_is_read_without_a_problem() {
    for (name, models, source) in [
        ("personal-2023-02", 56, ".stackbit/models"),
        ("personal-2023-04", 48, "stackbit.config.ts"),
        ("personal-2025", 43, "stackbit.config.ts"),
        ("starter-2022", 54, ".stackbit/models"),
    ] {
        let site = fixture(name);
        assert!(
            site.diagnostics.is_empty(),
            "{name}: {:?}",
            site.diagnostics
        );
        assert_eq!(site.models.len(), models, "{name}");
        assert_eq!(site.model_sources, [source], "{name}");
        let (presets, problems) = site.presets(&Folder(root(name)));
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert!(presets.len() > 40, "{name}: {} presets", presets.len());
        for preset in &presets {
            let thumbnail = preset.thumbnail.as_deref().unwrap_or_default();
            assert!(
                thumbnail.is_empty()
                    || thumbnail.contains("://")
                    || thumbnail.starts_with(".stackbit/presets/"),
                "{name}: {thumbnail}"
            );
        }
    }
    assert!(fixture("portfolio").is_empty());
}

#[test]
fn the_2025_template_declares_its_font_stacks_with_labels() {
    let site = fixture("personal-2025");
    let font = field(&site, "ThemeStyle", "fontBody");
    assert_eq!(font.kind, FieldType::Enum);
    assert_eq!(
        font.options,
        ["\"DM Mono\", monospace", "\"Azeret Mono\", monospace"]
    );
    assert_eq!(font.choices[1].label.as_deref(), Some("Azeret Mono"));
    assert_eq!(
        field(&site, "ThemeStyle", "headingCase")
            .control_type
            .as_deref(),
        Some("button-group")
    );
    let styles = field(&site, "HeroSection", "styles")
        .styles
        .as_ref()
        .expect("styles");
    assert_eq!(styles["self"]["borderColor"][1], "border-(--theme-dark)");
    assert_eq!(styles["self"]["textAlign"][2], "right");
}

#[test]
fn the_layout_era_template_reads_its_feed_sections_through_extends() {
    let site = fixture("personal-2023-02");
    let feed = field(&site, "PostFeedLayout", "postFeed");
    assert_eq!(feed.models, ["PagedPostsSection"]);
    let title = field(&site, "FeaturedPostsSection", "title");
    assert_eq!(
        title.default.as_ref().and_then(|d| d.as_str()),
        Some("Featured")
    );
    assert_eq!(title.kind, FieldType::String);
    let sections = field(&site, "PageLayout", "sections")
        .items
        .as_ref()
        .expect("a list");
    assert_eq!(sections.groups, ["sectionComponent"]);
    let person = site
        .models
        .iter()
        .find(|m| m.name == "Person")
        .expect("Person");
    assert_eq!(person.kind, ModelKind::Data);
}

#[test]
fn the_starter_template_brings_its_own_sections_and_colour_schemes() {
    let site = fixture("starter-2022");
    for section in [
        "FeatureHighlightSection",
        "FaqSection",
        "JobsSection",
        "FeaturedPeopleSection",
    ] {
        assert!(site.models.iter().any(|m| m.name == section), "{section}");
    }
    let colors = field(&site, "HeroSection", "colors");
    assert!(
        colors.options.iter().any(|o| o == "colors-h"),
        "{:?}",
        colors.options
    );
}

/// The official templates whose fields `crates/model/registry/families.json` records, with what
/// folio's messages call them.
const FAMILIES: [(&str, &str); 4] = [
    (
        "personal-2023-02",
        "the personal theme of the `layout:` era (2021–23)",
    ),
    (
        "personal-2023-04",
        "the personal theme of the `type:` era (2023)",
    ),
    (
        "personal-2025",
        "the 2024–25 Netlify template (`personal-site` 0.2)",
    ),
    ("starter-2022", "the starter / startup family (2021–22)"),
];

/// `families.json` is what the official templates declare beyond folio's built-in registry:
/// regenerated with `FOLIO_UPDATE_FAMILIES=1`, and checked to be current otherwise.
#[test]
fn the_families_file_records_what_each_official_template_adds() {
    let builtin = folio_model::Registry::builtin();
    let mut models: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut fields: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, _) in FAMILIES {
        for model in fixture(name).models.iter().filter(|m| !m.inline) {
            match builtin.get(&model.name) {
                None => models.entry(model.name.clone()).or_default().push(name),
                Some(theirs) => {
                    for field in model
                        .fields
                        .iter()
                        .filter(|f| theirs.field(&f.name).is_none())
                    {
                        let key = format!("{}.{}", model.name, field.name);
                        fields.entry(key).or_default().push(name);
                    }
                }
            }
        }
    }
    let labels: BTreeMap<&str, &str> = FAMILIES.into_iter().collect();
    let json = serde_json::json!({
        "about": "What the official templates (../shared/fixtures, MIT) declare beyond folio's built-in registry; generated by crates/stackbit/tests/official_templates.rs",
        "families": labels,
        "models": models,
        "fields": fields,
    });
    let text = serde_json::to_string_pretty(&json).expect("json") + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/registry/families.json");
    if std::env::var_os("FOLIO_UPDATE_FAMILIES").is_some() {
        std::fs::write(&path, &text).expect("write families.json");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == text,
        "families.json is out of date: run with FOLIO_UPDATE_FAMILIES=1"
    );
}
