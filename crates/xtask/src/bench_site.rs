//! The synthetic sites of `cargo xtask bench` and `bench-serve`: `examples/devrel` plus N
//! generated posts in the shape of the seed post (`../shared/seed/devrel-speaking-balance.md`).
//!
//! Every post is a pure function of its number and the post count, so that two runs measure the
//! same site and a site generated once can be reused: it is cached under `target/bench/site-N/`
//! with a stamp naming [`GENERATOR_VERSION`], and regenerated when the stamp differs. Bump the
//! version whenever the generated text changes.
//!
//! The posts use only local images that exist in `examples/devrel/public/images`, so a build of a
//! generated site has no warnings (the seed's `/images/https://…` oddity is repaired in the copy).

use crate::bench::Trash;
use crate::bench_serve::{copy_tree, write};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The version of the generated text; a cached site with another version is regenerated.
pub(crate) const GENERATOR_VERSION: u32 = 1;

/// The stamp file at the root of a generated site, written last (an interrupted generation has
/// none, so it is regenerated).
const STAMP: &str = ".folio-bench-stamp";

/// The five authors, as `content/data/team/<slug>.json`; the last two are created by
/// [`write_site`] in the shape of the example's `jason-hand.json`.
const AUTHORS: [&str; 5] = [
    "jason-hand",
    "luke-hook",
    "maya-okafor",
    "author-4",
    "author-5",
];

/// A generated site on disk.
pub(crate) struct GeneratedSite {
    /// The site's folder.
    pub dir: PathBuf,
    /// How many files it holds.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Whether it came from the cache rather than being generated now.
    pub reused: bool,
}

/// The file of post `i` in a generated site.
pub(crate) fn post_path(site: &Path, i: usize) -> PathBuf {
    site.join(format!("content/pages/blog/gen/post-{i:06}.md"))
}

/// `target/bench/site-N` with `posts` generated posts: reused when its stamp matches, otherwise
/// (re)generated, the stale copy moved into `trash`.
pub(crate) fn ensure_site(
    root: &Path,
    posts: usize,
    trash: &Trash,
) -> Result<GeneratedSite, String> {
    let dir = root.join(format!("target/bench/site-{posts}"));
    let stamp = std::fs::read_to_string(dir.join(STAMP)).unwrap_or_default();
    if let Some((files, bytes)) = read_stamp(&stamp, posts) {
        return Ok(GeneratedSite {
            dir,
            files,
            bytes,
            reused: true,
        });
    }
    trash.move_in(&dir)?;
    write_site(root, &dir, posts)?;
    let (files, bytes) = measure_tree(&dir)?;
    write(&dir.join(STAMP), &stamp_text(posts, files, bytes))?;
    Ok(GeneratedSite {
        dir,
        files,
        bytes,
        reused: false,
    })
}

fn stamp_text(posts: usize, files: usize, bytes: u64) -> String {
    format!(
        "folio bench site\ngenerator {GENERATOR_VERSION}\nposts {posts}\nfiles {files}\nbytes {bytes}\n"
    )
}

/// The file count and size recorded in a stamp of this generator for `posts` posts.
fn read_stamp(stamp: &str, posts: usize) -> Option<(usize, u64)> {
    let value = |key: &str| {
        stamp
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(' '))
    };
    let current = value("generator")? == GENERATOR_VERSION.to_string()
        && value("posts")? == posts.to_string();
    current.then_some((value("files")?.parse().ok()?, value("bytes")?.parse().ok()?))
}

fn write_site(root: &Path, dir: &Path, posts: usize) -> Result<(), String> {
    copy_tree(&root.join("examples/devrel"), dir)?;
    let seed = dir.join("content/pages/blog/devrel-speaking-balance.md");
    let text = std::fs::read_to_string(&seed).map_err(|e| format!("{}: {e}", seed.display()))?;
    write(&seed, &text.replace("/images/https://", "https://"))?;
    for (k, slug) in AUTHORS.iter().enumerate().skip(3) {
        write(
            &dir.join(format!("content/data/team/{slug}.json")),
            &author(k + 1),
        )?;
    }
    for i in 0..posts {
        write(&post_path(dir, i), &post(i, posts))?;
    }
    Ok(())
}

fn measure_tree(dir: &Path) -> Result<(usize, u64), String> {
    let (mut files, mut bytes) = (0, 0);
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let meta = entry.metadata().map_err(|e| e.to_string())?;
        if meta.is_dir() {
            let (f, b) = measure_tree(&entry.path())?;
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += meta.len();
        }
    }
    Ok((files, bytes))
}

/// An extra author `K` in the shape of `examples/devrel/content/data/team/jason-hand.json`.
fn author(k: usize) -> String {
    let (first, last) = [("Priya", "Raman"), ("Tomas", "Lindqvist")][k % 2];
    format!(
        r#"{{
    "type": "Person",
    "firstName": "{first}",
    "lastName": "{last}",
    "role": "Developer Advocate {k}",
    "bio": "{first} writes about sample apps, workshops and the developer experience of APIs. A synthetic author of folio's benchmark site.",
    "image": {{
        "type": "ImageBlock",
        "url": "/images/person-{}.jpg",
        "altText": "Portrait of {first} {last}"
    }}
}}
"#,
        1 + k % 3
    )
}

/// The seed post's `bottomSections`, verbatim: every post shows two recent posts.
const BOTTOM_SECTIONS: &str = "bottomSections:
  - elementId: ''
    type: RecentPostsSection
    colors: colors-f
    variant: variant-d
    subtitle: Recent posts
    showDate: true
    showAuthor: false
    showExcerpt: true
    recentCount: 2
    styles:
      self:
        height: auto
        width: wide
        margin:
          - mt-0
          - mb-0
          - ml-0
          - mr-0
        padding:
          - pt-12
          - pb-56
          - pr-4
          - pl-4
        justifyContent: center
      title:
        textAlign: left
      subtitle:
        textAlign: left
      actions:
        justifyContent: center
    showFeaturedImage: true
    showReadMoreLink: true
";

/// Post `i` of a site of `posts` posts: front matter in the seed's shape, then the Markdown body.
pub(crate) fn post(i: usize, posts: usize) -> String {
    let mut rng = Rng::new(i, 1);
    let mut out = String::with_capacity(7 * 1024);
    // `write!` into a String cannot fail.
    let _ = write!(
        out,
        "---
type: PostLayout
title: {title}
colors: colors-{colors}
backgroundImage:
  type: BackgroundImage
  url: /images/bg{bg}.jpg
  backgroundSize: cover
  backgroundPosition: center
  backgroundRepeat: no-repeat
  opacity: 75
date: '{date}'
author: content/data/team/{author}.json
excerpt: >-
  {excerpt}
featuredImage:
  type: ImageBlock
  url: /images/featured-Image{featured}.jpg
  altText: {alt}
media:
  url: /images/post-{media}.jpg
  altText: {alt}
  caption: {caption}
  elementId: ''
  type: ImageBlock
{BOTTOM_SECTIONS}---

",
        title = title(i),
        colors = rng.pick(&['a', 'b', 'c', 'd', 'e']),
        bg = 1 + rng.below(4),
        // Fifteen years from 2010-01-01 (day 14,610 of the Unix epoch).
        date = date(14_610 + rng.below(15 * 365) as i64),
        author = rng.pick(&AUTHORS),
        excerpt = rng.pick(EXCERPTS),
        featured = 1 + rng.below(6),
        alt = rng.phrase(ALT_TEXTS),
        media = 1 + rng.below(3),
        caption = rng.phrase(CAPTIONS),
    );
    out.push_str(&body(&mut rng, posts));
    out
}

/// The title of post `i` (also the text of links to it), from a stream of its own so that
/// linking to a post does not need its whole text.
pub(crate) fn title(i: usize) -> String {
    let mut rng = Rng::new(i, 2);
    format!(
        "{} {} (note {i})",
        rng.phrase(TITLE_OPENERS),
        rng.phrase(TITLE_TOPICS)
    )
}

/// `text` with its `title:` line replaced: the edit the serve benchmarks make.
pub(crate) fn retitle(text: &str, title: &str) -> String {
    let mut out = String::with_capacity(text.len() + title.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with("title: ") {
            out.push_str("title: ");
            out.push_str(title);
            out.push('\n');
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`).
fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A Markdown body of 2–6 KB: an introduction, then `##` sections of paragraphs, lists, quotes
/// and `###` subsections; about one post in five has a fenced code block.
fn body(rng: &mut Rng, posts: usize) -> String {
    // Every block is under 1 KB and at most two follow the target, so bodies stay under 6 KB.
    let target = 2100 + rng.below(2900);
    let mut code = rng.chance(5);
    let mut out = String::with_capacity(6 * 1024);
    paragraph(&mut out, rng, posts);
    let mut since_heading = 99;
    let mut after_heading = false;
    while out.len() < target || after_heading || code {
        if after_heading {
            paragraph(&mut out, rng, posts);
            after_heading = false;
            since_heading = 1;
            continue;
        }
        if since_heading >= 2 && (since_heading >= 4 || rng.chance(2)) {
            let _ = write!(out, "## {}\n\n", rng.phrase(HEADINGS));
            after_heading = true;
            continue;
        }
        since_heading += 1;
        if code && since_heading <= 3 {
            code_block(&mut out, rng);
            code = false;
            continue;
        }
        match rng.below(6) {
            0 => {
                let _ = write!(out, "### {}\n\n", rng.phrase(SUBHEADINGS));
                after_heading = true;
            }
            1 => list(&mut out, rng, false),
            2 => list(&mut out, rng, true),
            3 => {
                let _ = write!(out, "> {}\n\n", rng.pick(QUOTES));
            }
            _ => paragraph(&mut out, rng, posts),
        }
    }
    out
}

/// Two to four sentences, half the time followed by a link (internal to another generated post
/// three times in five, external otherwise).
fn paragraph(out: &mut String, rng: &mut Rng, posts: usize) {
    let count = 2 + rng.below(3);
    let mut chosen: Vec<&str> = Vec::with_capacity(count);
    while chosen.len() < count {
        // No sentence twice in one paragraph.
        let sentence = rng.pick(SENTENCES);
        if !chosen.contains(&sentence) {
            chosen.push(sentence);
        }
    }
    out.push_str(&chosen.join(" "));
    if rng.chance(2) {
        if rng.below(5) < 3 {
            let j = rng.below(posts);
            let _ = write!(
                out,
                " {} [{}](/blog/gen/post-{j:06}/).",
                rng.phrase(LINK_LEADS),
                title(j)
            );
        } else {
            let (text, url) = rng.pick(EXTERNAL_LINKS);
            let _ = write!(out, " {} [{text}]({url}).", rng.phrase(LINK_LEADS));
        }
    }
    out.push_str("\n\n");
}

/// Three to five consecutive items of a bullet or a numbered list.
fn list(out: &mut String, rng: &mut Rng, numbered: bool) {
    let count = 3 + rng.below(3);
    let items = if numbered { STEPS } else { LIST_ITEMS };
    let start = rng.below(items.len());
    for k in 0..count {
        let item = items[(start + k) % items.len()];
        if numbered {
            let _ = writeln!(out, "{}. {item}", k + 1);
        } else {
            let _ = writeln!(out, "- {item}");
        }
    }
    out.push('\n');
}

fn code_block(out: &mut String, rng: &mut Rng) {
    let (language, code) = rng.pick(CODE);
    let _ = write!(
        out,
        "{}\n\n```{language}\n{code}```\n\n",
        rng.phrase(CODE_LEADS)
    );
}

/// SplitMix64: deterministic, tiny and good enough to vary text, so no crate is needed.
struct Rng(u64);

impl Rng {
    /// Stream `stream` of post `i`: independent streams for a post's text and its title.
    fn new(i: usize, stream: u64) -> Rng {
        Rng((i as u64) << 8 | stream)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// One of the `|`-separated phrases of `list`.
    fn phrase(&mut self, list: &'static str) -> &'static str {
        let n = self.below(list.split('|').count());
        list.split('|').nth(n).unwrap_or_default()
    }
}

// The text the posts are made of. Plain ASCII, no `: ` or ` #` (titles, alt texts and captions
// are plain YAML scalars), sentences under 180 bytes so that blocks stay small. Short phrases are
// `|`-separated (see [`Rng::phrase`]), to keep the lists compact.

const TITLE_OPENERS: &str = "\
    Notes on|Rethinking|A field guide to|Lessons from|What we learned about|Measuring|Scaling|\
    Getting started with|Five mistakes in|The quiet work of|In defence of|A year of";

const TITLE_TOPICS: &str = "\
    conference talks|sample apps|developer onboarding|API reference docs|community forums|\
    live demos|release notes|office hours|hackathons|SDK design|error messages|quickstarts|\
    changelogs|developer surveys|workshop material";

const EXCERPTS: &[&str] = &[
    "What a year of small experiments taught us about helping developers succeed on their own.",
    "A practical checklist, the numbers behind it and the parts we would do differently next time.",
    "Less stage time, more mentoring: how the team shares the spotlight without losing its voice.",
    "Why the first five minutes with a product decide more than any keynote ever will.",
    "The unglamorous habits that keep docs, demos and sample code honest over time.",
    "Notes from the road, written down before the details fade.",
];

const ALT_TEXTS: &str = "\
    Post thumbnail image|A speaker on a conference stage|Laptop with code on the screen|\
    Notebook with a hand-drawn diagram|A workshop room full of developers";

const CAPTIONS: &str = "\
    Caption of the image|The room twenty minutes before the doors opened|\
    Sketches from the planning session|Office hours, week three";

const HEADINGS: &str = "\
    Why this matters|What we tried first|What changed|The numbers|Where it went wrong|\
    A better default|How we run it today|Lessons for small teams|What we would do differently|\
    Where to go next|The checklist|Questions we still have";

const SUBHEADINGS: &str = "\
    Before the event|During the session|Afterwards|A note on tooling|The cost of doing nothing|\
    An example|Edge cases|Who owns it";

const SENTENCES: &[&str] = &[
    "Every developer relations team eventually faces the same question: where does an hour of effort help the most people?",
    "We started by writing down what we actually did in a typical week, and the list was humbling.",
    "Speaking at events builds credibility, but it does not scale on its own.",
    "The engineers who built the feature are almost always the most convincing people to explain it.",
    "A talk that works in a quiet hotel room can fall apart on conference Wi-Fi in front of four hundred people.",
    "We now record a fallback video of every live demo and keep it one keystroke away.",
    "Documentation is not marketing collateral; it is the first user interface most developers see.",
    "Nobody on the team had run the quickstart from a clean machine in six months, and it showed.",
    "Run `cargo build --release` on a fresh checkout before every release, not only on the CI runner.",
    "We tag every sample repository with the SDK version it was last tested against, for example `sdk-2.4`.",
    "It is tempting to measure stars and followers, because they are easy to count and they only go up.",
    "The metric we care about is *time to first successful call*, and it is much harder to fake.",
    "Office hours turned out to be the cheapest user research we have ever done.",
    "A single owner per section, named at the top of the file, did more than any style guide.",
    "We keep a `CHANGELOG.md` that humans actually read, with the breaking changes at the top.",
    "Most questions in the forum are not about bugs at all; they are about **missing context**.",
    "The first version of the workshop had twelve exercises, and nobody ever reached the last four.",
    "Cutting the material in half made the session better, not worse.",
    "An error message that names the file, the line and a fix saves a support ticket every single time.",
    "We ask every new hire to write down where they got stuck during their first week.",
    "Those notes became the most useful backlog the docs team has ever had.",
    "Hackathons are great for energy and terrible for maintenance, so plan the week after them too.",
    "A sample app that no longer builds is worse than no sample app at all.",
    "We pin dependencies in samples and bump them on a schedule, with a bot doing the boring part.",
    "Conference organisers care about the audience first, so write the abstract for the audience.",
    "The best abstracts promise one concrete thing the listener can *do* on Monday morning.",
    "Mentoring a first-time speaker takes three or four short sessions, not a week of rehearsals.",
    "We pair every new speaker with someone who has given the talk format before.",
    "Survey results are only useful when somebody owns the follow-up and reports back.",
    "The quiet work of answering forum threads rarely shows up in a quarterly review.",
    "We started publishing a monthly note of what we heard from developers and what we did about it.",
    "Release notes written for the people upgrading are shorter and far more useful.",
    "A good changelog entry says what changed, why, and what to do if it breaks something.",
    "Set `RUST_LOG=debug` in the demo environment so that a failure explains itself on screen.",
    "The second run of any workshop is always better, because the first one finds the gaps.",
    "We learned more from one recorded onboarding session than from a year of page-view charts.",
];

const LINK_LEADS: &str = "\
    We wrote about a related case in|For the background, see|There is more on this in|\
    Compare with|A longer version of this argument is in";

const EXTERNAL_LINKS: &[(&str, &str)] = &[
    ("the Diataxis framework", "https://diataxis.fr/"),
    (
        "MDN's guide to HTTP caching",
        "https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching",
    ),
    ("the Rust book", "https://doc.rust-lang.org/book/"),
    ("the CommonMark spec", "https://spec.commonmark.org/"),
    ("Semantic Versioning", "https://semver.org/"),
    ("the Twelve-Factor App", "https://12factor.net/"),
    ("Keep a Changelog", "https://keepachangelog.com/"),
];

const LIST_ITEMS: &[&str] = &[
    "A named owner for every page, reviewed once a quarter",
    "A feedback link that files an issue with the page path filled in",
    "A fallback recording for every live demo",
    "Sample apps pinned to a tested SDK version",
    "An abstract that promises one concrete outcome",
    "Office hours at a time that suits more than one continent",
    "A monthly note of what developers told us",
    "Error messages that name the file, the line and a fix",
    "A quickstart that runs from a clean machine in under ten minutes",
    "Release notes written for the people upgrading",
    "A rehearsal on the venue's network, not the office's",
    "Metrics that count successful first calls, not page views",
];

const STEPS: &[&str] = &[
    "Write down the one thing the audience should be able to do afterwards.",
    "Cut every section that does not serve that one thing.",
    "Rehearse once alone and once in front of a colleague who will interrupt.",
    "Record the demo and keep the recording one keystroke away.",
    "Publish the slides and the sample code before the talk starts.",
    "Collect the questions and answer the best ones in a follow-up post.",
    "Review the material a month later and retire what no longer builds.",
    "Thank the organisers and tell them what worked.",
];

const QUOTES: &[&str] = &[
    "The best bug report we ever received was a new user's screen recording of our quickstart.",
    "Lead by example, but mentor deliberately.",
    "If the demo needs the network, the demo will need a backup.",
    "Docs are the product for anyone who has not bought the product yet.",
    "Speak when it makes sense, support when it empowers, and always aim to scale beyond yourself.",
    "A metric that only goes up is not telling you anything.",
];

const CODE_LEADS: &str = "\
    Here is the smallest version that still shows the idea:|\
    The whole thing fits in a few lines:|This is what we run before every talk:";

const CODE: &[(&str, &str)] = &[
    (
        "rust",
        "fn main() {\n    let talks = [\"docs\", \"demos\", \"samples\"];\n    for (n, talk) in talks.iter().enumerate() {\n        println!(\"{n}: {talk}\");\n    }\n}\n",
    ),
    (
        "rust",
        "/// Minutes from sign-up to the first successful API call.\nfn time_to_first_call(signed_up: u64, first_call: u64) -> u64 {\n    first_call.saturating_sub(signed_up) / 60\n}\n",
    ),
    (
        "js",
        "const res = await fetch(\"/api/v1/health\");\nif (!res.ok) {\n  console.error(`demo backend is down: ${res.status}`);\n  showRecording();\n}\n",
    ),
    (
        "js",
        "export function owner(page) {\n  return page.frontMatter.owner ?? \"docs-team\";\n}\n",
    ),
    (
        "yaml",
        "title: Rotate an API key\nowner: maya-okafor\nlast_reviewed: 2021-08-30\napplies_to: \">= 2.4\"\n",
    ),
    (
        "yaml",
        "workshop:\n  exercises: 6\n  duration: 90m\n  fallback: recording.mp4\n",
    ),
    (
        "bash",
        "git clone https://example.com/samples/quickstart.git\ncd quickstart\n./setup.sh && npm test\n",
    ),
    (
        "bash",
        "for repo in samples/*; do\n  (cd \"$repo\" && make check) || echo \"$repo is broken\"\ndone\n",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(post: &str) -> &str {
        post.splitn(3, "---\n").nth(2).unwrap_or_default()
    }

    #[test]
    fn posts_are_deterministic_and_differ_from_each_other() {
        assert_eq!(post(123, 1000), post(123, 1000));
        assert_ne!(post(123, 1000), post(124, 1000));
        assert_eq!(title(7), title(7));
        assert!(post(7, 1000).contains(&format!("title: {}\n", title(7))));
    }

    #[test]
    fn bodies_are_between_2_and_6_kb() {
        for i in 0..2000 {
            let text = post(i, 2000);
            let len = body_of(&text).len();
            assert!((2048..=6144).contains(&len), "post {i}: {len} bytes");
        }
    }

    #[test]
    fn every_post_has_the_seeds_recent_posts_section() {
        for i in 0..500 {
            let text = post(i, 500);
            assert!(text.contains(BOTTOM_SECTIONS), "post {i}");
            assert!(text.contains("type: RecentPostsSection\n"), "post {i}");
            assert!(
                text.starts_with("---\ntype: PostLayout\ntitle: "),
                "post {i}"
            );
        }
    }

    #[test]
    fn about_one_post_in_five_has_a_fenced_code_block() {
        let with_code = (0..2000)
            .filter(|&i| post(i, 2000).contains("\n```"))
            .count();
        assert!((300..=500).contains(&with_code), "{with_code} of 2000");
        for language in ["rust", "js", "yaml", "bash"] {
            let fence = format!("\n```{language}\n");
            assert!(
                (0..200).any(|i| post(i, 200).contains(&fence)),
                "{language}"
            );
        }
    }

    #[test]
    fn bodies_use_every_kind_of_block_and_inline() {
        let all: String = (0..200).map(|i| post(i, 200)).collect();
        for needle in [
            "\n## ",
            "\n### ",
            "\n- ",
            "\n1. ",
            "\n> ",
            " *",
            "**",
            " `",
            "](/blog/gen/post-",
            "](https://",
        ] {
            assert!(all.contains(needle), "no {needle:?}");
        }
    }

    #[test]
    fn no_paragraph_repeats_a_sentence() {
        for i in 0..300 {
            let text = post(i, 300);
            for block in body_of(&text).split("\n\n") {
                let sentences: Vec<&str> = block.split(". ").collect();
                let distinct: std::collections::BTreeSet<&&str> = sentences.iter().collect();
                assert_eq!(distinct.len(), sentences.len(), "post {i}: {block}");
            }
        }
    }

    #[test]
    fn internal_links_point_at_generated_posts() {
        for i in 0..300 {
            let text = post(i, 50);
            for (at, _) in text.match_indices("](/blog/gen/post-") {
                let number = &text[at + 17..at + 23];
                let target: usize = number.parse().expect("a post number");
                assert!(target < 50, "post {i} links to {target}");
                assert_eq!(&text[at + 23..at + 25], "/)");
            }
        }
    }

    #[test]
    fn images_and_authors_exist_in_the_example_site() {
        let devrel = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/devrel");
        for i in 0..300 {
            let text = post(i, 300);
            for (at, _) in text.match_indices("url: /images/") {
                let name: String = text[at + 13..].chars().take_while(|c| *c != '\n').collect();
                assert!(devrel.join("public/images").join(&name).is_file(), "{name}");
            }
            let author = text.lines().find_map(|l| l.strip_prefix("author: "));
            let slug = author.and_then(|a| a.strip_prefix("content/data/team/"));
            let slug = slug
                .and_then(|s| s.strip_suffix(".json"))
                .expect("an author");
            assert!(AUTHORS.contains(&slug), "{slug}");
        }
        for k in [4, 5] {
            let json = author(k);
            assert!(json.contains("\"type\": \"Person\""));
            let image = json.split("\"url\": \"/images/").nth(1).expect("an image");
            let image = image.split('"').next().expect("a file name");
            assert!(devrel.join("public/images").join(image).is_file());
        }
        assert!(devrel.join("content/data/team/jason-hand.json").is_file());
    }

    #[test]
    fn dates_are_spread_over_fifteen_years() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(14_610), "2010-01-01");
        assert_eq!(date(19_723), "2024-01-01");
        assert_eq!(date(11_016), "2000-02-29");
        let years: std::collections::BTreeSet<String> = (0..300)
            .map(|i| {
                let text = post(i, 300);
                let date = text.split("date: '").nth(1).unwrap_or_default();
                date[..4].to_string()
            })
            .collect();
        assert_eq!(years.len(), 15, "{years:?}");
    }

    #[test]
    fn retitle_changes_the_title_line_only() {
        let text = post(3, 10);
        let edited = retitle(&text, "Edited title, run 2");
        assert!(edited.contains("\ntitle: Edited title, run 2\n"));
        assert_eq!(edited.lines().count(), text.lines().count());
        let differing = text.lines().zip(edited.lines()).filter(|(a, b)| a != b);
        assert_eq!(differing.count(), 1);
    }

    #[test]
    fn a_stamp_matches_only_its_generator_and_size() {
        let stamp = stamp_text(1000, 1043, 6_500_000);
        assert_eq!(read_stamp(&stamp, 1000), Some((1043, 6_500_000)));
        assert_eq!(read_stamp(&stamp, 10_000), None);
        let older = stamp.replace(
            &format!("generator {GENERATOR_VERSION}\n"),
            &format!("generator {}\n", GENERATOR_VERSION + 1),
        );
        assert_eq!(read_stamp(&older, 1000), None);
        assert_eq!(read_stamp("", 1000), None);
    }
}
