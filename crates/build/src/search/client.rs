//! The search's browser code as written: the client (`client/`: the engine and Snowball's
//! stemmer) in a folder named by its hash, `folio-search/client-<hash>/`, so that its relative
//! imports stay as they are, and the header's loader (`assets/search.<hash>.js`), whose text
//! names that folder. Both may be cached for ever (`_headers`); `index.json`, which a new
//! build changes under the same name, is read from the folder above the client's.

use super::SEARCH_DIR;
use crate::FileBytes;
use folio_render::asset_names::{content_tag, hashed_name};
use folio_render::SEARCH_SCRIPT;
use std::sync::OnceLock;

/// The client's files (the engine, and Snowball's English stemmer generated from Snowball
/// 3.1.1's `english.sbl`, BSD-3-Clause, see `client/NOTICE`: the algorithm the index is stemmed
/// with), by name in its folder.
const CLIENT: [(&str, &str); 3] = [
    ("search.js", include_str!("client/search.js")),
    ("stemmer-en.js", include_str!("client/stemmer-en.js")),
    ("base-stemmer.js", include_str!("client/base-stemmer.js")),
];

/// The URL the theme's loader imports the client by, replaced with the client's real one.
const LOADER_IMPORT: &str = "/folio-search/search.js";

/// The browser code of the search, named once per process.
#[derive(Debug)]
pub struct SearchScripts {
    /// The client's files: output path (`folio-search/client-<hash>/search.js`) and contents.
    pub client: Vec<(String, FileBytes)>,
    /// The loader's output path (`assets/search.<hash>.js`).
    pub loader_path: String,
    /// The loader's contents.
    pub loader: FileBytes,
}

impl SearchScripts {
    /// The URL of the loader, for the pages' `<script>`.
    pub fn loader_url(&self) -> String {
        format!("/{}", self.loader_path)
    }

    /// The URL of the client's module (`/folio-search/client-<hash>/search.js`), which a page
    /// may import itself.
    pub fn client_url(&self) -> String {
        format!("/{}", self.client[0].0)
    }
}

/// The search's browser code (see [`SearchScripts`]).
pub fn search_scripts() -> &'static SearchScripts {
    static SCRIPTS: OnceLock<SearchScripts> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let mut all = Vec::new();
        for (name, text) in CLIENT {
            all.extend_from_slice(name.as_bytes());
            all.push(0);
            all.extend_from_slice(text.as_bytes());
        }
        let folder = format!("{SEARCH_DIR}/client-{}", content_tag(&all));
        let client = CLIENT
            .iter()
            .map(|(name, text)| (format!("{folder}/{name}"), FileBytes::from(text.as_bytes())))
            .collect();
        let loader = SEARCH_SCRIPT.replace(LOADER_IMPORT, &format!("/{folder}/search.js"));
        SearchScripts {
            client,
            loader_path: hashed_name("assets/search.js", loader.as_bytes()),
            loader: FileBytes::from(loader.into_bytes()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_imports_the_client_by_its_hashed_folder() {
        let scripts = search_scripts();
        let engine = scripts.client_url();
        assert!(engine.starts_with("/folio-search/client-") && engine.ends_with("/search.js"));
        let loader = std::str::from_utf8(&scripts.loader).expect("text");
        assert!(loader.contains(&format!("'{engine}'")), "{loader}");
        assert!(!loader.contains(&format!("'{LOADER_IMPORT}'")));
        assert!(scripts.loader_path.starts_with("assets/search."));
        assert_ne!(scripts.loader_path, "assets/search.js");
    }

    #[test]
    fn the_client_reads_the_index_from_the_folder_above_its_own() {
        let engine = std::str::from_utf8(&search_scripts().client[0].1).expect("text");
        assert!(engine.contains("new URL('..', import.meta.url)"));
    }
}
