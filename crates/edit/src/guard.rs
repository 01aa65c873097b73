//! Which files the editor may write: only under `content/` and `public/images/` of the site,
//! named by a plain relative path, and never through a symbolic link that leads elsewhere.

use crate::error::PathError;
use std::path::{Path, PathBuf};

/// The folders the editor writes to, as path segments from the site root.
const WRITABLE: &[&[&str]] = &[&["content"], &["public", "images"]];

/// The folders whose files the editor's source view may also rewrite as text: the content and
/// images folders, and the site's Stackbit models and presets.
const SOURCE_FOLDERS: &[&[&str]] = &[&["content"], &["public", "images"], &[".stackbit"]];

/// The files at the site root the source view may rewrite: folio's and Stackbit's settings,
/// where a build's diagnostics can point.
const SOURCE_ROOT_FILES: &[&str] = &[
    "folio.toml",
    "stackbit.yaml",
    "stackbit.config.ts",
    "stackbit.config.js",
    "stackbit.config.mjs",
    "stackbit.config.cjs",
];

/// The absolute path of `rel_path` (`/`-separated, relative to the site) if the editor may
/// write it: it must be under `content/` or `public/images/`, have no `.`, `..` or empty
/// segments, no backslash, NUL or percent escape, not be absolute, and (following the symbolic
/// links of the parts that exist) stay inside its writable folder, itself inside the site.
pub fn resolve_writable(site_root: &Path, rel_path: &str) -> Result<PathBuf, PathError> {
    resolve_in(site_root, rel_path, WRITABLE, &[])
}

/// [`resolve_writable`] for the editor's source view, which rewrites a file as text (to fix
/// what a build could not read): also the files under `.stackbit/` and the settings files at
/// the site root ([`SOURCE_ROOT_FILES`]).
pub fn resolve_source(site_root: &Path, rel_path: &str) -> Result<PathBuf, PathError> {
    resolve_in(site_root, rel_path, SOURCE_FOLDERS, SOURCE_ROOT_FILES)
}

/// The checks of [`resolve_writable`], with `folders` (as path segments) and `root_files`
/// (names at the site root) allowed.
fn resolve_in(
    site_root: &Path,
    rel_path: &str,
    folders: &[&[&str]],
    root_files: &[&str],
) -> Result<PathBuf, PathError> {
    let malformed = |reason| PathError::Malformed {
        path: rel_path.to_string(),
        reason,
    };
    if rel_path.is_empty() {
        return Err(malformed("the path is empty"));
    }
    if rel_path.contains('\0') {
        return Err(malformed("the path contains NUL"));
    }
    if rel_path.contains('\\') {
        return Err(malformed("the path contains a backslash"));
    }
    if has_percent_escape(rel_path) {
        return Err(malformed("the path contains a percent escape"));
    }
    if rel_path.starts_with('/') || rel_path.as_bytes().get(1) == Some(&b':') {
        return Err(malformed("the path is absolute"));
    }
    let segments: Vec<&str> = rel_path.split('/').collect();
    if segments.iter().any(|s| matches!(*s, "" | "." | "..")) {
        return Err(malformed("the path has an empty, `.` or `..` segment"));
    }
    let root_file: &[&str] = &[];
    let Some(base) = folders
        .iter()
        .copied()
        .find(|base| segments.len() > base.len() && segments.starts_with(base))
        .or_else(|| {
            (segments.len() == 1 && root_files.contains(&segments[0])).then_some(root_file)
        })
    else {
        return Err(PathError::NotWritable {
            path: rel_path.to_string(),
        });
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PathError::Io { path, source }
    };
    let root = site_root.canonicalize().map_err(io(site_root))?;
    let base_path = base.iter().fold(root.clone(), |p, s| p.join(s));
    let base_canon = base_path.canonicalize().map_err(io(&base_path))?;
    let escapes = || PathError::Escapes {
        path: rel_path.to_string(),
    };
    if !base_canon.starts_with(&root) {
        return Err(escapes());
    }
    // The longest part of the path that exists, with its links followed.
    let full = segments.iter().fold(root.clone(), |p, s| p.join(s));
    let mut existing = full.as_path();
    let mut rest = Vec::new();
    while existing.symlink_metadata().is_err() {
        rest.push(existing.file_name().unwrap_or_default().to_owned());
        existing = existing.parent().ok_or_else(escapes)?;
    }
    // A dangling link cannot be followed: it may point anywhere once created.
    let resolved = existing.canonicalize().map_err(|_| escapes())?;
    if !resolved.starts_with(&base_canon) {
        return Err(escapes());
    }
    // A settings file at the root is written as itself, never through a link to another file.
    if base.is_empty() && rest.is_empty() && resolved != root.join(rel_path) {
        return Err(escapes());
    }
    if rest.is_empty() && resolved.is_dir() {
        return Err(malformed("the path is a folder"));
    }
    Ok(rest.iter().rev().fold(resolved, |p, s| p.join(s)))
}

/// `%` followed by two hex digits (an encoded `.`, `/` or anything else left undecoded).
fn has_percent_escape(path: &str) -> bool {
    path.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("content/pages")).expect("content");
        fs::create_dir_all(dir.path().join("public/images")).expect("images");
        fs::write(dir.path().join("content/pages/index.md"), "---\n---\n").expect("page");
        dir
    }

    fn code(root: &Path, rel: &str) -> &'static str {
        match resolve_writable(root, rel) {
            Ok(_) => "ok",
            Err(e) => e.code(),
        }
    }

    #[test]
    fn allows_content_and_images_only() {
        let site = site();
        let root = site.path();
        let path = resolve_writable(root, "content/pages/index.md").expect("allowed");
        assert!(path.ends_with("content/pages/index.md"));
        assert_eq!(code(root, "content/pages/new/page.md"), "ok");
        assert_eq!(code(root, "public/images/new.png"), "ok");
        assert_eq!(code(root, "public/index.html"), "edit/path-not-writable");
        assert_eq!(code(root, "stackbit.config.ts"), "edit/path-not-writable");
        assert_eq!(code(root, "content"), "edit/path-not-writable");
        assert_eq!(code(root, "content/pages"), "edit/path-malformed");
    }

    #[test]
    fn the_source_view_may_also_rewrite_the_sites_models_and_settings() {
        let site = site();
        let root = site.path();
        fs::create_dir_all(root.join(".stackbit/models")).expect("models");
        let source = |rel| match resolve_source(root, rel) {
            Ok(_) => "ok",
            Err(e) => e.code(),
        };
        assert_eq!(source("content/pages/index.md"), "ok");
        assert_eq!(source(".stackbit/models/Post.yaml"), "ok");
        assert_eq!(source("folio.toml"), "ok");
        assert_eq!(source("stackbit.config.ts"), "ok");
        assert_eq!(source("package.json"), "edit/path-not-writable");
        assert_eq!(source("public/index.html"), "edit/path-not-writable");
        assert_eq!(source("sub/folio.toml"), "edit/path-not-writable");
        assert_eq!(
            code(root, ".stackbit/models/Post.yaml"),
            "edit/path-not-writable"
        );
        assert_eq!(code(root, "folio.toml"), "edit/path-not-writable");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                root.join("content/pages/index.md"),
                root.join("folio.toml"),
            )
            .expect("link");
            assert_eq!(source("folio.toml"), "edit/path-escapes");
        }
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        let site = site();
        let root = site.path();
        for rel in [
            "content/../stackbit.config.ts",
            "content/pages/../../x",
            "/etc/passwd",
            "C:/x",
            "content\\..\\x",
            "content/%2e%2e/x",
            "content/pages/%2F..",
            "content/./x",
            "content//x",
            "content/x\0.md",
            "",
        ] {
            assert_eq!(code(root, rel), "edit/path-malformed", "{rel:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symbolic_links_out_of_the_writable_folder() {
        let site = site();
        let root = site.path();
        let outside = tempfile::tempdir().expect("outside");
        std::os::unix::fs::symlink(outside.path(), root.join("content/out")).expect("link");
        std::os::unix::fs::symlink(root.join("public"), root.join("content/pub")).expect("link");
        std::os::unix::fs::symlink(outside.path().join("nope"), root.join("content/dangling"))
            .expect("link");
        assert_eq!(code(root, "content/out/x.md"), "edit/path-escapes");
        assert_eq!(code(root, "content/pub/index.html"), "edit/path-escapes");
        assert_eq!(code(root, "content/dangling"), "edit/path-escapes");
        assert_eq!(code(root, "content/dangling/x.md"), "edit/path-escapes");
    }
}
