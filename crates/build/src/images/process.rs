//! The copies one image gets (see the module above for the rules): which widths and
//! encodings, each read from the cache by its length or encoded now, widest first, each
//! width made from the one before.

use super::copy::{ImageCopy, Original};
use super::encode::{webp_encoding, Encoding, MIN_WEBP_ALONE_BYTES};
use super::{
    format_of, prepare_cache_dir, undecodable, Processed, MAX_WEBP_WIDTH, MIN_WIDTH, VARIANT_WIDTHS,
};
use folio_content::fingerprint;
use folio_content::site_fs::FoundFile;
use folio_content::Site;
use folio_diag::Diagnostic;
use folio_render::asset_names::tag_of;
use folio_render::responsive::Variant;
use image::DynamicImage;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// List the copies of one image, each with its length when known: read from the cache or
/// encoded now, or, `on_request`, left to be made when first asked for.
pub(super) fn process(
    site: &Site,
    file: &FoundFile,
    cache_dir: &OnceLock<Option<PathBuf>>,
    encoded: &AtomicUsize,
    on_request: bool,
) -> Result<Processed, Diagnostic> {
    let format = format_of(&file.rel).ok_or_else(|| undecodable(file, "unknown format"))?;
    let reader = BufReader::new(site.root.open_file(file)?);
    let size = imagesize::reader_size(reader).map_err(|e| undecodable(file, &e.to_string()))?;
    let (width, height) = (size.width as u32, size.height as u32);
    let widths: Vec<u32> = if width > MIN_WIDTH {
        VARIANT_WIDTHS.into_iter().filter(|w| *w < width).collect()
    } else {
        Vec::new()
    };
    let len = file.stamp.map(|s| s.len);
    let mut webp = webp_encoding(format, len, width, height);
    // A photo gets lossy WebP at its own width however narrow it is (a 500 KB PNG hero of
    // 700 px is the page's largest paint), unless it is too small a file to be worth it.
    let worth_alone = len.is_some_and(|len| len >= MIN_WEBP_ALONE_BYTES);
    if widths.is_empty() && !(webp == Some(Encoding::LossyWebp) && worth_alone) {
        return Ok(Processed::default());
    }
    // An image too large to read (over 64 MB) is still copied as it is, without copies.
    let bytes = site
        .root
        .read(file)
        .map_err(|d| undecodable(file, &d.message))?;
    let original = Arc::new(Original {
        root: site.root.clone(),
        file: file.clone(),
        format,
        width,
        height,
        hash: fingerprint(&bytes),
    });
    let original_len = bytes.len() as u64;
    let cache_dir = cache_dir
        .get_or_init(|| prepare_cache_dir(site.root.path()))
        .as_deref();
    // Decoded once, and each width resized once (both encodings of a width share it), from
    // the narrowest image already at hand that is wider: the widths are made largest first,
    // so only the first resize reads the whole original.
    // Decoding waits for its share of the memory budget, held until the copies are made.
    let mut sizes: Vec<(u32, DynamicImage)> = Vec::new();
    let mut reserved = None;
    let widest = widths.iter().copied().max().unwrap_or(width);
    let mut copy = |w: u32, encoding: Encoding| -> Result<(ImageCopy, Option<u64>), Diagnostic> {
        let cached = cache_dir.map(|d| original.cache_path(d, w, encoding));
        if let Some(found) = cached.as_ref().and_then(|p| std::fs::metadata(p).ok()) {
            return Ok((
                ImageCopy::listed(&original, w, encoding, cached),
                Some(found.len()),
            ));
        }
        if on_request {
            return Ok((ImageCopy::listed(&original, w, encoding, cached), None));
        }
        // The original is needed again only for its own-width WebP copy. Without one, the
        // widest copy is made from the file (a PNG as it decodes, else resizing the decoded
        // pixels in place) and the original's pixels (189 MB for a 2880 × 16384 style guide)
        // are let go; every narrower copy is made from it.
        let keep_original = width <= MAX_WEBP_WIDTH;
        if !sizes.iter().any(|(at, _)| *at >= w) {
            // Nothing at hand is as wide: made from the file. (A second time only when the
            // cache had the widest copies and not a WebP one.) Its share of the budget
            // replaces any held, so that waiting for it cannot wait on itself.
            drop(reserved.take());
            let streamed = match keep_original {
                true => None,
                false => original.streamed(&bytes, w)?,
            };
            match streamed {
                Some((copy, share)) => {
                    reserved = Some(share);
                    sizes.push((w, copy));
                }
                None => {
                    reserved = Some(original.reserve(widest, keep_original));
                    let whole = original.decode(&bytes)?;
                    match keep_original {
                        true => sizes.push((width, whole)),
                        false => sizes.push((w, original.resized_taking(whole, w)?)),
                    }
                }
            }
        }
        if !sizes.iter().any(|(at, _)| *at == w) {
            let from = sizes
                .iter()
                .filter(|(at, _)| *at > w)
                .min_by_key(|(at, _)| *at)
                .map(|(_, image)| image)
                .ok_or_else(|| undecodable(file, "no wider copy"))?;
            let resized = original.resized(from, w)?;
            sizes.push((w, resized));
        }
        // Every width still to come is narrower and can be made from this one.
        sizes.retain(|(at, _)| *at <= w);
        let resized = sizes
            .iter()
            .find(|(at, _)| *at == w)
            .map(|(_, image)| image)
            .ok_or_else(|| undecodable(file, "not resized"))?;
        let out = encoding
            .encode(resized)
            .map_err(|e| undecodable(file, &e))?;
        encoded.fetch_add(1, Ordering::Relaxed);
        let len = out.len() as u64;
        Ok((
            ImageCopy::encoded(&original, w, encoding, cached, out),
            Some(len),
        ))
    };
    // A copy of unknown length (not made yet) is taken to be worth it.
    let not_smaller =
        |len: Option<u64>, than: Option<u64>| len.zip(than).is_some_and(|(len, than)| len >= than);

    let url = file.rel.strip_prefix("public").unwrap_or(&file.rel);
    let (folder, name) = url.rsplit_once('/').unwrap_or(("", url));
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    // Named by the original's hash, so that a copy's URL changes whenever its bytes may, and a
    // host may cache it for ever (`_headers`).
    let tag = tag_of(original.hash);
    // Widest first, each width made from the one before and encoded both ways before the
    // next, so that at most two sizes of the image are held at once. The WebP copy at the
    // original's own width (made only up to what a screen shows: a WebP browser picks from
    // the WebP list alone, so a 6000 px photo is served at 1600 px) comes first, from the
    // original's pixels.
    let own_width_webp = webp.is_some() && width <= MAX_WEBP_WIDTH;
    let order = own_width_webp.then_some(width).into_iter();
    let order = order.chain(widths.iter().rev().copied());
    let mut processed = Processed::default();
    let mut own = 0;
    // WebP for every width the <img> offers (the copies and the original), or for none: one
    // WebP copy no smaller than its counterpart and the others are not made.
    let mut webp_files = Some(Vec::new());
    for w in order {
        let mut counterpart = Some(original_len);
        if w < width {
            let (out, len) = copy(w, Encoding::like(format))?;
            if not_smaller(len, Some(original_len)) {
                continue; // no smaller than the original: the original serves this width too
            }
            own += 1;
            let url = format!("{folder}/_v/{stem}-{w}.{tag}.{ext}");
            processed.set.variants.push(Variant {
                width: w,
                url: url.clone(),
            });
            processed.files.push((url[1..].to_string(), Arc::new(out)));
            counterpart = len;
        }
        let (Some(encoding), Some(files)) = (webp, webp_files.as_mut()) else {
            continue;
        };
        let (mut out, mut len) = copy(w, encoding)?;
        if encoding == Encoding::LosslessWebp && not_smaller(len, counterpart) {
            // Lossless WebP beats PNG on a graphic's flat colours; one it cannot shrink is a
            // photo saved as PNG (smooth enough to pass for a graphic by its bytes per
            // pixel): lossy WebP from this width on.
            (out, len) = copy(w, Encoding::LossyWebp)?;
            webp = Some(Encoding::LossyWebp);
        }
        if not_smaller(len, counterpart) {
            webp_files = None;
            continue;
        }
        let url = format!("{folder}/_v/{stem}-{w}.{tag}.{ext}.webp");
        files.push((w, url, out));
    }
    // Lossless WebP is for a graphic's resized copies: without any, the original serves.
    let webp_files = webp_files.filter(|_| webp == Some(Encoding::LossyWebp) || own > 0);
    for (w, url, out) in webp_files.into_iter().flatten() {
        processed.set.webp.push(Variant {
            width: w,
            url: url.clone(),
        });
        processed.files.push((url[1..].to_string(), Arc::new(out)));
    }
    // `srcset` lists narrow to wide.
    processed.set.variants.sort_by_key(|v| v.width);
    processed.set.webp.sort_by_key(|v| v.width);
    Ok(processed)
}
