//! Search: a [Pagefind](https://pagefind.app) index of the site's pages, built in-process with
//! the `pagefind` crate (no CLI, no Node) into `pagefind/` of the output, for the header's search
//! box (`assets/search.js`, which loads `pagefind/pagefind.js` on first use).
//!
//! Every page is indexed once (pages 2… of a paginated feed are not: they list the same posts);
//! `base.html` marks the page's own content with `data-pagefind-body`, so that the header and
//! footer are not indexed (Pagefind then drops pages without it: the "page not found" document,
//! and the pages of a site whose own `base.html` leaves the mark out, which are indexed whole),
//! and lists of other posts carry `data-pagefind-ignore`, so that a word finds the post it is in,
//! not every page that lists that post.
//!
//! Pagefind reads pages handed to it one by one on one thread, but a folder of pages on all of
//! them, so the pages to index are put in a scratch folder first: hard links to an output already
//! on disk (`folio build`), or written out from memory (`folio serve`).
//! `folio build` writes the index with the site; `folio serve` builds it on the first request
//! under `/pagefind/` after each rebuild, off the live-reload path.

use crate::output::create_folders;
use crate::FileBytes;
use folio_content::url::output_path_for_url;
use folio_content::Site;
use folio_diag::Diagnostic;
use pagefind::api::PagefindIndex;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path};
use std::sync::Arc;

/// The folder of the search index in the output.
pub const SEARCH_DIR: &str = "pagefind";

/// The Pagefind bundle (`pagefind/pagefind.js`, its WASM, the index) of the pages of `site`
/// rendered into `files`, as output path → contents. `on_disk` is a folder where those files
/// are already written, if there is one (they are linked from there rather than written again).
/// Blocking (it runs a small async runtime of its own); do not call it from async code.
pub fn build_search_index(
    site: &Site,
    files: &HashMap<String, FileBytes>,
    on_disk: Option<&Path>,
) -> Result<Vec<(String, FileBytes)>, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(
            "build/search-index",
            format!("the search index could not be built: {e}"),
        )
    };
    let pages: Vec<(String, &FileBytes)> = site
        .routes()
        .into_iter()
        .filter(|route| route.number == 1)
        .filter_map(|route| {
            let path = output_path_for_url(&route.url);
            let html = files.get(&path)?;
            Some((path, html))
        })
        .collect();
    let scratch = tempfile::Builder::new()
        .prefix("folio-search-")
        .tempdir()
        .map_err(|e| fail(&e))?;
    stage_pages(scratch.path(), &pages, on_disk).map_err(|e| fail(&e))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(&e))?;
    let folder = scratch.path().to_string_lossy().into_owned();
    let files = runtime.block_on(async {
        let mut index = PagefindIndex::new(None)?;
        index.add_directory(folder, None).await?;
        index.get_files().await
    });
    let files = files.map_err(|e| fail(&e))?;
    Ok(files
        .into_iter()
        .map(|file| {
            // Paths come under Pagefind's bundle folder; keep what is below it.
            let parts: Vec<_> = file
                .filename
                .components()
                .filter_map(|c| match c {
                    Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            let start = parts
                .iter()
                .rposition(|p| p == SEARCH_DIR)
                .map_or(0, |i| i + 1);
            let rel = parts[start..].join("/");
            let bytes: FileBytes = Arc::from(file.contents);
            (format!("{SEARCH_DIR}/{rel}"), bytes)
        })
        .collect())
}

/// Put `pages` (output path, HTML) under `scratch`: linked from `on_disk` where that works,
/// written otherwise (another file system, or no output on disk).
fn stage_pages(
    scratch: &Path,
    pages: &[(String, &FileBytes)],
    on_disk: Option<&Path>,
) -> std::io::Result<()> {
    create_folders(scratch, pages.iter().map(|(path, _)| path.as_str()))?;
    pages.par_iter().try_for_each(|(path, html)| {
        let to = scratch.join(path);
        let linked = on_disk.is_some_and(|root| fs::hard_link(root.join(path), &to).is_ok());
        if linked {
            Ok(())
        } else {
            fs::write(&to, &***html)
        }
    })
}
