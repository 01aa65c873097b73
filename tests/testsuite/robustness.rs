//! Loading damaged content never panics, and a page that is left out is always explained by a
//! diagnostic in its own file. A property test mutates a real post's front matter.

use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;

/// A valid post from the devrel example (its author file is absent from the test site, which
/// only adds a broken-reference warning).
const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seed/devrel-speaking-balance.md"
));

const PAGE: &str = "content/pages/blog/p.md";

/// YAML punctuation and whitespace most likely to change the meaning of a line.
const PUNCTUATION: &[&str] = &[
    ":", ": ", "-", "- ", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "\t", "#", ",",
    "?", "%", "@", "`", "---", "\n", "\r\n", " ", "  ", "---\n", "~", "\\", "\u{feff}", "\u{0}",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Delete `len` bytes from a position.
    Delete(Index, usize),
    /// Insert arbitrary bytes (possibly not UTF-8).
    InsertBytes(Index, Vec<u8>),
    /// Insert printable text.
    InsertText(Index, String),
    /// Insert YAML punctuation.
    InsertPunctuation(Index, &'static str),
    /// Repeat a line right after itself.
    DuplicateLine(Index),
    /// Add or remove leading spaces, or turn them into a tab.
    Reindent(Index, i8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Mostly text: random bytes are nearly always invalid UTF-8, which stops at the decoder.
    prop_oneof![
        3 => (any::<Index>(), 1usize..48).prop_map(|(at, len)| Mutation::Delete(at, len)),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..6)).prop_map(|(at, bytes)| Mutation::InsertBytes(at, bytes)),
        2 => (any::<Index>(), "[ -~\t\né]{1,8}").prop_map(|(at, text)| Mutation::InsertText(at, text)),
        4 => (any::<Index>(), prop::sample::select(PUNCTUATION)).prop_map(|(at, p)| Mutation::InsertPunctuation(at, p)),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        3 => (any::<Index>(), -4i8..=4).prop_map(|(line, by)| Mutation::Reindent(line, by)),
    ]
}

/// Byte ranges of the lines of `text`, each with its line break.
fn lines(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn apply(text: &mut Vec<u8>, mutation: &Mutation) {
    let at = |i: &Index, text: &Vec<u8>| i.index(text.len() + 1);
    match mutation {
        Mutation::Delete(i, len) => {
            let start = at(i, text);
            let end = (start + len).min(text.len());
            text.drain(start..end);
        }
        Mutation::InsertBytes(i, bytes) => {
            let start = at(i, text);
            text.splice(start..start, bytes.iter().copied());
        }
        Mutation::InsertText(i, t) => {
            let start = at(i, text);
            text.splice(start..start, t.bytes());
        }
        Mutation::InsertPunctuation(i, p) => {
            let start = at(i, text);
            text.splice(start..start, p.bytes());
        }
        Mutation::DuplicateLine(i) => {
            let lines = lines(text);
            if !lines.is_empty() {
                let (start, end) = lines[i.index(lines.len())];
                let mut line = text[start..end].to_vec();
                if !line.ends_with(b"\n") {
                    line.insert(0, b'\n');
                }
                text.splice(end..end, line);
            }
        }
        Mutation::Reindent(i, by) => {
            let lines = lines(text);
            if !lines.is_empty() {
                let (start, end) = lines[i.index(lines.len())];
                let indent = text[start..end].iter().take_while(|&&b| b == b' ').count();
                let replacement: Vec<u8> = match *by {
                    0 => b"\t"
                        .repeat(usize::from(indent > 0))
                        .into_iter()
                        .chain(std::iter::repeat_n(b' ', indent.saturating_sub(2)))
                        .collect(),
                    n if n > 0 => vec![b' '; indent + n as usize],
                    n => vec![b' '; indent.saturating_sub(n.unsigned_abs() as usize)],
                };
                text.splice(start..start + indent, replacement);
            }
        }
    }
}

/// Load a site whose only page is `bytes`, and check the property.
fn check_page(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(PAGE);
    std::fs::create_dir_all(file.parent().expect("parent")).expect("create folders");
    std::fs::write(&file, bytes).expect("write the page");
    let loaded = folio_content::load_site(Path::new(dir.path()))
        .map_err(|d| TestCaseError::fail(format!("not a site: {d:?}")))?;
    match loaded.site.page_by_path(PAGE) {
        Some(page) => {
            let page = &loaded.site.pages[page];
            prop_assert_eq!(&page.url, "/blog/p/");
            // A page of a model folio draws, or of an unknown one drawn generically, which
            // check names.
            let model = page.object.model.as_deref().unwrap_or_default();
            let generic = loaded
                .diagnostics
                .iter()
                .any(|d| d.code == "content/no-template" && d.message.contains(model));
            prop_assert!(
                [
                    "PageLayout",
                    "PostLayout",
                    "PostFeedLayout",
                    "ProjectLayout",
                    "ProjectFeedLayout"
                ]
                .contains(&model)
                    || generic,
                "a page of model `{}` without a warning",
                model
            );
        }
        None => prop_assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.file.as_deref() == Some(PAGE)),
            "`{}` was left out without a diagnostic; got {:#?}",
            PAGE,
            loaded.diagnostics
        ),
    }
    Ok(())
}

#[test]
fn the_unmutated_seed_is_a_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(PAGE);
    std::fs::create_dir_all(file.parent().expect("parent")).expect("create folders");
    std::fs::write(&file, SEED).expect("write the page");
    let loaded = folio_content::load_site(dir.path()).expect("a site");
    let page = loaded.site.page_by_path(PAGE).expect("the seed is a page");
    assert!(loaded.site.pages[page].object.is("PostLayout"));
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        loaded.diagnostics
    );
}

#[test]
fn pages_left_out_by_hand_picked_damage_are_explained() {
    let cases: &[&[u8]] = &[
        b"",
        b"---\n",
        b"---\n---\n",
        b"---\ntype: PostLayout\n",
        b"---\n- a\n- b\n---\n",
        b"---\ntype: [PostLayout]\n---\n",
        b"---\ntype: Person\nfirstName: A\n---\n",
        b"---\ntype: PostLayou\ntitle: t\ndate: '2021-01-01'\n---\n",
        b"---\ntitle: no type\n---\n",
        b"---\ntype: PostLayout\ntype: PageLayout\n---\n",
        b"---\n\ttype: PostLayout\n---\n",
        b"---\ntype: PostLayout\n  title: x\n---\n",
        b"---\ntype: *anchor\n---\n",
        b"---\n{\n---\n",
        b"---\ntype: PostLayout\ntitle: \xff\xfe\n---\n",
        b"no front matter",
        b"\xef\xbb\xbf---\ntype: PageLayout\ntitle: BOM\n---\n",
    ];
    for case in cases {
        if let Err(e) = check_page(case) {
            panic!("{:?}: {e}", String::from_utf8_lossy(case));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn damaged_front_matter_never_panics_and_a_dropped_page_always_has_a_diagnostic(
        mutations in prop::collection::vec(mutation(), 1..5)
    ) {
        let mut text = SEED.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut text, m);
        }
        check_page(&text)?;
    }
}
