//! Where built files go on disk: a temporary folder, swapped in when the whole build succeeded.
//! A file whose bytes equal the previous build's is not written again but linked from it, so
//! that it keeps its modification time (deploy tools and HTTP caches see it unchanged) and
//! costs no disk write.

use crate::leftovers;
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
    /// Keeps the temporary folder on the list that Ctrl-C cleans up, until the build is over.
    _registered: Registered,
    /// The previous build in the target, when there is one, to keep unchanged files from.
    previous: Option<PathBuf>,
    /// How many files were kept from it.
    kept: AtomicUsize,
}

fn io_error(what: String) -> impl FnOnce(std::io::Error) -> Diagnostic {
    move |e| Diagnostic::error("build/write", format!("{what}: {e}"))
}

impl DiskOutput {
    /// Start writing a build that will replace `target`, which [`check_target`] must accept
    /// (`setting` names where it came from, for the diagnostic).
    pub fn begin(target: &Path, site_root: &Path, setting: &str) -> Result<DiskOutput, Diagnostic> {
        let absolute = check_target(target, site_root, setting)?;
        let parent = absolute.parent().unwrap_or(Path::new(".")).to_path_buf();
        fs::create_dir_all(&parent)
            .map_err(io_error(format!("cannot create `{}`", parent.display())))?;
        leftovers::remove_stale(&absolute);
        let staging = tempfile::Builder::new()
            .prefix(&leftovers::prefix("build", &absolute))
            .tempdir_in(&parent)
            .map_err(io_error(format!(
                "cannot create a temporary folder in `{}`",
                parent.display()
            )))?;
        let registered = Registered::new(staging.path());
        fs::write(staging.path().join(OUTPUT_MARKER), b"built by folio\n")
            .map_err(io_error("cannot write the output marker".into()))?;
        let previous = absolute
            .join(OUTPUT_MARKER)
            .is_file()
            .then(|| absolute.clone());
        Ok(DiskOutput {
            target: absolute,
            staging,
            _registered: registered,
            previous,
            kept: AtomicUsize::new(0),
        })
    }

    /// How many files were kept from the previous build rather than written (their bytes
    /// were the same).
    pub fn kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// The previous build, which unchanged files are linked from.
    pub fn previous(&self) -> Option<&Path> {
        self.previous.as_deref()
    }

    /// The temporary folder being written (what [`DiskOutput::commit`] will swap in).
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Replace the target with everything written. Where the file system can, the two
    /// folders trade places in one step (`RENAME_EXCHANGE`), so that the target is always a
    /// complete build, the previous one or this one; elsewhere the previous build is moved
    /// aside first, and restored by the next build if the process dies in between.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let staging = self.staging.keep();
        if self.target.exists() && exchange(&staging, &self.target).is_ok() {
            fault_point();
            // The temporary folder now holds the previous build.
            let _ = fs::remove_dir_all(&staging);
            return Ok(());
        }
        let old = if self.target.exists() {
            let name = format!("{}{}", leftovers::prefix("old", &self.target), "aside");
            let old = self.target.with_file_name(name);
            fs::rename(&self.target, &old).map_err(io_error(format!(
                "cannot move `{}` aside",
                self.target.display()
            )))?;
            fault_point();
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

/// A temporary folder on the list of [`leftovers::remove_unfinished`], taken off when dropped.
#[derive(Debug)]
struct Registered(PathBuf);

impl Registered {
    fn new(path: &Path) -> Registered {
        leftovers::register(path);
        Registered(path.to_path_buf())
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        leftovers::unregister(&self.0);
    }
}

/// Swap two folders in one step.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Swap two folders in one step: not offered here, so the caller moves them one by one.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Fault injection for the tests of an interrupted swap: a debug build aborts here, in the
/// middle of [`DiskOutput::commit`], when `FOLIO_TEST_ABORT_IN_SWAP` is set. Release builds
/// have no such point.
fn fault_point() {
    #[cfg(debug_assertions)]
    if std::env::var_os("FOLIO_TEST_ABORT_IN_SWAP").is_some() {
        std::process::abort();
    }
}

impl DiskOutput {
    /// Write many files (output path, contents) at once: their folders first, then the files
    /// in parallel.
    pub fn write_all<'a>(
        &self,
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<(), Diagnostic> {
        if leftovers::stopped() {
            return Err(interrupted());
        }
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
        if leftovers::stopped() {
            return Err(interrupted());
        }
        if let Some((dir, _)) = path.rsplit_once('/') {
            let dir = self.staging.path().join(dir);
            fs::create_dir_all(&dir).map_err(io_error(format!(
                "cannot create the folder `{}`",
                dir.display()
            )))?;
        }
        self.write_in_folder(path, bytes)
    }

    /// Write `path` as a copy of the file `from` (an image copy in the cache), made by the
    /// file system rather than read into memory; `false` when it could not be copied.
    ///
    /// As [`DiskOutput::write_file`] does, a file the same as the previous build's is linked
    /// from it instead, and a file already at `path` (a `public/` file replacing a generated
    /// one, perhaps a link to the previous build's) is replaced, never written through.
    pub fn copy_in(&self, path: &str, from: &Path) -> bool {
        if leftovers::stopped() {
            return false;
        }
        let to = self.staging.path().join(path);
        if to
            .parent()
            .is_some_and(|dir| fs::create_dir_all(dir).is_err())
        {
            return false;
        }
        if fs::symlink_metadata(&to).is_ok() && fs::remove_file(&to).is_err() {
            return false;
        }
        if let Some(old) = &self.previous {
            let old = old.join(path);
            if same_contents(&old, from) && fs::hard_link(&old, &to).is_ok() {
                self.kept.fetch_add(1, Ordering::Relaxed);
                return true;
            }
        }
        fs::copy(from, &to).is_ok()
    }

    /// Overwrite the file written at `path` with `with` at each of `offsets` (same length, so
    /// nothing moves). A file linked from the previous build is that build's file too: it is
    /// replaced by a patched copy, never written through.
    pub fn overwrite_at(
        &self,
        path: &str,
        offsets: &[usize],
        with: &[u8],
    ) -> Result<(), Diagnostic> {
        let to = self.staging.path().join(path);
        let error = || io_error(format!("cannot write `{path}`"));
        #[cfg(unix)]
        if self.previous.is_none() || !is_linked(&to) {
            use std::os::unix::fs::FileExt;
            let file = fs::OpenOptions::new()
                .write(true)
                .open(&to)
                .map_err(error())?;
            for &at in offsets {
                file.write_all_at(with, at as u64).map_err(error())?;
            }
            return Ok(());
        }
        let mut bytes = fs::read(&to).map_err(error())?;
        for &at in offsets {
            let Some(place) = bytes.get_mut(at..at + with.len()) else {
                return Err(Diagnostic::error(
                    "build/write",
                    format!("`{path}` changed while it was written"),
                ));
            };
            place.copy_from_slice(with);
        }
        write_new(&to, &bytes).map_err(error())
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

/// The code of a refused output folder.
pub(crate) const UNSAFE_OUTPUT: &str = "build/unsafe-output";

/// Where a build's output folder was chosen, for the diagnostic that refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputSetting {
    /// `-o` on the command line.
    Flag,
    /// `output_dir` in folio.toml.
    Config,
    /// Neither: the default, `SITE/out`.
    Default,
}

impl OutputSetting {
    /// How the setting reads in a message.
    pub fn name(self) -> &'static str {
        match self {
            OutputSetting::Flag => "`-o`",
            OutputSetting::Config => "`output_dir` in folio.toml",
            OutputSetting::Default => "the default output folder",
        }
    }

    /// `diagnostic` placed at the setting's line when it is in folio.toml (`sources` holds the
    /// file's text).
    pub(crate) fn locate(
        self,
        diagnostic: Diagnostic,
        sources: &folio_content::SourceMap,
    ) -> Diagnostic {
        if self != OutputSetting::Config {
            return diagnostic;
        }
        let file = folio_content::CONFIG_FILE;
        let diagnostic = diagnostic.in_file(file);
        let Some(text) = sources.get(file) else {
            return diagnostic;
        };
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let key = line.trim_start();
            if key.starts_with("output_dir") {
                let start = offset + (line.len() - key.len());
                let end = offset + line.trim_end().len();
                return diagnostic.at(folio_diag::Span::new(start, end));
            }
            offset += line.len();
        }
        diagnostic
    }
}

/// The folders of a site that folio reads: an output inside one would be read back as content,
/// copied into the next output, or taken for a template.
const READ_FOLDERS: [&str; 5] = ["content", "public", "templates", "models", ".stackbit"];

/// Where a build into `target` would write, made absolute, or why it may not: `target` is a
/// file, the site or a folder that holds it, inside a folder folio reads (`content/`,
/// `public/` …), or a non-empty folder that folio did not build. `setting` names where the
/// target came from (`-o`, `output_dir` in folio.toml) for the message.
pub fn check_target(target: &Path, site_root: &Path, setting: &str) -> Result<PathBuf, Diagnostic> {
    let refuse = |problem: String, help: &str| {
        Err(Diagnostic::error(
            UNSAFE_OUTPUT,
            format!("{setting} names `{}`, {problem}", target.display()),
        )
        .with_help(help.to_string()))
    };
    // The nearest folder that exists, canonical, and the rest of the path as written.
    let mut existing = if target.is_absolute() {
        target.to_path_buf()
    } else {
        Path::new(".").join(target)
    };
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(path) = fs::canonicalize(&existing) {
            break path;
        }
        let mut components = existing.components();
        match components.next_back() {
            Some(last) => {
                rest.push(last.as_os_str().to_os_string());
                existing = components.as_path().to_path_buf();
            }
            None => break PathBuf::from("/"),
        }
    };
    // What does not exist yet is no link, so its `..` and `.` are resolved by their names.
    let absolute = rest
        .iter()
        .rev()
        .fold(base, |path, name| match name.to_str() {
            Some("..") => path.parent().map_or(path.clone(), Path::to_path_buf),
            Some(".") => path,
            _ => path.join(name),
        });
    let choose = "choose an output folder beside the site's own folders, such as `out`";
    if site_root.starts_with(&absolute) {
        return refuse("which holds the site itself".into(), choose);
    }
    if let Some(folder) = READ_FOLDERS
        .iter()
        .find(|folder| absolute.starts_with(site_root.join(folder)))
    {
        return refuse(
            format!("which is inside the site's `{folder}/` folder, read by every build"),
            choose,
        );
    }
    if absolute.exists() && !absolute.is_dir() {
        return refuse(
            "which is a file, not a folder".into(),
            "name a folder; folio replaces a folder it built, never a file",
        );
    }
    let foreign = absolute.is_dir()
        && !absolute.join(OUTPUT_MARKER).exists()
        && fs::read_dir(&absolute).is_ok_and(|mut d| d.next().is_some());
    if foreign {
        return refuse(
            "a folder that folio did not build, so folio will not replace it".into(),
            "choose another output folder, or empty this one first",
        );
    }
    Ok(absolute)
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
/// Whether the file at `path` has another name (a build's file linked from the one before).
#[cfg(unix)]
fn is_linked(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).map_or(true, |m| m.nlink() > 1)
}

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
/// Whether the files `a` and `b` hold the same bytes, compared a block at a time.
fn same_contents(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(meta_a), Ok(meta_b)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    if !meta_a.is_file() || meta_a.len() != meta_b.len() {
        return false;
    }
    let (Ok(mut a), Ok(mut b)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut block_a, mut block_b) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let Ok(n) = a.read(&mut block_a) else {
            return false;
        };
        if n == 0 {
            return true;
        }
        if b.read_exact(&mut block_b[..n]).is_err() || block_a[..n] != block_b[..n] {
            return false;
        }
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// What a writer answers once the process is cleaning up to exit (Ctrl-C, SIGTERM).
fn interrupted() -> Diagnostic {
    Diagnostic::error(
        "build/interrupted",
        "the build was interrupted before its output was written",
    )
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
        let first = DiskOutput::begin(&target, &site, "-o").expect("begins");
        first.write_all([("a.html", &b"one"[..])]).expect("writes");
        first.commit().expect("commits");

        let second = DiskOutput::begin(&target, &site, "-o").expect("begins");
        second.write_all([("a.html", &b"one"[..])]).expect("writes");
        assert_eq!(second.kept(), 1, "the same bytes are linked, not written");
        // A later file at the same path (`public/` wins) replaces the link, not its target.
        second.write_all([("a.html", &b"two"[..])]).expect("writes");
        assert_eq!(read(&second.path().join("a.html")), "two");
        drop(second); // not committed: the previous build stays as it was
        assert_eq!(read(&target.join("a.html")), "one");
    }

    #[test]
    fn overwriting_a_linked_file_in_place_leaves_the_previous_build_as_it_was() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (site, target) = (dir.path().join("site"), dir.path().join("out"));
        fs::create_dir_all(&site).expect("site folder");
        let first = DiskOutput::begin(&target, &site, "-o").expect("begins");
        first
            .write_all([("a.html", &b"css=aaaa;"[..])])
            .expect("writes");
        first.commit().expect("commits");

        let second = DiskOutput::begin(&target, &site, "-o").expect("begins");
        second
            .write_all([("a.html", &b"css=aaaa;"[..])])
            .expect("writes");
        second
            .write_all([("b.html", &b"css=aaaa;"[..])])
            .expect("writes");
        assert_eq!(second.kept(), 1);
        second
            .overwrite_at("a.html", &[4], b"bbbb")
            .expect("linked");
        second.overwrite_at("b.html", &[4], b"cccc").expect("new");
        assert_eq!(read(&second.path().join("a.html")), "css=bbbb;");
        assert_eq!(read(&second.path().join("b.html")), "css=cccc;");
        assert_eq!(read(&target.join("a.html")), "css=aaaa;");
    }
}
