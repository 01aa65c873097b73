//! A dropdown of `subLinks` (starter family) opens without JavaScript: on hover, and for the
//! keyboard while a link inside it has focus (`:focus-within`).

use crate::support;

#[test]
fn a_dropdown_opens_for_the_keyboard_without_script() {
    if !support::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    let write = |rel: &str, text: &str| {
        let path = site.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "content/data/config.json",
        r#"{"type": "Config", "header": {"type": "Header", "title": "Firm", "isTitleVisible": true,
  "primaryLinks": [{"type": "Link", "label": "Services", "url": "/",
    "subLinks": [{"type": "Link", "label": "Partners", "url": "/"}]}]}}"#,
    );
    write(
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );
    let built = support::build(&site);
    let base = support::serve(&built.out);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let states = runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let result = async {
            client.set_window_size(1280, 800).await?;
            client.goto(&format!("{base}/")).await?;
            // Display of the menu before, while its parent link has focus, and while its own
            // link has focus (the focus Tab gives a keyboard user).
            let script = r#"
                const menu = document.querySelector('.sb-dropdown-menu');
                const shown = () => getComputedStyle(menu).display;
                const before = shown();
                document.querySelector('.sb-dropdown > a').focus();
                const parent = shown();
                menu.querySelector('a').focus();
                const inside = shown();
                const focused = document.activeElement.textContent.trim();
                return [before, parent, inside, focused];
            "#;
            client.execute(script, Vec::new()).await
        }
        .await;
        let _ = client.close().await;
        result.unwrap_or_else(|error| panic!("WebDriver command failed: {error}"))
    });
    drop(driver);
    assert_eq!(
        states,
        serde_json::json!(["none", "block", "block", "Partners"]),
        "the dropdown's display: hidden, open on focus, open while inside"
    );
}

/// On a phone (390 px) the header is the title and the menu button, as the original's: the
/// search box is in the menu. No page of the portfolio overflows the viewport, with its web
/// fonts or with the fallback font (what a capture with fonts blocked shows).
#[test]
fn phone_pages_fit_the_viewport_and_search_is_in_the_menu() {
    if !support::browser_available() {
        return;
    }
    let built = support::build(&support::portfolio());
    let base = support::serve(&built.out);
    let pages = support::page_paths(&built.out);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let problems = runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let result = async {
            client.set_window_size(390, 844).await?;
            let mut problems = Vec::new();
            for page in &pages {
                client.goto(&format!("{base}{page}")).await?;
                for fallback in [false, true] {
                    let script = r#"
                        if (arguments[0]) {
                            const s = document.createElement('style');
                            s.textContent = '*{font-family:monospace !important}';
                            document.head.append(s);
                        }
                        const visible = (n) => n.getClientRects().length > 0
                            && getComputedStyle(n).visibility !== 'hidden';
                        const barSearch = [...document.querySelectorAll('header [data-folio-search]')]
                            .filter((n) => !n.closest('details') && visible(n)).length;
                        const root = document.documentElement;
                        const overflow = Math.max(0, root.scrollWidth - root.clientWidth);
                        document.querySelector('.sb-header-menu summary')?.click();
                        const menuSearch = [...document.querySelectorAll('.sb-header-menu [data-folio-search] input')]
                            .filter(visible).length;
                        document.querySelector('.sb-header-menu summary')?.click();
                        return [barSearch, overflow, menuSearch];
                    "#;
                    let found = client.execute(script, vec![fallback.into()]).await?;
                    if found != serde_json::json!([0, 0, 1]) {
                        problems.push(format!(
                            "{page} (fallback font: {fallback}): [search in the bar, px overflowing, search in the menu] = {found}"
                        ));
                    }
                }
            }
            Ok::<_, fantoccini::error::CmdError>(problems)
        }
        .await;
        let _ = client.close().await;
        result.unwrap_or_else(|error| panic!("WebDriver command failed: {error}"))
    });
    drop(driver);
    assert!(problems.is_empty(), "{problems:#?}");
}
