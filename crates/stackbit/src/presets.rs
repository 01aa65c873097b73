//! Section and page presets (`.stackbit/presets/*.json|yaml`, or the folders `presetSource`
//! names): `{ model, presets: [{ label, thumbnail, data }] }`, with thumbnails resolved to
//! site-relative paths, for the editor's "add section" and "new page".

use crate::config::read_yaml;
use crate::js::Modules;
use crate::located::Located;
use folio_diag::Diagnostic;
use serde::Serialize;
use serde_json::Value as Json;

/// One preset: a ready-made object of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preset {
    /// The model of the object it creates.
    pub model: String,
    /// What the editor shows.
    pub label: String,
    /// A picture of it: a site-relative path (`.stackbit/presets/images/hero.png`) or a URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// The object's fields (without `type`).
    pub data: Json,
    /// The preset file it comes from.
    pub file: String,
}

/// Every preset in `dirs`, in file order.
pub fn read_presets(
    modules: &mut Modules<'_>,
    dirs: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Preset> {
    let mut presets = Vec::new();
    for dir in dirs {
        let files = modules.files().list(dir);
        for file in files {
            let is_data = [".json", ".yaml", ".yml"].iter().any(|e| file.ends_with(e));
            if !is_data {
                continue;
            }
            let Some(value) = read_yaml(modules, &file, diagnostics) else {
                continue;
            };
            presets.extend(presets_of(&value, &file));
        }
    }
    presets
}

fn presets_of(value: &Located, file: &str) -> Vec<Preset> {
    let Some(model) = value.get("model").and_then(Located::as_str) else {
        return Vec::new();
    };
    let folder = file.rfind('/').map_or("", |at| &file[..=at]);
    value
        .get("presets")
        .map(Located::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|preset| {
            let label = preset.get("label").and_then(Located::as_str)?;
            let thumbnail = preset.get("thumbnail").and_then(Located::as_str).map(|t| {
                if t.contains("://") || t.starts_with('/') {
                    t.to_string()
                } else {
                    format!("{folder}{}", t.trim_start_matches("./"))
                }
            });
            Some(Preset {
                model: model.to_string(),
                label: label.to_string(),
                thumbnail,
                data: preset.get("data").map_or(Json::Null, Located::to_json),
                file: file.to_string(),
            })
        })
        .collect()
}
