//! The editor's form on a site with its own `.stackbit` models
//! (`tests/testsuite/fixtures/real_owner_site`): the site's labels, field groups and enum
//! labels, a button group where the model asks for one, and an owner's value kept.

use crate::support;
use std::time::{Duration, Instant};

/// Select `path` of the home page through the editor and return what the panel shows:
/// heading, group legends, field labels, and the texts of its options and buttons.
const READ_PANEL: &str = r#"
const [path, done] = [arguments[0], arguments[arguments.length - 1]];
window.FolioEditor.select("content/pages/index.md", path).then(() => {
  const panel = document.getElementById("folio-editor-panel");
  const texts = (css) => [...panel.querySelectorAll(css)].map((n) => n.textContent.trim());
  done({
    heading: texts("h3")[0],
    groups: texts("fieldset.folio-group > legend"),
    grouped: texts("fieldset.folio-group .folio-field > label"),
    labels: texts(".folio-field > label"),
    options: texts(".folio-field select option"),
    pressed: texts(".folio-buttons [aria-pressed=true]"),
    buttons: texts(".folio-buttons button"),
    swatches: [...panel.querySelectorAll(".folio-swatches button")].map((b) => b.title),
    looks: [...panel.querySelectorAll(".folio-swatches button")].map((b) => getComputedStyle(b).backgroundColor),
  });
});
"#;

#[test]
fn the_form_shows_the_sites_labels_groups_and_enum_labels() {
    if !support::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    crate::copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/testsuite/fixtures/real_owner_site"),
        &site,
    );
    let server = support::dev_server_with(&site, &["--edit"]);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (hero, button) = runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let result = async {
            client.goto(&format!("{}/", server.base)).await?;
            let deadline = Instant::now() + Duration::from_secs(15);
            while client
                .execute(
                    "return document.documentElement.getAttribute('data-folio-editor');",
                    Vec::new(),
                )
                .await?
                .as_str()
                != Some("ready")
            {
                assert!(Instant::now() < deadline, "the editor did not start");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let hero = client
                .execute_async(READ_PANEL, vec!["sections.0".into()])
                .await?;
            let button = client
                .execute_async(READ_PANEL, vec!["sections.0.actions.1".into()])
                .await?;
            Ok::<_, fantoccini::error::CmdError>((hero, button))
        }
        .await;
        let _ = client.close().await;
        result.unwrap_or_else(|error| panic!("WebDriver command failed: {error}"))
    });
    drop(driver);

    assert_eq!(hero["heading"], "Hero · sections.0", "{hero}");
    assert_eq!(hero["groups"], serde_json::json!(["Styles"]), "{hero}");
    assert_eq!(hero["grouped"][0], "Colors", "{hero}");
    let labels: Vec<&str> = hero["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    assert!(labels.starts_with(&["Title", "Actions"]), "{labels:?}");
    // A colour scheme is a swatch, named by the site's label.
    assert_eq!(
        hero["swatches"],
        serde_json::json!(["Colors A", "Midnight"]),
        "{hero}"
    );
    // Drawn in the site's colours for the scheme (the personal theme's `colors-a` is dark).
    assert_eq!(hero["looks"][0], "rgb(0, 0, 0)", "{hero}");

    assert_eq!(
        button["heading"], "Button · sections.0.actions.1",
        "{button}"
    );
    assert!(
        button["labels"]
            .as_array()
            .expect("labels")
            .contains(&"Open in a new tab".into()),
        "{button}"
    );
    assert_eq!(
        button["buttons"],
        serde_json::json!(["Primary", "Secondary", "Ghost"]),
        "{button}"
    );
    assert_eq!(button["pressed"], serde_json::json!(["Ghost"]), "{button}");
}
