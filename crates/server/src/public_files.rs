//! The files of `public/` as one snapshot serves them: each read from disk once (off the async
//! threads), then answered from memory, and each path found missing remembered as missing.
//!
//! Why: reading from disk on every request hops to the blocking pool twice per request, and
//! the thread switches cost more than the request itself (a profile of `robots.txt` under load
//! spent half its time waking threads). The cache lives exactly as long as its snapshot: every
//! change under `public/` is a rebuild (see `watch.rs`), and every rebuild makes a new snapshot
//! with an empty cache, so what is served is never older than the rendered pages beside it.

use axum::body::Bytes;
use folio_content::site_fs::SiteRoot;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::SystemTime;

/// Files larger than this are read on each request, never kept.
const MAX_KEPT_FILE: usize = 1 << 20;
/// What all kept files may add up to.
const MAX_KEPT_BYTES: usize = 64 << 20;
/// How many paths (found or missing) are remembered, so that requests for endless distinct
/// paths cannot grow the cache without bound.
const MAX_KEPT_PATHS: usize = 20_000;

/// A file of `public/` as read.
#[derive(Debug, Clone)]
pub struct PublicFile {
    /// Its bytes.
    pub bytes: Bytes,
    /// When it last changed.
    pub modified: Option<SystemTime>,
}

/// What a snapshot has read of `public/` (see the module header).
#[derive(Debug, Default)]
pub struct PublicFiles {
    kept: RwLock<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    /// Path under `public/` → the file, or `None` when there is none.
    paths: HashMap<String, Option<PublicFile>>,
    bytes: usize,
}

impl PublicFiles {
    /// `public/<rel>` of `root`, from memory when it was read before.
    pub async fn get(&self, root: &SiteRoot, rel: &str) -> Option<PublicFile> {
        if let Some(known) = self.known(rel) {
            return known;
        }
        let root = root.clone();
        let path = format!("public/{rel}");
        let read = tokio::task::spawn_blocking(move || {
            // A file that vanished between finding and reading is simply not there.
            let file = root.find(&path)?;
            let bytes = root.read(&file).ok()?;
            Some(PublicFile {
                bytes: Bytes::from(bytes),
                modified: file.stamp.map(|stamp| stamp.modified),
            })
        })
        .await
        .ok()?;
        self.keep(rel, &read);
        read
    }

    fn known(&self, rel: &str) -> Option<Option<PublicFile>> {
        let kept = self.kept.read().unwrap_or_else(|p| p.into_inner());
        kept.paths.get(rel).cloned()
    }

    fn keep(&self, rel: &str, read: &Option<PublicFile>) {
        let size = read.as_ref().map_or(0, |f| f.bytes.len());
        let mut kept = self.kept.write().unwrap_or_else(|p| p.into_inner());
        let fits = size <= MAX_KEPT_FILE
            && kept.bytes + size <= MAX_KEPT_BYTES
            && kept.paths.len() < MAX_KEPT_PATHS;
        if fits && !kept.paths.contains_key(rel) {
            kept.bytes += size;
            kept.paths.insert(rel.to_string(), read.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(files: &[(&str, &[u8])]) -> (tempfile::TempDir, SiteRoot) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("content/pages")).expect("mkdir");
        for (rel, bytes) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        let root = SiteRoot::open(dir.path()).expect("root");
        (dir, root)
    }

    #[tokio::test]
    async fn a_file_is_read_once_and_then_answered_from_memory() {
        let (dir, root) = site_with(&[("public/a.txt", b"first")]);
        let files = PublicFiles::default();
        let got = files.get(&root, "a.txt").await.expect("found");
        assert_eq!(&got.bytes[..], b"first");
        assert!(got.modified.is_some());
        // The snapshot's answer stays what it read; the rebuild that follows a change on disk
        // brings a new, empty cache.
        std::fs::write(dir.path().join("public/a.txt"), b"second").expect("write");
        let again = files.get(&root, "a.txt").await.expect("found");
        assert_eq!(&again.bytes[..], b"first");
        let fresh = PublicFiles::default().get(&root, "a.txt").await;
        assert_eq!(&fresh.expect("found").bytes[..], b"second");
    }

    #[tokio::test]
    async fn a_missing_file_is_remembered_as_missing() {
        let (_dir, root) = site_with(&[("public/a.txt", b"a")]);
        let files = PublicFiles::default();
        assert!(files.get(&root, "index.html").await.is_none());
        assert!(matches!(files.known("index.html"), Some(None)));
    }

    #[tokio::test]
    async fn large_files_are_served_but_not_kept() {
        let big = vec![b'x'; MAX_KEPT_FILE + 1];
        let (_dir, root) = site_with(&[("public/big.bin", &big)]);
        let files = PublicFiles::default();
        let got = files.get(&root, "big.bin").await.expect("found");
        assert_eq!(got.bytes.len(), big.len());
        assert!(files.known("big.bin").is_none());
    }

    #[tokio::test]
    async fn paths_outside_public_are_never_read() {
        let (_dir, root) = site_with(&[("public/a.txt", b"a"), ("secret.txt", b"s")]);
        let files = PublicFiles::default();
        assert!(files.get(&root, "../secret.txt").await.is_none());
    }
}
