//! Round trips over real files: each edit must change exactly the edited value's lines, and
//! the file must parse back to the edited value.

use folio_content::front_matter::split_front_matter;
use folio_content::values::to_json;
use folio_content::yaml::parse_yaml;
use folio_edit::{apply_edit, Edit, FieldPath};
use serde_json::{json, Value};

const SEED: &str = include_str!("data/devrel-speaking-balance.md");
const CONFIG: &str = include_str!("data/config.json");

fn path(text: &str) -> FieldPath {
    text.parse().expect("valid path")
}

fn set(p: &str, value: Value) -> Edit {
    Edit::Set {
        path: path(p),
        value,
    }
}

/// The lines only in `old` and the lines only in `new`, between the common first and last
/// lines (line endings included, so a changed ending shows).
fn diff<'a>(old: &'a str, new: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        a[prefix..a.len() - suffix].to_vec(),
        b[prefix..b.len() - suffix].to_vec(),
    )
}

fn edit(file: &str, source: &str, e: &Edit) -> String {
    apply_edit(file, source, e).unwrap_or_else(|err| panic!("{e:?} refused: {err}"))
}

/// Apply `e` to the seed and assert the line diff.
fn assert_seed_diff(e: Edit, removed: &[&str], added: &[&str]) -> String {
    let new = edit("post.md", SEED, &e);
    assert_eq!(
        diff(SEED, &new),
        (removed.to_vec(), added.to_vec()),
        "{e:?}"
    );
    new
}

fn front(text: &str) -> Value {
    let parts = split_front_matter(text).expect("front matter");
    let yaml = &text[parts.yaml.start..parts.yaml.end];
    to_json(&parse_yaml(yaml, 0).expect("parses"))
}

#[test]
fn plain_string_is_replaced_in_place() {
    let new = assert_seed_diff(
        set("title", json!("DevRel: finding balance")),
        &["title: DevRel Speaking Balance\n"],
        &["title: 'DevRel: finding balance'\n"],
    );
    assert_eq!(front(&new)["title"], "DevRel: finding balance");
    assert_seed_diff(
        set("title", json!("A calmer title")),
        &["title: DevRel Speaking Balance\n"],
        &["title: A calmer title\n"],
    );
}

#[test]
fn single_quoted_date_stays_single_quoted() {
    assert_seed_diff(
        set("date", json!("2022-01-05")),
        &["date: '2021-11-03'\n"],
        &["date: '2022-01-05'\n"],
    );
    assert_seed_diff(
        set("media.elementId", json!("it's")),
        &["  elementId: ''\n"],
        &["  elementId: 'it''s'\n"],
    );
}

#[test]
fn folded_block_keeps_its_indicator() {
    assert_seed_diff(
        set("excerpt", json!("A shorter excerpt")),
        &["  More context that may or may not be helpful\n"],
        &["  A shorter excerpt\n"],
    );
    let new = assert_seed_diff(
        set("excerpt", json!("First paragraph\nsecond")),
        &["  More context that may or may not be helpful\n"],
        &["  First paragraph\n", "\n", "  second\n"],
    );
    assert_eq!(front(&new)["excerpt"], "First paragraph\nsecond");
}

#[test]
fn enum_boolean_and_numbers_change_only_their_line() {
    assert_seed_diff(
        set("colors", json!("colors-b")),
        &["colors: colors-a\n"],
        &["colors: colors-b\n"],
    );
    assert_seed_diff(
        set("bottomSections.0.showDate", json!(false)),
        &["    showDate: true\n"],
        &["    showDate: false\n"],
    );
    assert_seed_diff(
        set("backgroundImage.opacity", json!(50)),
        &["  opacity: 75\n"],
        &["  opacity: 50\n"],
    );
    assert_seed_diff(
        set("backgroundImage.opacity", json!(0.5)),
        &["  opacity: 75\n"],
        &["  opacity: 0.5\n"],
    );
}

#[test]
fn image_url_and_reference_path_stay_plain() {
    assert_seed_diff(
        set("featuredImage.url", json!("/images/new-thumb.jpg")),
        &["  url: https://picsum.photos/200/300\n"],
        &["  url: /images/new-thumb.jpg\n"],
    );
    assert_seed_diff(
        set("media.url", json!("https://picsum.photos/400/300")),
        &["  url: /images/https://picsum.photos/200/300\n"],
        &["  url: https://picsum.photos/400/300\n"],
    );
    assert_seed_diff(
        set("author", json!("content/data/team/doris-soto.json")),
        &["author: content/data/team/jason-hand.json\n"],
        &["author: content/data/team/doris-soto.json\n"],
    );
}

#[test]
fn nested_object_field_changes_only_its_line() {
    assert_seed_diff(
        set("bottomSections.0.styles.self.height", json!("screen")),
        &["        height: auto\n"],
        &["        height: screen\n"],
    );
}

#[test]
fn list_of_strings_items_are_added_removed_and_moved_as_lines() {
    let padding = "bottomSections.0.styles.self.padding";
    assert_seed_diff(
        Edit::Insert {
            path: path(padding),
            index: 1,
            value: json!("pt-4"),
        },
        &[],
        &["          - pt-4\n"],
    );
    assert_seed_diff(
        Edit::Insert {
            path: path(padding),
            index: 4,
            value: json!("px-2"),
        },
        &[],
        &["          - px-2\n"],
    );
    assert_seed_diff(
        Edit::Remove {
            path: path(&format!("{padding}.1")),
        },
        &["          - pb-56\n"],
        &[],
    );
    let new = assert_seed_diff(
        Edit::Move {
            path: path(padding),
            from: 0,
            to: 3,
        },
        &[
            "          - pt-12\n",
            "          - pb-56\n",
            "          - pr-4\n",
            "          - pl-4\n",
        ],
        &[
            "          - pb-56\n",
            "          - pr-4\n",
            "          - pl-4\n",
            "          - pt-12\n",
        ],
    );
    let padding = &front(&new)["bottomSections"][0]["styles"]["self"]["padding"];
    assert_eq!(padding, &json!(["pb-56", "pr-4", "pl-4", "pt-12"]));
}

#[test]
fn sections_are_added_removed_and_moved_as_whole_line_ranges() {
    let section = json!({"type": "DividerSection", "title": "Between", "styles": {"self": {"padding": ["pt-4"]}}});
    let new = assert_seed_diff(
        Edit::Insert {
            path: path("bottomSections"),
            index: 1,
            value: section.clone(),
        },
        &[],
        &[
            "  - type: DividerSection\n",
            "    title: Between\n",
            "    styles:\n",
            "      self:\n",
            "        padding:\n",
            "          - pt-4\n",
        ],
    );
    assert_eq!(front(&new)["bottomSections"][1], section);
    // Now two sections: move the new one first, then remove the old one.
    let moved = edit(
        "post.md",
        &new,
        &Edit::Move {
            path: path("bottomSections"),
            from: 1,
            to: 0,
        },
    );
    assert_eq!(front(&moved)["bottomSections"][0], section);
    let removed = edit(
        "post.md",
        &moved,
        &Edit::Remove {
            path: path("bottomSections.1"),
        },
    );
    let (gone, added) = diff(&moved, &removed);
    assert!(added.is_empty());
    assert_eq!(gone.len(), 32, "the whole recent-posts section: {gone:#?}");
    assert_eq!(front(&removed)["bottomSections"], json!([section]));
    // The blank line before the closing `---` and the body are untouched.
    assert!(removed.contains("          - pt-4\n\n---\n\nEvery Developer"));
}

#[test]
fn removing_the_last_section_leaves_an_empty_list() {
    let new = edit(
        "post.md",
        SEED,
        &Edit::Remove {
            path: path("bottomSections.0"),
        },
    );
    assert_eq!(front(&new)["bottomSections"], json!([]));
    assert!(new.contains("bottomSections: []\n\n---\n"), "{new}");
}

#[test]
fn a_missing_key_is_a_new_line_at_the_end_of_its_mapping() {
    assert_seed_diff(
        set("backgroundImage.backgroundSize", json!("contain")),
        &["  backgroundSize: cover\n"],
        &["  backgroundSize: contain\n"],
    );
    assert_seed_diff(
        set("featuredImage.caption", json!("A caption")),
        &[],
        &["  caption: A caption\n"],
    );
    let new = assert_seed_diff(
        set("seo.metaTitle", json!("Balance")),
        &[],
        &["seo:\n", "  metaTitle: Balance\n"],
    );
    assert!(new.contains("    showReadMoreLink: true\nseo:\n  metaTitle: Balance\n\n---\n"));
    assert_seed_diff(
        set("bottomSections.0.styles.self.padding", json!(["pt-0"])),
        &[
            "          - pt-12\n",
            "          - pb-56\n",
            "          - pr-4\n",
            "          - pl-4\n",
        ],
        &["          - pt-0\n"],
    );
}

#[test]
fn unset_removes_only_the_key_lines() {
    assert_seed_diff(
        Edit::Unset {
            path: path("media"),
        },
        &[
            "media:\n",
            "  url: /images/https://picsum.photos/200/300\n",
            "  altText: altText of the image\n",
            "  caption: Caption of the image\n",
            "  elementId: ''\n",
            "  type: ImageBlock\n",
        ],
        &[],
    );
    // The first key of a list item shares the `- ` line: the next key moves up.
    let new = assert_seed_diff(
        Edit::Unset {
            path: path("bottomSections.0.elementId"),
        },
        &["  - elementId: ''\n", "    type: RecentPostsSection\n"],
        &["  - type: RecentPostsSection\n"],
    );
    assert_eq!(
        front(&new)["bottomSections"][0]["type"],
        "RecentPostsSection"
    );
}

#[test]
fn markdown_body_is_replaced_and_front_matter_bytes_kept() {
    let new = edit(
        "post.md",
        SEED,
        &set("markdown_content", json!("\nNew body.\n")),
    );
    let fence = SEED.find("\n---\n").expect("closing fence") + 5;
    assert_eq!(&new[..fence], &SEED[..fence]);
    assert_eq!(&new[fence..], "\nNew body.\n");
}

#[test]
fn crlf_files_stay_crlf() {
    let crlf = SEED.replace('\n', "\r\n");
    let section = json!({"type": "DividerSection", "tags": ["a", "b"]});
    let edits = [
        set("title", json!("New")),
        set("excerpt", json!("one\ntwo")),
        set("seo.metaTitle", json!("x")),
        Edit::Insert {
            path: path("bottomSections"),
            index: 0,
            value: section,
        },
        Edit::Move {
            path: path("bottomSections.0.styles.self.margin"),
            from: 3,
            to: 0,
        },
        Edit::Remove {
            path: path("bottomSections.0.styles.self.margin.0"),
        },
        set("markdown_content", json!("\nLine one\nLine two\n")),
    ];
    for e in &edits {
        let new = edit("post.md", &crlf, e);
        assert_ne!(new, crlf, "{e:?}");
        let bare_lf = new
            .match_indices('\n')
            .filter(|(i, _)| !new[..*i].ends_with('\r'));
        assert_eq!(bare_lf.count(), 0, "{e:?} wrote a bare LF:\n{new}");
    }
}

#[test]
fn comments_and_other_styles_survive() {
    let source = "# Site settings\ntitle: \"Hello \\\"you\\\"\"  # shown in the header\nbody: |\n  line one\n  line two\ntags: [a, b] # flow\n\n# Footer\nfooter:\n  text: Bye # kept\n";
    let cases = [
        (
            set("title", json!("Hi")),
            "title: \"Hi\"  # shown in the header\n",
        ),
        (set("footer.text", json!("Later")), "  text: Later # kept\n"),
        (set("tags", json!(["c"])), "tags: [c] # flow\n"),
        (
            Edit::Insert {
                path: path("tags"),
                index: 2,
                value: json!("c d"),
            },
            "tags: [a, b, c d] # flow\n",
        ),
        (
            Edit::Move {
                path: path("tags"),
                from: 1,
                to: 0,
            },
            "tags: [b, a] # flow\n",
        ),
    ];
    for (e, line) in cases {
        let new = edit("site.yaml", source, &e);
        let (_, added) = diff(source, &new);
        assert_eq!(added, vec![line], "{e:?}");
        assert!(new.starts_with("# Site settings\n") && new.contains("\n# Footer\n"));
    }
    let new = edit("site.yaml", source, &set("body", json!("only\nlines\n")));
    assert_eq!(diff(source, &new).1, vec!["  only\n", "  lines\n"]);
    let new = edit("site.yaml", source, &set("body", json!("no end")));
    assert_eq!(diff(source, &new).1, vec!["body: |-\n", "  no end\n"]);
}

#[test]
fn json_scalars_keys_and_items_keep_the_files_layout() {
    let e = set("header.title", json!("Portfolio \"2\""));
    let new = edit("config.json", CONFIG, &e);
    assert_eq!(
        diff(CONFIG, &new),
        (
            vec!["        \"title\": \"Personal\",\n"],
            vec!["        \"title\": \"Portfolio \\\"2\\\"\",\n"]
        )
    );
    let new = edit("config.json", CONFIG, &set("header.isSticky", json!(true)));
    assert_eq!(diff(CONFIG, &new).1, vec!["        \"isSticky\": true,\n"]);
    let link = json!({"type": "Link", "label": "Talks", "url": "/talks"});
    let new = edit(
        "config.json",
        CONFIG,
        &Edit::Insert {
            path: path("header.primaryLinks"),
            index: 3,
            value: link.clone(),
        },
    );
    let (removed, added) = diff(CONFIG, &new);
    // `}` of the last link gains a comma; the new link follows in the same layout.
    assert!(removed.is_empty());
    assert_eq!(
        added,
        vec![
            "            },\n",
            "            {\n",
            "                \"type\": \"Link\",\n",
            "                \"label\": \"Talks\",\n",
            "                \"url\": \"/talks\"\n",
        ]
    );
    let parsed: Value = serde_json::from_str(&new).expect("valid JSON");
    assert_eq!(parsed["header"]["primaryLinks"][3], link);
    let new = edit(
        "config.json",
        CONFIG,
        &Edit::Move {
            path: path("header.primaryLinks"),
            from: 2,
            to: 0,
        },
    );
    let parsed: Value = serde_json::from_str(&new).expect("valid JSON");
    assert_eq!(parsed["header"]["primaryLinks"][0]["label"], "Blog");
    let new = edit(
        "config.json",
        CONFIG,
        &Edit::Remove {
            path: path("header.primaryLinks.1"),
        },
    );
    let (removed, added) = diff(CONFIG, &new);
    assert!(added.is_empty());
    assert_eq!(removed.len(), 5);
    let new = edit(
        "config.json",
        CONFIG,
        &set("header.styles.self.padding", json!(["pt-4"])),
    );
    let (removed, added) = diff(CONFIG, &new);
    assert_eq!(removed, vec!["                \"width\": \"full\"\n"]);
    assert_eq!(
        added,
        vec![
            "                \"width\": \"full\",\n",
            "                \"padding\": [\n",
            "                    \"pt-4\"\n",
            "                ]\n",
        ]
    );
}

fn refusal(file: &str, source: &str, e: Edit) -> String {
    match apply_edit(file, source, &e) {
        Ok(new) => panic!("{e:?} was applied:\n{new}"),
        Err(err) => err.code().to_string(),
    }
}

#[test]
fn refuses_aliases_anchors_and_merge_keys() {
    let source = "base: &b\n  x: 1\ncopy: *b\nthing:\n  <<: *b\n  y: 2\n";
    assert_eq!(
        refusal("a.yaml", source, set("copy.x", json!(2))),
        "edit/unsupported"
    );
    assert_eq!(
        refusal("a.yaml", source, set("base.x", json!(2))),
        "edit/unsupported"
    );
    assert_eq!(
        refusal("a.yaml", source, set("thing.x", json!(2))),
        "edit/unsupported"
    );
    let new = edit("a.yaml", source, &set("thing.y", json!(3)));
    assert_eq!(diff(source, &new).1, vec!["  y: 3\n"]);
}

#[test]
fn refuses_type_mismatches_missing_paths_and_bad_indexes() {
    let cases = [
        (set("title.x", json!(1)), "edit/type-mismatch"),
        (set("markdown_content", json!(1)), "edit/type-mismatch"),
        (
            Edit::Insert {
                path: path("title"),
                index: 0,
                value: json!(1),
            },
            "edit/type-mismatch",
        ),
        (Edit::Unset { path: path("nope") }, "edit/path-not-found"),
        (
            Edit::Remove {
                path: path("bottomSections.5"),
            },
            "edit/index-out-of-range",
        ),
        (
            Edit::Move {
                path: path("bottomSections"),
                from: 0,
                to: 1,
            },
            "edit/index-out-of-range",
        ),
        (
            set("bottomSections.1", json!({})),
            "edit/index-out-of-range",
        ),
    ];
    for (e, code) in cases {
        assert_eq!(refusal("post.md", SEED, e.clone()), code, "{e:?}");
    }
    assert_eq!(
        refusal("post.md", "no front matter\n", set("title", json!("x"))),
        "edit/no-front-matter"
    );
    assert_eq!(
        refusal("post.txt", SEED, set("title", json!("x"))),
        "edit/unsupported-file"
    );
}

#[test]
fn edits_arrive_as_json() {
    let e: Edit = serde_json::from_value(
        json!({"op": "set", "path": "bottomSections.0.subtitle", "value": "Latest"}),
    )
    .expect("deserializes");
    assert_seed_diff(
        e,
        &["    subtitle: Recent posts\n"],
        &["    subtitle: Latest\n"],
    );
    let bad = serde_json::from_value::<Edit>(json!({"op": "set", "path": "a..b", "value": 1}));
    assert!(bad.is_err());
}

mod random {
    use super::*;
    use proptest::prelude::*;

    fn title_of(text: &str) -> Value {
        front(text)["title"].clone()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_title_round_trips_in_any_starting_style(
            value in "\\PC{0,40}|[ -~\n\t'\"#:\\\\-]{0,30}",
            style in 0usize..4,
        ) {
            let line = ["title: Plain\n", "title: 'Single'\n", "title: \"Double\"\n", "title: >-\n  Folded\n"][style];
            let source = format!("---\n{line}other: kept # note\n---\nBody\n");
            let new = apply_edit("p.md", &source, &set("title", json!(value))).expect("applies");
            prop_assert_eq!(title_of(&new), json!(value));
            prop_assert!(new.ends_with("other: kept # note\n---\nBody\n"));
            prop_assert!(new.starts_with("---\ntitle: "));
        }
    }
}
