//! Real sites as they are. The official templates of every theme version (`../shared/fixtures`,
//! MIT, see each NOTICE.md) build with every page and no error, and `fixtures/real_owner_site`
//! holds, in one small site, what owners of real sites changed: their own `.stackbit` models
//! (a third button style, a `newTab` switch, a `colors-h` scheme), actions without `type`, an
//! icon cleared to `''`, brand icons folio has, one the site brings and one nobody has.

use crate::support::{build_into, check_json, copy_dir, fixture, folio};
use std::path::{Path, PathBuf};

/// A copy of `../shared/fixtures/NAME` (a build writes its cache into the site).
fn shared_template(name: &str, into: &Path) -> PathBuf {
    let original = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(name);
    let copy = into.join(name);
    copy_dir(&original, &copy);
    copy
}

/// Where a page's HTML is written: `blog/post-one.md` → `blog/post-one/index.html`.
fn html_of(page: &Path) -> PathBuf {
    let stem = page.with_extension("");
    match stem.file_name().and_then(|n| n.to_str()) {
        Some("index") => stem.with_extension("html"),
        _ => stem.join("index.html"),
    }
}

fn markdown_pages(site: &Path) -> Vec<PathBuf> {
    let pages = site.join("content/pages");
    let mut out = Vec::new();
    let mut stack = vec![pages.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("list").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path.strip_prefix(&pages).expect("inside").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_official_template_builds_every_page_with_no_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "personal-2023-02",
        "personal-2023-04",
        "personal-2025",
        "starter-2022",
    ] {
        let site = shared_template(name, dir.path());
        let (code, json) = check_json(&site);
        assert_eq!(code, 0, "{name}: {json:#}");
        assert_eq!(json["summary"]["errors"], 0, "{name}: {json:#}");
        assert!(
            json["summary"]["models"]["count"].as_u64() > Some(40),
            "{name}: the site's own models are read: {}",
            json["summary"]
        );

        let out = dir.path().join(format!("{name}-out"));
        let run = build_into(&site, &out);
        assert_eq!(run.code, 0, "{name}: {}{}", run.stdout, run.stderr);
        let pages = markdown_pages(&site);
        assert!(pages.len() >= 14, "{name}: {pages:?}");
        for page in pages {
            let html = out.join(html_of(&page));
            assert!(html.is_file(), "{name}: {} not written", html.display());
        }
    }
}

/// The `layout:` era's feed pages carry `postFeed:` without `type`: their model allows one.
#[test]
fn the_layout_era_feed_without_type_lists_every_post() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = shared_template("personal-2023-02", dir.path());
    let out = dir.path().join("out");
    assert_eq!(build_into(&site, &out).code, 0);
    let blog = std::fs::read_to_string(out.join("blog/index.html")).expect("blog");
    for post in ["one", "two", "three", "four", "five", "six", "seven"] {
        assert!(
            blog.contains(&format!("href=\"/blog/post-{post}/\"")),
            "{post}"
        );
    }
    assert_eq!(blog.matches("sb-post-feed-item").count(), 7);
}

/// The 2024–25 template names its fonts by stack and its colours as theme variables.
#[test]
fn the_2024_template_renders_its_font_stack_and_theme_variables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = shared_template("personal-2025", dir.path());
    let out = dir.path().join("out");
    assert_eq!(build_into(&site, &out).code, 0);
    let css =
        std::fs::read_to_string(crate::support::tagged_path(&out, "assets/site.css")).expect("css");
    assert!(css.contains("--theme-primary:#0804F6"), "theme variables");
    assert!(css.contains("font-family:\"DM Mono\""), "the font it names");
    assert!(css.contains("text-transform:uppercase"), "headingCase");
}

#[test]
fn an_owners_site_builds_as_its_original_renders_it() {
    let site = fixture("real_owner_site");
    let (code, json) = check_json(&site);
    assert_eq!(code, 0, "{json:#}");
    // The one place folio draws differently: an icon nobody has an SVG for; and, as its
    // build says, an about page with no sections.
    assert_eq!(
        codes(&json),
        ["content/unknown-icon", "build/empty-page"],
        "{json:#}"
    );
    assert_eq!(json["diagnostics"][0]["line"], 10);
    assert_eq!(
        json["summary"]["models"],
        serde_json::json!({"sources": [".stackbit/models"], "count": 2})
    );

    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(&site, out.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let html = std::fs::read_to_string(out.path().join("index.html")).expect("home");
    // Untyped actions with `style` are buttons; the owner's style stays a class.
    assert!(html.contains(r#"<a href="/about/" target="_blank" rel="noopener" class="sb-component sb-component-block sb-component-button sb-component-button-primary"#), "{html}");
    assert!(html.contains(r#"<a href="/" class="sb-component sb-component-block sb-component-button sb-component-button-ghost"#), "{html}");
    assert!(html.contains("colors-h"), "the site's own colour scheme");
    // tiktok is one of folio's icons, myspace the site's own; friendster shows its label.
    assert!(html.contains(r#"aria-label="TikTok"><span class="sr-only">TikTok</span><svg"#));
    assert!(html.contains(r#"<path id="owner-myspace""#));
    assert!(html.contains(r#"class="sb-component sb-component-block sb-component-social sb-component-social-fill sb-header-link text-base p-4"><span>Friendster</span></a>"#), "{html}");
}

#[test]
fn strict_makes_every_warning_an_error_from_the_flag_or_folio_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(&fixture("real_owner_site"), &site);
    let path = site.to_str().expect("utf-8");
    let strict = folio(&["check", "--strict", path]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(
        strict
            .stdout
            .contains("error[content/unknown-icon]: folio has no icon `friendster`"),
        "{}",
        strict.stdout
    );
    let out = dir.path().join("out");
    let build = folio(&[
        "build",
        "--strict",
        path,
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(build.code, 1, "{}", build.stdout);
    assert!(!out.exists(), "a strict build with warnings writes nothing");

    std::fs::write(site.join("folio.toml"), "strict = true\n").expect("write");
    assert_eq!(folio(&["check", path]).code, 1);
    assert_eq!(build_into(&site, &out).code, 1);
}

#[test]
fn a_broken_file_is_named_at_its_line_and_keep_going_builds_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(&fixture("real_owner_site"), &site);
    let out = dir.path().join("out");
    assert_eq!(build_into(&site, &out).code, 0);
    let before = std::fs::read(out.join("about/index.html")).expect("about");

    let about = site.join("content/pages/about.md");
    std::fs::write(
        &about,
        "---\ntype: PageLayout\ntitle: 'Father's day'\nsections: []\n---\n",
    )
    .expect("write");
    let home = site.join("content/pages/index.md");
    let text = std::fs::read_to_string(&home).expect("read");
    std::fs::write(&home, text.replace("Hello from", "Hello again from")).expect("write");

    let failed = build_into(&site, &out);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("--> content/pages/about.md:3:16"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("double it"),
        "the quote hint: {}",
        failed.stderr
    );
    assert_eq!(
        std::fs::read(out.join("about/index.html")).expect("kept"),
        before,
        "a failed build keeps the previous output"
    );

    let path = |p: &Path| p.to_str().expect("utf-8").to_string();
    let rest = folio(&["build", "--keep-going", &path(&site), "-o", &path(&out)]);
    assert_eq!(rest.code, 1, "{}", rest.stderr);
    let left_out = format!("{}{}", rest.stdout, rest.stderr);
    assert!(left_out.contains("content/pages/about.md"), "{left_out}");
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(home.contains("Hello again from"), "the rest is built");
    assert!(
        !out.join("about/index.html").exists(),
        "the broken page is left out"
    );
    // The home page's link to the page left out says why.
    let check = folio(&["check", &path(&site)]);
    assert!(
        check
            .stdout
            .contains("the link `/about` leads to `content/pages/about.md`, which is not built"),
        "the link warning names the skipped file: {}",
        check.stdout
    );
}

/// What real sites' own code renders and folio's model would refuse: warnings, and the build
/// goes on. A type the one allowed model stands in for (brandlewco/blumberg-law's
/// `PagedTestimonialSection`), an enum stored as the editor's option object
/// (ieee-uottawa/ieeeuottawa-v2), a reference to another kind of page (jthomas845/auto-portfolio),
/// a value of the wrong shape (zsteig/dotslashwatch-page), translated pages (`index.es.md`,
/// YannickLaguna/landing_page_personal).
#[test]
fn what_the_original_renders_is_a_warning_and_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site, rel, text);
    write("content/data/config.json", "{\"type\": \"Config\"}");
    write(
        ".stackbit/models/PostFeedLayout.yaml",
        "type: page\nname: PostFeedLayout\nfields:\n  - type: model\n    name: postFeed\n    models: [PagedPostsSection]\n",
    );
    write(
        "content/pages/blog/index.md",
        "---\ntype: PostFeedLayout\ntitle: Blog\npostFeed:\n  type: PagedPostSection\n  title: All posts\n---\n",
    );
    write(
        "content/pages/blog/a.md",
        "---\ntype: PostLayout\ntitle: A post\ndate: '2024-01-02'\n---\nHello.\n",
    );
    write(
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: HeroSection\n    title: Hi\n    colors:\n      label: Colors B\n      value: colors-b\n    media: [a, b]\n  - type: FeaturedProjectsSection\n    projects:\n      - content/pages/blog/a.md\n---\n",
    );
    write(
        "content/pages/index.es.md",
        "---\ntype: PageLayout\ntitle: Inicio\nsections:\n  - type: TextSection\n    variant: variant-a\n    text: Hola.\n---\n",
    );
    let (code, json) = check_json(&site);
    assert_eq!(code, 0, "{json:#}");
    let found: Vec<String> = codes(&json)
        .into_iter()
        .filter(|c| c != "content/missing-field")
        .collect();
    assert_eq!(
        found,
        [
            "content/unknown-type",
            "content/wrong-type",
            "content/wrong-type",
            "content/reference-wrong-model"
        ],
        "{json:#}"
    );
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(home.contains("colors-b"), "the option's value is used");
    assert!(home.contains("href=\"/blog/a/\""), "the post is featured");
    let blog = std::fs::read_to_string(out.join("blog/index.html")).expect("blog");
    assert!(
        blog.contains("All posts") && blog.contains("A post"),
        "{blog}"
    );
    let spanish = std::fs::read_to_string(out.join("es/index.html")).expect("/es/");
    assert!(spanish.contains("Inicio"));
}

/// A translated site (YannickLaguna/landing_page_personal): the pages under `/es/` read
/// `content/data/config.es.json`, the others `config.json`.
#[test]
fn translated_pages_read_their_locales_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let write = |rel: &str, text: &str| crate::support::write_file(&site, rel, text);
    let config = |label: &str| {
        format!(
            r#"{{"type": "Config", "header": {{"type": "Header", "title": "Site", "primaryLinks": [{{"type": "Link", "label": "{label}", "url": "/"}}]}}}}"#
        )
    };
    write("content/data/config.json", &config("Projects"));
    write("content/data/config.es.json", &config("Proyectos"));
    write(
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );
    write(
        "content/pages/index.es.md",
        "---\ntype: PageLayout\ntitle: Inicio\nsections:\n  - type: TextSection\n    variant: variant-a\n    text: Hola.\n---\n",
    );
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let english = std::fs::read_to_string(out.join("index.html")).expect("/");
    let spanish = std::fs::read_to_string(out.join("es/index.html")).expect("/es/");
    assert!(english.contains("<span>Projects</span>") && !english.contains("Proyectos"));
    assert!(spanish.contains("<span>Proyectos</span>") && !spanish.contains("Projects"));
}
