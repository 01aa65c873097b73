//! The little XML the outputs need: text and attribute escaping, and HTML whose site-relative
//! links are made absolute (feed readers show it outside the site).

/// Escape `text` for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids (control characters other than tab and newlines).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// `html` with every `href="/…"` and `src="/…"` (site-relative, not `//host`) prefixed with
/// `base_url`.
pub fn make_links_absolute(html: &str, base_url: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = ["href=\"/", "src=\"/", "href='/", "src='/"]
            .iter()
            .filter_map(|p| rest.find(p).map(|at| (at, p.len())))
            .min();
        let Some((at, len)) = next else {
            out.push_str(rest);
            return out;
        };
        // Up to and including the quote; the `/` stays in `rest`.
        let (before, after) = rest.split_at(at + len - 1);
        out.push_str(before);
        if !after.starts_with("//") {
            out.push_str(base_url);
        }
        rest = after;
        out.push('/');
        rest = &rest[1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a < b & \"c\" 'd'\u{1}"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn site_relative_links_become_absolute() {
        let html = r##"<a href="/blog/a/">a</a><img src="/images/x.png"><a href="//cdn.x/y">c</a><a href="https://o.org/">o</a><a href="#t">t</a>"##;
        assert_eq!(
            make_links_absolute(html, "https://example.org"),
            r##"<a href="https://example.org/blog/a/">a</a><img src="https://example.org/images/x.png"><a href="//cdn.x/y">c</a><a href="https://o.org/">o</a><a href="#t">t</a>"##
        );
    }
}
