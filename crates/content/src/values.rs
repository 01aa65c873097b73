//! Small value helpers shared by validation and resolution.

use crate::tree::{Node, Value};
use serde_json::Value as Json;

/// `a`, `b` or `c` in backticks, for messages; long lists are shortened.
pub fn describe_list(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().take(8).map(|i| format!("`{i}`")).collect();
    let more = items.len().saturating_sub(8);
    match (shown.len(), more) {
        (0, _) => "nothing".into(),
        (_, 0) => shown.join(", "),
        _ => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The absolute URL inside a path such as `/images/https://picsum.photos/200/300` (what the
/// visual editor's asset picker writes when given a remote URL), or `None` if `url` is fine.
pub fn repair_prefixed_url(url: &str) -> Option<&str> {
    if !url.starts_with('/') {
        return None;
    }
    ["https://", "http://"]
        .iter()
        .filter_map(|scheme| url.find(scheme))
        .min()
        .filter(|&at| at > 0 && url[..at].ends_with('/'))
        .map(|at| &url[at..])
}

/// The located tree as plain JSON (spans dropped, nulls in mappings dropped).
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => {
            if n.is_integer() && n.value.abs() < 9.0e15 {
                Json::from(n.value as i64)
            } else {
                serde_json::Number::from_f64(n.value)
                    .map_or(Json::String(n.text.clone()), Json::Number)
            }
        }
        Value::String(s) => Json::String(s.clone()),
        // Sized once (a filtered iterator would grow them step by step): thousands of pages
        // hold these until the build ends.
        Value::List(items) => {
            let mut list = Vec::with_capacity(items.len());
            list.extend(items.iter().filter(|i| !i.is_null()).map(to_json));
            Json::Array(list)
        }
        Value::Map(entries) => {
            let mut map = serde_json::Map::with_capacity(entries.len());
            map.extend(
                entries
                    .iter()
                    .filter(|e| !e.value.is_null())
                    .map(|e| (e.key.clone(), to_json(&e.value))),
            );
            Json::Object(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_absolute_urls_behind_an_upload_folder() {
        assert_eq!(
            repair_prefixed_url("/images/https://picsum.photos/200/300"),
            Some("https://picsum.photos/200/300")
        );
        assert_eq!(
            repair_prefixed_url("/uploads/2021/http://x.org/a.png"),
            Some("http://x.org/a.png")
        );
        assert_eq!(repair_prefixed_url("/images/bg.jpg"), None);
        assert_eq!(repair_prefixed_url("https://picsum.photos/200"), None);
        assert_eq!(repair_prefixed_url("/images/xhttps://a"), None);
    }
}
