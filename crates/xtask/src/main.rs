//! Developer tasks, run as `cargo xtask <task>`:
//!
//! - `ci`: everything CI checks, in order: formatting, clippy with warnings denied, all tests.
//! - `visual [--release]`: screenshots of the shared portfolio fixture as folio builds it, scored
//!   against the original site's reference screenshots (see `visual.rs`). A developer tool: it
//!   needs node, python3 (Pillow, NumPy) and Debian's chromium, and CI does not run it.
//! - `bench [--sizes 1000,10000,100000] [--runs 3]`: cold `folio build` (wall time, pages/s,
//!   stage times, peak RSS) and the `folio serve` edit → reload path on synthetic sites of N posts
//!   (see `bench.rs`, and `bench_site.rs` for the generated sites).
//! - `bench-serve [--runs N] [--posts N]`: file change → live-reload event with `folio serve`,
//!   on `examples/devrel` and a synthetic site of N posts (see `bench_serve.rs`).
//! - `bench-http [--seconds N]`: requests per second of `folio serve` next to nginx on the same
//!   site, with `wrk` (see `bench_http.rs`).
//! - `bench-search [--posts N] [--runs N]`: search's cost (folio with search on and off, the
//!   Pagefind CLI on the same pages) and quality (recall, top-3 precision, bytes of a first
//!   query, folio's index next to Pagefind's in Chromium; see `bench_search.rs`).
//! - `coverage SITE…`: every object of each site's content, drawn by a template, generically,
//!   in the head, or lost (see `coverage.rs`).

mod bench;
mod bench_http;
mod bench_hugo;
mod bench_photos;
mod bench_report;
mod bench_search;
mod bench_serve;
mod bench_site;
mod coverage;
mod static_server;
mod visual;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    match task.as_deref() {
        Some("ci") => ci(),
        Some("visual") => visual::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("bench-serve") => bench_serve::run(&rest),
        Some("bench-http") => bench_http::run(&rest),
        Some("bench-search") => bench_search::run(&rest),
        Some("coverage") => coverage::run(&rest),
        _ => {
            eprintln!(
                "usage: cargo xtask ci | cargo xtask visual [--release] \
                 | cargo xtask bench [--sizes 1000,10000,100000] [--runs 3] \
                 | cargo xtask bench-serve [--runs N] [--posts N] | cargo xtask bench-http [--seconds N] \
                 | cargo xtask bench-search [--posts N] [--runs N] \
                 | cargo xtask coverage SITE…"
            );
            ExitCode::from(2)
        }
    }
}

/// Run one cargo step, echoing it; `false` when it failed.
fn cargo(args: &[&str]) -> bool {
    eprintln!("==> cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

fn ci() -> ExitCode {
    let steps: &[&[&str]] = &[
        &["fmt", "--all", "--", "--check"],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &["test", "--workspace", "--no-fail-fast"],
    ];
    for step in steps {
        if !cargo(step) {
            eprintln!("xtask ci: `cargo {}` failed", step.join(" "));
            return ExitCode::FAILURE;
        }
    }
    eprintln!("xtask ci: all checks passed");
    ExitCode::SUCCESS
}
