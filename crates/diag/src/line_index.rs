//! Byte offset → line and column, computed once per file.

use serde::Serialize;

/// A 1-based line and column. The column counts characters, not bytes, so that it matches
/// what an editor shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
}

/// The start offset of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Index the lines of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { line_starts }
    }

    /// The 0-based line that contains byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(usize::MAX)
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    /// An offset inside a multi-byte character counts as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = text
            .get(start..)
            .map(|rest| {
                rest.char_indices()
                    .take_while(|(i, _)| start + i < offset)
                    .count()
            })
            .unwrap_or(0);
        Position {
            line: line + 1,
            column: column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let text = "ab\nçd\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        // `d` follows the two-byte `ç`.
        assert_eq!(index.position(text, 5), Position { line: 2, column: 2 });
        assert_eq!(index.position(text, 7), Position { line: 3, column: 1 });
        assert_eq!(index.position(text, 8), Position { line: 4, column: 1 });
        assert_eq!(index.position(text, 999), Position { line: 4, column: 2 });
    }
}
