//! `cargo xtask coverage [--all] SITE…`: what of each site's content folio shows, counted by
//! `folio_build::coverage` (every typed object drawn by a template, by the generic template,
//! shown in the head or as a style, empty (nothing the original would draw either), or lost).
//! Prints one line per site, then the empty and the lost objects (where, and of which model).

use folio_build::{Changed, Coverage, NotShown, SiteBuilder};
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    if args.is_empty() {
        eprintln!("usage: cargo xtask coverage SITE…");
        return ExitCode::from(2);
    }
    // `--all` lists every lost object, not the first 20 of each site.
    let all = args.iter().any(|a| a == "--all");
    println!("site\tobjects\ttemplate\tgeneric\thead-or-style\tempty\tlost");
    let mut lost_anywhere = false;
    for site in args.iter().filter(|a| *a != "--all") {
        match coverage(Path::new(site)) {
            Ok(report) => {
                println!(
                    "{site}\t{}\t{}\t{}\t{}\t{}\t{}",
                    report.objects,
                    report.template,
                    report.generic,
                    report.not_elements,
                    report.empty.len(),
                    report.lost.len()
                );
                let shown = if all { usize::MAX } else { 20 };
                for NotShown {
                    file, path, model, ..
                } in report.empty.iter().take(shown)
                {
                    println!("  empty: {file} `{path}` ({model})");
                }
                for NotShown {
                    file, path, model, ..
                } in report.lost.iter().take(shown)
                {
                    println!("  lost: {file} `{path}` ({model})");
                }
                lost_anywhere |= !report.lost.is_empty();
            }
            Err(message) => println!("{site}\tfailed: {message}"),
        }
    }
    if lost_anywhere {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn coverage(site: &Path) -> Result<Coverage, String> {
    let mut builder = SiteBuilder::new(site, None).editing(true).keep_going(true);
    let build = builder
        .build(Changed::Unknown)
        .map_err(|d| d.message.clone())?;
    Ok(folio_build::coverage(&build))
}
