//! `folio eject-theme`: copy the built-in templates into the site's `templates/` folder to
//! customise them. Files the site already has are kept.

use super::fail;
use folio_diag::Diagnostic;
use folio_render::engine::BUILTIN_TEMPLATES;
use std::path::Path;
use std::process::ExitCode;

/// Run the command.
pub fn run(site: &Path) -> ExitCode {
    if !site.join("content").join("pages").is_dir() {
        return fail(Diagnostic::error(
            "eject/not-a-site",
            format!("`{}` has no `content/pages` folder", site.display()),
        ));
    }
    let target = site.join("templates");
    let (mut written, mut kept) = (0, 0);
    for file in BUILTIN_TEMPLATES.files() {
        let path = target.join(file.path());
        if path.exists() {
            kept += 1;
            continue;
        }
        let result = std::fs::create_dir_all(path.parent().unwrap_or(&target))
            .and_then(|()| std::fs::write(&path, file.contents()));
        if let Err(e) = result {
            return fail(Diagnostic::error(
                "eject/write",
                format!("cannot write `{}`: {e}", path.display()),
            ));
        }
        written += 1;
    }
    println!(
        "copied {written} templates into `{}` ({kept} already there were kept)",
        target.display()
    );
    println!("edit them there: the site's own templates take precedence over the built-in theme");
    ExitCode::SUCCESS
}
