//! `folio new post|page|project "Title"`: a new content file with valid front matter, placed
//! beside the site's existing files of that model. `folio new template TYPE`: the start of
//! `templates/TYPE.html` for a model that has no template.

use super::fail;
use crate::NewKind;
use folio_content::load_site;
use folio_content::scaffold::{new_content, NewContent};
use folio_diag::Diagnostic;
use std::path::Path;
use std::process::ExitCode;

/// Run the command.
pub fn run(kind: NewKind, title: &str, site: &Path) -> ExitCode {
    let loaded = match load_site(site) {
        Ok(loaded) => loaded,
        Err(d) => return fail(d),
    };
    let model = match kind {
        NewKind::Post => "PostLayout",
        NewKind::Page => "PageLayout",
        NewKind::Project => "ProjectLayout",
        NewKind::Template => return new_template(&loaded.site, title, site),
    };
    let today = jiff::ZonedDateTime::now().date().to_string();
    let NewContent { file: rel, text } = match new_content(&loaded.site, model, title, &today) {
        Ok(new) => new,
        Err(_) => {
            return fail(Diagnostic::error(
                "new/empty-title",
                "the title has no letters or digits to name the file with",
            ))
        }
    };
    write_new(site, &rel, &text)
}

/// `templates/<name>.html`, wired to every field of the model (or of the content's objects of
/// that type when no model defines it).
fn new_template(loaded: &folio_content::Site, name: &str, site: &Path) -> ExitCode {
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_name {
        return fail(
            Diagnostic::error("new/bad-type", format!("`{name}` is not a model name"))
                .with_help("name the model as content writes it in `type:`, such as `FaqSection`"),
        );
    }
    let mut examples = Vec::new();
    for object in loaded.objects.values() {
        collect_objects_of(name, &object.data, &mut examples);
    }
    if loaded.registry.get(name).is_none() && examples.is_empty() {
        return fail(
            Diagnostic::error(
                "new/unknown-type",
                format!("no model and no content has the type `{name}`"),
            )
            .with_help("check the spelling: `folio check` names the models that have no template"),
        );
    }
    let text = folio_render::template_skeleton(&loaded.registry, name, &examples);
    write_new(site, &format!("templates/{name}.html"), &text)
}

/// Every object of type `name` in `data`, however deep.
fn collect_objects_of<'a>(
    name: &str,
    data: &'a serde_json::Map<String, serde_json::Value>,
    out: &mut Vec<&'a serde_json::Map<String, serde_json::Value>>,
) {
    if data.get("type").and_then(|t| t.as_str()) == Some(name) {
        out.push(data);
    }
    for value in data.values() {
        match value {
            serde_json::Value::Object(map) => collect_objects_of(name, map, out),
            serde_json::Value::Array(items) => {
                for map in items.iter().filter_map(|i| i.as_object()) {
                    collect_objects_of(name, map, out);
                }
            }
            _ => {}
        }
    }
}

/// Write the new file `rel` of `site`, never over an existing one.
fn write_new(site: &Path, rel: &str, text: &str) -> ExitCode {
    let path = site.join(rel);
    if path.exists() {
        return fail(
            Diagnostic::error("new/exists", format!("`{rel}` already exists"))
                .with_help("choose another name, or edit the file"),
        );
    }
    if let Err(e) = std::fs::create_dir_all(path.parent().unwrap_or(site))
        .and_then(|()| std::fs::write(&path, text))
    {
        return fail(Diagnostic::error(
            "new/write",
            format!("cannot write `{rel}`: {e}"),
        ));
    }
    println!("created `{rel}`");
    ExitCode::SUCCESS
}
