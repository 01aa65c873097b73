//! All filesystem access of the content stage: listing and reading files under the site root.
//! Every error names its path; nothing outside the root is ever read, whether reached by a
//! `..` path or by a symbolic link.

use folio_diag::Diagnostic;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Largest file folio reads; larger ones are reported, not loaded.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The root folder of a site, canonicalised.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    root: PathBuf,
}

/// A file found under the root.
#[derive(Debug, Clone)]
pub struct FoundFile {
    /// Site-relative path with `/` separators.
    pub rel: String,
    /// Where to read it (a symlink's resolved target, which is inside the root).
    pub abs: PathBuf,
    /// Size and modification time when listed, to tell whether it changed since a previous
    /// load (`None` when unknown, which counts as changed).
    pub stamp: Option<FileStamp>,
}

/// What identifies a version of a file without reading it: its size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Size in bytes.
    pub len: u64,
    /// Last modification.
    pub modified: SystemTime,
}

impl FileStamp {
    fn of(meta: &fs::Metadata) -> Option<FileStamp> {
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok()?,
        })
    }
}

impl SiteRoot {
    /// Open the site at `path`, which must be a folder with `content/pages`.
    pub fn open(path: &Path) -> Result<SiteRoot, Diagnostic> {
        let root = fs::canonicalize(path).map_err(|e| {
            Diagnostic::error(
                "fs/site-not-found",
                format!("cannot open the site `{}`: {e}", path.display()),
            )
            .with_help("pass the folder that contains `content/pages`")
        })?;
        if !root.join("content").join("pages").is_dir() {
            return Err(Diagnostic::error(
                "fs/not-a-site",
                format!("`{}` has no `content/pages` folder", path.display()),
            )
            .with_help("a folio site keeps its pages in `content/pages/*.md`; run `folio init DIR` to start one"));
        }
        Ok(SiteRoot { root })
    }

    /// The canonical root folder.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Every file below the site-relative folder `dir` (recursively, sorted by path), and a
    /// diagnostic for every entry that could not be listed or leads outside the site.
    /// Dot-files and dot-folders are skipped.
    pub fn walk(&self, dir: &str) -> (Vec<FoundFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diagnostics = Vec::new();
        let start = self.root.join(dir);
        if !start.is_dir() {
            return (files, diagnostics);
        }
        let mut visited = HashSet::new();
        let mut stack = vec![(start, dir.trim_end_matches('/').to_string())];
        while let Some((abs_dir, rel_dir)) = stack.pop() {
            let canonical = fs::canonicalize(&abs_dir).unwrap_or_else(|_| abs_dir.clone());
            if !visited.insert(canonical) {
                continue; // a symlinked folder seen before: a loop or a second route
            }
            let entries = match fs::read_dir(&abs_dir) {
                Ok(entries) => entries,
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::error("fs/read-dir", format!("cannot list `{rel_dir}`: {e}"))
                            .in_file(rel_dir.clone()),
                    );
                    continue;
                }
            };
            let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
            names.sort_by_cached_key(|e| e.file_name());
            let mut subdirs = Vec::new();
            for entry in names {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let rel = format!("{rel_dir}/{name}");
                let path = entry.path();
                // Not following links (like `symlink_metadata`), relative to the open folder.
                let Ok(meta) = entry.metadata() else {
                    continue;
                };
                let (target, meta) = if meta.file_type().is_symlink() {
                    match self.resolve_link(&path, &rel) {
                        // `stat`, unlike `open`, never blocks on a named pipe.
                        Ok(target) => match fs::metadata(&target) {
                            Ok(meta) => (target, meta),
                            Err(_) => continue,
                        },
                        Err(d) => {
                            diagnostics.push(d);
                            continue;
                        }
                    }
                } else {
                    (path, meta)
                };
                let is_dir = meta.is_dir();
                if !is_dir && !meta.is_file() {
                    diagnostics.push(special_file(&rel, &meta));
                    continue;
                }
                let stamp = FileStamp::of(&meta);
                if is_dir {
                    subdirs.push((target, rel));
                } else {
                    files.push(FoundFile {
                        rel,
                        abs: target,
                        stamp,
                    });
                }
            }
            // Reverse so that the stack pops folders in sorted order.
            stack.extend(subdirs.into_iter().rev());
        }
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        (files, diagnostics)
    }

    /// What [`SiteRoot::walk`] would list for the site-relative path `rel` alone, when that is
    /// simple to tell: `Some(Some(file))` for a regular file reached through plain folders,
    /// `Some(None)` when nothing is there; `None` when `rel` is a folder, a symbolic link, a
    /// dot-file or below a linked folder (then only a walk tells).
    pub fn list_one(&self, rel: &str) -> Option<Option<FoundFile>> {
        if !is_safe_relative(rel) || rel.split('/').any(|s| s.starts_with('.') || s.is_empty()) {
            return None;
        }
        let abs = self.root.join(rel);
        match fs::symlink_metadata(&abs) {
            Ok(meta) if meta.is_file() => {
                let parent = abs.parent()?;
                // A folder on the way that is a link makes walk list the file elsewhere.
                (fs::canonicalize(parent).ok()? == parent).then(|| {
                    Some(FoundFile {
                        rel: rel.to_string(),
                        abs,
                        stamp: FileStamp::of(&meta),
                    })
                })
            }
            Ok(_) => None,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(None),
            Err(_) => None,
        }
    }

    /// Follow a symlink, refusing targets outside the root and unresolvable links (loops).
    fn resolve_link(&self, path: &Path, rel: &str) -> Result<PathBuf, Diagnostic> {
        let target = fs::canonicalize(path).map_err(|e| {
            Diagnostic::error(
                "fs/broken-symlink",
                format!("cannot follow the symbolic link `{rel}`: {e}"),
            )
            .in_file(rel)
            .with_help("a link that points to itself or to a missing file; remove or fix it")
        })?;
        if !target.starts_with(&self.root) {
            return Err(Diagnostic::error(
                "fs/outside-site",
                format!(
                    "the symbolic link `{rel}` leads outside the site, to `{}`",
                    target.display()
                ),
            )
            .in_file(rel)
            .with_help(
                "folio never reads outside the site folder; copy the file into the site instead",
            ));
        }
        Ok(target)
    }

    /// The problems of the site's `public/` folder that its copy into the output would meet:
    /// what [`SiteRoot::walk`] reports (links out of the site, special files) and every file
    /// that cannot be opened. `folio check` and `folio build` both report them, from here.
    pub fn public_problems(&self) -> Vec<Diagnostic> {
        let (files, mut problems) = self.walk("public");
        problems.extend(files.iter().filter_map(|f| self.open_file(f).err()));
        problems
    }

    /// Open a file found by [`SiteRoot::walk`] for a partial read (an image header), where
    /// reading the whole file would be waste.
    pub fn open_file(&self, file: &FoundFile) -> Result<fs::File, Diagnostic> {
        fs::File::open(&file.abs).map_err(|e| {
            Diagnostic::error("fs/read", format!("cannot read `{}`: {e}", file.rel))
                .in_file(file.rel.clone())
        })
    }

    /// Read a file found by [`SiteRoot::walk`], refusing ones over [`MAX_FILE_BYTES`].
    pub fn read(&self, file: &FoundFile) -> Result<Vec<u8>, Diagnostic> {
        let fail = |e: std::io::Error| {
            Diagnostic::error("fs/read", format!("cannot read `{}`: {e}", file.rel))
                .in_file(file.rel.clone())
        };
        let meta = fs::metadata(&file.abs).map_err(fail)?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(Diagnostic::error(
                "fs/too-large",
                format!(
                    "`{}` is {} MB, more than folio reads ({} MB)",
                    file.rel,
                    meta.len() >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            )
            .in_file(file.rel.clone()));
        }
        fs::read(&file.abs).map_err(fail)
    }

    /// The file at the site-relative path `rel`, if it exists inside the root: `None` for
    /// unsafe paths (`..`, absolute), dot-files, folders, and links that lead outside the site.
    /// The result's `abs` is the canonical path, so reading it cannot leave the site.
    pub fn find(&self, rel: &str) -> Option<FoundFile> {
        if !is_safe_relative(rel) || rel.split('/').any(|s| s.starts_with('.')) {
            return None;
        }
        self.find_inside(rel)
    }

    /// [`SiteRoot::find`] for a file of the site's Stackbit folder (`.stackbit/models/a.ts`):
    /// the one dot-folder folio reads.
    pub fn find_stackbit(&self, rel: &str) -> Option<FoundFile> {
        let rest = rel.strip_prefix(".stackbit/").unwrap_or(rel);
        if !is_safe_relative(rel) || rest.split('/').any(|s| s.starts_with('.')) {
            return None;
        }
        self.find_inside(rel)
    }

    fn find_inside(&self, rel: &str) -> Option<FoundFile> {
        let abs = fs::canonicalize(self.root.join(rel)).ok()?;
        let meta = fs::metadata(&abs).ok()?;
        (abs.starts_with(&self.root) && meta.is_file()).then(|| FoundFile {
            rel: rel.to_string(),
            abs,
            stamp: FileStamp::of(&meta),
        })
    }

    /// Whether the site-relative `rel` names an existing file inside the root.
    pub fn has_file(&self, rel: &str) -> bool {
        if !is_safe_relative(rel) {
            return false;
        }
        let path = self.root.join(rel);
        fs::canonicalize(&path).is_ok_and(|p| p.starts_with(&self.root) && p.is_file())
    }
}

/// The warning for a named pipe, socket or device among the site's files: reading one would
/// block or never end, so it is skipped, never opened.
fn special_file(rel: &str, meta: &fs::Metadata) -> Diagnostic {
    let kind = special_kind(meta);
    Diagnostic::warning(
        "fs/special-file",
        format!("`{rel}` is a {kind}, not a file; it is skipped"),
    )
    .in_file(rel)
    .with_help("only regular files and folders are read; move it out of the site")
}

#[cfg(unix)]
fn special_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_fifo() {
        "named pipe"
    } else if kind.is_socket() {
        "socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::Metadata) -> &'static str {
    "special file"
}

/// Whether a site-relative path stays inside the site: not absolute, no `..` segment.
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.starts_with('/')
        && !rel.starts_with('\\')
        && !rel.contains(':')
        && rel.split(['/', '\\']).all(|segment| segment != "..")
}

/// A site's Stackbit files are read through the same checks as every other file: inside the
/// site, no links out of it, no file over [`MAX_FILE_BYTES`].
impl folio_stackbit::SiteFiles for SiteRoot {
    fn read(&self, path: &str) -> Option<Result<folio_stackbit::FileText, Diagnostic>> {
        let file = self.find_stackbit(path)?;
        Some(SiteRoot::read(self, &file).map(|bytes| {
            let (text, warning) = crate::source::decode_text(
                path,
                bytes,
                folio_diag::Severity::Warning,
                "fs/invalid-utf8",
            );
            folio_stackbit::FileText { text, warning }
        }))
    }

    fn exists(&self, path: &str) -> bool {
        self.find_stackbit(path).is_some()
    }

    fn list(&self, dir: &str) -> Vec<String> {
        self.walk(dir).0.into_iter().map(|f| f.rel).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_relative_paths_stay_inside() {
        assert!(is_safe_relative("content/data/team/a.json"));
        assert!(!is_safe_relative("../secrets.json"));
        assert!(!is_safe_relative("content/../../etc/passwd"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("C:\\x"));
    }

    #[cfg(unix)]
    #[test]
    fn walk_refuses_links_out_of_the_site_and_survives_loops() {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content/pages/sub")).expect("mkdir");
        fs::write(site.join("content/pages/a.md"), "x").expect("write");
        fs::write(dir.path().join("outside.md"), "secret").expect("write");
        std::os::unix::fs::symlink(
            dir.path().join("outside.md"),
            site.join("content/pages/out.md"),
        )
        .expect("link");
        std::os::unix::fs::symlink(
            site.join("content/pages"),
            site.join("content/pages/sub/loop"),
        )
        .expect("link");
        std::os::unix::fs::symlink("self", site.join("content/pages/self")).expect("link");
        let root = SiteRoot::open(&site).expect("site");
        let (files, diags) = root.walk("content/pages");
        let rels: Vec<_> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["content/pages/a.md"]);
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"fs/outside-site"), "{codes:?}");
        assert!(codes.contains(&"fs/broken-symlink"), "{codes:?}");
    }
}
