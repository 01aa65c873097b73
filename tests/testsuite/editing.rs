//! Edit-mode annotations (`folio serve --edit`): every object rendered through `component()`
//! names its file and field, every printed field is wrapped with its path, and production
//! output carries none of it.

use crate::support::{devrel, fixture, portfolio};
use folio_content::load_site;
use folio_render::{RenderOptions, Renderer};
use std::path::Path;
use std::sync::Arc;

fn options(editing: bool) -> RenderOptions {
    RenderOptions {
        base_url: None,
        stylesheet: "/assets/site.css".into(),
        editing,
        feeds: false,
        ..RenderOptions::default()
    }
}

/// Every page of `site` rendered, by URL, in edit mode or not.
fn render_all(site: &Path, editing: bool, reuse: bool) -> Vec<(String, String)> {
    let loaded = load_site(site).expect("a site");
    let (renderer, _) = if reuse {
        Renderer::new(Arc::clone(&loaded.site), options(editing))
    } else {
        Renderer::without_reuse(Arc::clone(&loaded.site), options(editing))
    };
    loaded
        .site
        .routes()
        .iter()
        .map(|r| (r.url.clone(), renderer.render_route(r).expect("renders")))
        .collect()
}

fn page(site: &Path, url: &str, editing: bool) -> String {
    render_all(site, editing, true)
        .into_iter()
        .find(|(u, _)| u == url)
        .map(|(_, html)| html)
        .expect("the page exists")
}

/// The `<main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

#[test]
fn edit_mode_annotates_the_seed_post() {
    let html = page(&devrel(), "/blog/devrel-speaking-balance/", true);
    assert!(html.contains(
        "<main data-sb-object-id=\"content/pages/blog/devrel-speaking-balance.md\" id=\"main\""
    ));
    assert!(
        html.contains("<h1><span data-sb-field-path=\"title\">DevRel Speaking Balance</span></h1>")
    );
    // The header and footer come from the config file.
    assert!(html
        .contains("data-sb-object-id=\"content/data/config.json\" data-sb-field-path=\"header\""));
    // The `<title>` and attributes stay plain text.
    assert!(!html[..html.find("<body").expect("body")].contains("data-sb"));
    assert!(!html.contains(['\u{E000}', '\u{E001}', '\u{E002}', '\u{E003}', '\u{E004}']));
    insta::assert_snapshot!(main_of(&html));
}

#[test]
fn sections_carry_their_path_in_the_page() {
    let html = page(&devrel(), "/", true);
    assert!(
        html.contains("data-sb-field-path=\"sections.0\""),
        "the first section of the home page"
    );
    assert!(html.contains("data-sb-field-path=\"sections.0.title\""));
}

#[test]
fn production_output_carries_no_annotations() {
    for site in [
        devrel(),
        portfolio(),
        fixture("resolver"),
        fixture("site_types"),
    ] {
        for (url, html) in render_all(&site, false, true) {
            assert!(!html.contains("data-sb-"), "{url} of {}", site.display());
            assert!(
                !html.contains(['\u{E000}', '\u{E003}', '\u{E004}']),
                "{url}"
            );
        }
    }
}

#[test]
fn edit_mode_output_is_the_same_with_and_without_reuse() {
    for site in [devrel(), portfolio()] {
        let reused = render_all(&site, true, true);
        let fresh = render_all(&site, true, false);
        assert_eq!(reused.len(), fresh.len());
        for ((url, a), (_, b)) in reused.iter().zip(&fresh) {
            assert!(
                a == b,
                "{url} differs when components are reused in edit mode"
            );
            assert!(a.contains("data-sb-object-id"), "{url} is annotated");
        }
    }
}

#[test]
fn edit_mode_and_production_have_different_render_fingerprints() {
    let loaded = load_site(&devrel()).expect("a site");
    let (plain, _) = Renderer::new(Arc::clone(&loaded.site), options(false));
    let (editing, _) = Renderer::new(Arc::clone(&loaded.site), options(true));
    assert_ne!(plain.fingerprint(), editing.fingerprint());
}
