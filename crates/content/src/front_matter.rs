//! Splitting a Markdown page into its YAML front matter and its body.

use folio_diag::Span;

/// Where the parts of a page file are, in bytes of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageParts {
    /// The YAML between the `---` fences.
    pub yaml: Span,
    /// The Markdown after the closing fence (may be empty).
    pub body: Span,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoFrontMatter,
    /// The opening `---` (at this span) is never closed.
    Unclosed(Span),
}

/// Split `text` (a BOM is skipped; CRLF and LF line ends both work) into front matter and body.
pub fn split_front_matter(text: &str) -> Result<PageParts, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if !is_fence(&rest[..first_line_end], "---") {
        return Err(SplitError::NoFrontMatter);
    }
    let yaml_start = start + first_line_end;
    let mut pos = yaml_start;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..line_end];
        if is_fence(line, "---") || is_fence(line, "...") {
            return Ok(PageParts {
                yaml: Span::new(yaml_start, pos),
                body: Span::new(line_end, text.len()),
            });
        }
        pos = line_end;
    }
    Err(SplitError::Unclosed(Span::new(start, start + 3)))
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.strip_prefix(fence)
        .is_some_and(|rest| rest.trim_end_matches(['\n', '\r', ' ', '\t']).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (&str, &str) {
        let p = split_front_matter(text).expect("splits");
        (
            &text[p.yaml.start..p.yaml.end],
            &text[p.body.start..p.body.end],
        )
    }

    #[test]
    fn splits_lf_crlf_and_bom_files() {
        assert_eq!(parts("---\na: 1\n---\nbody\n"), ("a: 1\n", "body\n"));
        assert_eq!(parts("---\r\na: 1\r\n---\r\nbody"), ("a: 1\r\n", "body"));
        assert_eq!(parts("\u{feff}---\na: 1\n---\n"), ("a: 1\n", ""));
        assert_eq!(parts("---\na: 1\n---"), ("a: 1\n", ""));
        assert_eq!(parts("---\n---\nx"), ("", "x"));
    }

    #[test]
    fn a_dashed_line_inside_a_value_does_not_close_unless_alone() {
        assert_eq!(parts("---\na: ---x\n--- \nb"), ("a: ---x\n", "b"));
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(
            split_front_matter("# Title\n"),
            Err(SplitError::NoFrontMatter)
        );
        assert_eq!(
            split_front_matter("---\na: 1\n"),
            Err(SplitError::Unclosed(Span::new(0, 3)))
        );
        assert_eq!(split_front_matter("----\n"), Err(SplitError::NoFrontMatter));
    }
}
