//! `folio check`: exit codes, summaries and every diagnostic, snapshotted in both formats.

use crate::support::{check_human, check_json, devrel, fixture, folio, portfolio, write_file};

#[test]
fn portfolio_fixture_checks_clean() {
    let run = check_human(&portfolio());
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains(": 0 errors, 0 warnings in "),
        "{}",
        run.stdout
    );
}

#[test]
fn devrel_example_reports_only_the_seed_media_url_warning() {
    let (code, json) = check_json(&devrel());
    assert_eq!(code, 0);
    let diagnostics = json["diagnostics"].as_array().expect("array");
    assert_eq!(diagnostics.len(), 1, "{json:#}");
    assert_eq!(diagnostics[0]["code"], "content/prefixed-absolute-url");
    assert_eq!(
        diagnostics[0]["file"],
        "content/pages/blog/devrel-speaking-balance.md"
    );
    assert_eq!(diagnostics[0]["line"], 21);
    assert!(diagnostics[0]["help"]
        .as_str()
        .expect("help")
        .contains("`https://picsum.photos/200/300`"));
}

#[test]
fn a_folder_without_content_pages_is_a_usage_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = folio(&["check", dir.path().to_str().expect("utf-8")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("has no `content/pages` folder"),
        "{}",
        run.stderr
    );
}

/// Check an `invalid_*` fixture: exit code 1 for errors (0 for warnings only), and snapshots
/// of the terminal and JSON output.
fn snapshot_fixture(name: &str, expected_code: i32) {
    let site = fixture(name);
    let run = check_human(&site);
    assert_eq!(run.code, expected_code, "{}", run.stdout);
    let (code, json) = check_json(&site);
    assert_eq!(code, expected_code);
    insta::assert_snapshot!(format!("{name}__human"), run.stdout);
    insta::assert_json_snapshot!(format!("{name}__json"), json);
}

macro_rules! invalid_fixtures {
    ($($name:ident => $code:expr),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                snapshot_fixture(stringify!($name), $code);
            }
        )*
    };
}

#[test]
fn null_values_are_absent_fields() {
    let (code, json) = check_json(&fixture("null_values"));
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(
        json["diagnostics"].as_array().expect("array").len(),
        0,
        "{json:#}"
    );
}

invalid_fixtures! {
    invalid_yaml => 1,
    invalid_json => 1,
    invalid_unclosed_front_matter => 1,
    invalid_no_front_matter => 0,
    invalid_front_matter_not_mapping => 1,
    invalid_utf8 => 1,
    invalid_empty_file => 0,
    invalid_unknown_type => 1,
    invalid_custom_type_without_template => 0,
    invalid_wrong_value_type => 0,
    invalid_enum => 0,
    invalid_missing_required => 0,
    invalid_date => 0,
    invalid_unknown_field => 0,
    invalid_broken_reference => 0,
    invalid_reference_outside_site => 1,
    invalid_duplicate_url => 1,
    invalid_prefixed_url => 0,
    invalid_style => 0,
    invalid_missing_type => 1,
    invalid_number => 1,
}

/// An object no template draws (a person's photo: the post shows the author's name only) is a
/// warning at its line that names the template to write; the same object drawn by a template
/// of the site's is not.
#[test]
fn an_object_no_page_shows_is_reported_at_its_line_with_the_template_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    write_file(site, "content/data/config.json", r#"{"type": "Config"}"#);
    write_file(
        site,
        "content/pages/index.md",
        "---\ntype: PostLayout\ntitle: Hello\ndate: '2024-01-01'\nauthor: content/data/team/ada.json\n---\nBody.\n",
    );
    write_file(
        site,
        "content/data/team/ada.json",
        "{\n  \"type\": \"Person\",\n  \"firstName\": \"Ada\",\n  \"image\": {\"type\": \"ImageBlock\", \"url\": \"/ada.png\"}\n}\n",
    );
    let not_shown = |json: &serde_json::Value| -> Vec<(String, u64, String)> {
        json["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .filter(|d| d["code"] == "render/not-shown")
            .map(|d| {
                (
                    d["file"].as_str().unwrap_or_default().to_string(),
                    d["line"].as_u64().unwrap_or_default(),
                    d["help"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let (code, json) = check_json(site);
    assert_eq!(code, 0, "a warning, not an error: {json:#}");
    let found = not_shown(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1),
        ("content/data/team/ada.json", 4)
    );
    assert!(
        found[0].2.contains("`templates/Person.html`"),
        "{}",
        found[0].2
    );

    write_file(
        site,
        "templates/PostLayout.html",
        "<main>{{ obj.title }}{{ component(obj.author.image) }}</main>",
    );
    let (_, json) = check_json(site);
    assert_eq!(not_shown(&json), [], "{json:#}");
}

/// A Markdown body under a page model that shows none (a `PageLayout`: sections only, as in
/// the original) is a warning at the body's first line, not a silent loss.
#[test]
fn a_body_the_page_does_not_show_is_reported_at_its_first_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    write_file(site, "content/data/config.json", r#"{"type": "Config"}"#);
    write_file(
        site,
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: TextSection\n    variant: variant-a\n    text: Shown.\n---\n\nNot shown.\n",
    );
    write_file(
        site,
        "content/pages/post.md",
        "---\ntype: PostLayout\ntitle: A post\ndate: '2024-01-01'\n---\nShown in the post.\n",
    );
    let (code, json) = check_json(site);
    assert_eq!(code, 0, "{json:#}");
    let found: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| (d["code"].as_str(), d["file"].as_str(), d["line"].as_u64()))
        .collect();
    assert_eq!(
        found,
        [(
            Some("content/body-not-shown"),
            Some("content/pages/index.md"),
            Some(10)
        )],
        "{json:#}"
    );
}
