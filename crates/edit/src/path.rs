//! Field paths: how an edit names the value it changes (`title`, `bottomSections.0.subtitle`,
//! `styles.self.padding`), as Stackbit's editor does.

use crate::error::EditError;
use std::fmt;
use std::str::FromStr;

/// The field of a page's Markdown body (as in Stackbit).
pub const MARKDOWN_CONTENT: &str = "markdown_content";

/// A dot-separated path to a value. A segment names a key in a mapping; in a list, a segment
/// made of digits is an item's index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath {
    segments: Vec<String>,
}

impl FieldPath {
    /// The segments, outermost first.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// Whether this is the Markdown body of a page (`markdown_content`).
    pub fn is_markdown_content(&self) -> bool {
        self.segments.len() == 1 && self.segments[0] == MARKDOWN_CONTENT
    }

    /// The path of the first `len` segments.
    pub fn prefix(&self, len: usize) -> FieldPath {
        FieldPath {
            segments: self.segments[..len.min(self.segments.len())].to_vec(),
        }
    }
}

/// A segment as a list index, if it is one (digits only, no sign, no leading zero).
pub(crate) fn as_index(segment: &str) -> Option<usize> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let canonical = segment == "0" || !segment.starts_with('0');
    (digits && canonical)
        .then(|| segment.parse().ok())
        .flatten()
}

impl FromStr for FieldPath {
    type Err = EditError;

    fn from_str(text: &str) -> Result<Self, EditError> {
        let invalid = |reason: &str| EditError::InvalidPath {
            path: text.to_string(),
            reason: reason.to_string(),
        };
        if text.is_empty() {
            return Err(invalid("the path is empty"));
        }
        if text.contains(['\n', '\r', '\0']) {
            return Err(invalid("the path contains a line break or NUL"));
        }
        let segments: Vec<String> = text.split('.').map(str::to_string).collect();
        if segments.iter().any(String::is_empty) {
            return Err(invalid("the path has an empty segment"));
        }
        Ok(FieldPath { segments })
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.segments.join("."))
    }
}

impl<'de> serde::Deserialize<'de> for FieldPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_dots_and_reads_digit_segments_as_indexes() {
        let path: FieldPath = "bottomSections.0.styles.self.padding"
            .parse()
            .expect("valid");
        assert_eq!(path.segments().len(), 5);
        assert_eq!(as_index(&path.segments()[1]), Some(0));
        assert_eq!(as_index("12"), Some(12));
        assert_eq!(as_index("01"), None);
        assert_eq!(as_index("-1"), None);
        assert_eq!(as_index("title"), None);
        assert_eq!(path.to_string(), "bottomSections.0.styles.self.padding");
    }

    #[test]
    fn refuses_empty_segments() {
        assert!("".parse::<FieldPath>().is_err());
        assert!("a..b".parse::<FieldPath>().is_err());
        assert!(".a".parse::<FieldPath>().is_err());
        assert!("a\nb".parse::<FieldPath>().is_err());
    }

    #[test]
    fn knows_the_markdown_body() {
        let path: FieldPath = "markdown_content".parse().expect("valid");
        assert!(path.is_markdown_content());
    }
}
