//! One copy of an image (`/images/_v/photo-800.jpg.webp`): where its bytes are and how to make
//! them again. A build keeps its copies in the disk cache rather than in memory (a photo
//! site's copies weigh as much as its photos) and writes each by copying its cache file;
//! `folio serve` lists copies before they are made and makes each on its first request
//! ([`ImageCopy::bytes`]).

use super::budget::{decoded_bytes, shared, Reservation};
use super::encode::{eight_bit, Encoding};
use super::resize::{resize, resize_taking};
use super::stream::resize_png;
use super::undecodable;
use crate::FileBytes;
use folio_content::fingerprint;
use folio_content::site_fs::{FoundFile, SiteRoot};
use folio_diag::Diagnostic;
use image::{DynamicImage, ImageFormat};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The image copies are made from, shared by all its copies.
#[derive(Debug)]
pub(super) struct Original {
    pub(super) root: SiteRoot,
    pub(super) file: FoundFile,
    pub(super) format: ImageFormat,
    pub(super) width: u32,
    pub(super) height: u32,
    /// Of its bytes when it was listed: the name of its copies in the cache.
    pub(super) hash: u64,
}

impl Original {
    /// Its pixels, 8-bit, from its `bytes`.
    pub(super) fn decode(&self, bytes: &[u8]) -> Result<DynamicImage, Diagnostic> {
        let image = image::load_from_memory_with_format(bytes, self.format)
            .map_err(|e| undecodable(&self.file, &e.to_string()))?;
        Ok(eight_bit(image))
    }

    /// The height of its copy `width` wide, rounded, at least 1.
    pub(super) fn height_at(&self, width: u32) -> u32 {
        let (w, h) = (self.width as u64, self.height as u64);
        ((h * width as u64 + w / 2) / w).max(1) as u32
    }

    /// Its share of the memory budget while it is decoded and resized to `widest`, when
    /// its pixels are `kept` after that first resize (which then copies them to
    /// premultiply a transparent image's alpha).
    pub(super) fn reserve(&self, widest: u32, kept: bool) -> Reservation<'static> {
        let premultiplied_copy = kept && self.format != ImageFormat::Jpeg;
        shared().reserve(decoded_bytes(
            self.width,
            self.height,
            widest,
            premultiplied_copy,
        ))
    }

    /// Where its copy `width` wide in `encoding` is cached in `dir`.
    pub(super) fn cache_path(&self, dir: &Path, width: u32, encoding: Encoding) -> PathBuf {
        dir.join(format!(
            "{:016x}-{width}.{}",
            self.hash,
            encoding.cache_ext()
        ))
    }

    /// `image` (its pixels or a wider copy of them) resized to `width`.
    pub(super) fn resized(
        &self,
        image: &DynamicImage,
        width: u32,
    ) -> Result<DynamicImage, Diagnostic> {
        resize(image, width, self.height_at(width)).map_err(|e| undecodable(&self.file, &e))
    }

    /// Its copy `width` wide made straight from its `bytes` when it is a PNG, resized row by
    /// row as it is decoded (see [`resize_png`]), holding its budget share meanwhile; `None`
    /// for other formats and interlaced PNG, which are decoded whole.
    pub(super) fn streamed(
        &self,
        bytes: &[u8],
        width: u32,
    ) -> Result<Option<(DynamicImage, Reservation<'static>)>, Diagnostic> {
        if self.format != ImageFormat::Png {
            return Ok(None);
        }
        let height = self.height_at(width);
        // The copy, and about as much again for the rows and the encoders.
        let reserved = shared().reserve(decoded_bytes(width, height, width, false));
        let copy = resize_png(bytes, width, height).map_err(|e| undecodable(&self.file, &e))?;
        Ok(copy.map(|copy| (copy, reserved)))
    }

    /// [`Original::resized`] for an `image` not needed afterwards, which it takes.
    pub(super) fn resized_taking(
        &self,
        image: DynamicImage,
        width: u32,
    ) -> Result<DynamicImage, Diagnostic> {
        resize_taking(image, width, self.height_at(width)).map_err(|e| undecodable(&self.file, &e))
    }
}

/// One copy: the image, width and encoding it is made with, its file in the cache, and its
/// bytes when it has no cache file to be kept in.
#[derive(Debug)]
pub struct ImageCopy {
    original: Arc<Original>,
    width: u32,
    encoding: Encoding,
    cached: Option<PathBuf>,
    kept: OnceLock<FileBytes>,
}

impl ImageCopy {
    /// A copy not made yet, or already in the cache at `cached`.
    pub(super) fn listed(
        original: &Arc<Original>,
        width: u32,
        encoding: Encoding,
        cached: Option<PathBuf>,
    ) -> ImageCopy {
        ImageCopy {
            original: Arc::clone(original),
            width,
            encoding,
            cached,
            kept: OnceLock::new(),
        }
    }

    /// A copy just encoded as `bytes`: stored in the cache at `cached`, or kept in memory when
    /// it cannot be.
    pub(super) fn encoded(
        original: &Arc<Original>,
        width: u32,
        encoding: Encoding,
        cached: Option<PathBuf>,
        bytes: Vec<u8>,
    ) -> ImageCopy {
        let cached = cached.filter(|path| store(path, &bytes));
        let copy = ImageCopy::listed(original, width, encoding, cached);
        if copy.cached.is_none() {
            let _ = copy.kept.set(bytes.into());
        }
        copy
    }

    /// Its file in the cache, when it has one: a build copies it instead of reading it.
    pub fn cached_file(&self) -> Option<&Path> {
        self.cached.as_deref().filter(|_| self.kept.get().is_none())
    }

    /// Its bytes: from memory or the cache, else made now (and cached). Blocking: making a
    /// copy decodes its image.
    pub fn bytes(&self) -> Result<FileBytes, Diagnostic> {
        if let Some(kept) = self.kept.get() {
            return Ok(Arc::clone(kept));
        }
        if let Some(found) = self.cached.as_ref().and_then(|p| std::fs::read(p).ok()) {
            return Ok(found.into());
        }
        let made: FileBytes = self.make()?.into();
        if self.cached.is_none() {
            let _ = self.kept.set(Arc::clone(&made));
        }
        Ok(made)
    }

    /// Decode the image, resize it and encode the copy; cached when the image is still the
    /// one it was listed from (a changed image's copy belongs under another name).
    fn make(&self) -> Result<Vec<u8>, Diagnostic> {
        let original = &*self.original;
        let bytes = original.root.read(&original.file)?;
        let unchanged = fingerprint(&bytes) == original.hash;
        let streamed = match self.width < original.width {
            true => original.streamed(&bytes, self.width)?,
            false => None,
        };
        let (image, _reserved) = match streamed {
            Some(streamed) => streamed,
            None => {
                let reserved = original.reserve(self.width, false);
                let image = original.decode(&bytes)?;
                let image = match self.width == original.width {
                    true => image,
                    false => original.resized_taking(image, self.width)?,
                };
                (image, reserved)
            }
        };
        drop(bytes);
        let out = self
            .encoding
            .encode(&image)
            .map_err(|e| undecodable(&original.file, &e))?;
        if let Some(path) = self.cached.as_deref().filter(|_| unchanged) {
            store(path, &out);
        }
        Ok(out)
    }
}

/// Write `bytes` to the cache file `path` through a temporary name, so that no reader (another
/// build, another server) sees half a file. A cache: a failed write only means encoding again.
fn store(path: &Path, bytes: &[u8]) -> bool {
    let mut staging = path.as_os_str().to_owned();
    staging.push(format!(".{}", std::process::id()));
    let staging = PathBuf::from(staging);
    if std::fs::write(&staging, bytes).is_err() {
        return false;
    }
    std::fs::rename(&staging, path).is_ok() || {
        let _ = std::fs::remove_file(&staging);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

    fn original(dir: &Path, width: u32, height: u32) -> (Arc<Original>, Vec<u8>) {
        let image = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8])
        });
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Png)
            .expect("encodes");
        std::fs::create_dir_all(dir.join("public")).expect("folder");
        std::fs::create_dir_all(dir.join("content/pages")).expect("folder");
        std::fs::write(dir.join("public/photo.png"), &bytes).expect("writes");
        let root = SiteRoot::open(dir).expect("root");
        let (files, _) = root.walk("public");
        let file = files.into_iter().next().expect("found");
        let original = Original {
            root,
            file,
            format: ImageFormat::Png,
            width,
            height,
            hash: fingerprint(&bytes),
        };
        (Arc::new(original), bytes)
    }

    #[test]
    fn a_listed_copy_is_made_on_request_and_cached() {
        let site = tempfile::tempdir().expect("temp");
        let cache = tempfile::tempdir().expect("temp");
        let (original, _) = original(site.path(), 64, 32);
        let path = original.cache_path(cache.path(), 16, Encoding::Png);
        let copy = ImageCopy::listed(&original, 16, Encoding::Png, Some(path.clone()));
        assert!(!path.exists());
        let bytes = copy.bytes().expect("made");
        let made = image::load_from_memory(&bytes).expect("decodes");
        assert_eq!((made.width(), made.height()), (16, 8));
        assert_eq!(std::fs::read(&path).expect("cached"), &*bytes);
        assert_eq!(copy.cached_file(), Some(path.as_path()));
    }

    #[test]
    fn a_changed_image_is_not_cached_under_its_old_name() {
        let site = tempfile::tempdir().expect("temp");
        let cache = tempfile::tempdir().expect("temp");
        let (original, _) = original(site.path(), 64, 32);
        // The image changes after it was listed: its copy is served, not cached.
        let other = RgbImage::from_pixel(64, 32, image::Rgb([9, 9, 9]));
        other
            .save(site.path().join("public/photo.png"))
            .expect("saves");
        let path = original.cache_path(cache.path(), 16, Encoding::Png);
        let copy = ImageCopy::listed(&original, 16, Encoding::Png, Some(path.clone()));
        copy.bytes().expect("made");
        assert!(!path.exists());
    }

    #[test]
    fn without_a_cache_an_encoded_copy_stays_in_memory() {
        let site = tempfile::tempdir().expect("temp");
        let (original, _) = original(site.path(), 64, 32);
        let copy = ImageCopy::encoded(&original, 16, Encoding::Png, None, vec![1, 2, 3]);
        assert_eq!(copy.cached_file(), None);
        assert_eq!(&*copy.bytes().expect("kept"), &[1, 2, 3]);
    }
}
