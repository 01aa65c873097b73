//! A site's own Stackbit model definitions, read as the Stackbit editor read them, into
//! folio's registry shape.
//!
//! Sources, in the order Stackbit honours them:
//! - `stackbit.config.{ts,js}`: the models its content source is given (followed through
//!   `import`, `export *`, `export { … } from`, spreads and shared field arrays);
//! - `stackbit.yaml` / `stackbit.yml`: an inline `models:` map (0.3) and `contentModels:` page
//!   settings (0.4);
//! - the model folders (`modelsSource.modelDirs`, `.stackbit/models` by default): one model per
//!   YAML or JSON file, every model a TypeScript or JavaScript file exports;
//! - presets (`presetSource.presetDirs`, `.stackbit/presets` by default), read on demand
//!   ([`StackbitSite::presets`]).
//!
//! Nothing here runs the site's code ([`js`] evaluates it statically) and nothing here is an
//! error: these files are read by the Stackbit editor only, so a problem in them is a warning
//! (or a note, for a value known only at run time) and the built-in definition is used instead.
//! The caller merges [`StackbitSite::models`] over the built-in registry
//! ([`folio_model::Registry::merge_site_models`]).
#![warn(missing_docs)]

pub mod config;
pub mod convert;
pub mod js;
pub mod located;
pub mod presets;

pub use config::Settings;
pub use presets::Preset;

use convert::{apply_extends, Converted, Converter};
use folio_diag::Diagnostic;
use folio_model::{Model, ModelKind};
use js::Modules;
use located::{Located, Lv};
use std::sync::Arc;

/// Read access to a site's files (site-relative paths with `/`), so that every read goes
/// through the caller's one filesystem module.
pub trait SiteFiles {
    /// The text of `path`: `None` when there is no such file, `Err` when it cannot be read.
    fn read(&self, path: &str) -> Option<Result<FileText, Diagnostic>>;
    /// Whether `path` is a file.
    fn exists(&self, path: &str) -> bool;
    /// The files under the folder `dir`, at any depth, sorted (none when there is no folder).
    fn list(&self, dir: &str) -> Vec<String>;
}

/// A file's text as [`SiteFiles::read`] gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct FileText {
    /// The text. Bytes that are not UTF-8 are read as U+FFFD, as the Stackbit tools (Node's
    /// `readFile(path, 'utf8')`) read them.
    pub text: String,
    /// The warning for such bytes, at the first of them.
    pub warning: Option<Diagnostic>,
}

impl From<String> for FileText {
    fn from(text: String) -> Self {
        FileText {
            text,
            warning: None,
        }
    }
}

/// What a site's Stackbit files define.
#[derive(Debug, Default)]
pub struct StackbitSite {
    /// The configuration as folio uses it.
    pub settings: Settings,
    /// The site's models (inline object models included, `extends` applied), to merge over
    /// the built-in registry.
    pub models: Vec<Model>,
    /// Problems found: warnings and notes only.
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, with its text (for snippets, and to tell when a rebuild must re-read).
    pub sources: Vec<(String, Arc<str>)>,
    /// Where the models were read from (`stackbit.config.ts`, `.stackbit/models`), for
    /// `folio check` to say.
    pub model_sources: Vec<String>,
}

impl StackbitSite {
    /// Whether the site has any Stackbit files at all.
    pub fn is_empty(&self) -> bool {
        self.settings.file.is_none() && self.models.is_empty()
    }

    /// The site's presets (read on demand: only the editor shows them).
    pub fn presets(&self, files: &dyn SiteFiles) -> (Vec<Preset>, Vec<Diagnostic>) {
        let mut modules = Modules::new(files);
        let mut diagnostics = Vec::new();
        let presets =
            presets::read_presets(&mut modules, &self.settings.preset_dirs, &mut diagnostics);
        (presets, diagnostics)
    }
}

/// Read the site's Stackbit configuration, models and presets.
pub fn load_stackbit(files: &dyn SiteFiles) -> StackbitSite {
    let mut modules = Modules::new(files);
    let mut diagnostics = Vec::new();
    let settings = config::read_settings(&mut modules, &mut diagnostics);
    let mut converted: Vec<Converted> = Vec::new();
    let mut inline = Vec::new();
    let mut model_sources = Vec::new();
    if let Some(models) = &settings.models {
        for hole in models.holes() {
            diagnostics.push(hole.dynamic_note(
                "folio reads the models it can and takes the others from its built-in registry",
            ));
        }
    }
    {
        let mut converter = Converter::new(&mut diagnostics);
        if let Some(models) = &settings.models {
            model_sources.extend(settings.file.clone());
            for model in models.items() {
                add(&mut converted, converter.model(model, None));
            }
        }
        if let Some(map) = &settings.model_map {
            model_sources.extend(settings.file.clone());
            for (name, model) in map.entries() {
                add(&mut converted, converter.model(model, Some(name)));
            }
        }
        inline.append(&mut converter.inline);
    }
    if settings.models.is_none() {
        for dir in &settings.model_dirs {
            let found = read_model_dir(&mut modules, dir, &mut diagnostics);
            if !found.is_empty() {
                model_sources.push(dir.clone());
            }
            let mut converter = Converter::new(&mut diagnostics);
            for (value, name) in found {
                add(&mut converted, converter.model(&value, name.as_deref()));
            }
            inline.append(&mut converter.inline);
        }
    }
    if let Some(content_models) = &settings.content_models {
        apply_content_models(&mut converted, content_models);
    }
    apply_extends(&mut converted, &mut diagnostics);
    let builtin = folio_model::Registry::builtin();
    for c in converted.iter_mut().filter(|c| !c.typed) {
        // An older YAML model without `type`: what `contentModels` made it, else what the
        // model is in folio's registry.
        if let Some(theirs) = builtin.get(&c.model.name) {
            if c.model.kind == ModelKind::Object {
                c.model.kind = theirs.kind;
            }
        }
    }
    diagnostics.append(&mut modules.diagnostics);
    let mut models: Vec<Model> = converted.into_iter().map(|c| c.model).collect();
    models.extend(inline);
    StackbitSite {
        settings,
        models,
        diagnostics,
        sources: modules.sources,
        model_sources,
    }
}

/// Keep the first definition of each model name.
fn add(converted: &mut Vec<Converted>, model: Option<Converted>) {
    if let Some(model) = model {
        if !converted.iter().any(|c| c.model.name == model.model.name) {
            converted.push(model);
        }
    }
}

/// The model definitions of one folder: each YAML / JSON file is one model (named after the
/// file unless it says otherwise); a TypeScript / JavaScript file contributes every model
/// it exports, alone or in a list.
fn read_model_dir(
    modules: &mut Modules<'_>,
    dir: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Located, Option<String>)> {
    let mut found = Vec::new();
    for file in modules.files().list(dir) {
        let stem = file
            .rsplit('/')
            .next()
            .and_then(|n| n.split('.').next())
            .map(str::to_string);
        if [".yaml", ".yml", ".json"].iter().any(|e| file.ends_with(e)) {
            if let Some(value) = config::read_yaml(modules, &file, diagnostics) {
                found.push((value, stem));
            }
        } else if [".ts", ".js", ".mjs", ".cjs"]
            .iter()
            .any(|e| file.ends_with(e))
            && !file.ends_with(".d.ts")
        {
            let Some(exports) = modules.load(&file) else {
                continue;
            };
            let values = exports.named.iter().map(|(_, v)| v).chain(&exports.default);
            for value in values {
                collect_models(value, &mut found);
            }
        }
    }
    found
}

fn collect_models(value: &Located, found: &mut Vec<(Located, Option<String>)>) {
    match &*value.value {
        Lv::List(items, _) => {
            for item in items {
                collect_models(item, found);
            }
        }
        Lv::Map(..) if is_model(value) => found.push((value.clone(), None)),
        _ => {}
    }
}

/// A model definition has a `name` and a model `type` (a field has a field type).
fn is_model(value: &Located) -> bool {
    value.get("name").and_then(Located::as_str).is_some()
        && matches!(
            value.get("type").and_then(Located::as_str),
            Some("page" | "data" | "object" | "config")
        )
}

/// `contentModels:` of stackbit.yaml 0.4: which models are pages, their URL and new-file
/// paths, and single files.
fn apply_content_models(converted: &mut Vec<Converted>, content_models: &Located) {
    for (name, settings) in content_models.entries() {
        let model = match converted.iter_mut().find(|c| &c.model.name == name) {
            Some(c) => &mut c.model,
            None => {
                // Settings for a model the site does not define: folio's built-in one, refined.
                // No `source`: nothing declares its fields, so nothing names a file to add them to.
                let model = Model::new(name.clone(), ModelKind::Object, Vec::new());
                converted.push(Converted {
                    model,
                    extends: Vec::new(),
                    typed: false,
                    overrides: Vec::new(),
                });
                match converted.last_mut() {
                    Some(c) => &mut c.model,
                    None => continue,
                }
            }
        };
        if settings.get("isPage").and_then(Located::as_bool) == Some(true) {
            model.kind = ModelKind::Page;
        } else if model.kind == ModelKind::Object {
            // Listed models that are not pages live in files of their own.
            model.kind = ModelKind::Data;
        }
        if let Some(url) = settings.get("urlPath").and_then(Located::as_str) {
            model.url_path = Some(url.to_string());
        }
        let folder = if model.kind == ModelKind::Page {
            "content/pages/"
        } else {
            "content/data/"
        };
        if let Some(file) = settings.get("file").and_then(Located::as_str) {
            model.file_path = Some(format!("{folder}{file}"));
            model.single_file = true;
        } else if let Some(file) = settings.get("newFilePath").and_then(Located::as_str) {
            model.file_path = Some(format!("{folder}{file}"));
        }
        if settings.get("singleInstance").and_then(Located::as_bool) == Some(true) {
            model.single_instance = true;
        }
    }
}

#[cfg(test)]
mod tests;
