//! Sites' own types and template overrides: `templates/<Type>.html` renders a type of the
//! site's own (validated by `models/<Type>.yaml`) and replaces a built-in template.

use crate::support::{build_into, check_json, copy_dir, fixture, folio};

#[test]
fn a_site_type_with_template_and_model_renders_and_overrides_apply() {
    let out = tempfile::tempdir().expect("tempdir");
    let site = fixture("site_types");
    let run = build_into(&site, out.path());
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

/// A page read as a whole (`for key in obj`, `obj | length`) has its fields in one order in a
/// build and in the editor: the file's own, then those folio adds; an `author` naming no file
/// is left out, the last field taking its place (as removing it from a map does).
#[test]
fn a_page_lists_its_fields_in_one_order_in_builds_and_in_the_editor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    copy_dir(&crate::support::devrel(), &site);
    std::fs::create_dir(site.join("templates")).expect("mkdir");
    std::fs::write(
        site.join("templates/PostLayout.html"),
        "[{% for key in obj %}{{ key }} {% endfor %}|{{ obj | length }}|{{ obj.author.firstName }}]",
    )
    .expect("write");
    let post = site.join("content/pages/blog/docs-are-the-product.md");
    let text = std::fs::read_to_string(&post).expect("readable");
    let text = text.replace(
        "author: content/data/team/maya-okafor.json",
        "author: content/data/team/nobody.json",
    );
    std::fs::write(&post, text).expect("writable");
    let expected = [
        (
            "blog/devrel-speaking-balance/index.html",
            "[type title colors backgroundImage date author excerpt featuredImage media \
             bottomSections __path __url __date __datetime markdownContent |15|",
            "Jason",
        ),
        (
            "blog/docs-are-the-product/index.html",
            "[type title colors date markdownContent excerpt featuredImage __path __url __date \
             __datetime |11|",
            "",
        ),
    ];
    for editing in [false, true] {
        let mut builder = folio_build::SiteBuilder::new(&site, None).editing(editing);
        let built = builder
            .build(folio_build::Changed::Unknown)
            .expect("a site");
        for (page, fields, author) in expected {
            let html = String::from_utf8_lossy(&built.files[page]).into_owned();
            let at = html.find(fields).map(|at| at + fields.len());
            // The editor marks the author's name as a field of its own file.
            let shown = at.map(|at| html[at..].split(']').next().unwrap_or_default());
            let name = shown.map(|s| s.rsplit_once("\">").map_or(s, |(_, n)| n));
            let name = name.map(|n| n.trim_end_matches("</span>"));
            assert_eq!(name, Some(author), "editing: {editing}\n{html}");
        }
    }
}
