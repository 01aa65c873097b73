//! `folio new post|page|project "Title"`: a new content file with valid front matter, placed
//! beside the site's existing files of that model.

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
    };
    let today = jiff::ZonedDateTime::now().date().to_string();
    let objects = loaded.site.objects.values().map(|o| &**o);
    let NewContent { file: rel, text } = match new_content(objects, model, title, &today) {
        Ok(new) => new,
        Err(_) => {
            return fail(Diagnostic::error(
                "new/empty-title",
                "the title has no letters or digits to name the file with",
            ))
        }
    };
    let path = site.join(&rel);
    if path.exists() {
        return fail(
            Diagnostic::error("new/exists", format!("`{rel}` already exists"))
                .with_help("choose another title"),
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
