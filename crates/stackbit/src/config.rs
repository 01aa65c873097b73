//! The site's Stackbit configuration: `stackbit.yaml` / `stackbit.yml` (the 0.3 and 0.4
//! formats: `models:`, `contentModels:`, `modelsSource`, `presetSource`, `pagesDir`, `dataDir`,
//! `pageLayoutKey`, `objectTypeKey`, `assets`, `styleObjectModelName`) and the static parts of
//! `stackbit.config.{ts,js}` (the models its content source is given, `presetSource`,
//! `assetsConfig`, `styleObjectModelName`). Settings folio does not follow are warned about
//! where they are written.

use crate::js::Modules;
use crate::located::{Located, Lv};
use folio_diag::{Diagnostic, Span};
use std::sync::Arc;

/// The configuration files folio looks for, in this order.
pub const CONFIG_FILES: [&str; 6] = [
    "stackbit.config.ts",
    "stackbit.config.js",
    "stackbit.config.mjs",
    "stackbit.config.cjs",
    "stackbit.yaml",
    "stackbit.yml",
];

/// What the configuration says, as far as folio uses it.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The configuration file read (`stackbit.yaml`, `stackbit.config.ts`).
    pub file: Option<String>,
    /// The `stackbitVersion` it declares (`~0.4.0`).
    pub stackbit_version: Option<String>,
    /// The models the configuration hands its content source (`models: allModels`), when
    /// they could be read.
    pub models: Option<Located>,
    /// A `models:` map (stackbit.yaml 0.3, or model extensions of `stackbit.config.ts`).
    pub model_map: Option<Located>,
    /// `contentModels:` of stackbit.yaml 0.4: page settings per model.
    pub content_models: Option<Located>,
    /// Folders of model files (`modelsSource.modelDirs`; `.stackbit/models` when unset).
    pub model_dirs: Vec<String>,
    /// Folders of preset files (`presetSource.presetDirs`; `.stackbit/presets` when unset).
    pub preset_dirs: Vec<String>,
    /// The model of the site's theme style object (`ThemeStyle`).
    pub style_object_model: Option<String>,
    /// Where uploaded images go inside the static folder (`images`).
    pub upload_dir: Option<String>,
}

/// Read the first configuration file the site has; settings folio does not follow are warned
/// about.
pub fn read_settings(modules: &mut Modules<'_>, diagnostics: &mut Vec<Diagnostic>) -> Settings {
    let mut settings = Settings {
        model_dirs: vec![".stackbit/models".into()],
        preset_dirs: vec![".stackbit/presets".into()],
        ..Settings::default()
    };
    for file in CONFIG_FILES {
        let config = if file.ends_with(".yaml") || file.ends_with(".yml") {
            match read_yaml(modules, file, diagnostics) {
                Some(config) => config,
                None => continue,
            }
        } else {
            match modules.load(file) {
                Some(exports) => match exports.default.clone() {
                    Some(config) => config,
                    None => {
                        diagnostics.push(
                            Diagnostic::note(
                                "stackbit/no-default-export",
                                format!("`{file}` has no default export"),
                            )
                            .in_file(file)
                            .at(Span::point(0))
                            .with_help("folio reads the configuration a `stackbit.config` file exports by default; it reads `.stackbit/models` meanwhile"),
                        );
                        settings.file = Some(file.to_string());
                        return settings;
                    }
                },
                None => continue,
            }
        };
        settings.file = Some(file.to_string());
        apply(&config, &mut settings, diagnostics);
        return settings;
    }
    settings
}

/// Parse a YAML or JSON file of the site into a located value (a syntax error is a warning:
/// only the Stackbit editor reads these files).
pub fn read_yaml(
    modules: &mut Modules<'_>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Located> {
    let text: Arc<str> = match modules.read_text(path)? {
        Ok(text) => text,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let parsed = if path.ends_with(".json") {
        folio_syntax::parse_json(&text)
    } else {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        folio_syntax::parse_yaml(&text[start..], start)
    };
    match parsed {
        Ok(node) => Some(Located::from_node(&Arc::from(path), &node)),
        Err(e) => {
            diagnostics.push(
                Diagnostic::warning("stackbit/syntax", format!("`{path}` cannot be parsed: {}", e.message))
                    .in_file(path)
                    .at(e.span)
                    .with_label("here")
                    .with_help("folio uses its built-in definitions of what this file defines; the site's own build does not read it"),
            );
            None
        }
    }
}

fn apply(config: &Located, settings: &mut Settings, diagnostics: &mut Vec<Diagnostic>) {
    settings.stackbit_version = text(config, "stackbitVersion");
    settings.style_object_model = text(config, "styleObjectModelName");
    settings.content_models = config.get("contentModels").cloned();
    match config.get("models") {
        Some(models) if matches!(*models.value, Lv::Map(..)) => {
            settings.model_map = Some(models.clone())
        }
        Some(models) if matches!(*models.value, Lv::List(..)) => {
            settings.models = Some(models.clone())
        }
        _ => {}
    }
    if let Some(source) = config.get("modelsSource") {
        let dirs = strings(source.get("modelDirs"));
        if !dirs.is_empty() {
            settings.model_dirs = dirs;
        }
    }
    if let Some(source) = config.get("presetSource") {
        let dirs = strings(source.get("presetDirs"));
        if !dirs.is_empty() {
            settings.preset_dirs = dirs;
        }
    }
    if let Some(assets) = config.get("assets") {
        settings.upload_dir = text(assets, "uploadDir");
    }
    for source in config
        .get("contentSources")
        .map(Located::items)
        .unwrap_or(&[])
    {
        if let Some(models) = source.get("models") {
            if models
                .first_dynamic()
                .is_some_and(|d| d.span == models.span)
            {
                diagnostics.push(
                    models.dynamic_note(
                        "folio reads every model file under `.stackbit/models` instead",
                    ),
                );
            } else if matches!(*models.value, Lv::List(..)) {
                settings.models = Some(models.clone());
            }
        }
        if let Some(assets) = source.get("assetsConfig") {
            settings.upload_dir = text(assets, "uploadDir").or(settings.upload_dir.take());
        }
    }
    for (key, expected) in [
        ("pagesDir", "content/pages"),
        ("dataDir", "content/data"),
        ("objectTypeKey", "type"),
    ] {
        let Some(value) = config.get(key) else {
            continue;
        };
        let Some(text) = value.as_str() else {
            continue;
        };
        if text.trim_end_matches('/') != expected {
            diagnostics.push(
                Diagnostic::warning(
                    "stackbit/unsupported-setting",
                    format!("`{key}: {text}` is not what folio reads"),
                )
                .in_file(value.file.to_string())
                .at(value.span)
                .with_label(format!("folio reads `{expected}`"))
                .with_help(format!(
                    "folio follows the starters' layout: `{expected}`; move the files there for folio to find them"
                )),
            );
        }
    }
}

fn text(value: &Located, key: &str) -> Option<String> {
    value.get(key).and_then(Located::as_str).map(str::to_string)
}

fn strings(value: Option<&Located>) -> Vec<String> {
    value
        .map(|v| {
            v.items()
                .iter()
                .filter_map(|i| i.as_str().map(|s| s.trim_start_matches("./").to_string()))
                .collect()
        })
        .unwrap_or_default()
}
