//! Developer tasks, run as `cargo xtask <task>`:
//!
//! - `ci`: everything CI checks, in order: formatting, clippy with warnings denied, all tests.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("ci") => ci(),
        _ => {
            eprintln!("usage: cargo xtask ci");
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
