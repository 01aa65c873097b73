//! Finding content in the editor: the content list holds every page and data file, searched
//! and filtered by model, and opens a data file's form; in browse mode (or with Alt) a click
//! on a site link navigates instead of selecting.

use crate::editing::{editor_ready, wait_for, with_editor};

#[test]
fn the_content_list_finds_data_files_and_browse_mode_follows_links() {
    if !crate::support::browser_available() {
        return;
    }
    with_editor(|client, base, _site| async move {
        client.goto(&format!("{base}/blog/")).await?;
        editor_ready(&client).await;
        client
            .execute(
                "document.querySelector('#folio-editor-bar .folio-content-button').click();",
                Vec::new(),
            )
            .await?;
        let all = wait_for(
            &client,
            "the content list",
            "const rows = [...document.querySelectorAll('#folio-editor-panel .folio-content-list button')];
             return rows.length && rows.map(b => b.title);",
        )
        .await;
        let all: Vec<String> = serde_json::from_value(all).expect("titles");
        for file in [
            "content/data/config.json",
            "content/data/team/jason-hand.json",
            "content/pages/blog/devrel-speaking-balance.md",
        ] {
            assert!(
                all.iter().any(|f| f == file),
                "{file} is not listed: {all:?}"
            );
        }
        // Filtered by model, then opened: a data file's form.
        let people = client
            .execute(
                "const filter = document.querySelector('#folio-editor-panel .folio-content select');
                 filter.value = 'Person';
                 filter.dispatchEvent(new Event('change'));
                 const rows = [...document.querySelectorAll('#folio-editor-panel .folio-content-list button')];
                 const titles = rows.map(b => b.title);
                 rows[0].click();
                 return titles;",
                Vec::new(),
            )
            .await?;
        let people: Vec<String> = serde_json::from_value(people).expect("titles");
        assert!(
            people
                .first()
                .is_some_and(|f| f == "content/data/team/jason-hand.json")
                && people.iter().all(|f| f.starts_with("content/data/team/")),
            "{people:?}"
        );
        wait_for(
            &client,
            "the person's form",
            "const h = document.querySelector('#folio-editor-panel strong');
             return h && h.textContent === 'content/data/team/jason-hand.json';",
        )
        .await;

        // A header link selects its field while editing; in browse mode it navigates.
        let link = "document.querySelector('header a[href=\"/\"]:not(.sb-skip-link)')";
        client
            .execute(&format!("{link}.click();"), Vec::new())
            .await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let url = client.current_url().await?;
        assert!(
            url.path().starts_with("/blog"),
            "navigated while selecting: {url}"
        );
        client
            .execute(
                &format!("document.querySelector('#folio-editor-bar .folio-browse').click(); {link}.click();"),
                Vec::new(),
            )
            .await?;
        wait_for(
            &client,
            "the home page",
            "return location.pathname === '/' && document.documentElement.getAttribute('data-folio-editor') === 'ready';",
        )
        .await;
        Ok(())
    });
}
