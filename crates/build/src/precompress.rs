//! Precompressed copies (`precompress = true` in folio.toml): `page.html.br` and
//! `page.html.gz` beside every text file of the output, for servers that send a file's
//! precompressed copy instead of compressing each response (nginx's `gzip_static` and
//! `brotli_static`, Caddy's `precompressed`). Netlify and Cloudflare Pages compress by
//! themselves and need none, hence off by default. Brotli at quality 9 and gzip at level 9:
//! made once per build, so they may cost more than a server's on-the-fly compression.

use crate::output::DiskOutput;
use folio_diag::Diagnostic;
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// The extensions of the files given copies: text, which compresses (images and fonts are
/// compressed already).
const TEXT: [&str; 9] = [
    "html",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "svg",
    "txt",
    "webmanifest",
];

/// Files smaller than this gain nothing a request's headers would not outweigh.
const MIN_BYTES: usize = 256;

/// Brotli's quality (of 11): 9 compresses within a few percent of 11 at a tenth of its time.
const BROTLI_QUALITY: i32 = 9;

/// Write a `.br` and a `.gz` copy beside every text file written to `output`, where the copy
/// is smaller than the file; returns how many copies were written.
pub fn precompress(output: &DiskOutput) -> Result<usize, Diagnostic> {
    let root = output.path();
    let files: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && is_text(entry.path()))
        .map(|entry| entry.into_path())
        .collect();
    let written: Result<Vec<usize>, Diagnostic> = files
        .par_iter()
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
            let bytes = std::fs::read(path).map_err(|e| {
                Diagnostic::error("build/write", format!("cannot read `{rel}`: {e}"))
            })?;
            if bytes.len() < MIN_BYTES {
                return Ok(0);
            }
            let mut count = 0;
            for (ext, copy) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
                if copy.len() < bytes.len() {
                    output.write_file(&format!("{rel}.{ext}"), &copy)?;
                    count += 1;
                }
            }
            Ok(count)
        })
        .collect();
    Ok(written?.into_iter().sum())
}

fn is_text(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| TEXT.iter().any(|t| t.eq_ignore_ascii_case(ext)))
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    // Writing into memory cannot fail.
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::best(),
    );
    // Writing into memory cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn text_files_get_copies_that_unpack_to_them_and_others_none() {
        let dir = tempfile::tempdir().expect("dir");
        let output = DiskOutput::begin(&dir.path().join("out"), &dir.path().join("site"), "-o")
            .expect("out");
        let page = "<p>folio precompresses what it writes.</p>\n".repeat(40);
        output
            .write_file("a/index.html", page.as_bytes())
            .expect("page");
        output.write_file("tiny.css", b"p{}").expect("css");
        output
            .write_file("photo.jpg", page.as_bytes())
            .expect("jpg");
        assert_eq!(precompress(&output).expect("copies"), 2);
        let gz = std::fs::read(output.path().join("a/index.html.gz")).expect("gz");
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut unpacked)
            .expect("gzip");
        assert_eq!(unpacked, page);
        let br = std::fs::read(output.path().join("a/index.html.br")).expect("br");
        let mut unpacked = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut unpacked)
            .expect("brotli");
        assert_eq!(unpacked, page);
        assert!(
            !output.path().join("tiny.css.gz").exists(),
            "too small to gain"
        );
        assert!(!output.path().join("photo.jpg.gz").exists(), "not text");
    }
}
