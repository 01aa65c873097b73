//! A site with errors is editable (`folio serve --edit`): the toolbar stays usable and no
//! overlay covers it, the page list holds what loaded, and each problem opens its file at its
//! line in the panel's source view, where saving fixes it and the rebuild checks it again.
//! And no edit adds a problem: a required field cleared or a value the model refuses is not
//! saved, and says why at the field. A script in an uploaded SVG cannot reach the editor, nor
//! one in the Markdown preview.

use crate::editing::{editor_ready, wait_for, with_editor, with_editor_on};

/// A post whose front matter cannot be parsed (an unclosed quote on line 3).
const BROKEN: &str = "content/pages/blog/broken.md";
const BROKEN_TEXT: &str =
    "---\ntype: PostLayout\ntitle: \"Half a title\ndate: '2024-05-01'\n---\nBody.\n";
/// A page with a value its model does not allow (a warning: it renders as written).
const ODD: &str = "content/pages/info.md";

#[test]
fn a_site_with_errors_opens_and_its_error_is_fixed_in_place() {
    if !crate::support::browser_available() {
        return;
    }
    let prepare = |site: &std::path::Path| {
        std::fs::write(site.join(BROKEN), BROKEN_TEXT).expect("the broken post");
        let info = site.join(ODD);
        let text = std::fs::read_to_string(&info).expect("the info page");
        let odd = text.replacen("\ncolors: colors-a\n", "\ncolors: colors-zz\n", 1);
        assert_ne!(odd, text, "the fixture changed");
        std::fs::write(&info, odd).expect("the odd page");
    };
    with_editor_on(prepare, |client, base, site| async move {
        client.goto(&format!("{base}/")).await?;
        editor_ready(&client).await;

        // The toolbar is on top and nothing covers it; the problems are counted there.
        let bar = client
            .execute(
                "const bar = document.getElementById('folio-editor-bar').getBoundingClientRect();
                 const top = document.elementFromPoint(bar.left + bar.width / 2, bar.top + bar.height / 2);
                 return {
                   onTop: !!top.closest('#folio-editor-bar'),
                   overlay: !!document.getElementById('__folio_overlay'),
                   problems: document.querySelector('.folio-problems-button').textContent,
                   pages: [...document.querySelectorAll('.folio-pages option')].map(o => o.value),
                 };",
                Vec::new(),
            )
            .await?;
        assert_eq!(bar["onTop"], true, "something covers the toolbar: {bar}");
        assert_eq!(bar["overlay"], false, "the overlay is shown in the editor");
        // The example has a warning of its own: the count of warnings is not asserted.
        let counted = bar["problems"].as_str().unwrap_or_default();
        assert!(counted.starts_with("1 error · "), "{bar}");
        let pages = bar["pages"].as_array().expect("the page list");
        assert!(
            pages.iter().any(|p| p == "/blog/devrel-speaking-balance/") && pages.len() > 5,
            "the page list is not what loaded: {bar}"
        );

        // With errors and nothing selected, the panel lists them; the error opens its file at
        // its line.
        let listed = wait_for(
            &client,
            "the problem list",
            "return [...document.querySelectorAll('#folio-editor-panel .folio-problem')].map(p => p.textContent).join('\\n');",
        )
        .await;
        let listed = listed.as_str().unwrap_or_default().to_string();
        // The panel keeps the site's CSS out (a site rule for headings) and the page
        // reflows beside it.
        let layout = client
            .execute(
                "const site = document.createElement('style');
                 site.textContent = 'h3 { letter-spacing: 9px; text-transform: uppercase } .folio-problem { padding: 40px }';
                 document.head.append(site);
                 const panel = document.getElementById('folio-editor-panel').getBoundingClientRect();
                 const heading = document.querySelector('#folio-editor-panel h3');
                 const page = document.querySelector('.sb-page, main').getBoundingClientRect();
                 const own = getComputedStyle(document.getElementById('folio-editor-panel'));
                 const h = getComputedStyle(heading);
                 return { font: h.fontFamily === own.fontFamily, spacing: h.letterSpacing, transform: h.textTransform, pageRight: page.right, panelLeft: panel.left };",
                Vec::new(),
            )
            .await?;
        assert_eq!(
            layout["font"], true,
            "the site's font reaches the panel: {layout}"
        );
        assert_eq!(layout["spacing"], "normal", "{layout}");
        assert_eq!(layout["transform"], "none", "{layout}");
        assert!(
            layout["pageRight"].as_f64() <= layout["panelLeft"].as_f64().map(|l| l + 1.0),
            "the page is under the panel: {layout}"
        );
        assert!(listed.contains("yaml/syntax"), "{listed}");
        assert!(
            listed.contains("content/pages/blog/broken.md:3:8"),
            "{listed}"
        );
        assert!(listed.contains("colors-zz"), "{listed}");
        client
            .execute(
                "document.querySelector('.folio-problem.folio-error .folio-open-source').click();",
                Vec::new(),
            )
            .await?;
        let caret = wait_for(
            &client,
            "the source view",
            "const box = document.querySelector('#folio-editor-panel textarea.folio-source');
             if (!box || document.activeElement !== box) return null;
             const before = box.value.slice(0, box.selectionStart);
             return { line: before.split('\\n').length, column: before.length - before.lastIndexOf('\\n') };",
        )
        .await;
        assert_eq!(caret["line"], 3, "{caret}");
        assert_eq!(caret["column"], 8, "{caret}");

        // Fixed and saved: the rebuild checks it again and the error is gone.
        client
            .execute(
                "const box = document.querySelector('#folio-editor-panel textarea.folio-source');
                 box.value = box.value.replace('Half a title', 'Half a title\"');
                 box.dispatchEvent(new Event('input', { bubbles: true }));
                 document.querySelector('#folio-editor-panel .folio-save-source').click();",
                Vec::new(),
            )
            .await?;
        let result = wait_for(
            &client,
            "the check after the save",
            "const r = document.querySelector('#folio-editor-panel .folio-check-result');
             return r && r.textContent.startsWith('Checked') && r.textContent;",
        )
        .await;
        assert_eq!(result, "Checked: no problems left in this file.");
        let written = std::fs::read_to_string(site.join(BROKEN)).expect("the post");
        assert_eq!(
            written,
            BROKEN_TEXT.replace("Half a title", "Half a title\"")
        );
        wait_for(
            &client,
            "the toolbar's count without errors",
            "const b = document.querySelector('.folio-problems-button');
             return !b.classList.contains('folio-has-errors') && b.textContent.endsWith('warnings');",
        )
        .await;

        // The post renders now: the page list has it.
        client.goto(&format!("{base}/blog/broken/")).await?;
        editor_ready(&client).await;
        let title = client.execute("return document.title;", Vec::new()).await?;
        assert!(
            title.as_str().unwrap_or_default().contains("Half a title"),
            "{title}"
        );
        Ok(())
    });
}

const POST: &str = "content/pages/blog/devrel-speaking-balance.md";

#[test]
fn clearing_a_required_field_is_refused_with_a_message_and_nothing_is_written() {
    if !crate::support::browser_available() {
        return;
    }
    with_editor(|client, base, site| async move {
        client
            .goto(&format!("{base}/blog/devrel-speaking-balance/"))
            .await?;
        editor_ready(&client).await;
        let before = std::fs::read(site.join(POST)).expect("the post");
        // The title emptied in the form and committed (a change event).
        client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.select(arguments[0], '').then(() => {
                   const box = document.querySelector('#folio-editor-panel input[data-folio-path=\"title\"]');
                   box.value = '';
                   box.dispatchEvent(new Event('input', { bubbles: true }));
                   box.dispatchEvent(new Event('change', { bubbles: true }));
                   done(true);
                 });",
                vec![POST.into()],
            )
            .await?;
        let message = wait_for(
            &client,
            "the field's message",
            "const m = document.querySelector('#folio-editor-panel [data-folio-field=\"title\"] .folio-field-error');
             return m && m.textContent;",
        )
        .await;
        assert!(
            message
                .as_str()
                .unwrap_or_default()
                .contains("`title` is required"),
            "{message}"
        );
        // A value the server refuses (the model has no such type): the message is check's.
        let refused = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.apply({ op: 'set', path: 'type', value: 'Nonsense' }).then((ok) =>
                   done({ ok, status: document.querySelector('#folio-editor-bar .folio-status').textContent }));",
                Vec::new(),
            )
            .await?;
        assert_eq!(refused["ok"], false, "{refused}");
        assert!(
            refused["status"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Not saved: "),
            "{refused}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let after = std::fs::read(site.join(POST)).expect("the post");
        assert_eq!(after, before, "the post was written");
        Ok(())
    });
}

/// An SVG whose script reads the token from a page and retitles the post.
const HOSTILE_SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script><![CDATA[
(async () => {
  const page = await (await fetch('/')).text();
  const token = page.match(/folio-edit-token" content="([^"]+)/)[1];
  const headers = { 'x-folio-token': token, 'content-type': 'application/json' };
  const file = 'content/pages/blog/devrel-speaking-balance.md';
  const object = await (await fetch('/_folio/edit/api/object?file=' + file, { headers })).json();
  await fetch('/_folio/edit/api/edit', { method: 'POST', headers, body: JSON.stringify({
    file, hash: object.hash, edit: { op: 'set', path: 'title', value: 'Hacked' } }) });
})();
]]></script></svg>"#;

#[test]
fn an_uploaded_svg_with_a_script_cannot_edit() {
    if !crate::support::browser_available() {
        return;
    }
    with_editor(|client, base, site| async move {
        client.goto(&format!("{base}/")).await?;
        editor_ready(&client).await;
        let uploaded = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.FolioEditor.call('POST', 'upload?name=hostile.svg', undefined, arguments[0])
                   .then((a) => done(a.url), (e) => done('refused: ' + e.message));",
                vec![HOSTILE_SVG.into()],
            )
            .await?;
        let url = uploaded.as_str().unwrap_or_default().to_string();
        assert!(url.ends_with("hostile.svg"), "{uploaded}");
        // Opened as a document, where a browser runs its script.
        client.goto(&format!("{base}{url}")).await?;
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let post = std::fs::read_to_string(site.join(POST)).expect("the post");
        assert!(!post.contains("Hacked"), "the SVG's script edited the post");
        // The Markdown preview shows no script either: handlers and `javascript:` are dropped.
        client.goto(&format!("{base}/")).await?;
        editor_ready(&client).await;
        let shown = client
            .execute(
                "const f = window.FolioEditor.sanitised('<p onclick=\"x()\">Hi <a href=\"javascript:alert(1)\">a</a><script>bad()</script><img src=x onerror=\"y()\"></p>');
                 const box = document.createElement('div'); box.append(f); return box.innerHTML;",
                Vec::new(),
            )
            .await?;
        assert_eq!(
            shown,
            "<p>Hi <a rel=\"noopener noreferrer\">a</a><img src=\"x\"></p>"
        );
        Ok(())
    });
}
