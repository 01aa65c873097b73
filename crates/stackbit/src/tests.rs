//! The readers on small in-memory sites: one behaviour each.

use super::*;
use folio_model::{FieldType, ModelKind};
use std::collections::BTreeMap;

/// An in-memory site.
struct Memory(BTreeMap<String, String>);

impl Memory {
    fn of(files: &[(&str, &str)]) -> Memory {
        Memory(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        )
    }
}

impl SiteFiles for Memory {
    fn read(&self, path: &str) -> Option<Result<FileText, Diagnostic>> {
        self.0.get(path).cloned().map(|text| Ok(text.into()))
    }
    fn exists(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }
    fn list(&self, dir: &str) -> Vec<String> {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        self.0
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect()
    }
}

fn model<'a>(site: &'a StackbitSite, name: &str) -> &'a Model {
    site.models
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| {
            panic!(
                "{name} read; got {:?}",
                site.models.iter().map(|m| &m.name).collect::<Vec<_>>()
            )
        })
}

#[test]
fn follows_the_config_through_imports_spreads_and_shared_field_arrays() {
    let site = load_stackbit(&Memory::of(&[
        (
            "stackbit.config.ts",
            "import { defineStackbitConfig } from '@stackbit/types';\n\
             import { GitContentSource } from '@stackbit/cms-git';\n\
             import { allModels } from './.stackbit/models';\n\
             export default defineStackbitConfig({ contentSources: [new GitContentSource({ rootPath: __dirname, models: allModels })] });",
        ),
        (
            ".stackbit/models/index.ts",
            "import { HeroModel } from './Hero';\nexport * from './Page';\nimport * as page from './Page';\nexport const allModels = [HeroModel, page.PageModel];",
        ),
        (
            ".stackbit/models/Hero.ts",
            "import { Model } from '@stackbit/types';\nimport { colorFields } from './common';\n\
             export const HeroModel: Model = { type: 'object', name: 'HeroSection', label: 'Hero', groups: ['SectionModels'],\n\
               fields: [{ type: 'string', name: 'title', label: 'Title' }, ...colorFields] };",
        ),
        (
            ".stackbit/models/common.ts",
            "import { Field } from '@stackbit/types';\nconst base = { type: 'enum', group: 'styles' } as const;\n\
             export const colorFields: Field[] = [{ ...base, name: 'colors', label: 'Colors', controlType: 'palette',\n\
               options: [{ label: 'Colors A', value: 'colors-a', textColor: '$onDark', backgroundColor: '$dark' }] }];",
        ),
        (
            ".stackbit/models/Page.ts",
            "export const PageModel = { type: 'page', name: 'PageLayout', urlPath: '/{slug}', fields: [] } satisfies object;",
        ),
    ]));
    assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
    assert_eq!(site.model_sources, ["stackbit.config.ts"]);
    let hero = model(&site, "HeroSection");
    assert_eq!(hero.label.as_deref(), Some("Hero"));
    assert_eq!(hero.source.as_deref(), Some(".stackbit/models/Hero.ts"));
    let colors = hero.field("colors").expect("spread from common.ts");
    assert_eq!(colors.kind, FieldType::Enum);
    assert_eq!(colors.group.as_deref(), Some("styles"));
    assert_eq!(colors.options, ["colors-a"]);
    assert_eq!(colors.choices[0].label.as_deref(), Some("Colors A"));
    assert_eq!(
        colors
            .palette
            .as_ref()
            .and_then(|p| p["colors-a"]["background"].as_str()),
        Some("$dark")
    );
    assert_eq!(model(&site, "PageLayout").kind, ModelKind::Page);
}

#[test]
fn a_computed_value_is_a_note_at_its_line_and_the_rest_is_read() {
    let site = load_stackbit(&Memory::of(&[(
        ".stackbit/models/Hero.ts",
        "const extra = makeFields();\nexport const Hero = { type: 'object', name: 'HeroSection',\n  fields: [{ type: 'string', name: 'title' }, ...extra, { type: 'enum', name: 'colors', options: palette.map(p => p.value) }] };",
    )]));
    let notes: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.code == "stackbit/dynamic")
        .collect();
    assert_eq!(notes.len(), 2, "{:?}", site.diagnostics);
    assert!(notes
        .iter()
        .all(|d| d.severity == folio_diag::Severity::Note));
    assert!(
        notes[0].message.contains("function call (`makeFields(…)`)"),
        "{}",
        notes[0].message
    );
    let hero = model(&site, "HeroSection");
    assert!(hero.field("title").is_some());
    // The enum is kept; its options, known only at run time, are left to the built-in model.
    assert!(hero.field("colors").is_some_and(|f| f.options.is_empty()));
}

#[test]
fn reads_yaml_models_with_extends_overrides_and_content_models() {
    let site = load_stackbit(&Memory::of(&[
        (
            "stackbit.yaml",
            "stackbitVersion: ~0.4.0\ncontentModels:\n  Person:\n    newFilePath: 'team/{slug}.json'\n  PostFeedLayout:\n    isPage: true\n    urlPath: '/blog'\n    file: 'blog/index.md'\n",
        ),
        (
            ".stackbit/models/Section.yaml",
            "type: object\nname: Section\nfieldGroups:\n  - name: styles\n    label: Styles\nfields:\n  - type: string\n    name: elementId\n    group: settings\n",
        ),
        (
            ".stackbit/models/FeedSection.yaml",
            "type: object\nname: FeedSection\nextends: [Section]\nfields:\n  - type: string\n    name: title\n    default: Posts\n",
        ),
        (
            ".stackbit/models/FeaturedSection.yaml",
            "type: object\nname: FeaturedSection\nextends:\n  - FeedSection\ngroups: [sectionComponent]\nfields:\n  - name: title\n    default: Featured\n  - type: list\n    name: posts\n    items:\n      type: reference\n      models: [PostLayout]\n",
        ),
        (".stackbit/models/Person.yaml", "name: Person\nfields:\n  - type: string\n    name: firstName\n"),
        (".stackbit/models/PostFeedLayout.yaml", "name: PostFeedLayout\nlayout: PostFeedLayout\nfields: []\n"),
    ]));
    assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
    let featured = model(&site, "FeaturedSection");
    let names: Vec<&str> = featured.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["elementId", "title", "posts"]);
    let title = featured.field("title").expect("inherited");
    assert_eq!(
        (title.kind, title.default.clone()),
        (FieldType::String, Some(serde_json::json!("Featured")))
    );
    assert_eq!(featured.field_groups.len(), 1);
    assert_eq!(model(&site, "Person").kind, ModelKind::Data);
    assert_eq!(
        model(&site, "Person").file_path.as_deref(),
        Some("content/data/team/{slug}.json")
    );
    let feed = model(&site, "PostFeedLayout");
    assert_eq!((feed.kind, feed.single_file), (ModelKind::Page, true));
    assert_eq!(
        feed.file_path.as_deref(),
        Some("content/pages/blog/index.md")
    );
}

#[test]
fn an_inline_models_map_and_object_fields_become_models() {
    let site = load_stackbit(&Memory::of(&[(
        "stackbit.yaml",
        "stackbitVersion: ~0.3.0\nmodels:\n  post:\n    type: page\n    layout: post\n    fields:\n      - type: object\n        name: seo\n        fields:\n          - type: string\n            name: description\n      - type: list\n        name: tags\n        items:\n          type: enum\n          options: [a, b]\n",
    )]));
    assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
    let post = model(&site, "post");
    let seo = post.field("seo").expect("object field");
    assert_eq!(seo.models, ["post.seo"]);
    let inline = model(&site, "post.seo");
    assert!(inline.inline && inline.field("description").is_some());
    let tags = post
        .field("tags")
        .and_then(|f| f.items.as_ref())
        .expect("list");
    assert_eq!(tags.options, ["a", "b"]);
}

#[test]
fn broken_files_are_warnings_and_unsupported_settings_are_named() {
    let site = load_stackbit(&Memory::of(&[
        ("stackbit.yaml", "pagesDir: src/pages\n"),
        (".stackbit/models/Bad.yaml", "name: Bad\nfields: [\n"),
        (".stackbit/models/Worse.ts", "export const = ;"),
        (
            ".stackbit/models/Odd.yaml",
            "name: Odd\ntype: object\nfields:\n  - name: x\n    type: widget\n",
        ),
    ]));
    let codes: Vec<&str> = site.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"stackbit/unsupported-setting"), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "stackbit/syntax").count(),
        2,
        "{codes:?}"
    );
    assert!(codes.contains(&"stackbit/unknown-field-type"), "{codes:?}");
    assert!(site.diagnostics.iter().all(|d| !d.is_error()));
    assert!(
        site.diagnostics
            .iter()
            .all(|d| d.file.is_some() && d.span.is_some()),
        "{:?}",
        site.diagnostics
    );
}

#[test]
fn an_import_cycle_and_an_import_out_of_the_site_are_not_followed() {
    let site = load_stackbit(&Memory::of(&[
        (".stackbit/models/a.ts", "import { b } from './b';\nexport const a = { type: 'object', name: 'A', fields: b };"),
        (".stackbit/models/b.ts", "import { a } from './a';\nexport const b = [...(a.fields ?? [])];"),
        (".stackbit/models/c.ts", "import { secret } from '../../../etc/passwd';\nexport const c = { type: 'object', name: 'C', fields: secret };"),
    ]));
    assert!(site.models.iter().any(|m| m.name == "A"));
    assert!(site.models.iter().any(|m| m.name == "C"));
    assert!(!site.sources.iter().any(|(p, _)| p.contains("passwd")));
}

#[test]
fn presets_are_read_with_their_thumbnails() {
    let files = Memory::of(&[(
        ".stackbit/presets/hero.json",
        r#"{"model": "HeroSection", "presets": [{"label": "Hero dark", "thumbnail": "images/hero-dark.png", "data": {"title": "Hi"}}]}"#,
    )]);
    let (presets, problems) = load_stackbit(&files).presets(&files);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(presets.len(), 1);
    let preset = &presets[0];
    assert_eq!(
        (preset.model.as_str(), preset.label.as_str()),
        ("HeroSection", "Hero dark")
    );
    assert_eq!(
        preset.thumbnail.as_deref(),
        Some(".stackbit/presets/images/hero-dark.png")
    );
    assert_eq!(preset.data["title"], "Hi");
}
