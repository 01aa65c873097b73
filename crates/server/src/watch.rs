//! Watching the site: `content/`, `public/`, `templates/`, `models/`, `.stackbit/`,
//! `folio.toml` and the Stackbit configuration files, through
//! notify with a short debounce. A burst of events (an editor's temp file + rename, a
//! `git checkout` of a thousand files) becomes one rebuild: the rebuild thread drains every
//! batch that arrived before it starts. The output folder, dot-files and editor temp files are
//! ignored, and so are pure reads and metadata changes (folio's own reads must not loop).

use crate::state::{RebuildReport, ServerState};
use folio_build::Changed;
use folio_diag::Diagnostic;
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, DebouncedEvent};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// The site folders whose changes rebuild the site.
pub const WATCHED_DIRS: [&str; 5] = ["content", "public", "templates", "models", ".stackbit"];

/// The site files (at the root) whose changes rebuild the site.
pub const WATCHED_FILES: [&str; 7] = [
    "folio.toml",
    "stackbit.config.ts",
    "stackbit.config.js",
    "stackbit.config.mjs",
    "stackbit.config.cjs",
    "stackbit.yaml",
    "stackbit.yml",
];

/// More distinct changed paths than this in one batch is a burst (a checkout, a copy): wait for
/// it to end before rebuilding. An editor's save (temp file + rename) stays below.
const BURST_PATHS: usize = 3;

/// How long a burst must be quiet before its rebuild starts (a checkout on a busy machine
/// pauses between files).
const BURST_QUIET: Duration = Duration::from_millis(250);

/// Called after every rebuild (for the terminal).
pub type RebuildCallback = Arc<dyn Fn(&RebuildReport) + Send + Sync>;

/// Start watching the site of `state` and rebuilding it on a thread of its own, for as long as
/// the process runs.
pub fn spawn_watcher(
    state: Arc<ServerState>,
    debounce: Duration,
    on_rebuild: RebuildCallback,
) -> Result<(), Diagnostic> {
    let root = std::fs::canonicalize(state.site()).map_err(|e| {
        Diagnostic::error(
            "serve/watch",
            format!("cannot watch `{}`: {e}", state.site().display()),
        )
    })?;
    let (sender, receiver) = mpsc::channel::<DebounceEventResult>();
    let tick = (debounce / 4).max(Duration::from_millis(1));
    let mut debouncer = new_debouncer(debounce, Some(tick), sender)
        .map_err(|e| Diagnostic::error("serve/watch", format!("cannot watch files: {e}")))?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| {
            Diagnostic::error(
                "serve/watch",
                format!("cannot watch `{}`: {e}", root.display()),
            )
        })?;
    for dir in WATCHED_DIRS {
        if root.join(dir).is_dir() {
            let _ = debouncer.watch(root.join(dir), RecursiveMode::Recursive);
        }
    }
    std::thread::Builder::new()
        .name("folio-rebuild".into())
        .spawn(move || {
            while let Ok(first) = receiver.recv() {
                let mut batches = vec![first];
                batches.extend(receiver.try_iter());
                let mut changes = classify(&root, &batches);
                // Other files changing right behind the first batch also mean a burst.
                let mut burst = changes.paths.len() > BURST_PATHS;
                if !burst {
                    if let Ok(more) = receiver.recv_timeout(tick + Duration::from_millis(1)) {
                        batches.push(more);
                        let again = classify(&root, &batches);
                        // The same file again (write, then close) is not a burst.
                        burst = again.paths.len() > changes.paths.len();
                        changes = again;
                    }
                }
                if burst {
                    // Many files at once (git, a copy, a script): wait for the burst to end, so
                    // that it is one rebuild of a consistent tree. A single save goes at once.
                    while let Ok(more) = receiver.recv_timeout(BURST_QUIET.max(debounce * 2)) {
                        batches.push(more);
                        batches.extend(receiver.try_iter());
                    }
                    changes = classify(&root, &batches);
                }
                for dir in &changes.new_dirs {
                    // A folder deleted and created again (git, rsync) needs a new watch.
                    let _ = debouncer.unwatch(root.join(dir));
                    let _ = debouncer.watch(root.join(dir), RecursiveMode::Recursive);
                }
                if changes.rebuild {
                    let paths: HashSet<String> = changes.paths.iter().cloned().collect();
                    let changed = if changes.lost_events {
                        Changed::Unknown
                    } else {
                        Changed::Paths(&paths)
                    };
                    let report = state.rebuild_changed(changed);
                    if report.succeeded {
                        state.public_changed(&changes.public);
                    }
                    on_rebuild(&report);
                }
            }
        })
        .map_err(|e| {
            Diagnostic::error(
                "serve/watch",
                format!("cannot start the rebuild thread: {e}"),
            )
        })?;
    Ok(())
}

/// What a set of debounced events means for the site.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Whether anything that the build reads changed.
    pub rebuild: bool,
    /// Files under `public/` that changed (site-relative, without `public/`).
    pub public: Vec<String>,
    /// Watched top-level folders that appeared (or were replaced).
    pub new_dirs: Vec<String>,
    /// The relevant site-relative paths that changed.
    pub paths: BTreeSet<String>,
    /// Whether events were lost (then which files changed is unknown).
    pub lost_events: bool,
}

fn classify(root: &Path, batches: &[DebounceEventResult]) -> Changes {
    let mut changes = Changes::default();
    for batch in batches {
        match batch {
            Ok(events) => {
                for event in events {
                    note_event(root, event, &mut changes);
                }
            }
            // Lost events (queue overflow) or a watch error: rebuild to be sure.
            Err(_) => {
                changes.rebuild = true;
                changes.lost_events = true;
            }
        }
    }
    changes.public.sort();
    changes.public.dedup();
    changes
}

fn note_event(root: &Path, event: &DebouncedEvent, changes: &mut Changes) {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return,
        _ => {}
    }
    for path in &event.paths {
        let Some(rel) = relative(root, path) else {
            continue;
        };
        match classify_path(&rel) {
            PathKind::Ignored => {}
            PathKind::Site => {
                changes.rebuild = true;
                changes.paths.insert(rel);
            }
            PathKind::TopDir => {
                changes.rebuild = true;
                if path.is_dir() {
                    changes.new_dirs.push(rel.clone());
                }
                changes.paths.insert(rel);
            }
            PathKind::Public(file) => {
                changes.rebuild = true;
                changes.public.push(file);
                changes.paths.insert(rel);
            }
        }
    }
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// What a changed site-relative path is.
#[derive(Debug, PartialEq, Eq)]
pub enum PathKind {
    /// Not read by the build (output, temp files, other folders).
    Ignored,
    /// Read by the build.
    Site,
    /// A watched top-level folder itself.
    TopDir,
    /// A file under `public/` (path without `public/`).
    Public(String),
}

/// Classify a site-relative path (with `/`).
pub fn classify_path(rel: &str) -> PathKind {
    let mut parts = rel.split('/');
    let top = parts.next().unwrap_or_default();
    let name = rel.rsplit('/').next().unwrap_or_default();
    // `.stackbit/` is the one dot-folder the build reads.
    let below = rel.strip_prefix(".stackbit/").unwrap_or(rel);
    if below.split('/').any(|p| p.starts_with('.')) && rel != ".stackbit" || is_editor_temp(name) {
        return PathKind::Ignored;
    }
    if !rel.contains('/') {
        return if WATCHED_FILES.contains(&top) {
            PathKind::Site
        } else if WATCHED_DIRS.contains(&top) {
            PathKind::TopDir
        } else {
            PathKind::Ignored
        };
    }
    match top {
        "public" => PathKind::Public(rel["public/".len()..].to_string()),
        "content" | "templates" | "models" | ".stackbit" => PathKind::Site,
        _ => PathKind::Ignored,
    }
}

/// Files that editors write beside the real one: vim's `.swp`/`.swx` and its `4913` probe,
/// backups ending in `~`, Emacs' `#file#` and `.#file`, and `*.tmp`.
fn is_editor_temp(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_templates_models_and_config_rebuild() {
        assert_eq!(classify_path("content/pages/a.md"), PathKind::Site);
        assert_eq!(classify_path("templates/base.html"), PathKind::Site);
        assert_eq!(classify_path("models/X.yaml"), PathKind::Site);
        assert_eq!(classify_path("folio.toml"), PathKind::Site);
        assert_eq!(classify_path("stackbit.config.ts"), PathKind::Site);
        assert_eq!(classify_path(".stackbit/models/Hero.ts"), PathKind::Site);
        assert_eq!(classify_path(".stackbit"), PathKind::TopDir);
        assert_eq!(
            classify_path(".stackbit/models/.Hero.ts.swp"),
            PathKind::Ignored
        );
        assert_eq!(classify_path(".git/HEAD"), PathKind::Ignored);
        assert_eq!(classify_path("content"), PathKind::TopDir);
    }

    #[test]
    fn public_files_are_reported_by_their_served_path() {
        assert_eq!(
            classify_path("public/images/a.png"),
            PathKind::Public("images/a.png".into())
        );
    }

    #[test]
    fn output_dotfiles_and_editor_temp_files_are_ignored() {
        for rel in [
            "out/index.html",
            "README.md",
            ".git/index",
            "content/pages/.a.md.swp",
            "content/pages/a.md~",
            "content/pages/.#a.md",
            "content/pages/#a.md#",
            "content/pages/4913",
            "node_modules/x/y.js",
        ] {
            assert_eq!(classify_path(rel), PathKind::Ignored, "{rel}");
        }
    }
}
