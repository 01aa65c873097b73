//! Search: folio's own index of the site's pages, written into `folio-search/` of the output
//! with its browser client, for the header's search box (`assets/search.<hash>.js` imports
//! `folio-search/client-<hash>/search.js` on first use, see [`client`]). No WASM and no server: the client fetches the
//! index's small `index.json`, then only the dictionary chunks of the words typed and the texts
//! of the results shown (see [`index`] for the files and [`words`] for what a word is).
//!
//! Why not Pagefind, which folio used before: indexing 10,000 posts took Pagefind 12 s and
//! 1.5 GB of memory (in-process or as its CLI), 80 % of a default build; this index takes a
//! fraction of a second in the same pass over the pages in memory, and a first query fetches
//! no more bytes (`cargo xtask bench` measures both, with recall and precision on the same
//! queries).
//!
//! Every page is indexed once (pages 2… of a paginated feed are not: they list the same posts).
//! `folio build` indexes the pages it renders, in memory; `folio serve` builds the index on the
//! first request under `/folio-search/` after each rebuild, re-reading only the pages whose HTML
//! changed ([`SearchIndexer`] keeps the others' entries).

mod client;
mod extract;
mod index;
mod words;

use crate::FileBytes;
pub use client::{search_scripts, SearchScripts};
use extract::page_text;
use folio_content::url::output_path_for_url;
use folio_content::Site;
use index::{index_files, page_entry, PageEntry};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use words::{stems, Terms};

/// The folder of the search index in the output.
pub const SEARCH_DIR: &str = "folio-search";

/// Builds search indexes, keeping each page's entry for the next build of the same site, so
/// that a rebuild reads only the pages whose HTML changed (`folio serve`).
#[derive(Debug, Default)]
pub struct SearchIndexer {
    /// Output path → (hash of its HTML, what it gave the index).
    known: Mutex<FxHashMap<String, (u64, ReadPage)>>,
    /// How many pages the last index read anew.
    read_anew: AtomicUsize,
}

impl SearchIndexer {
    /// The files of the index of `site`'s rendered `pages` (output path → HTML), as output
    /// path → contents, client included.
    pub fn index(
        &self,
        site: &Site,
        pages: &HashMap<String, FileBytes>,
    ) -> Vec<(String, FileBytes)> {
        let paths: Vec<(&String, String)> = indexed_pages(site)
            .into_iter()
            // A page that failed to render is not in the output: nothing to index.
            .filter_map(|(path, url)| pages.get_key_value(&path).map(|(p, _)| (p, url)))
            .collect();
        let language = paths
            .first()
            .map(|(p, _)| html_language(&pages[*p]))
            .unwrap_or_default();
        let known = std::mem::take(&mut *self.known.lock().unwrap_or_else(|p| p.into_inner()));
        self.read_anew.store(0, Ordering::Relaxed);
        let read: Vec<(String, u64, ReadPage)> = paths
            .par_iter()
            .map_init(
                || Terms::for_language(&language),
                |terms, &(path, ref url)| {
                    let html = &pages[path];
                    let hash = xxhash_rust::xxh3::xxh3_64(html);
                    let page = match known.get(path) {
                        Some((seen, page)) if *seen == hash => page.clone(),
                        _ => {
                            self.read_anew.fetch_add(1, Ordering::Relaxed);
                            read_page(url, html, terms)
                        }
                    };
                    (path.clone(), hash, page)
                },
            )
            .collect();
        let files = finish(
            read.iter().map(|(path, _, page)| (path.as_str(), page)),
            &language,
        );
        *self.known.lock().unwrap_or_else(|p| p.into_inner()) = read
            .into_iter()
            .map(|(path, hash, page)| (path, (hash, page)))
            .collect();
        files
    }

    /// How many pages the last [`SearchIndexer::index`] read (the others were unchanged).
    pub fn pages_read(&self) -> usize {
        self.read_anew.load(Ordering::Relaxed)
    }
}

/// The search index of `site`'s rendered `pages`, read afresh (see [`SearchIndexer::index`]).
pub fn build_search_index(
    site: &Site,
    pages: &HashMap<String, FileBytes>,
) -> Vec<(String, FileBytes)> {
    SearchIndexer::default().index(site, pages)
}

/// Reads pages into the index as `folio build` renders them: its render threads hand each page
/// here as they write it, so the index costs no second pass over the output.
#[derive(Debug)]
pub struct SearchCollector {
    /// The output paths to index, with their pages' URLs.
    wanted: FxHashMap<String, String>,
    /// The site's language: the first page's.
    language: OnceLock<String>,
    /// Idle stemmers with their caches, one per thread at work.
    terms: Mutex<Vec<Terms>>,
    read: Mutex<Vec<(String, ReadPage)>>,
}

impl SearchCollector {
    /// A collector for the pages of `site`.
    pub fn new(site: &Site) -> SearchCollector {
        SearchCollector {
            wanted: indexed_pages(site).into_iter().collect(),
            language: OnceLock::new(),
            terms: Mutex::default(),
            read: Mutex::default(),
        }
    }

    /// Read the page written at `path` (other files are passed over).
    pub fn page(&self, path: &str, html: &[u8]) {
        let Some(url) = self.wanted.get(path) else {
            return;
        };
        let language = self.language.get_or_init(|| html_language(html));
        let pool = || self.terms.lock().unwrap_or_else(|p| p.into_inner());
        let mut terms = pool()
            .pop()
            .unwrap_or_else(|| Terms::for_language(language));
        let page = read_page(url, html, &mut terms);
        pool().push(terms);
        let mut read = self.read.lock().unwrap_or_else(|p| p.into_inner());
        read.push((path.to_owned(), page));
    }

    /// The files of the index of the pages read, as output path → contents, client included.
    pub fn files(self) -> Vec<(String, FileBytes)> {
        let language = self.language.into_inner().unwrap_or_default();
        let read = self.read.into_inner().unwrap_or_else(|p| p.into_inner());
        finish(
            read.iter().map(|(path, page)| (path.as_str(), page)),
            &language,
        )
    }
}

/// What one page gave the index: its entry, and whether it carried the body mark (`None`:
/// nothing to index, it is not HTML).
#[derive(Debug, Clone)]
struct ReadPage(Option<(bool, Arc<PageEntry>)>);

/// Read the page at `url`.
fn read_page(url: &str, html: &[u8], terms: &mut Terms) -> ReadPage {
    let Ok(html) = std::str::from_utf8(html) else {
        return ReadPage(None);
    };
    let text = page_text(html);
    let entry = page_entry(url, &text, terms);
    ReadPage(Some((text.marked, Arc::new(entry))))
}

/// The output paths and URLs of the pages to index: every page once (not pages 2… of a feed).
fn indexed_pages(site: &Site) -> Vec<(String, String)> {
    site.routes()
        .into_iter()
        .filter(|route| route.number == 1)
        .map(|route| (output_path_for_url(&route.url), route.url))
        .collect()
}

/// The index files of the pages `read`, in path order (so that a build is reproducible
/// whatever order its threads read them in), and the client: output path → contents. Pages
/// without the body mark are left out when others have it (see [`extract`]).
fn finish<'a>(
    read: impl Iterator<Item = (&'a str, &'a ReadPage)>,
    language: &str,
) -> Vec<(String, FileBytes)> {
    let mut read: Vec<(&str, bool, &Arc<PageEntry>)> = read
        .filter_map(|(path, page)| {
            page.0
                .as_ref()
                .map(|(marked, entry)| (path, *marked, entry))
        })
        .collect();
    read.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let marks_bodies = read.iter().any(|(_, marked, _)| *marked);
    let entries: Vec<Arc<PageEntry>> = read
        .into_iter()
        .filter(|(_, marked, _)| *marked || !marks_bodies)
        .map(|(_, _, entry)| Arc::clone(entry))
        .collect();
    let mut files = search_scripts().client.clone();
    files.extend(
        index_files(&entries, language, stems(language))
            .into_iter()
            .map(|(path, bytes)| (format!("{SEARCH_DIR}/{path}"), FileBytes::from(bytes))),
    );
    files
}

/// The `lang` of the page's `<html>` element (empty when it has none).
fn html_language(html: &[u8]) -> String {
    let Some(start) = memchr::memmem::find(html, b"<html") else {
        return String::new();
    };
    let tag = String::from_utf8_lossy(&html[start..html.len().min(start + 512)]);
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let Some(at) = tag.find("lang=") else {
        return String::new();
    };
    tag[at + 5..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_the_html_element() {
        assert_eq!(
            html_language(b"<!doctype html><html lang=\"en-GB\" class=x>"),
            "en-GB"
        );
        assert_eq!(html_language(b"<html class=x><p lang=fr>"), "");
        assert_eq!(html_language(b"no html"), "");
    }

    /// The "page not found" document has no body mark where every other page has one: it is
    /// left out; a site whose pages have none is indexed whole.
    #[test]
    fn pages_without_the_body_mark_are_left_out_only_when_others_have_it() {
        let marked =
            b"<html><body><main data-pagefind-body><h1>Post</h1>words</main></body></html>";
        let whole = b"<html><body><h1>Not found</h1></body></html>";
        let mut terms = Terms::for_language("en");
        let post = read_page("/post/", marked, &mut terms);
        let missing = read_page("/404/", whole, &mut terms);
        let pages_of = |read: &[(&str, &ReadPage)]| -> serde_json::Value {
            let files = finish(read.iter().copied(), "en");
            let index = files
                .iter()
                .find(|(path, _)| path == "folio-search/index.json")
                .expect("index.json");
            serde_json::from_slice::<serde_json::Value>(&index.1).expect("json")["pages"].clone()
        };
        assert_eq!(pages_of(&[("post", &post), ("404", &missing)]), 1);
        assert_eq!(pages_of(&[("404", &missing)]), 1, "indexed whole");
    }
}
