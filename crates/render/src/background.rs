//! The page background (`backgroundImage` of a page, drawn over the whole viewport) chosen by
//! the viewport, as `srcset` chooses an `<img>`: a `<style>` with one rule per copy of the
//! image, each under the media query of the viewports that need more pixels than the copy
//! before it.
//!
//! A background has no `srcset`, and `image-set()` chooses by pixel density only, which sends
//! a 1,600 px copy to every phone. What a viewport needs is known here, because the layer is
//! exactly the viewport (`fixed inset-0`): `cover` scales the image until it covers both sides,
//! so the width it needs is the larger of the viewport's width and its height times the image's
//! aspect; `contain` needs the smaller of the two. Times the density, for 1, 2 and 3 device
//! pixels per CSS pixel.
//!
//! The rules are `!important`, so that the inline `background-image` stays in the element as it
//! always was (the original's markup, and a fallback wherever the `<style>` is not applied),
//! and the browser fetches only the copy that wins. Other sizes (`auto`, lengths) and tiled
//! backgrounds keep the original: their drawn size does not follow the viewport.

use crate::responsive::ImageSet;
use std::fmt::Write;
use std::hash::{Hash, Hasher};

/// The densities a media query distinguishes (device pixels per CSS pixel).
const DENSITIES: [u32; 3] = [1, 2, 3];

/// How a background is scaled to its layer, where that follows the viewport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// `background-size: cover`.
    Cover,
    /// `background-size: contain`.
    Contain,
}

impl Fit {
    /// The fit for a `backgroundSize` value; `None` for sizes that do not follow the viewport.
    pub fn from_size(size: &str) -> Option<Fit> {
        match size {
            "cover" => Some(Fit::Cover),
            "contain" => Some(Fit::Contain),
            _ => None,
        }
    }
}

/// A viewport-chosen background: the class to add to the layer and the `<style>` that defines
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Background {
    /// `folio-bg-…`, named after the image's URL and fit.
    pub class: String,
    /// `<style>…</style>`, to place before the layer.
    pub style: String,
}

/// The background for `url` (of `size` pixels) with its copies `set`, or `None` when there is
/// nothing to choose (no copies, no known size).
pub fn responsive_background(
    url: &str,
    size: Option<(usize, usize)>,
    set: Option<&ImageSet>,
    fit: Fit,
) -> Option<Background> {
    let (width, height) = size.filter(|(w, h)| *w > 0 && *h > 0)?;
    let set = set.filter(|s| !s.variants.is_empty())?;
    let candidates = candidates(url, width, set);
    let aspect = width as f64 / height as f64;
    let class = class_name(url, fit);
    let mut style = String::from("<style>");
    let rule = |style: &mut String, url: &str| {
        let _ = write!(
            style,
            ".{class}{{background-image:url(\"{}\")!important}}",
            css_string(url)
        );
    };
    rule(&mut style, &candidates[0].1);
    for pair in candidates.windows(2) {
        let (narrower, (_, url)) = (pair[0].0, &pair[1]);
        let _ = write!(style, "@media {}{{", needs_more_than(narrower, aspect, fit));
        rule(&mut style, url);
        style.push('}');
    }
    style.push_str("</style>");
    Some(Background { class, style })
}

/// (width, URL) of each copy, narrowest first, ending with the image at its own width: WebP
/// where the set has a WebP copy of that width (every browser that reads media queries on
/// resolution reads WebP), else the copy in the image's own format.
fn candidates(url: &str, width: usize, set: &ImageSet) -> Vec<(u32, String)> {
    let webp_of = |w: u32| set.webp.iter().find(|v| v.width == w).map(|v| &v.url);
    let mut list: Vec<(u32, String)> = set
        .variants
        .iter()
        .filter(|v| (v.width as usize) < width)
        .map(|v| (v.width, webp_of(v.width).unwrap_or(&v.url).clone()))
        .collect();
    let own = u32::try_from(width).unwrap_or(u32::MAX);
    list.push((
        own,
        webp_of(own).cloned().unwrap_or_else(|| url.to_string()),
    ));
    list
}

/// The media query of the viewports that need more than `pixels` device pixels across the
/// image: any density's condition, for the fit's width or (cover) height or (contain) both.
fn needs_more_than(pixels: u32, aspect: f64, fit: Fit) -> String {
    let mut conditions = Vec::new();
    for density in DENSITIES {
        // The CSS width past which this density needs more than `pixels`.
        let width = pixels as f64 / density as f64;
        let height = width / aspect;
        let resolution = match density {
            1 => String::new(),
            d => format!("(min-resolution:{d}dppx) and "),
        };
        let (w, h) = (css_px(width), css_px(height));
        match fit {
            Fit::Cover => {
                conditions.push(format!("{resolution}(min-width:{w})"));
                conditions.push(format!("{resolution}(min-height:{h})"));
            }
            Fit::Contain => {
                conditions.push(format!("{resolution}(min-width:{w}) and (min-height:{h})"));
            }
        }
    }
    conditions.join(",")
}

/// A length just past `value` CSS pixels, to two decimals (`min-width` includes its value).
fn css_px(value: f64) -> String {
    let past = (value * 100.0).floor() / 100.0 + 0.01;
    let text = format!("{past:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}px")
}

/// `folio-bg-` and a hash of the URL and fit: the same on every page and every build.
fn class_name(url: &str, fit: Fit) -> String {
    let mut hasher = rustc_hash::FxHasher::default();
    url.hash(&mut hasher);
    (fit == Fit::Cover).hash(&mut hasher);
    format!("folio-bg-{:08x}", hasher.finish() as u32)
}

/// `url` inside a double-quoted CSS string in a `<style>` element: quotes and backslashes
/// escaped, line breaks and `<` (which could end the element) written as code points.
fn css_string(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '<' | '>' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::responsive::Variant;

    fn set(widths: &[u32], webp: &[u32]) -> ImageSet {
        let variant = |w: &u32, ext: &str| Variant {
            width: *w,
            url: format!("/images/_v/bg-{w}.jpg{ext}"),
        };
        ImageSet {
            variants: widths.iter().map(|w| variant(w, "")).collect(),
            webp: webp.iter().map(|w| variant(w, ".webp")).collect(),
        }
    }

    #[test]
    fn each_copy_serves_the_viewports_that_need_more_than_the_one_before() {
        let set = set(&[320, 800], &[320, 800, 1600]);
        let bg = responsive_background("/images/bg.jpg", Some((1600, 800)), Some(&set), Fit::Cover)
            .expect("a background with copies");
        assert!(bg.class.starts_with("folio-bg-"), "{}", bg.class);
        let c = &bg.class;
        assert_eq!(
            bg.style,
            format!(
                "<style>.{c}{{background-image:url(\"/images/_v/bg-320.jpg.webp\")!important}}\
                 @media (min-width:320.01px),(min-height:160.01px),\
                 (min-resolution:2dppx) and (min-width:160.01px),(min-resolution:2dppx) and (min-height:80.01px),\
                 (min-resolution:3dppx) and (min-width:106.67px),(min-resolution:3dppx) and (min-height:53.34px)\
                 {{.{c}{{background-image:url(\"/images/_v/bg-800.jpg.webp\")!important}}}}\
                 @media (min-width:800.01px),(min-height:400.01px),\
                 (min-resolution:2dppx) and (min-width:400.01px),(min-resolution:2dppx) and (min-height:200.01px),\
                 (min-resolution:3dppx) and (min-width:266.67px),(min-resolution:3dppx) and (min-height:133.34px)\
                 {{.{c}{{background-image:url(\"/images/_v/bg-1600.jpg.webp\")!important}}}}</style>"
            )
        );
    }

    #[test]
    fn a_portrait_phone_covered_by_a_landscape_image_needs_it_wider_than_the_phone() {
        // A 390 × 844 phone covered by a 2:1 image draws it 1,688 px wide.
        let query = needs_more_than(800, 2.0, Fit::Cover);
        assert!(query.contains("(min-height:400.01px)"), "{query}");
        // Contain draws it only as wide as the phone: both sides must need more.
        let query = needs_more_than(800, 2.0, Fit::Contain);
        assert!(
            query.starts_with("(min-width:800.01px) and (min-height:400.01px),"),
            "{query}"
        );
    }

    #[test]
    fn without_copies_or_a_size_the_original_stays() {
        let copies = set(&[320], &[]);
        assert_eq!(
            responsive_background("/images/a.svg", None, Some(&copies), Fit::Cover),
            None
        );
        assert_eq!(
            responsive_background("/images/a.jpg", Some((300, 200)), None, Fit::Cover),
            None
        );
        let bg =
            responsive_background("/images/a.jpg", Some((900, 600)), Some(&copies), Fit::Cover)
                .expect("one copy");
        // Without a WebP copy at its own width, the original itself is the widest candidate.
        assert!(bg.style.contains("url(\"/images/a.jpg\")"), "{}", bg.style);
        assert!(
            bg.style.contains("url(\"/images/_v/bg-320.jpg\")"),
            "{}",
            bg.style
        );
        assert_eq!(Fit::from_size("auto"), None);
    }

    #[test]
    fn a_url_cannot_end_the_style_element_or_its_string() {
        assert_eq!(
            css_string("/a\"b\\c</style>.jpg"),
            "/a\\\"b\\\\c\\3c /style\\3e .jpg"
        );
        assert_ne!(
            class_name("/a.jpg", Fit::Cover),
            class_name("/a.jpg", Fit::Contain)
        );
    }
}
