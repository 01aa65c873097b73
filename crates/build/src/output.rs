//! Where built files go on disk: a temporary folder, swapped in when the whole build succeeded.

use folio_diag::Diagnostic;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// A file in every folder folio builds, so that folio only ever replaces its own output.
pub const OUTPUT_MARKER: &str = ".folio-output";

/// Files written to a temporary folder next to the target, swapped in by [`DiskOutput::commit`].
/// Dropped without commit, the temporary folder is removed and the target is untouched.
#[derive(Debug)]
pub struct DiskOutput {
    target: PathBuf,
    staging: tempfile::TempDir,
}

fn io_error(what: String) -> impl FnOnce(std::io::Error) -> Diagnostic {
    move |e| Diagnostic::error("build/write", format!("{what}: {e}"))
}

impl DiskOutput {
    /// Start writing a build that will replace `target`. Refuses a target that is the site
    /// itself, contains it, or is a non-empty folder that folio did not build.
    pub fn begin(target: &Path, site_root: &Path) -> Result<DiskOutput, Diagnostic> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(io_error(format!("cannot create `{}`", parent.display())))?;
        let absolute = fs::canonicalize(&parent)
            .map_err(io_error(format!("cannot open `{}`", parent.display())))?
            .join(target.file_name().unwrap_or_default());
        if site_root.starts_with(&absolute) {
            return Err(Diagnostic::error(
                "build/unsafe-output",
                format!(
                    "the output folder `{}` contains the site itself",
                    target.display()
                ),
            )
            .with_help("choose an output folder inside or beside the site, such as `out`"));
        }
        let existing_foreign = absolute.is_dir()
            && !absolute.join(OUTPUT_MARKER).exists()
            && fs::read_dir(&absolute)
                .map(|mut d| d.next().is_some())
                .unwrap_or(false);
        if existing_foreign {
            return Err(Diagnostic::error(
                "build/unsafe-output",
                format!(
                    "`{}` exists and was not built by folio, so folio will not replace it",
                    target.display()
                ),
            )
            .with_help("choose another output folder, or empty this one first"));
        }
        let staging = tempfile::Builder::new()
            .prefix(".folio-build-")
            .tempdir_in(&parent)
            .map_err(io_error(format!(
                "cannot create a temporary folder in `{}`",
                parent.display()
            )))?;
        fs::write(staging.path().join(OUTPUT_MARKER), b"built by folio\n")
            .map_err(io_error("cannot write the output marker".into()))?;
        Ok(DiskOutput {
            target: absolute,
            staging,
        })
    }

    /// The temporary folder being written (what [`DiskOutput::commit`] will swap in).
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Replace the target with everything written.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let staging = self.staging.keep();
        let old = if self.target.exists() {
            let old = self.target.with_file_name(format!(
                ".folio-old-{}-{}",
                self.target
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy(),
                std::process::id()
            ));
            fs::rename(&self.target, &old).map_err(io_error(format!(
                "cannot move `{}` aside",
                self.target.display()
            )))?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = fs::rename(&staging, &self.target) {
            if let Some(old) = &old {
                let _ = fs::rename(old, &self.target); // put the previous build back
            }
            let _ = fs::remove_dir_all(&staging);
            return Err(io_error(format!(
                "cannot move the new build to `{}`",
                self.target.display()
            ))(e));
        }
        if let Some(old) = old {
            let _ = fs::remove_dir_all(old);
        }
        Ok(())
    }
}

impl DiskOutput {
    /// Write many files (output path, contents) at once: their folders first, then the files
    /// in parallel.
    pub fn write_all<'a>(
        &self,
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<(), Diagnostic> {
        let staging = self.staging.path();
        let files: Vec<_> = files.into_iter().collect();
        let mut dirs: Vec<&str> = files
            .iter()
            .filter_map(|(path, _)| path.rsplit_once('/').map(|(dir, _)| dir))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        for dir in dirs {
            let full = staging.join(dir);
            fs::create_dir_all(&full)
                .map_err(io_error(format!("cannot create `{}`", full.display())))?;
        }
        files.par_iter().try_for_each(|(path, bytes)| {
            fs::write(staging.join(path), bytes).map_err(io_error(format!("cannot write `{path}`")))
        })
    }
}

impl DiskOutput {
    /// Write one file (its folder is created as needed).
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let full = self.staging.path().join(path);
        if let Some(dir) = full.parent() {
            fs::create_dir_all(dir)
                .map_err(io_error(format!("cannot create `{}`", dir.display())))?;
        }
        fs::write(&full, bytes).map_err(io_error(format!("cannot write `{path}`")))
    }
}
