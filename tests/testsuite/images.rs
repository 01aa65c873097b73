//! Images: missing local images are warnings at the file and line that reference them; every
//! local image has its width and height; images below the fold load lazily; large images get
//! resized copies in their `srcset`, cached between builds.

use crate::support::{build_into, check_human, fixture, tagged_path, untagged};
use image::ImageEncoder;
use std::path::Path;

#[test]
fn missing_local_images_are_warnings_at_their_file_and_line() {
    let run = check_human(&fixture("invalid_missing_image"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    // The remote images (`https://picsum.photos/…`, `https://example.org/a.png`) and the
    // existing `/images/hero.png` are not reported.
    assert_eq!(
        run.stdout.matches("content/missing-image").count(),
        5,
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);
}

/// The `<img …>` tags of a built page.
fn img_tags(html: &str) -> Vec<&str> {
    html.match_indices("<img ")
        .map(|(at, _)| &html[at..at + html[at..].find('>').expect("closed tag") + 1])
        .collect()
}

/// A built page, without the hashes in the names of the files it links to.
fn read(path: &Path) -> String {
    untagged(&std::fs::read_to_string(path).expect("built page"))
}

/// The copy named `rel` (without its hash) in an in-memory build.
fn copy_named<'a>(
    build: &'a folio_build::MemoryBuild,
    rel: &str,
) -> &'a std::sync::Arc<folio_build::images::ImageCopy> {
    let (_, copy) = build
        .images
        .iter()
        .find(|(path, _)| untagged(path) == rel)
        .expect(rel);
    copy
}

#[test]
fn images_above_the_fold_load_eagerly_and_the_others_lazily_all_with_their_size() {
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(&fixture("images"), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = read(&out.path().join("index.html"));
    let post = read(&out.path().join("blog/post/index.html"));
    let lazy = r#"loading="lazy" decoding="async""#;
    let tags: Vec<&str> = img_tags(&home).into_iter().chain(img_tags(&post)).collect();
    assert_eq!(tags.len(), 6, "{tags:#?}");
    for tag in &tags {
        assert!(tag.contains(r#"width="40" height="30""#), "{tag}");
        let eager = ["alt=\"Logo\"", "Above the fold", "Post media"]
            .iter()
            .any(|alt| tag.contains(alt));
        assert_eq!(!tag.contains(lazy), eager, "{tag}");
    }
    assert!(
        post.contains(r#"<img src="/images/hero.png" alt="In the body" width="40" height="30" loading="lazy" decoding="async">"#),
        "{post}"
    );
    // Small images get no copies, and no cache folder is made for them.
    assert!(!home.contains("srcset"));
    assert!(!fixture("images").join(".folio").exists());
}

/// A site whose home page shows a 1000×600 photo (JPEG) and a 1000×400 graphic (PNG).
pub(crate) fn site_with_large_images() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/pages")).expect("mkdir");
    std::fs::create_dir_all(root.join("public/images")).expect("mkdir");
    std::fs::write(
        root.join("content/pages/index.md"),
        "---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: HeroSection\n    title: Photo\n    media:\n      type: ImageBlock\n      url: /images/photo.jpg\n  - type: HeroSection\n    title: Graphic\n    media:\n      type: ImageBlock\n      url: /images/graphic.png\n---\n",
    )
    .expect("page");
    // A photo-like image: smooth gradients with fine noise, saved at high quality.
    let photo = image::RgbImage::from_fn(1000, 600, |x, y| {
        let noise = ((x * 7919 + y * 104_729) % 23) as u8;
        image::Rgb([(x / 4) as u8 ^ noise, (y / 3) as u8, ((x + y) / 7) as u8])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode_image(&photo)
        .expect("jpeg");
    std::fs::write(root.join("public/images/photo.jpg"), jpeg).expect("write");
    // A graphic: flat bands of colour.
    let graphic = image::RgbImage::from_fn(1000, 400, |x, _| {
        image::Rgb(if (x / 100) % 2 == 0 {
            [200, 30, 30]
        } else {
            [20, 20, 120]
        })
    });
    graphic
        .save(root.join("public/images/graphic.png"))
        .expect("png");
    dir
}

#[test]
fn large_images_get_resized_copies_in_their_srcset() {
    let site = site_with_large_images();
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(site.path(), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = read(&out.path().join("index.html"));
    assert!(
        home.contains(r#"src="/images/photo.jpg" width="1000" height="600" srcset="/images/_v/photo-320.jpg 320w, /images/_v/photo-480.jpg 480w, /images/_v/photo-800.jpg 800w, /images/photo.jpg 1000w" sizes="(min-width: 1024px) 640px, 100vw""#),
        "{home}"
    );
    for (file, width, height) in [
        ("images/_v/photo-320.jpg", 320, 192),
        ("images/_v/photo-480.jpg", 480, 288),
        ("images/_v/photo-800.jpg", 800, 480),
        ("images/_v/graphic-480.png", 480, 192),
        ("images/_v/graphic-480.png.webp", 480, 192),
        ("images/_v/graphic-1000.png.webp", 1000, 400),
    ] {
        let size = image::image_dimensions(tagged_path(out.path(), file)).expect(file);
        assert_eq!(size, (width, height), "{file}");
    }
    // The graphic's lossless WebP copies are smaller than its PNG ones: offered first.
    assert!(
        home.contains(r#"<picture><source type="image/webp" srcset="/images/_v/graphic-320.png.webp 320w, /images/_v/graphic-480.png.webp 480w, /images/_v/graphic-800.png.webp 800w, /images/_v/graphic-1000.png.webp 1000w""#),
        "{home}"
    );
    let ignore = std::fs::read_to_string(site.path().join(".folio/cache/.gitignore"));
    assert!(ignore.expect("a .gitignore").contains('*'));
}

/// Photos get lossy WebP copies, smaller than their JPEG or PNG counterparts, at every width
/// the `<img>` offers; a PNG photo gets one at its own width too (a 500 KB PNG hero is the
/// page's largest paint); a flat graphic stays lossless.
#[test]
fn photos_get_lossy_webp_copies_whatever_their_width() {
    let site = site_with_large_images();
    let noise = image::RgbImage::from_fn(700, 400, |x, y| {
        let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 7;
        image::Rgb([
            n as u8,
            (n >> 8) as u8 ^ (x as u8),
            (n >> 16) as u8 ^ (y as u8),
        ])
    });
    noise
        .save(site.path().join("public/images/hero.png"))
        .expect("png");
    let page = site.path().join("content/pages/index.md");
    let text = std::fs::read_to_string(&page).expect("page");
    std::fs::write(
        &page,
        text.replacen(
            "sections:\n",
            "sections:\n  - type: HeroSection\n    title: Hero\n    media:\n      type: ImageBlock\n      url: /images/hero.png\n",
            1,
        ),
    )
    .expect("page");
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(site.path(), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = read(&out.path().join("index.html"));
    assert!(
        home.contains(
            r#"<picture><source type="image/webp" srcset="/images/_v/hero-320.png.webp 320w, /images/_v/hero-480.png.webp 480w, /images/_v/hero-700.png.webp 700w""#
        ),
        "{home}"
    );
    assert!(
        home.contains(r#"<picture><source type="image/webp" srcset="/images/_v/photo-320.jpg.webp 320w, /images/_v/photo-480.jpg.webp 480w, /images/_v/photo-800.jpg.webp 800w, /images/_v/photo-1000.jpg.webp 1000w""#),
        "{home}"
    );
    let size = |file: &str| {
        std::fs::metadata(tagged_path(out.path(), file))
            .expect(file)
            .len()
    };
    assert!(size("images/_v/hero-700.png.webp") * 3 < size("images/hero.png"));
    assert!(size("images/_v/photo-800.jpg.webp") < size("images/_v/photo-800.jpg"));
    // Lossy: a decoded copy is close to the photo, not equal to it.
    let copy = image::open(tagged_path(out.path(), "images/_v/hero-700.png.webp"))
        .expect("webp")
        .to_rgb8();
    assert_eq!(copy.dimensions(), (700, 400));
    assert_ne!(copy, noise, "lossy, not lossless");
}

/// A photo saved as a compact PNG (under a byte per pixel, so taken for a graphic by its
/// size) still gets lossy WebP: lossless WebP cannot shrink it, and that tells it apart. The
/// photo is the bundled example's `post-3.jpg` (1280 × 720), saved as PNG with the best
/// compression: about 0.8 bytes per pixel, as an owner's exported hero is.
#[test]
fn a_photo_saved_as_a_compact_png_still_gets_lossy_webp() {
    let site = site_with_large_images();
    let photo = image::open(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/devrel/public/images/post-3.jpg"),
    )
    .expect("photo")
    .to_rgb8();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(&photo, 1280, 720, image::ExtendedColorType::Rgb8)
    .expect("png");
    let per_pixel = png.len() as f64 / (1280.0 * 720.0);
    assert!(per_pixel < 1.0, "{per_pixel} bytes per pixel");
    std::fs::write(site.path().join("public/images/graphic.png"), &png).expect("png");
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(site.path(), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = read(&out.path().join("index.html"));
    assert!(
        home.contains(r#"<picture><source type="image/webp" srcset="/images/_v/graphic-320.png.webp 320w, /images/_v/graphic-480.png.webp 480w, /images/_v/graphic-800.png.webp 800w, /images/_v/graphic-1200.png.webp 1200w, /images/_v/graphic-1280.png.webp 1280w""#),
        "{home}"
    );
    let size = |file: &str| {
        std::fs::metadata(tagged_path(out.path(), file))
            .expect(file)
            .len()
    };
    // Lossy: several times smaller than the PNG at the same width.
    assert!(size("images/_v/graphic-1280.png.webp") * 4 < png.len() as u64);
    assert!(size("images/_v/graphic-800.png.webp") * 4 < size("images/_v/graphic-800.png"));
}

#[test]
fn a_second_build_reads_the_cached_copies_instead_of_encoding_them() {
    let site = site_with_large_images();
    let first = tempfile::tempdir().expect("tempdir");
    assert_eq!(build_into(site.path(), first.path()).code, 0);
    let cache = site.path().join(".folio/cache/images");
    let stamps = |dir: &Path| -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut list: Vec<_> = std::fs::read_dir(dir)
            .expect("cache folder")
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.path(),
                    e.metadata().expect("meta").modified().expect("mtime"),
                )
            })
            .collect();
        list.sort();
        list
    };
    let before = stamps(&cache);
    assert!(before.len() >= 5, "{before:?}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = tempfile::tempdir().expect("tempdir");
    assert_eq!(build_into(site.path(), second.path()).code, 0);
    assert_eq!(stamps(&cache), before, "no copy was encoded again");
    for file in [
        "images/_v/photo-800.jpg",
        "images/_v/graphic-480.png.webp",
        "index.html",
    ] {
        assert_eq!(
            std::fs::read(tagged_path(first.path(), file)).expect(file),
            std::fs::read(tagged_path(second.path(), file)).expect(file),
            "{file}"
        );
    }
}

#[test]
fn rebuilds_while_serving_encode_only_new_or_changed_images() {
    let site = site_with_large_images();
    // The disk cache deleted: what the builder keeps in memory is what saves the work.
    let mut builder = folio_build::SiteBuilder::new(site.path(), None);
    let first = builder
        .build(folio_build::Changed::Unknown)
        .expect("a site");
    let cache = site.path().join(".folio/cache/images");
    std::fs::remove_dir_all(&cache).expect("cache made");
    assert!(first.images_encoded >= 5, "{}", first.images_encoded);
    let copy = copy_named(&first, "images/_v/photo-800.jpg");
    let again = builder
        .build(folio_build::Changed::Unknown)
        .expect("a site");
    assert_eq!(again.images_encoded, 0);
    assert!(std::sync::Arc::ptr_eq(
        copy_named(&again, "images/_v/photo-800.jpg"),
        copy
    ));
    // Its cache file gone, the copy is made again when asked for.
    let bytes = copy.bytes().expect("made again");
    assert!(image::load_from_memory(&bytes).is_ok());
    // A changed image is encoded again: 320, 480 and 800 px copies, and their WebP with one
    // at its own width.
    let photo = image::RgbImage::from_fn(900, 300, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
    });
    photo
        .save(site.path().join("public/images/photo.jpg"))
        .expect("save");
    let changed = builder
        .build(folio_build::Changed::Unknown)
        .expect("a site");
    assert!(
        (1..=7).contains(&changed.images_encoded),
        "{}",
        changed.images_encoded
    );
}

/// A space in an image's name is percent-encoded in `srcset` (where it would end the URL).
#[test]
fn srcset_urls_with_spaces_are_percent_encoded() {
    let site = site_with_large_images();
    let images = site.path().join("public/images");
    std::fs::rename(images.join("photo.jpg"), images.join("my photo.jpg")).expect("rename");
    let page = site.path().join("content/pages/index.md");
    let text = read(&page).replace("/images/photo.jpg", "/images/my photo.jpg");
    std::fs::write(&page, text).expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(site.path(), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = read(&out.path().join("index.html"));
    assert!(
        home.contains(r#"srcset="/images/_v/my%20photo-320.jpg 320w, /images/_v/my%20photo-480.jpg 480w, /images/_v/my%20photo-800.jpg 800w, /images/my%20photo.jpg 1000w""#),
        "{home}"
    );
    assert!(tagged_path(out.path(), "images/_v/my photo-480.jpg").is_file());
}

/// A raw-HTML `<img>` naming a missing file is reported like a Markdown image, at its `src`.
#[test]
fn a_missing_raw_html_image_is_a_warning_at_its_src() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    std::fs::create_dir_all(site.join("content/pages")).expect("mkdir");
    std::fs::write(
        site.join("content/pages/index.md"),
        "---\ntype: PostLayout\ntitle: Home\ndate: 2024-01-01\n---\n\n<p align=\"center\"><img src=\"/images/gone.png\" width=\"80\"></p>\n",
    )
    .expect("write");
    let (code, json) = crate::support::check_json(site);
    assert_eq!(code, 0);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "content/missing-image", "{json:#}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(29)),
        "{json:#}"
    );
}

/// The first image of each page's main content (a post's media, the hero of the info page,
/// the first card of a feed) is fetched first: not lazy, `fetchpriority="high"`; every other
/// image still loads lazily, and no page has two such images.
#[test]
fn the_first_image_of_a_page_is_fetched_first_and_only_it() {
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(&crate::support::portfolio(), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first_image = |page: &str| {
        let html = std::fs::read_to_string(out.path().join(page)).expect("page");
        assert!(html.matches("fetchpriority").count() <= 1, "{page}");
        let main = html.find("<main").expect("main");
        let img = main + html[main..].find("<img ").expect("an image");
        html[img..img + html[img..].find('>').expect("end")].to_string()
    };
    for page in [
        "blog/index.html",
        "blog/post-one/index.html",
        "info/index.html",
        "projects/index.html",
    ] {
        let tag = first_image(page);
        assert!(
            tag.contains(r#"fetchpriority="high""#) && !tag.contains("loading="),
            "{page}: {tag}"
        );
    }
    let feed = std::fs::read_to_string(out.path().join("blog/index.html")).expect("feed");
    assert!(feed.matches(r#"loading="lazy""#).count() >= 3, "{feed}");
}

/// Files larger than folio reads (64 MB) are still copied, as the original copies them: a
/// video as it is, an image without resized copies and with a warning, never an error.
#[test]
fn files_over_64_mb_are_copied_as_they_are() {
    let site = site_with_large_images();
    let big = 65 * 1024 * 1024;
    for name in ["public/video.mp4", "public/images/poster.png"] {
        // Sparse: 65 MB long, next to nothing on disk.
        let file = std::fs::File::create(site.path().join(name)).expect("create");
        file.set_len(big).expect("set_len");
    }
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(site.path(), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    assert!(
        run.stderr.contains("public/images/poster.png"),
        "{}",
        run.stderr
    );
    for name in ["video.mp4", "images/poster.png"] {
        let copied = std::fs::metadata(out.path().join(name)).expect(name);
        assert_eq!(copied.len(), big, "{name}");
    }
}
