//! Writing a file the editor changed: only if it is still the version the editor read (by
//! content hash), and atomically (a temporary file in the same folder, flushed to disk, renamed
//! over the old one, the folder flushed), so that a crash leaves the old or the new file, never
//! half of one.

use crate::error::WriteError;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The hash the editor and the writer compare: [`folio_content::fingerprint`] of the file's
/// bytes (SipHash, the one folio uses to tell versions apart), as 16 lowercase hex digits.
/// It detects changes, it is not a cryptographic digest.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", folio_content::fingerprint(&bytes))
}

/// Write `bytes` to `path` if the file's current [`content_hash`] is `expected_hash` (with
/// `None`: if there is no file yet). Returns the hash of the new content. On a
/// [`WriteError::Conflict`] nothing is written.
///
/// The check and the rename are not one atomic step: a writer racing in between those two
/// instants is not detected (the editor's own writes are serialized by the server).
pub fn write_atomically(
    path: &Path,
    expected_hash: Option<&str>,
    bytes: &[u8],
) -> Result<String, WriteError> {
    let io = |source: std::io::Error| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let found = match fs::read(path) {
        Ok(current) => Some(content_hash(&current)),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    if found.as_deref() != expected_hash {
        return Err(WriteError::Conflict {
            path: path.to_path_buf(),
            expected: expected_hash.map(str::to_string),
            found,
        });
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temp, mut file) = create_temp(&dir, path).map_err(io)?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Ok(meta) = fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    sync_dir(&dir).map_err(io)?;
    Ok(content_hash(bytes))
}

/// A new, empty temporary file next to `path` (`.name.folio-<pid>-<n>.tmp`).
fn create_temp(dir: &Path, path: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let temp = dir.join(format!(".{name}.folio-{pid}-{attempt}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && attempt < 1000 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_when_the_hash_matches_and_refuses_a_changed_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.md");
        fs::write(&path, "one").expect("seed");
        let read_hash = content_hash(b"one");
        let new_hash = write_atomically(&path, Some(&read_hash), b"two").expect("writes");
        assert_eq!(fs::read_to_string(&path).expect("reads"), "two");
        assert_eq!(new_hash, content_hash(b"two"));
        let err = write_atomically(&path, Some(&read_hash), b"three").expect_err("stale");
        assert_eq!(err.code(), "edit/conflict");
        assert_eq!(fs::read_to_string(&path).expect("reads"), "two");
        let leftovers = fs::read_dir(dir.path()).expect("lists").count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn creates_only_when_no_file_was_expected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("new.md");
        write_atomically(&path, None, b"x").expect("creates");
        let err = write_atomically(&path, None, b"y").expect_err("exists now");
        assert!(matches!(err, WriteError::Conflict { found: Some(_), .. }));
        fs::remove_file(&path).expect("removes");
        let err = write_atomically(&path, Some(&content_hash(b"x")), b"z").expect_err("gone");
        assert!(err.to_string().contains("deleted"), "{err}");
    }
}
