//! The photo site of `cargo xtask bench`: what real sites' images cost a build and a first
//! `folio serve`, which nothing else in the benchmark measures.
//!
//! The site is `examples/devrel` plus a gallery page of photos in the sizes real owners upload
//! (24 and 12 megapixel camera JPEG, PNG screenshots, PNG photos, a 2880 × 16384 PNG style
//! guide), about 50 MB in all. They are generated (smooth fields of colour with fine grain, so
//! that they compress as photos do) as a pure function of their number, cached under
//! `target/bench/photos` with a stamp; `--photos DIR` measures a real site instead.
//!
//! For each run, in one process tree and interleaved with `--against`'s binary when given:
//! a cold build (an empty image cache), a warm build (the cache just filled), and a first
//! `folio serve` with an empty cache, timed from the spawn to the home page's last byte.

use crate::bench::{build_once, BuildRun, Trash};
use crate::bench_serve::{copy_tree, write, Server};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The version of the generated photos; a cached site with another is generated again.
const GENERATOR_VERSION: u32 = 2;

/// Generated photos are added until they weigh this much.
const TARGET_BYTES: u64 = 50_000_000;

/// What the images are, in the order they are generated: width, height, format, and
/// whether it is a graphic (flat colours: a screenshot, a style guide) rather than a photo.
const SHAPES: [(u32, u32, ImageFormat, bool); 6] = [
    (6000, 4000, ImageFormat::Jpeg, false),
    (2880, 16384, ImageFormat::Png, true),
    (4032, 3024, ImageFormat::Jpeg, false),
    (1920, 1080, ImageFormat::Png, true),
    (3000, 2000, ImageFormat::Png, false),
    (4032, 3024, ImageFormat::Jpeg, false),
];

/// The photo site on disk: its folder, how many images it has and their bytes.
pub(crate) struct PhotoSite {
    pub dir: PathBuf,
    pub images: usize,
    pub bytes: u64,
}

/// The measurements of one binary on the photo site.
#[derive(Default)]
pub(crate) struct PhotoRuns {
    pub cold: Vec<BuildRun>,
    pub warm: Vec<BuildRun>,
    /// From `folio serve`'s spawn to the home page's last byte, ms.
    pub serve_first: Vec<f64>,
}

/// `given`, or the generated photo site (made now unless its stamp matches).
pub(crate) fn photo_site(
    root: &Path,
    given: Option<&Path>,
    trash: &Trash,
) -> Result<PhotoSite, String> {
    if let Some(dir) = given {
        let (images, bytes) = count_images(&dir.join("public"))?;
        return Ok(PhotoSite {
            dir: dir.to_path_buf(),
            images,
            bytes,
        });
    }
    let dir = root.join("target/bench/photos");
    let stamp = dir.join(".folio-bench-stamp");
    let expected = format!("photos {GENERATOR_VERSION}");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(expected.as_str()) {
        trash.move_in(&dir)?;
        eprintln!("==> photo site: generating about 50 MB of photos (once)");
        generate(root, &dir)?;
        write(&stamp, &expected)?;
    }
    let (images, bytes) = count_images(&dir.join("public/images/photos"))?;
    Ok(PhotoSite { dir, images, bytes })
}

fn generate(root: &Path, dir: &Path) -> Result<(), String> {
    copy_tree(&root.join("examples/devrel"), dir)?;
    let photos = dir.join("public/images/photos");
    std::fs::create_dir_all(&photos).map_err(|e| format!("{}: {e}", photos.display()))?;
    let mut page = String::from(
        "---\ntype: PageLayout\ntitle: Photos\nsections:\n  - type: MediaGallerySection\n    \
         title: Photos\n    columns: 3\n    images:\n",
    );
    let (mut total, mut n) = (0, 0);
    while total < TARGET_BYTES {
        let (width, height, format, graphic) = SHAPES[n % SHAPES.len()];
        let ext = if format == ImageFormat::Png {
            "png"
        } else {
            "jpg"
        };
        let name = format!("photo-{n:02}.{ext}");
        let image = match graphic {
            true => self::graphic(n as u64, width, height),
            false => photo(n as u64, width, height),
        };
        let path = photos.join(&name);
        image
            .save_with_format(&path, format)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        total += std::fs::metadata(&path).map_or(0, |m| m.len());
        page.push_str(&format!(
            "      - type: ImageBlock\n        url: /images/photos/{name}\n        altText: \
             Photo {n}\n"
        ));
        n += 1;
    }
    page.push_str("---\n");
    write(&dir.join("content/pages/photos.md"), &page)
}

/// Photo `n`: a smooth field of colour (a coarse random grid, interpolated) with fine grain.
fn photo(n: u64, width: u32, height: u32) -> DynamicImage {
    let mut next = rng(n);
    const GRID: usize = 9;
    let grid: Vec<[f32; 3]> = (0..GRID * GRID)
        .map(|_| [0, 1, 2].map(|_| (next() % 256) as f32))
        .collect();
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        let gx = x as f32 / width as f32 * (GRID - 1) as f32;
        let gy = y as f32 / height as f32 * (GRID - 1) as f32;
        let (ix, iy) = ((gx as usize).min(GRID - 2), (gy as usize).min(GRID - 2));
        let (fx, fy) = (gx - ix as f32, gy - iy as f32);
        let at = |i: usize, j: usize, c: usize| grid[j * GRID + i][c];
        let grain = (next() % 17) as f32 - 8.0;
        Rgb([0, 1, 2].map(|c| {
            let top = at(ix, iy, c) * (1.0 - fx) + at(ix + 1, iy, c) * fx;
            let bottom = at(ix, iy + 1, c) * (1.0 - fx) + at(ix + 1, iy + 1, c) * fx;
            (top * (1.0 - fy) + bottom * fy + grain).clamp(0.0, 255.0) as u8
        }))
    }))
}

/// Graphic `n`, RGBA as exported by design tools: bands of flat colour holding rows of
/// "text" (short dark strokes), the way a screenshot or a style guide compresses.
fn graphic(n: u64, width: u32, height: u32) -> DynamicImage {
    let mut next = rng(n);
    let bands: Vec<[u8; 3]> = (0..64)
        .map(|_| [0, 1, 2].map(|_| 128 + (next() % 128) as u8))
        .collect();
    DynamicImage::ImageRgba8(RgbaImage::from_fn(width, height, |x, y| {
        let [r, g, b] = bands[(y / 256) as usize % bands.len()];
        let text = (y % 32) < 12 && (x % 96) < 70 && ((x / 7 + y / 32) % 5) != 0;
        if text && x % 7 < 5 {
            Rgba([30, 30, 40, 255])
        } else {
            Rgba([r, g, b, 255])
        }
    }))
}

/// A xorshift stream seeded by `n`.
fn rng(n: u64) -> impl FnMut() -> u64 {
    let mut state = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// JPEG, PNG and WebP files under `dir`, and their bytes.
fn count_images(dir: &Path) -> Result<(usize, u64), String> {
    let (mut images, mut bytes) = (0, 0);
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let (i, b) = count_images(&path)?;
            images += i;
            bytes += b;
            continue;
        }
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        if matches!(ext.as_deref(), Some("jpg" | "jpeg" | "png" | "webp")) {
            images += 1;
            bytes += entry.metadata().map_or(0, |m| m.len());
        }
    }
    Ok((images, bytes))
}

/// One run of `binary` on `site`: cold, warm, and a first serve, in folders under `scratch`.
pub(crate) fn measure_run(
    binary: &Path,
    site: &Path,
    scratch: &Path,
    runs: &mut PhotoRuns,
) -> Result<(), String> {
    let cache = scratch.join("cache");
    let cold = build_once(
        binary,
        site,
        &scratch.join("cold"),
        true,
        true,
        Some(&cache),
    )?;
    let warm = build_once(
        binary,
        site,
        &scratch.join("warm"),
        true,
        true,
        Some(&cache),
    )?;
    eprintln!(
        "    {}: cold {:.0} ms, warm {:.0} ms",
        binary.display(),
        cold.wall_ms,
        warm.wall_ms
    );
    runs.cold.push(cold);
    runs.warm.push(warm);
    let started = Instant::now();
    let server = Server::start_with_cache(binary, site, Some(&scratch.join("serve-cache")))?;
    let page = get(&server.address, "/")?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !page.starts_with("HTTP/1.1 200") {
        return Err(format!("folio serve's home page: {}", first_line(&page)));
    }
    eprintln!("    first page served after {ms:.0} ms");
    runs.serve_first.push(ms);
    Ok(())
}

/// The whole response to `GET path`, as text.
fn get(address: &str, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("{address}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}
