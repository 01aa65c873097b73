//! How an image's copies are encoded ([`Encoding`]: JPEG, fast PNG, lossless WebP for
//! graphics, lossy WebP for photos), and the 8-bit pixels they are encoded from.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageFormat};

/// Quality of the JPEG copies.
const JPEG_QUALITY: u8 = 80;

/// `image` as 8-bit pixels, the only depth copies are made in: 16-bit and float images (some
/// PNG) are converted once, right after decoding, instead of at every resize and encoding.
pub(super) fn eight_bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// How a copy is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// JPEG at [`JPEG_QUALITY`].
    Jpeg,
    /// PNG, compressed fast.
    Png,
    /// The `image` crate's lossless WebP: for graphics (PNG with few colours).
    LosslessWebp,
    /// libwebp at [`WEBP_QUALITY`]: for photos, JPEG or PNG.
    LossyWebp,
}

/// Quality of the lossy WebP copies (libwebp's scale; 80 is close to JPEG 80 at ~30% fewer bytes).
const WEBP_QUALITY: f32 = 80.0;

/// An image with no resized copies gets a WebP copy only from this size on: below it, the
/// bytes saved do not pay for a `<picture>`.
pub(super) const MIN_WEBP_ALONE_BYTES: u64 = 16 * 1024;

/// Bytes per pixel above which a PNG is taken for a photo: PNG's lossless compression keeps a
/// graphic (flat colours, text) under about half a byte per pixel and a photo well over one.
const PNG_PHOTO_BYTES_PER_PIXEL: f64 = 1.0;

/// The WebP copies an image of `format`, `len` bytes and `width` × `height` gets: lossy for a
/// photo (every JPEG, a PNG that compresses as a photo does), lossless for other PNG images,
/// none for a WebP original.
pub(super) fn webp_encoding(
    format: ImageFormat,
    len: Option<u64>,
    width: u32,
    height: u32,
) -> Option<Encoding> {
    let pixels = (width as f64 * height as f64).max(1.0);
    match format {
        ImageFormat::Jpeg => Some(Encoding::LossyWebp),
        ImageFormat::Png
            if len.is_some_and(|len| len as f64 / pixels > PNG_PHOTO_BYTES_PER_PIXEL) =>
        {
            Some(Encoding::LossyWebp)
        }
        ImageFormat::Png => Some(Encoding::LosslessWebp),
        _ => None,
    }
}

impl Encoding {
    /// Copies in the original's own format.
    pub(super) fn like(format: ImageFormat) -> Encoding {
        match format {
            ImageFormat::Png => Encoding::Png,
            ImageFormat::WebP => Encoding::LosslessWebp,
            _ => Encoding::Jpeg,
        }
    }

    /// The extension of its cached copies (a lossy and a lossless WebP copy differ).
    pub(super) fn cache_ext(self) -> &'static str {
        match self {
            Encoding::Jpeg => "jpg",
            Encoding::Png => "png",
            Encoding::LosslessWebp => "webp",
            Encoding::LossyWebp => "q80.webp",
        }
    }

    /// `image` encoded.
    pub(super) fn encode(self, image: &DynamicImage) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let result = match self {
            Encoding::Png => image.write_with_encoder(PngEncoder::new_with_quality(
                &mut out,
                // fdeflate: Default and Best compress about 10 % more at several times the
                // time (a quarter of a cold photo build went to them), and browsers that take
                // WebP, nearly all, are offered the WebP copies first.
                CompressionType::Fast,
                PngFilter::Adaptive,
            )),
            Encoding::LosslessWebp => match image {
                DynamicImage::ImageRgba8(rgba) => {
                    rgba.write_with_encoder(WebPEncoder::new_lossless(&mut out))
                }
                other => other
                    .to_rgba8()
                    .write_with_encoder(WebPEncoder::new_lossless(&mut out)),
            },
            Encoding::LossyWebp => {
                let memory = match image {
                    DynamicImage::ImageRgb8(rgb) => {
                        webp::Encoder::from_rgb(rgb, rgb.width(), rgb.height()).encode(WEBP_QUALITY)
                    }
                    DynamicImage::ImageRgba8(rgba) => {
                        webp::Encoder::from_rgba(rgba, rgba.width(), rgba.height())
                            .encode(WEBP_QUALITY)
                    }
                    other if other.color().has_alpha() => {
                        let rgba = other.to_rgba8();
                        webp::Encoder::from_rgba(&rgba, rgba.width(), rgba.height())
                            .encode(WEBP_QUALITY)
                    }
                    other => {
                        let rgb = other.to_rgb8();
                        webp::Encoder::from_rgb(&rgb, rgb.width(), rgb.height())
                            .encode(WEBP_QUALITY)
                    }
                };
                return Ok(memory.to_vec());
            }
            // The JPEG encoder takes grey and RGB pixels as they are; only alpha is dropped.
            Encoding::Jpeg => match image {
                DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => {
                    image.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
                }
                other => other
                    .to_rgb8()
                    .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)),
            },
        };
        result.map_err(|e| e.to_string())?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{eight_bit, webp_encoding, Encoding};
    use image::{DynamicImage, ImageFormat};

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
    fn sixteen_bit_images_become_eight_bit() {
        let image = DynamicImage::new_rgb16(2, 2);
        assert!(matches!(eight_bit(image), DynamicImage::ImageRgb8(_)));
        let image = DynamicImage::new_rgba16(2, 2);
        assert!(matches!(eight_bit(image), DynamicImage::ImageRgba8(_)));
    }
}
