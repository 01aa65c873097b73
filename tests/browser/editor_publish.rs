//! Publish (`folio serve --edit` on a git checkout): the panel lists the uncommitted files with
//! their diffs, the ones the editor wrote ticked, and commits exactly those, then pushes to the
//! branch's remote; a file changed by hand stays uncommitted.

use crate::editing::{editor_ready, wait_for, with_editor_on};
use std::path::Path;
use std::process::Command;

const POST: &str = "content/pages/blog/devrel-speaking-balance.md";
const BY_HAND: &str = "content/pages/info.md";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn publish_commits_exactly_the_edited_files_and_pushes() {
    if !crate::support::browser_available() {
        return;
    }
    let remote = tempfile::tempdir().expect("a remote");
    let remote_path = remote.path().to_path_buf();
    let prepare = |site: &Path| {
        git(&remote_path, &["init", "--quiet", "--bare"]);
        git(site, &["init", "--quiet", "--initial-branch=main"]);
        git(site, &["config", "user.name", "Site Owner"]);
        git(site, &["config", "user.email", "owner@example.com"]);
        git(site, &["add", "--all"]);
        git(site, &["commit", "--quiet", "--message", "The site"]);
        let remote = remote_path.to_str().expect("a UTF-8 path");
        git(site, &["remote", "add", "origin", remote]);
        git(
            site,
            &["push", "--quiet", "--set-upstream", "origin", "main"],
        );
    };
    with_editor_on(prepare, |client, base, site| async move {
        client
            .goto(&format!("{base}/blog/devrel-speaking-balance/"))
            .await?;
        editor_ready(&client).await;
        client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.select(arguments[0], '')
                   .then(() => window.FolioEditor.apply({ op: 'set', path: 'title', value: 'Published title' }))
                   .then(done);",
                vec![POST.into()],
            )
            .await?;
        let by_hand = site.join(BY_HAND);
        let text = std::fs::read_to_string(&by_hand).expect("the info page");
        std::fs::write(&by_hand, format!("{text}\nChanged by hand.\n")).expect("by hand");
        // The change by hand rebuilds the site and may reload the page: Publish is opened
        // again until it lists both files.
        let listed = wait_for(
            &client,
            "the changes",
            "const E = window.FolioEditor;
             const rows = [...document.querySelectorAll('#folio-editor-panel .folio-publish-file')];
             if (rows.length >= 2) return rows.map(r => [r.value, r.checked]);
             if (E && E.showPublish && document.documentElement.getAttribute('data-folio-editor') === 'ready'
                 && !window.__asked) { window.__asked = true; E.showPublish().then(() => (window.__asked = false)); }
             return null;",
        )
        .await;
        let listed = listed.as_array().expect("rows").clone();
        assert!(
            listed.contains(&serde_json::json!([POST, true])),
            "{listed:?}"
        );
        assert!(
            listed.contains(&serde_json::json!([BY_HAND, false])),
            "{listed:?}"
        );
        let diff = client
            .execute(
                "return document.querySelector('#folio-editor-panel .folio-diff').textContent;",
                Vec::new(),
            )
            .await?;
        assert!(
            diff.as_str()
                .unwrap_or_default()
                .contains("+title: Published title"),
            "{diff}"
        );
        client
            .execute(
                "document.querySelector('#folio-editor-panel .folio-publish-message').value = 'New title from the editor';
                 document.querySelector('#folio-editor-panel .folio-publish-go').click();",
                Vec::new(),
            )
            .await?;
        let result = wait_for(
            &client,
            "the publish",
            "const r = document.querySelector('#folio-editor-panel .folio-publish-result');
             return r && r.textContent.startsWith('Committed') && r.textContent;",
        )
        .await;
        assert!(
            result
                .as_str()
                .unwrap_or_default()
                .contains("pushed to origin"),
            "{result}"
        );
        let committed = git(&site, &["show", "--name-only", "--format=%s", "HEAD"]);
        assert_eq!(
            committed.trim(),
            format!("New title from the editor\n\n{POST}")
        );
        let left = git(&site, &["status", "--porcelain"]);
        assert_eq!(left.trim(), format!("M {BY_HAND}"));
        let head = git(&site, &["rev-parse", "HEAD"]);
        let pushed = git(remote.path(), &["rev-parse", "main"]);
        assert_eq!(pushed, head, "not pushed");
        Ok(())
    });
}
