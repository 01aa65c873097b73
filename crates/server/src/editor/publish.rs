//! Publish: when the site is a git checkout, the editor shows what is not committed under the
//! site's folder, file by file with its diff, and commits the files the user keeps ticked (by
//! default the ones the editor wrote in this run) with the user's message, then pushes when the
//! branch has somewhere to push to. Everything goes through the system `git`, so the user's
//! configuration, credentials and hooks apply, and its errors are shown as git printed them.
//! Nothing else about git is done: no fetch, no pull, no staging of other files.

use super::api::{guarded, parse, ApiError};
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value as Json};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

/// A diff longer than this is cut (the file is still committed whole).
const DIFF_LIMIT: usize = 64 * 1024;

/// `git -C site args…`, never asking for a password on a terminal nobody sees.
fn git(site: &Path, args: &[&str]) -> Result<Output, ApiError> {
    Command::new("git")
        .arg("-C")
        .arg(site)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "publish/no-git",
                format!("git cannot be run: {e}"),
            )
        })
}

/// What git printed on a failure, as it printed it.
fn failed(what: &str, output: &Output) -> ApiError {
    let mut text = String::from_utf8_lossy(&output.stderr)
        .trim_end()
        .to_string();
    if text.is_empty() {
        text = String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_string();
    }
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        "publish/git-failed",
        format!("{what} failed:\n{text}"),
    )
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether `site` is inside a git work tree.
fn is_checkout(site: &Path) -> bool {
    git(site, &["rev-parse", "--is-inside-work-tree"])
        .is_ok_and(|o| o.status.success() && stdout(&o).trim() == "true")
}

/// The changed files under the site's folder, as paths relative to it, with git's two-letter
/// status (`git status --porcelain`, `-z` so that no name is quoted).
fn changes(site: &Path) -> Result<Vec<(String, String)>, ApiError> {
    let output = git(
        site,
        &[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
            ".",
        ],
    )?;
    if !output.status.success() {
        return Err(failed("git status", &output));
    }
    // Porcelain paths are the repository's; the site may be a folder inside it.
    let prefix = git(site, &["rev-parse", "--show-prefix"])
        .map(|o| stdout(&o).trim_end_matches('\n').to_string())
        .unwrap_or_default();
    let text = stdout(&output);
    let mut entries = text.split('\0').filter(|e| !e.is_empty());
    let mut found = Vec::new();
    while let Some(entry) = entries.next() {
        let (status, path) = entry.split_at(3.min(entry.len()));
        // A rename is followed by its old name, which the new one's entry covers.
        if status.starts_with('R') || status.starts_with('C') {
            entries.next();
        }
        let path = path.strip_prefix(prefix.as_str()).unwrap_or(path);
        found.push((status.trim().to_string(), path.to_string()));
    }
    Ok(found)
}

/// The diff of one file against the last commit (a new file: all its lines).
fn diff_of(site: &Path, file: &str, status: &str) -> String {
    let args: Vec<&str> = if status == "??" {
        vec!["diff", "--no-color", "--no-index", "--", "/dev/null", file]
    } else {
        vec!["diff", "--no-color", "HEAD", "--", file]
    };
    let mut diff = git(site, &args).map(|o| stdout(&o)).unwrap_or_default();
    if diff.len() > DIFF_LIMIT {
        let mut cut = DIFF_LIMIT;
        while !diff.is_char_boundary(cut) {
            cut -= 1;
        }
        diff.truncate(cut);
        diff.push_str("\n… (cut: the file is committed whole)\n");
    }
    diff
}

/// `GET publish`: `{git: false}` outside a checkout; else the branch, whether it can be
/// pushed, and each changed file with its status, its diff and whether the editor wrote it.
pub async fn status(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let site = state.site();
        if !is_checkout(site) {
            return Ok(json!({ "git": false }));
        }
        let written = editor.written();
        let files: Vec<Json> = changes(site)?
            .into_iter()
            .map(|(status, file)| {
                let diff = diff_of(site, &file, &status);
                let edited = written.contains(&file);
                json!({ "file": file, "status": status, "diff": diff, "edited": edited })
            })
            .collect();
        let branch = git(site, &["rev-parse", "--abbrev-ref", "HEAD"])
            .map(|o| stdout(&o).trim().to_string())
            .unwrap_or_default();
        Ok(json!({ "git": true, "branch": branch, "remote": remote(site), "files": files }))
    })
}

/// The remote the current branch pushes to, if any: its upstream's, else the only remote.
fn remote(site: &Path) -> Option<String> {
    let upstream = git(site, &["rev-parse", "--abbrev-ref", "@{upstream}"]).ok()?;
    if upstream.status.success() {
        let name = stdout(&upstream);
        return name.trim().split('/').next().map(str::to_string);
    }
    let remotes = stdout(&git(site, &["remote"]).ok()?);
    let names: Vec<&str> = remotes.lines().filter(|l| !l.is_empty()).collect();
    (names.len() == 1).then(|| names[0].to_string())
}

#[derive(serde::Deserialize)]
struct PublishRequest {
    message: String,
    files: Vec<String>,
}

/// `POST publish {message, files}`: commit exactly `files` (each must be among the changes
/// listed) with `message`, then push when there is a remote. Answers `{commit, pushed,
/// push_error}`: a failed push leaves the commit made and says what git said.
pub async fn publish(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let request: PublishRequest = parse(&body)?;
        let site = state.site();
        if !is_checkout(site) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "publish/no-git",
                "the site is not a git checkout: there is nothing to publish to".into(),
            ));
        }
        let message = request.message.trim();
        if message.is_empty() {
            return Err(ApiError::bad_request("the commit message is empty"));
        }
        if request.files.is_empty() {
            return Err(ApiError::bad_request("no file is chosen to publish"));
        }
        let _writing = editor.lock_writes();
        let changed = changes(site)?;
        if let Some(unknown) = request
            .files
            .iter()
            .find(|f| !changed.iter().any(|(_, c)| c == *f))
        {
            return Err(ApiError::bad_request(format!(
                "`{unknown}` has no change to publish"
            )));
        }
        let mut add = vec!["add", "--all", "--"];
        add.extend(request.files.iter().map(String::as_str));
        let added = git(site, &add)?;
        if !added.status.success() {
            return Err(failed("git add", &added));
        }
        // Only these files, whatever else is staged.
        let mut commit = vec!["commit", "--message", message, "--only", "--"];
        commit.extend(request.files.iter().map(String::as_str));
        let committed = git(site, &commit)?;
        if !committed.status.success() {
            return Err(failed("git commit", &committed));
        }
        let head = git(site, &["rev-parse", "--short", "HEAD"])
            .map(|o| stdout(&o).trim().to_string())
            .unwrap_or_default();
        editor.published(&request.files);
        let Some(remote) = remote(site) else {
            return Ok(json!({ "commit": head, "pushed": false, "push_error": null }));
        };
        let pushed = git(site, &["push", &remote, "HEAD"])?;
        let push_error = (!pushed.status.success()).then(|| {
            String::from_utf8_lossy(&pushed.stderr)
                .trim_end()
                .to_string()
        });
        Ok(json!({
            "commit": head,
            "pushed": pushed.status.success(),
            "remote": remote,
            "push_error": push_error,
        }))
    })
}
