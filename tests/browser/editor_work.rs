//! The editor never loses work (`folio serve --edit` on a copy of `examples/devrel`): text
//! typed and not saved holds live reload back and survives a change made elsewhere, with a
//! review of mine against theirs; undo refuses to overwrite a later change; a deleted page
//! goes to the trash and undo brings it back.

use crate::editing::{editor_ready, wait_for, with_editor};
use crate::support;
use std::path::Path;
use std::time::{Duration, Instant};

const POST: &str = "content/pages/blog/devrel-speaking-balance.md";
const POST_URL: &str = "/blog/devrel-speaking-balance/";

fn replace_in(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("the post");
    assert!(text.contains(from), "the fixture changed: {from:?}");
    std::fs::write(file, text.replacen(from, to, 1)).expect("written elsewhere");
}

#[test]
fn typed_text_survives_a_change_made_elsewhere_and_is_reviewed() {
    if !support::browser_available() {
        return;
    }
    with_editor(|client, base, site| async move {
        client.goto(&format!("{base}{POST_URL}")).await?;
        editor_ready(&client).await;
        // Typed into the form's title and not saved (no change event yet).
        client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.select(arguments[0], '').then(() => {
                   const box = document.querySelector('#folio-editor-panel input[data-folio-path=\"title\"]');
                   box.focus();
                   box.value = 'My unsaved title';
                   box.dispatchEvent(new Event('input', { bubbles: true }));
                   window.__sameDocument = true;
                   done(true);
                 });",
                vec![POST.into()],
            )
            .await?;
        // Changed elsewhere: the excerpt, on disk.
        let file = site.join(POST);
        replace_in(&file, "excerpt: ", "excerpt: Changed on disk. ");
        wait_for(
            &client,
            "the notice that the page changed elsewhere",
            "const n = document.querySelector('#folio-editor-bar .folio-notice');
             return n && n.textContent.includes('Changed elsewhere');",
        )
        .await;
        let same = client
            .execute("return window.__sameDocument === true;", Vec::new())
            .await?;
        assert_eq!(same, true, "the page reloaded over the typed text");
        let typed = client
            .execute(
                "return document.querySelector('#folio-editor-panel input[data-folio-path=\"title\"]').value;",
                Vec::new(),
            )
            .await?;
        assert_eq!(typed, "My unsaved title");

        // The review: the title was not changed elsewhere, so mine applies as it is.
        client
            .find(fantoccini::Locator::Css("#folio-editor-bar .folio-review"))
            .await?
            .click()
            .await?;
        let review = wait_for(
            &client,
            "the review",
            "const r = document.querySelector('.folio-review-list');
             return r && r.textContent;",
        )
        .await;
        let review = review.as_str().unwrap_or_default();
        assert!(review.contains("· title"), "{review}");
        assert!(review.contains("Not changed elsewhere"), "{review}");
        client
            .find(fantoccini::Locator::Css(".folio-keep-mine"))
            .await?
            .click()
            .await?;
        client
            .find(fantoccini::Locator::Css(".folio-review-done"))
            .await?
            .click()
            .await?;
        // Reloaded: the excerpt from disk shows, and the title field holds my text, unsaved.
        wait_for(
            &client,
            "the reloaded page",
            "return window.__sameDocument !== true && document.documentElement.getAttribute('data-folio-editor') === 'ready';",
        )
        .await;
        let restored = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.select(arguments[0], '').then(() => {
                   const box = document.querySelector('#folio-editor-panel input[data-folio-path=\"title\"]');
                   done([box.value, box.classList.contains('folio-dirty')]);
                 });",
                vec![POST.into()],
            )
            .await?;
        assert_eq!(restored, serde_json::json!(["My unsaved title", true]));
        let text = std::fs::read_to_string(&file).expect("the post");
        assert!(text.contains("excerpt: Changed on disk. "), "theirs kept");
        assert!(!text.contains("My unsaved title"), "nothing saved yet");
        Ok(())
    });
}

#[test]
fn undo_never_overwrites_a_later_change_and_restores_a_deleted_page() {
    if !support::browser_available() {
        return;
    }
    with_editor(|client, base, site| async move {
        client.goto(&format!("{base}{POST_URL}")).await?;
        editor_ready(&client).await;
        let file = site.join(POST);
        // An edit through the editor, then a later change of the same file elsewhere.
        client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.select(arguments[0], '')
                   .then(() => window.FolioEditor.apply({ op: 'set', path: 'title', value: 'Edited here' }))
                   .then(done);",
                vec![POST.into()],
            )
            .await?;
        assert!(std::fs::read_to_string(&file)
            .expect("post")
            .contains("title: Edited here"));
        let shows = |title: &str| {
            format!(
                "const h = document.querySelector('main h1');
                 return !!h && h.textContent.trim() === '{title}'
                   && document.documentElement.getAttribute('data-folio-editor') === 'ready';"
            )
        };
        wait_for(&client, "the edit", &shows("Edited here")).await;
        replace_in(&file, "title: Edited here", "title: Edited elsewhere");
        wait_for(&client, "the change elsewhere", &shows("Edited elsewhere")).await;
        client
            .find(fantoccini::Locator::Css("#folio-editor-bar .folio-undo"))
            .await?
            .click()
            .await?;
        let status = wait_for(
            &client,
            "undo's answer",
            "const s = document.querySelector('#folio-editor-bar .folio-status').textContent;
             return s.startsWith('Not undone') && s;",
        )
        .await;
        assert!(
            status.as_str().unwrap_or_default().contains(POST),
            "{status}"
        );
        let text = std::fs::read_to_string(&file).expect("post");
        assert!(
            text.contains("title: Edited elsewhere"),
            "overwritten:\n{text}"
        );

        // Delete the page: it goes to the trash, and undo restores it byte for byte.
        let before = std::fs::read(&file).expect("post");
        client.goto(&format!("{base}{POST_URL}")).await?;
        editor_ready(&client).await;
        client
            .execute("window.confirm = () => true;", Vec::new())
            .await?;
        client
            .find(fantoccini::Locator::XPath(
                "//div[@id='folio-editor-bar']/button[text()='Delete page']",
            ))
            .await?
            .click()
            .await?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while file.exists() {
            assert!(Instant::now() < deadline, "not deleted");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wait_for(
            &client,
            "the home page",
            "return location.pathname === '/' && document.documentElement.getAttribute('data-folio-editor') === 'ready';",
        )
        .await;
        let listed = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.call('GET', 'trash').then((t) => done(t.trash.map((e) => e.file)));",
                Vec::new(),
            )
            .await?;
        assert_eq!(listed, serde_json::json!([POST]));
        client
            .find(fantoccini::Locator::Css("#folio-editor-bar .folio-undo"))
            .await?
            .click()
            .await?;
        wait_for(
            &client,
            "the restored page",
            &format!("return location.pathname === '{POST_URL}';"),
        )
        .await;
        assert_eq!(std::fs::read(&file).expect("restored"), before);
        Ok(())
    });
}
