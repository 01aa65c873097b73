//! Small value helpers shared by validation and resolution.

pub use folio_syntax::to_json;

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
