//! The search index's files: what each page contributes ([`PageEntry`], kept between rebuilds
//! by `folio serve`), and how the entries of a site become the files the client fetches.
//!
//! The layout under `folio-search/`, everything but `index.json` under a folder named by a hash
//! of the index (so that a CDN may cache those files for ever):
//!
//! - `index.json`: the language, the page count, that folder, and the first term of each chunk;
//! - `<hash>/t/<n>.bin`: chunks of the term dictionary, in term order, each about
//!   [`CHUNK_BYTES`] before compression: a query fetches only the chunks of its words;
//! - `<hash>/p/<n>.bin`: the URL, title and text of pages `4n` to `4n + 3` (a JSON array, gzip),
//!   for their results and excerpts. Four a file: a file a page made a 10,000-post site write
//!   10,000 more files, which cost more than the rest of the index on ext4; four costs a query
//!   showing 8 results a few more KB.
//!
//! A chunk is gzip of: the term count, then for each term (varints, terms front-coded against
//! the previous one) the shared byte count, the suffix length and bytes, the page count, and per
//! page its id (as the gap from the previous one) and one byte of weight ([`weight_byte`]):
//! BM25's term-frequency part (k1 1.2, b 0.75, page length included, so the client needs no
//! page lengths) and whether the term is in the title or a heading.

use super::extract::{PageText, Weight};
use super::words::{for_each_word, Terms};
use flate2::write::GzEncoder;
use flate2::Compression;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use std::io::Write as _;
use std::sync::Arc;

/// How many pages' fragments share a file.
pub const FRAGMENTS_PER_FILE: usize = 4;

/// The target size of a chunk of the term dictionary, before compression.
pub const CHUNK_BYTES: usize = 24 * 1024;

/// A page's weight byte for a term: where the term stands at best in the page in the top two
/// bits (0 text, 1 a heading, 2 the title), and BM25's term-frequency part of its text in the
/// six others (1 to 63). The client adds a bonus for the place and favours pages whose title
/// has every word of the query, as readers expect of a search box.
fn weight_byte(part: f64, place: Weight) -> u8 {
    let part = (part * 63.0).round().clamp(1.0, 63.0) as u8;
    (rank(place) << 6) | part
}

/// How often a page has a term, and the best place it has it in.
#[derive(Debug, Clone, Copy)]
pub struct Count {
    times: u32,
    place: Weight,
}

fn rank(place: Weight) -> u8 {
    match place {
        Weight::Text => 0,
        Weight::Heading => 1,
        Weight::Title => 2,
    }
}

/// BM25's parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// What one page gives the index.
#[derive(Debug)]
pub struct PageEntry {
    /// Its fragment: its URL, title and text as JSON, for its result and excerpt.
    pub fragment: Vec<u8>,
    /// Its terms with their weighted counts, sorted by term.
    pub terms: Vec<(Arc<str>, Count)>,
    /// How many words its text has.
    pub length: u32,
}

/// A page's fragment: what its result shows.
#[derive(serde::Serialize)]
struct Fragment<'a> {
    url: &'a str,
    title: &'a str,
    content: &'a str,
}

/// The entry of the page at `url` whose text is `text`.
pub fn page_entry(url: &str, text: &PageText, terms: &mut Terms) -> PageEntry {
    // By the term's address: `terms` gives one string per term.
    let mut counts: FxHashMap<*const u8, (Arc<str>, Count)> = FxHashMap::default();
    let mut length = 0u32;
    let mut offset = 0;
    // Words are read piece by piece (spans of headings and the text between them).
    let mut cuts: Vec<(usize, usize, Weight)> = Vec::new();
    for &(start, end, weight) in &text.weighted {
        if start > offset {
            cuts.push((offset, start, Weight::Text));
        }
        cuts.push((start, end, weight));
        offset = end;
    }
    cuts.push((offset, text.content.len(), Weight::Text));
    for (start, end, weight) in cuts {
        let Some(piece) = text.content.get(start..end) else {
            continue;
        };
        for_each_word(piece, |word| {
            length += 1;
            let term = terms.term(word);
            let count = &mut counts
                .entry(term.as_ptr())
                .or_insert_with(|| {
                    let count = Count {
                        times: 0,
                        place: Weight::Text,
                    };
                    (term, count)
                })
                .1;
            count.times += 1;
            if rank(weight) > rank(count.place) {
                count.place = weight;
            }
        });
    }
    let mut terms: Vec<(Arc<str>, Count)> = counts.into_values().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let fragment = serde_json::to_vec(&Fragment {
        url,
        title: &text.title,
        content: &text.content,
    })
    .unwrap_or_default();
    PageEntry {
        fragment,
        terms,
        length,
    }
}

/// The files of the index of `entries` (page id = position), as path under `folio-search/` →
/// contents.
pub fn index_files(
    entries: &[Arc<PageEntry>],
    language: &str,
    stems: bool,
) -> Vec<(String, Vec<u8>)> {
    let pages = entries.len();
    let average = if pages == 0 {
        1.0
    } else {
        entries.iter().map(|e| f64::from(e.length)).sum::<f64>() / pages as f64
    }
    .max(1.0);
    let mut postings: FxHashMap<&str, Vec<(u32, u8)>> = FxHashMap::default();
    for (id, entry) in entries.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * f64::from(entry.length) / average);
        for (term, count) in &entry.terms {
            let tf = f64::from(count.times);
            let part = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
            let byte = weight_byte(part, count.place);
            postings.entry(term).or_default().push((id as u32, byte));
        }
    }
    let mut terms: Vec<(&str, Vec<(u32, u8)>)> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut chunks: Vec<(String, Vec<u8>)> = Vec::new();
    let mut chunk = ChunkWriter::default();
    for (term, list) in &terms {
        if chunk.bytes.len() >= CHUNK_BYTES {
            chunks.push(std::mem::take(&mut chunk).finish());
        }
        chunk.push(term, list);
    }
    if chunk.count > 0 || chunks.is_empty() {
        chunks.push(chunk.finish());
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (_, bytes) in &chunks {
        hasher.update(bytes);
    }
    for entry in entries {
        hasher.update(&entry.fragment);
    }
    let folder = format!("{:016x}", hasher.digest());
    let index = json!({
        "version": 1,
        "language": language,
        "stem": stems,
        "pages": pages,
        "folder": folder,
        "fragments_per_file": FRAGMENTS_PER_FILE,
        "chunks": chunks.iter().map(|(first, _)| first).collect::<Vec<_>>(),
    });
    let mut files = Vec::with_capacity(1 + chunks.len() + pages);
    files.push(("index.json".to_owned(), index.to_string().into_bytes()));
    let packed: Vec<Vec<u8>> = chunks.par_iter().map(|(_, bytes)| gzip(bytes)).collect();
    for (n, bytes) in packed.into_iter().enumerate() {
        files.push((format!("{folder}/t/{n}.bin"), bytes));
    }
    let bundles: Vec<Vec<u8>> = entries
        .par_chunks(FRAGMENTS_PER_FILE)
        .map(|bundle| {
            let mut json = b"[".to_vec();
            for (i, entry) in bundle.iter().enumerate() {
                if i > 0 {
                    json.push(b',');
                }
                json.extend_from_slice(&entry.fragment);
            }
            json.push(b']');
            gzip(&json)
        })
        .collect();
    for (n, bundle) in bundles.into_iter().enumerate() {
        files.push((format!("{folder}/p/{n}.bin"), bundle));
    }
    files
}

/// One chunk of the dictionary being written.
#[derive(Default)]
struct ChunkWriter {
    first: String,
    previous: Vec<u8>,
    count: usize,
    bytes: Vec<u8>,
}

impl ChunkWriter {
    fn push(&mut self, term: &str, postings: &[(u32, u8)]) {
        if self.count == 0 {
            self.first = term.to_owned();
        }
        let shared = self
            .previous
            .iter()
            .zip(term.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        varint(&mut self.bytes, shared as u64);
        let suffix = &term.as_bytes()[shared..];
        varint(&mut self.bytes, suffix.len() as u64);
        self.bytes.extend_from_slice(suffix);
        varint(&mut self.bytes, postings.len() as u64);
        let mut last = 0;
        for &(page, weight) in postings {
            varint(&mut self.bytes, u64::from(page - last));
            self.bytes.push(weight);
            last = page;
        }
        self.previous = term.as_bytes().to_vec();
        self.count += 1;
    }

    /// The chunk's first term and its bytes (term count first).
    fn finish(self) -> (String, Vec<u8>) {
        let mut out = Vec::with_capacity(self.bytes.len() + 4);
        varint(&mut out, self.count as u64);
        out.extend_from_slice(&self.bytes);
        (self.first, out)
    }
}

/// LEB128: seven bits a byte, low first.
fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// `bytes` gzipped, fast: the index is rebuilt on every build, and its files are small.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read as _;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip");
        out
    }

    fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
        let mut value = 0;
        let mut shift = 0;
        loop {
            let b = bytes[*at];
            *at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return value;
            }
            shift += 7;
        }
    }

    /// The terms of a chunk with their (page, weight) lists: the reading the client does.
    fn read_chunk(bytes: &[u8]) -> Vec<(String, Vec<(u32, u8)>)> {
        let mut at = 0;
        let count = read_varint(bytes, &mut at);
        let mut previous: Vec<u8> = Vec::new();
        let mut out = Vec::new();
        for _ in 0..count {
            let shared = read_varint(bytes, &mut at) as usize;
            let len = read_varint(bytes, &mut at) as usize;
            let mut term = previous[..shared].to_vec();
            term.extend_from_slice(&bytes[at..at + len]);
            at += len;
            let df = read_varint(bytes, &mut at);
            let mut page = 0;
            let mut list = Vec::new();
            for _ in 0..df {
                page += read_varint(bytes, &mut at) as u32;
                list.push((page, bytes[at]));
                at += 1;
            }
            out.push((String::from_utf8(term.clone()).expect("utf-8"), list));
            previous = term;
        }
        assert_eq!(at, bytes.len(), "nothing left over");
        out
    }

    fn entry(url: &str, title: &str, content: &str) -> Arc<PageEntry> {
        let text = PageText {
            title: title.into(),
            content: content.into(),
            weighted: vec![(0, title.len(), Weight::Title)],
            marked: true,
        };
        Arc::new(page_entry(url, &text, &mut Terms::for_language("en")))
    }

    #[test]
    fn chunks_hold_every_term_with_its_pages_and_the_title_weighs_more() {
        let entries = [
            entry("/a/", "Speaking", "Speaking at conferences about speaking"),
            entry(
                "/b/",
                "Other",
                "Other words, then speaks once among many other words here",
            ),
        ];
        let files = index_files(&entries, "en", true);
        let index: serde_json::Value = serde_json::from_slice(&files[0].1).expect("json");
        assert_eq!(index["pages"], 2);
        let folder = index["folder"].as_str().expect("folder");
        let chunk = files
            .iter()
            .find(|(p, _)| p == &format!("{folder}/t/0.bin"))
            .expect("one chunk");
        let terms = read_chunk(&gunzip(&chunk.1));
        let speak = &terms.iter().find(|(t, _)| t == "speak").expect("stemmed").1;
        assert_eq!(speak.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert!(
            speak[0].1 > speak[1].1,
            "title and repetition weigh: {speak:?}"
        );
        assert!(terms.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        let fragment = files
            .iter()
            .find(|(p, _)| p == &format!("{folder}/p/0.bin"))
            .expect("fragments");
        let fragments: serde_json::Value =
            serde_json::from_slice(&gunzip(&fragment.1)).expect("json");
        assert_eq!(fragments[1]["url"], "/b/");
    }

    #[test]
    fn large_dictionaries_split_into_chunks_in_term_order() {
        let words: Vec<String> = (0..20_000).map(|i| format!("w{i:05}x")).collect();
        let entries = [entry("/", "", &words.join(" "))];
        let files = index_files(&entries, "de", false);
        let index: serde_json::Value = serde_json::from_slice(&files[0].1).expect("json");
        let firsts: Vec<&str> = index["chunks"]
            .as_array()
            .expect("chunks")
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        assert!(firsts.len() > 3, "{}", firsts.len());
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        let total: usize = files
            .iter()
            .filter(|(p, _)| p.contains("/t/"))
            .map(|(_, b)| read_chunk(&gunzip(b)).len())
            .sum();
        assert_eq!(total, 20_000);
    }

    #[test]
    fn the_folder_changes_with_the_content() {
        let a = index_files(&[entry("/", "", "one")], "en", true);
        let b = index_files(&[entry("/", "", "two")], "en", true);
        assert_ne!(a[0].1, b[0].1);
        let empty = index_files(&[], "en", true);
        assert!(
            empty.iter().any(|(p, _)| p.ends_with("/t/0.bin")),
            "an empty chunk"
        );
    }
}
