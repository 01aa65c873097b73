//! `cargo xtask bench-search [--posts 10000] [--runs 3]`: what search costs and how good it
//! is, folio's index next to Pagefind's CLI on the same pages, in one run.
//!
//! 1. The synthetic site of N posts (`bench_site.rs`) is built with folio's defaults (search on)
//!    and with `--no-search`, `--runs` times each, interleaved: wall time, the search stage and
//!    peak RSS (`--timings`). Search's cost is the difference.
//! 2. The Pagefind CLI (`python3 -m pagefind_bin`, the `pagefind_bin` wheel; skipped with a note
//!    when missing) indexes the same pages: wall time and peak RSS (`/usr/bin/time`).
//! 3. Quality: a set of queries over the generated posts, each with the pages it must find,
//!    known from the generator (titles are generated from a list of openers and topics, and each
//!    carries its post's number), so not from either engine's own reading. The queries use other
//!    forms of the titles' words (`lesson hackathon` for "Lessons from hackathons") and
//!    prefixes being typed (`hackath`). Both engines run in headless Chromium on the same built
//!    pages, each in a fresh profile: recall (the share of expected pages found), precision of
//!    the top 3 (the share of them that are expected, of at most as many as there are), and the
//!    bytes the first query fetched from each engine's folder (script, index, and the texts of
//!    the 8 results a search box shows).

use crate::bench::{build_once, BuildRun, Trash};
use crate::bench_report::table;
use crate::bench_serve::{build_folio, workspace};
use crate::bench_site::{ensure_site, title};
use crate::static_server;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run(args: &[String]) -> ExitCode {
    let mut posts = 10_000;
    let mut runs = 3;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--posts", Some(n)) => posts = n,
            ("--runs", Some(n)) if n > 0 => runs = n,
            _ => {
                eprintln!("usage: cargo xtask bench-search [--posts 10000] [--runs 3]");
                return ExitCode::from(2);
            }
        }
    }
    match bench(posts, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-search: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(posts: usize, runs: usize) -> Result<(), String> {
    let root = workspace();
    let binary = build_folio(&root)?;
    let trash = Trash(root.join("target/bench/trash"));
    let out = root.join("target/bench/search");
    trash.move_in(&out)?;
    eprintln!("==> site-{posts}: generating (or reusing) {posts} posts");
    let site = ensure_site(&root, posts, &trash)?;
    let mut with = Vec::new();
    let mut without = Vec::new();
    for run in 1..=runs {
        let dir = out.join(format!("search-{run}"));
        with.push(build_once(&binary, &site.dir, &dir, true, true, None)?);
        let dir = out.join(format!("no-search-{run}"));
        without.push(build_once(&binary, &site.dir, &dir, true, false, None)?);
        eprintln!(
            "    run {run}/{runs}: {:.0} ms with search, {:.0} ms without",
            with[run - 1].wall_ms,
            without[run - 1].wall_ms
        );
    }
    let built = out.join("search-1");
    let pagefind = pagefind_cli(&built);
    print!("{}", cost_report(posts, &with, &without, pagefind.as_ref()));

    let queries = queries(posts);
    eprintln!("==> {} queries in Chromium", queries.len());
    let base = static_server::serve(&built).map_err(|e| format!("static server: {e}"))?;
    let mut rows = Vec::new();
    for engine in ["folio", "pagefind"] {
        if engine == "pagefind" && pagefind.is_none() {
            continue;
        }
        let answers = run_queries(&built, &base, engine, &queries)?;
        rows.push(quality_row(engine, &queries, &answers));
    }
    print!(
        "\nsearch quality: {} queries over {posts} posts\n{}",
        queries.len(),
        table(
            &["engine", "recall", "top-3 precision", "first query KB",],
            &rows
        )
    );
    trash.move_in(&out)?;
    trash.empty()
}

/// The Pagefind CLI's run over `site` (writes `site/pagefind/`): wall ms and peak RSS MB.
fn pagefind_cli(site: &Path) -> Option<(f64, f64)> {
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args([
            "-f",
            "peak-rss-kb %M",
            "python3",
            "-m",
            "pagefind_bin",
            "--site",
        ])
        .arg(site)
        .stdin(Stdio::null())
        .output();
    let wall = started.elapsed().as_secs_f64() * 1000.0;
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            eprintln!(
                "note: the Pagefind CLI failed, not compared: {}",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default()
            );
            return None;
        }
        Err(e) => {
            eprintln!("note: no Pagefind CLI (pip install pagefind_bin), not compared: {e}");
            return None;
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let kb: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kb ")?.trim().parse().ok())?;
    Some((wall, kb / 1024.0))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn stage_ms(run: &BuildRun, name: &str) -> Option<f64> {
    run.timings
        .stages
        .iter()
        .find(|(stage, _)| stage == name)
        .map(|(_, ms)| *ms)
}

fn cost_report(
    posts: usize,
    with: &[BuildRun],
    without: &[BuildRun],
    pagefind: Option<&(f64, f64)>,
) -> String {
    let wall = |runs: &[BuildRun]| median(runs.iter().map(|r| r.wall_ms).collect());
    let rss =
        |runs: &[BuildRun]| median(runs.iter().filter_map(|r| r.timings.peak_rss_mb).collect());
    let search = median(with.iter().filter_map(|r| stage_ms(r, "search")).collect());
    let (w, wo) = (wall(with), wall(without));
    let mut rows = vec![
        vec![
            "folio build (defaults: search on)".into(),
            format!("{:.2} s", w / 1000.0),
            format!("{:.0} MB", rss(with)),
            format!("{:.2}", w / wo),
        ],
        vec![
            "folio build --no-search".into(),
            format!("{:.2} s", wo / 1000.0),
            format!("{:.0} MB", rss(without)),
            "1.00".into(),
        ],
        vec![
            "  search: wall difference / its own stage".into(),
            format!("{:.2} s / {:.2} s", (w - wo) / 1000.0, search / 1000.0),
            format!("{:+.0} MB", rss(with) - rss(without)),
            String::new(),
        ],
    ];
    if let Some((ms, mb)) = pagefind {
        rows.push(vec![
            "Pagefind CLI alone, on the same pages".into(),
            format!("{:.2} s", ms / 1000.0),
            format!("{mb:.0} MB"),
            format!("{:.2}", ms / wo),
        ]);
    }
    format!(
        "\nsearch cost: {posts} posts, medians of {} runs\n{}",
        with.len(),
        table(&["build", "wall", "peak RSS", "× --no-search"], &rows)
    )
}

/// A query and the URLs of the pages it must find.
pub(crate) struct Query {
    pub text: String,
    pub expected: Vec<String>,
}

/// Title openers and the words a query uses for them (another form where there is one).
const OPENERS: [(&str, &str); 12] = [
    ("Notes on", "notes on"),
    ("Rethinking", "rethink"),
    ("A field guide to", "field guides"),
    ("Lessons from", "lesson"),
    ("What we learned about", "learning"),
    ("Measuring", "measure"),
    ("Scaling", "scaled"),
    ("Getting started with", "started"),
    ("Five mistakes in", "mistake"),
    ("The quiet work of", "quietly working"),
    ("In defence of", "defence"),
    ("A year of", "years"),
];

/// Title topics and the words a query uses for them.
const TOPICS: [(&str, &str); 15] = [
    ("conference talks", "conference talk"),
    ("sample apps", "sample app"),
    ("developer onboarding", "onboarding"),
    ("API reference docs", "api reference"),
    ("community forums", "forum"),
    ("live demos", "demo"),
    ("release notes", "release"),
    ("office hours", "office hour"),
    ("hackathons", "hackathon"),
    ("SDK design", "sdk designs"),
    ("error messages", "error message"),
    ("quickstarts", "quickstart"),
    ("changelogs", "changelog"),
    ("developer surveys", "survey"),
    ("workshop material", "workshops"),
];

fn post_url(i: usize) -> String {
    format!("/blog/gen/post-{i:06}/")
}

/// The queries over a site of `posts` generated posts.
pub(crate) fn queries(posts: usize) -> Vec<Query> {
    let titles: Vec<String> = (0..posts).map(title).collect();
    let with = |needle: &dyn Fn(&str) -> bool| -> Vec<String> {
        (0..posts)
            .filter(|&i| needle(&titles[i]))
            .map(post_url)
            .collect()
    };
    let mut out = Vec::new();
    for (k, (opener, opener_query)) in OPENERS.iter().enumerate() {
        let (topic, topic_query) = TOPICS[(k * 7) % TOPICS.len()];
        let start = format!("{opener} {topic} (");
        out.push(Query {
            text: format!("{opener_query} {topic_query}"),
            expected: with(&|t| t.starts_with(&start)),
        });
    }
    // A title's topic as typed, its last word not finished: `developer onboa`, `hackath`.
    for (topic, _) in TOPICS.iter().step_by(3) {
        let (head, last) = topic.rsplit_once(' ').unwrap_or(("", topic));
        let typed: String = last
            .chars()
            .take((last.len() * 2).div_ceil(3).max(3))
            .collect();
        let needle = format!(" {topic} (");
        out.push(Query {
            text: format!("{head} {typed}").trim().to_lowercase(),
            expected: with(&|t| t.contains(&needle)),
        });
    }
    for n in 0..10 {
        let i = (n * 997 + 13) % posts.max(1);
        out.push(Query {
            text: format!("note {i}"),
            expected: vec![post_url(i)],
        });
    }
    out.retain(|q| !q.expected.is_empty());
    out
}

/// What one engine answered: per query the URLs found, best first, and the bytes its first
/// query fetched. (No times: `--virtual-time-budget`, which lets `--dump-dom` wait for the
/// queries, runs the page on virtual time.)
struct Answers {
    found: Vec<Vec<String>>,
    first_bytes: f64,
}

/// Run `queries` with `engine` in headless Chromium on the site served at `base`.
fn run_queries(
    site: &Path,
    base: &str,
    engine: &str,
    queries: &[Query],
) -> Result<Answers, String> {
    let texts: Vec<&str> = queries.iter().map(|q| q.text.as_str()).collect();
    let page = RUNNER
        .replace("__ENGINE__", engine)
        .replace("__CLIENT__", &folio_build::search_scripts().client_url())
        .replace(
            "__QUERIES__",
            &serde_json::to_string(&texts).unwrap_or_default(),
        );
    let name = format!("bench-search-{engine}.html");
    std::fs::write(site.join(&name), page).map_err(|e| format!("{name}: {e}"))?;
    let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
    let output = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=900000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &format!("{base}/{name}")])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{CHROMIUM}: {e}"))?;
    let dom = String::from_utf8_lossy(&output.stdout);
    let json = dom
        .split_once("<pre id=\"out\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(json, _)| {
            json.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .ok_or_else(|| {
            format!(
                "no answers from {engine} in Chromium's page: {}",
                dom.chars().take(400).collect::<String>()
            )
        })?;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| format!("{engine}: {e}: {json}"))?;
    if let Some(error) = value["error"].as_str() {
        return Err(format!("{engine} in Chromium: {error}"));
    }
    let found = value["found"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|urls| {
            urls.as_array()
                .into_iter()
                .flatten()
                .filter_map(|u| u.as_str())
                .map(|u| u.trim_end_matches("index.html").to_owned())
                .collect()
        })
        .collect();
    Ok(Answers {
        found,
        first_bytes: value["first_bytes"].as_f64().unwrap_or(f64::NAN),
    })
}

/// Recall and top-3 precision of `answers`, averaged over the queries.
fn scores(queries: &[Query], answers: &Answers) -> (f64, f64) {
    let mut recall = 0.0;
    let mut precision = 0.0;
    for (query, found) in queries.iter().zip(&answers.found) {
        let expected = |url: &String| query.expected.contains(url);
        recall += found.iter().filter(|u| expected(u)).count() as f64 / query.expected.len() as f64;
        let top = found.iter().take(3).filter(|u| expected(u)).count();
        precision += top as f64 / query.expected.len().min(3) as f64;
    }
    let n = queries.len().max(1) as f64;
    (recall / n, precision / n)
}

fn quality_row(engine: &str, queries: &[Query], answers: &Answers) -> Vec<String> {
    let (recall, precision) = scores(queries, answers);
    // The queries each engine gets wrong, to see why.
    for (query, found) in queries.iter().zip(&answers.found) {
        let top: Vec<&String> = found.iter().take(3).collect();
        let hits = top.iter().filter(|u| query.expected.contains(u)).count();
        let missed = query.expected.iter().filter(|u| !found.contains(u)).count();
        if hits < query.expected.len().min(3) || missed > 0 {
            eprintln!(
                "    {engine}: `{}`: {hits} of the top 3 expected, {missed} of {} not found; top: {top:?}",
                query.text,
                query.expected.len()
            );
        }
    }
    vec![
        engine.into(),
        format!("{recall:.3}"),
        format!("{precision:.3}"),
        format!("{:.1}", answers.first_bytes / 1024.0),
    ]
}

/// The page that runs the queries (every result's URL is read, up to 400 a query), then prints
/// the answers into `<pre id="out">` for `--dump-dom`.
const RUNNER: &str = r#"<!doctype html><meta charset="utf-8"><title>bench</title><pre id="out"></pre>
<script type="module">
const engine = '__ENGINE__';
const queries = __QUERIES__;
const out = document.getElementById('out');
const bytes = () => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes(engine === 'folio' ? '/folio-search/' : '/pagefind/'))
  .reduce((sum, e) => sum + e.encodedBodySize, 0);
try {
  const api = engine === 'folio'
    ? await import('__CLIENT__')
    : await import('/pagefind/pagefind.js');
  await api.init?.();
  const found = [];
  let first_bytes = 0;
  for (const [n, query] of queries.entries()) {
    const { results } = await api.search(query);
    // What a search box shows first: the 8 best results.
    await Promise.all(results.slice(0, 8).map((r) => r.data()));
    if (n === 0) first_bytes = bytes();
    const all = await Promise.all(results.slice(0, 400).map((r) => r.data()));
    found.push(all.map((d) => d.url));
  }
  out.textContent = JSON.stringify({ found, first_bytes });
} catch (e) {
  out.textContent = JSON.stringify({ error: String(e && e.stack || e) });
}
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_expects_pages_and_titles_decide_them() {
        let queries = queries(2_000);
        assert!(queries.len() >= 25, "{}", queries.len());
        for q in &queries {
            assert!(!q.expected.is_empty(), "{}", q.text);
        }
        let note = queries
            .iter()
            .find(|q| q.text == "note 13")
            .expect("note 13");
        assert_eq!(note.expected, ["/blog/gen/post-000013/"]);
    }

    #[test]
    fn recall_and_precision_count_expected_pages() {
        let queries = vec![Query {
            text: "x".into(),
            expected: vec!["/a/".into(), "/b/".into()],
        }];
        let answers = Answers {
            found: vec![vec!["/c/".into(), "/a/".into(), "/d/".into(), "/b/".into()]],
            first_bytes: 0.0,
        };
        let (recall, precision) = scores(&queries, &answers);
        assert_eq!(recall, 1.0);
        assert_eq!(precision, 0.5);
    }
}
