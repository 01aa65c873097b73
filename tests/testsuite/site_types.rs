//! Sites' own types and template overrides: `templates/<Type>.html` renders a type of the
//! site's own (validated by `models/<Type>.yaml`) and replaces a built-in template.

use crate::support::{check_json, copy_dir, fixture, folio};

#[test]
fn a_site_type_with_template_and_model_renders_and_overrides_apply() {
    let out = tempfile::tempdir().expect("tempdir");
    let site = fixture("site_types");
    let run = folio(&[
        "build",
        site.to_str().expect("utf-8"),
        "-o",
        out.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let html = std::fs::read_to_string(out.path().join("index.html")).expect("built");
    assert!(
        html.contains(r#"<section class="panorama" data-fov="120"><h2>The bay at dawn</h2>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<div class="site-text-section">Below the panorama</div>"#),
        "{html}"
    );
}

#[test]
fn a_site_model_validates_its_fields_and_appears_in_the_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(&fixture("site_types"), &site);
    let page = site.join("content/pages/index.md");
    let text = std::fs::read_to_string(&page)
        .expect("read")
        .replace("fieldOfView: 120", "fieldOfView: 999\n    colour: red");
    std::fs::write(&page, text).expect("write");
    let (code, json) = check_json(&site);
    assert_eq!(code, 0, "{json:#}");
    let codes: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        codes,
        ["content/number-out-of-range", "content/unknown-field"],
        "{json:#}"
    );

    let schemas = dir.path().join("schemas");
    let run = folio(&[
        "schema",
        site.to_str().expect("utf-8"),
        "-o",
        schemas.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
