//! CDN-ready output: files named by their content's hash, `_headers` that caches them for ever,
//! rebuilds that keep unchanged files, and the optional precompressed copies.

use crate::support::{build_into, copy_dir, devrel, tagged_path, untagged, write_file};
use std::io::Read;
use std::path::{Path, PathBuf};

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn inode_of(out: &Path, rel: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(out.join(rel)).expect(rel).ino()
}

fn stylesheet_of(page: &str) -> &str {
    let at = page.find("/assets/site.").expect("a stylesheet link");
    let end = at + page[at..].find('"').expect("quoted");
    &page[at..end]
}

/// A copy of the example site, built once: (the folder holding both, the site, the output).
fn built_devrel() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(&devrel(), &site);
    let out = dir.path().join("out");
    assert_eq!(build_into(&site, &out).code, 0);
    (dir, site, out)
}

#[test]
fn pages_name_the_stylesheet_they_were_built_with_across_rebuilds() {
    let (_dir, site, out) = built_devrel();
    let home = read(&out, "index.html");
    let first = stylesheet_of(&home).to_string();
    assert!(out.join(&first[1..]).is_file(), "{first}");
    assert_ne!(untagged(&first), first, "named by its hash");
    assert_eq!(stylesheet_of(&read(&out, "404.html")), first);

    // Nothing changed: the same name, and the pages are kept from the previous build.
    let inode_before = inode_of(&out, "index.html");
    assert_eq!(build_into(&site, &out).code, 0);
    assert_eq!(stylesheet_of(&read(&out, "index.html")), first);
    assert_eq!(
        inode_of(&out, "index.html"),
        inode_before,
        "kept, not written again"
    );
    let inode = |rel: &str| inode_of(&out, rel);
    let kept = inode("info/index.html");

    // A class no page used before: a new stylesheet, named in every page, old ones included.
    let page = "content/pages/blog/new.md";
    write_file(&site, page, "---\ntype: PostLayout\ntitle: New\ndate: '2024-01-01'\n---\n<div class=\"skew-y-3\">new</div>\n");
    assert_eq!(build_into(&site, &out).code, 0);
    let second = stylesheet_of(&read(&out, "index.html")).to_string();
    assert_ne!(second, first, "the classes changed");
    assert!(out.join(&second[1..]).is_file());
    assert!(
        !out.join(&first[1..]).exists(),
        "the old one is gone with its build"
    );
    for rel in [
        "index.html",
        "info/index.html",
        "404.html",
        "blog/new/index.html",
    ] {
        assert_eq!(stylesheet_of(&read(&out, rel)), second, "{rel}");
    }
    assert_ne!(
        inode("info/index.html"),
        kept,
        "rewritten, not written through"
    );
    let css = std::fs::read_to_string(tagged_path(&out, "assets/site.css")).expect("css");
    assert!(css.contains("skew-y-3"));
}

#[test]
fn precompressed_copies_are_written_when_asked_and_unpack_to_the_files() {
    let (_dir, site, out) = built_devrel();
    assert!(!out.join("index.html.gz").exists(), "off by default");

    write_file(&site, "folio.toml", "precompress = true\n");
    assert_eq!(build_into(&site, &out).code, 0);
    let home = std::fs::read(out.join("index.html")).expect("home");
    let mut gz = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(out.join("index.html.gz")).expect("gz"))
        .read_to_end(&mut gz)
        .expect("gzip");
    assert_eq!(gz, home);
    assert!(out.join("index.html.br").is_file());
    let css = tagged_path(&out, "assets/site.css");
    assert!(css.with_extension("css.br").is_file(), "{}", css.display());
    let font = tagged_path(&out, "assets/fonts/dm-mono-latin-400-normal.woff2");
    assert!(
        !font.with_extension("woff2.gz").exists(),
        "fonts are compressed already"
    );
}
