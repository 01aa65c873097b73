//! Responsive image variants: every JPEG, PNG or WebP under `public/` wider than
//! [`MIN_WIDTH`] (320 px) gets copies at the [`VARIANT_WIDTHS`] below its own width, written to
//! `<folder>/_v/<name>-<width>.<tag>.<ext>` beside where it is served
//! (`/images/_v/photo-800.1f0c93a7be52.jpg`, the tag from the original's hash, so that a host
//! may cache copies for ever) and listed in the `srcset` of its `<img>` (see `folio_render::responsive`).
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
//! build reads only their lengths instead of encoding again, and writes each by copying its
//! cache file ([`ImageCopy`]: no copy is held in memory). A builder ([`ImageCache`]) keeps
//! the list by file stamp, so that `folio serve` does no work for unchanged images, and in
//! `folio serve` ([`ImageCache::on_request`]) a copy not in the cache is made on its first
//! request. Images are processed in parallel within a memory budget (`budget`); each is
//! decoded once (a PNG whose original is not needed again is resized as it decodes,
//! `stream`) and each of its widths resized once, widest first, each from the one before
//! (`process`).

use crate::output::DiskOutput;
use folio_content::site_fs::{FileStamp, FoundFile};
use folio_content::Site;
use folio_diag::Diagnostic;
use folio_render::responsive::{ImageSet, ImageSets};
use image::ImageFormat;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, OnceLock};

mod budget;
mod copy;
mod encode;
mod process;
mod resize;
mod stream;

pub use copy::ImageCopy;
use process::process;

/// Widths of the resized copies (those below the image's own width are made): from a
/// phone's card or avatar (320) to the widest layout on a dense screen (1600).
pub const VARIANT_WIDTHS: [u32; 5] = [320, 480, 800, 1200, 1600];

/// Images at most this wide get no copies: every wider one is larger than some place it is
/// shown (a 700 px hero on a 390 px phone, a 600 px photo in a 96 px avatar).
pub const MIN_WIDTH: u32 = 320;

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
pub(super) fn prepare_cache_dir(site: &Path) -> Option<PathBuf> {
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

pub(super) fn format_of(rel: &str) -> Option<ImageFormat> {
    let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

pub(super) fn undecodable(file: &FoundFile, why: &str) -> Diagnostic {
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
    use super::format_of;
    use image::ImageFormat;

    #[test]
    fn only_jpeg_png_and_webp_get_copies() {
        assert_eq!(format_of("public/a.JPG"), Some(ImageFormat::Jpeg));
        assert_eq!(format_of("public/a.png"), Some(ImageFormat::Png));
        assert_eq!(format_of("public/a.webp"), Some(ImageFormat::WebP));
        assert_eq!(format_of("public/a.gif"), None);
        assert_eq!(format_of("public/a.svg"), None);
    }
}
