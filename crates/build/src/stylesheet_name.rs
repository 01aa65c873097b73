//! The stylesheet's hashed name in a build written to disk (`assets/site.<hash>.css`). The
//! stylesheet is made from the classes the pages use, after they are rendered, but pages are
//! written as they render: so they name it by a guess, the previous build's name (an unchanged
//! page then still equals, and is linked from, the previous build's), and where the guess was
//! wrong the name is overwritten in place, byte for byte (it has the same length), in the pages
//! that carry it. `folio serve` keeps the plain `assets/site.css`: it revalidates every file.

use crate::output::DiskOutput;
use crate::{FileBytes, STYLESHEET_PATH};
use folio_diag::Diagnostic;
use folio_render::asset_names::{content_tag, with_tag, TAG_LEN};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// The stylesheet's name while a build is written: the guess pages carry, and where they
/// carry it.
#[derive(Debug)]
pub(crate) struct StylesheetName {
    /// The tag guessed.
    guess: String,
    /// `/assets/site.<guess>.css`.
    href: String,
    /// Output path of a page written → the offsets of the guessed tag in it.
    named_in: Mutex<Vec<(String, Vec<usize>)>>,
}

impl StylesheetName {
    /// A guess from the build in `previous` (its stylesheet's tag), or a tag of zeros.
    pub(crate) fn guess(previous: Option<&Path>) -> StylesheetName {
        let guess = previous
            .and_then(previous_tag)
            .unwrap_or_else(|| "0".repeat(TAG_LEN));
        StylesheetName {
            href: format!("/{}", with_tag(STYLESHEET_PATH, &guess)),
            guess,
            named_in: Mutex::new(Vec::new()),
        }
    }

    /// The stylesheet's URL for the pages to name.
    pub(crate) fn href(&self) -> &str {
        &self.href
    }

    /// Note where the page at `path`, being written with `bytes`, names the stylesheet.
    pub(crate) fn page_written(&self, path: &str, bytes: &[u8]) {
        let offsets = self.offsets_in(bytes);
        if !offsets.is_empty() {
            let mut named_in = self.named_in.lock().unwrap_or_else(|p| p.into_inner());
            named_in.push((path.to_string(), offsets));
        }
    }

    /// The offsets of the guessed tag in `bytes`, one per time they name the stylesheet.
    fn offsets_in(&self, bytes: &[u8]) -> Vec<usize> {
        let tag_at = self.href.len() - TAG_LEN - ".css".len();
        memchr::memmem::find_iter(bytes, self.href.as_bytes())
            .map(|at| at + tag_at)
            .collect()
    }

    /// Name the stylesheet in `files` (at [`STYLESHEET_PATH`] until now) by its hash, and
    /// put that name in every page that carries the guess: those written to `output`, and the
    /// pages among `files` (the "page not found").
    pub(crate) fn settle(
        self,
        files: &mut HashMap<String, FileBytes>,
        output: &DiskOutput,
    ) -> Result<(), Diagnostic> {
        let Some(css) = files.remove(STYLESHEET_PATH) else {
            return Ok(());
        };
        let tag = content_tag(&css);
        files.insert(with_tag(STYLESHEET_PATH, &tag), css);
        if tag == self.guess {
            return Ok(());
        }
        // The same byte-for-byte overwrite as on disk, for the pages held in memory.
        for bytes in files.values_mut() {
            let offsets = self.offsets_in(bytes);
            if !offsets.is_empty() {
                let mut patched = bytes.to_vec();
                for at in offsets {
                    patched[at..at + TAG_LEN].copy_from_slice(tag.as_bytes());
                }
                *bytes = FileBytes::from(patched);
            }
        }
        let named_in = self.named_in.into_inner();
        named_in
            .unwrap_or_else(|p| p.into_inner())
            .par_iter()
            .try_for_each(|(path, offsets)| output.overwrite_at(path, offsets, tag.as_bytes()))
    }
}

/// The tag of the stylesheet of the build in `dir`, if it has one hashed stylesheet.
fn previous_tag(dir: &Path) -> Option<String> {
    let (folder, name) = STYLESHEET_PATH.rsplit_once('/')?;
    let (stem, ext) = name.rsplit_once('.')?;
    let mut tags = std::fs::read_dir(dir.join(folder))
        .ok()?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let tag = name.strip_prefix(stem)?.strip_prefix('.')?;
            let tag = tag.strip_suffix(ext)?.strip_suffix('.')?;
            let hex = tag.len() == TAG_LEN && tag.bytes().all(|b| b.is_ascii_hexdigit());
            hex.then(|| tag.to_string())
        });
    let tag = tags.next()?;
    tags.next().is_none().then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guess_is_the_previous_builds_tag_when_it_has_one() {
        let dir = tempfile::tempdir().expect("dir");
        assert_eq!(
            StylesheetName::guess(Some(dir.path())).guess,
            "000000000000"
        );
        std::fs::create_dir(dir.path().join("assets")).expect("assets");
        std::fs::write(dir.path().join("assets/site.0123456789ab.css"), "a").expect("css");
        std::fs::write(dir.path().join("assets/site.css"), "a").expect("css");
        std::fs::write(dir.path().join("assets/search.0123456789ac.js"), "a").expect("js");
        let name = StylesheetName::guess(Some(dir.path()));
        assert_eq!(name.href(), "/assets/site.0123456789ab.css");
        // Two hashed stylesheets: no telling which one the pages name.
        std::fs::write(dir.path().join("assets/site.0123456789ff.css"), "b").expect("css");
        assert_eq!(
            StylesheetName::guess(Some(dir.path())).guess,
            "000000000000"
        );
    }

    #[test]
    fn a_wrong_guess_is_overwritten_in_the_pages_written_and_in_memory() {
        let site = tempfile::tempdir().expect("site");
        let out = site.path().join("out");
        let output = DiskOutput::begin(&out, &site.path().join("src"), "-o").expect("output");
        let name = StylesheetName::guess(None);
        let page = format!("<link href=\"{0}\"><p>{0}</p>", name.href());
        output
            .write_file("a/index.html", page.as_bytes())
            .expect("write");
        name.page_written("a/index.html", page.as_bytes());
        name.page_written("b/index.html", b"<p>no stylesheet</p>");
        let css: FileBytes = FileBytes::from(&b"body{}"[..]);
        let mut files = HashMap::from([
            (STYLESHEET_PATH.to_string(), css.clone()),
            ("404.html".to_string(), FileBytes::from(page.as_bytes())),
        ]);
        name.settle(&mut files, &output).expect("settle");
        let hashed = with_tag(STYLESHEET_PATH, &content_tag(&css));
        assert!(files.contains_key(&hashed) && !files.contains_key(STYLESHEET_PATH));
        let want = format!("<link href=\"/{hashed}\"><p>/{hashed}</p>");
        assert_eq!(&*files["404.html"], want.as_bytes());
        let written = std::fs::read_to_string(output.path().join("a/index.html")).expect("read");
        assert_eq!(written, want);
    }
}
