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
