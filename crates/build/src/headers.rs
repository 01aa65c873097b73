//! `_headers`: the cache lifetimes Netlify and Cloudflare Pages read from the output's root.
//!
//! Only files whose path names their content's hash may be cached for ever, since a new build
//! gives them new names: today the search index's folder (`folio-search/<hash>/`). Everything
//! else keeps the hosts' default, revalidation on every visit (`max-age=0, must-revalidate`, with
//! the ETag answering 304), so that a deploy shows at once. No rule overlaps another: both hosts
//! join the values of a header that several matching rules set.
//!
//! A site's own `public/_headers` is the owner's: it is copied as every `public/` file is, and
//! none is written.

use crate::SEARCH_DIR;

/// The output path of the file.
pub const HEADERS_PATH: &str = "_headers";

/// The `_headers` file for an output with (`search`) or without the search index; `None` when
/// there is nothing to say.
pub fn cache_headers(search: bool) -> Option<String> {
    search.then(|| {
        format!(
            "# Written by folio build. Files under a content hash never change: cached for a year.\n\
             /{SEARCH_DIR}/:hash/*\n  Cache-Control: public, max-age=31536000, immutable\n"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hashed_search_folder_is_cached_for_ever() {
        let text = cache_headers(true).expect("rules");
        let paths: Vec<&str> = text.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(paths, ["/folio-search/:hash/*"]);
        assert!(text.contains("immutable"));
        assert_eq!(cache_headers(false), None);
    }
}
