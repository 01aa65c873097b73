//! Edits on small files with unusual shapes: the exact new text is asserted.

use folio_edit::{apply_edit, Edit};
use serde_json::{json, Value};

fn set(path: &str, value: Value) -> Edit {
    Edit::Set {
        path: path.parse().expect("valid path"),
        value,
    }
}

fn insert(path: &str, index: usize, value: Value) -> Edit {
    Edit::Insert {
        path: path.parse().expect("valid path"),
        index,
        value,
    }
}

fn check(file: &str, source: &str, edit: Edit, expected: &str) {
    match apply_edit(file, source, &edit) {
        Ok(new) => assert_eq!(new, expected, "{edit:?} on {source:?}"),
        Err(e) => panic!("{edit:?} on {source:?} refused: {e}"),
    }
}

#[test]
fn yaml_keys_are_added_where_the_mapping_ends() {
    check(
        "p.md",
        "---\n---\nBody\n",
        set("title", json!("x")),
        "---\ntitle: x\n---\nBody\n",
    );
    check("a.yaml", "a: 1", set("b", json!(2)), "a: 1\nb: 2");
    check("a.yaml", "", set("b", json!(2)), "b: 2\n");
    check(
        "a.yaml",
        "styles:\nnext: 1\n",
        set("styles.self.padding", json!(["pt-4"])),
        "styles:\n  self:\n    padding:\n      - pt-4\nnext: 1\n",
    );
    check(
        "a.yaml",
        "key:   # note\nnext: 1\n",
        set("key", json!("v")),
        "key: v   # note\nnext: 1\n",
    );
    check(
        "a.yaml",
        "m: {x: 1}\n",
        set("m.y", json!(2)),
        "m: {x: 1, y: 2}\n",
    );
    check(
        "a.yaml",
        "list:\n- a: 1\n  b: 2\n",
        set("list.0.c", json!(3)),
        "list:\n- a: 1\n  b: 2\n  c: 3\n",
    );
}

#[test]
fn yaml_lists_keep_their_indentation_style() {
    check(
        "a.yaml",
        "tags:\n- a\n- b\n",
        insert("tags", 2, json!("c")),
        "tags:\n- a\n- b\n- c\n",
    );
    check(
        "a.yaml",
        "x: 1\n",
        insert("sections", 0, json!({"type": "Hero", "title": "Hi"})),
        "x: 1\nsections:\n  - type: Hero\n    title: Hi\n",
    );
    check(
        "a.yaml",
        "sections:\nx: 1\n",
        insert("sections", 0, json!("a")),
        "sections:\n  - a\nx: 1\n",
    );
    check(
        "a.yaml",
        "t: [a]\n",
        Edit::Remove {
            path: "t.0".parse().expect("path"),
        },
        "t: []\n",
    );
    check(
        "a.yaml",
        "t: []\n",
        insert("t", 0, json!({"type": "A"})),
        "t:\n  - type: A\n",
    );
    check(
        "a.yaml",
        "l:\r\n  - a\r\n  - b",
        Edit::Move {
            path: "l".parse().expect("path"),
            from: 1,
            to: 0,
        },
        "l:\r\n  - b\r\n  - a",
    );
    check(
        "a.yaml",
        "l:\n  -\n  - b\n",
        set("l.0", json!({"k": "v", "w": 1})),
        "l:\n  - k: v\n    w: 1\n  - b\n",
    );
}

#[test]
fn yaml_values_change_shape_in_place() {
    check(
        "a.yaml",
        "body: |\n  a\n  b\nnext: 1\n",
        set("body", json!("x")),
        "body: |-\n  x\nnext: 1\n",
    );
    check(
        "a.yaml",
        "body: |  # note\n  a\n\n  b\n\nnext: 1\n",
        set("body", json!(5)),
        "body: 5  # note\n\nnext: 1\n",
    );
    check(
        "a.yaml",
        "title: x # note\nnext: 1\n",
        set("title", json!({"a": 1})),
        "title:\n  a: 1 # note\nnext: 1\n",
    );
    check(
        "a.yaml",
        "media:\n  url: /a.jpg\n  alt: A\nnext: 1\n",
        set("media", json!("none")),
        "media: none\nnext: 1\n",
    );
    check(
        "a.yaml",
        "keep: |+\n  a\n\n",
        set("keep", json!("b\n\n\n")),
        "keep: |+\n  b\n\n\n",
    );
    check(
        "a.yaml",
        "x: 1\n",
        set("s", json!({"text": "line one\nline two", "n": null})),
        "x: 1\ns:\n  text: |-\n    line one\n    line two\n  n: null\n",
    );
    check(
        "a.yaml",
        "t: Größe\n",
        set("t", json!("Maße — ok")),
        "t: Maße — ok\n",
    );
}

#[test]
fn json_collections_grow_in_the_files_layout() {
    check(
        "a.json",
        "{\n  \"a\": []\n}\n",
        insert("a", 0, json!({"b": 1})),
        "{\n  \"a\": [\n    {\n      \"b\": 1\n    }\n  ]\n}\n",
    );
    check(
        "a.json",
        "{\n\t\"a\": {}\n}",
        set("a.b", json!("c")),
        "{\n\t\"a\": {\n\t\t\"b\": \"c\"\n\t}\n}",
    );
    check(
        "a.json",
        "{\"a\": [1, 2], \"b\": null}",
        insert("a", 1, json!(9)),
        "{\"a\": [1, 9, 2], \"b\": null}",
    );
    check(
        "a.json",
        "{\"a\": [1, 2], \"b\": null}",
        set("b.c", json!(true)),
        "{\"a\": [1, 2], \"b\": {\"c\":true}}",
    );
    check(
        "a.json",
        "{\r\n  \"a\": 1\r\n}\r\n",
        Edit::Unset {
            path: "a".parse().expect("path"),
        },
        "{}\r\n",
    );
}
