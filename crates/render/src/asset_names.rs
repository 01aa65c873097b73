//! Content-hashed names for the files folio writes beside the pages: `assets/site.css` is
//! written as `assets/site.<hash>.css`, so that a host may keep such a file for a year
//! (`_headers` says so) while a new build, whose changed files get new names, still shows at
//! once. The theme's own files (its fonts) are named here, once per process; the stylesheet and
//! the scripts by the build, which makes them.

use std::sync::OnceLock;

/// How many hex digits a name's hash has: 48 bits, which two versions of one file do not share
/// by chance, and short enough not to weigh on pages that name many images.
pub const TAG_LEN: usize = 12;

/// The hash in a file's name: [`TAG_LEN`] hex digits of the XXH3 hash of its bytes (not a
/// digest that resists forgery).
pub fn content_tag(bytes: &[u8]) -> String {
    tag_of(xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The tag of a hash computed elsewhere (an image's, from its cache key).
pub fn tag_of(hash: u64) -> String {
    format!("{:012x}", hash >> (64 - 4 * TAG_LEN))
}

/// `path` (`assets/site.css`) with `tag` before its extension (`assets/site.<tag>.css`), or at
/// its end when its name has none.
pub fn with_tag(path: &str, tag: &str) -> String {
    let name_at = path.rfind('/').map_or(0, |slash| slash + 1);
    match path[name_at..].rfind('.').filter(|&dot| dot > 0) {
        Some(dot) => {
            let (stem, ext) = path.split_at(name_at + dot);
            format!("{stem}.{tag}{ext}")
        }
        None => format!("{path}.{tag}"),
    }
}

/// Whether the name of the file at `path` carries a tag before its extension, as
/// [`with_tag`] puts it.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplit('.');
    let (_ext, tag) = (parts.next(), parts.next());
    let hex = |tag: &str| tag.len() == TAG_LEN && tag.bytes().all(|b| b.is_ascii_hexdigit());
    tag.is_some_and(hex) && parts.next().is_some_and(|stem| !stem.is_empty())
}

/// `path` named by the hash of its `bytes` (see [`with_tag`]).
pub fn hashed_name(path: &str, bytes: &[u8]) -> String {
    with_tag(path, &content_tag(bytes))
}

/// One of the theme's font files.
#[derive(Debug)]
pub struct Font {
    /// Its name in the theme (`dm-mono-latin-400-normal.woff2`).
    pub name: &'static str,
    /// Its name as written, under `assets/fonts/` (see [`hashed_name`]).
    pub file: String,
    /// Its contents.
    pub bytes: &'static [u8],
}

/// The theme's fonts, named once per process.
pub fn fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        crate::css::theme_fonts()
            .map(|(name, bytes)| Font {
                name,
                file: hashed_name(name, bytes),
                bytes,
            })
            .collect()
    })
}

/// The URL of the theme's font file `name` (`dm-mono-latin-400-normal.woff2`), under its
/// hashed name; under its own name if the theme has no such font.
pub fn font_url(name: &str) -> String {
    let font = fonts().iter().find(|font| font.name == name);
    format!("/assets/fonts/{}", font.map_or(name, |font| &font.file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_goes_before_the_extension_of_the_name_only() {
        assert_eq!(with_tag("assets/site.css", "ab"), "assets/site.ab.css");
        assert_eq!(with_tag("a.b/search", "ab"), "a.b/search.ab");
        assert_eq!(with_tag("x/.hidden", "ab"), "x/.hidden.ab");
        assert_eq!(
            with_tag("assets/fonts/a-400.woff2", "ab"),
            "assets/fonts/a-400.ab.woff2"
        );
    }

    #[test]
    fn hashed_names_are_told_from_others() {
        assert!(is_hashed(&hashed_name("assets/site.css", b"a")));
        assert!(is_hashed("a/b.0123456789ab.woff2"));
        assert!(!is_hashed("assets/site.css"));
        assert!(!is_hashed("a/.0123456789ab.css"));
        assert!(!is_hashed("a/0123456789ab.css"));
        assert!(!is_hashed("a/b.0123456789xy.css"));
    }

    #[test]
    fn names_change_with_the_bytes_and_only_with_them() {
        let a = hashed_name("site.css", b"body{}");
        assert_eq!(a, hashed_name("site.css", b"body{}"));
        assert_ne!(a, hashed_name("site.css", b"body{color:red}"));
        assert_eq!(a.len(), "site..css".len() + TAG_LEN);
        assert_eq!(tag_of(u64::MAX).len(), TAG_LEN);
        assert_eq!(tag_of(0).len(), TAG_LEN);
    }

    #[test]
    fn every_font_of_the_stylesheet_has_its_hashed_file() {
        let url = font_url("dm-mono-latin-400-normal.woff2");
        let file = url.strip_prefix("/assets/fonts/").expect("font folder");
        assert_ne!(file, "dm-mono-latin-400-normal.woff2");
        assert!(fonts().iter().any(|font| font.file == file));
        assert_eq!(font_url("dm-mono.woff2"), "/assets/fonts/dm-mono.woff2");
    }
}
