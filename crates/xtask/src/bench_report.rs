//! The tables `cargo xtask bench` prints: each size's builds (defaults, `--no-search`, Hugo)
//! and serve edits, the portfolio's builds, the photo site's, and the medians of every size
//! side by side with the ratios to Hugo.

use crate::bench::{BuildRun, SizeResult};
use crate::bench_photos::{PhotoRuns, PhotoSite};
use crate::bench_serve::ms_after_in;
use std::path::Path;

/// Median (the mean of the middle two for an even count), minimum and maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

pub(crate) fn spread(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
    let mut values: Vec<f64> = values.into_iter().collect();
    values.sort_by(f64::total_cmp);
    let (&min, &max) = (values.first()?, values.last()?);
    // The two middle values are one and the same for an odd count.
    let n = values.len();
    let median = (values[(n - 1) / 2] + values[n / 2]) / 2.0;
    Some(Spread { median, min, max })
}

/// One size's table: a row per figure, with its median, min and max.
pub(crate) fn size_report(result: &SizeResult) -> String {
    let SizeResult {
        posts,
        site,
        builds,
        no_search,
        hugo,
        serve,
    } = result;
    let mut rows = build_rows(builds);
    let mut row = |label: String, values: Vec<f64>, decimals: usize| {
        rows.push(spread_row(label, values, decimals));
    };
    let first = ms_after_in(&format!(" {}", serve.first_build));
    row(
        "serve: first build ms".into(),
        first.into_iter().collect(),
        1,
    );
    let rebuilds = serve.edits.iter().filter_map(|e| e.rebuild_ms);
    row("serve: rebuild ms".into(), rebuilds.collect(), 1);
    let reloads = serve.edits.iter().map(|e| e.reload.as_secs_f64() * 1000.0);
    row("serve: write → reload ms".into(), reloads.collect(), 1);
    let mut others = Vec::new();
    others.extend(build_rows(no_search).into_iter().take(3).map(|mut r| {
        r[0] = format!("--no-search: {}", r[0]);
        r
    }));
    if !hugo.is_empty() {
        others.push(spread_row("Hugo: wall ms".into(), hugo.clone(), 1));
    }
    let pages = builds.iter().find_map(|b| b.pages);
    format!(
        "\n{posts} posts: {} files, {:.1} MB ({}); {} pages; {} each way, {}\n\
         folio build (defaults: search on)\n{}{}",
        site.files,
        site.bytes as f64 / 1e6,
        if site.reused { "reused" } else { "generated" },
        pages.map_or("?".into(), |p| p.to_string()),
        plural(builds.len(), "cold build"),
        plural(serve.edits.len(), "edit"),
        table(&["", "median", "min", "max"], &rows),
        table(&["", "median", "min", "max"], &others)
    )
}

/// The photo site's figures per binary, and the ratios of the first to each other.
pub(crate) fn photo_report(site: &PhotoSite, binaries: &[&Path], runs: &[PhotoRuns]) -> String {
    let median = |values: Vec<f64>| spread(values).map(|s| s.median);
    let figures: Vec<[Option<f64>; 5]> = runs
        .iter()
        .map(|r| {
            let rss = |builds: &[BuildRun]| {
                median(
                    builds
                        .iter()
                        .filter_map(|b| b.timings.peak_rss_mb)
                        .collect(),
                )
            };
            [
                median(r.cold.iter().map(|b| b.wall_ms).collect()),
                rss(&r.cold),
                median(r.warm.iter().map(|b| b.wall_ms).collect()),
                rss(&r.warm),
                median(r.serve_first.clone()),
            ]
        })
        .collect();
    let cell = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.0}"));
    let mut rows: Vec<Vec<String>> = binaries
        .iter()
        .zip(&figures)
        .map(|(binary, f)| {
            let mut row = vec![binary.display().to_string()];
            row.extend(f.iter().map(|v| cell(*v)));
            row
        })
        .collect();
    for (binary, other) in binaries.iter().zip(&figures).skip(1) {
        let mut row = vec![format!("ratio to {}", binary.display())];
        row.extend(figures[0].iter().zip(other).map(|(a, b)| match (a, b) {
            (Some(a), Some(b)) if *b > 0.0 => format!("{:.2}", a / b),
            _ => "-".into(),
        }));
        rows.push(row);
    }
    let header = [
        "medians",
        "cold ms",
        "cold peak RSS MB",
        "warm ms",
        "warm peak RSS MB",
        "serve: first page ms",
    ];
    format!(
        "\nphoto site ({}): {} images, {:.1} MB; {} each\n{}",
        site.dir.display(),
        site.images,
        site.bytes as f64 / 1e6,
        plural(runs.first().map_or(0, |r| r.cold.len()), "run"),
        table(&header, &rows)
    )
}

/// The portfolio fixture's builds: the first (which fills the image cache) apart.
pub(crate) fn portfolio_report(first: &BuildRun, builds: &[BuildRun]) -> String {
    format!(
        "\nportfolio fixture: {} pages; first build {:.1} ms (it fills the image cache when that \
         is empty); then {} with the cache\n{}",
        first.pages.map_or("?".into(), |p| p.to_string()),
        first.wall_ms,
        plural(builds.len(), "cold build"),
        table(&["", "median", "min", "max"], &build_rows(builds))
    )
}

/// A row of a label and the median, min and max of `values`.
pub(crate) fn spread_row(label: String, values: Vec<f64>, decimals: usize) -> Vec<String> {
    let cells = match spread(values) {
        Some(s) => [s.median, s.min, s.max].map(|v| format!("{v:.decimals$}")),
        None => ["-", "-", "-"].map(String::from),
    };
    [vec![label], cells.to_vec()].concat()
}

/// Wall time, pages per second, peak RSS and every stage of some builds.
pub(crate) fn build_rows(builds: &[BuildRun]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = |label: String, values: Vec<f64>, decimals: usize| {
        rows.push(spread_row(label, values, decimals));
    };
    row(
        "wall ms".into(),
        builds.iter().map(|b| b.wall_ms).collect(),
        1,
    );
    row(
        "pages/s".into(),
        builds.iter().filter_map(pages_per_s).collect(),
        0,
    );
    let rss = builds.iter().filter_map(|b| b.timings.peak_rss_mb);
    row("peak RSS MB".into(), rss.collect(), 1);
    for name in stage_names(builds) {
        let times = builds.iter().filter_map(|b| {
            let stages = &b.timings.stages;
            stages.iter().find(|(n, _)| *n == name).map(|s| s.1)
        });
        row(format!("{name} ms"), times.collect(), 1);
    }
    rows
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn pages_per_s(build: &BuildRun) -> Option<f64> {
    Some(build.pages? as f64 / (build.wall_ms / 1000.0))
}

/// Every stage name of the runs, in the order first seen.
fn stage_names(builds: &[BuildRun]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (name, _) in builds.iter().flat_map(|b| &b.timings.stages) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// The median wall time of `builds` over Hugo's median, when Hugo was measured.
fn ratio(builds: &[BuildRun], hugo: &[f64]) -> String {
    let folio = spread(builds.iter().map(|b| b.wall_ms)).map(|s| s.median);
    let hugo = spread(hugo.iter().copied()).map(|s| s.median);
    match (folio, hugo) {
        (Some(folio), Some(hugo)) if hugo > 0.0 => format!("{:.2}", folio / hugo),
        _ => "-".into(),
    }
}

/// The medians of every size side by side.
pub(crate) fn summary(results: &[SizeResult]) -> String {
    let median = |values: Vec<f64>, decimals: usize| {
        spread(values).map_or("-".into(), |s| format!("{:.decimals$}", s.median))
    };
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.posts.to_string(),
                r.site.files.to_string(),
                median(r.builds.iter().map(|b| b.wall_ms).collect(), 0),
                median(r.no_search.iter().map(|b| b.wall_ms).collect(), 0),
                median(r.hugo.clone(), 0),
                ratio(&r.builds, &r.hugo),
                ratio(&r.no_search, &r.hugo),
                median(r.builds.iter().filter_map(pages_per_s).collect(), 0),
                median(
                    r.builds
                        .iter()
                        .filter_map(|b| b.timings.peak_rss_mb)
                        .collect(),
                    0,
                ),
                median(
                    r.serve.edits.iter().filter_map(|e| e.rebuild_ms).collect(),
                    0,
                ),
                median(
                    (r.serve.edits.iter())
                        .map(|e| e.reload.as_secs_f64() * 1000.0)
                        .collect(),
                    0,
                ),
            ]
        })
        .collect();
    let header = [
        "posts",
        "files",
        "wall ms",
        "--no-search ms",
        "Hugo ms",
        "÷ Hugo",
        "--no-search ÷ Hugo",
        "pages/s",
        "peak RSS MB",
        "rebuild ms",
        "write → reload ms",
    ];
    format!("\nsummary (medians)\n{}", table(&header, &rows))
}

/// Plain aligned text: the first column left-aligned, the others right-aligned.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::from("  ");
        for (k, (cell, &width)) in row.iter().zip(&widths).enumerate() {
            if k == 0 {
                line.push_str(&format!("{cell:<width$}"));
            } else {
                line.push_str(&format!("  {cell:>width$}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_have_a_median_a_min_and_a_max() {
        let odd = spread([3.0, 1.0, 2.0]);
        assert_eq!(odd.map(|s| (s.median, s.min, s.max)), Some((2.0, 1.0, 3.0)));
        let even = spread([4.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            even.map(|s| (s.median, s.min, s.max)),
            Some((2.5, 1.0, 4.0))
        );
        assert_eq!(spread([]), None);
    }

    #[test]
    fn tables_are_aligned() {
        let rows = vec![
            vec!["wall ms".to_string(), "812.3".to_string()],
            vec!["pages/s".to_string(), "12345".to_string()],
        ];
        assert_eq!(
            table(&["", "median"], &rows),
            "           median\n  wall ms   812.3\n  pages/s   12345\n"
        );
    }
}
