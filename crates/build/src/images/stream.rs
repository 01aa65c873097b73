//! A PNG resized while it is decoded: its rows are read one at a time and resized band by band
//! (as [`super::resize`] does), keeping only the rows the next band reads. A huge image (a
//! 2880 × 16384 style guide, 189 MB of pixels) then costs its copy and a few hundred rows,
//! never all its pixels, so that the images stage stays within its memory whatever the folder.

use super::resize::{options, pixels_mut, BAND_ROWS};
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{MulDiv, PixelType, Resizer};
use image::DynamicImage;
use png::{ColorType, Decoder, Transformations};
use std::io::Cursor;

/// How far the bilinear filter reads, in source rows per copy row (at least one row).
const FILTER_SUPPORT: f64 = 1.0;

/// The PNG `bytes` resized to `width` × `height` (8-bit, alpha premultiplied while it is
/// filtered); `None` when it is interlaced (its rows come in seven passes), so the caller
/// decodes it whole.
pub(super) fn resize_png(
    bytes: &[u8],
    width: u32,
    height: u32,
) -> Result<Option<DynamicImage>, String> {
    let mut decoder = Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    if reader.info().interlaced {
        return Ok(None);
    }
    let (source_width, source_height) = (reader.info().width, reader.info().height);
    let (mut to, pixel_type, alpha) = match reader.output_color_type().0 {
        ColorType::Grayscale => (DynamicImage::new_luma8(width, height), PixelType::U8, false),
        ColorType::GrayscaleAlpha => (
            DynamicImage::new_luma_a8(width, height),
            PixelType::U8x2,
            true,
        ),
        ColorType::Rgb => (
            DynamicImage::new_rgb8(width, height),
            PixelType::U8x3,
            false,
        ),
        ColorType::Rgba => (
            DynamicImage::new_rgba8(width, height),
            PixelType::U8x4,
            true,
        ),
        // Expanded to RGB or RGBA by `normalize_to_color8`.
        ColorType::Indexed => return Ok(None),
    };
    let source_row = source_width as usize * pixel_type.size();
    let row_bytes = width as usize * pixel_type.size();
    let scale = source_height as f64 / height as f64;
    let radius = FILTER_SUPPORT * scale.max(1.0);
    let premultiply = MulDiv::default();
    // The source rows `first..read`, premultiplied when the image has alpha.
    let mut window: Vec<u8> = Vec::new();
    let (mut first, mut read) = (0u32, 0u32);
    let mut resizer = Resizer::new();
    let pixels = pixels_mut(&mut to).ok_or("no 8-bit pixel layout")?;
    for (band, rows) in pixels
        .chunks_mut(BAND_ROWS as usize * row_bytes)
        .enumerate()
    {
        let top = band as u32 * BAND_ROWS;
        let count = (rows.len() / row_bytes) as u32;
        // The rows the filter reads for this band, as the resizer finds them.
        let low = ((top as f64 + 0.5) * scale - radius).floor().max(0.0) as u32;
        let high = (((top + count) as f64 - 0.5) * scale + radius).ceil() as u32;
        let high = high.min(source_height);
        let keep_from = low.min(read);
        window.drain(..(keep_from - first) as usize * source_row);
        first = keep_from;
        while read < high {
            let row = reader
                .next_row()
                .map_err(|e| e.to_string())?
                .ok_or("the image ends before its last row")?;
            if read >= low {
                if window.is_empty() {
                    first = read;
                }
                let start = window.len();
                window.extend_from_slice(row.data());
                if alpha {
                    let mut added =
                        Image::from_slice_u8(source_width, 1, &mut window[start..], pixel_type)
                            .map_err(|e| e.to_string())?;
                    premultiply
                        .multiply_alpha_inplace(&mut added)
                        .map_err(|e| e.to_string())?;
                }
            }
            read += 1;
        }
        let held = read - first;
        let source =
            ImageRef::new(source_width, held, &window, pixel_type).map_err(|e| e.to_string())?;
        let mut into =
            Image::from_slice_u8(width, count, rows, pixel_type).map_err(|e| e.to_string())?;
        let crop_top = top as f64 * scale - first as f64;
        let crop_height = (count as f64 * scale).min(held as f64 - crop_top);
        let placed = options().crop(0.0, crop_top, source_width as f64, crop_height);
        resizer
            .resize(&source, &mut into, &placed)
            .map_err(|e| e.to_string())?;
    }
    if alpha {
        premultiply
            .divide_alpha_inplace(&mut to)
            .map_err(|e| e.to_string())?;
    }
    Ok(Some(to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

    fn png(image: &DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .expect("encodes");
        bytes
    }

    /// The most any byte of `a` and `b` differ by.
    fn largest_difference(a: &DynamicImage, b: &DynamicImage) -> Option<u8> {
        let pairs = a.as_bytes().iter().zip(b.as_bytes());
        pairs.map(|(x, y)| x.abs_diff(*y)).max()
    }

    #[test]
    fn a_tall_png_resized_row_by_row_matches_it_resized_whole() {
        // Several bands tall once resized; half transparent in places.
        let rgb = RgbImage::from_fn(90, 2400, |x, y| {
            Rgb([(y % 256) as u8, (x * 3) as u8, ((x * y) % 253) as u8])
        });
        let rgba = RgbaImage::from_fn(90, 2400, |x, y| {
            Rgba([(y % 256) as u8, 200, (x * 2) as u8, ((x + y) % 256) as u8])
        });
        for image in [DynamicImage::ImageRgb8(rgb), DynamicImage::ImageRgba8(rgba)] {
            let streamed = resize_png(&png(&image), 50, 1333)
                .expect("resizes")
                .expect("not interlaced");
            let whole = super::super::resize::resize(&image, 50, 1333).expect("resizes");
            assert_eq!(streamed.color(), image.color());
            let off = largest_difference(&streamed, &whole);
            assert!(off.is_some_and(|off| off <= 1), "{off:?}");
        }
    }

    #[test]
    fn an_image_made_wider_or_taller_is_resized_too() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_fn(40, 30, |x, y| {
            Rgb([(x * 6) as u8, (y * 8) as u8, 7])
        }));
        let streamed = resize_png(&png(&image), 80, 700)
            .expect("resizes")
            .expect("not interlaced");
        let whole = super::super::resize::resize(&image, 80, 700).expect("resizes");
        let off = largest_difference(&streamed, &whole);
        assert!(off.is_some_and(|off| off <= 1), "{off:?}");
    }

    #[test]
    fn a_broken_png_is_an_error() {
        let image = DynamicImage::ImageRgb8(RgbImage::new(40, 600));
        let bytes = png(&image);
        assert!(resize_png(&bytes[..bytes.len() / 2], 20, 300).is_err());
        assert!(resize_png(b"not a png", 20, 300).is_err());
    }
}
