//! When each page file last changed in git: the `<lastmod>` of a page without a `date` when
//! the site is a git checkout. One `git log` for the whole site; without git, or outside a
//! checkout, there are no dates (a sitemap then has no `lastmod` for such pages, rather than
//! the checkout's time, which changes with every clone).

use folio_content::ContentDate;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// Site-relative path (`content/pages/about.md`) → the date of the last commit that touched
/// it, for the files under `content/pages`.
pub fn last_commit_dates(site: &Path) -> HashMap<String, ContentDate> {
    let output = Command::new("git")
        .arg("-C")
        .arg(site)
        .args([
            "log",
            "--format=%x00%cI",
            "--name-only",
            "--no-renames",
            "--relative",
            "--",
            "content/pages",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => {
            parse_log(&String::from_utf8_lossy(&output.stdout))
        }
        _ => HashMap::new(),
    }
}

/// The dates of `git log --format=%x00%cI --name-only` (newest first: a file's first date is
/// its last change).
fn parse_log(log: &str) -> HashMap<String, ContentDate> {
    let mut dates = HashMap::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = ContentDate::parse(date.trim());
        } else if let (Some(date), false) = (current, line.trim().is_empty()) {
            dates.entry(line.trim().to_string()).or_insert(date);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_newest_commit_wins() {
        let log = "\0 2024-05-02T10:00:00+02:00\n\ncontent/pages/a.md\n\0 2023-01-01T00:00:00Z\n\ncontent/pages/a.md\ncontent/pages/b.md\n";
        let dates = parse_log(log);
        assert_eq!(dates["content/pages/a.md"].iso_date(), "2024-05-02");
        assert_eq!(dates["content/pages/b.md"].iso_date(), "2023-01-01");
    }
}
