//! Where built files go on disk: a temporary folder, swapped in when the whole build succeeded.
//! A file whose bytes equal the previous build's is not written again but linked from it, so
//! that it keeps its modification time (deploy tools and HTTP caches see it unchanged) and
//! costs no disk write.

use folio_diag::Diagnostic;
use rayon::prelude::*;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A file in every folder folio builds, so that folio only ever replaces its own output.
pub const OUTPUT_MARKER: &str = ".folio-output";

/// Files written to a temporary folder next to the target, swapped in by [`DiskOutput::commit`].
/// Dropped without commit, the temporary folder is removed and the target is untouched.
#[derive(Debug)]
pub struct DiskOutput {
    target: PathBuf,
    staging: tempfile::TempDir,
    /// The previous build in the target, when there is one, to keep unchanged files from.
    previous: Option<PathBuf>,
    /// How many files were kept from it.
    kept: AtomicUsize,
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
        let previous = absolute
            .join(OUTPUT_MARKER)
            .is_file()
            .then(|| absolute.clone());
        Ok(DiskOutput {
            target: absolute,
            staging,
            previous,
            kept: AtomicUsize::new(0),
        })
    }

    /// How many files were kept from the previous build rather than written (their bytes
    /// were the same).
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
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
        create_folders(staging, files.iter().map(|(path, _)| *path)).map_err(io_error(format!(
            "cannot create folders in `{}`",
            staging.display()
        )))?;
        files
            .par_iter()
            .try_for_each(|(path, bytes)| self.write_in_folder(path, bytes))
    }

    /// Write one file (output path, contents), creating its folder if needed; callable from
    /// many threads at once.
    pub fn write_file(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if let Some((dir, _)) = path.rsplit_once('/') {
            let dir = self.staging.path().join(dir);
            fs::create_dir_all(&dir).map_err(io_error(format!(
                "cannot create the folder `{}`",
                dir.display()
            )))?;
        }
        self.write_in_folder(path, bytes)
    }

    /// Write one file whose folder exists: linked from the previous build when its bytes are
    /// the same, written anew otherwise.
    fn write_in_folder(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let to = self.staging.path().join(path);
        if let Some(old) = &self.previous {
            let old = old.join(path);
            if same_bytes(&old, bytes) && fs::hard_link(&old, &to).is_ok() {
                self.kept.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        write_new(&to, bytes).map_err(io_error(format!("cannot write `{path}`")))
    }
}

/// Create under `root` the folder of each output path (`blog/a/index.html` → `blog/a`), each
/// once, before files are written into them in parallel.
pub(crate) fn create_folders<'a>(
    root: &Path,
    paths: impl Iterator<Item = &'a str>,
) -> std::io::Result<()> {
    let mut dirs: Vec<&str> = paths
        .filter_map(|path| path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    dirs.into_iter()
        .try_for_each(|dir| fs::create_dir_all(root.join(dir)))
}

/// Write `bytes` to `to` as a file of its own: a file already there (`public/` replacing a
/// generated one) may be a link to the previous build's, which must not be written through.
fn write_new(to: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Nearly every file is new in the temporary folder: created without looking first (one
    // path lookup fewer per file). `create_new` refuses any entry already there, a link too.
    match fs::OpenOptions::new().write(true).create_new(true).open(to) {
        Ok(mut file) => file.write_all(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            fs::remove_file(to)?;
            fs::write(to, bytes)
        }
        Err(e) => Err(e),
    }
}

/// Whether the file at `path` holds exactly `bytes` (the size is compared first).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> String {
        fs::read_to_string(path).expect("readable")
    }

    #[test]
    fn a_file_kept_from_the_previous_build_is_never_written_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (site, target) = (dir.path().join("site"), dir.path().join("out"));
        fs::create_dir_all(&site).expect("site folder");
        let first = DiskOutput::begin(&target, &site).expect("begins");
        first.write_all([("a.html", &b"one"[..])]).expect("writes");
        first.commit().expect("commits");

        let second = DiskOutput::begin(&target, &site).expect("begins");
        second.write_all([("a.html", &b"one"[..])]).expect("writes");
        assert_eq!(second.kept(), 1, "the same bytes are linked, not written");
        // A later file at the same path (`public/` wins) replaces the link, not its target.
        second.write_all([("a.html", &b"two"[..])]).expect("writes");
        assert_eq!(read(&second.path().join("a.html")), "two");
        drop(second); // not committed: the previous build stays as it was
        assert_eq!(read(&target.join("a.html")), "one");
    }
}
