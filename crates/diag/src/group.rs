//! Repeated warnings, grouped for people: the same problem written in 29 places (a style
//! property a theme version lacks, on every section) is shown once in full, followed by where
//! else it is. Errors are never grouped; the JSON output lists everything.

use crate::{Diagnostic, LineIndex, Severity, SourceLookup};
use std::collections::HashMap;

/// More occurrences than this of one problem are grouped.
pub const GROUP_AFTER: usize = 3;

/// How many further places a group names.
const PLACES_SHOWN: usize = 5;

/// The diagnostics in their order, each with the later ones grouped under it (empty for
/// those shown alone).
pub fn group_repeated(diagnostics: &[Diagnostic]) -> Vec<(&Diagnostic, Vec<&Diagnostic>)> {
    let mut count: HashMap<(Severity, &str, String), usize> = HashMap::new();
    for d in diagnostics {
        *count.entry(key(d)).or_default() += 1;
    }
    let mut groups: Vec<(&Diagnostic, Vec<&Diagnostic>)> = Vec::new();
    let mut first_of: HashMap<(Severity, &str, String), usize> = HashMap::new();
    for d in diagnostics {
        let k = key(d);
        let grouped = d.severity != Severity::Error && count[&k] > GROUP_AFTER;
        match first_of.get(&k) {
            Some(&at) if grouped => groups[at].1.push(d),
            _ => {
                if grouped {
                    first_of.insert(k, groups.len());
                }
                groups.push((d, Vec::new()));
            }
        }
    }
    groups
}

/// What makes two diagnostics the same problem: severity, code, and the message with every
/// quoted value but the first left out ("`textAlign` is not a style of `…`").
fn key(d: &Diagnostic) -> (Severity, &'static str, String) {
    let mut out = String::with_capacity(d.message.len());
    let mut quoted = 0;
    let mut inside = false;
    for c in d.message.chars() {
        if c == '`' {
            if !inside {
                quoted += 1;
            }
            inside = !inside;
            out.push(c);
            if inside && quoted > 1 {
                out.push('…');
            }
            continue;
        }
        if !inside || quoted <= 1 {
            out.push(c);
        }
    }
    (d.severity, d.code, out)
}

/// `= and in 28 more places: a.md:3:5, b.md:9:1, … (`folio check --format json` lists all)`.
pub fn more_places(others: &[&Diagnostic], sources: &dyn SourceLookup) -> String {
    let mut indexes: HashMap<&str, LineIndex> = HashMap::new();
    let places: Vec<String> = others
        .iter()
        .take(PLACES_SHOWN)
        .map(|d| {
            let Some(file) = d.file.as_deref() else {
                return "(site-wide)".to_string();
            };
            match (d.span, sources.source(file)) {
                (Some(span), Some(text)) => {
                    let index = indexes.entry(file).or_insert_with(|| LineIndex::new(text));
                    let at = index.position(text, span.start);
                    format!("{file}:{}:{}", at.line, at.column)
                }
                _ => file.to_string(),
            }
        })
        .collect();
    let rest = if others.len() > PLACES_SHOWN {
        ", … (`folio check --format json` lists every one)"
    } else {
        ""
    };
    let places_word = if others.len() == 1 { "place" } else { "places" };
    format!(
        "  = the same in {} more {places_word}: {}{rest}",
        others.len(),
        places.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style_warning(path: &str) -> Diagnostic {
        Diagnostic::warning(
            "content/unknown-style",
            format!("`textAlign` is not a style of `{path}`"),
        )
        .in_file("content/pages/a.md")
    }

    #[test]
    fn groups_a_problem_repeated_more_than_three_times() {
        let mut all: Vec<Diagnostic> = (0..5)
            .map(|i| style_warning(&format!("sections.{i}.styles.self")))
            .collect();
        all.push(Diagnostic::warning(
            "content/unknown-style",
            "`padding` is not a style of `x`",
        ));
        let groups = group_repeated(&all);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].1.len(), 4);
        assert!(groups[1].1.is_empty());
    }

    #[test]
    fn never_groups_errors_or_a_few_repeats() {
        let errors: Vec<Diagnostic> = (0..5)
            .map(|_| Diagnostic::error("content/missing-type", "`x` has no `type`"))
            .collect();
        assert_eq!(group_repeated(&errors).len(), 5);
        let few: Vec<Diagnostic> = (0..3).map(|i| style_warning(&i.to_string())).collect();
        assert_eq!(group_repeated(&few).len(), 3);
    }
}
