//! `folio init DIR`: write the bundled example site (embedded in the binary) into a new folder.

use super::fail;
use folio_diag::Diagnostic;
use include_dir::{include_dir, Dir};
use std::path::Path;
use std::process::ExitCode;

/// The bundled example site, `examples/devrel`.
static EXAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/examples/devrel");

/// Run the command.
pub fn run(dir: &Path) -> ExitCode {
    let not_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if not_empty {
        return fail(
            Diagnostic::error(
                "init/not-empty",
                format!("`{}` is not empty", dir.display()),
            )
            .with_help("choose a new folder; folio init never overwrites files"),
        );
    }
    if let Err(e) = write_dir(&EXAMPLE, dir) {
        return fail(Diagnostic::error(
            "init/write",
            format!("cannot write the example into `{}`: {e}", dir.display()),
        ));
    }
    println!("created a new site in `{}`", dir.display());
    println!(
        "next: `folio build {}` (or `folio check {0}`)",
        dir.display()
    );
    ExitCode::SUCCESS
}

fn write_dir(embedded: &Dir<'_>, target: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(target)?;
    for file in embedded.files() {
        let path = target.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, file.contents())?;
    }
    for sub in embedded.dirs() {
        write_dir(sub, target)?;
    }
    Ok(())
}
