//! The load stage: find the site's files, read and process them in parallel, read the site's
//! own models and template names, then hand everything to the resolver.

use crate::document::{process_file, FileResult};
use crate::resolve::resolve_site;
use crate::site::{FileKind, Site};
use crate::site_fs::{FoundFile, SiteRoot};
use crate::validate::ValidationContext;
use crate::values::to_json;
use crate::yaml::parse_yaml;
use folio_diag::{sort_diagnostics, Diagnostic};
use folio_model::{Model, Registry};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The result of loading a site: the graph and every diagnostic found on the way.
#[derive(Debug)]
pub struct LoadedSite {
    /// The resolved site (complete even when some files had errors: those are left out),
    /// shared read-only by every render task.
    pub site: Arc<Site>,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of content files read.
    pub files: usize,
}

/// Load, validate and resolve the site at `path`. Fails only when `path` is not a site at all.
pub fn load_site(path: &Path) -> Result<LoadedSite, Diagnostic> {
    let root = SiteRoot::open(path)?;
    let mut diagnostics = Vec::new();
    let mut registry = Registry::builtin();
    load_site_models(&root, &mut registry, &mut diagnostics);
    let site_templates = site_template_names(&root);
    let (found, walk_diagnostics) = root.walk("content");
    diagnostics.extend(walk_diagnostics);

    let mut work = Vec::new();
    for file in found {
        match classify(&file.rel) {
            Some(kind) => work.push((file, kind)),
            None => diagnostics.push(
                Diagnostic::note("content/ignored-file", format!("`{}` is not a page or data file and is ignored", file.rel))
                    .in_file(file.rel.clone())
                    .with_help("pages are `content/pages/**/*.md`; data files are `content/data/**/*.json` (or `.yaml`)"),
            ),
        }
    }
    let ctx = ValidationContext {
        registry: &registry,
        site_templates: &site_templates,
    };
    let results: Vec<FileResult> = work
        .par_iter()
        .map(|(file, kind)| read_and_process(&root, &ctx, file, *kind))
        .collect();
    let files = results.len();
    let site = resolve_site(root, registry, results, &mut diagnostics);
    sort_diagnostics(&mut diagnostics);
    Ok(LoadedSite {
        site: Arc::new(site),
        diagnostics,
        files,
    })
}

fn read_and_process(
    root: &SiteRoot,
    ctx: &ValidationContext<'_>,
    file: &FoundFile,
    kind: FileKind,
) -> FileResult {
    match root.read(file) {
        Ok(bytes) => process_file(ctx, &file.rel, kind, bytes),
        Err(d) => FileResult {
            path: file.rel.clone(),
            text: "".into(),
            object: None,
            diagnostics: vec![d],
            references: Vec::new(),
        },
    }
}

fn classify(rel: &str) -> Option<FileKind> {
    if rel.starts_with("content/pages/") && rel.ends_with(".md") {
        Some(FileKind::Page)
    } else if rel.starts_with("content/data/")
        && [".json", ".yaml", ".yml"].iter().any(|e| rel.ends_with(e))
    {
        Some(FileKind::Data)
    } else {
        None
    }
}

/// Names of the site's own templates (`templates/<Type>.html` → `Type`).
fn site_template_names(root: &SiteRoot) -> HashSet<String> {
    let (files, _) = root.walk("templates");
    files
        .iter()
        .filter_map(|f| {
            f.rel
                .strip_prefix("templates/")?
                .strip_suffix(".html")
                .map(str::to_string)
        })
        .collect()
}

/// Read `models/*.{yaml,yml,json}`: a site's own models, in the registry's shape.
fn load_site_models(root: &SiteRoot, registry: &mut Registry, diagnostics: &mut Vec<Diagnostic>) {
    let (files, walk_diagnostics) = root.walk("models");
    diagnostics.extend(walk_diagnostics);
    for file in files {
        let is_json = file.rel.ends_with(".json");
        if !is_json && !file.rel.ends_with(".yaml") && !file.rel.ends_with(".yml") {
            continue;
        }
        let text = match root.read(&file).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                diagnostics.push(
                    Diagnostic::error(
                        "model/invalid-utf8",
                        format!("`{}` is not UTF-8 text", file.rel),
                    )
                    .in_file(file.rel.clone()),
                );
                continue;
            }
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let parsed = if is_json {
            crate::json::parse_json(&text)
        } else {
            parse_yaml(&text, 0)
        };
        let node = match parsed {
            Ok(node) => node,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(e.code, e.message)
                        .in_file(file.rel.clone())
                        .at(e.span),
                );
                continue;
            }
        };
        match Model::from_value(to_json(&node)) {
            Ok(model) => registry.insert_site_model(model),
            Err(e) => diagnostics.push(
                Diagnostic::error("model/invalid-model", format!("`{}` is not a valid model: {e}", file.rel))
                    .in_file(file.rel.clone())
                    .with_help("a model file has `name`, `kind` (page, data or object) and `fields` (each with `name` and `type`), like folio's built-in models (`folio schema` shows them)"),
            ),
        }
    }
}
