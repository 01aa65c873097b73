//! The temporary folders a build makes beside its output, and their removal when a build is
//! interrupted: by the build's own signal handler (Ctrl-C, SIGTERM), or, after a kill that
//! left no chance to clean up (`kill -9`, a power cut), by the next build of the same output.
//!
//! Every such folder is named `.folio-<kind>-<output name>-<pid>-<random>`: the output's name
//! keeps builds of other outputs in the same folder apart, and the process id tells a folder
//! of a build still running (left alone) from a dead one's (removed).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The temporary folders of builds running in this process.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once the process is cleaning up to exit: writers stop, so that a folder being removed
/// is not made again by a writer creating its subfolders.
static STOPPED: AtomicBool = AtomicBool::new(false);

/// Whether the process is cleaning up to exit (no file may be written any more).
pub(crate) fn stopped() -> bool {
    STOPPED.load(Ordering::Acquire)
}

/// The kinds of temporary folder: the build being written, and the previous output moved aside.
const KINDS: [&str; 2] = ["build", "old"];

/// The name prefix of this process's temporary folder of `kind` for the output `target`.
pub(crate) fn prefix(kind: &str, target: &Path) -> String {
    format!(
        ".folio-{kind}-{}-{}-",
        target
            .file_name()
            .unwrap_or(OsStr::new("out"))
            .to_string_lossy(),
        std::process::id()
    )
}

/// Remember `path` as a temporary folder to remove if the process is interrupted.
pub(crate) fn register(path: &Path) {
    lock().push(path.to_path_buf());
}

/// Forget `path`: it was swapped in or removed.
pub(crate) fn unregister(path: &Path) {
    lock().retain(|p| p != path);
}

/// Remove the temporary folders of the builds running in this process; for a signal handler,
/// right before the process exits. The output folders themselves are never touched.
pub fn remove_unfinished() {
    STOPPED.store(true, Ordering::Release);
    let active = std::mem::take(&mut *lock());
    remove_folders(active);
}

/// Remove each of `folders` and what is in it.
fn remove_folders(folders: Vec<PathBuf>) {
    for path in folders {
        // A writer that passed its check before the stop may still add a file while the folder
        // goes: try again until it is gone.
        for _ in 0..50 {
            if fs::remove_dir_all(&path).is_ok() || !path.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// Remove what interrupted builds of `target` left beside it: temporary folders whose process
/// is no longer running. Returns how many were removed.
pub(crate) fn remove_stale(target: &Path) -> usize {
    let Some(parent) = target.parent() else {
        return 0;
    };
    let Some(name) = target.file_name().map(OsStr::to_string_lossy) else {
        return 0;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some((kind, pid)) = KINDS.iter().find_map(|kind| {
            let rest = file_name
                .to_str()?
                .strip_prefix(&format!(".folio-{kind}-{name}-"))?;
            Some((*kind, rest.split('-').next()?.parse::<u32>().ok()?))
        }) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_dir()) || is_running(pid) {
            continue;
        }
        // A previous build moved aside by a swap that died before the new one came in: it is
        // the output again.
        if kind == "old" && !target.exists() && fs::rename(entry.path(), target).is_ok() {
            continue;
        }
        if fs::remove_dir_all(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether the process `pid` is running (this one included); where that cannot be told, it is
/// taken as running, so that nothing of a live build is removed.
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        // Signal 0 only asks whether the process exists; EPERM means it does (another user's).
        !matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_folders_of_dead_builds_of_this_output_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        // A pid far above any pid_max: no such process.
        let dead = dir.path().join(".folio-build-out-4000000000-abc");
        let dead_old = dir.path().join(".folio-old-out-4000000000-");
        let alive = dir
            .path()
            .join(format!(".folio-build-out-{}-abc", std::process::id()));
        let other_output = dir.path().join(".folio-build-site-4000000000-abc");
        let unrelated = dir.path().join(".folio-build-out-notapid");
        for folder in [&dead, &dead_old, &alive, &other_output, &unrelated] {
            fs::create_dir_all(folder.join("blog")).expect("mkdir");
            fs::write(folder.join("blog/index.html"), "x").expect("write");
        }
        fs::create_dir_all(&target).expect("an output");
        assert_eq!(remove_stale(&target), 2);
        assert!(!dead.exists() && !dead_old.exists());
        assert!(alive.exists() && other_output.exists() && unrelated.exists());
    }

    #[test]
    fn a_previous_build_moved_aside_by_a_dead_swap_is_the_output_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        let aside = dir.path().join(".folio-old-out-4000000000-aside");
        fs::create_dir_all(&aside).expect("mkdir");
        fs::write(aside.join("index.html"), "previous").expect("write");
        remove_stale(&target);
        assert_eq!(
            fs::read_to_string(target.join("index.html")).expect("read"),
            "previous"
        );
    }

    #[test]
    fn unfinished_folders_are_removed_on_request_and_forgotten_once_done() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        for folder in [&a, &b] {
            fs::create_dir_all(folder).expect("mkdir");
            register(folder);
        }
        unregister(&b);
        // This test's own folders only: `remove_unfinished` would also stop the writers of
        // every other test in this process, and remove their folders.
        let mine: Vec<PathBuf> = lock()
            .iter()
            .filter(|p| p.starts_with(dir.path()))
            .cloned()
            .collect();
        lock().retain(|p| !p.starts_with(dir.path()));
        remove_folders(mine);
        assert!(!a.exists());
        assert!(b.exists(), "a folder swapped in is not removed");
    }
}
