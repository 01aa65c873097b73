//! Nothing vanishes for want of a template: a model without one is drawn by the generic
//! template (its fields in the theme's frame: a page layout, a section, a block), with a
//! warning that names the template to write, and `folio new template TYPE` starts that
//! template, wired to the model's fields.

use crate::support::{build_into, check_json, copy_dir, fixture, folio};

#[test]
fn sections_and_pages_without_template_are_drawn_from_their_fields() {
    let out = tempfile::tempdir().expect("tempdir");
    let site = fixture("invalid_custom_type_without_template");
    let run = build_into(&site, out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.path().join("index.html")).expect("home");
    assert!(
        home.contains("sb-component-section sb-component-panorama-section colors-f")
            && home.contains("sb-generic\"")
            && home.contains("<h2 class=\"sb-generic-title\">Wide view</h2>"),
        "{home}"
    );
    let shop = std::fs::read_to_string(out.path().join("shop/index.html")).expect("the shop page");
    assert!(
        shop.contains(
            "<main id=\"main\" class=\"sb-layout sb-generic-layout sb-layout-product-layout\">"
        ) && shop.contains("<h1 class=\"sb-generic-title\">Shop</h1>"),
        "{shop}"
    );
}

/// The starter family's own sections (`FaqSection`, `FeatureHighlightSection`, `JobsSection`)
/// and its hero `badge`, in the official starter template.
#[test]
fn the_starter_familys_sections_show_everything_they_hold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/starter-2022"),
        &site,
    );
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let faq = std::fs::read_to_string(out.join("faq/index.html")).expect("faq");
    assert!(faq.contains("sb-component-faq-section"), "{faq}");
    assert!(
        faq.contains(
            "<h3 class=\"sb-generic-title\">How is this different from what we have today?</h3>"
        ),
        "the question heads its item"
    );
    assert!(faq.contains("At the office, working together is often a distraction"));
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(
        home.contains("<div class=\"sb-component sb-component-block sb-component-badge text-left\"><span>Case study</span></div>"),
        "{home}"
    );
    let careers = std::fs::read_to_string(out.join("careers/index.html")).expect("careers");
    assert!(careers.contains("sb-component-jobs-section"), "{careers}");
}

#[test]
fn new_template_starts_the_template_check_asks_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(&fixture("invalid_custom_type_without_template"), &site);
    let path = site.to_str().expect("utf-8");
    let run = folio(&["new", "template", "PanoramaSection", path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "created `templates/PanoramaSection.html`\n");
    let text =
        std::fs::read_to_string(site.join("templates/PanoramaSection.html")).expect("written");
    assert!(
        text.contains("{%- call s.section(obj) %}") && text.contains("{{ obj.title }}"),
        "{text}"
    );

    let (code, json) = check_json(&site);
    assert_eq!(code, 0);
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages.iter().all(|m| !m.contains("PanoramaSection")),
        "{messages:?}"
    );
    let again = folio(&["new", "template", "PanoramaSection", path]);
    assert_eq!(again.code, 2, "never over an existing file");
    let unknown = folio(&["new", "template", "Nothing", path]);
    assert_eq!(unknown.code, 2);
    assert!(unknown
        .stderr
        .contains("no model and no content has the type `Nothing`"));
}

/// Fields an owner added to folio's models (brandlewco/blumberg-law's `PageLayout.hero`,
/// ieee-uottawa's team of `Exec`s with a `role` and a `person` reference) are drawn too.
#[test]
fn fields_an_owner_added_are_drawn_after_the_templates_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site, rel, text);
    write(
        ".stackbit/models/PageLayout.yaml",
        "type: page\nname: PageLayout\nfields:\n  - type: list\n    name: hero\n    items:\n      type: model\n      models: [HeroSection]\n",
    );
    write(
        ".stackbit/models/TeamSection.yaml",
        "type: object\nname: TeamSection\ngroups: [SectionModels]\nfields:\n  - type: string\n    name: title\n  - type: list\n    name: execs\n    items:\n      type: model\n      models: [Exec]\n",
    );
    write(
        ".stackbit/models/Exec.yaml",
        "type: object\nname: Exec\nfields:\n  - type: enum\n    name: role\n    options: [chair, treasurer]\n  - type: reference\n    name: person\n    models: [Person]\n",
    );
    write(
        "content/data/team/ada.json",
        r#"{"type": "Person", "firstName": "Ada", "lastName": "Lovelace", "image": {"type": "ImageBlock", "url": "https://example.org/ada.jpg", "altText": "Ada"}}"#,
    );
    write(
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\nhero:\n  - type: HeroSection\n    title: Welcome to the firm\nsections:\n  - type: TeamSection\n    title: Our team\n    execs:\n      - type: Exec\n        role: chair\n        person: content/data/team/ada.json\n---\n",
    );
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(
        home.contains("<div class=\"sb-extras mt-8\">")
            && home.contains("sb-component-hero-section")
            && home.contains("Welcome to the firm"),
        "the owner's hero list: {home}"
    );
    for shown in [
        "<h2 class=\"sb-generic-title\">Our team</h2>",
        "<h3 class=\"sb-generic-title\">chair</h3>",
        "<h3 class=\"sb-generic-title\">Ada Lovelace</h3>",
        "src=\"https://example.org/ada.jpg\"",
    ] {
        assert!(home.contains(shown), "{shown}: {home}");
    }
}

/// The starter family's header and footer: secondary links, dropdowns of `subLinks`, the
/// footer's logo, title, social and legal links; a header variant of another theme keeps its
/// links (drawn as variant-a).
#[test]
fn the_starter_familys_header_and_footer_keep_every_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site, rel, text);
    write(
        "content/data/config.json",
        r#"{"type": "Config",
  "header": {"type": "Header", "title": "Firm", "headerVariant": "variant-d",
    "primaryLinks": [{"type": "Link", "label": "Services", "url": "/services", "hasDropdown": true,
      "subLinks": [{"type": "Link", "label": "Partners", "url": "/partners"}]}],
    "secondaryLinks": [{"type": "Button", "label": "Sign up", "url": "/signup", "style": "primary"}]},
  "footer": {"type": "Footer", "title": "The Firm", "copyrightText": "© Firm",
    "socialLinks": [{"type": "Social", "label": "GitHub", "url": "https://github.com/firm", "icon": "github"}],
    "legalLinks": [{"type": "Link", "label": "Privacy", "url": "/privacy"}]}}"#,
    );
    write(
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    for shown in [
        "sb-dropdown relative",
        "<ul class=\"sb-dropdown-menu sb-header-overlay",
        "<span>Partners</span>",
        "<span>Sign up</span>",
        "<p class=\"text-lg tracking-widest uppercase\">The Firm</p>",
        "href=\"https://github.com/firm\"",
        "<span>Privacy</span>",
    ] {
        assert!(home.contains(shown), "{shown}: {home}");
    }
}

/// A page that would be published with nothing to see (jasonhand/personalweb's `/pano/`: one
/// VR panorama section whose component the site's own code draws) is a warning at its type.
#[test]
fn a_page_with_nothing_to_see_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/pages")).expect("mkdir");
    std::fs::write(
        site.join("content/pages/index.md"),
        "---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: TextSection\n    title: Hello\n---\n",
    )
    .expect("write");
    std::fs::write(
        site.join("content/pages/pano.md"),
        "---\ntype: PageLayout\ntitle: Panorama Gallery\nsections:\n  - type: PanoramaSection\n    elementId: panorama-view\n    colors: colors-f\n---\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[build/empty-page]: `/pano/` is published with nothing to see")
            && run.stderr.contains("--> content/pages/pano.md:2:7"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("build/empty-page").count(),
        1,
        "the home page shows its text"
    );
}

/// What the real starter-family sites of the sweep lost, in one small site: a team section of
/// the site's own model lists its people by file (drawn with their names and photos, once), a
/// section's `backgroundImage` (a BackgroundImage, as the starter family's models have it) is its background, a post's `topSections` are
/// drawn above its body (its own model declares them, as the layout-era starter's does), and an image with no `url` is reported as having nothing to show.
#[test]
fn references_backgrounds_top_sections_and_empty_images_are_not_lost() {
    use crate::support::write_file;
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    write_file(&site, "content/data/config.json", r#"{"type": "Config"}"#);
    write_file(
        &site,
        ".stackbit/models/FeaturedPeopleSection.yaml",
        "name: FeaturedPeopleSection\ntype: object\nfields:\n  - {type: string, name: title}\n  \
         - type: list\n    name: people\n    items: {type: reference, models: [Person]}\n",
    );
    write_file(
        &site,
        ".stackbit/models/FeatureHighlightSection.yaml",
        "name: FeatureHighlightSection\ntype: object\nfields:\n  - {type: string, name: title}\n  \
         - {type: model, name: backgroundImage, models: [BackgroundImage]}\n",
    );
    write_file(
        &site,
        ".stackbit/models/PostLayout.yaml",
        "name: PostLayout\ntype: page\nfields:\n  - type: list\n    name: topSections\n    \
         items: {type: model, models: [TextSection]}\n",
    );
    write_file(
        &site,
        "content/data/team/ada.json",
        r#"{"type": "Person", "firstName": "Ada", "lastName": "Lovelace", "image": {"url": "/images/ada.png", "altText": "Ada"}}"#,
    );
    write_file(
        &site,
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: FeaturedPeopleSection\n    title: The Team\n    \
         people:\n      - content/data/team/ada.json\n  - type: FeatureHighlightSection\n    title: Join\n    \
         backgroundImage:\n      type: BackgroundImage\n      url: /images/bg.png\n      opacity: 50\n---\n",
    );
    write_file(
        &site,
        "content/pages/blog/post.md",
        "---\ntype: PostLayout\ntitle: Post\ndate: '2024-01-01'\nmedia:\n  type: ImageBlock\n  altText: nothing\n\
         topSections:\n  - type: TextSection\n    title: Above the body\n---\nThe body.\n",
    );
    for image in ["public/images/ada.png", "public/images/bg.png"] {
        let path = site.join(image);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        image::RgbImage::new(4, 4).save(&path).expect("png");
    }
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(home.contains(">Ada Lovelace</h3>"), "{home}");
    assert!(home.contains("src=\"/images/ada.png\""), "{home}");
    assert!(
        !home.contains("content/data/team/ada.json"),
        "a path is no content: {home}"
    );
    assert_eq!(
        home.matches(">The Team</h").count(),
        1,
        "drawn once: {home}"
    );
    assert!(
        home.contains("style=\"background-image: url('/images/bg.png'); opacity: 0.5;\""),
        "{home}"
    );

    let post = std::fs::read_to_string(out.join("blog/post/index.html")).expect("post");
    let above = post.find("Above the body").expect("the top section");
    assert!(
        above < post.find("<p>The body.</p>").expect("the body"),
        "{post}"
    );

    let (_, json) = check_json(&site);
    let diagnostics = json["diagnostics"].as_array().expect("array");
    let not_shown: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["code"] == "render/not-shown")
        .map(|d| d["message"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        not_shown,
        ["`media` (ImageBlock) has no `url`, so it shows nothing (the original draws nothing either)"],
        "{json:#}"
    );
}
