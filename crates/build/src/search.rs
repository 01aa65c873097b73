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

/// Where the rendered pages to index are.
#[derive(Debug, Clone, Copy)]
pub enum RenderedPages<'a> {
    /// In memory, by output path (`folio serve`).
    InMemory(&'a HashMap<String, FileBytes>),
    /// Written under this folder (`folio build`): linked from there, not written again.
    OnDisk(&'a Path),
}

/// The Pagefind bundle (`pagefind/pagefind.js`, its WASM, the index) of the rendered `pages`
/// of `site`, as output path → contents.
/// Blocking (it runs a small async runtime of its own); do not call it from async code.
pub fn build_search_index(
    site: &Site,
    pages: RenderedPages<'_>,
) -> Result<Vec<(String, FileBytes)>, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(
            "build/search-index",
            format!("the search index could not be built: {e}"),
        )
    };
    let paths: Vec<String> = site
        .routes()
        .into_iter()
        .filter(|route| route.number == 1)
        .map(|route| output_path_for_url(&route.url))
        .collect();
    // Inside the build's temporary folder when it is on disk: the same file system, so pages
    // can be linked, and an interrupted build's cleanup takes it along. It is gone before the
    // folder is swapped in.
    let mut scratch = tempfile::Builder::new();
    scratch.prefix(".folio-search-");
    let scratch = match pages {
        RenderedPages::OnDisk(root) => scratch.tempdir_in(root),
        RenderedPages::InMemory(_) => scratch.tempdir(),
    }
    .map_err(|e| fail(&e))?;
    stage_pages(scratch.path(), &paths, pages).map_err(|e| fail(&e))?;
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

/// Put the pages at `paths` under `scratch`: written from memory, or linked from the output on
/// disk (copied where links do not work).
fn stage_pages(scratch: &Path, paths: &[String], pages: RenderedPages<'_>) -> std::io::Result<()> {
    create_folders(scratch, paths.iter().map(String::as_str))?;
    paths.par_iter().try_for_each(|path| {
        let to = scratch.join(path);
        match pages {
            // A page that failed to render is not in the output: nothing to index.
            RenderedPages::InMemory(files) => match files.get(path) {
                Some(html) => fs::write(&to, &**html),
                None => Ok(()),
            },
            RenderedPages::OnDisk(root) => {
                let from = root.join(path);
                match fs::hard_link(&from, &to) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    // Links cannot cross file systems: copied instead.
                    Err(_) => fs::copy(&from, &to).map(drop),
                    Ok(()) => Ok(()),
                }
            }
        }
    })
}
