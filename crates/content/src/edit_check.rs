//! Whether a change to one content file adds a problem: what the editor asks before it writes.
//! The file's text before and after is checked as `folio check` checks a content file (its
//! syntax, its model, value types, enums, ranges, required fields, the model's own
//! `validations` including `unique`, and its references to files that exist), and what the new text has that the old one had not is the answer. A
//! problem the file already had never blocks an edit of something else.

use crate::document::{field_span, process_file};
use crate::resolve::check_reference;
use crate::site::{ContentObject, FileKind, Site};
use crate::validate::ValidationContext;
use folio_diag::{Diagnostic, Severity};
use std::collections::{HashMap, HashSet};

/// The content file `path` would have with `new` instead of `old` in `site`: each error or
/// warning it would have that it does not have now (located in `new`). Empty for a file that
/// is not content (a page under `content/pages/`, a data file under `content/data/`).
pub fn added_problems(site: &Site, path: &str, old: &str, new: &str) -> Vec<Diagnostic> {
    let Some(kind) = FileKind::of(path) else {
        return Vec::new();
    };
    // Template names only change how an unknown type is reported, the same before and after.
    let none = HashSet::new();
    let ctx = ValidationContext {
        registry: &site.registry,
        site_templates: &none,
        site_icons: &none,
    };
    let problems = |text: &str| {
        let result = process_file(&ctx, path, kind, text.as_bytes().to_vec());
        let mut found = result.diagnostics;
        if let Some(object) = &result.object {
            found.extend(not_unique(site, object, text));
        }
        for reference in result.references.iter() {
            check_reference(&site.objects, &site.versions, path, reference, &mut found);
        }
        found.retain(|d| d.severity >= Severity::Warning);
        found
    };
    // Compared by code and message (which name the field), as many times as each occurs.
    let mut before: HashMap<(&str, String), usize> = HashMap::new();
    for d in problems(old) {
        *before.entry((d.code, d.message)).or_default() += 1;
    }
    problems(new)
        .into_iter()
        .filter(|d| match before.get_mut(&(d.code, d.message.clone())) {
            Some(left) if *left > 0 => {
                *left -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// The fields of `object` whose model says `validations: {unique: true}` and whose value
/// another object of the same model already has.
fn not_unique(site: &Site, object: &ContentObject, text: &str) -> Vec<Diagnostic> {
    let Some(model) = object.model.as_deref().and_then(|m| site.registry.get(m)) else {
        return Vec::new();
    };
    let unique = |field: &&folio_model::Field| {
        field
            .validations
            .as_ref()
            .and_then(|v| v.get("unique"))
            .and_then(serde_json::Value::as_bool)
            == Some(true)
    };
    let mut found = Vec::new();
    for field in model.fields.iter().filter(unique) {
        let Some(value) = object.data.get(&field.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let mut others: Vec<&str> = site
            .objects
            .values()
            .filter(|o| o.path != object.path && o.model == object.model)
            .filter(|o| o.data.get(&field.name) == Some(value))
            .map(|o| o.path.as_str())
            .collect();
        others.sort_unstable();
        let Some(other) = others.first() else {
            continue;
        };
        let mut d = Diagnostic::warning(
            "content/not-unique",
            format!(
                "`{}` must be unique among `{}` objects, and `{other}` has the same value",
                field.name, model.name
            ),
        )
        .in_file(object.path.clone())
        .with_help("choose another value: the model's `validations` say `unique: true`");
        if let Some(span) = field_span(&object.path, text, &field.name) {
            d = d.at(span);
        }
        found.push(d);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_site;

    const HOME: (&str, &str) = (
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );

    /// A site of these files (site-relative path, text), loaded.
    fn site_of(files: &[(&str, &str)]) -> (tempfile::TempDir, std::sync::Arc<Site>) {
        let dir = tempfile::tempdir().expect("temporary folder");
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(path, text).expect("write");
        }
        let site = load_site(dir.path()).expect("the site loads").site;
        (dir, site)
    }

    fn site_with(post: &str) -> (tempfile::TempDir, std::sync::Arc<Site>) {
        let person = "{\"type\": \"Person\", \"firstName\": \"Jane\"}";
        site_of(&[
            HOME,
            ("content/pages/blog/a.md", post),
            ("content/data/team/jane.json", person),
        ])
    }

    const POST: &str = "---\ntype: PostLayout\ntitle: A post\ndate: '2024-01-02'\n---\nBody.\n";
    const PATH: &str = "content/pages/blog/a.md";

    fn codes(problems: &[Diagnostic]) -> Vec<&'static str> {
        problems.iter().map(|d| d.code).collect()
    }

    #[test]
    fn clearing_a_required_field_or_writing_a_bad_value_adds_a_problem() {
        let (_dir, site) = site_with(POST);
        let cleared = POST.replace("title: A post\n", "");
        let added = added_problems(&site, PATH, POST, &cleared);
        assert_eq!(codes(&added).len(), 1, "{added:?}");
        assert!(
            added[0].message.contains("`title` is required"),
            "{added:?}"
        );

        let nonsense = POST.replace("PostLayout", "Nonsense");
        assert!(!added_problems(&site, PATH, POST, &nonsense).is_empty());

        let opacity = POST.replace(
            "date:",
            "backgroundImage:\n  type: BackgroundImage\n  url: /a.jpg\n  opacity: 150\ndate:",
        );
        let added = added_problems(&site, PATH, POST, &opacity);
        assert!(
            added.iter().any(|d| d.message.contains("opacity")),
            "{added:?}"
        );
    }

    #[test]
    fn a_reference_must_name_a_file_that_exists() {
        let (_dir, site) = site_with(POST);
        let to = |target: &str| POST.replace("date:", &format!("author: {target}\ndate:"));
        let good = to("content/data/team/jane.json");
        assert!(added_problems(&site, PATH, POST, &good).is_empty());
        let bad = to("content/data/team/nobody.json");
        assert_eq!(
            codes(&added_problems(&site, PATH, POST, &bad)),
            ["content/broken-reference"]
        );
    }

    #[test]
    fn the_models_own_validations_are_kept_unique_included() {
        let person = |name: &str, slug: &str| {
            format!("{{\"type\": \"Person\", \"firstName\": \"{name}\", \"slug\": \"{slug}\"}}")
        };
        let model = "name: Person\ntype: data\nfields:\n  - {type: string, name: firstName, validations: {max: 8}}\n  - {type: string, name: slug, validations: {regexp: '^[a-z-]+$', unique: true, errors: {regexp: 'use lower-case letters and dashes'}}}\n";
        let (_dir, site) = site_of(&[
            (".stackbit/models/Person.yaml", model),
            (HOME.0, HOME.1),
            ("content/data/team/a.json", &person("Ann", "ann")),
            ("content/data/team/b.json", &person("Bob", "bob")),
        ]);
        let path = "content/data/team/b.json";
        let old = person("Bob", "bob");
        let added = |new: &str| added_problems(&site, path, &old, new);
        assert!(added(&person("Bobby", "bobby")).is_empty());
        let long = added(&person("Bartholomew", "bob"));
        assert_eq!(codes(&long), ["content/validation"], "{long:?}");
        assert!(long[0].message.contains("at most 8"), "{long:?}");
        let pattern = added(&person("Bob", "Bob!"));
        assert!(
            pattern[0]
                .message
                .contains("use lower-case letters and dashes"),
            "{pattern:?}"
        );
        let taken = added(&person("Bob", "ann"));
        assert_eq!(codes(&taken), ["content/not-unique"], "{taken:?}");
        assert!(
            taken[0].message.contains("content/data/team/a.json"),
            "{taken:?}"
        );
    }

    #[test]
    fn a_problem_the_file_had_does_not_block_another_edit() {
        let odd = POST.replace("title: A post\n", "title: A post\ncolors: colors-zz\n");
        let (_dir, site) = site_with(&odd);
        let retitled = odd.replace("A post", "Another title");
        assert!(added_problems(&site, PATH, &odd, &retitled).is_empty());
        assert!(added_problems(&site, "content/other.txt", "", "x").is_empty());
    }
}
