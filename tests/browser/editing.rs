//! What the editor's browser tests share: `folio serve --edit` on a fresh copy of
//! `examples/devrel` in Chromium, and polling the page until something holds.

use crate::support;
use fantoccini::Client;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Poll `script` (a function body returning a value) until it returns something truthy.
pub async fn wait_for(client: &Client, what: &str, script: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = client
            .execute(script, Vec::new())
            .await
            .unwrap_or(serde_json::Value::Null);
        let truthy = !matches!(
            &value,
            serde_json::Value::Null | serde_json::Value::Bool(false)
        ) && value != "";
        if truthy {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn editor_ready(client: &Client) {
    wait_for(
        client,
        "the editor",
        "return document.documentElement.getAttribute('data-folio-editor') === 'ready';",
    )
    .await;
}

/// Run `body` in Chromium against `folio serve --edit` on a fresh copy of the example site.
pub fn with_editor<F>(body: impl FnOnce(Client, String, PathBuf) -> F)
where
    F: Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    with_editor_on(|_| {}, body);
}

/// [`with_editor`], the copy changed by `prepare` before the server starts.
pub fn with_editor_on<F>(
    prepare: impl FnOnce(&Path),
    body: impl FnOnce(Client, String, PathBuf) -> F,
) where
    F: Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    crate::copy_tree(&support::devrel(), &site);
    prepare(&site);
    let server = support::dev_server_with(&site, &["--edit"]);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let result = body(client.clone(), server.base.clone(), site.clone()).await;
        let _ = client.close().await;
        if let Err(error) = result {
            panic!("WebDriver command failed: {error}");
        }
    });
}
