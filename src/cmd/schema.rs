//! `folio schema`: JSON Schemas of the page and data models, for editor tooling.

use super::fail;
use folio_diag::Diagnostic;
use folio_model::{json_schema, Registry};
use std::path::Path;
use std::process::ExitCode;

/// Run the command.
pub fn run(site: Option<&Path>, output: Option<&Path>) -> ExitCode {
    let registry = match site {
        None => Registry::builtin(),
        Some(site) => match folio_content::load_site(site) {
            Ok(loaded) => loaded.site.registry.clone(),
            Err(d) => return fail(d),
        },
    };
    let schemas = json_schema(&registry);
    let Some(dir) = output else {
        for (name, _) in &schemas {
            println!("{name}");
        }
        println!("(pass `-o DIR` to write them)");
        return ExitCode::SUCCESS;
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(Diagnostic::error(
            "schema/write",
            format!("cannot create `{}`: {e}", dir.display()),
        ));
    }
    for (name, schema) in &schemas {
        let text = serde_json::to_string_pretty(schema).unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(dir.join(name), text) {
            return fail(Diagnostic::error(
                "schema/write",
                format!("cannot write `{name}`: {e}"),
            ));
        }
    }
    println!("wrote {} schemas to `{}`", schemas.len(), dir.display());
    println!("use them in VS Code's YAML extension with `# yaml-language-server: $schema=<path>` or `yaml.schemas`");
    ExitCode::SUCCESS
}
