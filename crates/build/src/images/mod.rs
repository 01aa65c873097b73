//! Responsive image variants: every JPEG, PNG or WebP under `public/` wider than
//! [`MIN_WIDTH`] gets copies at the [`VARIANT_WIDTHS`] below its own width, written to
//! `<folder>/_v/<name>-<width>.<ext>` beside where it is served (`/images/_v/photo-800.jpg`)
//! and listed in the `srcset` of its `<img>` (see `folio_render::responsive`).
//!
//! A copy is kept only when it is smaller than the original file (a heavily compressed
//! original is already the best choice). Photos (every JPEG, and a PNG that compresses as a
//! photo does, over a byte per pixel) also get lossy WebP copies (libwebp, quality 80), at
//! their own width however small they are; other PNG images get lossless WebP copies (the
//! `image` crate's encoder). WebP is used through a `<picture>` only when every WebP copy is
//! smaller than its counterpart.
//!
//! Encoded copies are cached in `SITE/.folio/cache/images/<content hash>-<width>.<ext>`
//! (with a `.gitignore`; for a read-only site, in the system's temporary folder), so a second
//! build reads them instead of encoding again; a builder
//! ([`ImageCache`]) also keeps them in memory by file stamp, so that `folio serve` does no work
//! for unchanged images. Images are processed in parallel; each is decoded once and each of its
//! widths resized once, largest first, each from the next wider one (see [`process`]).

use crate::output::DiskOutput;
use folio_content::fingerprint;
use folio_content::site_fs::{FileStamp, FoundFile};
use folio_content::Site;
use folio_diag::Diagnostic;
use folio_render::responsive::{ImageSet, ImageSets, Variant};
use image::{DynamicImage, ImageFormat};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

mod budget;
mod copy;
mod encode;
mod resize;

pub use copy::ImageCopy;
use copy::Original;
use encode::{webp_encoding, Encoding, MIN_WEBP_ALONE_BYTES};

/// Widths of the resized copies (those below the image's own width are made).
pub const VARIANT_WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

/// Images at most this wide get no copies.
pub const MIN_WIDTH: u32 = 800;

/// The widest WebP copy made: the widest layout (1280 CSS px) on a screen of two device pixels
/// per CSS pixel.
pub const MAX_WEBP_WIDTH: u32 = 2560;

/// Where encoded copies are cached, relative to the site.
pub const CACHE_DIR: &str = ".folio/cache/images";

/// The copies of one image, by output path.
#[derive(Debug, Default)]
struct Processed {
    set: ImageSet,
    files: Vec<(String, Arc<ImageCopy>)>,
}

/// Output path (`images/_v/photo-800.jpg`) → copy.
pub type ImageCopies = HashMap<String, Arc<ImageCopy>>;

/// The copies listed so far, by image file, with the stamp (size and modification time) each
/// had.
#[derive(Debug, Default)]
pub struct ImageCache {
    images: HashMap<String, (Option<FileStamp>, Arc<Processed>)>,
    on_request: bool,
}

/// What [`ImageCache::update`] gives the render and the output.
#[derive(Debug, Default)]
pub struct ImageOutput {
    /// The copies of every image that has some, by URL, for `srcset`.
    pub sets: Arc<ImageSets>,
    /// Every copy listed in `sets`.
    pub files: ImageCopies,
    /// How many copies were encoded (not read from the cache).
    pub encoded: usize,
    /// Images that could not be read or decoded.
    pub diagnostics: Vec<Diagnostic>,
}

impl ImageCache {
    /// A cache whose copies not in the disk cache are made on their first request
    /// ([`ImageCopy::bytes`]) instead of by [`ImageCache::update`]: for `folio serve`, which
    /// then starts at once. Their lengths are not known before they are made, so each is
    /// taken to be worth it (smaller than what it replaces); a later build knows better.
    pub fn on_request() -> ImageCache {
        ImageCache {
            on_request: true,
            ..ImageCache::default()
        }
    }

    /// Bring the copies up to date with the images under `public/` of `site`: images whose
    /// stamp is unchanged are not looked at again; others are read and their copies taken from
    /// the disk cache or encoded (in parallel).
    pub fn update(&mut self, site: &Site, progress: &crate::ProgressSink) -> ImageOutput {
        let (files, _) = site.root.walk("public");
        let candidates: Vec<&FoundFile> = files
            .iter()
            .filter(|f| format_of(&f.rel).is_some())
            .collect();
        // Created when the first image needs copies.
        let cache_dir = OnceLock::new();
        let encoded = AtomicUsize::new(0);
        let work: Vec<&FoundFile> = candidates
            .iter()
            .copied()
            .filter(|f| match self.images.get(&f.rel) {
                Some((stamp, _)) => stamp.is_none() || *stamp != f.stamp,
                None => true,
            })
            .collect();
        if !work.is_empty() {
            progress.begin("images", work.len());
        }
        let done: Vec<(String, Option<FileStamp>, Result<Processed, Diagnostic>)> = work
            .par_iter()
            .map(|file| {
                let result = process(site, file, &cache_dir, &encoded, self.on_request);
                progress.advance(1);
                (file.rel.clone(), file.stamp, result)
            })
            .collect();
        let mut output = ImageOutput::default();
        for (rel, stamp, result) in done {
            let processed = result.unwrap_or_else(|d| {
                output.diagnostics.push(d);
                Processed::default()
            });
            self.images.insert(rel, (stamp, Arc::new(processed)));
        }
        let present: HashSet<&str> = candidates.iter().map(|f| f.rel.as_str()).collect();
        self.images.retain(|rel, _| present.contains(rel.as_str()));
        let mut sets = ImageSets::new();
        for (rel, (_, processed)) in &self.images {
            if processed.set.variants.is_empty() && processed.set.webp.is_empty() {
                continue;
            }
            if let Some(url) = rel.strip_prefix("public") {
                sets.insert(url.to_string(), processed.set.clone());
            }
            output.files.extend(
                processed
                    .files
                    .iter()
                    .map(|(p, c)| (p.clone(), Arc::clone(c))),
            );
        }
        output.sets = Arc::new(sets);
        output.encoded = encoded.into_inner();
        output
    }
}

/// Write every copy into `output`: copied from its cache file when it has one, else from its
/// bytes (made now if need be).
pub(crate) fn write_copies(output: &DiskOutput, copies: &ImageCopies) -> Result<(), Diagnostic> {
    copies.par_iter().try_for_each(|(path, copy)| {
        if copy
            .cached_file()
            .is_some_and(|from| output.copy_in(path, from))
        {
            return Ok(());
        }
        output.write_file(path, &copy.bytes()?)
    })
}

/// The environment variable that moves the cache out of the site (`$FOLIO_CACHE_DIR/images`):
/// for CI caches, and for sites folio must not write into.
pub const CACHE_DIR_VARIABLE: &str = "FOLIO_CACHE_DIR";

/// The cache folder (see [`CACHE_DIR_VARIABLE`]), created with its `.gitignore`; for a read-only site, a folder in the
/// system's temporary folder (copies are named by content hash, so sites can share it); `None`
/// when neither can be made: then copies are encoded on every build.
fn prepare_cache_dir(site: &Path) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CACHE_DIR_VARIABLE).filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir).join("images");
        return std::fs::create_dir_all(&dir).ok().map(|_| dir);
    }
    let in_site = || -> Option<PathBuf> {
        let dir = site.join(CACHE_DIR);
        std::fs::create_dir_all(&dir).ok()?;
        let ignore = site.join(".folio/cache/.gitignore");
        if !ignore.exists() {
            let text = "# folio's build cache: safe to delete, not for version control\n*\n";
            std::fs::write(&ignore, text).ok()?;
        }
        Some(dir)
    };
    in_site().or_else(|| {
        let dir = std::env::temp_dir().join("folio-cache/images");
        std::fs::create_dir_all(&dir).ok().map(|_| dir)
    })
}

fn format_of(rel: &str) -> Option<ImageFormat> {
    let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// List the copies of one image, each with its length when known: read from the cache or
/// encoded now, or, `on_request`, left to be made when first asked for.
fn process(
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
    let webp = webp_encoding(format, len, width, height);
    // A photo gets lossy WebP at its own width however narrow it is (a 500 KB PNG hero of
    // 700 px is the page's largest paint), unless it is too small a file to be worth it.
    let worth_alone = len.is_some_and(|len| len >= MIN_WEBP_ALONE_BYTES);
    if widths.is_empty() && !(webp == Some(Encoding::LossyWebp) && worth_alone) {
        return Ok(Processed::default());
    }
    let bytes = site.root.read(file)?;
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
        // The original is needed again only for its own-width WebP copy: without one, it is
        // resized in place into the widest copy (from which every other can be made) and its
        // pixels (189 MB for a 2880 × 16384 style guide) go.
        let keep_original = width <= MAX_WEBP_WIDTH;
        if sizes.is_empty() {
            reserved.get_or_insert_with(|| original.reserve(widest, keep_original));
            sizes.push((width, original.decode(&bytes)?));
        }
        if !sizes.iter().any(|(at, _)| *at == w) {
            let resized = if sizes.len() == 1 && !keep_original && w == widest {
                let (_, whole) = sizes.remove(0);
                original.resized_taking(whole, w)?
            } else {
                let from = sizes
                    .iter()
                    .filter(|(at, _)| *at > w)
                    .min_by_key(|(at, _)| *at)
                    .map_or(&sizes[0].1, |(_, image)| image);
                original.resized(from, w)?
            };
            sizes.push((w, resized));
        }
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
    let mut processed = Processed::default();
    let mut own: Vec<(u32, Option<u64>)> = Vec::new();
    for &w in widths.iter().rev() {
        let (out, len) = copy(w, Encoding::like(format))?;
        if not_smaller(len, Some(original_len)) {
            continue; // no smaller than the original: the original serves this width too
        }
        let url = format!("{folder}/_v/{stem}-{w}.{ext}");
        own.push((w, len));
        processed.set.variants.push(Variant {
            width: w,
            url: url.clone(),
        });
        processed.files.push((url[1..].to_string(), Arc::new(out)));
    }
    let webp = webp.filter(|e| *e == Encoding::LossyWebp || !own.is_empty());
    if let Some(encoding) = webp {
        // WebP for every width the <img> offers (the copies and the original), or none.
        let mut webp = Vec::new();
        let mut files = Vec::new();
        // The original's own width only up to what a screen shows: a WebP browser picks from
        // the WebP list alone, so a 6000 px photo is served at 1600 px instead of 6000.
        let original = (width <= MAX_WEBP_WIDTH).then_some((width, Some(original_len)));
        for (w, own_len) in own.iter().copied().chain(original) {
            let (out, len) = copy(w, encoding)?;
            if not_smaller(len, own_len) {
                webp.clear();
                files.clear();
                break;
            }
            let url = format!("{folder}/_v/{stem}-{w}.{ext}.webp");
            webp.push(Variant {
                width: w,
                url: url.clone(),
            });
            files.push((url[1..].to_string(), Arc::new(out)));
        }
        processed.set.webp = webp;
        processed.files.extend(files);
    }
    // `srcset` lists narrow to wide.
    processed.set.variants.sort_by_key(|v| v.width);
    processed.set.webp.sort_by_key(|v| v.width);
    Ok(processed)
}

fn undecodable(file: &FoundFile, why: &str) -> Diagnostic {
    Diagnostic::warning(
        "build/unreadable-image",
        format!("`{}` cannot be read as an image: {why}", file.rel),
    )
    .in_file(file.rel.clone())
    .with_help(
        "it is copied as it is, without resized copies; save it again as a JPEG, PNG or WebP image",
    )
}

#[cfg(test)]
mod tests {
    use super::{format_of, webp_encoding, Encoding};
    use image::ImageFormat;

    #[test]
    fn photos_get_lossy_webp_and_graphics_lossless() {
        let lossy = Some(Encoding::LossyWebp);
        assert_eq!(webp_encoding(ImageFormat::Jpeg, Some(1), 100, 100), lossy);
        // 534 KB for 700 × 500 px: 1.5 bytes per pixel, a photo saved as PNG.
        assert_eq!(
            webp_encoding(ImageFormat::Png, Some(534_000), 700, 500),
            lossy
        );
        let lossless = Some(Encoding::LosslessWebp);
        assert_eq!(
            webp_encoding(ImageFormat::Png, Some(40_000), 700, 500),
            lossless
        );
        assert_eq!(webp_encoding(ImageFormat::Png, None, 700, 500), lossless);
        assert_eq!(
            webp_encoding(ImageFormat::WebP, Some(534_000), 700, 500),
            None
        );
    }

    #[test]
    fn only_jpeg_png_and_webp_get_copies() {
        assert_eq!(format_of("public/a.JPG"), Some(ImageFormat::Jpeg));
        assert_eq!(format_of("public/a.png"), Some(ImageFormat::Png));
        assert_eq!(format_of("public/a.webp"), Some(ImageFormat::WebP));
        assert_eq!(format_of("public/a.gif"), None);
        assert_eq!(format_of("public/a.svg"), None);
    }
}
