//! Byte-level helpers: splices, lines and columns, and edits of flow collections (`[a, b]`,
//! `{a: 1}`, and every JSON array and object), which keep the separators already written.

/// Replace `start..end` of the file with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Splice {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Splice {
    pub(crate) fn new(start: usize, end: usize, text: impl Into<String>) -> Self {
        Splice {
            start,
            end,
            text: text.into(),
        }
    }
}

/// `source` with the splices (non-overlapping, any order) applied.
pub(crate) fn apply_splices(source: &str, mut splices: Vec<Splice>) -> Option<String> {
    splices.sort_by_key(|s| (s.start, s.end));
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for splice in &splices {
        if splice.start < at || splice.end < splice.start {
            return None;
        }
        out.push_str(source.get(at..splice.start)?);
        out.push_str(&splice.text);
        at = splice.end;
    }
    out.push_str(source.get(at..)?);
    Some(out)
}

/// The file's line ending: CRLF if it has any, else LF.
pub(crate) fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Start of the line holding byte `pos`.
pub(crate) fn line_start(text: &str, pos: usize) -> usize {
    text[..pos.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// Just past the line break ending the line that holds byte `pos` (or the end of the text).
pub(crate) fn line_end(text: &str, pos: usize) -> usize {
    text[pos.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| pos + i + 1)
}

/// Column (in bytes) of `pos` in its line.
pub(crate) fn column(text: &str, pos: usize) -> usize {
    pos - line_start(text, pos)
}

/// The whitespace at the start of the line holding `pos`.
pub(crate) fn line_indent(text: &str, pos: usize) -> &str {
    let start = line_start(text, pos);
    let line = &text[start..line_end(text, pos)];
    let len = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..len]
}

/// `end` moved back over trailing whitespace and line breaks, not before `start`.
pub(crate) fn trim_back(text: &str, start: usize, end: usize) -> usize {
    let kept = text[start..end]
        .trim_end_matches([' ', '\t', '\r', '\n'])
        .len();
    start + kept
}

/// A flow collection as written: its brackets and the byte range of each item (for mappings,
/// from the key to the end of the value).
pub(crate) struct Flow<'a> {
    pub text: &'a str,
    /// Byte of the opening bracket.
    pub open: usize,
    /// Byte of the closing bracket.
    pub close: usize,
    pub items: Vec<(usize, usize)>,
}

impl Flow<'_> {
    /// Whether the collection spans lines.
    pub(crate) fn multi_line(&self) -> bool {
        self.text[self.open..self.close].contains('\n')
    }

    /// The separator written between items (`, ` or `,\n    `).
    fn separator(&self) -> String {
        match self.items.as_slice() {
            [a, b, ..] => self.text[a.1..b.0].to_string(),
            [a] => {
                let lead = &self.text[self.open + 1..a.0];
                if lead.contains('\n') {
                    format!(",{lead}")
                } else {
                    ", ".to_string()
                }
            }
            [] => ", ".to_string(),
        }
    }

    /// Insert `item` at `index`; `empty` is the whole inside of the brackets when the
    /// collection has no items yet.
    pub(crate) fn insert(&self, index: usize, item: &str, empty: &str) -> Splice {
        let sep = self.separator();
        match self.items.get(index) {
            _ if self.items.is_empty() => Splice::new(self.open + 1, self.close, empty),
            Some(&(start, _)) => Splice::new(start, start, format!("{item}{sep}")),
            None => {
                let end = self.items.last().map_or(self.open + 1, |i| i.1);
                Splice::new(end, end, format!("{sep}{item}"))
            }
        }
    }

    /// Remove the item at `index` with one separator.
    pub(crate) fn remove(&self, index: usize) -> Splice {
        let n = self.items.len();
        if n <= 1 {
            return Splice::new(self.open + 1, self.close, "");
        }
        if index + 1 < n {
            Splice::new(self.items[index].0, self.items[index + 1].0, "")
        } else {
            Splice::new(self.items[index - 1].1, self.items[index].1, "")
        }
    }

    /// Move the item at `from` to `to`, keeping every separator where it is.
    pub(crate) fn reorder(&self, from: usize, to: usize) -> Splice {
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        let moved = order.remove(from);
        order.insert(to, moved);
        let (first, last) = (self.items[0].0, self.items[self.items.len() - 1].1);
        let mut out = String::new();
        for (slot, &i) in order.iter().enumerate() {
            let (start, end) = self.items[i];
            out.push_str(&self.text[start..end]);
            if let Some(next) = self.items.get(slot + 1) {
                out.push_str(&self.text[self.items[slot].1..next.0]);
            }
        }
        Splice::new(first, last, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow<'a>(text: &'a str, items: &[(usize, usize)]) -> Flow<'a> {
        Flow {
            text,
            open: 0,
            close: text.len() - 1,
            items: items.to_vec(),
        }
    }

    #[test]
    fn flow_edits_keep_the_separators_as_written() {
        let text = "[a, bb, c]";
        let f = flow(text, &[(1, 2), (4, 6), (8, 9)]);
        let apply = |s: Splice| apply_splices(text, vec![s]).expect("applies");
        assert_eq!(apply(f.insert(1, "x", "")), "[a, x, bb, c]");
        assert_eq!(apply(f.insert(3, "x", "")), "[a, bb, c, x]");
        assert_eq!(apply(f.remove(0)), "[bb, c]");
        assert_eq!(apply(f.remove(2)), "[a, bb]");
        assert_eq!(apply(f.reorder(0, 2)), "[bb, c, a]");
        let empty = flow("[]", &[]);
        assert_eq!(
            apply_splices("[]", vec![empty.insert(0, "x", "x")]).expect("applies"),
            "[x]"
        );
    }

    #[test]
    fn finds_lines_and_columns() {
        let text = "a\n  b: 1\r\nc";
        assert_eq!(line_start(text, 4), 2);
        assert_eq!(line_end(text, 4), 10);
        assert_eq!(column(text, 4), 2);
        assert_eq!(line_indent(text, 5), "  ");
        assert_eq!(line_ending(text), "\r\n");
        assert_eq!(trim_back(text, 0, 10), 8);
    }
}
