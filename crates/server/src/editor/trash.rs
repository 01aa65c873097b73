//! The editor's trash (`SITE/.folio/trash/`): a page deleted in the editor is moved there, not
//! removed, so that it can be restored (from the trash list, or by undo). Each deleted file is
//! one folder named by its id (`<milliseconds>-<n>`), holding `file` (the bytes, moved by a
//! rename on the site's own disk) and `from` (its site-relative path). The trash is ignored by
//! git (its own `.gitignore`) and not watched: moving a file in rebuilds the site once, for
//! the file that left `content/`.

use super::api::ApiError;
use axum::http::StatusCode;
use folio_edit::{content_hash, resolve_writable};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The trash, under the site root.
const TRASH_DIR: &str = ".folio/trash";

/// One deleted file.
#[derive(Debug, Serialize, PartialEq)]
pub struct Trashed {
    /// Its id in the trash.
    pub id: String,
    /// Where it was (and is restored to), site-relative.
    pub file: String,
    /// When it was deleted, in milliseconds since 1970.
    pub deleted: u64,
}

fn io_error(what: String) -> impl FnOnce(std::io::Error) -> ApiError {
    move |e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "edit/io",
            format!("{what}: {e}"),
        )
    }
}

/// The folder of the entry `id`, refusing ids that are not the trash's own.
fn entry_dir(site: &Path, id: &str) -> Result<PathBuf, ApiError> {
    let valid = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "edit/bad-request",
            format!("`{id}` is not an id of the trash"),
        ));
    }
    Ok(site.join(TRASH_DIR).join(id))
}

/// Move `file` (at `path`, already checked as writable) into the trash; answers its entry.
pub fn move_to_trash(site: &Path, file: &str, path: &Path) -> Result<Trashed, ApiError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let deleted = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let id = format!("{deleted}-{}", COUNTER.fetch_add(1, Ordering::Relaxed));
    let dir = entry_dir(site, &id)?;
    std::fs::create_dir_all(&dir).map_err(io_error("cannot make the trash folder".into()))?;
    let ignore = site.join(TRASH_DIR).join(".gitignore");
    if !ignore.exists() {
        let text =
            "# pages deleted in folio's editor, to restore from it: not for version control\n*\n";
        std::fs::write(&ignore, text)
            .map_err(io_error("cannot write the trash's .gitignore".into()))?;
    }
    std::fs::write(dir.join("from"), file).map_err(io_error("cannot write to the trash".into()))?;
    if let Err(e) = std::fs::rename(path, dir.join("file")) {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(io_error(format!("cannot move `{file}` to the trash"))(e));
    }
    Ok(Trashed {
        id,
        file: file.to_string(),
        deleted,
    })
}

/// What the trash holds, the latest deletion first.
pub fn list(site: &Path) -> Vec<Trashed> {
    let Ok(entries) = std::fs::read_dir(site.join(TRASH_DIR)) else {
        return Vec::new();
    };
    let mut found: Vec<Trashed> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let id = entry.file_name().into_string().ok()?;
            let file = std::fs::read_to_string(entry.path().join("from")).ok()?;
            entry.path().join("file").is_file().then_some(())?;
            let deleted = id.split('-').next()?.parse().ok()?;
            Some(Trashed { id, file, deleted })
        })
        .collect();
    found.sort_by(|a, b| b.deleted.cmp(&a.deleted).then(b.id.cmp(&a.id)));
    found
}

/// Put the entry `id` back where it was, unless a file is there again (409, nothing moved).
/// Answers the restored file's site-relative path and hash.
pub fn restore(site: &Path, id: &str) -> Result<(String, String), ApiError> {
    let dir = entry_dir(site, id)?;
    let file = std::fs::read_to_string(dir.join("from")).map_err(|_| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "edit/not-found",
            format!("the trash has no entry `{id}`"),
        )
    })?;
    // Checked again: the entry's `from` is a file the editor could write when it was deleted.
    let path = resolve_writable(site, &file)?;
    if path.exists() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "edit/conflict",
            format!("`{file}` exists again; nothing was restored (rename or delete it first)"),
        ));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(io_error(format!("cannot make the folder of `{file}`")))?;
    }
    let bytes = std::fs::read(dir.join("file"))
        .map_err(io_error(format!("cannot read `{file}` in the trash")))?;
    std::fs::rename(dir.join("file"), &path)
        .map_err(io_error(format!("cannot restore `{file}`")))?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok((file, content_hash(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with_post() -> (tempfile::TempDir, PathBuf) {
        let site = tempfile::tempdir().expect("site");
        let post = site.path().join("content/pages/blog/a.md");
        std::fs::create_dir_all(post.parent().expect("folder")).expect("folders");
        std::fs::write(&post, "---\ntitle: A\n---\nbody\n").expect("post");
        (site, post)
    }

    #[test]
    fn a_deleted_page_is_listed_and_restored_byte_for_byte() {
        let (site, post) = site_with_post();
        let bytes = std::fs::read(&post).expect("post");
        let entry = move_to_trash(site.path(), "content/pages/blog/a.md", &post).expect("trash");
        assert!(!post.exists());
        assert_eq!(list(site.path()), vec![entry]);
        let ignore = site.path().join(".folio/trash/.gitignore");
        assert!(std::fs::read_to_string(ignore)
            .expect("ignore")
            .ends_with("*\n"));
        let id = list(site.path()).remove(0).id;
        let (file, hash) = restore(site.path(), &id).expect("restored");
        assert_eq!(file, "content/pages/blog/a.md");
        assert_eq!(std::fs::read(&post).expect("back"), bytes);
        assert_eq!(hash, content_hash(&bytes));
        assert!(list(site.path()).is_empty());
    }

    #[test]
    fn a_restore_never_overwrites_a_file_made_since() {
        let (site, post) = site_with_post();
        let entry = move_to_trash(site.path(), "content/pages/blog/a.md", &post).expect("trash");
        std::fs::write(&post, "new").expect("a new file");
        let refused = restore(site.path(), &entry.id).expect_err("refused");
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert_eq!(std::fs::read_to_string(&post).expect("kept"), "new");
        assert_eq!(list(site.path()).len(), 1, "still in the trash");
    }

    #[test]
    fn ids_outside_the_trash_are_refused() {
        let (site, _) = site_with_post();
        for id in ["../content", "", "a/b", "1/../../x"] {
            let refused = restore(site.path(), id).expect_err(id);
            assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{id}");
        }
    }
}
