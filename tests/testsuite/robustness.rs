//! Loading damaged content never panics, and a page that is left out is always explained by a
//! diagnostic in its own file. A property test mutates a real post's front matter; another
//! mutates whole real sites and drives the binary: `check` and `build` never panic or hang,
//! agree on whether the site has errors, and every diagnostic about a file has a line.
//!
//! CI runs a few cases of the second; `FOLIO_FUZZ_CASES=3000 cargo test --release --test
//! testsuite robustness::mutated` runs more (README, "Fuzzing").

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

/// The real templates the site fuzz mutates (`../shared/fixtures`).
const FUZZED_SITES: [&str; 4] = [
    "portfolio",
    "personal-2023-02",
    "starter-2022",
    "personal-2025",
];

/// A copy of each fuzzed site whose image cache is warm (built once per test run), so that a
/// case's build costs what its content costs.
fn warm_sites() -> &'static [std::path::PathBuf] {
    static SITES: std::sync::OnceLock<(tempfile::TempDir, Vec<std::path::PathBuf>)> =
        std::sync::OnceLock::new();
    &SITES
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
            let sites = FUZZED_SITES
                .iter()
                .map(|name| {
                    let site = dir.path().join(name);
                    crate::support::copy_dir(&shared.join(name), &site);
                    let out = dir.path().join(format!("{name}-out"));
                    let out = out.to_str().expect("utf-8");
                    let site_arg = site.to_str().expect("utf-8");
                    crate::support::folio_within(
                        300,
                        &["build", site_arg, "-o", out, "--no-search"],
                    );
                    site
                })
                .collect();
            (dir, sites)
        })
        .1
}

/// A change to a site: bytes of one of its text files, or the file itself.
#[derive(Debug, Clone)]
enum SiteMutation {
    /// Mutate the bytes of a text file (chosen by index among them).
    Bytes(Index, Vec<Mutation>),
    /// Delete a text file.
    Delete(Index),
    /// Copy a text file beside itself under another name.
    Duplicate(Index),
}

fn site_mutation() -> impl Strategy<Value = SiteMutation> {
    prop_oneof![
        8 => (any::<Index>(), prop::collection::vec(mutation(), 1..4))
            .prop_map(|(file, m)| SiteMutation::Bytes(file, m)),
        1 => any::<Index>().prop_map(SiteMutation::Delete),
        1 => any::<Index>().prop_map(SiteMutation::Duplicate),
    ]
}

/// The files a site's owner writes: content, the site's model files and Stackbit config.
fn text_files(site: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let rel = p.strip_prefix(site).expect("inside");
            let top = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            matches!(
                top.as_deref(),
                Some("content" | ".stackbit" | "stackbit.yaml" | "stackbit.config.ts")
            ) && !rel.starts_with(".stackbit/presets")
                && matches!(ext, "md" | "json" | "yaml" | "yml" | "ts")
        })
        .collect();
    files.sort();
    files
}

fn mutate_site(site: &Path, mutation: &SiteMutation) {
    let files = text_files(site);
    if files.is_empty() {
        return;
    }
    match mutation {
        SiteMutation::Bytes(i, mutations) => {
            let file = &files[i.index(files.len())];
            let mut bytes = std::fs::read(file).expect("read");
            for m in mutations {
                apply(&mut bytes, m);
            }
            std::fs::write(file, bytes).expect("write");
        }
        SiteMutation::Delete(i) => {
            std::fs::remove_file(&files[i.index(files.len())]).expect("delete")
        }
        SiteMutation::Duplicate(i) => {
            let file = &files[i.index(files.len())];
            let name = file.file_name().expect("name").to_string_lossy();
            std::fs::copy(file, file.with_file_name(format!("copy-of-{name}"))).expect("copy");
        }
    }
}

/// The codes of the errors in a human report (`error[code]: …` lines).
fn error_codes(report: &str) -> std::collections::BTreeSet<String> {
    report
        .lines()
        .filter_map(|l| l.strip_prefix("error["))
        .filter_map(|l| l.split(']').next())
        .map(str::to_string)
        .collect()
}

/// Check and build one mutated site, and hold them to the properties of the module header.
fn check_and_build_agree(
    site_index: usize,
    mutations: &[SiteMutation],
) -> Result<(), TestCaseError> {
    let warm = &warm_sites()[site_index];
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    crate::support::copy_dir(warm, &site);
    for m in mutations {
        mutate_site(&site, m);
    }
    let site_arg = site.to_str().expect("utf-8");
    let out = dir.path().join("out");
    let check = crate::support::folio_within(60, &["check", "--format", "json", site_arg]);
    let build = crate::support::folio_within(
        60,
        &[
            "build",
            site_arg,
            "-o",
            out.to_str().expect("utf-8"),
            "--no-search",
        ],
    );
    for (name, run) in [("check", &check), ("build", &build)] {
        prop_assert!(
            matches!(run.code, 0 | 1) && !run.stderr.contains("panicked"),
            "{} ended with {}:\n{}{}",
            name,
            run.code,
            run.stdout,
            run.stderr
        );
    }
    let json: serde_json::Value = serde_json::from_str(&check.stdout)
        .map_err(|e| TestCaseError::fail(format!("check's JSON: {e}\n{}", check.stdout)))?;
    let diagnostics = json["diagnostics"].as_array().cloned().unwrap_or_default();
    for d in &diagnostics {
        prop_assert!(
            d["file"].is_null() || !d["line"].is_null(),
            "a diagnostic about a file without a line: {}",
            d
        );
    }
    let check_errors: std::collections::BTreeSet<String> = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect();
    prop_assert_eq!(
        check.code,
        build.code,
        "check and build disagree; check's errors {:?}, build's report:\n{}",
        check_errors,
        build.stderr
    );
    let build_errors = error_codes(&build.stderr);
    prop_assert!(
        build_errors.is_subset(&check_errors),
        "build failed on {:?}, which check did not report (check: {:?})",
        build_errors,
        check_errors
    );
    // A failed build leaves no output behind, half-written or not.
    if build.code == 1 {
        prop_assert!(!out.exists(), "a failed build wrote {}", out.display());
    }
    Ok(())
}

/// How many mutated sites to try: a few in CI, `FOLIO_FUZZ_CASES` for a longer run.
fn fuzz_cases() -> u32 {
    std::env::var("FOLIO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), ..ProptestConfig::default() })]

    #[test]
    fn mutated_real_sites_check_and_build_alike_without_panic_or_hang(
        site in 0..FUZZED_SITES.len(),
        mutations in prop::collection::vec(site_mutation(), 1..4)
    ) {
        check_and_build_agree(site, &mutations)?;
    }
}
