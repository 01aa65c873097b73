//! Markdown → HTML (CommonMark with the GFM extensions the starter's renderer supports).

use pulldown_cmark::{html, Options, Parser};

/// Render a Markdown document to HTML. Raw HTML passes through, as in the original.
pub fn render_markdown(source: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM;
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(source, options));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_gfm_tables_and_strikethrough() {
        let html = render_markdown("a | b\n--|--\n1 | 2\n\n~~gone~~\n");
        assert!(
            html.contains("<table>") && html.contains("<del>gone</del>"),
            "{html}"
        );
    }
}
