//! The `<img>` attributes of a local image: its intrinsic `width` and `height`, the `srcset` of
//! its resized variants (made by the build, see `folio_build::images`) with a `sizes`, and
//! `loading="lazy" decoding="async"` unless the image is above the fold (`eager`).

use std::collections::BTreeMap;
use std::fmt::Write;

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Its width in pixels.
    pub width: u32,
    /// Where it is served (`/images/_v/photo-800.jpg`).
    pub url: String,
}

/// The resized copies of one image, narrowest first: in its own format, and in WebP where
/// that is smaller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ImageSet {
    /// Copies in the image's own format.
    pub variants: Vec<Variant>,
    /// WebP copies, used only when each is smaller than its counterpart: lossy for photos
    /// (JPEG, and PNG that compresses as a photo), lossless for other PNG images.
    pub webp: Vec<Variant>,
}

/// The resized copies of every image that has some, by URL (`/images/photo.jpg`).
pub type ImageSets = BTreeMap<String, ImageSet>;

/// `sizes` when the caller gives none: as wide as the viewport, up to the widest layout.
pub const DEFAULT_SIZES: &str = "(min-width: 1280px) 1280px, 100vw";

/// The attributes after `src`: ` width="W" height="H"` when the size is known, ` srcset="…"
/// sizes="…"` when the image has variants (the original is the widest candidate), and
/// ` loading="lazy" decoding="async"` unless `eager`.
pub fn img_attributes(
    size: Option<(usize, usize)>,
    set: Option<&ImageSet>,
    src: &str,
    eager: bool,
    sizes: Option<&str>,
) -> String {
    let mut out = String::new();
    if let Some((w, h)) = size {
        let _ = write!(out, " width=\"{w}\" height=\"{h}\"");
    }
    if let (Some(set), Some((w, _))) = (set, size) {
        if !set.variants.is_empty() {
            let _ = write!(
                out,
                " srcset=\"{}\" sizes=\"{}\"",
                srcset(&set.variants, src, w),
                crate::escape_html(sizes.unwrap_or(DEFAULT_SIZES))
            );
        }
    }
    if !eager {
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    out
}

/// `<source type="image/webp" srcset="…" sizes="…">` for a `<picture>` around the image, or
/// nothing when it has no WebP copies.
pub fn webp_source(
    set: Option<&ImageSet>,
    size: Option<(usize, usize)>,
    sizes: Option<&str>,
) -> String {
    match (set, size) {
        (Some(set), Some(_)) if !set.webp.is_empty() => format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
            set.webp
                .iter()
                .map(|v| format!("{} {}w", candidate_url(&v.url), v.width))
                .collect::<Vec<_>>()
                .join(", "),
            crate::escape_html(sizes.unwrap_or(DEFAULT_SIZES))
        ),
        _ => String::new(),
    }
}

fn srcset(variants: &[Variant], src: &str, width: usize) -> String {
    let mut list: Vec<String> = variants
        .iter()
        .map(|v| format!("{} {}w", candidate_url(&v.url), v.width))
        .collect();
    list.push(format!("{} {width}w", candidate_url(src)));
    list.join(", ")
}

/// Bytes a `srcset` candidate URL cannot hold as they are: a space ends the URL and a comma
/// may end the candidate, so `/images/my photo.jpg` is written `/images/my%20photo.jpg`
/// (a `%` already there is kept: the URL may be encoded already).
const SRCSET_UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b',')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\'')
    .add(b'`');

/// `url` as a `srcset` candidate: percent-encoded where it must be, then escaped for HTML.
fn candidate_url(url: &str) -> String {
    crate::escape_html(&percent_encoding::utf8_percent_encode(url, SRCSET_UNSAFE).to_string())
}

/// `html` (a whole page) with its first image in `<main>` loaded first: not lazily, and with
/// `fetchpriority="high"`, when it is in the page's first or second section (or before any,
/// as a post's media). That image is the page's largest paint more often than not (a hero, a
/// feed's first card), and a lazy one waits for layout before it is even requested.
pub(crate) fn prioritise_first_image(html: String) -> String {
    const SECTION: &str = "class=\"sb-component sb-component-section";
    let Some(main) = html.find("<main") else {
        return html;
    };
    let Some(img) = html[main..].find("<img ").map(|i| main + i) else {
        return html;
    };
    if html[main..img].matches(SECTION).count() > 2 {
        return html;
    }
    let Some(end) = html[img..].find('>').map(|e| img + e) else {
        return html;
    };
    let tag = &html[img..end];
    if tag.contains("fetchpriority=") {
        return html;
    }
    let tag = tag.replacen(" loading=\"lazy\"", "", 1);
    let tag = match tag.strip_suffix('/') {
        Some(open) => format!("{} fetchpriority=\"high\"/", open.trim_end()),
        None => format!("{tag} fetchpriority=\"high\""),
    };
    let mut out = String::with_capacity(html.len() + 24);
    out.push_str(&html[..img]);
    out.push_str(&tag);
    out.push_str(&html[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_image_of_the_main_content_loads_first() {
        let page = r#"<header><img src="/logo.svg" alt=""></header><main><div class="sb-component sb-component-section a"><img src="/hero.jpg" loading="lazy" decoding="async" alt=""></div><img src="/b.jpg" loading="lazy" alt=""></main>"#;
        let html = prioritise_first_image(page.to_string());
        assert!(html.contains(r#"<img src="/logo.svg" alt="">"#), "{html}");
        assert!(
            html.contains(r#"<img src="/hero.jpg" decoding="async" alt="" fetchpriority="high">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<img src="/b.jpg" loading="lazy" alt="">"#),
            "{html}"
        );
        assert_eq!(prioritise_first_image(html.clone()), html, "once only");
    }

    #[test]
    fn an_image_far_down_the_page_stays_lazy() {
        let section = r#"<div class="sb-component sb-component-section x"><p>text</p></div>"#;
        let page = format!(
            r#"<main>{section}{section}{section}<img src="/late.jpg" loading="lazy" alt=""></main>"#
        );
        assert_eq!(prioritise_first_image(page.clone()), page);
        let no_main = r#"<img src="/a.jpg" loading="lazy">"#.to_string();
        assert_eq!(prioritise_first_image(no_main.clone()), no_main);
    }

    #[test]
    fn lazy_images_with_variants_get_a_srcset_ending_with_the_original() {
        let set = ImageSet {
            variants: vec![Variant {
                width: 480,
                url: "/i/_v/a-480.jpg".into(),
            }],
            webp: Vec::new(),
        };
        assert_eq!(
            img_attributes(Some((900, 600)), Some(&set), "/i/a.jpg", false, Some("50vw")),
            " width=\"900\" height=\"600\" srcset=\"/i/_v/a-480.jpg 480w, /i/a.jpg 900w\" sizes=\"50vw\" loading=\"lazy\" decoding=\"async\""
        );
        assert_eq!(
            img_attributes(Some((10, 5)), None, "/i/b.png", true, None),
            " width=\"10\" height=\"5\""
        );
        assert_eq!(webp_source(Some(&set), Some((900, 600)), None), "");
    }

    #[test]
    fn srcset_urls_with_spaces_and_commas_are_percent_encoded() {
        assert_eq!(
            candidate_url("/images/my photo, 2.jpg"),
            "/images/my%20photo%2C%202.jpg"
        );
        assert_eq!(
            candidate_url("/images/already%20encoded.jpg"),
            "/images/already%20encoded.jpg"
        );
        assert_eq!(candidate_url("/images/café.jpg"), "/images/caf%C3%A9.jpg");
    }
}
