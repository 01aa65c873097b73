//! `_headers`: the cache lifetimes Netlify and Cloudflare Pages read from the output's root.
//!
//! Only files whose path names their content's hash may be cached for ever, since a new build
//! gives them new names: the stylesheet, the scripts and the fonts (`assets/site.<hash>.css`…,
//! each by its exact path, since an owner's own `public/assets/` files are not hashed), the
//! image copies (every `_v/` folder, folio's own), and the search's folders
//! (`folio-search/<hash>/`, the index and the client). Everything else keeps the hosts'
//! default, revalidation on every visit (`max-age=0, must-revalidate`, with the ETag answering
//! 304), so that a deploy shows at once; no rule says so for HTML, since no rule may overlap
//! another: both hosts join the values of a header that several matching rules set.
//!
//! A site's own `public/_headers` is the owner's: it is copied as every `public/` file is, and
//! none is written.

use crate::SEARCH_DIR;
use folio_render::asset_names::is_hashed;
use std::collections::BTreeSet;

/// The output path of the file.
pub const HEADERS_PATH: &str = "_headers";

/// The header of a file cached for ever.
const IMMUTABLE: &str = "  Cache-Control: public, max-age=31536000, immutable\n";

/// The `_headers` file for an output whose generated files (besides pages) are `files` and
/// whose image copies are `copies` (output paths), with or without the search index.
pub fn cache_headers<'a>(
    files: impl IntoIterator<Item = &'a str>,
    copies: impl IntoIterator<Item = &'a str>,
    search: bool,
) -> String {
    let mut rules: BTreeSet<String> = files
        .into_iter()
        .filter(|path| is_hashed(path))
        .map(|path| format!("/{path}"))
        .collect();
    rules.extend(copies.into_iter().filter_map(|path| {
        let (folder, _) = path.rsplit_once("/_v/")?;
        Some(format!("/{folder}/_v/*"))
    }));
    if search {
        rules.insert(format!("/{SEARCH_DIR}/:hash/*"));
    }
    let mut text = String::from(
        "# Written by folio build. Files named by their content's hash never change: cached for a year.\n",
    );
    for rule in rules {
        text.push_str(&rule);
        text.push('\n');
        text.push_str(IMMUTABLE);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<&str> {
        text.lines().filter(|l| l.starts_with('/')).collect()
    }

    #[test]
    fn only_files_named_by_their_hash_are_cached_for_ever() {
        let files = [
            "assets/site.0123456789ab.css",
            "assets/fonts/a-400-normal.0123456789ab.woff2",
            "assets/site.css",
            "404.html",
            "feed.xml",
        ];
        let copies = [
            "images/_v/a-800.0123456789ab.jpg",
            "images/_v/a-480.0123456789ab.jpg",
            "x/_v/b-320.0123456789ab.png.webp",
        ];
        let text = cache_headers(files, copies, true);
        assert_eq!(
            paths(&text),
            [
                "/assets/fonts/a-400-normal.0123456789ab.woff2",
                "/assets/site.0123456789ab.css",
                "/folio-search/:hash/*",
                "/images/_v/*",
                "/x/_v/*",
            ]
        );
        assert_eq!(text.matches("immutable").count(), 5);
        assert_eq!(paths(&cache_headers([], [], false)), Vec::<&str>::new());
    }
}
