//! Resizing an image's 8-bit pixels for its copies: a bilinear filter (what the `image`
//! crate's `Triangle` is) with fast_image_resize's SIMD convolution, alpha premultiplied
//! while it is filtered, in bands of rows so that the resizer's scratch image stays small.
//!
//! fast_image_resize works on the 8-bit pixels, where the `image` crate's own resize makes a
//! float copy of the image (16 bytes a pixel: 130 MB for a 5600 px photo's first pass) and
//! took a third of a cold photo build. Its vertical pass goes first, into a scratch image as
//! wide as the source and as tall as the copy: for a 2880 × 16384 style guide resized to
//! 1600 px, 105 MB. Resized [`BAND_ROWS`] rows of the copy at a time, it takes 3 MB. The
//! filter reads past each band's edge (the crop box only places the band), so the bands
//! join without a seam.

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, IntoImageView, MulDiv, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;

/// Rows of a copy resized at a time.
pub(super) const BAND_ROWS: u32 = 256;

/// `from` resized to exactly `width` × `height`.
pub(super) fn resize(from: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    if opaque(from) {
        return resize_opaque(from, width, height);
    }
    // Premultiplying a borrowed image copies it whole, once per call: one call, not one per
    // band. Only images whose pixels are needed again come here (see `resize_taking`).
    let mut to = DynamicImage::new(width, height, from.color());
    Resizer::new()
        .resize(from, &mut to, &options().use_alpha(true))
        .map_err(|e| e.to_string())?;
    Ok(to)
}

/// `from` resized like [`resize`], and taken rather than borrowed: a transparent image is
/// premultiplied in place, not into a copy of its pixels (189 MB more for a 2880 × 16384
/// RGBA style guide). The same steps as `resize` takes, so the same pixels.
pub(super) fn resize_taking(
    mut from: DynamicImage,
    width: u32,
    height: u32,
) -> Result<DynamicImage, String> {
    if opaque(&from) {
        return resize_opaque(&from, width, height);
    }
    let alpha = MulDiv::default();
    alpha
        .multiply_alpha_inplace(&mut from)
        .map_err(|e| e.to_string())?;
    let mut to = resize_opaque(&from, width, height)?;
    drop(from);
    alpha
        .divide_alpha_inplace(&mut to)
        .map_err(|e| e.to_string())?;
    Ok(to)
}

/// The filter, alpha left as it is.
pub(super) fn options() -> ResizeOptions {
    ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear))
        .use_alpha(false)
}

/// `from` resized with no care for alpha (opaque, or already premultiplied), band by band.
fn resize_opaque(from: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    let mut to = DynamicImage::new(width, height, from.color());
    let pixel_type = to
        .pixel_type()
        .ok_or_else(|| "no 8-bit pixel layout".to_string())?;
    let (source_width, source_height) = (from.width() as f64, from.height() as f64);
    let scale = source_height / height as f64;
    let row_bytes = width as usize * pixel_type.size();
    let pixels = pixels_mut(&mut to).ok_or_else(|| "no 8-bit pixel layout".to_string())?;
    let mut resizer = Resizer::new();
    for (band, rows) in pixels
        .chunks_mut(BAND_ROWS as usize * row_bytes)
        .enumerate()
    {
        let top = band as u32 * BAND_ROWS;
        let count = (rows.len() / row_bytes) as u32;
        let mut into =
            Image::from_slice_u8(width, count, rows, pixel_type).map_err(|e| e.to_string())?;
        // Rounding must not take the last band past the source's last row.
        let crop_top = top as f64 * scale;
        let crop_height = (count as f64 * scale).min(source_height - crop_top);
        let placed = options().crop(0.0, crop_top, source_width, crop_height);
        resizer
            .resize(from, &mut into, &placed)
            .map_err(|e| e.to_string())?;
    }
    Ok(to)
}

/// The bytes of an 8-bit image (every layout copies are made in, see `eight_bit`).
pub(super) fn pixels_mut(image: &mut DynamicImage) -> Option<&mut [u8]> {
    match image {
        DynamicImage::ImageLuma8(i) => Some(i),
        DynamicImage::ImageLumaA8(i) => Some(i),
        DynamicImage::ImageRgb8(i) => Some(i),
        DynamicImage::ImageRgba8(i) => Some(i),
        _ => None,
    }
}

/// Whether every pixel of `image` is opaque (so that alpha needs no care when filtering).
fn opaque(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().all(|p| p[3] == u8::MAX),
        DynamicImage::ImageLumaA8(la) => la.pixels().all(|p| p[1] == u8::MAX),
        other => !other.color().has_alpha(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    #[test]
    fn a_resize_keeps_the_colour_type_and_averages_neighbours() {
        // Left half black, right half white: halved, the middle column is grey.
        let image = RgbImage::from_fn(8, 2, |x, _| if x < 4 { Rgb([0; 3]) } else { Rgb([255; 3]) });
        let small = resize(&DynamicImage::ImageRgb8(image), 4, 1).expect("resizes");
        let small = small.as_rgb8().expect("still RGB");
        assert_eq!(small.dimensions(), (4, 1));
        assert_eq!(small.get_pixel(0, 0), &Rgb([0; 3]));
        assert_eq!(small.get_pixel(3, 0), &Rgb([255; 3]));
        assert!((1..255).contains(&small.get_pixel(2, 0)[0]) || small.get_pixel(1, 0)[0] > 0);
    }

    #[test]
    fn transparent_pixels_do_not_darken_their_neighbours() {
        // Opaque red beside fully transparent black: premultiplied, the edge stays red.
        let image = RgbaImage::from_fn(8, 2, |x, _| {
            if x < 4 {
                Rgba([255, 0, 0, 255])
            } else {
                Rgba([0, 0, 0, 0])
            }
        });
        let image = DynamicImage::ImageRgba8(image);
        for small in [
            resize(&image, 4, 1).expect("resizes"),
            resize_taking(image, 4, 1).expect("resizes"),
        ] {
            let edge = small.as_rgba8().expect("stays RGBA").get_pixel(2, 0);
            assert!(edge[3] > 0 && edge[3] < 255, "{edge:?}");
            assert_eq!(edge[0], 255, "{edge:?}");
        }
    }

    #[test]
    fn resizing_in_place_gives_the_same_pixels() {
        let image = RgbaImage::from_fn(40, 30, |x, y| {
            Rgba([(x * 6) as u8, (y * 8) as u8, 90, ((x * y) % 256) as u8])
        });
        let image = DynamicImage::ImageRgba8(image);
        let copied = resize(&image, 17, 9).expect("resizes");
        let taken = resize_taking(image, 17, 9).expect("resizes");
        let off = copied
            .as_bytes()
            .iter()
            .zip(taken.as_bytes())
            .map(|(a, b)| a.abs_diff(*b))
            .max();
        assert!(off.is_some_and(|off| off <= 1), "{off:?}");
    }

    #[test]
    fn bands_join_without_a_seam() {
        // Taller than a band once resized: banded, the copy matches one resized whole.
        let image = RgbImage::from_fn(30, 1500, |x, y| {
            Rgb([(y % 256) as u8, (x * 8) as u8, ((x * y) % 251) as u8])
        });
        let image = DynamicImage::ImageRgb8(image);
        let banded = resize(&image, 20, 1000).expect("resizes");
        let mut whole = DynamicImage::new(20, 1000, image.color());
        Resizer::new()
            .resize(&image, &mut whole, &options())
            .expect("resizes");
        let off = banded
            .as_bytes()
            .iter()
            .zip(whole.as_bytes())
            .map(|(a, b)| a.abs_diff(*b))
            .max();
        assert!(off.is_some_and(|off| off <= 1), "{off:?}");
    }

    #[test]
    fn only_images_with_transparent_pixels_count_as_not_opaque() {
        let mut image = RgbaImage::from_pixel(3, 3, Rgba([9, 9, 9, 255]));
        assert!(opaque(&DynamicImage::ImageRgba8(image.clone())));
        image.put_pixel(1, 1, Rgba([9, 9, 9, 254]));
        assert!(!opaque(&DynamicImage::ImageRgba8(image)));
        assert!(opaque(&DynamicImage::new_rgb8(2, 2)));
    }
}
